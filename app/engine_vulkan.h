#pragma once
// The engine's side of the one Vulkan instance the app shares with Qt Quick: the adopted instance
// (with the validation messenger when LATHE_VK_VALIDATION=1) and the engine's compute device.
// Later an EngineWorker owns the device on its own thread; for now it is created at start-up.

#include <QString>
#include <QVulkanInstance>
#include <memory>
#include <optional>

#include "vk/device.h"
#include "vk/instance.h"

namespace lathe::app {

struct EngineVulkan {
  std::optional<vk::Instance> instance;
  std::optional<vk::Device> device;
  std::shared_ptr<const vk::ValidationMessages> messages;  // null without validation
  QString error;  // why there is no device, in words for the Settings page

  // Destroys the device, then the messenger; the QVulkanInstance stays.
  void shut_down();
};

// Prepares `qt` (not yet created): Vulkan 1.2, and with `validation` the Khronos layer plus
// VK_EXT_debug_utils so the engine's messenger sees every message, Qt Quick's included. Returns an
// error when validation is requested but the layer is missing.
QString configure_qt_instance(QVulkanInstance& qt, bool validation);

// Adopts the created `qt` instance and creates the engine's device (at `device_index` if given).
EngineVulkan start_engine_vulkan(QVulkanInstance& qt, bool validation, std::optional<uint32_t> device_index);

}  // namespace lathe::app
