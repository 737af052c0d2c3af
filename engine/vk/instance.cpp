#include "vk/instance.h"

#include <cstdlib>
#include <cstring>
#include <string_view>
#include <utility>
#include <vector>

#include "core/log.h"
#include "vk/check.h"

namespace lathe::vk {
namespace {

Result<bool> layer_installed(const char* name) {
  uint32_t count = 0;
  VK_TRY(vkEnumerateInstanceLayerProperties(&count, nullptr));
  std::vector<VkLayerProperties> layers(count);
  VK_TRY(vkEnumerateInstanceLayerProperties(&count, layers.data()));
  for (uint32_t i = 0; i < count; ++i) {
    if (std::strcmp(layers[i].layerName, name) == 0) return true;
  }
  return false;
}

std::string version_string(uint32_t v) {
  return fmt::format("{}.{}.{}", VK_API_VERSION_MAJOR(v), VK_API_VERSION_MINOR(v), VK_API_VERSION_PATCH(v));
}

}  // namespace

bool validation_requested() {
  const char* value = std::getenv("LATHE_VK_VALIDATION");
  return value != nullptr && std::string_view(value) == "1";
}

Result<Instance> Instance::create(const InstanceOptions& options) {
  uint32_t loader_version = VK_API_VERSION_1_0;
  VK_TRY(vkEnumerateInstanceVersion(&loader_version));
  if (loader_version < kRequiredApiVersion) {
    return make_error("vulkan: the loader supports Vulkan {}, Lathe needs {}", version_string(loader_version),
                      version_string(kRequiredApiVersion));
  }

  Instance instance;
  std::vector<const char*> layers;
  std::vector<const char*> extensions;
  if (options.validation) {
    LATHE_TRY(bool installed, layer_installed(kValidationLayer));
    if (!installed) {
      return make_error(
          "vulkan: validation was requested (LATHE_VK_VALIDATION=1) but {} is not installed "
          "(Debian: apt-get install vulkan-validationlayers)",
          kValidationLayer);
    }
    layers.push_back(kValidationLayer);
    // Both are provided by the layer itself.
    extensions.push_back(VK_EXT_DEBUG_UTILS_EXTENSION_NAME);
    extensions.push_back(VK_EXT_VALIDATION_FEATURES_EXTENSION_NAME);
  }

  VkApplicationInfo app{};
  app.sType = VK_STRUCTURE_TYPE_APPLICATION_INFO;
  app.pApplicationName = options.application_name;
  app.pEngineName = "lathe";
  app.apiVersion = kRequiredApiVersion;
  VkInstanceCreateInfo info{};
  info.sType = VK_STRUCTURE_TYPE_INSTANCE_CREATE_INFO;
  info.pApplicationInfo = &app;
  info.enabledLayerCount = static_cast<uint32_t>(layers.size());
  info.ppEnabledLayerNames = layers.data();
  info.enabledExtensionCount = static_cast<uint32_t>(extensions.size());
  info.ppEnabledExtensionNames = extensions.data();
  // Messages during vkCreateInstance/vkDestroyInstance reach this messenger. Synchronization
  // validation is on too: a missing barrier between dispatches is a message like any other.
  VkDebugUtilsMessengerCreateInfoEXT messenger_info = messenger_create_info(instance.messages_.get());
  VkValidationFeatureEnableEXT enabled_features[] = {
      VK_VALIDATION_FEATURE_ENABLE_SYNCHRONIZATION_VALIDATION_EXT};
  VkValidationFeaturesEXT features{};
  features.sType = VK_STRUCTURE_TYPE_VALIDATION_FEATURES_EXT;
  features.pNext = &messenger_info;
  features.enabledValidationFeatureCount = 1;
  features.pEnabledValidationFeatures = enabled_features;
  if (options.validation) info.pNext = &features;

  VK_TRY(vkCreateInstance(&info, nullptr, &instance.instance_));
  instance.owned_ = true;
  instance.api_version_ = kRequiredApiVersion;
  instance.get_proc_ = vkGetInstanceProcAddr;
  if (options.validation) {
    LATHE_TRY(instance.messenger_,
              DebugMessenger::create(instance.instance_, instance.get_proc_, instance.messages_.get()));
    log().info("vulkan: validation layer enabled");
  }
  return instance;
}

Result<Instance> Instance::adopt(VkInstance handle, const AdoptOptions& options) {
  if (handle == VK_NULL_HANDLE) return make_error("vulkan: cannot adopt a null VkInstance");
  if (options.api_version < kRequiredApiVersion) {
    return make_error("vulkan: the shared instance was created for Vulkan {}, Lathe needs {}",
                      version_string(options.api_version), version_string(kRequiredApiVersion));
  }
  Instance instance;
  instance.instance_ = handle;
  instance.owned_ = false;
  instance.api_version_ = options.api_version;
  instance.get_proc_ = options.get_proc_addr != nullptr ? options.get_proc_addr : vkGetInstanceProcAddr;
  if (options.debug_utils) {
    LATHE_TRY(instance.messenger_,
              DebugMessenger::create(instance.instance_, instance.get_proc_, instance.messages_.get()));
  }
  return instance;
}

Instance::Instance(Instance&& other) noexcept
    : instance_(std::exchange(other.instance_, VK_NULL_HANDLE)),
      owned_(std::exchange(other.owned_, false)),
      api_version_(other.api_version_),
      get_proc_(other.get_proc_),
      messages_(other.messages_),
      messenger_(std::move(other.messenger_)) {}

Instance& Instance::operator=(Instance&& other) noexcept {
  if (this != &other) {
    reset();
    instance_ = std::exchange(other.instance_, VK_NULL_HANDLE);
    owned_ = std::exchange(other.owned_, false);
    api_version_ = other.api_version_;
    get_proc_ = other.get_proc_;
    messages_ = other.messages_;
    messenger_ = std::move(other.messenger_);
  }
  return *this;
}

void Instance::reset() {
  messenger_.reset();
  if (owned_ && instance_ != VK_NULL_HANDLE) vkDestroyInstance(instance_, nullptr);
  instance_ = VK_NULL_HANDLE;
  owned_ = false;
}

}  // namespace lathe::vk
