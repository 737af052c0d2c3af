// The Vulkan layer end to end: instance with validation, device, buffer, pipeline, descriptors,
// command buffer, fence. Every test that expects a clean run asserts that the validation layer
// reported nothing, counted after the instance is destroyed (leaks are reported then).
#include <gtest/gtest.h>
#include <vulkan/vulkan.h>

#include <cstdio>
#include <cstdlib>
#include <memory>
#include <span>
#include <string>

#include "vk/buffer.h"
#include "vk/check.h"
#include "vk/command_pool.h"
#include "vk/compute_pipeline.h"
#include "vk/descriptor_pool.h"
#include "vk/descriptor_set_layout.h"
#include "vk/device.h"
#include "vk/fence.h"
#include "vk/instance.h"
#include "vk/physical_device.h"
#include "vk/shader_module.h"

namespace lathe::vk {
namespace {

// fill.comp's push constants.
struct FillParams {
  uint32_t count;
  float value;
};

class VulkanTest : public ::testing::Test {
 protected:
  void SetUp() override { setenv("LATHE_VK_VALIDATION", "1", 1); }

  // A headless instance with validation on; its message counter is kept in messages_.
  Result<Instance> make_instance() {
    Result<Instance> instance = Instance::create();
    if (instance.ok()) {
      EXPECT_TRUE(instance->validation());
      messages_ = instance->messages();
    }
    return instance;
  }

  void expect_no_validation_messages() {
    ASSERT_NE(messages_, nullptr);
    EXPECT_EQ(messages_->count(), 0u) << messages_->errors << " errors and " << messages_->warnings
                                      << " warnings from the validation layer (logged above)";
  }

  std::shared_ptr<const ValidationMessages> messages_;
};

// Everything one fill.comp dispatch over a buffer of `count` floats needs.
struct FillKernel {
  Buffer buffer;
  ShaderModule shader;
  DescriptorSetLayout set_layout;
  ComputePipeline pipeline;
  DescriptorPool descriptor_pool;
  VkDescriptorSet set;
  CommandPool command_pool;
  CommandBuffer cmd;
  Fence fence;

  static Result<FillKernel> create(const Device& device, uint32_t count) {
    LATHE_TRY(Buffer buffer, Buffer::create_host_visible(device, count * sizeof(float)));
    LATHE_TRY(ShaderModule shader, ShaderModule::create_embedded(device, "fill"));
    LATHE_TRY(DescriptorSetLayout set_layout, DescriptorSetLayout::create_storage_buffers(device, 1));
    LATHE_TRY(ComputePipeline pipeline,
              ComputePipeline::create(device, shader, set_layout, sizeof(FillParams)));
    LATHE_TRY(DescriptorPool descriptor_pool, DescriptorPool::create(device, 1, 1));
    BufferBinding binding{buffer.handle(), 0, buffer.size()};
    LATHE_TRY(VkDescriptorSet set, descriptor_pool.allocate(set_layout, {&binding, 1}));
    LATHE_TRY(CommandPool command_pool, CommandPool::create(device));
    LATHE_TRY(CommandBuffer cmd, command_pool.allocate());
    LATHE_TRY(Fence fence, Fence::create(device));
    return FillKernel{std::move(buffer),
                      std::move(shader),
                      std::move(set_layout),
                      std::move(pipeline),
                      std::move(descriptor_pool),
                      set,
                      std::move(command_pool),
                      std::move(cmd),
                      std::move(fence)};
  }

  void record_dispatch(uint32_t count, float value) {
    cmd.bind(pipeline, set);
    cmd.push_constants(pipeline, FillParams{count, value});
    cmd.dispatch((count + 63) / 64);  // fill.comp: 64 invocations per workgroup
  }

