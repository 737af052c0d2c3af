// The reader on real files from ../shared.
#include <gtest/gtest.h>

#include "common/test_data.h"
#include "gguf/reader.h"

namespace lathe {
namespace {

TEST(GgufReader, ReadsStories260K) {
  auto file = GgufFile::open(test::data_path("models/stories260K.gguf"));
  ASSERT_TRUE(file.ok()) << file.error().message;
  EXPECT_EQ(file->version(), 3u);
  EXPECT_EQ(file->architecture(), "llama");
  EXPECT_EQ(*file->get_uint("llama.block_count"), 5u);
  EXPECT_EQ(*file->get_uint("llama.embedding_length"), 64u);
  EXPECT_EQ(*file->get_uint("llama.attention.head_count"), 8u);
  EXPECT_EQ(*file->get_uint("llama.attention.head_count_kv"), 4u);
  EXPECT_EQ(*file->get_uint("llama.feed_forward_length"), 172u);
  EXPECT_FALSE(file->has("llama.rope.freq_base"));
  EXPECT_FLOAT_EQ(static_cast<float>(*file->get_float("llama.attention.layer_norm_rms_epsilon")), 1e-5f);

  auto tokens = file->get_array("tokenizer.ggml.tokens");
  ASSERT_TRUE(tokens.ok()) << tokens.error().message;
  EXPECT_EQ((*tokens)->type, GgufType::string);
  EXPECT_EQ((*tokens)->count, 512u);
  EXPECT_EQ((*tokens)->strings.size(), 512u);
  auto scores = file->get_array("tokenizer.ggml.scores");
  ASSERT_TRUE(scores.ok());
  EXPECT_EQ((*scores)->type, GgufType::f32);
  EXPECT_EQ((*scores)->count, 512u);

  const GgufTensorInfo* embd = file->find_tensor("token_embd.weight");
  ASSERT_NE(embd, nullptr);
  EXPECT_EQ(embd->type, DType::F32);
  EXPECT_EQ(embd->n_dims, 2);
  EXPECT_EQ(embd->ne[0], 64u);
  EXPECT_EQ(embd->ne[1], 512u);
  EXPECT_EQ(embd->size_bytes, 64u * 512u * 4u);
  EXPECT_EQ(file->tensor_data(*embd).size(), embd->size_bytes);
  EXPECT_NE(file->find_tensor("output.weight"), nullptr);
  EXPECT_EQ(file->find_tensor("no.such.tensor"), nullptr);
  // 5 layers × 9 tensors + token_embd, output_norm, output.
  EXPECT_EQ(file->tensors().size(), 48u);
}

TEST(GgufReader, TypedLookupErrorsNameFileAndKey) {
  auto file = GgufFile::open(test::data_path("models/stories260K.gguf"));
  ASSERT_TRUE(file.ok());
  auto missing = file->get_uint("llama.rope.freq_base");
  ASSERT_FALSE(missing.ok());
  EXPECT_NE(missing.error().message.find("stories260K.gguf"), std::string::npos);
  EXPECT_NE(missing.error().message.find("'llama.rope.freq_base' is missing"), std::string::npos);
  auto wrong = file->get_string("llama.block_count");
  ASSERT_FALSE(wrong.ok());
  EXPECT_NE(wrong.error().message.find("'llama.block_count'"), std::string::npos);
  EXPECT_NE(wrong.error().message.find("expected a string"), std::string::npos);
}

TEST(GgufReader, RefusesVersion1AsObsolete) {
  auto file = GgufFile::open(test::data_path("models/stories260K-gguf-v1.gguf"));
  ASSERT_FALSE(file.ok());
  EXPECT_NE(file.error().message.find("stories260K-gguf-v1.gguf"), std::string::npos);
  EXPECT_NE(file.error().message.find("version 1 is obsolete"), std::string::npos) << file.error().message;
}

TEST(GgufReader, OpensEverySharedModelAndVocab) {
  int opened = 0;
  for (const char* folder : {"models", "vocab", "lora"}) {
    for (const auto& entry : std::filesystem::directory_iterator(test::data_path(folder))) {
      if (entry.path().extension() != ".gguf" || entry.path().filename().string().find("-v1") != std::string::npos) {
        continue;
      }
      auto file = GgufFile::open(entry.path());
      ASSERT_TRUE(file.ok()) << file.error().message;
      for (const GgufTensorInfo& t : file->tensors()) {
        ASSERT_LE(file->data_offset() + t.offset + t.size_bytes, file->file_size()) << t.name;
      }
      ++opened;
    }
  }
  EXPECT_GE(opened, 30);
}

TEST(GgufReader, QuantizedModelHasItsTypes) {
  auto file = GgufFile::open(test::data_path("models/synth-llama-Q4_K_M.gguf"));
  ASSERT_TRUE(file.ok()) << file.error().message;
  bool has_q4k = false, has_q6k = false;
  for (const GgufTensorInfo& t : file->tensors()) {
    has_q4k |= t.type == DType::Q4_K;
    has_q6k |= t.type == DType::Q6_K;
  }
  EXPECT_TRUE(has_q4k);
  EXPECT_TRUE(has_q6k);
}

TEST(GgufReader, MissingFileAndDirectoryAreErrors) {
  auto missing = GgufFile::open("/nonexistent/model.gguf");
  ASSERT_FALSE(missing.ok());
  EXPECT_NE(missing.error().message.find("/nonexistent/model.gguf: cannot open"), std::string::npos);
  auto dir = GgufFile::open(test::temp_dir());
  ASSERT_FALSE(dir.ok());
  EXPECT_NE(dir.error().message.find("not a regular file"), std::string::npos);
}

}  // namespace
}  // namespace lathe
