#pragma once
// Normalisation.

#include <cstddef>

namespace lathe::cpu {

// RMS norm, as ggml_rms_norm followed by ggml_mul:
//   y[t] = (x[t] * (1 / sqrt(mean(x[t]²) + eps))) * w
// x, y: [tokens, d] (may alias); w: [d], or nullptr for no weight (an unweighted norm).
// The sum of squares is accumulated in double, as ggml does.
void rms_norm(const float* x, const float* w, float* y, size_t tokens, size_t d, float eps);

}  // namespace lathe::cpu
