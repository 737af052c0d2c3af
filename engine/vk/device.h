#pragma once
// The engine's logical device: one compute queue on the chosen physical device. It never shares
// Qt's VkDevice; it may share the VkPhysicalDevice Qt Quick renders on.

#include <vulkan/vulkan.h>

#include <optional>

#include "core/result.h"
#include "vk/device_report.h"
#include "vk/instance.h"

namespace lathe::vk {

struct DeviceOptions {
  VkPhysicalDevice physical = VK_NULL_HANDLE;  // use this one (e.g. the one Qt renders on), or
  std::optional<uint32_t> index;               // the one at this enumeration index, or the best one
};

class Device {
 public:
  // `instance` must outlive the device.
  static Result<Device> create(const Instance& instance, const DeviceOptions& options = {});

  Device(Device&& other) noexcept;
  Device& operator=(Device&& other) noexcept;
  Device(const Device&) = delete;
  Device& operator=(const Device&) = delete;
  ~Device() { reset(); }

  VkDevice handle() const { return device_; }
  VkPhysicalDevice physical() const { return physical_; }
  VkQueue queue() const { return queue_; }
  uint32_t queue_family() const { return queue_family_; }
  const DeviceReport& report() const { return report_; }

  // A memory type allowed by `type_bits` with all of `required`; the error names what was missing.
  Result<uint32_t> find_memory_type(uint32_t type_bits, VkMemoryPropertyFlags required) const;
  // Submits one recorded command buffer; `fence` (may be null) is signalled when it completes.
  Result<void> submit(VkCommandBuffer command_buffer, VkFence fence) const;
  Result<void> wait_idle() const;

 private:
  Device() = default;
  void reset();

  VkDevice device_ = VK_NULL_HANDLE;
  VkPhysicalDevice physical_ = VK_NULL_HANDLE;
  VkQueue queue_ = VK_NULL_HANDLE;
  uint32_t queue_family_ = 0;
  VkPhysicalDeviceMemoryProperties memory_{};
  DeviceReport report_;
};

}  // namespace lathe::vk
