#pragma once
// CPU conversion between f32 and ggml's tensor formats, block by block.
//
// Dequantizing reproduces ggml's to_float bit for bit for every type it supports. Quantizing follows
// ggml's quantize_row_*_ref (what llama-quantize does without an importance matrix) operation by
// operation: F16, BF16, Q4_0, Q4_1, Q5_0, Q5_1, Q8_0 and also Q4_K, Q5_K, Q6_K give ggml's bytes
// (tests/quant checks them, and the error bounds of the K-quants on random data).
// Bit-exactness needs a*b+c never fused into an FMA: the .cpp files turn contraction off.
//
// Both functions validate sizes and never read or write outside the spans, whatever the bytes hold:
// they are used on tensors from untrusted files.

#include <cstddef>
#include <cstdint>
#include <span>

#include "core/result.h"
#include "gguf/dtype.h"

namespace lathe {

// src: row_bytes(type, dst.size()) bytes of `type`; dst: the f32 values, a multiple of the block size.
// Errors name the op and the type ("[dequantize] q2_K: ...").
Result<void> dequantize(DType type, std::span<const uint8_t> src, std::span<float> dst);

// src: the f32 values, a multiple of the block size; dst: exactly row_bytes(type, src.size()) bytes.
// For block formats every input must be finite (an error names the first that is not); F16 and BF16
// convert inf and NaN as ggml does.
Result<void> quantize(DType type, std::span<const float> src, std::span<uint8_t> dst);

// The unchecked block loop behind dequantize(): writes blocks * block_size floats from
// blocks * type_size bytes. For hot loops over tensors whose sizes were validated once (the CPU
// matmul dequantizes weight rows with it). nullptr when the type has no dequantizer.
using DequantizeBlocksFn = void (*)(const uint8_t* src, float* dst, size_t blocks);
DequantizeBlocksFn dequantize_blocks_fn(DType type);

// Whether this code has a dequantizer / quantizer for the type (dtype_info's flags should agree).
bool has_dequantizer(DType type);
bool has_quantizer(DType type);

}  // namespace lathe
