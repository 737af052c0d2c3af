#pragma once
// A loaded language model and its forward pass: the interface the runtime (generation, chat), the
// trainer and the CLI use, whichever backend computes it.
//
//   auto model = load_model("model.gguf");                 // Result<std::unique_ptr<Model>>
//   auto cache = (*model)->create_cache(2048);              // Result<KvCache>
//   auto logits = (*model)->forward({tokens, positions}, *cache, options);
//
// A forward pass takes a batch of consecutive positions of one sequence: prefill passes many
// tokens at once, decode passes one. It writes the batch's keys and values into the cache and
// returns the logits at every position (or only the last). Between layers it emits a
// ProgressEvent and checks the CancelToken; a cancel returns the Error "cancelled" (see
// is_cancelled) within one layer. A pass that fails leaves the cache holding the positions before
// the batch's first (so a cancelled prefill can simply be retried).

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "core/cancel.h"
#include "core/progress.h"
#include "core/result.h"
#include "model/hparams.h"
#include "runtime/kv_cache.h"

namespace lathe {

class GgufFile;
namespace cpu {
class ThreadPool;
}

struct Batch {
  std::span<const int32_t> tokens;     // token ids, each < n_vocab
  std::span<const int32_t> positions;  // one per token, consecutive: p0, p0+1, ... with p0 <= cache.length()
};

// What the residual stream held after each layer (llama.cpp's `l_out`) and after the final norm
// (`result_norm`), for checking a forward pass layer by layer against a reference.
struct ForwardTrace {
  std::vector<std::vector<float>> layer_out;  // [n_layer][tokens * d_model]
  std::vector<float> result_norm;             // [logit rows, d_model]
};

struct ForwardOptions {
  bool all_logits = true;               // false: only the last position's logits
  Phase phase = Phase::prefill;         // what progress events say (prefill, decode, forward)
  const CancelToken* cancel = nullptr;  // checked before every layer and before the output head
  ProgressCallback progress;            // one event per layer; returning false cancels
  ForwardTrace* trace = nullptr;        // filled when set
};

struct Logits {
  size_t rows = 0;  // positions with logits: all of the batch, or 1
  size_t vocab = 0;
  std::vector<float> values;  // [rows, vocab]

  std::span<const float> row(size_t i) const { return {values.data() + i * vocab, vocab}; }
  std::span<const float> last() const { return row(rows - 1); }
};

// The Error a cancelled forward pass returns.
Error cancelled_error();
bool is_cancelled(const Error& error);

// Passed to an architecture's forward: the batch, the pool, and the per-layer bookkeeping
// (progress, cancel, trace) so that every architecture does it the same way.
class ForwardPass {
 public:
  ForwardPass(const Batch& batch, const ForwardOptions& options, size_t n_layer, size_t d_model,
              cpu::ThreadPool* pool);

  size_t size() const { return batch_.tokens.size(); }
  std::span<const int32_t> tokens() const { return batch_.tokens; }
  const int32_t* positions() const { return batch_.positions.data(); }
  bool all_logits() const { return options_.all_logits; }
  cpu::ThreadPool* pool() const { return pool_; }

  // Call before layer `layer`: emits its progress event, then fails with cancelled_error() when a
  // cancel was asked for (by the token or by the callback returning false).
  Result<void> begin_layer(size_t layer);
  // Call before the output head (a cancel after the last layer).
  Result<void> begin_output();
  // Residual stream after a layer, x: [size(), d_model].
  void record_layer(size_t layer, const float* x);
  // After the final norm, x: [rows, d_model].
  void record_result_norm(const float* x, size_t rows);

 private:
  Result<void> check_cancel();

  const Batch& batch_;
  const ForwardOptions& options_;
  size_t n_layer_;
  size_t d_model_;
  cpu::ThreadPool* pool_;
  bool stop_ = false;
};

class Model {
 public:
  virtual ~Model();
  Model(const Model&) = delete;
  Model& operator=(const Model&) = delete;

  const ModelHParams& hparams() const { return hparams_; }
  const GgufFile& file() const { return *file_; }

  // The cache layout: one shape per layer that keeps keys and values (by default every layer).
  virtual std::vector<KvLayerShape> kv_layout() const;
  // A cache for `context` positions; 0 means the model's training context.
  Result<KvCache> create_cache(size_t context = 0) const;

  // Runs the batch; see the top of this file. Checks the batch and the cache against the model
  // first (token ids, consecutive positions within the context, the cache's layout).
  Result<Logits> forward(const Batch& batch, KvCache& cache, const ForwardOptions& options = {});

 protected:
  Model(std::shared_ptr<const GgufFile> file, ModelHParams hparams, int threads);
  cpu::ThreadPool* pool() { return pool_.get(); }

  // The architecture's forward pass. The batch is valid; logits come sized (rows x vocab).
  virtual Result<void> run(ForwardPass& pass, KvCache& cache, Logits& logits) = 0;

 private:
  std::shared_ptr<const GgufFile> file_;  // the weights' mapping lives as long as the model
  ModelHParams hparams_;
  std::unique_ptr<cpu::ThreadPool> pool_;
};

struct LoadOptions {
  int threads = 0;  // CPU threads for the forward pass; 0 = one per hardware thread
};

// Opens a GGUF file and builds the model its `general.architecture` names. An architecture without
// a forward pass is refused with a message listing the supported ones.
Result<std::unique_ptr<Model>> load_model(const std::filesystem::path& path, const LoadOptions& options = {});
// As load_model, for a file already open.
Result<std::unique_ptr<Model>> load_model(std::shared_ptr<const GgufFile> file,
                                          const LoadOptions& options = {});

// Architectures with a forward pass, in the order error messages list them.
std::vector<std::string> supported_architectures();

}  // namespace lathe
