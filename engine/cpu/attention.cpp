#include "cpu/attention.h"

#include <algorithm>
#include <cmath>
#include <vector>

#include "cpu/matmul.h"
#include "cpu/softmax.h"
#include "cpu/thread_pool.h"

namespace lathe::cpu {
namespace {

// One query head at one position.
void attend_one(const float* q, size_t pos, const float* k, const float* v, size_t kv_head,
                const AttentionParams& p, float* out) {
  const size_t first = p.sliding_window > 0 && pos + 1 > p.sliding_window ? pos + 1 - p.sliding_window : 0;
  const size_t count = pos + 1 - first;  // visible keys: first..pos
  const size_t k_stride = p.n_kv_head * p.head_dim_k;
  const size_t v_stride = p.n_kv_head * p.head_dim_v;

  thread_local std::vector<float> scores;
  scores.resize(count);
  for (size_t j = 0; j < count; ++j) {
    const float* kj = k + (first + j) * k_stride + kv_head * p.head_dim_k;
    float s = dot(q, kj, p.head_dim_k) * p.scale;
    if (p.softcap > 0.0f) s = std::tanh(s * (1.0f / p.softcap)) * p.softcap;
    scores[j] = s;
  }
  softmax(scores.data(), 1, count);

  std::fill(out, out + p.head_dim_v, 0.0f);
  for (size_t j = 0; j < count; ++j) {
    const float* vj = v + (first + j) * v_stride + kv_head * p.head_dim_v;
    const float w = scores[j];
    for (size_t d = 0; d < p.head_dim_v; ++d) out[d] += w * vj[d];
  }
}

}  // namespace

void attention(const float* q, const int32_t* q_pos, size_t tokens, const float* k, const float* v,
               size_t n_keys, const AttentionParams& p, float* out, ThreadPool* pool) {
  (void)n_keys;  // the caller guarantees q_pos[t] < n_keys
  const size_t group = p.n_head / p.n_kv_head;
  auto chunk = [&](size_t begin, size_t end) {
    for (size_t i = begin; i < end; ++i) {
      const size_t t = i / p.n_head, h = i % p.n_head;
      attend_one(q + (t * p.n_head + h) * p.head_dim_k, static_cast<size_t>(q_pos[t]), k, v, h / group, p,
                 out + (t * p.n_head + h) * p.head_dim_v);
    }
  };
  if (pool == nullptr) {
    chunk(0, tokens * p.n_head);
  } else {
    pool->parallel_for(tokens * p.n_head, chunk, 4);
  }
}

}  // namespace lathe::cpu
