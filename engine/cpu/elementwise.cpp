#include "cpu/elementwise.h"

namespace lathe::cpu {

void add(const float* a, const float* b, float* y, size_t n) {
  for (size_t i = 0; i < n; ++i) y[i] = a[i] + b[i];
}

void add_row(float* x, const float* row, size_t rows, size_t n) {
  for (size_t r = 0; r < rows; ++r) {
    for (size_t i = 0; i < n; ++i) x[r * n + i] += row[i];
  }
}

void mul_row(float* x, const float* row, size_t rows, size_t n) {
  for (size_t r = 0; r < rows; ++r) {
    for (size_t i = 0; i < n; ++i) x[r * n + i] *= row[i];
  }
}

void scale(float* x, size_t n, float s) {
  for (size_t i = 0; i < n; ++i) x[i] *= s;
}

}  // namespace lathe::cpu
