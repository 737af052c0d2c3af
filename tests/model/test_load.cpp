// Loading: hyper-parameters with their defaults, weights found by name with their shapes checked,
// and clear refusals of unknown architectures, missing or misshapen tensors and hostile metadata.
// Most cases use a tiny llama written here (d_model 32, 4 heads x 8, 2 KV heads, ffn 48, 2 layers,
// vocab 40) with one thing changed.
#include <gtest/gtest.h>

#include <cmath>
#include <cstring>
#include <limits>
#include <map>
#include <numeric>
#include <optional>
#include <random>
#include <set>

#include "common/test_data.h"
#include "gguf/reader.h"
#include "gguf/writer.h"
#include "model/model.h"
#include "reference.h"

namespace lathe {
namespace {

struct TinySpec {
  std::string arch = "llama";
  std::map<std::string, GgufValue> set;  // metadata added or replaced
  std::set<std::string> drop_keys;
  std::set<std::string> drop_tensors;
  std::map<std::string, std::vector<uint64_t>> shape;  // tensors written with another shape
  std::map<std::string, std::string> copy_of;          // tensor written with another tensor's values
};

std::filesystem::path write_tiny(const TinySpec& spec, const std::string& name = "tiny.gguf") {
  const size_t d = 32, hd = 8, heads = 4, kv = 2, ff = 48, vocab = 40, layers = 2;
  const std::string a = spec.arch + ".";
  std::map<std::string, GgufValue> meta = {
      {"general.architecture", GgufValue::string(spec.arch)},
      {a + "block_count", GgufValue::u32(layers)},
      {a + "embedding_length", GgufValue::u32(d)},
      {a + "context_length", GgufValue::u32(64)},
      {a + "feed_forward_length", GgufValue::u32(ff)},
      {a + "attention.head_count", GgufValue::u32(heads)},
      {a + "attention.head_count_kv", GgufValue::u32(kv)},
      {a + "attention.layer_norm_rms_epsilon", GgufValue::f32(1e-5f)},
      {a + "vocab_size", GgufValue::u32(vocab)},
  };
  for (const auto& [k, v] : spec.set) meta[k] = v;
  GgufWriter w;
  for (const auto& [k, v] : meta) {
    if (!spec.drop_keys.count(k)) w.set(k, v);
  }

  std::vector<std::pair<std::string, std::vector<uint64_t>>> tensors = {
      {"token_embd.weight", {d, vocab}}, {"output_norm.weight", {d}}, {"output.weight", {d, vocab}}};
  for (size_t l = 0; l < layers; ++l) {
    const std::string b = "blk." + std::to_string(l) + ".";
    tensors.push_back({b + "attn_norm.weight", {d}});
    tensors.push_back({b + "attn_q.weight", {d, heads * hd}});
    tensors.push_back({b + "attn_k.weight", {d, kv * hd}});
    tensors.push_back({b + "attn_v.weight", {d, kv * hd}});
    tensors.push_back({b + "attn_output.weight", {heads * hd, d}});
    if (spec.arch == "qwen2") {
      tensors.push_back({b + "attn_q.bias", {heads * hd}});
      tensors.push_back({b + "attn_k.bias", {kv * hd}});
      tensors.push_back({b + "attn_v.bias", {kv * hd}});
    }
    tensors.push_back({b + "ffn_norm.weight", {d}});
    tensors.push_back({b + "ffn_gate.weight", {d, ff}});
    tensors.push_back({b + "ffn_up.weight", {d, ff}});
    tensors.push_back({b + "ffn_down.weight", {ff, d}});
  }
  auto values_of = [](const std::string& tensor, size_t n) {
    std::mt19937 rng(static_cast<uint32_t>(std::hash<std::string>{}(tensor)));
    std::normal_distribution<float> dist(tensor.find("norm") != std::string::npos ? 1.0f : 0.0f, 0.3f);
    std::vector<float> v(n);
    for (float& x : v) x = dist(rng);
    return v;
  };
  for (auto [tname, ne] : tensors) {
    if (spec.drop_tensors.count(tname)) continue;
    if (auto it = spec.shape.find(tname); it != spec.shape.end()) ne = it->second;
    const size_t n = std::accumulate(ne.begin(), ne.end(), size_t{1}, std::multiplies<>());
    auto src = spec.copy_of.find(tname);
    const std::vector<float> v = values_of(src == spec.copy_of.end() ? tname : src->second, n);
    std::vector<uint8_t> bytes(n * sizeof(float));
    std::memcpy(bytes.data(), v.data(), bytes.size());
    EXPECT_TRUE(w.add_tensor(tname, ne, DType::F32, std::move(bytes)).ok()) << tname;
  }
  const std::filesystem::path path = test::temp_dir() / name;
  auto r = w.write(path);
  EXPECT_TRUE(r.ok()) << (r.ok() ? "" : r.error().message);
  return path;
}

std::string load_error(const TinySpec& spec) {
  auto m = load_model(write_tiny(spec));
  return m.ok() ? std::string("loaded") : m.error().message;
}

void expect_contains(const std::string& text, const std::string& part) {
  EXPECT_NE(text.find(part), std::string::npos) << "'" << text << "' does not mention '" << part << "'";
}

TEST(Load, TinyLlamaRunsAndReadsDefaults) {
  auto m = load_model(write_tiny({}));
  ASSERT_TRUE(m.ok()) << m.error().message;
  const ModelHParams& hp = (*m)->hparams();
  EXPECT_EQ(hp.architecture, "llama");
  EXPECT_EQ(hp.n_layer, 2u);
  EXPECT_EQ(hp.head_dim_k, 8u);  // d_model / heads when key_length is absent
  EXPECT_EQ(hp.head_dim_v, 8u);
  EXPECT_EQ(hp.n_rot, 8u);  // head_dim when rope.dimension_count is absent
  EXPECT_EQ(hp.rope_base, 10000.0f);
  EXPECT_EQ(hp.rope_style, cpu::RopeStyle::normal);
  EXPECT_EQ(hp.n_vocab, 40u);
  EXPECT_EQ(hp.n_head_kv, (std::vector<size_t>{2, 2}));
  auto cache = (*m)->create_cache();
  ASSERT_TRUE(cache.ok());
  EXPECT_EQ(cache->context(), 64u);
  const std::vector<int32_t> tokens = {1, 5, 39}, pos = {0, 1, 2};
  auto logits = (*m)->forward({tokens, pos}, *cache);
  ASSERT_TRUE(logits.ok()) << logits.error().message;
  for (float x : logits->values) ASSERT_TRUE(std::isfinite(x));
}

TEST(Load, Stories260KUsesTheDefaultRopeBaseAndItsEpsilon) {
  std::unique_ptr<Model> m = test::load("stories260K.gguf");
  ASSERT_TRUE(m);
  EXPECT_EQ(m->hparams().rope_base, 10000.0f);  // no llama.rope.freq_base in the file
  EXPECT_EQ(m->hparams().rms_eps, 9.999999747e-06f);
  EXPECT_EQ(m->hparams().n_head_kv[0], 4u);
  std::unique_ptr<Model> q = test::load("synth-qwen2-Q8_0.gguf");
  ASSERT_TRUE(q);
  EXPECT_EQ(q->hparams().rope_style, cpu::RopeStyle::neox);
  EXPECT_EQ(q->hparams().rope_base, 1e6f);
}

TEST(Load, TiedOutputUsesTheEmbedding) {
  // Without output.weight the embedding is the output matrix: the same as an untied file whose
  // output.weight holds the embedding's values.
  TinySpec tied;
  tied.drop_tensors = {"output.weight"};
  TinySpec copied;
  copied.copy_of = {{"output.weight", "token_embd.weight"}};
  auto a = load_model(write_tiny(tied, "tied.gguf"));
  auto b = load_model(write_tiny(copied, "copied.gguf"));
  ASSERT_TRUE(a.ok() && b.ok());
  const std::vector<int32_t> tokens = {3, 4}, pos = {0, 1};
  auto ca = (*a)->create_cache(4);
  auto cb = (*b)->create_cache(4);
  auto la = (*a)->forward({tokens, pos}, *ca);
  auto lb = (*b)->forward({tokens, pos}, *cb);
  ASSERT_TRUE(la.ok() && lb.ok());
  EXPECT_EQ(la->values, lb->values);
}

TEST(Load, PerLayerArraysAreAccepted) {
  TinySpec spec;
  spec.set["llama.feed_forward_length"] = GgufValue::i32s({48, 48});
  spec.set["llama.attention.head_count_kv"] = GgufValue::i32s({2, 4});
  spec.shape["blk.1.attn_k.weight"] = {32, 32};
  spec.shape["blk.1.attn_v.weight"] = {32, 32};
  auto m = load_model(write_tiny(spec));
  ASSERT_TRUE(m.ok()) << m.error().message;
  EXPECT_EQ((*m)->hparams().n_head_kv, (std::vector<size_t>{2, 4}));
  auto cache = (*m)->create_cache(4);
  ASSERT_TRUE(cache.ok());
  const std::vector<int32_t> tokens = {3, 4}, pos = {0, 1};
  EXPECT_TRUE((*m)->forward({tokens, pos}, *cache).ok());
}

TEST(Load, UnknownArchitectureListsTheSupportedOnes) {
  TinySpec spec;
  spec.arch = "mamba";
  const std::string e = load_error(spec);
  expect_contains(e, "'mamba'");
  expect_contains(e, "llama, qwen2");
}

TEST(Load, MissingTensorIsNamed) {
  TinySpec spec;
  spec.drop_tensors = {"blk.1.ffn_up.weight"};
  const std::string e = load_error(spec);
  expect_contains(e, "blk.1.ffn_up.weight");
  expect_contains(e, "missing");
}

TEST(Load, MisshapenTensorIsNamedWithBothShapes) {
  TinySpec spec;
  spec.shape["blk.0.attn_k.weight"] = {32, 32};
  const std::string e = load_error(spec);
  expect_contains(e, "blk.0.attn_k.weight");
  expect_contains(e, "[32, 32]");
  expect_contains(e, "[32, 16]");
}

TEST(Load, Qwen2NeedsItsBiases) {
  TinySpec spec;
  spec.arch = "qwen2";
  auto m = load_model(write_tiny(spec));
  ASSERT_TRUE(m.ok()) << m.error().message;
  EXPECT_EQ((*m)->hparams().rope_style, cpu::RopeStyle::neox);
  spec.drop_tensors = {"blk.0.attn_v.bias"};
  expect_contains(load_error(spec), "blk.0.attn_v.bias");
}

TEST(Load, HostileMetadataIsRefusedNamingTheKey) {
  struct Bad {
    std::string key;
    std::optional<GgufValue> value;  // nullopt: the key is dropped
  };
  const float nan = std::numeric_limits<float>::quiet_NaN();
  const std::vector<Bad> cases = {
      {"llama.attention.head_count", GgufValue::u32(0)},
      {"llama.attention.head_count_kv", GgufValue::u32(3)},  // does not divide 4
      {"llama.block_count", GgufValue::u64(1'000'000'000)},
      {"llama.embedding_length", GgufValue::u64(uint64_t{1} << 40)},
      {"llama.context_length", GgufValue::u32(0)},
      {"llama.attention.layer_norm_rms_epsilon", GgufValue::f32(nan)},
      {"llama.attention.layer_norm_rms_epsilon", GgufValue::f32(-1.0f)},
      {"llama.attention.layer_norm_rms_epsilon", std::nullopt},
      {"llama.rope.dimension_count", GgufValue::u32(7)},   // odd
      {"llama.rope.dimension_count", GgufValue::u32(64)},  // past the head
      {"llama.rope.freq_base", GgufValue::f32(-5.0f)},
      {"llama.feed_forward_length", GgufValue::i32s({48, 48, 48})},  // 3 entries for 2 layers
      {"llama.feed_forward_length", GgufValue::string("wide")},
      {"llama.rope.scaling.type", GgufValue::string("yarn")},
      {"llama.vocab_size", GgufValue::u32(0)},
  };
  for (const Bad& bad : cases) {
    TinySpec spec;
    if (bad.value) {
      spec.set[bad.key] = *bad.value;
    } else {
      spec.drop_keys.insert(bad.key);
    }
    const std::string e = load_error(spec);
    EXPECT_NE(e, "loaded") << bad.key;
    expect_contains(e, bad.key.substr(bad.key.find('.') + 1));
  }
}

TEST(Load, GgufV1IsRefused) {
  auto m = load_model(test::data_path("models/stories260K-gguf-v1.gguf"));
  ASSERT_FALSE(m.ok());
  expect_contains(m.error().message, "version 1");
}

}  // namespace
}  // namespace lathe
