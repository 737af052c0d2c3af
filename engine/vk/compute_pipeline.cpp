#include "vk/compute_pipeline.h"

#include "vk/check.h"

namespace lathe::vk {

Result<ComputePipeline> ComputePipeline::create(const Device& device, const ShaderModule& shader,
                                                const DescriptorSetLayout& set_layout,
                                                uint32_t push_constant_bytes) {
  if (push_constant_bytes % 4 != 0) {
    return make_error("[{}] push constants of {} bytes: not a multiple of 4", shader.name(),
                      push_constant_bytes);
  }
  ComputePipeline p;
  p.name_ = shader.name();
  p.push_constant_bytes_ = push_constant_bytes;

  VkPushConstantRange range{VK_SHADER_STAGE_COMPUTE_BIT, 0, push_constant_bytes};
  VkDescriptorSetLayout set_layout_handle = set_layout.handle();
  VkPipelineLayoutCreateInfo layout_info{};
  layout_info.sType = VK_STRUCTURE_TYPE_PIPELINE_LAYOUT_CREATE_INFO;
  layout_info.setLayoutCount = 1;
  layout_info.pSetLayouts = &set_layout_handle;
  layout_info.pushConstantRangeCount = push_constant_bytes > 0 ? 1 : 0;
  layout_info.pPushConstantRanges = &range;
  VkPipelineLayout layout = VK_NULL_HANDLE;
  VK_TRY(vkCreatePipelineLayout(device.handle(), &layout_info, nullptr, &layout));
  p.layout_ = {device.handle(), layout};

  VkComputePipelineCreateInfo info{};

  info.sType = VK_STRUCTURE_TYPE_COMPUTE_PIPELINE_CREATE_INFO;
  info.stage = {};
  info.stage.sType = VK_STRUCTURE_TYPE_PIPELINE_SHADER_STAGE_CREATE_INFO;
  info.stage.stage = VK_SHADER_STAGE_COMPUTE_BIT;
  info.stage.module = shader.handle();
  info.stage.pName = "main";
  info.layout = layout;
  VkPipeline pipeline = VK_NULL_HANDLE;
  VK_TRY(vkCreateComputePipelines(device.handle(), VK_NULL_HANDLE, 1, &info, nullptr, &pipeline));
  p.pipeline_ = {device.handle(), pipeline};
  return p;
}

}  // namespace lathe::vk
