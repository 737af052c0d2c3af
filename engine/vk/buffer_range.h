#pragma once
// A piece of a VkBuffer, as a descriptor binds it: ops take their inputs and outputs as ranges, so
// they do not care whether the memory came from a whole buffer or a sub-allocator's block.
// Every range an op binds must fit maxStorageBufferRange (128 MiB on lavapipe); tensors larger
// than that are bound in pieces by the op that reads them.

#include <vulkan/vulkan.h>

namespace lathe::vk {

struct BufferRange {
  VkBuffer buffer = VK_NULL_HANDLE;
  VkDeviceSize offset = 0;  // bytes; a multiple of minStorageBufferOffsetAlignment
  VkDeviceSize size = 0;    // bytes

  bool empty() const { return buffer == VK_NULL_HANDLE; }
  // Bytes [from, from + count) of this range.
  BufferRange sub(VkDeviceSize from, VkDeviceSize count) const { return {buffer, offset + from, count}; }
};

}  // namespace lathe::vk
