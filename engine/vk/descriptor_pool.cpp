#include "vk/descriptor_pool.h"

#include <vector>

#include "vk/check.h"

namespace lathe::vk {

Result<DescriptorPool> DescriptorPool::create(const Device& device, uint32_t max_sets, uint32_t max_buffers) {
  VkDescriptorPoolSize size{VK_DESCRIPTOR_TYPE_STORAGE_BUFFER, max_buffers};
  VkDescriptorPoolCreateInfo info{};
  info.sType = VK_STRUCTURE_TYPE_DESCRIPTOR_POOL_CREATE_INFO;
  info.maxSets = max_sets;
  info.poolSizeCount = 1;
  info.pPoolSizes = &size;
  VkDescriptorPool pool = VK_NULL_HANDLE;
  VK_TRY(vkCreateDescriptorPool(device.handle(), &info, nullptr, &pool));
  DescriptorPool p;
  p.pool_ = {device.handle(), pool};
  return p;
}

Result<VkDescriptorSet> DescriptorPool::allocate(const DescriptorSetLayout& layout,
                                                 std::span<const BufferBinding> buffers) {
  if (buffers.size() != layout.binding_count()) {
    return make_error("vulkan: descriptor set has {} bindings but {} buffers were given",
                      layout.binding_count(), buffers.size());
  }
  VkDescriptorSetLayout layout_handle = layout.handle();
  VkDescriptorSetAllocateInfo alloc{};
  alloc.sType = VK_STRUCTURE_TYPE_DESCRIPTOR_SET_ALLOCATE_INFO;
  alloc.descriptorPool = pool_.get();
  alloc.descriptorSetCount = 1;
  alloc.pSetLayouts = &layout_handle;
  VkDescriptorSet set = VK_NULL_HANDLE;
  VK_TRY(vkAllocateDescriptorSets(pool_.device(), &alloc, &set));

  std::vector<VkDescriptorBufferInfo> infos(buffers.size());
  std::vector<VkWriteDescriptorSet> writes(buffers.size());
  for (size_t i = 0; i < buffers.size(); ++i) {
    infos[i] = {buffers[i].buffer, buffers[i].offset, buffers[i].range};
    writes[i] = {};
    writes[i].sType = VK_STRUCTURE_TYPE_WRITE_DESCRIPTOR_SET;
    writes[i].dstSet = set;
    writes[i].dstBinding = static_cast<uint32_t>(i);
    writes[i].descriptorCount = 1;
    writes[i].descriptorType = VK_DESCRIPTOR_TYPE_STORAGE_BUFFER;
    writes[i].pBufferInfo = &infos[i];
  }
  vkUpdateDescriptorSets(pool_.device(), static_cast<uint32_t>(writes.size()), writes.data(), 0, nullptr);
  return set;
}

Result<void> DescriptorPool::reset() {
  VK_TRY(vkResetDescriptorPool(pool_.device(), pool_.get(), 0));
  return {};
}

}  // namespace lathe::vk
