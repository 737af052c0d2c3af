#include "cpu/activation.h"

#include <cmath>

namespace lathe::cpu {

float silu(float x) { return x / (1.0f + std::exp(-x)); }

float gelu(float x) {
  constexpr float kSqrt2OverPi = 0.79788456080286535587989211986876f;
  constexpr float kCoefA = 0.044715f;
  return 0.5f * x * (1.0f + std::tanh(kSqrt2OverPi * x * (1.0f + kCoefA * x * x)));
}

void silu(const float* x, float* y, size_t n) {
  for (size_t i = 0; i < n; ++i) y[i] = silu(x[i]);
}

void gelu(const float* x, float* y, size_t n) {
  for (size_t i = 0; i < n; ++i) y[i] = gelu(x[i]);
}

void swiglu(const float* gate, const float* up, float* y, size_t n) {
  for (size_t i = 0; i < n; ++i) y[i] = silu(gate[i]) * up[i];
}

void geglu(const float* gate, const float* up, float* y, size_t n) {
  for (size_t i = 0; i < n; ++i) y[i] = gelu(gate[i]) * up[i];
}

void softcap(float* x, size_t n, float cap) {
  const float inv = 1.0f / cap;
  for (size_t i = 0; i < n; ++i) x[i] = std::tanh(x[i] * inv) * cap;
}

}  // namespace lathe::cpu
