#pragma once
// A command pool on the device's compute queue family. Command buffers allocated from it must be
// destroyed before it; it is used from one thread at a time.

#include <vulkan/vulkan.h>

#include "core/result.h"
#include "vk/command_buffer.h"
#include "vk/device.h"
#include "vk/handle.h"

namespace lathe::vk {

class CommandPool {
 public:
  static Result<CommandPool> create(const Device& device);

  // A primary command buffer that may be reset and re-recorded.
  Result<CommandBuffer> allocate() const;

  VkCommandPool handle() const { return pool_.get(); }

 private:
  CommandPool() = default;

  DeviceHandle<VkCommandPool, vkDestroyCommandPool> pool_;
};

}  // namespace lathe::vk
