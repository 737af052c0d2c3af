#pragma once
// The blocks decoder layers are built from: projections (lora_linear), norms, self-attention over
// the KV cache, gated feed-forward and the output head. Architecture files compose them in the
// order of their block diagram; all shapes are [tokens, features], row-major f32.

#include <cstddef>
#include <vector>

#include "cpu/rope.h"
#include "model/model.h"
#include "model/weights.h"

namespace lathe {

// y: [tokens, w.out()] = x: [tokens, w.in()] · Wᵀ + b.
// Every projection of every architecture goes through this one function, so that LoRA adapters
// are attached, trained, hot-swapped and merged in one place. Today it is the matmul and the bias.
void lora_linear(const Linear& w, const float* x, float* y, size_t tokens, cpu::ThreadPool* pool);

// y = rms_norm(x) * w; x, y: [tokens, w.size()] (may alias).
void norm(const std::vector<float>& w, const float* x, float* y, size_t tokens, float eps);

struct AttentionWeights {
  Linear q;  // d_model -> n_head * head_dim_k
  Linear k;  // d_model -> n_kv_head * head_dim_k
  Linear v;  // d_model -> n_kv_head * head_dim_v
  Linear o;  // n_head * head_dim_v -> d_model
};

struct AttentionConfig {
  size_t n_head = 0;
  size_t n_kv_head = 0;
  size_t head_dim_k = 0;
  size_t head_dim_v = 0;
  cpu::RopeParams rope;
  float scale = 1.0f;         // on q · k
  float softcap = 0.0f;       // on the scores; 0 = none
  size_t sliding_window = 0;  // 0 = full causal attention
};

// Layer `layer`'s attention shape from the hyper-parameters: its KV heads, RoPE as the file says,
// scale 1/sqrt(head_dim_k), no soft-cap, no window. Architectures adjust what differs.
AttentionConfig attention_config(const ModelHParams& hp, size_t layer);

// Self-attention of a batch: q, k, v projections; RoPE on q and k; the batch's k and v stored in
// cache layer `cache_layer` at their positions; attention of each query over the cache up to its
// own position; output projection.
// x: [tokens, d_model] (already normed) -> out: [tokens, d_model]
void self_attention(const AttentionWeights& w, const AttentionConfig& c, const float* x, ForwardPass& pass,
                    KvCache& cache, size_t cache_layer, float* out);

struct FfnWeights {
  Linear gate;  // d_model -> n_ff
  Linear up;    // d_model -> n_ff
  Linear down;  // n_ff -> d_model
};

enum class Activation { silu, gelu };

// out = down(act(gate · x) * (up · x)): SwiGLU with silu, GeGLU with gelu.
// x: [tokens, d_model] (already normed) -> out: [tokens, d_model]
void gated_ffn(const FfnWeights& w, Activation act, const float* x, size_t tokens, float* out,
               cpu::ThreadPool* pool);

// Final norm and output projection of the positions that need logits (all, or the last), with an
// optional soft-cap on the logits. Records result_norm in the trace.
// x: [tokens, d_model] residual stream -> logits: [logits.rows, vocab]
void output_head(const std::vector<float>& norm_w, float eps, const Linear& output, float final_softcap,
                 const float* x, ForwardPass& pass, Logits& logits);

}  // namespace lathe
