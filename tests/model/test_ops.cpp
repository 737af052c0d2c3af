// Every CPU op against a naive float64 implementation on small random shapes.
//
// Bounds are the textbook ones for f32 arithmetic (unit roundoff u = 2^-24): a sum of products
// computed in k sequential f32 steps is within about k·u·Σ|terms| of the exact sum. The matmul's dot
// keeps eight partial sums of n/8 terms and adds them pairwise (3 more steps), so k = n/8 + 4
// (one for the rounding of each product). Element-wise ops are checked to a few ulps.
#include <gtest/gtest.h>

#include <atomic>
#include <cmath>
#include <limits>
#include <nlohmann/json.hpp>
#include <random>
#include <set>
#include <vector>

#include "common/test_data.h"
#include "cpu/activation.h"
#include "cpu/attention.h"
#include "cpu/elementwise.h"
#include "cpu/matmul.h"
#include "cpu/norm.h"
#include "cpu/rope.h"
#include "cpu/softmax.h"
#include "cpu/thread_pool.h"
#include "gguf/quant.h"

namespace lathe::cpu {
namespace {

constexpr double kU = 0x1p-24;  // f32 unit roundoff

std::vector<float> random_floats(size_t n, uint32_t seed, float scale = 1.0f) {
  std::mt19937 rng(seed);
  std::normal_distribution<float> dist(0.0f, scale);
  std::vector<float> v(n);
  for (float& x : v) x = dist(rng);
  return v;
}

// ---- matmul and get_rows, for every weight type ----

// A weight matrix as a file holds it, plus its dequantized values.
struct QuantMatrix {
  DType type;
  size_t rows, cols;
  std::vector<uint8_t> bytes;
  std::vector<float> dequantized;  // [rows, cols]
};

QuantMatrix from_bytes(DType type, size_t rows, size_t cols, std::vector<uint8_t> bytes) {
  QuantMatrix m{type, rows, cols, std::move(bytes), std::vector<float>(rows * cols)};
  auto r = dequantize(type, m.bytes, m.dequantized);
  EXPECT_TRUE(r.ok()) << (r.ok() ? "" : r.error().message);
  return m;
}

// Random values quantized by our quantizer.
QuantMatrix quantized_random(DType type, size_t rows, size_t cols, uint32_t seed) {
  const std::vector<float> values = random_floats(rows * cols, seed);
  std::vector<uint8_t> bytes(row_bytes(type, cols) * rows);
  auto r = quantize(type, values, bytes);
  EXPECT_TRUE(r.ok()) << (r.ok() ? "" : r.error().message);
  return from_bytes(type, rows, cols, std::move(bytes));
}

// ggml's own quantized rows from ../shared/quant/<TYPE>.json (4 rows of 512), tiled to `rows` rows:
// this covers the types that have a dequantizer but no quantizer here (Q2_K, Q3_K, IQ4_NL, IQ4_XS).
QuantMatrix ggml_rows(const std::string& file, size_t rows) {
  const nlohmann::json j = nlohmann::json::parse(test::read_file(test::data_path("quant/" + file + ".json")));
  const DType type = static_cast<DType>(j.at("ggml_type_id").get<uint32_t>());
  const size_t cols = j.at("n_per_row").get<size_t>();
  std::vector<std::vector<uint8_t>> source;
  for (const auto& row : j.at("rows")) {
    const std::string hex = row.at("quantized_hex").get<std::string>();
    std::vector<uint8_t> bytes(hex.size() / 2);
    for (size_t i = 0; i < bytes.size(); ++i)
      bytes[i] = static_cast<uint8_t>(std::stoul(hex.substr(2 * i, 2), nullptr, 16));
    source.push_back(std::move(bytes));
  }
  std::vector<uint8_t> bytes;
  for (size_t r = 0; r < rows; ++r) {
    const std::vector<uint8_t>& s = source[(r * 3) % source.size()];
    bytes.insert(bytes.end(), s.begin(), s.end());
  }
  return from_bytes(type, rows, cols, std::move(bytes));
}

void expect_matmul_matches_float64(const QuantMatrix& m, size_t tokens, ThreadPool* pool) {
  auto view = make_weight_view(m.type, m.bytes, m.rows, m.cols, "test");
  ASSERT_TRUE(view.ok()) << view.error().message;
  const std::vector<float> x = random_floats(tokens * m.cols, 7 + static_cast<uint32_t>(m.type));
  std::vector<float> y(tokens * m.rows);
  matmul(*view, x.data(), y.data(), tokens, pool);
  const double k = static_cast<double>(m.cols) / 8 + 4;
  for (size_t t = 0; t < tokens; ++t) {
    for (size_t r = 0; r < m.rows; ++r) {
      double exact = 0, magnitude = 0;
      for (size_t i = 0; i < m.cols; ++i) {
        const double term = static_cast<double>(m.dequantized[r * m.cols + i]) * x[t * m.cols + i];
        exact += term;
        magnitude += std::abs(term);
      }
      ASSERT_NEAR(y[t * m.rows + r], exact, k * kU * magnitude)
          << dtype_info(m.type).name << " row " << r << " token " << t;
    }
  }
  // get_rows gives the dequantized rows.
  const std::vector<int32_t> ids = {static_cast<int32_t>(m.rows - 1), 0, 2};
  std::vector<float> rows(ids.size() * m.cols);
  get_rows(*view, ids, rows.data());
  for (size_t i = 0; i < ids.size(); ++i) {
    for (size_t c = 0; c < m.cols; ++c) {
      ASSERT_EQ(rows[i * m.cols + c], m.dequantized[static_cast<size_t>(ids[i]) * m.cols + c]);
    }
  }
}

TEST(Matmul, EveryQuantizableTypeMatchesDequantizeAndFloat64Dot) {
  ThreadPool pool(3);
  const std::set<DType> types = {DType::F32,  DType::F16,  DType::BF16, DType::Q4_0, DType::Q4_1, DType::Q5_0,
                                 DType::Q5_1, DType::Q8_0, DType::Q4_K, DType::Q5_K, DType::Q6_K};
  for (DType type : types) {
    ASSERT_TRUE(has_quantizer(type)) << dtype_info(type).name;
    // 37 rows (not a multiple of the thread count), 512 columns (two K-quant super-blocks).
    expect_matmul_matches_float64(quantized_random(type, 37, 512, 100 + static_cast<uint32_t>(type)), 5,
                                  &pool);
  }
}

TEST(Matmul, EveryDequantizableTypeOnGgmlBytes) {
  ThreadPool pool(2);
  const char* files[] = {"F16",  "BF16", "Q4_0", "Q4_1", "Q5_0", "Q5_1",   "Q8_0",
                         "Q2_K", "Q3_K", "Q4_K", "Q5_K", "Q6_K", "IQ4_NL", "IQ4_XS"};
  std::set<DType> covered = {DType::F32};  // F32 is covered above
  for (const char* f : files) {
    const QuantMatrix m = ggml_rows(f, 11);
    expect_matmul_matches_float64(m, 3, &pool);
    covered.insert(m.type);
  }
  for (const DTypeInfo& info : all_dtypes()) {
    if (dequantize_blocks_fn(info.type) != nullptr) {
      EXPECT_TRUE(covered.count(info.type)) << info.name << " can be dequantized but is not tested in matmul";
    }
  }
}

TEST(Matmul, ResultDoesNotDependOnThreadCount) {
  const QuantMatrix m = quantized_random(DType::Q4_K, 64, 256, 5);
  auto view = make_weight_view(m.type, m.bytes, m.rows, m.cols, "test");
  ASSERT_TRUE(view.ok());
  const std::vector<float> x = random_floats(9 * m.cols, 6);
  std::vector<float> one(9 * m.rows), four(9 * m.rows);
  matmul(*view, x.data(), one.data(), 9, nullptr);
  ThreadPool pool(4);
  matmul(*view, x.data(), four.data(), 9, &pool);
  EXPECT_EQ(one, four);
}

TEST(Matmul, ViewChecksSizesAndTypes) {
  std::vector<uint8_t> bytes(18 * 4);
  EXPECT_TRUE(make_weight_view(DType::Q4_0, bytes, 4, 32, "w").ok());
  auto wrong_size = make_weight_view(DType::Q4_0, bytes, 5, 32, "blk.0.attn_q.weight");
  ASSERT_FALSE(wrong_size.ok());
  EXPECT_NE(wrong_size.error().message.find("blk.0.attn_q.weight"), std::string::npos);
  EXPECT_FALSE(make_weight_view(DType::Q4_0, bytes, 4, 30, "w").ok());      // not whole blocks
  EXPECT_FALSE(make_weight_view(DType::IQ2_XXS, bytes, 1, 256, "w").ok());  // no dequantizer
}

TEST(Dot, MatchesFloat64ForAllTailLengths) {
  for (size_t n : {1u, 7u, 8u, 9u, 31u, 64u, 100u}) {
    const std::vector<float> a = random_floats(n, 1), b = random_floats(n, 2);
    double exact = 0, magnitude = 0;
    for (size_t i = 0; i < n; ++i) {
      exact += static_cast<double>(a[i]) * b[i];
      magnitude += std::abs(static_cast<double>(a[i]) * b[i]);
    }
    EXPECT_NEAR(dot(a.data(), b.data(), n), exact, (static_cast<double>(n) / 8 + 5) * kU * magnitude) << n;
  }
}

// ---- rms_norm ----

TEST(RmsNorm, MatchesFloat64WithAndWithoutWeight) {
  const size_t tokens = 3, d = 67;
  const float eps = 1e-5f;
  const std::vector<float> x = random_floats(tokens * d, 11, 3.0f), w = random_floats(d, 12);
  for (bool weighted : {true, false}) {
    std::vector<float> y(tokens * d);
    rms_norm(x.data(), weighted ? w.data() : nullptr, y.data(), tokens, d, eps);
    for (size_t t = 0; t < tokens; ++t) {
      double ss = 0;
      for (size_t i = 0; i < d; ++i) ss += static_cast<double>(x[t * d + i]) * x[t * d + i];
      const double scale = 1.0 / std::sqrt(ss / d + eps);
      for (size_t i = 0; i < d; ++i) {
        const double exact = x[t * d + i] * scale * (weighted ? w[i] : 1.0);
        EXPECT_NEAR(y[t * d + i], exact, 8 * kU * std::abs(exact) + 1e-30);
      }
    }
  }
}

// ---- rope ----

// The float64 reference names its pairs explicitly: (2i, 2i+1) for normal, (i, i + n_rot/2) for neox.
std::vector<double> rope_float64(const std::vector<float>& x, size_t tokens, size_t heads, size_t hd,
                                 const std::vector<int32_t>& pos, RopeStyle style, size_t n_rot, double base,
                                 double freq_scale, const std::vector<float>& factors) {
  std::vector<double> y(x.begin(), x.end());
  for (size_t t = 0; t < tokens; ++t) {
    for (size_t h = 0; h < heads; ++h) {
      for (size_t i = 0; i < n_rot / 2; ++i) {
        double theta = pos[t] * freq_scale * std::pow(base, -2.0 * i / n_rot);
        if (!factors.empty()) theta /= factors[i];
        const size_t a = style == RopeStyle::normal ? 2 * i : i;
        const size_t b = style == RopeStyle::normal ? 2 * i + 1 : i + n_rot / 2;
        const size_t o = (t * heads + h) * hd;
        y[o + a] = x[o + a] * std::cos(theta) - x[o + b] * std::sin(theta);
        y[o + b] = x[o + a] * std::sin(theta) + x[o + b] * std::cos(theta);
      }
    }
  }
  return y;
}

TEST(Rope, NormalNeoxPartialAndFrequencyFactorsMatchFloat64) {
  const size_t tokens = 4, heads = 3, hd = 16;
  const std::vector<int32_t> pos = {0, 1, 57, 1000};
  const std::vector<float> x = random_floats(tokens * heads * hd, 21);
  struct Variant {
    RopeStyle style;
    size_t n_rot;
    float base, freq_scale;
    std::vector<float> factors;
  };
  const std::vector<Variant> variants = {
      {RopeStyle::normal, 16, 10000.0f, 1.0f, {}},
      {RopeStyle::neox, 16, 1e6f, 1.0f, {}},
      {RopeStyle::normal, 8, 10000.0f, 0.25f, {}},                      // partial + linear scaling
      {RopeStyle::neox, 8, 10000.0f, 1.0f, {1.0f, 2.0f, 8.0f, 32.0f}},  // partial + frequency factors
  };
  for (const Variant& v : variants) {
    std::vector<float> y = x;
    RopeParams p{v.style, v.n_rot, v.base, v.freq_scale, v.factors.empty() ? nullptr : v.factors.data()};
    rope(y.data(), tokens, heads, hd, pos.data(), p);
    const std::vector<double> exact =
        rope_float64(x, tokens, heads, hd, pos, v.style, v.n_rot, v.base, v.freq_scale, v.factors);
    for (size_t i = 0; i < y.size(); ++i) {
      // cos and sin are rounded to f32 (u each), then two products and a difference.
      EXPECT_NEAR(y[i], exact[i], 6 * kU * 4.0 * (std::abs(exact[i]) + 1.0)) << "index " << i;
    }
    // Dimensions past n_rot pass through untouched.
    for (size_t t = 0; t < tokens * heads; ++t) {
      for (size_t i = v.n_rot; i < hd; ++i) EXPECT_EQ(y[t * hd + i], x[t * hd + i]);
    }
  }
}

// ---- softmax ----

TEST(Softmax, MatchesFloat64AndZeroesMaskedEntries) {
  const size_t rows = 3, n = 13;
  std::vector<float> x = random_floats(rows * n, 31, 4.0f);
  x[5] = -std::numeric_limits<float>::infinity();
  for (size_t i = 0; i < n; ++i) x[2 * n + i] = -std::numeric_limits<float>::infinity();  // all masked
  const std::vector<float> in = x;
  softmax(x.data(), rows, n);
  for (size_t r = 0; r < 2; ++r) {
    double max = -INFINITY, sum = 0;
    for (size_t i = 0; i < n; ++i) max = std::max(max, static_cast<double>(in[r * n + i]));
    for (size_t i = 0; i < n; ++i) sum += std::exp(in[r * n + i] - max);
    for (size_t i = 0; i < n; ++i) {
      const double exact = std::exp(in[r * n + i] - max) / sum;
      if (exact == 0) {
        EXPECT_EQ(x[r * n + i], 0.0f);  // masked
        continue;
      }
      // x - max is rounded to f32 (absolute error u·|x - max|, which exp turns into that relative
      // error), then expf, the sum and the scaling each add a few u.
      EXPECT_NEAR(x[r * n + i], exact, (std::abs(in[r * n + i] - max) + 8) * kU * exact + 1e-30);
    }
  }
  EXPECT_EQ(x[5], 0.0f);
  for (size_t i = 0; i < n; ++i) EXPECT_EQ(x[2 * n + i], 0.0f);
}

// ---- attention ----

std::vector<double> attention_float64(const std::vector<float>& q, const std::vector<int32_t>& pos,
                                      const std::vector<float>& k, const std::vector<float>& v,
                                      const AttentionParams& p) {
  const size_t tokens = pos.size();
  std::vector<double> out(tokens * p.n_head * p.head_dim_v, 0.0);
  for (size_t t = 0; t < tokens; ++t) {
    for (size_t h = 0; h < p.n_head; ++h) {
      const size_t kvh = h / (p.n_head / p.n_kv_head);
      std::vector<double> s;
      std::vector<size_t> keys;
      for (size_t j = 0; j <= static_cast<size_t>(pos[t]); ++j) {
        if (p.sliding_window > 0 && static_cast<size_t>(pos[t]) - j >= p.sliding_window) continue;
        double dot = 0;
        for (size_t i = 0; i < p.head_dim_k; ++i) {
          dot += static_cast<double>(q[(t * p.n_head + h) * p.head_dim_k + i]) *
                 k[(j * p.n_kv_head + kvh) * p.head_dim_k + i];
        }
        dot *= p.scale;
        if (p.softcap > 0) dot = p.softcap * std::tanh(dot / p.softcap);
        s.push_back(dot);
        keys.push_back(j);
      }
      double max = -INFINITY, sum = 0;
      for (double x : s) max = std::max(max, x);
      for (double& x : s) sum += (x = std::exp(x - max));
      for (size_t a = 0; a < s.size(); ++a) {
        for (size_t i = 0; i < p.head_dim_v; ++i) {
          out[(t * p.n_head + h) * p.head_dim_v + i] +=
              s[a] / sum * v[(keys[a] * p.n_kv_head + kvh) * p.head_dim_v + i];
        }
      }
    }
  }
  return out;
}

TEST(Attention, CausalGqaWindowAndSoftcapMatchFloat64) {
  const size_t n_keys = 12;
  const std::vector<int32_t> pos = {0, 5, 9, 10, 11};  // queries anywhere in the cache
  ThreadPool pool(3);
  for (size_t window : {size_t{0}, size_t{4}}) {
    for (float cap : {0.0f, 2.0f}) {
      AttentionParams p;
      p.n_head = 6;
      p.n_kv_head = 2;
      p.head_dim_k = 8;
      p.head_dim_v = 5;
      p.scale = 1.0f / std::sqrt(8.0f);
      p.softcap = cap;
      p.sliding_window = window;
      const std::vector<float> q = random_floats(pos.size() * p.n_head * p.head_dim_k, 41, 2.0f);
      const std::vector<float> k = random_floats(n_keys * p.n_kv_head * p.head_dim_k, 42, 2.0f);
      const std::vector<float> v = random_floats(n_keys * p.n_kv_head * p.head_dim_v, 43);
      std::vector<float> out(pos.size() * p.n_head * p.head_dim_v);
      attention(q.data(), pos.data(), pos.size(), k.data(), v.data(), n_keys, p, out.data(), &pool);
      const std::vector<double> exact = attention_float64(q, pos, k, v, p);
      for (size_t i = 0; i < out.size(); ++i) {
        EXPECT_NEAR(out[i], exact[i], 1e-5) << "window " << window << " softcap " << cap << " index " << i;
      }
    }
  }
}

TEST(Attention, FirstPositionAttendsOnlyToItself) {
  AttentionParams p{1, 1, 4, 4, 0.5f, 0.0f, 0};
  const std::vector<float> q = {1, 2, 3, 4}, k = {1, 0, 0, 0, 9, 9, 9, 9}, v = {5, 6, 7, 8, -1, -1, -1, -1};
  const int32_t pos = 0;
  std::vector<float> out(4);
  attention(q.data(), &pos, 1, k.data(), v.data(), 2, p, out.data(), nullptr);
  EXPECT_EQ(out, (std::vector<float>{5, 6, 7, 8}));
}

// ---- activations and element-wise ----

TEST(Activation, SiluGeluGatedAndSoftcapMatchFloat64) {
  const std::vector<float> x = random_floats(200, 51, 4.0f), up = random_floats(200, 52);
  std::vector<float> s(200), g(200), sg(200), gg(200), c = x;
  silu(x.data(), s.data(), x.size());
  gelu(x.data(), g.data(), x.size());
  swiglu(x.data(), up.data(), sg.data(), x.size());
  geglu(x.data(), up.data(), gg.data(), x.size());
  softcap(c.data(), c.size(), 3.0f);
  for (size_t i = 0; i < x.size(); ++i) {
    const double xi = x[i];
    const double silu64 = xi / (1.0 + std::exp(-xi));
    const double gelu64 =
        0.5 * xi * (1.0 + std::tanh(std::sqrt(2.0 / M_PI) * xi * (1.0 + 0.044715 * xi * xi)));
    const double tol = 16 * kU;
    EXPECT_NEAR(s[i], silu64, tol * (std::abs(xi) + 1));
    EXPECT_NEAR(g[i], gelu64, tol * (std::abs(xi) + 1));
    EXPECT_NEAR(sg[i], silu64 * up[i], tol * (std::abs(xi) + 1) * (std::abs(up[i]) + 1));
    EXPECT_NEAR(gg[i], gelu64 * up[i], tol * (std::abs(xi) + 1) * (std::abs(up[i]) + 1));
    EXPECT_NEAR(c[i], 3.0 * std::tanh(xi / 3.0), tol * 3);
  }
}

TEST(Elementwise, AddRowsAndScale) {
  std::vector<float> a = {1, 2, 3, 4, 5, 6}, b = {10, 20, 30, 40, 50, 60}, y(6);
  add(a.data(), b.data(), y.data(), 6);
  EXPECT_EQ(y, (std::vector<float>{11, 22, 33, 44, 55, 66}));
  const std::vector<float> row = {1, 0.5f, -1};
  add_row(a.data(), row.data(), 2, 3);
  EXPECT_EQ(a, (std::vector<float>{2, 2.5f, 2, 5, 5.5f, 5}));
  mul_row(a.data(), row.data(), 2, 3);
  EXPECT_EQ(a, (std::vector<float>{2, 1.25f, -2, 5, 2.75f, -5}));
  scale(a.data(), 6, 2.0f);
  EXPECT_EQ(a, (std::vector<float>{4, 2.5f, -4, 10, 5.5f, -10}));
}

// ---- thread pool ----

TEST(ThreadPool, EveryIndexRunsExactlyOnce) {
  for (int threads : {1, 2, 5}) {
    ThreadPool pool(threads);
    EXPECT_EQ(pool.size(), threads);
    for (size_t n : {size_t{0}, size_t{1}, size_t{3}, size_t{100}, size_t{1001}}) {
      for (int repeat = 0; repeat < 20; ++repeat) {
        std::vector<std::atomic<int>> hits(n);
        pool.parallel_for(n, [&](size_t begin, size_t end) {
          for (size_t i = begin; i < end; ++i) hits[i]++;
        });
        for (size_t i = 0; i < n; ++i) ASSERT_EQ(hits[i].load(), 1) << "n " << n << " index " << i;
      }
    }
  }
}

TEST(ThreadPool, NestedCallsRunInline) {
  ThreadPool pool(3);
  std::atomic<int> total{0};
  pool.parallel_for(6, [&](size_t begin, size_t end) {
    for (size_t i = begin; i < end; ++i) {
      pool.parallel_for(10, [&](size_t b, size_t e) { total += static_cast<int>(e - b); });
    }
  });
  EXPECT_EQ(total.load(), 60);
}

}  // namespace
}  // namespace lathe::cpu
