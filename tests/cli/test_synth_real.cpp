// `lathe-cli synth` of a real model's full shape, then `lathe-cli info` on it (label: slow).
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "common/run.h"
#include "common/test_data.h"

namespace lathe {
namespace {

TEST(SynthReal, Qwen25HalfBillionQ4KM) {
  const std::string cli = test::shell_quote((test::binary_dir() / "lathe-cli").string());
  const std::string path = test::shell_quote((test::temp_dir() / "qwen.gguf").string());
  auto synth = test::run_command(cli + " synth --shape qwen2.5-0.5b --type Q4_K_M --quiet -o " + path);
  ASSERT_EQ(synth.exit_code, 0) << synth.err;
  auto info = test::run_command(cli + " info --json --ctx 4096 " + path);
  ASSERT_EQ(info.exit_code, 0) << info.err;
  nlohmann::json j = nlohmann::json::parse(info.out);
  EXPECT_EQ(j["architecture"], "qwen2");
  EXPECT_EQ(j["layers"], 24);
  EXPECT_EQ(j["d_model"], 896);
  EXPECT_EQ(j["ffn_length"], 4864);
  EXPECT_EQ(j["heads"], 14);
  EXPECT_EQ(j["kv_heads"], 2);
  EXPECT_EQ(j["head_dim"], 64);
  EXPECT_EQ(j["vocab_size"], 151936);
  EXPECT_EQ(j["file_type"], "Q4_K_M");
  // Qwen2.5-0.5B has 494 M parameters (tied embedding counted once).
  EXPECT_NEAR(j["parameters"].get<double>(), 494.0e6, 1.0e6);
  // 24 layers × 4096 positions × 2 KV heads × (64 + 64) × 2 bytes.
  EXPECT_EQ(j["memory"]["kv_cache"], 24ull * 4096 * 2 * 128 * 2);
  std::set<std::string> types;
  for (const auto& t : j["weight_types"]) types.insert(t["type"]);
  EXPECT_EQ(types, (std::set<std::string>{"q5_0", "q8_0", "q6_K", "q4_K", "f32"}));
}

}  // namespace
}  // namespace lathe
