#include "cpu/rope.h"

#include <cmath>
#include <vector>

namespace lathe::cpu {

void rope(float* x, size_t tokens, size_t heads, size_t head_dim, const int32_t* positions,
          const RopeParams& p) {
  const size_t pairs = p.n_rot / 2;
  std::vector<float> cos_t(pairs), sin_t(pairs);
  for (size_t t = 0; t < tokens; ++t) {
    for (size_t i = 0; i < pairs; ++i) {
      double theta =
          static_cast<double>(positions[t]) * static_cast<double>(p.freq_scale) *
          std::pow(static_cast<double>(p.base), -2.0 * static_cast<double>(i) / static_cast<double>(p.n_rot));
      if (p.freq_factors != nullptr) theta /= static_cast<double>(p.freq_factors[i]);
      cos_t[i] = static_cast<float>(std::cos(theta));
      sin_t[i] = static_cast<float>(std::sin(theta));
    }
    for (size_t h = 0; h < heads; ++h) {
      float* v = x + (t * heads + h) * head_dim;
      for (size_t i = 0; i < pairs; ++i) {
        const size_t a = p.style == RopeStyle::normal ? 2 * i : i;
        const size_t b = p.style == RopeStyle::normal ? 2 * i + 1 : i + pairs;
        const float x0 = v[a], x1 = v[b];
        v[a] = x0 * cos_t[i] - x1 * sin_t[i];
        v[b] = x0 * sin_t[i] + x1 * cos_t[i];
      }
    }
  }
}

}  // namespace lathe::cpu
