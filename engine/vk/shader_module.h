#pragma once
// A VkShaderModule made from SPIR-V embedded at build time (shaders/*.comp).

#include <vulkan/vulkan.h>

#include <span>
#include <string>

#include "core/result.h"
#include "vk/device.h"
#include "vk/handle.h"

namespace lathe::vk {

class ShaderModule {
 public:
  // The shader compiled from shaders/<name>.comp; an error when no such shader is embedded.
  static Result<ShaderModule> create_embedded(const Device& device, const std::string& name);
  static Result<ShaderModule> create(const Device& device, std::span<const uint32_t> spirv, std::string name);

  VkShaderModule handle() const { return module_.get(); }
  const std::string& name() const { return name_; }

 private:
  ShaderModule() = default;

  DeviceHandle<VkShaderModule, vkDestroyShaderModule> module_;
  std::string name_;
};

}  // namespace lathe::vk
