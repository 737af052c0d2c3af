#pragma once
// A primary command buffer, freed back to its pool when destroyed, with the few recording calls
// compute work needs. Recording calls cannot fail; begin() and end() report errors.

#include <vulkan/vulkan.h>

#include <type_traits>

#include "core/result.h"
#include "vk/compute_pipeline.h"

namespace lathe::vk {

class CommandBuffer {
 public:
  CommandBuffer() = default;
  // Takes ownership of `buffer`, allocated from `pool` (see CommandPool::allocate()).
  CommandBuffer(VkDevice device, VkCommandPool pool, VkCommandBuffer buffer)
      : device_(device), pool_(pool), buffer_(buffer) {}
  CommandBuffer(CommandBuffer&& other) noexcept;
  CommandBuffer& operator=(CommandBuffer&& other) noexcept;
  CommandBuffer(const CommandBuffer&) = delete;
  CommandBuffer& operator=(const CommandBuffer&) = delete;
  ~CommandBuffer() { reset(); }

  VkCommandBuffer handle() const { return buffer_; }

  // Starts recording (one-time submit); an earlier recording is discarded.
  Result<void> begin();
  Result<void> end();

  void bind(const ComputePipeline& pipeline, VkDescriptorSet set);
  // Pushes `params` at offset 0; its size must be the pipeline's push-constant size.
  template <class T>
  void push_constants(const ComputePipeline& pipeline, const T& params) {
    static_assert(std::is_trivially_copyable_v<T>);
    push_constant_bytes(pipeline, &params, sizeof(T));
  }
  void dispatch(uint32_t groups_x, uint32_t groups_y = 1, uint32_t groups_z = 1);
  // Compute-shader writes become visible to later compute-shader reads.
  void compute_to_compute_barrier();
  // Compute-shader writes become visible to the host once the submission's fence is signalled.
  void compute_to_host_barrier();

 private:
  void push_constant_bytes(const ComputePipeline& pipeline, const void* data, uint32_t size);
  void memory_barrier(VkPipelineStageFlags dst_stage, VkAccessFlags dst_access);
  void reset();

  VkDevice device_ = VK_NULL_HANDLE;
  VkCommandPool pool_ = VK_NULL_HANDLE;
  VkCommandBuffer buffer_ = VK_NULL_HANDLE;
};

}  // namespace lathe::vk
