#pragma once
// What a physical device is and can do, as far as Lathe cares. The smoke test prints it, the app's
// Settings page shows it, and later kernels choose their variants from it.

#include <vulkan/vulkan.h>

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

namespace lathe::vk {

struct MemoryHeapReport {
  uint64_t size = 0;
  bool device_local = false;
};

struct DeviceReport {
  std::string name;
  VkPhysicalDeviceType type = VK_PHYSICAL_DEVICE_TYPE_OTHER;
  uint32_t vendor_id = 0;
  uint32_t device_id = 0;
  uint32_t api_version = 0;
  std::string driver_name;     // "llvmpipe", "NVIDIA"
  std::string driver_info;     // "Mesa 22.3.6 (LLVM 15.0.6)"
  std::string driver_version;  // decoded the way the vendor packs it
  std::vector<MemoryHeapReport> heaps;
  uint32_t subgroup_size = 0;
  uint64_t max_storage_buffer_range = 0;
  uint32_t max_workgroup_invocations = 0;
  uint32_t max_shared_memory = 0;
  bool fp16 = false;                    // shaderFloat16 and 16-bit storage buffers
  bool int8 = false;                    // shaderInt8 and 8-bit storage buffers
  bool integer_dot_product = false;     // VK_KHR_shader_integer_dot_product
  bool cooperative_matrix_nv = false;   // VK_NV_cooperative_matrix
  bool cooperative_matrix_khr = false;  // VK_KHR_cooperative_matrix (extension advertised)
};

// Queries a device. Vulkan 1.2 properties and features are read only when the device has 1.2.
DeviceReport describe_device(VkPhysicalDevice device);

// "discrete GPU", "integrated GPU", "virtual GPU", "CPU", "other".
const char* device_type_name(VkPhysicalDeviceType type);

// The report as labelled rows, in display order: what the CLI prints and the app shows.
std::vector<std::pair<std::string, std::string>> report_rows(const DeviceReport& report);
// The rows as "label: value" lines.
std::string format_report(const DeviceReport& report);

}  // namespace lathe::vk
