#include "vk/shader_module.h"

#include "embedded.h"
#include "vk/check.h"

namespace lathe::vk {

Result<ShaderModule> ShaderModule::create_embedded(const Device& device, const std::string& name) {
  const EmbeddedShader* shader = find_shader(name.c_str());
  if (shader == nullptr) return make_error("[{}] no such shader is embedded in this build", name);
  return create(device, {shader->code, shader->words}, name);
}

Result<ShaderModule> ShaderModule::create(const Device& device, std::span<const uint32_t> spirv,
                                          std::string name) {
  if (spirv.empty()) return make_error("[{}] empty SPIR-V", name);
  VkShaderModuleCreateInfo info{};
  info.sType = VK_STRUCTURE_TYPE_SHADER_MODULE_CREATE_INFO;
  info.codeSize = spirv.size_bytes();
  info.pCode = spirv.data();
  VkShaderModule module = VK_NULL_HANDLE;
  VK_TRY(vkCreateShaderModule(device.handle(), &info, nullptr, &module));
  ShaderModule m;
  m.module_ = {device.handle(), module};
  m.name_ = std::move(name);
  return m;
}

}  // namespace lathe::vk
