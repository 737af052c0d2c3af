// The forward pass's contract: prefill and decode agree, the KV cache continues and rewinds,
// progress arrives per layer, a cancel lands within one layer, bad batches are refused.
#include <gtest/gtest.h>

#include <numeric>

#include "common/run.h"
#include "common/test_data.h"
#include "reference.h"

namespace lathe {
namespace {

std::vector<int32_t> iota_positions(size_t n, int32_t first = 0) {
  std::vector<int32_t> p(n);
  std::iota(p.begin(), p.end(), first);
  return p;
}

// The 64-token sequence of reference/sequences.json.
std::vector<int32_t> len64() { return test::load_reference("stories260K").runs.at(2).tokens; }

Logits prefill(Model& model, const std::vector<int32_t>& tokens) {
  auto cache = model.create_cache(tokens.size());
  EXPECT_TRUE(cache.ok());
  const std::vector<int32_t> pos = iota_positions(tokens.size());
  auto logits = model.forward({tokens, pos}, *cache);
  EXPECT_TRUE(logits.ok()) << (logits.ok() ? "" : logits.error().message);
  return logits.ok() ? std::move(logits).value() : Logits{};
}

// Batched prefill and one-token decode run the same per-token arithmetic (each output row's dot
// products and each query's attention are computed alone, in the same order), so today they agree
// bit for bit; the test allows 1e-6 so that a faster batched kernel may reorder sums later.
class PrefillVersusDecode : public testing::TestWithParam<std::string> {};

TEST_P(PrefillVersusDecode, SameLogitsAtEveryPosition) {
  std::unique_ptr<Model> model = test::load(GetParam());
  ASSERT_TRUE(model);
  const std::vector<int32_t> tokens = len64();
  const Logits batched = prefill(*model, tokens);

  auto cache = model->create_cache(tokens.size());
  ASSERT_TRUE(cache.ok());
  for (size_t i = 0; i < tokens.size(); ++i) {
    const int32_t pos = static_cast<int32_t>(i);
    ForwardOptions options;
    options.phase = Phase::decode;
    auto one = model->forward({std::span(&tokens[i], 1), std::span(&pos, 1)}, *cache, options);
    ASSERT_TRUE(one.ok()) << one.error().message;
    ASSERT_EQ(one->rows, 1u);
    EXPECT_LE(test::diff(one->row(0), batched.row(i)).max_abs, 1e-6) << "position " << i;
  }
  EXPECT_EQ(cache->length(), tokens.size());
}

INSTANTIATE_TEST_SUITE_P(Models, PrefillVersusDecode,
                         testing::Values("stories260K.gguf", "synth-llama-Q4_K_M.gguf",
                                         "synth-qwen2-Q4_K_M.gguf"),
                         [](const testing::TestParamInfo<std::string>& p) {
                           std::string name = p.param.substr(0, p.param.size() - 5);
                           for (char& ch : name) {
                             if (!std::isalnum(static_cast<unsigned char>(ch))) ch = '_';
                           }
                           return name;
                         });

TEST(Forward, ChunkedPrefillContinuesTheCache) {
  std::unique_ptr<Model> model = test::load("synth-qwen2-Q8_0.gguf");
  ASSERT_TRUE(model);
  const std::vector<int32_t> tokens = len64();
  const Logits whole = prefill(*model, tokens);

  auto cache = model->create_cache(tokens.size());
  ASSERT_TRUE(cache.ok());
  size_t done = 0;
  for (size_t chunk : {size_t{17}, size_t{30}, size_t{17}}) {
    const std::vector<int32_t> part(tokens.begin() + static_cast<std::ptrdiff_t>(done),
                                    tokens.begin() + static_cast<std::ptrdiff_t>(done + chunk));
    const std::vector<int32_t> pos = iota_positions(chunk, static_cast<int32_t>(done));
    auto logits = model->forward({part, pos}, *cache);
    ASSERT_TRUE(logits.ok()) << logits.error().message;
    for (size_t i = 0; i < chunk; ++i)
      EXPECT_LE(test::diff(logits->row(i), whole.row(done + i)).max_abs, 1e-6);
    done += chunk;
  }
}

TEST(Forward, RewindingRewritesLaterPositions) {
  std::unique_ptr<Model> model = test::load("stories260K.gguf");
  ASSERT_TRUE(model);
  const std::vector<int32_t> tokens = len64();
  const std::vector<int32_t> first(tokens.begin(), tokens.begin() + 20);
  const Logits expected = prefill(*model, first);

  auto cache = model->create_cache(64);
  ASSERT_TRUE(cache.ok());
  // 20 other tokens first, then positions 10.. again with the real ones.
  std::vector<int32_t> other = first;
  for (size_t i = 10; i < other.size(); ++i) other[i] = 7;
  ASSERT_TRUE(model->forward({other, iota_positions(20)}, *cache).ok());
  const std::vector<int32_t> tail(first.begin() + 10, first.end());
  auto logits = model->forward({tail, iota_positions(10, 10)}, *cache);
  ASSERT_TRUE(logits.ok()) << logits.error().message;
  for (size_t i = 0; i < 10; ++i) EXPECT_LE(test::diff(logits->row(i), expected.row(10 + i)).max_abs, 1e-6);
  EXPECT_EQ(cache->length(), 20u);
}

TEST(Forward, LastOnlyGivesTheLastRow) {
  std::unique_ptr<Model> model = test::load("synth-llama-Q8_0.gguf");
  ASSERT_TRUE(model);
  const std::vector<int32_t> tokens = test::load_reference("stories260K").runs.at(1).tokens;
  const Logits all = prefill(*model, tokens);
  auto cache = model->create_cache(tokens.size());
  ASSERT_TRUE(cache.ok());
  ForwardOptions options;
  options.all_logits = false;
  auto last = model->forward({tokens, iota_positions(tokens.size())}, *cache, options);
  ASSERT_TRUE(last.ok());
  ASSERT_EQ(last->rows, 1u);
  EXPECT_EQ(test::diff(last->last(), all.last()).max_abs, 0.0);
}

TEST(Forward, ResultDoesNotDependOnThreadCount) {
  std::unique_ptr<Model> one = test::load("synth-llama-Q4_K_M.gguf", 1);
  std::unique_ptr<Model> three = test::load("synth-llama-Q4_K_M.gguf", 3);
  ASSERT_TRUE(one && three);
  const std::vector<int32_t> tokens = test::load_reference("stories260K").runs.at(1).tokens;
  EXPECT_EQ(prefill(*one, tokens).values, prefill(*three, tokens).values);
}

TEST(Forward, ProgressArrivesOncePerLayerInOrder) {
  std::unique_ptr<Model> model = test::load("stories260K.gguf");
  ASSERT_TRUE(model);
  const std::vector<int32_t> tokens = {1, 303, 219};
  auto cache = model->create_cache(8);
  ASSERT_TRUE(cache.ok());
  std::vector<ProgressEvent> events;
  ForwardOptions options;
  options.phase = Phase::prefill;
  options.progress = [&](const ProgressEvent& e) {
    events.push_back(e);
    return true;
  };
  ASSERT_TRUE(model->forward({tokens, iota_positions(3)}, *cache, options).ok());
  ASSERT_EQ(events.size(), 5u);
  for (size_t i = 0; i < events.size(); ++i) {
    EXPECT_EQ(events[i].phase, Phase::prefill);
    EXPECT_EQ(events[i].layer, static_cast<int>(i));
    EXPECT_EQ(events[i].layer_count, 5);
    EXPECT_EQ(events[i].tokens, 3);
  }
}

TEST(Forward, CancelLandsWithinOneLayerAndLeavesTheCacheUsable) {
  std::unique_ptr<Model> model = test::load("synth-llama-Q4_0.gguf");
  ASSERT_TRUE(model);
  const std::vector<int32_t> tokens = len64();
  const Logits expected = prefill(*model, tokens);

  auto cache = model->create_cache(tokens.size());
  ASSERT_TRUE(cache.ok());
  CancelToken cancel;
  int last_layer = -1;
  ForwardOptions options;
  options.cancel = &cancel;
  options.progress = [&](const ProgressEvent& e) {
    last_layer = e.layer;
    if (e.layer == 1) cancel.cancel();  // asked while layer 1 is about to run
    return true;
  };
  auto r = model->forward({tokens, iota_positions(tokens.size())}, *cache, options);
  ASSERT_FALSE(r.ok());
  EXPECT_TRUE(is_cancelled(r.error())) << r.error().message;
  EXPECT_EQ(r.error().message, "cancelled");
  EXPECT_EQ(last_layer, 1);  // no later layer started
  EXPECT_EQ(cache->length(), 0u);

  // A stop asked through the callback's return value works the same.
  last_layer = -1;
  options.cancel = nullptr;
  options.progress = [&](const ProgressEvent& e) {
    last_layer = e.layer;
    return e.layer < 2;
  };
  r = model->forward({tokens, iota_positions(tokens.size())}, *cache, options);
  ASSERT_FALSE(r.ok());
  EXPECT_TRUE(is_cancelled(r.error()));
  EXPECT_EQ(last_layer, 2);

  // A token cancelled beforehand stops before the first layer.
  cancel.cancel();
  options.cancel = &cancel;
  options.progress = nullptr;
  r = model->forward({tokens, iota_positions(tokens.size())}, *cache, options);
  ASSERT_FALSE(r.ok());
  EXPECT_TRUE(is_cancelled(r.error()));

  // Retrying with the same cache gives the uncancelled result.
  cancel.reset();
  r = model->forward({tokens, iota_positions(tokens.size())}, *cache, options);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->values, expected.values);
}

TEST(Forward, RefusesBadBatches) {
  std::unique_ptr<Model> model = test::load("stories260K.gguf");
  ASSERT_TRUE(model);
  auto cache = model->create_cache(8);
  ASSERT_TRUE(cache.ok());
  auto error_of = [&](std::vector<int32_t> tokens, std::vector<int32_t> pos) {
    auto r = model->forward({tokens, pos}, *cache);
    return r.ok() ? std::string("ok") : r.error().message;
  };
  EXPECT_NE(error_of({}, {}).find("empty"), std::string::npos);
  EXPECT_NE(error_of({1, 2}, {0}).find("positions"), std::string::npos);
  EXPECT_NE(error_of({1, 512}, {0, 1}).find("vocabulary"), std::string::npos);
  EXPECT_NE(error_of({1, -3}, {0, 1}).find("vocabulary"), std::string::npos);
  EXPECT_NE(error_of({1, 2}, {0, 2}).find("consecutive"), std::string::npos);
  EXPECT_NE(error_of({1}, {3}).find("cache holds"), std::string::npos);  // a gap after the cache
  EXPECT_NE(error_of(std::vector<int32_t>(9, 1), iota_positions(9)).find("context"), std::string::npos);
  EXPECT_EQ(cache->length(), 0u);

  // A cache of another model's layout.
  std::unique_ptr<Model> other = test::load("synth-llama-Q8_0.gguf");
  ASSERT_TRUE(other);
  auto foreign = other->create_cache(8);
  ASSERT_TRUE(foreign.ok());
  const std::vector<int32_t> one = {1}, zero = {0};
  auto r = model->forward({one, zero}, *foreign);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().message.find("layout"), std::string::npos);
}

