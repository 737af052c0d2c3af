// `lathe-cli info` on real files, through the real binary.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "common/run.h"
#include "common/test_data.h"
#include "gguf/reader.h"

namespace lathe {
namespace {

std::string cli() { return test::shell_quote((test::binary_dir() / "lathe-cli").string()); }

nlohmann::json info_json(const std::string& model, const std::string& extra = "") {
  auto r = test::run_command(cli() + " info " + test::shell_quote(test::data_path(model).string()) + " --json " + extra);
  EXPECT_EQ(r.exit_code, 0) << r.err;
  return nlohmann::json::parse(r.out);
}

TEST(CliInfo, DescribesStories260K) {
  nlohmann::json j = info_json("models/stories260K.gguf", "--ctx 256");
  EXPECT_EQ(j["architecture"], "llama");
  EXPECT_EQ(j["layers"], 5);
  EXPECT_EQ(j["d_model"], 64);
  EXPECT_EQ(j["ffn_length"], 172);
  EXPECT_EQ(j["heads"], 8);
  EXPECT_EQ(j["kv_heads"], 4);
  EXPECT_EQ(j["head_dim"], 8);
  EXPECT_EQ(j["vocab_size"], 512);
  EXPECT_EQ(j["tokenizer"], "llama");
  EXPECT_EQ(j["chat_template"], false);
  EXPECT_EQ(j["gguf_version"], 3);
  // Every parameter is F32, and the count is the sum of the tensors' elements.
  auto file = GgufFile::open(test::data_path("models/stories260K.gguf"));
  ASSERT_TRUE(file.ok());
  uint64_t elements = 0, bytes = 0;
  for (const GgufTensorInfo& t : file->tensors()) {
    elements += t.elements;
    bytes += t.size_bytes;
  }
  EXPECT_EQ(j["parameters"], elements);
  EXPECT_EQ(j["file_size"], file->file_size());
  ASSERT_EQ(j["weight_types"].size(), 1u);
  EXPECT_EQ(j["weight_types"][0]["type"], "f32");
  EXPECT_EQ(j["memory"]["weights"], bytes);
  // KV cache: 5 layers × 256 positions × 4 KV heads × (8 + 8) × 2 bytes.
  EXPECT_EQ(j["memory"]["kv_cache"], 5 * 256 * 4 * 16 * 2);
  EXPECT_EQ(j["memory"]["total"], bytes + 5 * 256 * 4 * 16 * 2);
}

TEST(CliInfo, PerLayerShapesOfGemma4) {
  nlohmann::json j = info_json("models/synth-gemma4-Q4_K_M.gguf");
  EXPECT_EQ(j["architecture"], "gemma4");
  EXPECT_EQ(j["layers"], 4);
  EXPECT_EQ(j["ffn_length"], 1536);
  EXPECT_EQ(j["kv_heads"], 2);
  EXPECT_EQ(j["context_length"], 512);
  EXPECT_EQ(j["file_type"], "Q4_K_M");
  // Layers 2 and 3 share the caches of 0 and 1: layer 0 is sliding (2 heads × 64), layer 1 full (1 × 128).
  EXPECT_EQ(j["memory"]["kv_cache"], 512 * (2 * (64 + 64) + 1 * (128 + 128)) * 2);
  bool has_q5_0 = false;
  for (const auto& t : j["weight_types"]) has_q5_0 |= t["type"] == "q5_0";
  EXPECT_TRUE(has_q5_0) << "blk.*.proj fell back to Q5_0 in this file";
}

TEST(CliInfo, TextOutputNamesTheEssentials) {
  auto r = test::run_command(cli() + " info " + test::shell_quote(test::data_path("vocab/ggml-vocab-phi-3.gguf").string()));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("chat template yes"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("SentencePiece"), std::string::npos) << r.out;
  r = test::run_command(cli() + " info " + test::shell_quote(test::data_path("models/synth-llama-Q8_0.gguf").string()));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  for (const char* want : {"architecture  llama", "layers        3, d_model 256, ffn 768", "q8_0", "memory"}) {
    EXPECT_NE(r.out.find(want), std::string::npos) << want << "\n" << r.out;
  }
}

TEST(CliInfo, BadFilesGiveTheReadersErrorAndFail) {
  auto v1 = test::run_command(cli() + " info " + test::shell_quote(test::data_path("models/stories260K-gguf-v1.gguf").string()));
  EXPECT_EQ(v1.exit_code, 1);
  EXPECT_NE(v1.err.find("version 1 is obsolete"), std::string::npos) << v1.err;
  const auto junk = test::temp_dir() / "junk.gguf";
  {
    static const char bytes[] = "GGUF\x03\0\0\0\x05\0\0\0";  // version 3, then a cut-off tensor count
    std::FILE* f = std::fopen(junk.c_str(), "wb");
    std::fwrite(bytes, 1, sizeof bytes - 1, f);
    std::fclose(f);
  }
  auto bad = test::run_command(cli() + " info " + test::shell_quote(junk.string()));
  EXPECT_EQ(bad.exit_code, 1);
  EXPECT_NE(bad.err.find("junk.gguf: file is truncated"), std::string::npos) << bad.err;
  auto usage = test::run_command(cli() + " info");
  EXPECT_EQ(usage.exit_code, 2);
  EXPECT_NE(usage.err.find("usage: lathe-cli info"), std::string::npos);
  auto ctx = test::run_command(cli() + " info x.gguf --ctx lots");
  EXPECT_EQ(ctx.exit_code, 2);
  EXPECT_NE(ctx.err.find("--ctx needs a whole number"), std::string::npos) << ctx.err;
}

}  // namespace
}  // namespace lathe
