#include "reference.h"

#include <gtest/gtest.h>

#include <cmath>
#include <numeric>

#include "common/test_data.h"

namespace lathe::test {

Reference load_reference(const std::string& name) {
  Reference ref;
  const nlohmann::json j = nlohmann::json::parse(read_file(data_path("reference/" + name + ".json")));
  for (const auto& r : j.at("runs")) {
    ReferenceRun run;
    run.name = r.at("name").get<std::string>();
    run.tokens = r.at("tokens").get<std::vector<int32_t>>();
    run.logits = r.at("logits").get<std::vector<std::vector<float>>>();
    if (r.contains("logits_positions")) {
      run.positions = r.at("logits_positions").get<std::vector<size_t>>();
    } else {
      run.positions.resize(run.tokens.size());
      std::iota(run.positions.begin(), run.positions.end(), size_t{0});
    }
    EXPECT_EQ(run.positions.size(), run.logits.size()) << name << " " << run.name;
    ref.runs.push_back(std::move(run));
  }
  const auto& t = j.at("trace").at(0);
  ref.trace.tokens = t.at("tokens").get<std::vector<int32_t>>();
  ref.trace.position = t.at("position").get<size_t>();
  ref.trace.l_out = t.at("l_out").get<std::vector<std::vector<float>>>();
  ref.trace.result_norm = t.at("result_norm").get<std::vector<float>>();
  for (const auto& g : j.at("greedy")) {
    ref.greedy.push_back({g.at("name").get<std::string>(), g.at("prompt").get<std::vector<int32_t>>(),
                          g.at("generated").get<std::vector<int32_t>>()});
  }
  return ref;
}

const nlohmann::json& comparison() {
  static const nlohmann::json j = nlohmann::json::parse(read_file(data_path("reference/comparison.json")));
  return j;
}

Diff diff(std::span<const float> a, std::span<const float> b) {
  Diff d;
  EXPECT_EQ(a.size(), b.size());
  const size_t n = std::min(a.size(), b.size());
  double sum = 0;
  for (size_t i = 0; i < n; ++i) {
    const double e = std::abs(static_cast<double>(a[i]) - static_cast<double>(b[i]));
    d.max_abs = std::max(d.max_abs, std::isnan(e) ? INFINITY : e);
    sum += e * e;
  }
  d.rms = n ? std::sqrt(sum / static_cast<double>(n)) : 0.0;
  return d;
}

Diff diff_rows(const std::vector<std::vector<float>>& a, const std::vector<std::vector<float>>& b) {
  std::vector<float> fa, fb;
  EXPECT_EQ(a.size(), b.size());
  for (size_t i = 0; i < std::min(a.size(), b.size()); ++i) {
    fa.insert(fa.end(), a[i].begin(), a[i].end());
    fb.insert(fb.end(), b[i].begin(), b[i].end());
  }
  return diff(fa, fb);
}

std::unique_ptr<Model> load(const std::string& model_file, int threads) {
  auto model = load_model(data_path("models/" + model_file), LoadOptions{threads});
  EXPECT_TRUE(model.ok()) << (model.ok() ? "" : model.error().message);
  return model.ok() ? std::move(model).value() : nullptr;
}

Evaluation evaluate(Model& model, const std::vector<int32_t>& tokens, const std::vector<size_t>& positions) {
  Evaluation e;
  auto cache = model.create_cache(tokens.size());
  EXPECT_TRUE(cache.ok());
  if (!cache.ok()) return e;
  std::vector<int32_t> pos(tokens.size());
  std::iota(pos.begin(), pos.end(), 0);
  ForwardOptions options;
  options.trace = &e.trace;
  auto logits = model.forward({tokens, pos}, *cache, options);
  EXPECT_TRUE(logits.ok()) << (logits.ok() ? "" : logits.error().message);
  if (!logits.ok()) return e;
  for (size_t p : positions) {
    auto row = logits->row(p);
    e.logits.emplace_back(row.begin(), row.end());
  }
  return e;
}

int32_t argmax(std::span<const float> v) {
  return static_cast<int32_t>(std::max_element(v.begin(), v.end()) - v.begin());
}

}  // namespace lathe::test
