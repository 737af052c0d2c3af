#include "vk/device.h"

#include <utility>

#include "core/log.h"
#include "vk/check.h"
#include "vk/physical_device.h"

namespace lathe::vk {

Result<Device> Device::create(const Instance& instance, const DeviceOptions& options) {
  Device d;
  d.physical_ = options.physical;
  if (d.physical_ == VK_NULL_HANDLE) {
    LATHE_TRY(d.physical_, select_physical_device(instance, options.index));
  }
  d.report_ = describe_device(d.physical_);
  if (d.report_.api_version < kRequiredApiVersion) {
    return make_error("vulkan: {} supports Vulkan {}.{} only, Lathe needs 1.2", d.report_.name,
                      VK_API_VERSION_MAJOR(d.report_.api_version),
                      VK_API_VERSION_MINOR(d.report_.api_version));
  }
  std::optional<uint32_t> family = compute_queue_family(d.physical_);
  if (!family) return make_error("vulkan: {} has no compute queue", d.report_.name);
  d.queue_family_ = *family;
  vkGetPhysicalDeviceMemoryProperties(d.physical_, &d.memory_);

  float priority = 1.0f;
  VkDeviceQueueCreateInfo queue{};
  queue.sType = VK_STRUCTURE_TYPE_DEVICE_QUEUE_CREATE_INFO;
  queue.queueFamilyIndex = d.queue_family_;
  queue.queueCount = 1;
  queue.pQueuePriorities = &priority;
  VkDeviceCreateInfo info{};
  info.sType = VK_STRUCTURE_TYPE_DEVICE_CREATE_INFO;
  info.queueCreateInfoCount = 1;
  info.pQueueCreateInfos = &queue;
  VK_TRY(vkCreateDevice(d.physical_, &info, nullptr, &d.device_));
  vkGetDeviceQueue(d.device_, d.queue_family_, 0, &d.queue_);
  log().info("vulkan: computing on {} ({}, {})", d.report_.name, device_type_name(d.report_.type),
             d.report_.driver_name);
  return d;
}

Device::Device(Device&& other) noexcept
    : device_(std::exchange(other.device_, VK_NULL_HANDLE)),
      physical_(other.physical_),
      queue_(other.queue_),
      queue_family_(other.queue_family_),
      memory_(other.memory_),
      report_(std::move(other.report_)) {}

Device& Device::operator=(Device&& other) noexcept {
  if (this != &other) {
    reset();
    device_ = std::exchange(other.device_, VK_NULL_HANDLE);
    physical_ = other.physical_;
    queue_ = other.queue_;
    queue_family_ = other.queue_family_;
    memory_ = other.memory_;
    report_ = std::move(other.report_);
  }
  return *this;
}

void Device::reset() {
  if (device_ != VK_NULL_HANDLE) {
    vkDeviceWaitIdle(device_);
    vkDestroyDevice(device_, nullptr);
  }
  device_ = VK_NULL_HANDLE;
}

Result<uint32_t> Device::find_memory_type(uint32_t type_bits, VkMemoryPropertyFlags required) const {
  for (uint32_t i = 0; i < memory_.memoryTypeCount; ++i) {
    if ((type_bits & (1u << i)) && (memory_.memoryTypes[i].propertyFlags & required) == required) return i;
  }
  return make_error("vulkan: {} has no memory type with flags {:#x} among types {:#x}", report_.name,
                    required, type_bits);
}

Result<void> Device::submit(VkCommandBuffer command_buffer, VkFence fence) const {
  VkSubmitInfo info{};
  info.sType = VK_STRUCTURE_TYPE_SUBMIT_INFO;
  info.commandBufferCount = 1;
  info.pCommandBuffers = &command_buffer;
  VK_TRY(vkQueueSubmit(queue_, 1, &info, fence));
  return {};
}

Result<void> Device::wait_idle() const {
  VK_TRY(vkDeviceWaitIdle(device_));
  return {};
}

}  // namespace lathe::vk
