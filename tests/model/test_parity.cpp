// The CPU forward pass against llama.cpp's outputs in ../shared/reference: logits at every position
// of every run, the residual stream after every layer (so a failure points at its layer), and
// greedy decoding of the one real trained model.
//
// Tolerances, from the references' own accuracy:
//
// * Exact-f32 references (`<model>.dequant-f32.json`, and the plain file of an all-F32 model) come
//   from llama.cpp's F32 path, which agreed with an independent float64 forward to 3e-6 on
//   synth-llama and 1.1e-5 on stories260K. Our forward is the same f32 arithmetic in another
//   summation order, and its op tests bound each op's error against float64 at the same level, so
//   we expect to be as far from float64 as llama.cpp is. The files print 7 significant digits,
//   a rounding of at most 5e-7 for the synthetic models' |logits| < 5 and 5e-6 for stories260K's
//   |logits| < 20. By the triangle inequality:
//     synth:       3e-6 + 3e-6 + 5e-7   = 6.5e-6   -> kExactSynth   = 1e-5
//     stories260K: 1.1e-5 + 1.1e-5 + 5e-6 = 2.7e-5 -> kExactStories = 3e-5
//   The residual stream (`trace`) has the magnitude of the logits and gets the same bound.
//
// * A quantized model's plain `<model>.json` comes from llama.cpp's quantized path, which also
//   rounds activations to 8 bits (F16/BF16 weights: activations to 16 bits). comparison.json's
//   `act_quant` measures exactly that: the distance between `<model>.json` and
//   `<model>.dequant-f32.json`, per run (max_abs, rms) and per layer of the trace. Since we are
//   within kExact of the dequant-f32 file, we must be within act_quant + kExact of the plain one.
//
// * llama-2-tiny-random is F16 with no dequant-f32 file and no comparison entry. Its plain file has
//   llama.cpp's F16 path (activations rounded to f16). We allow twice the relative band that
//   comparison.json documents for synth-llama-F16 (act_quant max_abs / ref_logit_std), scaled by
//   this model's logit spread.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <numeric>
#include <regex>

#include "common/test_data.h"
#include "reference.h"

