#pragma once
// A descriptor set layout of storage buffers at bindings 0..count-1, visible to compute shaders.
// (Which set holds what is decided by the op wrappers; this is only the Vulkan object.)

#include <vulkan/vulkan.h>

#include "core/result.h"
#include "vk/device.h"
#include "vk/handle.h"

namespace lathe::vk {

class DescriptorSetLayout {
 public:
  static Result<DescriptorSetLayout> create_storage_buffers(const Device& device, uint32_t count);

  VkDescriptorSetLayout handle() const { return layout_.get(); }
  uint32_t binding_count() const { return count_; }

 private:
  DescriptorSetLayout() = default;

  DeviceHandle<VkDescriptorSetLayout, vkDestroyDescriptorSetLayout> layout_;
  uint32_t count_ = 0;
};

}  // namespace lathe::vk
