#include "cpu/softmax.h"

#include <cmath>
#include <limits>

namespace lathe::cpu {

void softmax(float* x, size_t rows, size_t n) {
  for (size_t r = 0; r < rows; ++r) {
    float* row = x + r * n;
    float max = -std::numeric_limits<float>::infinity();
    for (size_t i = 0; i < n; ++i) max = row[i] > max ? row[i] : max;
    if (max == -std::numeric_limits<float>::infinity()) {
      for (size_t i = 0; i < n; ++i) row[i] = 0.0f;
      continue;
    }
    double sum = 0.0;
    for (size_t i = 0; i < n; ++i) {
      row[i] = std::exp(row[i] - max);  // exp(-inf) = 0 for masked entries
      sum += static_cast<double>(row[i]);
    }
    const float inv = static_cast<float>(1.0 / sum);
    for (size_t i = 0; i < n; ++i) row[i] *= inv;
  }
}

}  // namespace lathe::cpu
