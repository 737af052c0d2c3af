#pragma once
// The engine's VkInstance: created here (CLI, tests, benchmarks) or adopted from the app, which
// creates one QVulkanInstance and shares it between Qt Quick and the engine.
//
// Validation: with LATHE_VK_VALIDATION=1 in the environment, create() enables
// VK_LAYER_KHRONOS_validation (with synchronization validation) and a debug messenger that logs and
// counts every warning and error.
// A requested layer that is not installed is an error, never silently dropped.

#include <vulkan/vulkan.h>

#include <memory>

#include "core/result.h"
#include "vk/debug_messenger.h"

namespace lathe::vk {

inline constexpr const char* kValidationLayer = "VK_LAYER_KHRONOS_validation";
// The Vulkan version the engine needs from instance and device (SPIR-V is built for vulkan1.2).
inline constexpr uint32_t kRequiredApiVersion = VK_API_VERSION_1_2;

// True when LATHE_VK_VALIDATION=1.
bool validation_requested();

struct InstanceOptions {
  const char* application_name = "lathe";
  bool validation = validation_requested();
};

// Core Vulkan functions are called through the loader Lathe links, which must be the one that created
// the instance (Qt loads the same system libvulkan); extension functions come from get_proc_addr.
struct AdoptOptions {
  PFN_vkGetInstanceProcAddr get_proc_addr = nullptr;  // nullptr: the loader's vkGetInstanceProcAddr
  uint32_t api_version = kRequiredApiVersion;         // what the instance was created with
  // The instance was created with VK_EXT_debug_utils (and the validation layer): install the
  // engine's messenger on it so messages are logged and counted, whoever causes them.
  bool debug_utils = false;
};

class Instance {
 public:
  static Result<Instance> create(const InstanceOptions& options = {});
  // Uses an instance someone else created and will destroy (after this object is gone).
  static Result<Instance> adopt(VkInstance instance, const AdoptOptions& options);

  Instance(Instance&& other) noexcept;
  Instance& operator=(Instance&& other) noexcept;
  Instance(const Instance&) = delete;
  Instance& operator=(const Instance&) = delete;
  ~Instance() { reset(); }

  VkInstance handle() const { return instance_; }
  uint32_t api_version() const { return api_version_; }
  PFN_vkGetInstanceProcAddr get_proc_addr() const { return get_proc_; }
  bool owned() const { return owned_; }
  // The messenger is installed: messages() counts what the validation layer reports.
  bool validation() const { return static_cast<bool>(messenger_); }
  // Stays readable after the instance is destroyed (leak reports come during vkDestroyInstance).
  std::shared_ptr<const ValidationMessages> messages() const { return messages_; }

 private:
  Instance() = default;
  void reset();

  VkInstance instance_ = VK_NULL_HANDLE;
  bool owned_ = false;
  uint32_t api_version_ = 0;
  PFN_vkGetInstanceProcAddr get_proc_ = nullptr;
  std::shared_ptr<ValidationMessages> messages_ = std::make_shared<ValidationMessages>();
  DebugMessenger messenger_;
};

}  // namespace lathe::vk
