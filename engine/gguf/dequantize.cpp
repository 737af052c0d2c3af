// Dequantization: one function per ggml type, each turning one block of bytes into floats.
// Every expression keeps ggml's operand order and types (dequantize_row_* in ggml-quants.c) so the
// floats match bit for bit. Offsets below are byte offsets in the block; fp16 fields are
// little-endian; "x[i]" is the i-th output of the block.

// Bit-exactness needs every a*b+c rounded twice, as ggml's reference build does, never fused.
#if defined(__clang__)
#pragma clang fp contract(off)
#elif defined(__GNUC__)
#pragma GCC optimize("fp-contract=off")
#endif

#include <array>
#include <cstring>

#include "gguf/quant.h"
#include "gguf/quant_internal.h"

namespace lathe {
namespace {

using namespace quant;

// f32: 4 bytes, little-endian (the host is too: x86-64 / AArch64).
void dequantize_f32(const uint8_t* b, float* x) { std::memcpy(x, b, sizeof(float)); }

// f16: 2 bytes.
void dequantize_f16(const uint8_t* b, float* x) { x[0] = load_fp16(b); }

// bf16: 2 bytes.
void dequantize_bf16(const uint8_t* b, float* x) { x[0] = bf16_to_f32(load_u16(b)); }

// q4_0, 18 bytes / 32 values: d fp16 @0, qs[16] @2.
// x[j] = (low nibble of qs[j] - 8) * d, x[j+16] = (high nibble - 8) * d.
void dequantize_q4_0(const uint8_t* b, float* x) {
  const float d = load_fp16(b);
  const uint8_t* qs = b + 2;
  for (int j = 0; j < 16; ++j) {
    x[j] = ((qs[j] & 0xF) - 8) * d;
    x[j + 16] = ((qs[j] >> 4) - 8) * d;
  }
}

// q4_1, 20 bytes / 32 values: d fp16 @0, m fp16 @2, qs[16] @4. x = nibble * d + m (nibbles as q4_0).
void dequantize_q4_1(const uint8_t* b, float* x) {
  const float d = load_fp16(b);
  const float m = load_fp16(b + 2);
  const uint8_t* qs = b + 4;
  for (int j = 0; j < 16; ++j) {
    x[j] = (qs[j] & 0xF) * d + m;
    x[j + 16] = (qs[j] >> 4) * d + m;
  }
}

// q5_0, 22 bytes / 32 values: d fp16 @0, qh u32 @2, qs[16] @6.
// 5-bit q = nibble (as q4_0) | bit 4 from qh bit i (value i); x = (q - 16) * d.
void dequantize_q5_0(const uint8_t* b, float* x) {
  const float d = load_fp16(b);
  const uint32_t qh = load_u32(b + 2);
  const uint8_t* qs = b + 6;
  for (int j = 0; j < 16; ++j) {
    const int q0 = (qs[j] & 0xF) | (((qh >> j) & 1u) << 4);
    const int q1 = (qs[j] >> 4) | (((qh >> (j + 16)) & 1u) << 4);
    x[j] = (q0 - 16) * d;
    x[j + 16] = (q1 - 16) * d;
  }
}

// q5_1, 24 bytes / 32 values: d fp16 @0, m fp16 @2, qh u32 @4, qs[16] @8. x = q * d + m (q as q5_0).
void dequantize_q5_1(const uint8_t* b, float* x) {
  const float d = load_fp16(b);
  const float m = load_fp16(b + 2);
  const uint32_t qh = load_u32(b + 4);
  const uint8_t* qs = b + 8;
  for (int j = 0; j < 16; ++j) {
    const int q0 = (qs[j] & 0xF) | (((qh >> j) & 1u) << 4);
    const int q1 = (qs[j] >> 4) | (((qh >> (j + 16)) & 1u) << 4);
    x[j] = q0 * d + m;
    x[j + 16] = q1 * d + m;
  }
}

// q8_0, 34 bytes / 32 values: d fp16 @0, qs int8[32] @2. x[j] = qs[j] * d.
void dequantize_q8_0(const uint8_t* b, float* x) {
  const float d = load_fp16(b);
  for (int j = 0; j < 32; ++j) x[j] = static_cast<int8_t>(b[2 + j]) * d;
}

// q2_K, 84 bytes / 256 values: scales[16] @0, qs[64] @16, d fp16 @80, dmin fp16 @82.
// Sixteen groups of 16; group g: scale = d * (scales[g] & 15), min = dmin * (scales[g] >> 4),
// x = scale * q - min. 2-bit q: value 128h + 32s + 16t + l (h<2, s<4, t<2, l<16) sits in bits
// 2s..2s+1 of qs[32h + 16t + l]; its group is g = 8h + 2s + t.
void dequantize_q2_k(const uint8_t* b, float* x) {
  const uint8_t* scales = b;
  const float d = load_fp16(b + 80);
  const float dmin = load_fp16(b + 82);
  for (int h = 0; h < 2; ++h) {
    const uint8_t* q = b + 16 + 32 * h;
    for (int s = 0; s < 4; ++s) {
      for (int t = 0; t < 2; ++t) {
        const uint8_t sc = scales[8 * h + 2 * s + t];
        const float dl = d * (sc & 0xF);
        const float ml = dmin * (sc >> 4);
        float* out = x + 128 * h + 32 * s + 16 * t;
        for (int l = 0; l < 16; ++l) out[l] = dl * ((q[16 * t + l] >> (2 * s)) & 3) - ml;
      }
    }
  }
}

// q3_K, 110 bytes / 256 values: hmask[32] @0, qs[64] @32, scales[12] @96, d fp16 @108.
// Sixteen groups of 16 with signed 6-bit scales: scale g has low 4 bits in scales[g] (g < 8, low
// nibble) or scales[g-8] (high nibble), high 2 bits in bits 2(g/4).. of scales[8 + g%4]; it is
// stored +32. 3-bit q: low 2 bits placed as in q2_K, high bit of value 128h + 32s + 16t + l in bit
// 4h + s of hmask[16t + l]; x = d * (scale - 32) * (q - 4).
void dequantize_q3_k(const uint8_t* b, float* x) {
  const uint8_t* hmask = b;
  const uint8_t* packed = b + 96;
  const float d = load_fp16(b + 108);
  std::array<int, 16> scales;
  for (int g = 0; g < 16; ++g) {
    const int low = g < 8 ? packed[g] & 0xF : packed[g - 8] >> 4;
    const int high = (packed[8 + g % 4] >> (2 * (g / 4))) & 3;
    scales[g] = (low | (high << 4)) - 32;
  }
  for (int h = 0; h < 2; ++h) {
    const uint8_t* q = b + 32 + 32 * h;
    for (int s = 0; s < 4; ++s) {
      const uint8_t bit = static_cast<uint8_t>(1u << (4 * h + s));
      for (int t = 0; t < 2; ++t) {
        const float dl = d * scales[8 * h + 2 * s + t];
        float* out = x + 128 * h + 32 * s + 16 * t;
        for (int l = 0; l < 16; ++l) {
          const int i = 16 * t + l;
          out[l] = dl * (((q[i] >> (2 * s)) & 3) - ((hmask[i] & bit) ? 0 : 4));
        }
      }
    }
  }
}

// q4_K, 144 bytes / 256 values: d fp16 @0, dmin fp16 @2, scales[12] @4 (k4_scale_min), qs[128] @16.
// Eight groups of 32: x = d * scale_g * q - dmin * min_g. Value 64c + l (l < 32) is the low nibble
// of qs[32c + l], value 64c + 32 + l its high nibble.
void dequantize_q4_k(const uint8_t* b, float* x) {
  const float d = load_fp16(b);
  const float dmin = load_fp16(b + 2);
  const uint8_t* scales = b + 4;
  for (int c = 0; c < 4; ++c) {
    const uint8_t* q = b + 16 + 32 * c;
    const ScaleMin lo = k4_scale_min(2 * c, scales);
    const ScaleMin hi = k4_scale_min(2 * c + 1, scales);
    const float d1 = d * lo.scale, m1 = dmin * lo.min;
    const float d2 = d * hi.scale, m2 = dmin * hi.min;
    for (int l = 0; l < 32; ++l) x[64 * c + l] = d1 * (q[l] & 0xF) - m1;
    for (int l = 0; l < 32; ++l) x[64 * c + 32 + l] = d2 * (q[l] >> 4) - m2;
  }
}

// q5_K, 176 bytes / 256 values: d fp16 @0, dmin fp16 @2, scales[12] @4, qh[32] @16, qs[128] @48.
// As q4_K with a fifth bit: value 64c + l takes bit 2c of qh[l], value 64c + 32 + l bit 2c + 1.
void dequantize_q5_k(const uint8_t* b, float* x) {
  const float d = load_fp16(b);
  const float dmin = load_fp16(b + 2);
  const uint8_t* scales = b + 4;
  const uint8_t* qh = b + 16;
  for (int c = 0; c < 4; ++c) {
    const uint8_t* ql = b + 48 + 32 * c;
    const ScaleMin lo = k4_scale_min(2 * c, scales);
    const ScaleMin hi = k4_scale_min(2 * c + 1, scales);
    const float d1 = d * lo.scale, m1 = dmin * lo.min;
    const float d2 = d * hi.scale, m2 = dmin * hi.min;
    const uint8_t bit1 = static_cast<uint8_t>(1u << (2 * c));
    const uint8_t bit2 = static_cast<uint8_t>(2u << (2 * c));
    for (int l = 0; l < 32; ++l) x[64 * c + l] = d1 * ((ql[l] & 0xF) + ((qh[l] & bit1) ? 16 : 0)) - m1;
    for (int l = 0; l < 32; ++l) x[64 * c + 32 + l] = d2 * ((ql[l] >> 4) + ((qh[l] & bit2) ? 16 : 0)) - m2;
  }
}

// q6_K, 210 bytes / 256 values: ql[128] @0, qh[64] @128, scales int8[16] @192, d fp16 @208.
// Per half h (128 values) and l < 32, four 6-bit values (q - 32), low 4 bits from ql, high 2 from qh:
//   128h + l:      ql[64h + l] low,       qh[32h + l] bits 0-1, scale 8h + l/16
//   128h + 32 + l: ql[64h + 32 + l] low,  bits 2-3,             scale 8h + l/16 + 2
//   128h + 64 + l: ql[64h + l] high,      bits 4-5,             scale 8h + l/16 + 4
//   128h + 96 + l: ql[64h + 32 + l] high, bits 6-7,             scale 8h + l/16 + 6
// x = d * scale * (q - 32).
void dequantize_q6_k(const uint8_t* b, float* x) {
  const float d = load_fp16(b + 208);
  for (int h = 0; h < 2; ++h) {
    const uint8_t* ql = b + 64 * h;
    const uint8_t* qh = b + 128 + 32 * h;
    const int8_t* sc = reinterpret_cast<const int8_t*>(b + 192 + 8 * h);
    float* out = x + 128 * h;
    for (int l = 0; l < 32; ++l) {
      const int is = l / 16;
      const int q1 = ((ql[l] & 0xF) | (((qh[l] >> 0) & 3) << 4)) - 32;
      const int q2 = ((ql[l + 32] & 0xF) | (((qh[l] >> 2) & 3) << 4)) - 32;
      const int q3 = ((ql[l] >> 4) | (((qh[l] >> 4) & 3) << 4)) - 32;
      const int q4 = ((ql[l + 32] >> 4) | (((qh[l] >> 6) & 3) << 4)) - 32;
      out[l] = d * sc[is] * q1;
      out[l + 32] = d * sc[is + 2] * q2;
      out[l + 64] = d * sc[is + 4] * q3;
      out[l + 96] = d * sc[is + 6] * q4;
    }
  }
}

// iq4_nl, 18 bytes / 32 values: d fp16 @0, qs[16] @2. x = d * kIq4nlValues[nibble] (nibbles as q4_0).
void dequantize_iq4_nl(const uint8_t* b, float* x) {
  const float d = load_fp16(b);
  const uint8_t* qs = b + 2;
  for (int j = 0; j < 16; ++j) {
    x[j] = d * kIq4nlValues[qs[j] & 0xF];
    x[j + 16] = d * kIq4nlValues[qs[j] >> 4];
  }
}

// iq4_xs, 136 bytes / 256 values: d fp16 @0, scales_h u16 @2, scales_l[4] @4, qs[128] @8.
// Eight groups of 32, each like an iq4_nl block scaled by d * (ls - 32); the 6-bit ls of group g
// has low 4 bits in nibble g%2 of scales_l[g/2], high 2 bits in bits 2g.. of scales_h.
void dequantize_iq4_xs(const uint8_t* b, float* x) {
  const float d = load_fp16(b);
  const uint16_t scales_h = load_u16(b + 2);
  const uint8_t* scales_l = b + 4;
  for (int g = 0; g < 8; ++g) {
    const int ls = ((scales_l[g / 2] >> (4 * (g % 2))) & 0xF) | (((scales_h >> (2 * g)) & 3) << 4);
    const float dl = d * (ls - 32);
    const uint8_t* qs = b + 8 + 16 * g;
    for (int j = 0; j < 16; ++j) {
      x[32 * g + j] = dl * kIq4nlValues[qs[j] & 0xF];
      x[32 * g + 16 + j] = dl * kIq4nlValues[qs[j] >> 4];
    }
  }
}

using RowFn = void (*)(const uint8_t* src, float* dst, size_t blocks);

template <size_t kBytes, size_t kElements, void (*kBlock)(const uint8_t*, float*)>
void dequantize_blocks(const uint8_t* src, float* dst, size_t blocks) {
  for (size_t i = 0; i < blocks; ++i) kBlock(src + i * kBytes, dst + i * kElements);
}

struct Dequantizer {
  DType type;
  uint32_t block_elements;
  uint32_t block_bytes;
  RowFn row;
};

template <size_t kBytes, size_t kElements, void (*kBlock)(const uint8_t*, float*)>
constexpr Dequantizer entry(DType type) {
  return {type, kElements, kBytes, dequantize_blocks<kBytes, kElements, kBlock>};
}

// clang-format off
constexpr std::array kDequantizers = {
    entry<4, 1, dequantize_f32>(DType::F32),
    entry<2, 1, dequantize_f16>(DType::F16),
    entry<2, 1, dequantize_bf16>(DType::BF16),
    entry<18, 32, dequantize_q4_0>(DType::Q4_0),
    entry<20, 32, dequantize_q4_1>(DType::Q4_1),
    entry<22, 32, dequantize_q5_0>(DType::Q5_0),
    entry<24, 32, dequantize_q5_1>(DType::Q5_1),
    entry<34, 32, dequantize_q8_0>(DType::Q8_0),
    entry<84, 256, dequantize_q2_k>(DType::Q2_K),
    entry<110, 256, dequantize_q3_k>(DType::Q3_K),
    entry<144, 256, dequantize_q4_k>(DType::Q4_K),
    entry<176, 256, dequantize_q5_k>(DType::Q5_K),
    entry<210, 256, dequantize_q6_k>(DType::Q6_K),
    entry<18, 32, dequantize_iq4_nl>(DType::IQ4_NL),
    entry<136, 256, dequantize_iq4_xs>(DType::IQ4_XS),
};
// clang-format on

const Dequantizer* find_dequantizer(DType type) {
  for (const Dequantizer& d : kDequantizers) {
    if (d.type == type) return &d;
  }
  return nullptr;
}

}  // namespace

bool has_dequantizer(DType type) { return find_dequantizer(type) != nullptr; }

DequantizeBlocksFn dequantize_blocks_fn(DType type) {
  const Dequantizer* dq = find_dequantizer(type);
  return dq ? dq->row : nullptr;
}

Result<void> dequantize(DType type, std::span<const uint8_t> src, std::span<float> dst) {
  const Dequantizer* dq = find_dequantizer(type);
  if (!dq) return unsupported("dequantize", type);
  LATHE_CHECK(check_sizes("dequantize", dtype_info(type).name, dq->block_elements, dq->block_bytes,
                          dst.size(), src.size()));
  dq->row(src.data(), dst.data(), dst.size() / dq->block_elements);
  return {};
}

}  // namespace lathe
