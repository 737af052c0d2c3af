// Synthetic models: llama.cpp's Q4_K_M mix, and a small model written and read back in full.
#include <gtest/gtest.h>

#include <cmath>
#include <set>

#include "common/test_data.h"
#include "gguf/quant.h"
#include "gguf/reader.h"
#include "model/synth.h"

namespace lathe {
namespace {

TEST(Synth, Q4KMMixFollowsLlamaCpp) {
  auto shape = find_synth_shape("llama-3.1-8b");
  ASSERT_TRUE(shape.ok());
  // 32 layers: n/8 = 4, 7n/8 = 28; Q6_K for i < 4, i >= 28, and (i - 4) % 3 == 2.
  const std::set<int> more_bits = {0, 1, 2, 3, 6, 9, 12, 15, 18, 21, 24, 27, 28, 29, 30, 31};
  for (int i = 0; i < 32; ++i) {
    const DType want = more_bits.count(i) ? DType::Q6_K : DType::Q4_K;
    EXPECT_EQ(synth_matrix_type(*shape, SynthType::Q4_K_M, "attn_v", i, 4096), want) << "layer " << i;
    EXPECT_EQ(synth_matrix_type(*shape, SynthType::Q4_K_M, "ffn_down", i, 14336), want) << "layer " << i;
    EXPECT_EQ(synth_matrix_type(*shape, SynthType::Q4_K_M, "attn_q", i, 4096), DType::Q4_K);
    EXPECT_EQ(synth_matrix_type(*shape, SynthType::Q4_K_M, "ffn_up", i, 4096), DType::Q4_K);
  }
  // Untied: the output matrix is Q6_K, the embedding Q4_K.
  EXPECT_EQ(synth_matrix_type(*shape, SynthType::Q4_K_M, "output", -1, 4096), DType::Q6_K);
  EXPECT_EQ(synth_matrix_type(*shape, SynthType::Q4_K_M, "token_embd", -1, 4096), DType::Q4_K);
  // Tied: the embedding is the output matrix, so Q6_K.
  auto tied = find_synth_shape("llama-3.2-1b");
  ASSERT_TRUE(tied.ok());
  EXPECT_EQ(synth_matrix_type(*tied, SynthType::Q4_K_M, "token_embd", -1, 2048), DType::Q6_K);
  // Qwen2.5-0.5B rows of 896 are not whole super-blocks: Q4_K falls back to Q5_0, Q6_K to Q8_0.
  auto qwen = find_synth_shape("qwen2.5-0.5b");
  ASSERT_TRUE(qwen.ok());
  EXPECT_EQ(synth_matrix_type(*qwen, SynthType::Q4_K_M, "attn_q", 5, 896), DType::Q5_0);
  EXPECT_EQ(synth_matrix_type(*qwen, SynthType::Q4_K_M, "token_embd", -1, 896), DType::Q8_0);
  EXPECT_EQ(synth_matrix_type(*qwen, SynthType::Q4_K_M, "ffn_down", 0, 4864), DType::Q6_K);
  // Pure types.
  EXPECT_EQ(synth_matrix_type(*shape, SynthType::Q4_0, "output", -1, 4096), DType::Q4_0);
  EXPECT_EQ(synth_matrix_type(*shape, SynthType::F16, "attn_v", 0, 4096), DType::F16);
}

TEST(Synth, UnknownNamesAreErrors) {
  auto shape = find_synth_shape("llama-9");
  ASSERT_FALSE(shape.ok());
  EXPECT_NE(shape.error().message.find("known: llama-3.2-1b"), std::string::npos);
  EXPECT_FALSE(parse_synth_type("Q3_K").ok());
}

// A small model of the gemma-2 kind (sandwich norms, tied output) with qwen2-style biases, so every
// tensor kind the writer knows appears in one file.
SynthShape small_shape() {
  SynthShape s = *find_synth_shape("gemma-2-2b");
  s.name = "small";
  s.d_model = 512;
  s.ffn_length = 768;
  s.layers = 3;
  s.heads = 4;
  s.kv_heads = 2;
  s.head_dim = 64;
  s.vocab = 1000;
  s.context = 256;
  s.qkv_bias = true;
  return s;
}

TEST(Synth, SmallModelReadsBackWithEveryTensor) {
  const SynthShape s = small_shape();
  const auto path = test::temp_dir() / "small.gguf";
  auto written = write_synth_model(s, SynthType::Q4_K_M, path, 7);
  ASSERT_TRUE(written.ok()) << written.error().message;
  auto file = GgufFile::open(path);
  ASSERT_TRUE(file.ok()) << file.error().message;
  EXPECT_EQ(file->architecture(), "gemma2");
  EXPECT_EQ(*file->get_uint("gemma2.block_count"), 3u);
  EXPECT_EQ(*file->get_uint("gemma2.attention.key_length"), 64u);
  EXPECT_EQ(*file->get_float("gemma2.attn_logit_softcapping"), 50.0);
  EXPECT_EQ(*file->get_uint("general.file_type"), 15u);
  auto tokens = file->get_array("tokenizer.ggml.tokens");
  ASSERT_TRUE(tokens.ok());
  EXPECT_EQ((*tokens)->count, 1000u);
  std::set<std::string> unique((*tokens)->strings.begin(), (*tokens)->strings.end());
  EXPECT_EQ(unique.size(), 1000u) << "vocab pieces must be unique";
  EXPECT_EQ((*tokens)->strings[1], "<s>");
  EXPECT_EQ((*tokens)->strings[3 + 0x41], "<0x41>");

  // 1 embedding + 3 × 14 block tensors + output norm; tied, so no output.weight.
  EXPECT_EQ(file->tensors().size(), 1u + 3 * 14 + 1);
  EXPECT_EQ(file->find_tensor("output.weight"), nullptr);
  const GgufTensorInfo* embd = file->find_tensor("token_embd.weight");
  ASSERT_NE(embd, nullptr);
  EXPECT_EQ(embd->type, DType::Q6_K);
  EXPECT_EQ(embd->ne[0], 512u);
  EXPECT_EQ(embd->ne[1], 1000u);
  // 3 layers: n/8 = 0 and 7n/8 = 2, so only layer 2 gets the extra bits.
  EXPECT_EQ(file->find_tensor("blk.0.attn_v.weight")->type, DType::Q4_K);
  EXPECT_EQ(file->find_tensor("blk.1.attn_v.weight")->type, DType::Q4_K);
  EXPECT_EQ(file->find_tensor("blk.2.attn_v.weight")->type, DType::Q6_K);
  EXPECT_EQ(file->find_tensor("blk.2.ffn_down.weight")->type, DType::Q6_K);
  EXPECT_EQ(file->find_tensor("blk.1.attn_q.bias")->type, DType::F32);
  EXPECT_NE(file->find_tensor("blk.1.post_ffw_norm.weight"), nullptr);
  EXPECT_EQ(file->find_tensor("blk.1.attn_output.weight")->ne[0], 256u);

  // Weights are random with spread 0.02 and mean 0; norms are exactly 1.
  const GgufTensorInfo* q = file->find_tensor("blk.1.attn_q.weight");
  std::vector<float> values(q->elements);
  ASSERT_TRUE(dequantize(q->type, file->tensor_data(*q), values).ok());
  double sum = 0, sum2 = 0;
  for (float v : values) {
    sum += v;
    sum2 += double(v) * v;
  }
  const double mean = sum / values.size(), std = std::sqrt(sum2 / values.size() - mean * mean);
  EXPECT_NEAR(mean, 0.0, 0.001);
  EXPECT_NEAR(std, 0.02, 0.002);
  const GgufTensorInfo* norm = file->find_tensor("blk.0.attn_norm.weight");
  std::vector<float> ones(norm->elements);
  ASSERT_TRUE(dequantize(norm->type, file->tensor_data(*norm), ones).ok());
  for (float v : ones) ASSERT_EQ(v, 1.0f);
}

TEST(Synth, SameSeedSameFileOtherSeedOtherFile) {
  SynthShape s = small_shape();
  s.layers = 1;
  const auto dir = test::temp_dir();
  ASSERT_TRUE(write_synth_model(s, SynthType::Q8_0, dir / "a.gguf", 3).ok());
  ASSERT_TRUE(write_synth_model(s, SynthType::Q8_0, dir / "b.gguf", 3).ok());
  ASSERT_TRUE(write_synth_model(s, SynthType::Q8_0, dir / "c.gguf", 4).ok());
  EXPECT_TRUE(test::read_file(dir / "a.gguf") == test::read_file(dir / "b.gguf"));
  EXPECT_FALSE(test::read_file(dir / "a.gguf") == test::read_file(dir / "c.gguf"));
}

}  // namespace
}  // namespace lathe
