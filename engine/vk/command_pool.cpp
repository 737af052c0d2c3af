#include "vk/command_pool.h"

#include "vk/check.h"

namespace lathe::vk {

Result<CommandPool> CommandPool::create(const Device& device) {
  VkCommandPoolCreateInfo info{};
  info.sType = VK_STRUCTURE_TYPE_COMMAND_POOL_CREATE_INFO;
  info.flags = VK_COMMAND_POOL_CREATE_RESET_COMMAND_BUFFER_BIT;
  info.queueFamilyIndex = device.queue_family();
  VkCommandPool pool = VK_NULL_HANDLE;
  VK_TRY(vkCreateCommandPool(device.handle(), &info, nullptr, &pool));
  CommandPool p;
  p.pool_ = {device.handle(), pool};
  return p;
}

Result<CommandBuffer> CommandPool::allocate() const {
  VkCommandBufferAllocateInfo info{};
  info.sType = VK_STRUCTURE_TYPE_COMMAND_BUFFER_ALLOCATE_INFO;
  info.commandPool = pool_.get();
  info.level = VK_COMMAND_BUFFER_LEVEL_PRIMARY;
  info.commandBufferCount = 1;
  VkCommandBuffer cb = VK_NULL_HANDLE;
  VK_TRY(vkAllocateCommandBuffers(pool_.device(), &info, &cb));
  return CommandBuffer(pool_.device(), pool_.get(), cb);
}

}  // namespace lathe::vk
