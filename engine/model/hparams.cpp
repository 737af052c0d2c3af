#include "model/hparams.h"

#include <cmath>
#include <limits>
#include <map>

#include "gguf/reader.h"

namespace lathe {
namespace hparam {

Result<size_t> get_uint(const GgufFile& f, const std::string& key, std::optional<size_t> fallback, size_t lo,
                        size_t hi) {
  if (!f.has(key)) {
    if (fallback) return *fallback;
    return make_error("{}: metadata key '{}' is missing; this model cannot be run without it", f.name(), key);
  }
  LATHE_TRY(uint64_t v, f.get_uint(key));
  if (v < lo || v > hi) {
    return make_error("{}: metadata key '{}' is {}, outside the plausible range [{}, {}]", f.name(), key, v,
                      lo, hi);
  }
  return static_cast<size_t>(v);
}

Result<float> get_float(const GgufFile& f, const std::string& key, std::optional<float> fallback, double lo,
                        double hi) {
  if (!f.has(key)) {
    if (fallback) return *fallback;
    return make_error("{}: metadata key '{}' is missing; this model cannot be run without it", f.name(), key);
  }
  LATHE_TRY(double v, f.get_float(key));
  if (!std::isfinite(v) || v < lo || v > hi) {
    return make_error("{}: metadata key '{}' is {}, outside the plausible range [{}, {}]", f.name(), key, v,
                      lo, hi);
  }
  return static_cast<float>(v);
}

Result<std::vector<size_t>> per_layer_uint(const GgufFile& f, const std::string& key, size_t n_layer,
                                           std::optional<size_t> fallback, size_t lo, size_t hi) {
  const GgufValue* v = f.find(key);
  const GgufArray* a = v ? v->as_array() : nullptr;
  if (a == nullptr) {
    LATHE_TRY(size_t one, get_uint(f, key, fallback, lo, hi));
    return std::vector<size_t>(n_layer, one);
  }
  if (!a->is_integer() || a->count != n_layer) {
    return make_error("{}: metadata key '{}' must be one integer or {} integers (one per layer), not {} {}",
                      f.name(), key, n_layer, a->count, gguf_type_name(a->type));
  }
  std::vector<size_t> out(n_layer);
  for (size_t i = 0; i < n_layer; ++i) {
    const int64_t x = a->int_at(i);
    if (x < 0 || static_cast<uint64_t>(x) < lo || static_cast<uint64_t>(x) > hi) {
      return make_error("{}: metadata key '{}' is {} for layer {}, outside the plausible range [{}, {}]",
                        f.name(), key, x, i, lo, hi);
    }
    out[i] = static_cast<size_t>(x);
  }
  return out;
}

}  // namespace hparam

namespace {

// Plausibility limits: far above any released model, low enough that products of them stay small.
constexpr size_t kMaxLayers = 1024;
constexpr size_t kMaxDModel = 1 << 16;
constexpr size_t kMaxHeads = 1024;
constexpr size_t kMaxHeadDim = 4096;
constexpr size_t kMaxFfn = 1 << 20;
constexpr size_t kMaxContext = 1 << 24;
constexpr size_t kMaxVocab = 1 << 24;

// RoPE pairing by architecture, as llama.cpp's llama_model_rope_type.
cpu::RopeStyle rope_style_for(const std::string& arch) {
  static const std::map<std::string, cpu::RopeStyle> styles = {
      {"llama", cpu::RopeStyle::normal}, {"qwen2", cpu::RopeStyle::neox},  {"qwen3", cpu::RopeStyle::neox},
      {"gemma2", cpu::RopeStyle::neox},  {"gemma3", cpu::RopeStyle::neox}, {"gemma4", cpu::RopeStyle::neox},
      {"phi3", cpu::RopeStyle::neox},
  };
  auto it = styles.find(arch);
  return it == styles.end() ? cpu::RopeStyle::normal : it->second;
}

// rope.scaling.type / rope.scaling.factor (and the older rope.scale_linear) as a frequency scale.
Result<float> rope_freq_scale(const GgufFile& f, const std::string& a) {
  std::string type = "none";
  if (f.has(a + "rope.scaling.type")) {
    LATHE_TRY(type, f.get_string(a + "rope.scaling.type"));
  }
  if (f.has(a + "rope.scale_linear")) {
    LATHE_TRY(float factor, hparam::get_float(f, a + "rope.scale_linear", 1.0f, 1e-6, 1e6));
    return 1.0f / factor;
  }
  if (type == "none") return 1.0f;
  LATHE_TRY(float factor, hparam::get_float(f, a + "rope.scaling.factor", 1.0f, 0.0, 1e6));
  if (type == "linear") return factor == 0.0f ? 1.0f : 1.0f / factor;
  return make_error("{}: RoPE scaling '{}' ({}rope.scaling.type) is not supported yet (none and linear are)",
                    f.name(), type, a);
}

Result<size_t> vocab_size(const GgufFile& f, const std::string& a) {
  if (f.has(a + "vocab_size")) return hparam::get_uint(f, a + "vocab_size", std::nullopt, 1, kMaxVocab);
  if (f.has("tokenizer.ggml.tokens")) {
    LATHE_TRY(const GgufArray* tokens, f.get_array("tokenizer.ggml.tokens"));
    return static_cast<size_t>(tokens->count);
  }
  if (const GgufTensorInfo* embd = f.find_tensor("token_embd.weight"); embd != nullptr && embd->n_dims == 2) {
    return static_cast<size_t>(embd->ne[1]);
  }
  return make_error(
      "{}: the vocabulary size is unknown: no '{}vocab_size', no tokenizer and no token_embd.weight",
      f.name(), a);
}

}  // namespace

Result<ModelHParams> read_hparams(const GgufFile& f) {
  ModelHParams h;
  h.architecture = f.architecture();
  if (h.architecture.empty())
    return make_error("{}: 'general.architecture' is missing: not a model", f.name());
  const std::string a = h.architecture + ".";
  using namespace hparam;

  LATHE_TRY(h.n_layer, get_uint(f, a + "block_count", std::nullopt, 1, kMaxLayers));
  LATHE_TRY(h.d_model, get_uint(f, a + "embedding_length", std::nullopt, 1, kMaxDModel));
  LATHE_TRY(h.n_ctx_train, get_uint(f, a + "context_length", std::nullopt, 1, kMaxContext));
  LATHE_TRY(std::vector<size_t> heads,
            per_layer_uint(f, a + "attention.head_count", h.n_layer, std::nullopt, 1, kMaxHeads));
  h.n_head = heads[0];
  for (size_t x : heads) {
    if (x != h.n_head) {
      return make_error("{}: '{}attention.head_count' differs between layers, which is not supported",
                        f.name(), a);
    }
  }
  LATHE_TRY(h.n_head_kv, per_layer_uint(f, a + "attention.head_count_kv", h.n_layer, h.n_head, 1, kMaxHeads));
  for (size_t l = 0; l < h.n_layer; ++l) {
    if (h.n_head % h.n_head_kv[l] != 0) {
      return make_error(
          "{}: layer {} has {} key/value heads, which does not divide its {} query heads "
          "('{}attention.head_count_kv')",
          f.name(), l, h.n_head_kv[l], h.n_head, a);
    }
  }
  LATHE_TRY(h.n_ff, per_layer_uint(f, a + "feed_forward_length", h.n_layer, std::nullopt, 1, kMaxFfn));

  if (!f.has(a + "attention.key_length") && h.d_model % h.n_head != 0) {
    return make_error(
        "{}: '{}embedding_length' {} is not a multiple of '{}attention.head_count' {} and "
        "'{}attention.key_length' is missing",
        f.name(), a, h.d_model, a, h.n_head, a);
  }
  LATHE_TRY(h.head_dim_k, get_uint(f, a + "attention.key_length", h.d_model / h.n_head, 1, kMaxHeadDim));
  LATHE_TRY(h.head_dim_v, get_uint(f, a + "attention.value_length", h.head_dim_k, 1, kMaxHeadDim));

  LATHE_TRY(h.rms_eps, get_float(f, a + "attention.layer_norm_rms_epsilon", std::nullopt, 1e-30, 1.0));
  h.rope_style = rope_style_for(h.architecture);
  LATHE_TRY(h.n_rot, get_uint(f, a + "rope.dimension_count", h.head_dim_k, 0, h.head_dim_k));
  if (h.n_rot % 2 != 0) {
    return make_error("{}: '{}rope.dimension_count' is {}, but RoPE rotates pairs: it must be even", f.name(),
                      a, h.n_rot);
  }
  LATHE_TRY(h.rope_base, get_float(f, a + "rope.freq_base", 10000.0f, 1e-6, 1e12));
  LATHE_TRY(h.rope_freq_scale, rope_freq_scale(f, a));

  LATHE_TRY(h.attn_softcap, get_float(f, a + "attn_logit_softcapping", 0.0f, 0.0, 1e6));
  LATHE_TRY(h.final_softcap, get_float(f, a + "final_logit_softcapping", 0.0f, 0.0, 1e6));
  LATHE_TRY(h.sliding_window, get_uint(f, a + "attention.sliding_window", 0, 0, kMaxContext));
  LATHE_TRY(h.n_vocab, vocab_size(f, a));
  if (h.n_vocab == 0 || h.n_vocab > kMaxVocab) {
    return make_error("{}: the vocabulary has {} tokens, outside [1, {}]", f.name(), h.n_vocab, kMaxVocab);
  }
  return h;
}

}  // namespace lathe