  Result<void> submit_and_wait(const Device& device) {
    LATHE_CHECK(device.submit(cmd.handle(), fence.handle()));
    return fence.wait();
  }
};

// Runs fill.comp over `count` floats and checks every value exactly.
void run_fill(const Device& device, uint32_t count, float value) {
  auto kernel = FillKernel::create(device, count);
  ASSERT_TRUE(kernel.ok()) << kernel.error().message;
  for (float& x : kernel->buffer.view<float>()) x = -1.0f;

  ASSERT_TRUE(kernel->cmd.begin().ok());
  kernel->record_dispatch(count, value);
  kernel->cmd.compute_to_host_barrier();
  ASSERT_TRUE(kernel->cmd.end().ok());
  auto done = kernel->submit_and_wait(device);
  ASSERT_TRUE(done.ok()) << done.error().message;

  std::span<const float> out = kernel->buffer.view<float>();
  int wrong = 0;
  for (uint32_t i = 0; i < count; ++i) {
    if (out[i] != value + static_cast<float>(i) && ++wrong <= 5) {
      ADD_FAILURE() << "element " << i << ": got " << out[i] << ", want " << value + static_cast<float>(i);
    }
  }
  EXPECT_EQ(wrong, 0) << "elements differ";
}

TEST_F(VulkanTest, FillShaderWritesEveryElement) {
  {
    auto instance_or = make_instance();
    ASSERT_TRUE(instance_or.ok()) << instance_or.error().message;
    Instance& instance = *instance_or;
    auto device = Device::create(instance);
    ASSERT_TRUE(device.ok()) << device.error().message;
    std::printf("%s", format_report(device->report()).c_str());
    run_fill(*device, 1000, 0.5f);
    run_fill(*device, 1, 7.0f);
  }
  expect_no_validation_messages();
}

TEST_F(VulkanTest, DeviceReportIsFilledIn) {
  {
    auto instance_or = make_instance();
    ASSERT_TRUE(instance_or.ok()) << instance_or.error().message;
    Instance& instance = *instance_or;
    auto device = Device::create(instance);
    ASSERT_TRUE(device.ok()) << device.error().message;
    const DeviceReport& r = device->report();
    EXPECT_FALSE(r.name.empty());
    EXPECT_FALSE(r.driver_name.empty());
    EXPECT_GE(r.api_version, kRequiredApiVersion);
    EXPECT_FALSE(r.heaps.empty());
    EXPECT_GT(r.subgroup_size, 0u);
    EXPECT_GE(r.max_storage_buffer_range, uint64_t{1} << 27);  // Vulkan guarantees 128 MiB
  }
  expect_no_validation_messages();
}

TEST_F(VulkanTest, DeviceByIndexAndBadIndex) {
  {
    auto instance_or = make_instance();
    ASSERT_TRUE(instance_or.ok()) << instance_or.error().message;
    Instance& instance = *instance_or;
    auto devices = list_physical_devices(instance);
    ASSERT_TRUE(devices.ok()) << devices.error().message;
    ASSERT_FALSE(devices->empty());
    auto device = Device::create(instance, {.index = 0});
    EXPECT_TRUE(device.ok()) << device.error().message;
    auto missing = Device::create(instance, {.index = static_cast<uint32_t>(devices->size())});
    ASSERT_FALSE(missing.ok());
    EXPECT_NE(missing.error().message.find("device index"), std::string::npos) << missing.error().message;
  }
  expect_no_validation_messages();
}

// The app's path: the instance belongs to someone else (Qt); the engine adopts it, installs its own
// messenger, computes, and leaves the instance alive.
TEST_F(VulkanTest, AdoptedInstanceComputesAndIsNotDestroyed) {
  {
    auto owner_or = make_instance();
    ASSERT_TRUE(owner_or.ok()) << owner_or.error().message;
    Instance& owner = *owner_or;
    {
      auto adopted = Instance::adopt(owner.handle(), {.debug_utils = true});
      ASSERT_TRUE(adopted.ok()) << adopted.error().message;
      EXPECT_FALSE(adopted->owned());
      EXPECT_TRUE(adopted->validation());
      auto device = Device::create(*adopted);
      ASSERT_TRUE(device.ok()) << device.error().message;
      run_fill(*device, 100, 3.0f);
      EXPECT_EQ(adopted->messages()->count(), 0u);
    }
    auto device = Device::create(owner);  // the owner's instance still works
    ASSERT_TRUE(device.ok()) << device.error().message;
  }
  expect_no_validation_messages();
}

// Proves the mechanism the other tests rely on: an invalid call is reported and counted.
TEST_F(VulkanTest, ValidationCountsAnInvalidCall) {
  std::shared_ptr<const ValidationMessages> messages;
  {
    auto instance_or = make_instance();
    ASSERT_TRUE(instance_or.ok()) << instance_or.error().message;
    Instance& instance = *instance_or;
    messages = instance.messages();
    auto device = Device::create(instance);
    ASSERT_TRUE(device.ok()) << device.error().message;
    ASSERT_EQ(messages->count(), 0u);
    VkBufferCreateInfo info{};
    info.sType = VK_STRUCTURE_TYPE_BUFFER_CREATE_INFO;
    info.size = 0;  // VUID-VkBufferCreateInfo-size-00912: size must be greater than 0
    info.usage = VK_BUFFER_USAGE_STORAGE_BUFFER_BIT;
    VkBuffer buffer = VK_NULL_HANDLE;
    VkResult result = vkCreateBuffer(device->handle(), &info, nullptr, &buffer);
    // The layer skips the invalid call; should a driver see it anyway, clean up.
    if (result == VK_SUCCESS) vkDestroyBuffer(device->handle(), buffer, nullptr);
    EXPECT_GE(messages->errors.load(), 1u);
  }
  EXPECT_GE(messages->count(), 1u);
}

// Synchronization validation is on: a dispatch writing a buffer and a transfer overwriting it with
// no barrier between them are a write-after-write hazard, and that is reported too. (The Debian 12
// layer, 1.3.239, does not flag write-after-write between two dispatches, so a transfer is used.)
TEST_F(VulkanTest, SynchronizationValidationCatchesAMissingBarrier) {
  std::shared_ptr<const ValidationMessages> messages;
  {
    auto instance = make_instance();
    ASSERT_TRUE(instance.ok()) << instance.error().message;
    messages = instance->messages();
    auto device = Device::create(*instance);
    ASSERT_TRUE(device.ok()) << device.error().message;
    auto kernel = FillKernel::create(*device, 256);
    ASSERT_TRUE(kernel.ok()) << kernel.error().message;
    ASSERT_TRUE(kernel->cmd.begin().ok());
    kernel->record_dispatch(256, 1.0f);
    // No barrier between the shader's writes and the transfer's.
    vkCmdFillBuffer(kernel->cmd.handle(), kernel->buffer.handle(), 0, VK_WHOLE_SIZE, 0);
    kernel->cmd.compute_to_host_barrier();
    ASSERT_TRUE(kernel->cmd.end().ok());
    EXPECT_TRUE(kernel->submit_and_wait(*device).ok());
    EXPECT_GE(messages->count(), 1u) << "the missing barrier was not reported";
  }
}

TEST_F(VulkanTest, MissingValidationLayerIsAnError) {
  // Point the loader's layer search at an empty folder: the layer is now "not installed".
  const char* old_path = std::getenv("VK_LAYER_PATH");
  std::string saved = old_path != nullptr ? old_path : "";
  setenv("VK_LAYER_PATH", "/nonexistent-lathe-layer-path", 1);
  setenv("VK_ADD_LAYER_PATH", "", 1);
  Result<Instance> instance = Instance::create();
  if (old_path != nullptr) {
    setenv("VK_LAYER_PATH", saved.c_str(), 1);
  } else {
    unsetenv("VK_LAYER_PATH");
  }
  unsetenv("VK_ADD_LAYER_PATH");
  ASSERT_FALSE(instance.ok()) << "validation was requested but the layer cannot be found: must be an error";
  EXPECT_NE(instance.error().message.find(kValidationLayer), std::string::npos) << instance.error().message;
}

Result<void> fail_like_a_driver() {
  VK_TRY(VK_ERROR_OUT_OF_DEVICE_MEMORY);
  return {};
}

TEST(VkTry, ErrorNamesCallResultAndPlace) {
  Result<void> r = fail_like_a_driver();
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().message.find("VK_ERROR_OUT_OF_DEVICE_MEMORY"), std::string::npos) << r.error().message;
  EXPECT_NE(r.error().message.find("test_vulkan_smoke.cpp:"), std::string::npos) << r.error().message;
  EXPECT_EQ(result_name(static_cast<VkResult>(-12345)), "VkResult(-12345)");
}

}  // namespace
}  // namespace lathe::vk
