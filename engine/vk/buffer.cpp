#include "vk/buffer.h"

#include "vk/check.h"

namespace lathe::vk {

Result<Buffer> Buffer::create_host_visible(const Device& device, VkDeviceSize size,
                                           VkBufferUsageFlags usage) {
  if (size == 0) return make_error("vulkan: cannot create a buffer of 0 bytes");
  VkDevice vk_device = device.handle();
  Buffer b;
  b.size_ = size;

  VkBufferCreateInfo info{};

  info.sType = VK_STRUCTURE_TYPE_BUFFER_CREATE_INFO;
  info.size = size;
  info.usage = usage;
  info.sharingMode = VK_SHARING_MODE_EXCLUSIVE;
  VkBuffer buffer = VK_NULL_HANDLE;
  VK_TRY(vkCreateBuffer(vk_device, &info, nullptr, &buffer));
  b.buffer_ = {vk_device, buffer};

  VkMemoryRequirements needs;
  vkGetBufferMemoryRequirements(vk_device, buffer, &needs);
  // Cached memory makes reading results back fast; coherent spares flushes. Cached is optional.
  constexpr VkMemoryPropertyFlags kVisible =
      VK_MEMORY_PROPERTY_HOST_VISIBLE_BIT | VK_MEMORY_PROPERTY_HOST_COHERENT_BIT;
  Result<uint32_t> type =
      device.find_memory_type(needs.memoryTypeBits, kVisible | VK_MEMORY_PROPERTY_HOST_CACHED_BIT);
  if (!type.ok()) type = device.find_memory_type(needs.memoryTypeBits, kVisible);
  if (!type.ok()) return make_error("vulkan: buffer of {} bytes: {}", size, type.error().message);

  VkMemoryAllocateInfo alloc{};

  alloc.sType = VK_STRUCTURE_TYPE_MEMORY_ALLOCATE_INFO;
  alloc.allocationSize = needs.size;
  alloc.memoryTypeIndex = *type;
  VkDeviceMemory memory = VK_NULL_HANDLE;
  VK_TRY(vkAllocateMemory(vk_device, &alloc, nullptr, &memory));
  b.memory_ = {vk_device, memory};
  VK_TRY(vkBindBufferMemory(vk_device, buffer, memory, 0));
  VK_TRY(vkMapMemory(vk_device, memory, 0, VK_WHOLE_SIZE, 0, &b.mapped_));
  return b;
}

}  // namespace lathe::vk
