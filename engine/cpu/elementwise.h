#pragma once
// Element-wise arithmetic on flat f32 buffers.

#include <cstddef>

namespace lathe::cpu {

// y[i] = a[i] + b[i]; all [n], y may alias a or b (the residual add).
void add(const float* a, const float* b, float* y, size_t n);

// x[t, i] += row[i]; x: [rows, n], row: [n] (a bias).
void add_row(float* x, const float* row, size_t rows, size_t n);

// x[t, i] *= row[i]; x: [rows, n], row: [n].
void mul_row(float* x, const float* row, size_t rows, size_t n);

// x[i] *= s; x: [n].
void scale(float* x, size_t n, float s);

}  // namespace lathe::cpu