TEST(Forward, CacheIsSizedFromTheContext) {
  std::unique_ptr<Model> model = test::load("stories260K.gguf");
  ASSERT_TRUE(model);
  auto full = model->create_cache();
  ASSERT_TRUE(full.ok());
  EXPECT_EQ(full->context(), 2048u);  // llama.context_length
  EXPECT_EQ(full->layer_count(), 5u);
  // 5 layers x 2048 positions x (4 KV heads x 8) x (k + v) x 4 bytes
  EXPECT_EQ(full->bytes(), 5u * 2048 * 32 * 2 * 4);
  EXPECT_FALSE(KvCache::create(model->kv_layout(), size_t{1} << 40).ok());
}

TEST(CliEval, JsonMatchesTheReferenceRun) {
  const test::Reference ref = test::load_reference("stories260K");
  const test::ReferenceRun& run = ref.runs.at(1);
  std::string ids;
  for (int32_t t : run.tokens) ids += (ids.empty() ? "" : ",") + std::to_string(t);
  const std::string cli = test::shell_quote((test::binary_dir() / "lathe-cli").string());
  const std::string model = test::shell_quote(test::data_path("models/stories260K.gguf").string());

  auto r = test::run_command(cli + " eval " + model + " --tokens " + ids + " --json");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const nlohmann::json j = nlohmann::json::parse(r.out);
  EXPECT_EQ(j.at("model"), "stories260K.gguf");
  EXPECT_EQ(j.at("n_vocab"), 512);
  EXPECT_EQ(j.at("tokens").get<std::vector<int32_t>>(), run.tokens);
  const auto logits = j.at("logits").get<std::vector<std::vector<float>>>();
  EXPECT_LE(test::diff_rows(logits, run.logits).max_abs, 3e-5);  // kExactStories, see test_parity.cpp

  r = test::run_command(cli + " eval " + model + " --tokens " + ids + " --json --last");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const nlohmann::json last = nlohmann::json::parse(r.out);
  EXPECT_EQ(last.at("logits").size(), 1u);
  EXPECT_EQ(last.at("logits_positions"), nlohmann::json::array({16}));

  r = test::run_command(cli + " eval " + model + " --tokens 1,x,3");
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("'x'"), std::string::npos);
  r = test::run_command(cli + " eval " + model + " --tokens 1,600");
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("vocabulary"), std::string::npos);
}

}  // namespace
}  // namespace lathe
