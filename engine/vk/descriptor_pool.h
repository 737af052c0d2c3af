#pragma once
// A pool of descriptor sets of storage buffers. Sets live as long as the pool (or until reset()).

#include <vulkan/vulkan.h>

#include <span>

#include "core/result.h"
#include "vk/descriptor_set_layout.h"
#include "vk/device.h"
#include "vk/handle.h"

namespace lathe::vk {

// One storage-buffer binding: a range of a buffer. `range` must not exceed maxStorageBufferRange.
struct BufferBinding {
  VkBuffer buffer = VK_NULL_HANDLE;
  VkDeviceSize offset = 0;
  VkDeviceSize range = VK_WHOLE_SIZE;
};

class DescriptorPool {
 public:
  // Room for `max_sets` sets holding `max_buffers` storage buffers in all.
  static Result<DescriptorPool> create(const Device& device, uint32_t max_sets, uint32_t max_buffers);

  // A set with `layout`, its bindings 0..n-1 pointing at `buffers` (n = layout.binding_count()).
  Result<VkDescriptorSet> allocate(const DescriptorSetLayout& layout, std::span<const BufferBinding> buffers);
  // Returns every set to the pool.
  Result<void> reset();

  VkDescriptorPool handle() const { return pool_.get(); }

 private:
  DescriptorPool() = default;

  DeviceHandle<VkDescriptorPool, vkDestroyDescriptorPool> pool_;
};

}  // namespace lathe::vk
