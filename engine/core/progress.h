#pragma once
// Progress is an event stream. The GUI draws it, the CLI prints it, tests assert on it.

#include <cstdint>
#include <functional>

namespace lathe {

enum class Phase { load, prefill, decode, forward, backward, optimizer, export_ };

struct ProgressEvent {
  Phase phase = Phase::load;
  int layer = 0;         // 0-based layer being worked on
  int layer_count = 0;   // layers in the model (0 when the phase has no layers)
  int64_t step = 0;      // training step, or bytes done while loading
  int64_t step_count = 0;
  int64_t tokens = 0;
  double loss = 0.0;
  double tokens_per_second = 0.0;
};

// Returns false to ask the work to stop.
using ProgressCallback = std::function<bool(const ProgressEvent&)>;

}  // namespace lathe
