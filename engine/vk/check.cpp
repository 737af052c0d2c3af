#include "vk/check.h"

#include <string_view>

namespace lathe::vk {

std::string result_name(VkResult result) {
  switch (result) {
#define LATHE_VK_RESULT(name) \
  case name:                  \
    return #name;
    LATHE_VK_RESULT(VK_SUCCESS)
    LATHE_VK_RESULT(VK_NOT_READY)
    LATHE_VK_RESULT(VK_TIMEOUT)
    LATHE_VK_RESULT(VK_EVENT_SET)
    LATHE_VK_RESULT(VK_EVENT_RESET)
    LATHE_VK_RESULT(VK_INCOMPLETE)
    LATHE_VK_RESULT(VK_ERROR_OUT_OF_HOST_MEMORY)
    LATHE_VK_RESULT(VK_ERROR_OUT_OF_DEVICE_MEMORY)
    LATHE_VK_RESULT(VK_ERROR_INITIALIZATION_FAILED)
    LATHE_VK_RESULT(VK_ERROR_DEVICE_LOST)
    LATHE_VK_RESULT(VK_ERROR_MEMORY_MAP_FAILED)
    LATHE_VK_RESULT(VK_ERROR_LAYER_NOT_PRESENT)
    LATHE_VK_RESULT(VK_ERROR_EXTENSION_NOT_PRESENT)
    LATHE_VK_RESULT(VK_ERROR_FEATURE_NOT_PRESENT)
    LATHE_VK_RESULT(VK_ERROR_INCOMPATIBLE_DRIVER)
    LATHE_VK_RESULT(VK_ERROR_TOO_MANY_OBJECTS)
    LATHE_VK_RESULT(VK_ERROR_FORMAT_NOT_SUPPORTED)
    LATHE_VK_RESULT(VK_ERROR_FRAGMENTED_POOL)
    LATHE_VK_RESULT(VK_ERROR_UNKNOWN)
    LATHE_VK_RESULT(VK_ERROR_OUT_OF_POOL_MEMORY)
    LATHE_VK_RESULT(VK_ERROR_INVALID_EXTERNAL_HANDLE)
    LATHE_VK_RESULT(VK_ERROR_FRAGMENTATION)
    LATHE_VK_RESULT(VK_ERROR_INVALID_OPAQUE_CAPTURE_ADDRESS)
    LATHE_VK_RESULT(VK_PIPELINE_COMPILE_REQUIRED)
    LATHE_VK_RESULT(VK_ERROR_SURFACE_LOST_KHR)
    LATHE_VK_RESULT(VK_ERROR_NATIVE_WINDOW_IN_USE_KHR)
    LATHE_VK_RESULT(VK_SUBOPTIMAL_KHR)
    LATHE_VK_RESULT(VK_ERROR_OUT_OF_DATE_KHR)
    LATHE_VK_RESULT(VK_ERROR_INCOMPATIBLE_DISPLAY_KHR)
    LATHE_VK_RESULT(VK_ERROR_VALIDATION_FAILED_EXT)
    LATHE_VK_RESULT(VK_ERROR_INVALID_SHADER_NV)
#undef LATHE_VK_RESULT
    default:
      return "VkResult(" + std::to_string(static_cast<int>(result)) + ")";
  }
}

Error call_error(const char* call, VkResult result, const char* file, int line) {
  std::string_view name(call);
  name = name.substr(0, name.find('('));
  // Keep the path from the engine folder on: "vk/buffer.cpp".
  std::string_view where(file);
  if (size_t engine = where.rfind("engine/"); engine != std::string_view::npos) {
    where.remove_prefix(engine + 7);
  }
  return make_error("{} failed with {} ({}:{})", name, result_name(result), where, line);
}

}  // namespace lathe::vk
