#include "vk/device_report.h"

#include <fmt/format.h>

#include <cstring>

namespace lathe::vk {
namespace {

constexpr uint32_t kVendorNvidia = 0x10de;

bool has_extension(const std::vector<VkExtensionProperties>& extensions, const char* name) {
  for (const VkExtensionProperties& e : extensions) {
    if (std::strcmp(e.extensionName, name) == 0) return true;
  }
  return false;
}

std::vector<VkExtensionProperties> device_extensions(VkPhysicalDevice device) {
  uint32_t count = 0;
  if (vkEnumerateDeviceExtensionProperties(device, nullptr, &count, nullptr) != VK_SUCCESS) return {};
  std::vector<VkExtensionProperties> extensions(count);
  if (vkEnumerateDeviceExtensionProperties(device, nullptr, &count, extensions.data()) != VK_SUCCESS)
    return {};
  extensions.resize(count);
  return extensions;
}

std::string decode_driver_version(uint32_t vendor, uint32_t v) {
  if (vendor == kVendorNvidia) {
    return fmt::format("{}.{}.{}.{}", v >> 22, (v >> 14) & 0xff, (v >> 6) & 0xff, v & 0x3f);
  }
  return fmt::format("{}.{}.{}", VK_API_VERSION_MAJOR(v), VK_API_VERSION_MINOR(v), VK_API_VERSION_PATCH(v));
}

std::string bytes_string(uint64_t bytes) {
  if (bytes >= (uint64_t{1} << 30)) return fmt::format("{:.1f} GiB", static_cast<double>(bytes) / (1 << 30));
  return fmt::format("{} MiB", bytes >> 20);
}

const char* yes_no(bool b) { return b ? "yes" : "no"; }

}  // namespace

const char* device_type_name(VkPhysicalDeviceType type) {
  switch (type) {
    case VK_PHYSICAL_DEVICE_TYPE_DISCRETE_GPU:
      return "discrete GPU";
    case VK_PHYSICAL_DEVICE_TYPE_INTEGRATED_GPU:
      return "integrated GPU";
    case VK_PHYSICAL_DEVICE_TYPE_VIRTUAL_GPU:
      return "virtual GPU";
    case VK_PHYSICAL_DEVICE_TYPE_CPU:
      return "CPU";
    default:
      return "other";
  }
}

DeviceReport describe_device(VkPhysicalDevice device) {
  DeviceReport r;
  VkPhysicalDeviceProperties props;
  vkGetPhysicalDeviceProperties(device, &props);
  r.name = props.deviceName;
  r.type = props.deviceType;
  r.vendor_id = props.vendorID;
  r.device_id = props.deviceID;
  r.api_version = props.apiVersion;
  r.driver_version = decode_driver_version(props.vendorID, props.driverVersion);
  r.max_storage_buffer_range = props.limits.maxStorageBufferRange;
  r.max_workgroup_invocations = props.limits.maxComputeWorkGroupInvocations;
  r.max_shared_memory = props.limits.maxComputeSharedMemorySize;

  VkPhysicalDeviceMemoryProperties memory;
  vkGetPhysicalDeviceMemoryProperties(device, &memory);
  for (uint32_t i = 0; i < memory.memoryHeapCount; ++i) {
    r.heaps.push_back(
        {memory.memoryHeaps[i].size, (memory.memoryHeaps[i].flags & VK_MEMORY_HEAP_DEVICE_LOCAL_BIT) != 0});
  }

  std::vector<VkExtensionProperties> extensions = device_extensions(device);
  r.cooperative_matrix_khr = has_extension(extensions, "VK_KHR_cooperative_matrix");
  if (props.apiVersion < VK_API_VERSION_1_2) return r;

  // Vulkan 1.1/1.2 properties and features; the NV cooperative-matrix features when advertised.
  VkPhysicalDeviceDriverProperties driver{};
  driver.sType = VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_DRIVER_PROPERTIES;
  VkPhysicalDeviceVulkan11Properties v11{};
  v11.sType = VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_VULKAN_1_1_PROPERTIES;
  v11.pNext = &driver;
  VkPhysicalDeviceProperties2 props2{};
  props2.sType = VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_PROPERTIES_2;
  props2.pNext = &v11;
  vkGetPhysicalDeviceProperties2(device, &props2);
  r.driver_name = driver.driverName;
  r.driver_info = driver.driverInfo;
  r.subgroup_size = v11.subgroupSize;

  bool has_nv_coopmat = has_extension(extensions, VK_NV_COOPERATIVE_MATRIX_EXTENSION_NAME);
  VkPhysicalDeviceCooperativeMatrixFeaturesNV coopmat{};
  coopmat.sType = VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_COOPERATIVE_MATRIX_FEATURES_NV;
  VkPhysicalDeviceVulkan12Features f12{};
  f12.sType = VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_VULKAN_1_2_FEATURES;
  f12.pNext = has_nv_coopmat ? &coopmat : nullptr;
  VkPhysicalDeviceVulkan11Features f11{};
  f11.sType = VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_VULKAN_1_1_FEATURES;
  f11.pNext = &f12;
  VkPhysicalDeviceFeatures2 features{};
  features.sType = VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_FEATURES_2;
  features.pNext = &f11;
  vkGetPhysicalDeviceFeatures2(device, &features);
  r.fp16 = f12.shaderFloat16 && f11.storageBuffer16BitAccess;
  r.int8 = f12.shaderInt8 && f12.storageBuffer8BitAccess;
  r.cooperative_matrix_nv = has_nv_coopmat && coopmat.cooperativeMatrix;
  r.integer_dot_product = props.apiVersion >= VK_API_VERSION_1_3 ||
                          has_extension(extensions, VK_KHR_SHADER_INTEGER_DOT_PRODUCT_EXTENSION_NAME);
  return r;
}

std::vector<std::pair<std::string, std::string>> report_rows(const DeviceReport& r) {
  std::vector<std::pair<std::string, std::string>> rows;
  rows.emplace_back("Device", r.name);
  rows.emplace_back("Type", device_type_name(r.type));
  rows.emplace_back("Vendor / device id", fmt::format("{:04x} / {:04x}", r.vendor_id, r.device_id));
  rows.emplace_back("Vulkan",
                    fmt::format("{}.{}.{}", VK_API_VERSION_MAJOR(r.api_version),
                                VK_API_VERSION_MINOR(r.api_version), VK_API_VERSION_PATCH(r.api_version)));
  rows.emplace_back("Driver", fmt::format("{} {}", r.driver_name, r.driver_version));
  if (!r.driver_info.empty()) rows.emplace_back("Driver info", r.driver_info);
  for (size_t i = 0; i < r.heaps.size(); ++i) {
    rows.emplace_back(
        fmt::format("Memory heap {}", i),
        fmt::format("{}{}", bytes_string(r.heaps[i].size), r.heaps[i].device_local ? ", device-local" : ""));
  }
  rows.emplace_back("Subgroup size", std::to_string(r.subgroup_size));
  rows.emplace_back("Max storage buffer range", bytes_string(r.max_storage_buffer_range));
  rows.emplace_back("Max workgroup invocations", std::to_string(r.max_workgroup_invocations));
  rows.emplace_back("Shared memory per workgroup", fmt::format("{} KiB", r.max_shared_memory / 1024));
  rows.emplace_back("fp16 arithmetic + storage", yes_no(r.fp16));
  rows.emplace_back("int8 arithmetic + storage", yes_no(r.int8));
  rows.emplace_back("Integer dot product", yes_no(r.integer_dot_product));
  rows.emplace_back("Cooperative matrix (NV / KHR)", fmt::format("{} / {}", yes_no(r.cooperative_matrix_nv),
                                                                 yes_no(r.cooperative_matrix_khr)));
  return rows;
}

std::string format_report(const DeviceReport& report) {
  std::string out;
  for (const auto& [label, value] : report_rows(report)) out += fmt::format("{:<32}{}\n", label + ":", value);
  return out;
}

}  // namespace lathe::vk
