#pragma once
// The reference files in ../shared/reference (see its README): logits at every position of three
// runs, greedy continuations and the per-layer residual stream, all from llama.cpp; and
// comparison.json, which measures how far llama.cpp's quantized path strays from exact f32.

#include <cstdint>
#include <memory>
#include <nlohmann/json.hpp>
#include <span>
#include <string>
#include <vector>

#include "model/model.h"

namespace lathe::test {

struct ReferenceRun {
  std::string name;  // len1, len17, len64
  std::vector<int32_t> tokens;
  std::vector<size_t> positions;           // the positions that have logits (all, or only the last)
  std::vector<std::vector<float>> logits;  // one row per entry of `positions`
};

struct ReferenceTrace {
  std::vector<int32_t> tokens;
  size_t position = 0;                    // the position the trace was taken at
  std::vector<std::vector<float>> l_out;  // [n_layer][d_model]
  std::vector<float> result_norm;         // [d_model]
};

struct ReferenceGreedy {
  std::string name;
  std::vector<int32_t> prompt;
  std::vector<int32_t> generated;
};

struct Reference {
  std::vector<ReferenceRun> runs;
  ReferenceTrace trace;
  std::vector<ReferenceGreedy> greedy;
};

// reference/<name>.json
Reference load_reference(const std::string& name);
// reference/comparison.json
const nlohmann::json& comparison();

struct Diff {
  double max_abs = 0;
  double rms = 0;
};
Diff diff(std::span<const float> a, std::span<const float> b);
Diff diff_rows(const std::vector<std::vector<float>>& a, const std::vector<std::vector<float>>& b);

std::unique_ptr<Model> load(const std::string& model_file, int threads = 0);

// Our logits at a run's positions (one batch), and the trace of that batch.
struct Evaluation {
  std::vector<std::vector<float>> logits;  // rows for run.positions
  ForwardTrace trace;
};
Evaluation evaluate(Model& model, const std::vector<int32_t>& tokens, const std::vector<size_t>& positions);

// Index of the largest value (the first on ties).
int32_t argmax(std::span<const float> v);

}  // namespace lathe::test
