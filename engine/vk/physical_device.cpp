#include "vk/physical_device.h"

#include <string>

#include "vk/check.h"

namespace lathe::vk {
namespace {

int type_rank(VkPhysicalDeviceType type) {
  switch (type) {
    case VK_PHYSICAL_DEVICE_TYPE_DISCRETE_GPU:
      return 0;
    case VK_PHYSICAL_DEVICE_TYPE_INTEGRATED_GPU:
      return 1;
    case VK_PHYSICAL_DEVICE_TYPE_VIRTUAL_GPU:
      return 2;
    case VK_PHYSICAL_DEVICE_TYPE_CPU:
      return 3;
    default:
      return 4;
  }
}

// Empty when the device can run the engine, else why not.
std::string unusable_reason(VkPhysicalDevice device, uint32_t instance_api) {
  VkPhysicalDeviceProperties props;
  vkGetPhysicalDeviceProperties(device, &props);
  if (props.apiVersion < kRequiredApiVersion || instance_api < kRequiredApiVersion) {
    return fmt::format("{} supports Vulkan {}.{} only, Lathe needs 1.2", props.deviceName,
                       VK_API_VERSION_MAJOR(props.apiVersion), VK_API_VERSION_MINOR(props.apiVersion));
  }
  if (!compute_queue_family(device)) return fmt::format("{} has no compute queue", props.deviceName);
  return {};
}

}  // namespace

Result<std::vector<VkPhysicalDevice>> list_physical_devices(const Instance& instance) {
  uint32_t count = 0;
  VK_TRY(vkEnumeratePhysicalDevices(instance.handle(), &count, nullptr));
  std::vector<VkPhysicalDevice> devices(count);
  VK_TRY(vkEnumeratePhysicalDevices(instance.handle(), &count, devices.data()));
  devices.resize(count);
  return devices;
}

std::optional<uint32_t> compute_queue_family(VkPhysicalDevice device) {
  uint32_t count = 0;
  vkGetPhysicalDeviceQueueFamilyProperties(device, &count, nullptr);
  std::vector<VkQueueFamilyProperties> families(count);
  vkGetPhysicalDeviceQueueFamilyProperties(device, &count, families.data());
  std::optional<uint32_t> any;
  for (uint32_t i = 0; i < count; ++i) {
    VkQueueFlags flags = families[i].queueFlags;
    if (!(flags & VK_QUEUE_COMPUTE_BIT) || families[i].queueCount == 0) continue;
    if (!(flags & VK_QUEUE_GRAPHICS_BIT)) return i;
    if (!any) any = i;
  }
  return any;
}

Result<VkPhysicalDevice> select_physical_device(const Instance& instance, std::optional<uint32_t> index) {
  LATHE_TRY(std::vector<VkPhysicalDevice> devices, list_physical_devices(instance));
  if (devices.empty()) {
    return make_error(
        "vulkan: no Vulkan device found (is a Vulkan driver installed? Debian: mesa-vulkan-drivers)");
  }
  if (index) {
    if (*index >= devices.size()) {
      return make_error("vulkan: device index {} requested but only {} device(s) found", *index,
                        devices.size());
    }
    std::string reason = unusable_reason(devices[*index], instance.api_version());
    if (!reason.empty()) return make_error("vulkan: device {}: {}", *index, reason);
    return devices[*index];
  }
  VkPhysicalDevice best = VK_NULL_HANDLE;
  int best_rank = 1 << 30;
  std::string reasons;
  for (VkPhysicalDevice device : devices) {
    std::string reason = unusable_reason(device, instance.api_version());
    if (!reason.empty()) {
      reasons += (reasons.empty() ? "" : "; ") + reason;
      continue;
    }
    VkPhysicalDeviceProperties props;
    vkGetPhysicalDeviceProperties(device, &props);
    int rank = type_rank(props.deviceType);
    if (rank < best_rank) {
      best = device;
      best_rank = rank;
    }
  }
  if (best == VK_NULL_HANDLE) return make_error("vulkan: no usable device: {}", reasons);
  return best;
}

}  // namespace lathe::vk
