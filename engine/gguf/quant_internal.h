#pragma once
// Internal to gguf/*quant*.cpp: little-endian field access, ggml's tables and rounding helpers, and
// the size checks both directions share. Blocks are byte arrays read field by field (ggml's
// block_* structs are packed little-endian), so nothing depends on host alignment or byte order.

#include <bit>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "core/result.h"
#include "gguf/dtype.h"
#include "gguf/half.h"

namespace lathe::quant {

// Elements in a K-quant super-block (ggml's QK_K).
inline constexpr int kSuperBlock = 256;

inline uint16_t load_u16(const uint8_t* p) { return static_cast<uint16_t>(p[0] | (p[1] << 8)); }
inline uint32_t load_u32(const uint8_t* p) {
  return static_cast<uint32_t>(p[0]) | (static_cast<uint32_t>(p[1]) << 8) |
         (static_cast<uint32_t>(p[2]) << 16) | (static_cast<uint32_t>(p[3]) << 24);
}
inline void store_u16(uint8_t* p, uint16_t v) {
  p[0] = static_cast<uint8_t>(v);
  p[1] = static_cast<uint8_t>(v >> 8);
}
inline void store_u32(uint8_t* p, uint32_t v) {
  for (int i = 0; i < 4; ++i) p[i] = static_cast<uint8_t>(v >> (8 * i));
}
inline float load_fp16(const uint8_t* p) { return fp16_to_f32(load_u16(p)); }
inline void store_fp16(uint8_t* p, float v) { store_u16(p, f32_to_fp16(v)); }

// IQ4_NL / IQ4_XS codebook (ggml-common.h kvalues_iq4nl): a nibble indexes it.
inline constexpr int8_t kIq4nlValues[16] = {-127, -104, -83, -65, -49, -35, -22, -10,
                                            1,    13,   25,  38,  53,  69,  89,  113};

// Q4_K / Q5_K pack eight 6-bit (scale, min) pairs into 12 bytes (ggml's get_scale_min_k4):
//   bytes 0-3:  scale j (low 6 bits) for j < 4, top 2 bits: high bits of scale j+4
//   bytes 4-7:  min j   (low 6 bits) for j < 4, top 2 bits: high bits of min j+4
//   bytes 8-11: low nibble: low 4 bits of scale j+4, high nibble: low 4 bits of min j+4
struct ScaleMin {
  uint8_t scale;
  uint8_t min;
};
inline ScaleMin k4_scale_min(int j, const uint8_t* scales) {
  if (j < 4) return {static_cast<uint8_t>(scales[j] & 63), static_cast<uint8_t>(scales[j + 4] & 63)};
  return {static_cast<uint8_t>((scales[j + 4] & 0xF) | ((scales[j - 4] >> 6) << 4)),
          static_cast<uint8_t>((scales[j + 4] >> 4) | ((scales[j] >> 6) << 4))};
}

// ggml's nearest_int: round to nearest, ties to even, by adding 1.5 * 2^23 and reading the mantissa.
// Exact for |v| <= 2^22 - 1; beyond that (where ggml asserts) the result is clamped, NaN gives 0.
inline int nearest_int(float v) {
  constexpr float kLimit = 4194303.0f;
  if (!(std::fabs(v) <= kLimit)) return v > 0 ? 4194303 : (v < 0 ? -4194303 : 0);
  const uint32_t bits = std::bit_cast<uint32_t>(v + 12582912.0f);
  return static_cast<int>(bits & 0x007FFFFFu) - 0x00400000;
}

// C's float -> integer conversion (truncation toward zero), made total: out-of-range values clamp
// to [lo, hi] and NaN gives lo, where a C cast would be undefined.
inline int truncate_clamped(float v, int lo, int hi) {
  if (!(v >= static_cast<float>(lo))) return lo;
  if (!(v <= static_cast<float>(hi))) return hi;
  return static_cast<int>(v);
}

// Checks a conversion's sizes against the converter's own block layout (not only dtype.h's, so a
// wrong table entry cannot make a converter step outside its spans): `elements` a multiple of the
// block, `bytes` exactly what they take.
inline Result<void> check_sizes(std::string_view op, std::string_view type_name, size_t block_elements,
                                size_t block_bytes, size_t elements, size_t bytes) {
  if (elements % block_elements != 0) {
    return make_error("[{}] {}: {} elements is not a multiple of the block size {}", op, type_name, elements,
                      block_elements);
  }
  const uint64_t expected = static_cast<uint64_t>(elements / block_elements) * block_bytes;
  if (bytes != expected) {
    return make_error("[{}] {}: {} elements take {} bytes, got {}", op, type_name, elements, expected, bytes);
  }
  return {};
}

// The error for a type without a converter, or an id ggml does not define.
inline Error unsupported(std::string_view op, DType type) {
  const uint32_t id = static_cast<uint32_t>(type);
  if (auto info = dtype_info(id))
    return make_error("[{}] {} (type id {}) is not supported", op, info->name, id);
  return make_error("[{}] unknown type id {}", op, id);
}

// Q4_K, Q5_K, Q6_K quantizers (quantize_k.cpp): `blocks` super-blocks of x into y.
void quantize_q4_k(const float* x, uint8_t* y, size_t blocks);
void quantize_q5_k(const float* x, uint8_t* y, size_t blocks);
void quantize_q6_k(const float* x, uint8_t* y, size_t blocks);

}  // namespace lathe::quant
