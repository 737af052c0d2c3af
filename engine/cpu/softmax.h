#pragma once
// Softmax along rows.

#include <cstddef>

namespace lathe::cpu {

// x: [rows, n], each row replaced by softmax(row) in place. Entries equal to -inf (masked) become 0;
// a row that is all -inf becomes all 0. As ggml: subtract the row max, exponentiate in f32, sum the
// exponentials in double, multiply by the f32 reciprocal of the sum.
void softmax(float* x, size_t rows, size_t n);

}  // namespace lathe::cpu
