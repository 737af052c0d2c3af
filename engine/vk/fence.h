#pragma once
// A fence to wait for a submission on the host.

#include <vulkan/vulkan.h>

#include <cstdint>

#include "core/result.h"
#include "vk/device.h"
#include "vk/handle.h"

namespace lathe::vk {

class Fence {
 public:
  static Result<Fence> create(const Device& device, bool signaled = false);

  // Waits until signalled; an error after `timeout_ns` (a lost device reports here too).
  Result<void> wait(uint64_t timeout_ns = uint64_t{60} * 1000 * 1000 * 1000) const;
  Result<void> reset() const;

  VkFence handle() const { return fence_.get(); }

 private:
  Fence() = default;

  DeviceHandle<VkFence, vkDestroyFence> fence_;
};

}  // namespace lathe::vk
