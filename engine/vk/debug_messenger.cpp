#include "vk/debug_messenger.h"

#include <utility>

#include "core/log.h"
#include "vk/check.h"

namespace lathe::vk {
namespace {

VKAPI_ATTR VkBool32 VKAPI_CALL on_message(VkDebugUtilsMessageSeverityFlagBitsEXT severity,
                                          VkDebugUtilsMessageTypeFlagsEXT /*types*/,
                                          const VkDebugUtilsMessengerCallbackDataEXT* data, void* user) {
  auto* sink = static_cast<ValidationMessages*>(user);
  const char* id = data->pMessageIdName != nullptr ? data->pMessageIdName : "";
  const char* text = data->pMessage != nullptr ? data->pMessage : "";
  if (severity & VK_DEBUG_UTILS_MESSAGE_SEVERITY_ERROR_BIT_EXT) {
    sink->errors.fetch_add(1);
    log().error("vulkan validation: [{}] {}", id, text);
  } else {
    sink->warnings.fetch_add(1);
    log().warn("vulkan validation: [{}] {}", id, text);
  }
  return VK_FALSE;  // never abort the call that triggered the message
}

}  // namespace

VkDebugUtilsMessengerCreateInfoEXT messenger_create_info(ValidationMessages* sink) {
  VkDebugUtilsMessengerCreateInfoEXT info{};
  info.sType = VK_STRUCTURE_TYPE_DEBUG_UTILS_MESSENGER_CREATE_INFO_EXT;
  info.messageSeverity =
      VK_DEBUG_UTILS_MESSAGE_SEVERITY_WARNING_BIT_EXT | VK_DEBUG_UTILS_MESSAGE_SEVERITY_ERROR_BIT_EXT;
  info.messageType = VK_DEBUG_UTILS_MESSAGE_TYPE_GENERAL_BIT_EXT |
                     VK_DEBUG_UTILS_MESSAGE_TYPE_VALIDATION_BIT_EXT |
                     VK_DEBUG_UTILS_MESSAGE_TYPE_PERFORMANCE_BIT_EXT;
  info.pfnUserCallback = on_message;
  info.pUserData = sink;
  return info;
}

Result<DebugMessenger> DebugMessenger::create(VkInstance instance, PFN_vkGetInstanceProcAddr get_proc,
                                              ValidationMessages* sink) {
  auto create_fn = reinterpret_cast<PFN_vkCreateDebugUtilsMessengerEXT>(
      get_proc(instance, "vkCreateDebugUtilsMessengerEXT"));
  auto destroy_fn = reinterpret_cast<PFN_vkDestroyDebugUtilsMessengerEXT>(
      get_proc(instance, "vkDestroyDebugUtilsMessengerEXT"));
  if (create_fn == nullptr || destroy_fn == nullptr) {
    return make_error("vulkan: the instance does not have VK_EXT_debug_utils enabled");
  }
  VkDebugUtilsMessengerCreateInfoEXT info = messenger_create_info(sink);
  DebugMessenger m;
  VK_TRY(create_fn(instance, &info, nullptr, &m.messenger_));
  m.instance_ = instance;
  m.destroy_ = destroy_fn;
  return m;
}

DebugMessenger::DebugMessenger(DebugMessenger&& other) noexcept
    : instance_(std::exchange(other.instance_, VK_NULL_HANDLE)),
      messenger_(std::exchange(other.messenger_, VK_NULL_HANDLE)),
      destroy_(std::exchange(other.destroy_, nullptr)) {}

DebugMessenger& DebugMessenger::operator=(DebugMessenger&& other) noexcept {
  if (this != &other) {
    reset();
    instance_ = std::exchange(other.instance_, VK_NULL_HANDLE);
    messenger_ = std::exchange(other.messenger_, VK_NULL_HANDLE);
    destroy_ = std::exchange(other.destroy_, nullptr);
  }
  return *this;
}

void DebugMessenger::reset() {
  if (messenger_ != VK_NULL_HANDLE) destroy_(instance_, messenger_, nullptr);
  messenger_ = VK_NULL_HANDLE;
}

}  // namespace lathe::vk
