// lathe-cli eval MODEL --tokens 1,303,219,... [--last] [--threads N] [--json]
//
// Runs the token ids through the model in one batch (positions 0..n-1) on the CPU reference backend
// and prints the logits at every position (or only the last). --json prints one object shaped like
// an entry of the reference files' `runs`: {model, n_vocab, tokens, logits[, logits_positions]}.
#include <algorithm>
#include <charconv>
#include <cstdio>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <numeric>

#include "args.h"
#include "commands.h"
#include "model/model.h"

namespace lathe::cli {
namespace {

constexpr const char* kUsage =
    "usage: lathe-cli eval MODEL.gguf --tokens ID,ID,... [--last] [--threads N] [--json]\n";

Result<std::vector<int32_t>> parse_tokens(const std::string& text) {
  std::vector<int32_t> ids;
  size_t start = 0;
  while (start <= text.size()) {
    size_t end = text.find(',', start);
    if (end == std::string::npos) end = text.size();
    const std::string item = text.substr(start, end - start);
    int32_t id = 0;
    auto [ptr, ec] = std::from_chars(item.data(), item.data() + item.size(), id);
    if (item.empty() || ec != std::errc() || ptr != item.data() + item.size() || id < 0) {
      return make_error("--tokens: '{}' is not a token id (a list like 1,303,219 is expected)", item);
    }
    ids.push_back(id);
    start = end + 1;
  }
  return ids;
}

// The top five of one position, for reading in a terminal.
void print_row(size_t position, int32_t token, std::span<const float> logits) {
  std::vector<int32_t> order(logits.size());
  std::iota(order.begin(), order.end(), 0);
  const size_t k = std::min<size_t>(5, order.size());
  std::partial_sort(order.begin(), order.begin() + static_cast<std::ptrdiff_t>(k), order.end(),
                    [&](int32_t a, int32_t b) { return logits[a] > logits[b]; });
  std::printf("pos %4zu  token %6d  top:", position, token);
  for (size_t i = 0; i < k; ++i) std::printf("  %d (%.6f)", order[i], logits[order[i]]);
  std::printf("\n");
}

}  // namespace

int run_eval(const std::vector<std::string>& raw) {
  auto args = Args::parse(raw, {"--tokens", "--threads"}, {"--json", "--last"});
  if (!args.ok() || args->positional().size() != 1 || !args->value("--tokens")) {
    std::fprintf(stderr, "%s%s\n", kUsage, args.ok() ? "" : args.error().message.c_str());
    return 2;
  }
  auto tokens = parse_tokens(*args->value("--tokens"));
  auto threads = args->number("--threads", 0);
  if (!tokens.ok() || !threads.ok()) {
    std::fprintf(stderr, "lathe-cli eval: %s\n",
                 (!tokens.ok() ? tokens.error() : threads.error()).message.c_str());
    return 2;
  }
  const std::filesystem::path path = args->positional()[0];
  auto model = load_model(path, LoadOptions{static_cast<int>(std::min<uint64_t>(*threads, 256))});
  if (!model.ok()) {
    std::fprintf(stderr, "lathe-cli eval: %s\n", model.error().message.c_str());
    return 1;
  }
  auto cache = (*model)->create_cache(tokens->size());
  if (!cache.ok()) {
    std::fprintf(stderr, "lathe-cli eval: %s\n", cache.error().message.c_str());
    return 1;
  }
  std::vector<int32_t> positions(tokens->size());
  std::iota(positions.begin(), positions.end(), 0);
  ForwardOptions options;
  options.all_logits = !args->flag("--last");
  auto logits = (*model)->forward({*tokens, positions}, *cache, options);
  if (!logits.ok()) {
    std::fprintf(stderr, "lathe-cli eval: %s\n", logits.error().message.c_str());
    return 1;
  }

  const size_t first = tokens->size() - logits->rows;  // position of the first logits row
  if (args->flag("--json")) {
    nlohmann::json rows = nlohmann::json::array();
    for (size_t i = 0; i < logits->rows; ++i) {
      std::span<const float> r = logits->row(i);
      rows.push_back(std::vector<float>(r.begin(), r.end()));
    }
    nlohmann::json out = {{"model", path.filename().string()},
                          {"n_vocab", logits->vocab},
                          {"tokens", *tokens},
                          {"logits", std::move(rows)}};
    if (first > 0) out["logits_positions"] = {first};
    std::printf("%s\n", out.dump().c_str());
  } else {
    for (size_t i = 0; i < logits->rows; ++i) print_row(first + i, (*tokens)[first + i], logits->row(i));
  }
  return 0;
}

}  // namespace lathe::cli
