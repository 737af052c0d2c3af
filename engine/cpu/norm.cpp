#include "cpu/norm.h"

#include <cmath>

namespace lathe::cpu {

void rms_norm(const float* x, const float* w, float* y, size_t tokens, size_t d, float eps) {
  for (size_t t = 0; t < tokens; ++t) {
    const float* xt = x + t * d;
    float* yt = y + t * d;
    double sum = 0.0;
    for (size_t i = 0; i < d; ++i) sum += static_cast<double>(xt[i] * xt[i]);
    const float mean = static_cast<float>(sum / static_cast<double>(d));
    const float scale = 1.0f / std::sqrt(mean + eps);
    if (w != nullptr) {
      for (size_t i = 0; i < d; ++i) yt[i] = (xt[i] * scale) * w[i];
    } else {
      for (size_t i = 0; i < d; ++i) yt[i] = xt[i] * scale;
    }
  }
}

}  // namespace lathe::cpu
