#pragma once
// Rotary position embedding.
//
// Within each head the first `n_rot` dimensions are rotated in pairs; the rest pass through
// (partial rotary). Pair i (0 <= i < n_rot/2) turns by the angle
//   theta_i = position * freq_scale * base^(-2i / n_rot) / freq_factors[i]
// Which dimensions form pair i is the style:
//   normal (llama, ggml mode 0): dims (2i, 2i+1), adjacent;
//   neox   (qwen2, gemma, ggml mode 2): dims (i, i + n_rot/2), the two halves.
// Angles, cosines and sines are computed in double and rounded to f32 once.

#include <cstddef>
#include <cstdint>

namespace lathe::cpu {

enum class RopeStyle { normal, neox };

struct RopeParams {
  RopeStyle style = RopeStyle::normal;
  size_t n_rot = 0;  // even, <= head_dim
  float base = 10000.0f;
  float freq_scale = 1.0f;              // linear scaling: 1 / rope.scaling.factor
  const float* freq_factors = nullptr;  // [n_rot / 2] divisors of the frequencies, or nullptr
};

// x: [tokens, heads, head_dim], rotated in place; positions: [tokens].
void rope(float* x, size_t tokens, size_t heads, size_t head_dim, const int32_t* positions,
          const RopeParams& p);

}  // namespace lathe::cpu
