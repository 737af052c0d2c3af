#pragma once
// Activations, gated units and soft-capping, element-wise in f32 with ggml's formulas.

#include <cstddef>

namespace lathe::cpu {

// silu(x) = x / (1 + exp(-x))
float silu(float x);
// gelu, tanh approximation: 0.5 x (1 + tanh(sqrt(2/pi) x (1 + 0.044715 x²)))
float gelu(float x);

// y[i] = silu(x[i]) / gelu(x[i]); x, y: [n] (may alias)
void silu(const float* x, float* y, size_t n);
void gelu(const float* x, float* y, size_t n);

// Gated units: y[i] = act(gate[i]) * up[i]; gate, up, y: [n] (y may alias either).
void swiglu(const float* gate, const float* up, float* y, size_t n);  // SiLU gate (llama, qwen)
void geglu(const float* gate, const float* up, float* y, size_t n);   // GELU gate (gemma)

// y[i] = tanh(x[i] * (1 / cap)) * cap, in place; x: [n]. As llama.cpp's scale → tanh → scale.
void softcap(float* x, size_t n, float cap);

}  // namespace lathe::cpu
