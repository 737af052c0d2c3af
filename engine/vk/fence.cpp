#include "vk/fence.h"

#include "vk/check.h"

namespace lathe::vk {

Result<Fence> Fence::create(const Device& device, bool signaled) {
  VkFenceCreateInfo info{};
  info.sType = VK_STRUCTURE_TYPE_FENCE_CREATE_INFO;
  if (signaled) info.flags = VK_FENCE_CREATE_SIGNALED_BIT;
  VkFence fence = VK_NULL_HANDLE;
  VK_TRY(vkCreateFence(device.handle(), &info, nullptr, &fence));
  Fence f;
  f.fence_ = {device.handle(), fence};
  return f;
}

Result<void> Fence::wait(uint64_t timeout_ns) const {
  VkFence fence = fence_.get();
  VkResult result = vkWaitForFences(fence_.device(), 1, &fence, VK_TRUE, timeout_ns);
  if (result == VK_TIMEOUT) {
    return make_error("vulkan: the GPU did not finish within {} ms", timeout_ns / 1000000);
  }
  VK_TRY(result);
  return {};
}

Result<void> Fence::reset() const {
  VkFence fence = fence_.get();
  VK_TRY(vkResetFences(fence_.device(), 1, &fence));
  return {};
}

}  // namespace lathe::vk
