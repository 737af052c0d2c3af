// CPU (de)quantization against ggml's own output (../shared/quant/*.json), size and type errors,
// and the error bounds of the quantizers on random data.
//
// Each JSON holds four rows of 512 floats, the bytes ggml_quantize_chunk made of them and what
// ggml's to_float makes of those bytes. Dequantizing must reproduce every float bit for bit, and
// quantizing the floats must reproduce the bytes.
#include <gtest/gtest.h>

#include <algorithm>
#include <bit>
#include <cctype>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <limits>
#include <nlohmann/json.hpp>
#include <random>
#include <set>
#include <string>
#include <vector>

#include "common/test_data.h"
#include "gguf/quant.h"

namespace lathe {
namespace {

// ||x - dequantize(quantize(x))|| / ||x|| may not pass these, for any vector. `bulk` holds for
// normal, uniform and Laplace data, `outliers` for normal data with 4% of values scaled x20 (their
// blocks get a coarse step). See RandomDataStaysWithinBound for where the numbers come from.
struct ErrorBound {
  double bulk;
  double outliers;
};
ErrorBound error_bound(DType type) {
  switch (type) {
    case DType::F16:
      return {0x1p-11, 0x1p-11};  // unit roundoff: every value within 2^-11 relative
    case DType::BF16:
      return {0x1p-8, 0x1p-8};
    case DType::Q8_0:
      return {0.0078, 0.0134};
    case DType::Q5_1:
      return {0.051, 0.064};
    case DType::Q5_0:
      return {0.062, 0.105};
    case DType::Q4_1:
      return {0.105, 0.135};
    case DType::Q4_0:
      return {0.125, 0.175};
    case DType::Q6_K:
      return {0.025, 0.0385};
    case DType::Q5_K:
      return {0.050, 0.062};
    case DType::Q4_K:
      return {0.098, 0.121};
    default:
      return {0.0, 0.0};
  }
}

struct VectorRow {
  std::string desc;
  std::vector<float> input;
  std::vector<uint8_t> bytes;
  std::vector<float> dequantized;
};

struct VectorFile {
  DType type = DType::F32;
  std::vector<VectorRow> rows;
};

std::vector<uint8_t> parse_hex(const std::string& hex) {
  std::vector<uint8_t> out;
  EXPECT_EQ(hex.size() % 2, 0u);
  for (size_t i = 0; i + 1 < hex.size(); i += 2) {
    out.push_back(static_cast<uint8_t>(std::stoul(hex.substr(i, 2), nullptr, 16)));
  }
  return out;
}

// The files write floats as shortest round-trip decimals, so parsing to double and rounding to
// float gives back the exact value. JSON parsers read "-0" as the integer 0, losing the sign that
// ggml's output carries (e.g. (8 - 8) * -d), so the loader rewrites every bare -0 as -0.0 first.
std::string keep_negative_zeros(const std::string& text) {
  auto delimiter = [](char c) { return c == '[' || c == ']' || c == ',' || c == ':' || std::isspace(c); };
  std::string out;
  out.reserve(text.size());
  for (size_t i = 0; i < text.size(); ++i) {
    out += text[i];
    const bool bare_negative_zero = text[i] == '-' && i > 0 && delimiter(text[i - 1]) &&
                                    i + 2 < text.size() && text[i + 1] == '0' && delimiter(text[i + 2]);
    if (bare_negative_zero) {
      out += "0.0";
      ++i;
    }
  }
  return out;
}

std::vector<float> parse_floats(const nlohmann::json& array) {
  std::vector<float> out;
  for (const auto& v : array) out.push_back(static_cast<float>(v.get<double>()));
  return out;
}

VectorFile load_vectors(const std::filesystem::path& path) {
  const nlohmann::json json = nlohmann::json::parse(keep_negative_zeros(test::read_file(path)));

  VectorFile file;
  const uint32_t id = json.at("ggml_type_id").get<uint32_t>();
  const auto info = dtype_info(id);
  EXPECT_TRUE(info.has_value()) << path << ": unknown type id " << id;
  if (!info) return file;
  EXPECT_EQ(info->name, json.at("ggml_type_name").get<std::string>()) << path;
  EXPECT_EQ(info->block_size, json.at("block_size").get<uint32_t>()) << path;
  EXPECT_EQ(info->type_size, json.at("type_size").get<uint32_t>()) << path;
  file.type = info->type;
  for (const auto& row : json.at("rows")) {
    file.rows.push_back({row.at("input_desc").get<std::string>(), parse_floats(row.at("input")),
                         parse_hex(row.at("quantized_hex").get<std::string>()),
                         parse_floats(row.at("dequantized"))});
  }
  return file;
}

// Indices where a and b differ bitwise (so -0 != 0 and NaN payloads count).
std::vector<size_t> bitwise_mismatches(std::span<const float> a, std::span<const float> b) {
  std::vector<size_t> out;
  for (size_t i = 0; i < std::min(a.size(), b.size()); ++i) {
    if (std::bit_cast<uint32_t>(a[i]) != std::bit_cast<uint32_t>(b[i])) out.push_back(i);
  }
  return out;
}

// ||a - b|| / ||a||.
double relative_rms(std::span<const float> a, std::span<const float> b) {
  double diff = 0, norm = 0;
  for (size_t i = 0; i < a.size(); ++i) {
    diff += (static_cast<double>(a[i]) - b[i]) * (static_cast<double>(a[i]) - b[i]);
    norm += static_cast<double>(a[i]) * a[i];
  }
  return norm > 0 ? std::sqrt(diff / norm) : std::sqrt(diff);
}

std::vector<float> dequantized(DType type, std::span<const uint8_t> bytes, size_t elements) {
  std::vector<float> out(elements);
  auto result = dequantize(type, bytes, out);
  EXPECT_TRUE(result.ok()) << result.error().message;
  return out;
}

std::vector<uint8_t> quantized(DType type, std::span<const float> values) {
  std::vector<uint8_t> out(row_bytes(type, values.size()));
  auto result = quantize(type, values, out);
  EXPECT_TRUE(result.ok()) << result.error().message;
  return out;
}

// ---------------------------------------------------------------------------------------------
// Parity with ggml: one test per shared file.

const std::vector<std::string> kVectorFiles = {"F16",  "BF16", "Q4_0", "Q4_1", "Q5_0", "Q5_1",   "Q8_0",
                                               "Q2_K", "Q3_K", "Q4_K", "Q5_K", "Q6_K", "IQ4_NL", "IQ4_XS"};

TEST(QuantVectors, EveryFileIsChecked) {
  std::set<std::string> on_disk;
  for (const auto& entry : std::filesystem::directory_iterator(test::data_path("quant"))) {
    if (entry.path().extension() == ".json") on_disk.insert(entry.path().stem().string());
  }
  EXPECT_EQ(on_disk, std::set<std::string>(kVectorFiles.begin(), kVectorFiles.end()));
}

class DequantizeParity : public testing::TestWithParam<std::string> {};
class QuantizeParity : public testing::TestWithParam<std::string> {};

TEST_P(DequantizeParity, IsBitExact) {
  const VectorFile file = load_vectors(test::data_path("quant/" + GetParam() + ".json"));
  ASSERT_EQ(file.rows.size(), 4u);
  size_t negative_zeros = 0;
  for (const VectorRow& row : file.rows) {
    SCOPED_TRACE(row.desc);
    ASSERT_EQ(row.bytes.size(), row_bytes(file.type, row.dequantized.size()));
    const std::vector<float> ours = dequantized(file.type, row.bytes, row.dequantized.size());
    const auto bad = bitwise_mismatches(ours, row.dequantized);
    EXPECT_TRUE(bad.empty()) << bad.size() << " of " << ours.size() << " values differ; first at " << bad[0]
                             << ": " << ours[bad[0]] << " vs ggml " << row.dequantized[bad[0]];
    for (float v : row.dequantized) negative_zeros += (v == 0.0f && std::signbit(v));
  }
  // Guards the "-0" handling of the loader: symmetric formats decode a zero code times a negative
  // scale as -0, and these files hold many of them.
  if (file.type == DType::Q4_0 || file.type == DType::Q5_0) {
    EXPECT_GT(negative_zeros, 0u);
  }
}

// Every quantizer follows ggml's reference algorithm operation by operation, so all of them (K-quants
// included, though only the simple formats are promised) reproduce ggml's bytes. Independently of
// the bytes, the decoded values must be as close to ggml's decoded values, and to the input, as
// the error bounds allow.
TEST_P(QuantizeParity, MatchesGgml) {
  const VectorFile file = load_vectors(test::data_path("quant/" + GetParam() + ".json"));
  for (const VectorRow& row : file.rows) {
    SCOPED_TRACE(row.desc);
    const std::vector<uint8_t> ours = quantized(file.type, row.input);
    EXPECT_EQ(ours, row.bytes);
    const std::vector<float> decoded = dequantized(file.type, ours, row.input.size());
    const ErrorBound bound = error_bound(file.type);
    const double limit = row.desc.find("outliers") != std::string::npos ? bound.outliers : bound.bulk;
    EXPECT_LE(relative_rms(row.input, decoded), limit);
    EXPECT_LE(relative_rms(row.input, decoded), relative_rms(row.input, row.dequantized) * 1.01 + 1e-12);
    EXPECT_LE(relative_rms(row.dequantized, decoded), limit / 4);
  }
}

std::vector<std::string> quantizable_files() {
  std::vector<std::string> out;
  for (const std::string& name : kVectorFiles) {
    if (has_quantizer(*dtype_from_name(name))) out.push_back(name);
  }
  return out;
}

std::string param_name(const testing::TestParamInfo<std::string>& param) { return param.param; }

INSTANTIATE_TEST_SUITE_P(Shared, DequantizeParity, testing::ValuesIn(kVectorFiles), param_name);
INSTANTIATE_TEST_SUITE_P(Shared, QuantizeParity, testing::ValuesIn(quantizable_files()), param_name);

// ---------------------------------------------------------------------------------------------
// Table consistency and errors.

TEST(Quant, ConvertersAgreeWithDtypeTable) {
  for (const DTypeInfo& info : all_dtypes()) {
    SCOPED_TRACE(std::string(info.name));
    EXPECT_EQ(has_dequantizer(info.type), info.can_dequantize);
    EXPECT_EQ(has_quantizer(info.type), info.can_quantize);
    // The converters carry their own block layouts; they must accept exactly dtype.h's row size.
    std::vector<uint8_t> bytes(info.type_size * 2);
    std::vector<float> values(info.block_size * 2);
    if (has_dequantizer(info.type)) {
      auto r = dequantize(info.type, bytes, values);
      EXPECT_TRUE(r.ok()) << r.error().message;
    }
    if (has_quantizer(info.type)) {
      auto r = quantize(info.type, values, bytes);
      EXPECT_TRUE(r.ok()) << r.error().message;
    }
  }
}

void expect_error(const Result<void>& result, const std::vector<std::string>& fragments) {
  ASSERT_FALSE(result.ok());
  for (const std::string& f : fragments) {
    EXPECT_NE(result.error().message.find(f), std::string::npos) << result.error().message;
  }
}

TEST(Quant, RejectsWrongSizes) {
  std::vector<uint8_t> bytes(row_bytes(DType::Q2_K, 512));
  std::vector<float> values(512);
  ASSERT_TRUE(dequantize(DType::Q2_K, bytes, values).ok());

  std::vector<float> ragged(300);
  expect_error(dequantize(DType::Q2_K, bytes, ragged), {"[dequantize]", "q2_K", "300", "256"});
  expect_error(dequantize(DType::Q2_K, std::span(bytes).first(bytes.size() - 1), values),
               {"q2_K", "168", "167"});
  std::vector<uint8_t> longer(bytes.size() + 1);
  expect_error(dequantize(DType::Q2_K, longer, values), {"q2_K", "169"});

  std::vector<uint8_t> q8(row_bytes(DType::Q8_0, 64));
  expect_error(quantize(DType::Q8_0, std::span(values).first(48), q8), {"[quantize]", "q8_0", "48", "32"});
  expect_error(quantize(DType::Q8_0, std::span(values).first(32), q8), {"q8_0", "34", "68"});
  // Empty input is a valid (empty) conversion.
  EXPECT_TRUE(dequantize(DType::Q4_K, {}, {}).ok());
}

TEST(Quant, RejectsUnsupportedTypes) {
  std::vector<uint8_t> bytes(66);
  std::vector<float> values(256);
  expect_error(dequantize(DType::IQ2_XXS, bytes, values), {"[dequantize]", "iq2_xxs", "16", "not supported"});
  expect_error(quantize(DType::Q2_K, values, bytes), {"[quantize]", "q2_K", "10", "not supported"});
  expect_error(quantize(DType::IQ4_NL, values, bytes), {"iq4_nl", "20"});
  expect_error(dequantize(static_cast<DType>(99), bytes, values), {"unknown type id 99"});
}

TEST(Quant, RejectsNonFiniteInputForBlockFormats) {
  std::vector<float> values(256, 1.0f);
  values[77] = std::numeric_limits<float>::quiet_NaN();
  std::vector<uint8_t> bytes(row_bytes(DType::Q4_K, 256));
  expect_error(quantize(DType::Q4_K, values, bytes), {"q4_K", "element 77", "nan"});
  values[77] = -std::numeric_limits<float>::infinity();
  std::vector<uint8_t> q4(row_bytes(DType::Q4_0, 256));
  expect_error(quantize(DType::Q4_0, values, q4), {"q4_0", "element 77", "inf"});
  // fp16 and bf16 carry inf and NaN.
  std::vector<uint8_t> f16(row_bytes(DType::F16, 256));
  EXPECT_TRUE(quantize(DType::F16, values, f16).ok());
  EXPECT_TRUE(quantize(DType::BF16, values, f16).ok());
}

// Arbitrary bytes (NaN/inf scales, every bit set) must decode without touching anything outside the
// spans; run under ASan this is the memory-safety check.
TEST(Quant, DequantizesArbitraryBytes) {
  std::mt19937 rng(7);
  for (const DTypeInfo& info : all_dtypes()) {
    if (!has_dequantizer(info.type)) continue;
    SCOPED_TRACE(std::string(info.name));
    for (int fill : {-1, 0x00, 0xFF}) {
      std::vector<uint8_t> bytes(info.type_size * 3);
      for (auto& b : bytes) b = static_cast<uint8_t>(fill < 0 ? rng() : static_cast<unsigned>(fill));
      std::vector<float> values(info.block_size * 3);
      EXPECT_TRUE(dequantize(info.type, bytes, values).ok());
    }
  }
}

// Huge finite values overflow ggml's intermediate ranges (max - min = inf); the result is
// meaningless but the call must stay defined and in bounds.
TEST(Quant, QuantizesExtremeFiniteValues) {
  std::vector<float> values(256);
  for (size_t i = 0; i < values.size(); ++i) {
    values[i] =
        (i % 3 == 0 ? -1.0f : 1.0f) * std::numeric_limits<float>::max() / static_cast<float>(1 + i % 5);
  }
  for (const DTypeInfo& info : all_dtypes()) {
    if (!has_quantizer(info.type)) continue;
    std::vector<uint8_t> bytes(row_bytes(info.type, values.size()));
    EXPECT_TRUE(quantize(info.type, values, bytes).ok()) << info.name;
  }
}

// ---------------------------------------------------------------------------------------------
// Error bounds on random data.
//
// Each quantizer runs on eight 64-super-block vectors from each of four distributions: normal,
// uniform, Laplace, and normal with 4% of values scaled x20. The error follows from the step size:
// a b-bit symmetric block with absmax A rounds to steps of ~A / 2^(b-1) (asymmetric: (max - min) /
// (2^b - 1)), leaving uniform rounding error of rms step / sqrt(12). For normal data that predicts
// ~0.07 (Q4_0), ~0.06 (Q4_1), ~0.035 (Q5_0), ~0.03 (Q5_1), ~0.005 (Q8_0); the K-quants fit groups of
// 32 (Q6_K: 16) by least squares and predict ~0.07 (Q4_K), ~0.035 (Q5_K), ~0.017 (Q6_K). Measured
// worst cases (bulk / outliers): Q4_0 0.108/0.153, Q4_1 0.092/0.116, Q5_0 0.054/0.091,
// Q5_1 0.044/0.056, Q8_0 0.0068/0.0116, Q4_K 0.085/0.105, Q5_K 0.043/0.054, Q6_K 0.022/0.033 —
// Laplace tails are the worst of the bulk, and a group holding an outlier gets a step ~20x coarser.
// The bounds are those with 15% headroom; fp16/bf16 use their unit roundoff.

std::vector<float> random_vector(const std::string& kind, uint32_t seed, size_t n) {
  std::mt19937 rng(seed);
  std::normal_distribution<float> normal(0.0f, 1.0f);
  std::uniform_real_distribution<float> uniform(-1.0f, 1.0f);
  std::exponential_distribution<float> exponential(1.0f);
  std::vector<float> x(n);
  for (float& v : x) {
    if (kind == "normal") {
      v = normal(rng);
    } else if (kind == "uniform") {
      v = uniform(rng);
    } else if (kind == "outliers") {
      v = normal(rng);
      if (uniform(rng) > 0.96f) v *= 20.0f;
    } else {  // laplace
      v = exponential(rng) * (uniform(rng) < 0 ? -1.0f : 1.0f);
    }
  }
  return x;
}

TEST(Quant, RandomDataStaysWithinBound) {
  for (const DTypeInfo& info : all_dtypes()) {
    if (!has_quantizer(info.type) || info.type == DType::F32) continue;
    const ErrorBound bound = error_bound(info.type);
    ErrorBound worst{0, 0};
    for (const std::string kind : {"normal", "uniform", "laplace", "outliers"}) {
      const bool outliers = kind == "outliers";
      for (uint32_t seed = 1; seed <= 8; ++seed) {
        const std::vector<float> x = random_vector(kind, seed, 64 * 256);
        const std::vector<float> y = dequantized(info.type, quantized(info.type, x), x.size());
        const double error = relative_rms(x, y);
        double& w = outliers ? worst.outliers : worst.bulk;
        w = std::max(w, error);
        EXPECT_LE(error, outliers ? bound.outliers : bound.bulk)
            << info.name << " " << kind << " seed " << seed;
      }
    }
    std::printf("%-5s worst relative rms error %.5f / %.5f (bounds %.4f / %.4f)\n",
                std::string(info.name).c_str(), worst.bulk, worst.outliers, bound.bulk, bound.outliers);
  }
}

// Every value of a K-quant vector lands within one group step of its input (values are rounded to
// the nearest code of their group; the least-squares min can clip at most one step at the ends).
TEST(Quant, KQuantsKeepEveryValueNearItsInput) {
  for (DType type : {DType::Q4_K, DType::Q5_K, DType::Q6_K}) {
    const int group = type == DType::Q6_K ? 16 : 32;
    const int levels = type == DType::Q4_K ? 15 : type == DType::Q5_K ? 31 : 63;
    const std::vector<float> x = random_vector("normal", 42, 16 * 256);
    const std::vector<float> y = dequantized(type, quantized(type, x), x.size());
    for (size_t g = 0; g < x.size(); g += group) {
      const auto [lo, hi] = std::minmax_element(x.begin() + g, x.begin() + g + group);
      const float span =
          type == DType::Q6_K ? 2 * std::max(std::fabs(*lo), std::fabs(*hi)) : *hi - std::min(0.0f, *lo);
      const float step = span / levels;
      for (size_t i = g; i < g + group; ++i) {
        ASSERT_LE(std::fabs(x[i] - y[i]), 1.5f * step) << dtype_info(type).name << " value " << i;
      }
    }
  }
}

}  // namespace
}  // namespace lathe