namespace lathe {
namespace {

using test::Diff;
using test::Reference;

constexpr double kExactSynth = 1e-5;
constexpr double kExactStories = 3e-5;

struct Case {
  std::string model;      // file name without .gguf
  std::string exact_ref;  // reference name of the exact-f32 file
  std::string quant_ref;  // the quantized path's file, checked against comparison.json; "" for none
  double exact_tol;
};

std::vector<Case> cases() {
  std::vector<Case> c = {
      {"stories260K", "stories260K", "", kExactStories},
      {"synth-llama-F32", "synth-llama-F32", "", kExactSynth},
  };
  for (const char* type : {"BF16", "F16", "Q8_0", "Q6_K", "Q5_K_M", "Q5_1", "Q5_0", "Q4_K_M", "Q4_1", "Q4_0",
                           "IQ4_NL", "Q3_K_M", "Q2_K"}) {
    const std::string m = std::string("synth-llama-") + type;
    c.push_back({m, m + ".dequant-f32", m, kExactSynth});
  }
  for (const char* type : {"Q8_0", "Q4_K_M"}) {
    const std::string m = std::string("synth-qwen2-") + type;
    c.push_back({m, m + ".dequant-f32", m, kExactSynth});
  }
  return c;
}

struct Ours {
  std::vector<std::vector<std::vector<float>>> runs;  // per reference run: logits rows
  std::vector<std::vector<float>> trace_l_out;        // [layer][d] at the trace position
  std::vector<float> trace_result_norm;
};

// One batch per run; the trace comes from the run with the trace's tokens.
Ours evaluate_runs(Model& model, const Reference& ref) {
  Ours ours;
  const size_t d = model.hparams().d_model;
  for (const test::ReferenceRun& run : ref.runs) {
    test::Evaluation e = test::evaluate(model, run.tokens, run.positions);
    ours.runs.push_back(std::move(e.logits));
    if (run.tokens == ref.trace.tokens) {
      const size_t p = ref.trace.position;
      for (const std::vector<float>& layer : e.trace.layer_out) {
        ours.trace_l_out.emplace_back(layer.begin() + static_cast<std::ptrdiff_t>(p * d),
                                      layer.begin() + static_cast<std::ptrdiff_t>((p + 1) * d));
      }
      ours.trace_result_norm.assign(e.trace.result_norm.begin() + static_cast<std::ptrdiff_t>(p * d),
                                    e.trace.result_norm.begin() + static_cast<std::ptrdiff_t>((p + 1) * d));
    }
  }
  return ours;
}

void expect_exact(const Case& c, const Ours& ours, const Reference& ref) {
  for (size_t r = 0; r < ref.runs.size(); ++r) {
    const Diff d = test::diff_rows(ours.runs[r], ref.runs[r].logits);
    std::printf("  %-34s %-5s logits max|diff| %.2e (tolerance %.0e)\n", c.exact_ref.c_str(),
                ref.runs[r].name.c_str(), d.max_abs, c.exact_tol);
    EXPECT_LE(d.max_abs, c.exact_tol) << c.exact_ref << " run " << ref.runs[r].name;
  }
  ASSERT_EQ(ours.trace_l_out.size(), ref.trace.l_out.size()) << "trace run missing";
  double trace_max = 0;
  for (size_t l = 0; l < ref.trace.l_out.size(); ++l) {
    const Diff d = test::diff(ours.trace_l_out[l], ref.trace.l_out[l]);
    EXPECT_LE(d.max_abs, c.exact_tol) << c.exact_ref << ": residual stream after layer " << l;
    trace_max = std::max(trace_max, d.max_abs);
  }
  const Diff norm = test::diff(ours.trace_result_norm, ref.trace.result_norm);
  EXPECT_LE(norm.max_abs, c.exact_tol) << c.exact_ref << ": result_norm";
  std::printf("  %-34s trace l_out max|diff| %.2e, result_norm %.2e\n", c.exact_ref.c_str(), trace_max,
              norm.max_abs);
}

void expect_within_act_quant_band(const Case& c, const Ours& ours, const Reference& ref) {
  const nlohmann::json& act = test::comparison().at(c.model).at("act_quant");
  for (size_t r = 0; r < ref.runs.size(); ++r) {
    const nlohmann::json& band = act.at(ref.runs[r].name);
    const double max_tol = band.at("max_abs").get<double>() + c.exact_tol;
    const double rms_tol = band.at("rms").get<double>() + c.exact_tol;
    const Diff d = test::diff_rows(ours.runs[r], ref.runs[r].logits);
    std::printf("  %-34s %-5s logits max|diff| %.4f (band %.4f), rms %.4f (band %.4f)\n", c.quant_ref.c_str(),
                ref.runs[r].name.c_str(), d.max_abs, max_tol, d.rms, rms_tol);
    EXPECT_LE(d.max_abs, max_tol) << c.quant_ref << " run " << ref.runs[r].name;
    EXPECT_LE(d.rms, rms_tol) << c.quant_ref << " run " << ref.runs[r].name;
  }
  const nlohmann::json& trace_band = act.at("trace_l_out_max_abs");
  ASSERT_EQ(trace_band.size(), ref.trace.l_out.size());
  for (size_t l = 0; l < ref.trace.l_out.size(); ++l) {
    const Diff d = test::diff(ours.trace_l_out[l], ref.trace.l_out[l]);
    EXPECT_LE(d.max_abs, trace_band[l].get<double>() + c.exact_tol)
        << c.quant_ref << ": residual stream after layer " << l;
  }
}

class Parity : public testing::TestWithParam<Case> {};

TEST_P(Parity, LogitsAndTraceMatchReferences) {
  const Case& c = GetParam();
  std::unique_ptr<Model> model = test::load(c.model + ".gguf");
  ASSERT_TRUE(model);
  const Reference exact = test::load_reference(c.exact_ref);
  const Ours ours = evaluate_runs(*model, exact);
  expect_exact(c, ours, exact);
  if (!c.quant_ref.empty()) {
    const Reference quant = test::load_reference(c.quant_ref);
    expect_within_act_quant_band(c, ours, quant);
  }
}

INSTANTIATE_TEST_SUITE_P(Models, Parity, testing::ValuesIn(cases()),
                         [](const testing::TestParamInfo<Case>& p) {
                           std::string name = p.param.model;
                           for (char& ch : name) {
                             if (!std::isalnum(static_cast<unsigned char>(ch))) ch = '_';
                           }
                           return name;
                         });

double logit_std(const std::vector<std::vector<float>>& rows) {
  double sum = 0, sum2 = 0, n = 0;
  for (const auto& r : rows) {
    for (float x : r) {
      sum += x;
      sum2 += static_cast<double>(x) * x;
      n += 1;
    }
  }
  const double mean = sum / n;
  return std::sqrt(sum2 / n - mean * mean);
}

TEST(Parity, LlamaTinyRandomWithinTheF16Band) {
  std::unique_ptr<Model> model = test::load("llama-2-tiny-random.gguf");
  ASSERT_TRUE(model);
  EXPECT_EQ(model->hparams().n_vocab, 32000u);
  const Reference ref = test::load_reference("llama-2-tiny-random");
  const nlohmann::json& f16 = test::comparison().at("synth-llama-F16").at("act_quant");
  const Ours ours = evaluate_runs(*model, ref);
  for (size_t r = 0; r < ref.runs.size(); ++r) {
    const nlohmann::json& band = f16.at(ref.runs[r].name);
    const double relative = band.at("max_abs").get<double>() / band.at("ref_logit_std").get<double>();
    const double tol = 2 * relative * logit_std(ref.runs[r].logits);
    const Diff d = test::diff_rows(ours.runs[r], ref.runs[r].logits);
    std::printf("  llama-2-tiny-random %-5s logits max|diff| %.2e (band %.2e)\n", ref.runs[r].name.c_str(),
                d.max_abs, tol);
    EXPECT_LE(d.max_abs, tol) << ref.runs[r].name;
  }
  // The residual stream after the one layer, within the same relative band of its own spread.
  const nlohmann::json& len17 = f16.at("len17");
  const double relative = len17.at("max_abs").get<double>() / len17.at("ref_logit_std").get<double>();
  ASSERT_EQ(ours.trace_l_out.size(), 1u);
  const double trace_tol = 2 * relative * logit_std(ref.trace.l_out);
  const Diff trace = test::diff(ours.trace_l_out[0], ref.trace.l_out[0]);
  std::printf("  llama-2-tiny-random trace l_out max|diff| %.2e (band %.2e)\n", trace.max_abs, trace_tol);
  EXPECT_LE(trace.max_abs, trace_tol);
  // The len64 run keeps only the last position; it was compared above through `positions`.
  EXPECT_EQ(ref.runs.back().positions, std::vector<size_t>{63});
}

// Greedy (argmax) decoding, one token per forward pass after the prompt's prefill.
std::vector<int32_t> greedy(Model& model, const std::vector<int32_t>& prompt, size_t n) {
  auto cache = model.create_cache(prompt.size() + n);
  EXPECT_TRUE(cache.ok());
  std::vector<int32_t> pos(prompt.size());
  std::iota(pos.begin(), pos.end(), 0);
  ForwardOptions last_only;
  last_only.all_logits = false;
  auto logits = model.forward({prompt, pos}, *cache, last_only);
  std::vector<int32_t> out;
  while (logits.ok() && out.size() < n) {
    const int32_t next = test::argmax(logits->last());
    out.push_back(next);
    const int32_t p = static_cast<int32_t>(prompt.size() + out.size() - 1);
    logits = model.forward({std::span(&out.back(), 1), std::span(&p, 1)}, *cache, last_only);
  }
  EXPECT_TRUE(logits.ok()) << (logits.ok() ? "" : logits.error().message);
  return out;
}

TEST(Parity, Stories260KGreedyFromBosReproducesTheReferenceText) {
  const std::string text = test::read_file(test::data_path("models/stories260K.greedy-from-BOS.txt"));
  std::smatch m;
  ASSERT_TRUE(std::regex_search(text, m, std::regex(R"(ids:\s*\[([0-9,\s]+)\])")));
  std::vector<int32_t> expected;
  const std::string ids = m[1];
  const std::regex number("[0-9]+");
  for (std::sregex_iterator it(ids.begin(), ids.end(), number), end; it != end; ++it) {
    expected.push_back(std::stoi(it->str()));
  }
  ASSERT_EQ(expected.size(), 48u);

  std::unique_ptr<Model> model = test::load("stories260K.gguf");
  ASSERT_TRUE(model);
  EXPECT_EQ(greedy(*model, {1}, expected.size()), expected);
}

TEST(Parity, Stories260KGreedyMatchesBothReferencePrompts) {
  std::unique_ptr<Model> model = test::load("stories260K.gguf");
  ASSERT_TRUE(model);
  const Reference ref = test::load_reference("stories260K");
  ASSERT_EQ(ref.greedy.size(), 2u);
  for (const test::ReferenceGreedy& g : ref.greedy) {
    EXPECT_EQ(greedy(*model, g.prompt, g.generated.size()), g.generated) << g.name;
  }
}

}  // namespace
}  // namespace lathe
