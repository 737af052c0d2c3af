#pragma once
// Hyper-parameters from a GGUF file's metadata, with llama.cpp's keys (`<arch>.block_count`, ...)
// and defaults, checked so that a hostile file gives an error naming the key instead of a huge
// allocation or a division by zero.
//
// read_hparams reads what every decoder-only architecture shares. Keys a single architecture needs
// are read by its own file with the helpers at the bottom.

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/result.h"
#include "cpu/rope.h"

namespace lathe {

class GgufFile;

struct ModelHParams {
  std::string architecture;  // general.architecture
  size_t n_layer = 0;        // block_count
  size_t d_model = 0;        // embedding_length
  size_t n_head = 0;         // attention.head_count
  std::vector<size_t>
      n_head_kv;             // [n_layer] attention.head_count_kv (one value or one per layer; default n_head)
  std::vector<size_t> n_ff;  // [n_layer] feed_forward_length (one value or one per layer)
  size_t head_dim_k = 0;     // attention.key_length, default d_model / n_head
  size_t head_dim_v = 0;     // attention.value_length, default head_dim_k
  size_t n_ctx_train = 0;    // context_length
  size_t n_vocab = 0;        // vocab_size, else the tokenizer's token count, else token_embd's rows
  float rms_eps = 0.0f;      // attention.layer_norm_rms_epsilon

  cpu::RopeStyle rope_style = cpu::RopeStyle::normal;  // by architecture
  size_t n_rot = 0;                                    // rope.dimension_count, default head_dim_k
  float rope_base = 10000.0f;                          // rope.freq_base, default 10000
  float rope_freq_scale = 1.0f;                        // 1 / rope.scaling.factor for linear scaling

  // Read when present; architectures that do not use them ignore them.
  float attn_softcap = 0.0f;   // attn_logit_softcapping
  float final_softcap = 0.0f;  // final_logit_softcapping
  size_t sliding_window = 0;   // attention.sliding_window

  size_t q_dim() const { return n_head * head_dim_k; }
  size_t k_dim(size_t layer) const { return n_head_kv[layer] * head_dim_k; }
  size_t v_dim(size_t layer) const { return n_head_kv[layer] * head_dim_v; }
};

// Reads and checks the shared hyper-parameters. Errors name the file and the key.
Result<ModelHParams> read_hparams(const GgufFile& file);

// Helpers for architecture-specific keys. `key` is the full key ("gemma2.attn_logit_softcapping").
namespace hparam {
// An unsigned integer in [lo, hi]; `fallback` when absent (nullopt: the key is required).
Result<size_t> get_uint(const GgufFile& f, const std::string& key, std::optional<size_t> fallback, size_t lo,
                        size_t hi);
// A finite float in [lo, hi]; `fallback` when absent (nullopt: required).
Result<float> get_float(const GgufFile& f, const std::string& key, std::optional<float> fallback, double lo,
                        double hi);
// One unsigned integer for every layer, or an array of n_layer of them, each in [lo, hi].
Result<std::vector<size_t>> per_layer_uint(const GgufFile& f, const std::string& key, size_t n_layer,
                                           std::optional<size_t> fallback, size_t lo, size_t hi);
}  // namespace hparam

}  // namespace lathe
