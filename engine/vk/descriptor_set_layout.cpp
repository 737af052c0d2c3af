#include "vk/descriptor_set_layout.h"

#include <vector>

#include "vk/check.h"

namespace lathe::vk {

Result<DescriptorSetLayout> DescriptorSetLayout::create_storage_buffers(const Device& device,
                                                                        uint32_t count) {
  std::vector<VkDescriptorSetLayoutBinding> bindings(count);
  for (uint32_t i = 0; i < count; ++i) {
    bindings[i] = {i, VK_DESCRIPTOR_TYPE_STORAGE_BUFFER, 1, VK_SHADER_STAGE_COMPUTE_BIT, nullptr};
  }
  VkDescriptorSetLayoutCreateInfo info{};
  info.sType = VK_STRUCTURE_TYPE_DESCRIPTOR_SET_LAYOUT_CREATE_INFO;
  info.bindingCount = count;
  info.pBindings = bindings.data();
  VkDescriptorSetLayout layout = VK_NULL_HANDLE;
  VK_TRY(vkCreateDescriptorSetLayout(device.handle(), &info, nullptr, &layout));
  DescriptorSetLayout l;
  l.layout_ = {device.handle(), layout};
  l.count_ = count;
  return l;
}

}  // namespace lathe::vk
