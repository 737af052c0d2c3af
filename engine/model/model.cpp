#include "model/model.h"

#include <algorithm>
#include <array>

#include "cpu/thread_pool.h"
#include "gguf/reader.h"
#include "model/architectures.h"

namespace lathe {
namespace {

struct ArchitectureEntry {
  const char* name;
  ArchitectureLoader load;
};

constexpr std::array kArchitectures = {
    ArchitectureEntry{"llama", load_llama},
    ArchitectureEntry{"qwen2", load_qwen2},
};

constexpr const char* kCancelled = "cancelled";

}  // namespace

Error cancelled_error() { return Error{kCancelled}; }
bool is_cancelled(const Error& error) { return error.message == kCancelled; }

// ---- ForwardPass ----

ForwardPass::ForwardPass(const Batch& batch, const ForwardOptions& options, size_t n_layer, size_t d_model,
                         cpu::ThreadPool* pool)
    : batch_(batch), options_(options), n_layer_(n_layer), d_model_(d_model), pool_(pool) {
  if (options_.trace != nullptr) {
    options_.trace->layer_out.assign(n_layer_, {});
    options_.trace->result_norm.clear();
  }
}

Result<void> ForwardPass::check_cancel() {
  if (stop_ || (options_.cancel != nullptr && options_.cancel->cancelled())) return cancelled_error();
  return {};
}

Result<void> ForwardPass::begin_layer(size_t layer) {
  LATHE_CHECK(check_cancel());
  if (options_.progress) {
    ProgressEvent event;
    event.phase = options_.phase;
    event.layer = static_cast<int>(layer);
    event.layer_count = static_cast<int>(n_layer_);
    event.tokens = static_cast<int64_t>(size());
    if (!options_.progress(event)) stop_ = true;
  }
  return check_cancel();
}

Result<void> ForwardPass::begin_output() { return check_cancel(); }

void ForwardPass::record_layer(size_t layer, const float* x) {
  if (options_.trace == nullptr) return;
  options_.trace->layer_out[layer].assign(x, x + size() * d_model_);
}

void ForwardPass::record_result_norm(const float* x, size_t rows) {
  if (options_.trace == nullptr) return;
  options_.trace->result_norm.assign(x, x + rows * d_model_);
}

// ---- Model ----

Model::Model(std::shared_ptr<const GgufFile> file, ModelHParams hparams, int threads)
    : file_(std::move(file)),
      hparams_(std::move(hparams)),
      pool_(std::make_unique<cpu::ThreadPool>(threads)) {}

Model::~Model() = default;

std::vector<KvLayerShape> Model::kv_layout() const {
  std::vector<KvLayerShape> layout;
  for (size_t l = 0; l < hparams_.n_layer; ++l) {
    layout.push_back({hparams_.n_head_kv[l], hparams_.head_dim_k, hparams_.head_dim_v});
  }
  return layout;
}

Result<KvCache> Model::create_cache(size_t context) const {
  return KvCache::create(kv_layout(), context == 0 ? hparams_.n_ctx_train : context);
}

Result<Logits> Model::forward(const Batch& batch, KvCache& cache, const ForwardOptions& options) {
  const size_t n = batch.tokens.size();
  if (n == 0) return make_error("[forward] the batch is empty");
  if (batch.positions.size() != n) {
    return make_error("[forward] the batch has {} tokens but {} positions", n, batch.positions.size());
  }
  for (size_t i = 0; i < n; ++i) {
    const int32_t t = batch.tokens[i];
    if (t < 0 || static_cast<size_t>(t) >= hparams_.n_vocab) {
      return make_error("[forward] token {} (at batch index {}) is outside the vocabulary of {} tokens", t, i,
                        hparams_.n_vocab);
    }
  }
  const int32_t p0 = batch.positions[0];
  if (p0 < 0 || static_cast<size_t>(p0) > cache.length()) {
    return make_error("[forward] the batch starts at position {}, but the cache holds positions 0..{} only",
                      p0, static_cast<int64_t>(cache.length()) - 1);
  }
  for (size_t i = 1; i < n; ++i) {
    if (batch.positions[i] != p0 + static_cast<int32_t>(i)) {
      return make_error("[forward] positions must be consecutive: index {} has position {}, expected {}", i,
                        batch.positions[i], p0 + static_cast<int64_t>(i));
    }
  }
  if (static_cast<size_t>(p0) + n > cache.context()) {
    return make_error("[forward] positions {}..{} do not fit the context of {} tokens", p0,
                      static_cast<size_t>(p0) + n - 1, cache.context());
  }
  if (cache.shapes() != kv_layout()) {
    return make_error("[forward] the KV cache was made for another model's layout");
  }

  Logits logits;
  logits.rows = options.all_logits ? n : 1;
  logits.vocab = hparams_.n_vocab;
  logits.values.resize(logits.rows * logits.vocab);
  ForwardPass pass(batch, options, hparams_.n_layer, hparams_.d_model, pool_.get());
  // Positions from p0 on are rewritten, so they are forgotten whether or not the pass completes.
  cache.set_length(std::min(cache.length(), static_cast<size_t>(p0)));
  LATHE_CHECK(run(pass, cache, logits));
  cache.set_length(static_cast<size_t>(p0) + n);
  return logits;
}

// ---- Loading ----

std::vector<std::string> supported_architectures() {
  std::vector<std::string> names;
  for (const ArchitectureEntry& a : kArchitectures) names.emplace_back(a.name);
  return names;
}

Result<std::unique_ptr<Model>> load_model(std::shared_ptr<const GgufFile> file, const LoadOptions& options) {
  const std::string arch = file->architecture();
  const ArchitectureEntry* entry = nullptr;
  for (const ArchitectureEntry& a : kArchitectures) {
    if (arch == a.name) entry = &a;
  }
  if (entry == nullptr) {
    std::string list;
    for (const ArchitectureEntry& a : kArchitectures)
      list += (list.empty() ? "" : ", ") + std::string(a.name);
    return make_error("{}: architecture '{}' is not supported (supported: {})", file->name(),
                      arch.empty() ? "(none)" : arch, list);
  }
  LATHE_TRY(ModelHParams hparams, read_hparams(*file));
  return entry->load(std::move(file), std::move(hparams), options);
}

Result<std::unique_ptr<Model>> load_model(const std::filesystem::path& path, const LoadOptions& options) {
  LATHE_TRY(GgufFile file, GgufFile::open(path));
  return load_model(std::make_shared<const GgufFile>(std::move(file)), options);
}

}  // namespace lathe
