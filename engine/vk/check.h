#pragma once
// VK_TRY(vkCall(...)); — returns an Error from the enclosing function when the call does not return
// VK_SUCCESS. The message names the call, the file:line and the VkResult:
//   "vkCreateBuffer failed with VK_ERROR_OUT_OF_DEVICE_MEMORY (vk/buffer.cpp:31)"

#include <vulkan/vulkan.h>

#include "core/result.h"

namespace lathe::vk {

// "VK_ERROR_DEVICE_LOST", or "VkResult(<number>)" for a value this build does not know.
std::string result_name(VkResult result);

// The Error VK_TRY returns. `call` is the stringified call; only the function name is kept.
Error call_error(const char* call, VkResult result, const char* file, int line);

}  // namespace lathe::vk

#define VK_TRY(call)                                                              \
  do {                                                                            \
    VkResult lathe_vk_result = (call);                                            \
    if (lathe_vk_result != VK_SUCCESS) {                                          \
      return ::lathe::vk::call_error(#call, lathe_vk_result, __FILE__, __LINE__); \
    }                                                                             \
  } while (0)
