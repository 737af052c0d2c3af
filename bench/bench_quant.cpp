// Dequantization throughput per type on one thread: 1M values (4096 super-blocks) per call.
// Before timing, each type's output is checked: types with a quantizer round-trip random normal
// data within a loose error bound; the others decode blocks of random codes with sane fp16 scales
// and must give finite, not all-zero values.
//   bench_quant --benchmark_format=json
#include <benchmark/benchmark.h>

#include <cmath>
#include <random>
#include <string>
#include <vector>

#include "gguf/half.h"
#include "gguf/quant.h"

namespace {

using lathe::DType;

constexpr size_t kElements = 4096 * 256;

// Loose sanity bounds on ||x - x'|| / ||x|| for normal data (tests/quant has the tight ones).
double sanity_bound(DType type) {
  switch (type) {
    case DType::F32:
      return 0.0;
    case DType::F16:
    case DType::BF16:
      return 0.01;
    default:
      return 0.15;
  }
}

// Offsets of the fp16 scale fields in each block, set to small finite values for formats that
// get random bytes (random bits there would give inf/NaN and denormal timing effects).
std::vector<size_t> scale_offsets(DType type) {
  switch (type) {
    case DType::Q2_K:
      return {80, 82};
    case DType::Q3_K:
      return {108};
    case DType::IQ4_NL:
    case DType::IQ4_XS:
      return {0};
    default:
      return {};
  }
}

struct Input {
  std::vector<uint8_t> bytes;
  std::string error;  // empty when the output passed its check
};

Input make_input(DType type) {
  const lathe::DTypeInfo& info = lathe::dtype_info(type);
  std::mt19937 rng(1234);
  Input in;
  in.bytes.resize(lathe::row_bytes(type, kElements));
  std::vector<float> out(kElements);
  if (lathe::has_quantizer(type)) {
    std::normal_distribution<float> normal;
    std::vector<float> x(kElements);
    for (float& v : x) v = normal(rng);
    if (auto r = lathe::quantize(type, x, in.bytes); !r) return {{}, r.error().message};
    if (auto r = lathe::dequantize(type, in.bytes, out); !r) return {{}, r.error().message};
    double diff = 0, norm = 0;
    for (size_t i = 0; i < kElements; ++i) {
      diff += (x[i] - out[i]) * static_cast<double>(x[i] - out[i]);
      norm += x[i] * static_cast<double>(x[i]);
    }
    if (!(std::sqrt(diff / norm) <= sanity_bound(type))) in.error = "round-trip error too large";
    return in;
  }
  for (uint8_t& b : in.bytes) b = static_cast<uint8_t>(rng());
  for (size_t block = 0; block < in.bytes.size(); block += info.type_size) {
    for (size_t offset : scale_offsets(type)) {
      const uint16_t scale = lathe::f32_to_fp16(0.01f + 0.001f * static_cast<float>(rng() % 100));
      in.bytes[block + offset] = static_cast<uint8_t>(scale);
      in.bytes[block + offset + 1] = static_cast<uint8_t>(scale >> 8);
    }
  }
  if (auto r = lathe::dequantize(type, in.bytes, out); !r) return {{}, r.error().message};
  bool any_nonzero = false;
  for (float v : out) {
    if (!std::isfinite(v)) return {{}, "non-finite output"};
    any_nonzero |= v != 0.0f;
  }
  if (!any_nonzero) in.error = "all-zero output";
  return in;
}

void BM_Dequantize(benchmark::State& state, DType type) {
  const Input in = make_input(type);
  if (!in.error.empty()) {
    state.SkipWithError(in.error.c_str());
    return;
  }
  std::vector<float> out(kElements);
  for (auto _ : state) {
    auto r = lathe::dequantize(type, in.bytes, out);
    benchmark::DoNotOptimize(r);
    benchmark::DoNotOptimize(out.data());
    benchmark::ClobberMemory();
  }
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations() * kElements));
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * in.bytes.size()));
  state.counters["bits_per_value"] = 8.0 * static_cast<double>(in.bytes.size()) / kElements;
}

int register_all = [] {
  for (const lathe::DTypeInfo& info : lathe::all_dtypes()) {
    if (!lathe::has_dequantizer(info.type)) continue;
    benchmark::RegisterBenchmark(("dequantize/" + std::string(info.name)).c_str(), BM_Dequantize, info.type)
        ->Unit(benchmark::kMicrosecond);
  }
  return 0;
}();

}  // namespace

BENCHMARK_MAIN();
