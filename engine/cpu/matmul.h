#pragma once
// Matrix products of f32 activations by weight matrices stored in any GGUF type the engine can
// dequantize, and row look-ups (token embeddings).
//
// A weight matrix is ggml's [cols, rows] tensor: `rows` rows of `cols` contiguous values, each row
// row_bytes(type, cols) bytes. The product dequantizes one row at a time (bit-exact, as ggml's
// to_float) and dots it with every token's activations in f32, so y equals what an f32 matmul on
// the dequantized weights gives, up to the order of the f32 additions.

#include <cstddef>
#include <cstdint>
#include <span>

#include "core/result.h"
#include "gguf/dtype.h"

namespace lathe::cpu {

class ThreadPool;

// A view of a matrix inside a mapped file. The owner checked its bytes and type when it made it.
struct WeightView {
  DType type = DType::F32;
  const uint8_t* data = nullptr;
  size_t rows = 0;       // output features (ggml ne[1])
  size_t cols = 0;       // input features (ggml ne[0]), a multiple of the type's block size
  size_t row_bytes = 0;  // bytes per row

  bool empty() const { return data == nullptr; }
};

// A view after checking that `bytes` holds rows x cols values of `type` and that the type can be
// dequantized. `what` names the tensor in errors.
Result<WeightView> make_weight_view(DType type, std::span<const uint8_t> bytes, size_t rows, size_t cols,
                                    std::string_view what);

// f32 dot product with eight running partial sums (combined pairwise at the end): the summation
// order every CPU kernel here uses.
float dot(const float* a, const float* b, size_t n);

// y: [tokens, w.rows] = x: [tokens, w.cols] · wᵀ. Split over output rows across the pool.
void matmul(const WeightView& w, const float* x, float* y, size_t tokens, ThreadPool* pool);

// out: [ids.size(), w.cols] = rows `ids` of w, dequantized. Every id must be < w.rows.
void get_rows(const WeightView& w, std::span<const int32_t> ids, float* out);

}  // namespace lathe::cpu
