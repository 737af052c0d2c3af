#pragma once
// Choosing the physical device the engine computes on.

#include <vulkan/vulkan.h>

#include <optional>
#include <vector>

#include "core/result.h"
#include "vk/instance.h"

namespace lathe::vk {

// Every physical device the instance sees, in the driver's order (the order indices refer to).
Result<std::vector<VkPhysicalDevice>> list_physical_devices(const Instance& instance);

// The device at `index` when given; otherwise the best usable one: a discrete GPU, else an
// integrated one, else anything else (virtual, CPU such as lavapipe). Usable means Vulkan 1.2 and a
// compute queue. The error says what was found when nothing fits.
Result<VkPhysicalDevice> select_physical_device(const Instance& instance, std::optional<uint32_t> index = {});

// The queue family the engine computes on: compute-only when there is one (it runs beside the
// graphics queue), else any family with compute.
std::optional<uint32_t> compute_queue_family(VkPhysicalDevice device);

}  // namespace lathe::vk
