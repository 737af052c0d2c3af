// fp16 / bf16 conversions against independent oracles: exact values from ldexp for decoding, and
// nearest-neighbour search (ties to even) in double precision for encoding.
#include <gtest/gtest.h>

#include <algorithm>
#include <bit>
#include <cmath>
#include <cstdint>
#include <vector>

#include "gguf/half.h"

namespace lathe {
namespace {

bool is_fp16_nan(uint16_t h) { return (h & 0x7C00) == 0x7C00 && (h & 0x3FF) != 0; }

// The exact value of a finite fp16 (sign-less bits), from its fields.
double fp16_value(uint16_t h) {
  const int exponent = (h >> 10) & 0x1F;
  const int mantissa = h & 0x3FF;
  if (exponent == 0) return std::ldexp(mantissa, -24);
  return std::ldexp(1024 + mantissa, exponent - 25);
}

// Nearest fp16 to |f| with ties to even, found by binary search over the ordered positive values;
// 0x7C00 (inf) stands for 2^16, the next step after 65504, as IEEE rounding treats it.
uint16_t oracle_fp16_magnitude(double a) {
  static const std::vector<double> values = [] {
    std::vector<double> v(0x7C01);
    for (uint32_t h = 0; h < 0x7C00; ++h) v[h] = fp16_value(static_cast<uint16_t>(h));
    v[0x7C00] = 65536.0;
    return v;
  }();
  if (a >= 65536.0) return 0x7C00;
  const auto above = std::upper_bound(values.begin(), values.end(), a);  // first value > a
  const uint16_t hi = static_cast<uint16_t>(above - values.begin());
  const uint16_t lo = static_cast<uint16_t>(hi - 1);
  const double below_gap = a - values[lo], above_gap = values[hi] - a;
  if (below_gap < above_gap) return lo;
  if (above_gap < below_gap) return hi;
  return (lo & 1) ? hi : lo;
}

TEST(Half, Fp16ToF32IsExactForEveryValue) {
  for (uint32_t h = 0; h < 0x10000; ++h) {
    const uint16_t bits = static_cast<uint16_t>(h);
    const float f = fp16_to_f32(bits);
    const bool negative = bits & 0x8000;
    const uint16_t magnitude = bits & 0x7FFF;
    ASSERT_EQ(std::signbit(f), negative) << std::hex << h;
    if (magnitude == 0x7C00) {
      ASSERT_TRUE(std::isinf(f)) << std::hex << h;
    } else if (is_fp16_nan(bits)) {
      // Payload kept, forced quiet.
      const uint32_t expected =
          (negative ? 0x80000000u : 0u) | 0x7FC00000u | (static_cast<uint32_t>(h & 0x3FF) << 13);
      ASSERT_EQ(std::bit_cast<uint32_t>(f), expected) << std::hex << h;
    } else {
      ASSERT_EQ(static_cast<double>(std::fabs(f)), fp16_value(magnitude)) << std::hex << h;
    }
  }
}

TEST(Half, F32ToFp16RoundTripsEveryFp16) {
  for (uint32_t h = 0; h < 0x10000; ++h) {
    const uint16_t bits = static_cast<uint16_t>(h);
    const uint16_t back = f32_to_fp16(fp16_to_f32(bits));
    if (is_fp16_nan(bits)) {
      ASSERT_EQ(back, (bits & 0x8000) | 0x7E00) << std::hex << h;  // ggml's canonical NaN
    } else {
      ASSERT_EQ(back, bits) << std::hex << h;
    }
  }
}

// Every float bit pattern at a stride, plus every pattern next to an fp16 rounding boundary
// (midpoints between neighbours, where ties-to-even decides).
TEST(Half, F32ToFp16RoundsToNearestEven) {
  auto check = [](uint32_t bits) {
    const float f = std::bit_cast<float>(bits);
    const uint16_t got = f32_to_fp16(f);
    uint16_t expected;
    if (std::isnan(f)) {
      expected = static_cast<uint16_t>(((bits >> 16) & 0x8000) | 0x7E00);
    } else {
      expected = static_cast<uint16_t>(((bits >> 16) & 0x8000) |
                                       oracle_fp16_magnitude(std::fabs(static_cast<double>(f))));
    }
    ASSERT_EQ(got, expected) << std::hex << "f32 bits " << bits << " (" << f << ")";
  };
  for (uint64_t bits = 0; bits <= 0xFFFFFFFFu; bits += 4093) check(static_cast<uint32_t>(bits));
  for (uint32_t h = 0; h < 0x7C00; ++h) {
    const double mid = (fp16_value(static_cast<uint16_t>(h)) +
                        (h + 1 == 0x7C00 ? 65536.0 : fp16_value(static_cast<uint16_t>(h + 1)))) /
                       2;
    const uint32_t m = std::bit_cast<uint32_t>(static_cast<float>(mid));  // midpoints are floats
    for (uint32_t d = 0; d < 3; ++d) {
      check(m - 1 + d);
      check((m - 1 + d) | 0x80000000u);
    }
  }
  for (uint32_t special : {0x7F800000u, 0xFF800000u, 0x7F800001u, 0xFFC00000u, 0x477FE000u, 0x477FF000u}) {
    check(special);
  }
}

TEST(Half, Bf16MatchesGgml) {
  // Decoding is a shift.
  for (uint32_t h = 0; h < 0x10000; ++h) {
    ASSERT_EQ(std::bit_cast<uint32_t>(bf16_to_f32(static_cast<uint16_t>(h))), h << 16);
  }
  // Encoding: nearest with ties to even (inf for values past the top midpoint); NaN keeps its top
  // bits with the quiet bit forced; subnormals round like everything else (no flush).
  for (uint64_t b = 0; b <= 0xFFFFFFFFu; b += 997) {
    const uint32_t bits = static_cast<uint32_t>(b);
    const float f = std::bit_cast<float>(bits);
    const uint16_t got = f32_to_bf16(f);
    if (std::isnan(f)) {
      ASSERT_EQ(got, static_cast<uint16_t>((bits >> 16) | 0x40)) << std::hex << bits;
      continue;
    }
    const uint32_t lo = bits & 0xFFFF0000u;
    const double a = std::fabs(static_cast<double>(f));
    const double lo_value = std::fabs(static_cast<double>(std::bit_cast<float>(lo)));
    const uint32_t lo_magnitude = lo & 0x7FFFFFFFu;
    const double hi_value = lo_magnitude == 0x7F7F0000u ? std::ldexp(1.0, 128)
                            : lo_magnitude == 0x7F800000u
                                ? INFINITY
                                : std::fabs(static_cast<double>(std::bit_cast<float>(lo + 0x10000u)));
    uint32_t expected = lo;
    if (a - lo_value > hi_value - a || (a - lo_value == hi_value - a && ((lo >> 16) & 1)))
      expected = lo + 0x10000u;
    ASSERT_EQ(got, static_cast<uint16_t>(expected >> 16)) << std::hex << bits;
  }
  EXPECT_EQ(f32_to_bf16(std::bit_cast<float>(0x7F800001u)), 0x7FC0);  // signalling NaN comes out quiet
  EXPECT_EQ(f32_to_bf16(std::bit_cast<float>(0x7F7FFFFFu)), 0x7F80);  // FLT_MAX rounds to inf
  EXPECT_EQ(f32_to_bf16(std::bit_cast<float>(0x00018000u)), 0x0002);  // subnormal tie rounds to even
}

}  // namespace
}  // namespace lathe
