#pragma once
// A VkBuffer with its own VkDeviceMemory. For now host-visible and coherent, persistently mapped:
// the host writes inputs and reads results through mapped(). (Device-local memory from a
// sub-allocator and staging uploads come later.)

#include <vulkan/vulkan.h>

#include <cstddef>
#include <span>

#include "core/result.h"
#include "vk/device.h"
#include "vk/handle.h"

namespace lathe::vk {

class Buffer {
 public:
  static constexpr VkBufferUsageFlags kStorage = VK_BUFFER_USAGE_STORAGE_BUFFER_BIT |
                                                 VK_BUFFER_USAGE_TRANSFER_SRC_BIT |
                                                 VK_BUFFER_USAGE_TRANSFER_DST_BIT;

  // `size` bytes (> 0), mapped; `device` must outlive the buffer.
  static Result<Buffer> create_host_visible(const Device& device, VkDeviceSize size,
                                            VkBufferUsageFlags usage = kStorage);

  VkBuffer handle() const { return buffer_.get(); }
  VkDeviceSize size() const { return size_; }
  void* mapped() const { return mapped_; }
  // The mapped bytes viewed as `size() / sizeof(T)` values of T.
  template <class T>
  std::span<T> view() const {
    return {static_cast<T*>(mapped_), static_cast<size_t>(size_ / sizeof(T))};
  }

 private:
  Buffer() = default;

  // Declared before buffer_: the buffer is destroyed first, then its memory is freed.
  DeviceHandle<VkDeviceMemory, vkFreeMemory> memory_;
  DeviceHandle<VkBuffer, vkDestroyBuffer> buffer_;
  VkDeviceSize size_ = 0;
  void* mapped_ = nullptr;
};

}  // namespace lathe::vk
