#pragma once
// A VK_EXT_debug_utils messenger that logs every warning and error the validation layer (or the
// loader) reports and counts them. Tests fail when the count is not zero; the app prints it.

#include <vulkan/vulkan.h>

#include <atomic>
#include <cstdint>
#include <memory>

#include "core/result.h"

namespace lathe::vk {

// Shared by the messenger and whoever wants to read the count after the instance is gone (messages
// about leaked objects arrive during vkDestroyInstance). Written from any thread.
struct ValidationMessages {
  std::atomic<uint64_t> warnings{0};
  std::atomic<uint64_t> errors{0};
  uint64_t count() const { return warnings.load() + errors.load(); }
};

// For VkInstanceCreateInfo::pNext, so messages from vkCreateInstance/vkDestroyInstance are counted.
// `sink` must outlive the instance.
VkDebugUtilsMessengerCreateInfoEXT messenger_create_info(ValidationMessages* sink);

class DebugMessenger {
 public:
  DebugMessenger() = default;
  // `instance` must have VK_EXT_debug_utils enabled; `sink` must outlive the messenger.
  static Result<DebugMessenger> create(VkInstance instance, PFN_vkGetInstanceProcAddr get_proc,
                                       ValidationMessages* sink);

  DebugMessenger(DebugMessenger&& other) noexcept;
  DebugMessenger& operator=(DebugMessenger&& other) noexcept;
  DebugMessenger(const DebugMessenger&) = delete;
  DebugMessenger& operator=(const DebugMessenger&) = delete;
  ~DebugMessenger() { reset(); }

  void reset();
  explicit operator bool() const { return messenger_ != VK_NULL_HANDLE; }

 private:
  VkInstance instance_ = VK_NULL_HANDLE;
  VkDebugUtilsMessengerEXT messenger_ = VK_NULL_HANDLE;
  PFN_vkDestroyDebugUtilsMessengerEXT destroy_ = nullptr;
};

}  // namespace lathe::vk
