#pragma once
// A compute pipeline and its layout: one descriptor set layout and one push-constant range.

#include <vulkan/vulkan.h>

#include <string>

#include "core/result.h"
#include "vk/descriptor_set_layout.h"
#include "vk/device.h"
#include "vk/handle.h"
#include "vk/shader_module.h"

namespace lathe::vk {

class ComputePipeline {
 public:
  // `push_constant_bytes` (a multiple of 4, may be 0) are visible to the compute stage at offset 0.
  // The shader module may be destroyed once the pipeline exists.
  static Result<ComputePipeline> create(const Device& device, const ShaderModule& shader,
                                        const DescriptorSetLayout& set_layout, uint32_t push_constant_bytes);

  VkPipeline handle() const { return pipeline_.get(); }
  VkPipelineLayout layout() const { return layout_.get(); }
  uint32_t push_constant_bytes() const { return push_constant_bytes_; }
  const std::string& name() const { return name_; }

 private:
  ComputePipeline() = default;

  DeviceHandle<VkPipelineLayout, vkDestroyPipelineLayout> layout_;
  DeviceHandle<VkPipeline, vkDestroyPipeline> pipeline_;
  uint32_t push_constant_bytes_ = 0;
  std::string name_;
};

}  // namespace lathe::vk
