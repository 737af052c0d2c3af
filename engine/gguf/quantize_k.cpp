// Q4_K, Q5_K and Q6_K quantization: ggml's reference quantizers (quantize_row_q{4,5,6}_K_ref with
// make_qkx2_quants / make_qx_quants, the path llama-quantize takes without an importance matrix),
// written out with ggml's operand order. Block layouts are documented in dequantize.cpp.
//
// Each super-block of 256 is fitted in groups (32 for Q4_K/Q5_K, 16 for Q6_K): a per-group scale
// (and min) is searched for, the group scales are quantized to 6 or 8 bits against one fp16 super
// scale, and finally every value is re-quantized against the scale it will actually be decoded with.

// Bit-exactness needs every a*b+c rounded twice, as ggml's reference build does, never fused.
#if defined(__clang__)
#pragma clang fp contract(off)
#elif defined(__GNUC__)
#pragma GCC optimize("fp-contract=off")
#endif

#include <algorithm>
#include <array>
#include <cmath>
#include <cstring>

#include "gguf/quant_internal.h"

namespace lathe::quant {
namespace {

constexpr float kGroupMaxEps = 1e-15f;  // ggml's GROUP_MAX_EPS: below this a group is all zero

// Asymmetric fit of x[0..n) to codes 0..nmax: x ~ scale * L - min, minimising the weighted squared
// error. Starts from the range (min..max) and tries nstep + 1 slightly different grid steps, for each
// refitting scale and min by weighted least squares. Returns the scale; *the_min gets the min
// (>= 0: the fitted offset is never positive).
float make_qkx2_quants(int n, int nmax, const float* x, const float* weights, uint8_t* L, float* the_min,
                       uint8_t* Laux, float rmin, float rdelta, int nstep) {
  float min = x[0];
  float max = x[0];
  float sum_w = weights[0];
  float sum_x = sum_w * x[0];
  for (int i = 1; i < n; ++i) {
    if (x[i] < min) min = x[i];
    if (x[i] > max) max = x[i];
    const float w = weights[i];
    sum_w += w;
    sum_x += w * x[i];
  }
  if (min > 0) min = 0;
  if (max == min) {
    for (int i = 0; i < n; ++i) L[i] = 0;
    *the_min = -min;
    return 0.0f;
  }
  float iscale = nmax / (max - min);
  float scale = 1 / iscale;
  float best_error = 0;
  for (int i = 0; i < n; ++i) {
    const int l = nearest_int(iscale * (x[i] - min));
    L[i] = static_cast<uint8_t>(std::max(0, std::min(nmax, l)));
    const float diff = scale * L[i] + min - x[i];
    best_error += weights[i] * (diff * diff);
  }
  for (int is = 0; is <= nstep; ++is) {
    iscale = (rmin + rdelta * is + nmax) / (max - min);
    float sum_l = 0, sum_l2 = 0, sum_xl = 0;
    for (int i = 0; i < n; ++i) {
      const int l = std::max(0, std::min(nmax, nearest_int(iscale * (x[i] - min))));
      Laux[i] = static_cast<uint8_t>(l);
      const float w = weights[i];
      sum_l += w * l;
      sum_l2 += w * l * l;
      sum_xl += w * l * x[i];
    }
    const float D = sum_w * sum_l2 - sum_l * sum_l;
    if (D > 0) {
      float this_scale = (sum_w * sum_xl - sum_x * sum_l) / D;
      float this_min = (sum_l2 * sum_x - sum_l * sum_xl) / D;
      if (this_min > 0) {
        this_min = 0;
        this_scale = sum_xl / sum_l2;
      }
      float cur_error = 0;
      for (int i = 0; i < n; ++i) {
        const float diff = this_scale * Laux[i] + this_min - x[i];
        cur_error += weights[i] * (diff * diff);
      }
      if (cur_error < best_error) {
        std::copy(Laux, Laux + n, L);
        best_error = cur_error;
        scale = this_scale;
        min = this_min;
      }
    }
  }
  *the_min = -min;
  return scale;
}

// Symmetric fit of x[0..n) to codes -nmax..nmax-1 (stored +nmax in L), weighting each value by x^2
// (ggml's make_qx_quants with rmse_type 1 and no importance weights). The largest-magnitude value
// maps to -nmax; 18 nearby grid steps are tried and the best least-squares scale is returned.
float make_qx_quants(int n, int nmax, const float* x, int8_t* L) {
  float max = 0;
  float amax = 0;
  for (int i = 0; i < n; ++i) {
    const float ax = std::fabs(x[i]);
    if (ax > amax) {
      amax = ax;
      max = x[i];
    }
  }
  if (amax < kGroupMaxEps) {
    for (int i = 0; i < n; ++i) L[i] = 0;
    return 0.0f;
  }
  auto code = [nmax](float v) { return std::max(-nmax, std::min(nmax - 1, nearest_int(v))); };
  float iscale = -nmax / max;
  float sumlx = 0;
  float suml2 = 0;
  for (int i = 0; i < n; ++i) {
    const int l = code(iscale * x[i]);
    L[i] = static_cast<int8_t>(l + nmax);
    const float w = x[i] * x[i];
    sumlx += w * x[i] * l;
    suml2 += w * l * l;
  }
  float scale = suml2 != 0 ? sumlx / suml2 : 0.0f;
  float best = scale * sumlx;
  for (int is = -9; is <= 9; ++is) {
    if (is == 0) continue;
    iscale = -(nmax + 0.1f * is) / max;
    sumlx = suml2 = 0;
    for (int i = 0; i < n; ++i) {
      const int l = code(iscale * x[i]);
      const float w = x[i] * x[i];
      sumlx += w * x[i] * l;
      suml2 += w * l * l;
    }
    if (suml2 > 0 && sumlx * sumlx > best * suml2) {
      for (int i = 0; i < n; ++i) L[i] = static_cast<int8_t>(nmax + code(iscale * x[i]));
      scale = sumlx / suml2;
      best = scale * sumlx;
    }
  }
  return scale;
}

// Q4_K and Q5_K share everything but the code width (nmax 15 or 31) and the search grid.
struct KxParams {
  int nmax;
  float rmin;
  float rdelta;
  int nstep;
};

// Fits the eight groups of one super-block, writes d, dmin and the packed 6-bit scales/mins to
// block[0..16) and returns the codes (0..nmax) in L.
void fit_k4_super_block(const float* x, const KxParams& p, uint8_t* block, std::array<uint8_t, 256>& L) {
  std::array<float, 8> scales, mins;
  std::array<float, 32> weights;
  std::array<uint8_t, 32> Laux;
  float max_scale = 0;  // scales are positive: the min is taken off first
  float max_min = 0;
  for (int j = 0; j < 8; ++j) {
    const float* xg = x + 32 * j;
    float sum_x2 = 0;
    for (int l = 0; l < 32; ++l) sum_x2 += xg[l] * xg[l];
    const float av_x = std::sqrt(sum_x2 / 32);
    for (int l = 0; l < 32; ++l) weights[l] = av_x + std::fabs(xg[l]);
    scales[j] = make_qkx2_quants(32, p.nmax, xg, weights.data(), L.data() + 32 * j, &mins[j], Laux.data(),
                                 p.rmin, p.rdelta, p.nstep);
    max_scale = std::max(max_scale, scales[j]);
    max_min = std::max(max_min, mins[j]);
  }

  const float inv_scale = max_scale > 0 ? 63.f / max_scale : 0.f;
  const float inv_min = max_min > 0 ? 63.f / max_min : 0.f;
  uint8_t* packed = block + 4;
  for (int j = 0; j < 8; ++j) {
    // ggml narrows to uint8_t before clamping to 63; kept so the bytes stay identical.
    const uint8_t ls = std::min<uint8_t>(63, static_cast<uint8_t>(nearest_int(inv_scale * scales[j])));
    const uint8_t lm = std::min<uint8_t>(63, static_cast<uint8_t>(nearest_int(inv_min * mins[j])));
    if (j < 4) {
      packed[j] = ls;
      packed[j + 4] = lm;
    } else {
      packed[j + 4] = static_cast<uint8_t>((ls & 0xF) | ((lm & 0xF) << 4));
      packed[j - 4] |= static_cast<uint8_t>((ls >> 4) << 6);
      packed[j] |= static_cast<uint8_t>((lm >> 4) << 6);
    }
  }
  store_fp16(block, max_scale / 63.f);
  store_fp16(block + 2, max_min / 63.f);

  // Re-quantize against the scale and min as they will be decoded.
  const float d_super = load_fp16(block);
  const float dmin_super = load_fp16(block + 2);
  for (int j = 0; j < 8; ++j) {
    const ScaleMin sm = k4_scale_min(j, packed);
    const float d = d_super * sm.scale;
    if (d == 0.0f) continue;
    const float dm = dmin_super * sm.min;
    for (int i = 0; i < 32; ++i) {
      const int l = nearest_int((x[32 * j + i] + dm) / d);
      L[32 * j + i] = static_cast<uint8_t>(std::max(0, std::min(p.nmax, l)));
    }
  }
}

// q4_K block: d, dmin, scales[12], then value 64c + l in the low nibble of qs[32c + l] and value
// 64c + 32 + l in its high nibble.
void quantize_q4_k_block(const float* x, uint8_t* block) {
  std::array<uint8_t, 256> L{};
  fit_k4_super_block(x, {15, -1.0f, 0.1f, 20}, block, L);
  uint8_t* qs = block + 16;
  for (int c = 0; c < 4; ++c) {
    for (int l = 0; l < 32; ++l)
      qs[32 * c + l] = static_cast<uint8_t>(L[64 * c + l] | (L[64 * c + 32 + l] << 4));
  }
}

// q5_K block: as q4_K, plus bit 4 of value 64c + l in bit 2c of qh[l] and of 64c + 32 + l in bit 2c+1.
void quantize_q5_k_block(const float* x, uint8_t* block) {
  std::array<uint8_t, 256> L{};
  fit_k4_super_block(x, {31, -0.5f, 0.1f, 15}, block, L);
  uint8_t* qh = block + 16;
  uint8_t* ql = block + 48;
  std::memset(qh, 0, 32);
  for (int c = 0; c < 4; ++c) {
    for (int l = 0; l < 32; ++l) {
      const int l1 = L[64 * c + l];
      const int l2 = L[64 * c + 32 + l];
      qh[l] |= static_cast<uint8_t>(((l1 >> 4) << (2 * c)) | ((l2 >> 4) << (2 * c + 1)));
      ql[32 * c + l] = static_cast<uint8_t>((l1 & 0xF) | ((l2 & 0xF) << 4));
    }
  }
}

// q6_K block: sixteen groups of 16 fitted symmetrically (codes -32..31), their scales quantized to
// int8 against d = max_scale / -128; bit placement as dequantize_q6_k documents.
void quantize_q6_k_block(const float* x, uint8_t* block) {
  std::array<int8_t, 256> L{};
  std::array<float, 16> scales;
  float max_scale = 0;
  float max_abs_scale = 0;
  for (int g = 0; g < 16; ++g) {
    scales[g] = make_qx_quants(16, 32, x + 16 * g, L.data() + 16 * g);
    const float abs_scale = std::fabs(scales[g]);
    if (abs_scale > max_abs_scale) {
      max_abs_scale = abs_scale;
      max_scale = scales[g];
    }
  }
  std::memset(block, 0, 210);
  if (max_abs_scale < kGroupMaxEps) return;  // all zero: d = 0 and zero codes

  const float iscale = -128.f / max_scale;
  store_fp16(block + 208, 1 / iscale);
  int8_t* group_scales = reinterpret_cast<int8_t*>(block + 192);
  for (int g = 0; g < 16; ++g)
    group_scales[g] = static_cast<int8_t>(std::min(127, nearest_int(iscale * scales[g])));

  const float d_super = load_fp16(block + 208);
  for (int g = 0; g < 16; ++g) {
    const float d = d_super * group_scales[g];
    if (d == 0.0f) continue;
    for (int i = 0; i < 16; ++i) {
      const int l = nearest_int(x[16 * g + i] / d);
      L[16 * g + i] = static_cast<int8_t>(std::max(-32, std::min(31, l)) + 32);
    }
  }

  for (int h = 0; h < 2; ++h) {
    uint8_t* ql = block + 64 * h;
    uint8_t* qh = block + 128 + 32 * h;
    const int8_t* q = L.data() + 128 * h;
    for (int l = 0; l < 32; ++l) {
      ql[l] = static_cast<uint8_t>((q[l] & 0xF) | ((q[l + 64] & 0xF) << 4));
      ql[l + 32] = static_cast<uint8_t>((q[l + 32] & 0xF) | ((q[l + 96] & 0xF) << 4));
      qh[l] = static_cast<uint8_t>((q[l] >> 4) | ((q[l + 32] >> 4) << 2) | ((q[l + 64] >> 4) << 4) |
                                   ((q[l + 96] >> 4) << 6));
    }
  }
}

}  // namespace

void quantize_q4_k(const float* x, uint8_t* y, size_t blocks) {
  for (size_t i = 0; i < blocks; ++i) quantize_q4_k_block(x + i * kSuperBlock, y + i * 144);
}
void quantize_q5_k(const float* x, uint8_t* y, size_t blocks) {
  for (size_t i = 0; i < blocks; ++i) quantize_q5_k_block(x + i * kSuperBlock, y + i * 176);
}
void quantize_q6_k(const float* x, uint8_t* y, size_t blocks) {
  for (size_t i = 0; i < blocks; ++i) quantize_q6_k_block(x + i * kSuperBlock, y + i * 210);
}

}  // namespace lathe::quant
