#include "model/blocks.h"

#include <cmath>
#include <cstring>

#include "cpu/activation.h"
#include "cpu/attention.h"
#include "cpu/elementwise.h"
#include "cpu/matmul.h"
#include "cpu/norm.h"

namespace lathe {

void lora_linear(const Linear& w, const float* x, float* y, size_t tokens, cpu::ThreadPool* pool) {
  cpu::matmul(w.weight, x, y, tokens, pool);
  if (!w.bias.empty()) cpu::add_row(y, w.bias.data(), tokens, w.out());
}

void norm(const std::vector<float>& w, const float* x, float* y, size_t tokens, float eps) {
  cpu::rms_norm(x, w.data(), y, tokens, w.size(), eps);
}

AttentionConfig attention_config(const ModelHParams& hp, size_t layer) {
  AttentionConfig c;
  c.n_head = hp.n_head;
  c.n_kv_head = hp.n_head_kv[layer];
  c.head_dim_k = hp.head_dim_k;
  c.head_dim_v = hp.head_dim_v;
  c.rope.style = hp.rope_style;
  c.rope.n_rot = hp.n_rot;
  c.rope.base = hp.rope_base;
  c.rope.freq_scale = hp.rope_freq_scale;
  c.scale = 1.0f / std::sqrt(static_cast<float>(hp.head_dim_k));
  return c;
}

void self_attention(const AttentionWeights& w, const AttentionConfig& c, const float* x, ForwardPass& pass,
                    KvCache& cache, size_t cache_layer, float* out) {
  const size_t n = pass.size();
  const size_t q_row = c.n_head * c.head_dim_k, k_row = c.n_kv_head * c.head_dim_k,
               v_row = c.n_kv_head * c.head_dim_v;
  std::vector<float> q(n * q_row), k(n * k_row), v(n * v_row), attn(n * c.n_head * c.head_dim_v);

  lora_linear(w.q, x, q.data(), n, pass.pool());  // q: [n, n_head, head_dim_k]
  lora_linear(w.k, x, k.data(), n, pass.pool());  // k: [n, n_kv_head, head_dim_k]
  lora_linear(w.v, x, v.data(), n, pass.pool());  // v: [n, n_kv_head, head_dim_v]
  cpu::rope(q.data(), n, c.n_head, c.head_dim_k, pass.positions(), c.rope);
  cpu::rope(k.data(), n, c.n_kv_head, c.head_dim_k, pass.positions(), c.rope);

  // The batch's keys and values go to their positions' slots; queries then see the cache.
  float* k_cache = cache.k(cache_layer);
  float* v_cache = cache.v(cache_layer);
  for (size_t t = 0; t < n; ++t) {
    const size_t slot = static_cast<size_t>(pass.positions()[t]);
    std::memcpy(k_cache + slot * k_row, k.data() + t * k_row, k_row * sizeof(float));
    std::memcpy(v_cache + slot * v_row, v.data() + t * v_row, v_row * sizeof(float));
  }
  const size_t n_keys = static_cast<size_t>(pass.positions()[n - 1]) + 1;

  cpu::AttentionParams p;
  p.n_head = c.n_head;
  p.n_kv_head = c.n_kv_head;
  p.head_dim_k = c.head_dim_k;
  p.head_dim_v = c.head_dim_v;
  p.scale = c.scale;
  p.softcap = c.softcap;
  p.sliding_window = c.sliding_window;
  cpu::attention(q.data(), pass.positions(), n, k_cache, v_cache, n_keys, p, attn.data(), pass.pool());

  lora_linear(w.o, attn.data(), out, n, pass.pool());  // out: [n, d_model]
}

void gated_ffn(const FfnWeights& w, Activation act, const float* x, size_t tokens, float* out,
               cpu::ThreadPool* pool) {
  const size_t n_ff = w.gate.out();
  std::vector<float> gate(tokens * n_ff), up(tokens * n_ff);
  lora_linear(w.gate, x, gate.data(), tokens, pool);  // gate: [tokens, n_ff]
  lora_linear(w.up, x, up.data(), tokens, pool);      // up:   [tokens, n_ff]
  if (act == Activation::silu) {
    cpu::swiglu(gate.data(), up.data(), gate.data(), tokens * n_ff);
  } else {
    cpu::geglu(gate.data(), up.data(), gate.data(), tokens * n_ff);
  }
  lora_linear(w.down, gate.data(), out, tokens, pool);  // out: [tokens, d_model]
}

void output_head(const std::vector<float>& norm_w, float eps, const Linear& output, float final_softcap,
                 const float* x, ForwardPass& pass, Logits& logits) {
  const size_t d = norm_w.size();
  const float* rows = x + (pass.size() - logits.rows) * d;  // all positions, or only the last
  std::vector<float> h(logits.rows * d);
  norm(norm_w, rows, h.data(), logits.rows, eps);
  pass.record_result_norm(h.data(), logits.rows);
  lora_linear(output, h.data(), logits.values.data(), logits.rows, pass.pool());
  if (final_softcap > 0.0f) cpu::softcap(logits.values.data(), logits.values.size(), final_softcap);
}

}  // namespace lathe
