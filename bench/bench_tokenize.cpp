// Tokenizer throughput: encode and decode about 1 MB of mixed text (the llama.cpp vector inputs:
// English, code-ish punctuation, numbers, CJK, Cyrillic, Khmer, emoji, runs of spaces and newlines,
// repeated) with Llama 3's byte-level BPE and Llama 2's SentencePiece vocabularies.
// Each benchmark first checks that decode(encode(text)) == text and skips with an error if not.
//
//   bench_tokenize [--benchmark_format=json]      (LATHE_TEST_DATA=<shared folder> to override)
#include <benchmark/benchmark.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <optional>
#include <sstream>

#include "gguf/reader.h"
#include "tokenizer/tokenizer.h"

namespace lathe {
namespace {

std::filesystem::path data_dir() {
  if (const char* env = std::getenv("LATHE_TEST_DATA")) return env;
  return std::filesystem::path(__FILE__).parent_path() / ".." / ".." / "shared";
}

std::string read_file(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

// The .inp cases joined by newlines, repeated to at least 1 MiB.
const std::string& corpus() {
  static const std::string text = [] {
    std::string inp = read_file(data_dir() / "vocab" / "ggml-vocab-llama-bpe.gguf.inp");
    const std::string separator = "\n__ggml_vocab_test__\n";
    std::string joined;
    for (size_t pos = 0; pos < inp.size();) {
      size_t end = inp.find(separator, pos);
      if (end == std::string::npos) end = inp.size();
      joined += inp.substr(pos, end - pos) + "\n";
      pos = end + separator.size();
    }
    std::string out;
    if (joined.empty()) return out;
    while (out.size() < (1u << 20)) out += joined;
    return out;
  }();
  return text;
}

struct Loaded {
  std::optional<Tokenizer> tokenizer;
  std::string error;
};

const Loaded& load(const std::string& vocab) {
  static std::map<std::string, Loaded> cache;
  auto [it, inserted] = cache.try_emplace(vocab);
  if (inserted) {
    auto file = GgufFile::open(data_dir() / "vocab" / ("ggml-vocab-" + vocab + ".gguf"));
    if (!file.ok()) {
      it->second.error = file.error().message;
    } else if (auto tok = Tokenizer::load(*file); !tok.ok()) {
      it->second.error = tok.error().message;
    } else {
      it->second.tokenizer = std::move(tok).value();
    }
  }
  return it->second;
}

// Loads the vocab and checks the round trip; returns nullptr after SkipWithError on failure.
const Tokenizer* checked(benchmark::State& state, const std::string& vocab, std::vector<int32_t>* ids) {
  const Loaded& loaded = load(vocab);
  if (!loaded.tokenizer) {
    state.SkipWithError(("cannot load " + vocab + ": " + loaded.error).c_str());
    return nullptr;
  }
  if (corpus().empty()) {
    state.SkipWithError("no input text (set LATHE_TEST_DATA to the shared folder)");
    return nullptr;
  }
  *ids = loaded.tokenizer->encode(corpus(), false, false);
  if (loaded.tokenizer->decode(*ids) != corpus()) {
    state.SkipWithError(("decode(encode(text)) != text for " + vocab).c_str());
    return nullptr;
  }
  return &*loaded.tokenizer;
}

void BM_Encode(benchmark::State& state, const std::string& vocab) {
  std::vector<int32_t> ids;
  const Tokenizer* tok = checked(state, vocab, &ids);
  if (!tok) return;
  for (auto _ : state) {
    std::vector<int32_t> out = tok->encode(corpus(), false, false);
    benchmark::DoNotOptimize(out.data());
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations()) * static_cast<int64_t>(corpus().size()));
  state.counters["bytes"] = static_cast<double>(corpus().size());
  state.counters["tokens"] = static_cast<double>(ids.size());
  state.counters["tokens_per_s"] =
      benchmark::Counter(static_cast<double>(ids.size()), benchmark::Counter::kIsIterationInvariantRate);
}

void BM_Decode(benchmark::State& state, const std::string& vocab) {
  std::vector<int32_t> ids;
  const Tokenizer* tok = checked(state, vocab, &ids);
  if (!tok) return;
  for (auto _ : state) {
    std::string text = tok->decode(ids);
    benchmark::DoNotOptimize(text.data());
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations()) * static_cast<int64_t>(corpus().size()));
  state.counters["tokens"] = static_cast<double>(ids.size());
}

BENCHMARK_CAPTURE(BM_Encode, llama_bpe, std::string("llama-bpe"))->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(BM_Encode, llama_spm, std::string("llama-spm"))->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(BM_Encode, qwen2, std::string("qwen2"))->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(BM_Decode, llama_bpe, std::string("llama-bpe"))->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(BM_Decode, llama_spm, std::string("llama-spm"))->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace lathe

BENCHMARK_MAIN();
