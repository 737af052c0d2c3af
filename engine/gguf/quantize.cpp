// Quantization of the float and 32-value block formats, following ggml's quantize_row_*_ref
// (ggml-quants.c) operation by operation, so the bytes match ggml's. Block layouts are the ones
// dequantize.cpp documents. The K-quants live in quantize_k.cpp.

// Bit-exactness needs every a*b+c rounded twice, as ggml's reference build does, never fused.
#if defined(__clang__)
#pragma clang fp contract(off)
#elif defined(__GNUC__)
#pragma GCC optimize("fp-contract=off")
#endif

#include <algorithm>
#include <array>
#include <cfloat>
#include <cmath>
#include <cstring>

#include "gguf/quant.h"
#include "gguf/quant_internal.h"

namespace lathe {
namespace {

using namespace quant;

void quantize_f32(const float* x, uint8_t* b) { std::memcpy(b, x, sizeof(float)); }
void quantize_f16(const float* x, uint8_t* b) { store_u16(b, f32_to_fp16(x[0])); }
void quantize_bf16(const float* x, uint8_t* b) { store_u16(b, f32_to_bf16(x[0])); }

// The value of largest magnitude (the first of equals), which symmetric formats map to -2^(bits-1).
float signed_absmax(const float* x, int n) {
  float amax = 0.0f;
  float max = 0.0f;
  for (int j = 0; j < n; ++j) {
    if (amax < std::fabs(x[j])) {
      amax = std::fabs(x[j]);
      max = x[j];
    }
  }
  return max;
}

struct Range {
  float min;
  float max;
};
Range value_range(const float* x, int n) {
  Range r{FLT_MAX, -FLT_MAX};
  for (int j = 0; j < n; ++j) {
    if (x[j] < r.min) r.min = x[j];
    if (x[j] > r.max) r.max = x[j];
  }
  return r;
}

// q4_0: d = max / -8, so the largest-magnitude value lands on code 0; q = x / d + 8, truncated after
// adding 0.5 (ggml's rounding), at most 15. d is stored as fp16 but the unrounded 1/d divides.
void quantize_q4_0(const float* x, uint8_t* b) {
  const float d = signed_absmax(x, 32) / -8;
  const float id = d != 0.0f ? 1.0f / d : 0.0f;
  store_fp16(b, d);
  for (int j = 0; j < 16; ++j) {
    const float x0 = x[j] * id;
    const float x1 = x[j + 16] * id;
    const int q0 = std::min(15, truncate_clamped(x0 + 8.5f, 0, 127));
    const int q1 = std::min(15, truncate_clamped(x1 + 8.5f, 0, 127));
    b[2 + j] = static_cast<uint8_t>(q0 | (q1 << 4));
  }
}

// q4_1: d = (max - min) / 15, m = min; q = (x - min) / d rounded half up, at most 15.
void quantize_q4_1(const float* x, uint8_t* b) {
  const Range r = value_range(x, 32);
  const float d = (r.max - r.min) / 15;
  const float id = d != 0.0f ? 1.0f / d : 0.0f;
  store_fp16(b, d);
  store_fp16(b + 2, r.min);
  for (int j = 0; j < 16; ++j) {
    const float x0 = (x[j] - r.min) * id;
    const float x1 = (x[j + 16] - r.min) * id;
    const int q0 = std::min(15, truncate_clamped(x0 + 0.5f, 0, 127));
    const int q1 = std::min(15, truncate_clamped(x1 + 0.5f, 0, 127));
    b[4 + j] = static_cast<uint8_t>(q0 | (q1 << 4));
  }
}

// q5_0: as q4_0 with d = max / -16 and 5-bit codes (at most 31); bit 4 of code i goes to qh bit i.
void quantize_q5_0(const float* x, uint8_t* b) {
  const float d = signed_absmax(x, 32) / -16;
  const float id = d != 0.0f ? 1.0f / d : 0.0f;
  store_fp16(b, d);
  uint32_t qh = 0;
  for (int j = 0; j < 16; ++j) {
    const float x0 = x[j] * id;
    const float x1 = x[j + 16] * id;
    const int q0 = std::min(31, truncate_clamped(x0 + 16.5f, 0, 127));
    const int q1 = std::min(31, truncate_clamped(x1 + 16.5f, 0, 127));
    b[6 + j] = static_cast<uint8_t>((q0 & 0xF) | ((q1 & 0xF) << 4));
    qh |= static_cast<uint32_t>(q0 >> 4) << j;
    qh |= static_cast<uint32_t>(q1 >> 4) << (j + 16);
  }
  store_u32(b + 2, qh);
}

// q5_1: as q4_1 with d = (max - min) / 31 and 5-bit codes, high bits as q5_0. (ggml does not clamp
// here; the code cannot pass 31 for finite input, and the clamp keeps it so for any input.)
void quantize_q5_1(const float* x, uint8_t* b) {
  const Range r = value_range(x, 32);
  const float d = (r.max - r.min) / 31;
  const float id = d != 0.0f ? 1.0f / d : 0.0f;
  store_fp16(b, d);
  store_fp16(b + 2, r.min);
  uint32_t qh = 0;
  for (int j = 0; j < 16; ++j) {
    const float x0 = (x[j] - r.min) * id;
    const float x1 = (x[j + 16] - r.min) * id;
    const int q0 = truncate_clamped(x0 + 0.5f, 0, 31);
    const int q1 = truncate_clamped(x1 + 0.5f, 0, 31);
    b[8 + j] = static_cast<uint8_t>((q0 & 0xF) | ((q1 & 0xF) << 4));
    qh |= static_cast<uint32_t>(q0 >> 4) << j;
    qh |= static_cast<uint32_t>(q1 >> 4) << (j + 16);
  }
  store_u32(b + 4, qh);
}

// q8_0: d = absmax / 127; q = round(x / d), halves away from zero.
void quantize_q8_0(const float* x, uint8_t* b) {
  float amax = 0.0f;
  for (int j = 0; j < 32; ++j) amax = std::max(amax, std::fabs(x[j]));
  const float d = amax / 127;
  const float id = d != 0.0f ? 1.0f / d : 0.0f;
  store_fp16(b, d);
  for (int j = 0; j < 32; ++j) {
    const int q = truncate_clamped(std::round(x[j] * id), -128, 127);
    b[2 + j] = static_cast<uint8_t>(static_cast<int8_t>(q));
  }
}

using RowFn = void (*)(const float* src, uint8_t* dst, size_t blocks);

template <size_t kBytes, size_t kElements, void (*kBlock)(const float*, uint8_t*)>
void quantize_blocks(const float* src, uint8_t* dst, size_t blocks) {
  for (size_t i = 0; i < blocks; ++i) kBlock(src + i * kElements, dst + i * kBytes);
}

struct Quantizer {
  DType type;
  uint32_t block_elements;
  uint32_t block_bytes;
  RowFn row;
  bool finite_only;  // block formats cannot represent inf or NaN
};

template <size_t kBytes, size_t kElements, void (*kBlock)(const float*, uint8_t*)>
constexpr Quantizer entry(DType type, bool finite_only) {
  return {type, kElements, kBytes, quantize_blocks<kBytes, kElements, kBlock>, finite_only};
}

constexpr std::array kQuantizers = {
    entry<4, 1, quantize_f32>(DType::F32, false),
    entry<2, 1, quantize_f16>(DType::F16, false),
    entry<2, 1, quantize_bf16>(DType::BF16, false),
    entry<18, 32, quantize_q4_0>(DType::Q4_0, true),
    entry<20, 32, quantize_q4_1>(DType::Q4_1, true),
    entry<22, 32, quantize_q5_0>(DType::Q5_0, true),
    entry<24, 32, quantize_q5_1>(DType::Q5_1, true),
    entry<34, 32, quantize_q8_0>(DType::Q8_0, true),
    Quantizer{DType::Q4_K, kSuperBlock, 144, quantize_q4_k, true},
    Quantizer{DType::Q5_K, kSuperBlock, 176, quantize_q5_k, true},
    Quantizer{DType::Q6_K, kSuperBlock, 210, quantize_q6_k, true},
};

const Quantizer* find_quantizer(DType type) {
  for (const Quantizer& q : kQuantizers) {
    if (q.type == type) return &q;
  }
  return nullptr;
}

}  // namespace

bool has_quantizer(DType type) { return find_quantizer(type) != nullptr; }

Result<void> quantize(DType type, std::span<const float> src, std::span<uint8_t> dst) {
  const Quantizer* q = find_quantizer(type);
  if (!q) return unsupported("quantize", type);
  const std::string_view name = dtype_info(type).name;
  LATHE_CHECK(check_sizes("quantize", name, q->block_elements, q->block_bytes, src.size(), dst.size()));
  if (q->finite_only) {
    auto bad = std::find_if(src.begin(), src.end(), [](float v) { return !std::isfinite(v); });
    if (bad != src.end()) {
      return make_error("[quantize] {}: element {} is {}, which {} cannot represent", name, bad - src.begin(),
                        *bad, name);
    }
  }
  q->row(src.data(), dst.data(), src.size() / q->block_elements);
  return {};
}

}  // namespace lathe
