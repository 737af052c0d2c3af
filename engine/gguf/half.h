#pragma once
// fp16 (IEEE binary16) and bf16 (brain float) <-> f32, bit-for-bit as ggml converts them.
//
// f32 -> fp16 rounds to nearest, ties to even; values from 65520 up become inf; every NaN becomes
// the quiet NaN 0x7E00 with the input's sign (ggml_compute_fp32_to_fp16).
// fp16 -> f32 is exact; a NaN keeps its payload and comes back quiet (ggml's multiply-based decoder
// quiets signalling NaNs, as the F16C instruction does).
// f32 -> bf16 rounds to nearest, ties to even; a NaN keeps its top bits and is forced quiet
// (ggml_compute_fp32_to_bf16; subnormals are rounded, not flushed). bf16 -> f32 is exact.

#include <bit>
#include <cstdint>

namespace lathe {

constexpr float fp16_to_f32(uint16_t h) {
  const uint32_t sign = static_cast<uint32_t>(h & 0x8000u) << 16;
  const uint32_t exponent = (h >> 10) & 0x1Fu;
  uint32_t mantissa = h & 0x3FFu;
  if (exponent == 0x1F) {  // inf or NaN
    const uint32_t quiet = mantissa != 0 ? 0x00400000u : 0u;
    return std::bit_cast<float>(sign | 0x7F800000u | quiet | (mantissa << 13));
  }
  if (exponent != 0) {  // normal: rebias 15 -> 127
    return std::bit_cast<float>(sign | ((exponent + 112) << 23) | (mantissa << 13));
  }
  if (mantissa == 0) return std::bit_cast<float>(sign);  // +-0
  // Subnormal mantissa * 2^-24: shift the leading one up to the implicit bit.
  uint32_t f32_exponent = 113;  // exponent of 2^-14, the smallest normal fp16
  while ((mantissa & 0x400u) == 0) {
    mantissa <<= 1;
    --f32_exponent;
  }
  return std::bit_cast<float>(sign | (f32_exponent << 23) | ((mantissa & 0x3FFu) << 13));
}

constexpr uint16_t f32_to_fp16(float f) {
  const uint32_t bits = std::bit_cast<uint32_t>(f);
  const uint32_t sign = (bits >> 16) & 0x8000u;
  const uint32_t magnitude = bits & 0x7FFFFFFFu;
  if (magnitude > 0x7F800000u) return static_cast<uint16_t>(sign | 0x7E00u);   // NaN
  if (magnitude >= 0x477FF000u) return static_cast<uint16_t>(sign | 0x7C00u);  // >= 65520: inf
  if (magnitude >= 0x38800000u) {
    // Normal fp16 (>= 2^-14): rebias 127 -> 15 and round 23 mantissa bits to 10. A carry out of
    // the mantissa correctly bumps the exponent.
    const uint32_t rebased = magnitude - (112u << 23);
    uint32_t h = rebased >> 13;
    const uint32_t rest = rebased & 0x1FFFu;
    if (rest > 0x1000u || (rest == 0x1000u && (h & 1u))) ++h;
    return static_cast<uint16_t>(sign | h);
  }
  if (magnitude <= 0x33000000u) return static_cast<uint16_t>(sign);  // <= 2^-25 rounds to 0
  // Subnormal fp16: count units of 2^-24. value = m * 2^(e-150), so units = m >> (126 - e).
  const uint32_t exponent = magnitude >> 23;               // 102..112
  const uint32_t m = (magnitude & 0x7FFFFFu) | 0x800000u;  // with the implicit one
  const uint32_t shift = 126 - exponent;                   // 14..24
  uint32_t h = m >> shift;
  const uint32_t rest = m & ((1u << shift) - 1);
  const uint32_t half = 1u << (shift - 1);
  if (rest > half || (rest == half && (h & 1u))) ++h;  // may carry into the smallest normal
  return static_cast<uint16_t>(sign | h);
}

constexpr float bf16_to_f32(uint16_t h) { return std::bit_cast<float>(static_cast<uint32_t>(h) << 16); }

constexpr uint16_t f32_to_bf16(float f) {
  const uint32_t bits = std::bit_cast<uint32_t>(f);
  if ((bits & 0x7FFFFFFFu) > 0x7F800000u) return static_cast<uint16_t>((bits >> 16) | 0x40u);  // quiet NaN
  return static_cast<uint16_t>((bits + 0x7FFFu + ((bits >> 16) & 1u)) >> 16);
}

}  // namespace lathe
