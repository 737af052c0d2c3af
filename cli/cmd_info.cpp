// lathe-cli info MODEL.gguf [--ctx N] [--json]
#include <cstdio>

#include <nlohmann/json.hpp>

#include "args.h"
#include "commands.h"
#include "gguf/reader.h"
#include "model/summary.h"

namespace lathe::cli {
namespace {

std::string human_bytes(uint64_t bytes) {
  const char* units[] = {"B", "KiB", "MiB", "GiB", "TiB"};
  double v = static_cast<double>(bytes);
  int u = 0;
  while (v >= 1024 && u < 4) {
    v /= 1024;
    ++u;
  }
  return u == 0 ? fmt::format("{} B", bytes) : fmt::format("{:.2f} {}", v, units[u]);
}

std::string human_count(uint64_t n) {
  if (n >= 1'000'000'000) return fmt::format("{:.2f} B", n / 1e9);
  if (n >= 1'000'000) return fmt::format("{:.2f} M", n / 1e6);
  if (n >= 1'000) return fmt::format("{:.1f} K", n / 1e3);
  return fmt::format("{}", n);
}

std::string tokenizer_kind(const std::string& model) {
  if (model == "llama") return "SentencePiece (llama)";
  if (model == "gpt2") return "byte-level BPE (gpt2)";
  if (model.empty()) return "none";
  return model;
}

nlohmann::json to_json(const ModelSummary& s) {
  nlohmann::json types = nlohmann::json::array();
  for (const TypeShare& t : s.types) {
    types.push_back({{"type", dtype_info(t.type).name}, {"tensors", t.tensors}, {"elements", t.elements},
                     {"bytes", t.bytes}});
  }
  return {
      {"path", s.path},
      {"name", s.name},
      {"architecture", s.architecture},
      {"file_type", s.file_type},
      {"gguf_version", s.gguf_version},
      {"file_size", s.file_size},
      {"tensor_count", s.tensor_count},
      {"parameters", s.parameters},
      {"weight_types", types},
      {"context_length", s.context_length},
      {"layers", s.layers},
      {"d_model", s.d_model},
      {"ffn_length", s.ffn_length},
      {"heads", s.heads},
      {"kv_heads", s.kv_heads},
      {"head_dim", s.head_dim},
      {"vocab_size", s.vocab_size},
      {"tokenizer", s.tokenizer},
      {"chat_template", s.has_chat_template},
      {"memory",
       {{"weights", s.weight_bytes},
        {"kv_cache", s.kv_cache_bytes},
        {"kv_context", s.kv_context},
        {"kv_type", "f16"},
        {"total", s.load_bytes()}}},
  };
}

void print_text(const ModelSummary& s) {
  std::printf("file          %s (GGUF v%u, %s)\n", s.path.c_str(), s.gguf_version, human_bytes(s.file_size).c_str());
  if (!s.name.empty()) std::printf("name          %s\n", s.name.c_str());
  std::printf("architecture  %s\n", s.architecture.empty() ? "(none: not a model)" : s.architecture.c_str());
  std::printf("parameters    %s (%llu tensors)\n", human_count(s.parameters).c_str(),
              static_cast<unsigned long long>(s.tensor_count));
  if (!s.file_type.empty()) std::printf("file type     %s\n", s.file_type.c_str());
  std::printf("weight types ");
  for (const TypeShare& t : s.types) {
    std::printf(" %s×%llu (%.1f%%)", std::string(dtype_info(t.type).name).c_str(),
                static_cast<unsigned long long>(t.tensors),
                s.weight_bytes ? 100.0 * static_cast<double>(t.bytes) / static_cast<double>(s.weight_bytes) : 0.0);
  }
  std::printf("\n");
  if (!s.architecture.empty()) {
    std::printf("context       %llu\n", static_cast<unsigned long long>(s.context_length));
    std::printf("layers        %llu, d_model %llu, ffn %llu\n", static_cast<unsigned long long>(s.layers),
                static_cast<unsigned long long>(s.d_model), static_cast<unsigned long long>(s.ffn_length));
    std::printf("heads         %llu query, %llu key/value, head dim %llu\n", static_cast<unsigned long long>(s.heads),
                static_cast<unsigned long long>(s.kv_heads), static_cast<unsigned long long>(s.head_dim));
  }
  std::printf("vocab         %llu tokens, %s\n", static_cast<unsigned long long>(s.vocab_size),
              tokenizer_kind(s.tokenizer).c_str());
  std::printf("chat template %s\n", s.has_chat_template ? "yes" : "no");
  std::printf("memory        %s weights + %s KV cache (f16, %llu tokens) = %s\n", human_bytes(s.weight_bytes).c_str(),
              human_bytes(s.kv_cache_bytes).c_str(), static_cast<unsigned long long>(s.kv_context),
              human_bytes(s.load_bytes()).c_str());
}

}  // namespace

int run_info(const std::vector<std::string>& raw) {
  auto args = Args::parse(raw, {"--ctx"}, {"--json"});
  if (!args.ok() || args->positional().size() != 1) {
    std::fprintf(stderr, "usage: lathe-cli info MODEL.gguf [--ctx N] [--json]\n%s\n",
                 args.ok() ? "" : args.error().message.c_str());
    return 2;
  }
  auto ctx = args->number("--ctx", 0);
  if (!ctx.ok()) {
    std::fprintf(stderr, "lathe-cli info: %s\n", ctx.error().message.c_str());
    return 2;
  }
  auto file = GgufFile::open(args->positional()[0]);
  if (!file.ok()) {
    std::fprintf(stderr, "lathe-cli info: %s\n", file.error().message.c_str());
    return 1;
  }
  auto summary = summarize(*file, *ctx);
  if (!summary.ok()) {
    std::fprintf(stderr, "lathe-cli info: %s\n", summary.error().message.c_str());
    return 1;
  }
  if (args->flag("--json")) {
    std::printf("%s\n", to_json(*summary).dump(2).c_str());
  } else {
    print_text(*summary);
  }
  return 0;
}

}  // namespace lathe::cli
