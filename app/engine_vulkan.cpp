#include "engine_vulkan.h"

namespace lathe::app {

void EngineVulkan::shut_down() {
  device.reset();
  instance.reset();
}

QString configure_qt_instance(QVulkanInstance& qt, bool validation) {
  qt.setApiVersion(QVersionNumber(1, 2));
  if (!validation) return {};
  if (!qt.supportedLayers().contains(vk::kValidationLayer)) {
    return QStringLiteral("LATHE_VK_VALIDATION=1 but %1 is not installed (Debian: vulkan-validationlayers)")
        .arg(vk::kValidationLayer);
  }
  qt.setLayers({vk::kValidationLayer});
  qt.setExtensions({VK_EXT_DEBUG_UTILS_EXTENSION_NAME});
  // The engine's messenger logs and counts; Qt's own debug-report redirect would only repeat it.
  qt.setFlags(QVulkanInstance::NoDebugOutputRedirect);
  return {};
}

EngineVulkan start_engine_vulkan(QVulkanInstance& qt, bool validation, std::optional<uint32_t> device_index) {
  EngineVulkan e;
  QVersionNumber v = qt.apiVersion();
  vk::AdoptOptions options;
  options.get_proc_addr =
      reinterpret_cast<PFN_vkGetInstanceProcAddr>(qt.getInstanceProcAddr("vkGetInstanceProcAddr"));
  options.api_version = VK_MAKE_API_VERSION(0, v.majorVersion(), v.minorVersion(), 0);
  options.debug_utils = validation && qt.extensions().contains(VK_EXT_DEBUG_UTILS_EXTENSION_NAME);
  Result<vk::Instance> instance = vk::Instance::adopt(qt.vkInstance(), options);
  if (!instance.ok()) {
    e.error = QString::fromStdString(instance.error().message);
    return e;
  }
  e.instance.emplace(std::move(instance).value());
  if (e.instance->validation()) e.messages = e.instance->messages();

  Result<vk::Device> device = vk::Device::create(*e.instance, {.index = device_index});
  if (!device.ok()) {
    e.error = QString::fromStdString(device.error().message);
    return e;
  }
  e.device.emplace(std::move(device).value());
  return e;
}

}  // namespace lathe::app
