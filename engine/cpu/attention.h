#pragma once
// Scaled dot-product attention over a KV cache: causal, grouped-query, with an optional sliding
// window and an optional soft-cap on the scores.
//
// For query head h at position p (with r = n_head / n_kv_head, h uses KV head h / r):
//   s_j  = (q · k_j) * scale                     for visible keys j
//   s_j  = softcap * tanh(s_j * (1 / softcap))   when softcap > 0
//   out  = sum_j softmax(s)_j * v_j
// Key j sits at position j. It is visible when j <= p and, with a window w > 0, p - j < w
// (llama.cpp's standard sliding window). Masked keys carry exactly zero weight, so only the visible
// range is computed.

#include <cstddef>
#include <cstdint>

namespace lathe::cpu {

class ThreadPool;

struct AttentionParams {
  size_t n_head = 0;
  size_t n_kv_head = 0;   // divides n_head
  size_t head_dim_k = 0;  // q and k
  size_t head_dim_v = 0;
  float scale = 1.0f;         // usually 1 / sqrt(head_dim_k)
  float softcap = 0.0f;       // 0: none
  size_t sliding_window = 0;  // 0: the whole causal past
};

// q:   [tokens, n_head, head_dim_k]; q_pos: [tokens], each < n_keys
// k:   [n_keys, n_kv_head, head_dim_k]
// v:   [n_keys, n_kv_head, head_dim_v]
// out: [tokens, n_head, head_dim_v]
// Split over (token, head) across the pool.
void attention(const float* q, const int32_t* q_pos, size_t tokens, const float* k, const float* v,
               size_t n_keys, const AttentionParams& p, float* out, ThreadPool* pool);

}  // namespace lathe::cpu
