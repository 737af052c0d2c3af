#include "commands.h"

#include <array>

namespace lathe::cli {

std::span<const Command> commands() {
  static const std::array table = {
      Command{"eval", "print the logits a model gives a token sequence (CPU reference backend)", run_eval},
      Command{"info", "describe a GGUF model: architecture, sizes, weight types, memory", run_info},
      Command{"synth", "write a random-weight model of a real model's shape", run_synth},
      Command{"tokenize", "text on stdin to token ids and pieces (or --decode ids to text)", run_tokenize},
      Command{"template", "render a chat template (from a GGUF or .jinja) for a conversation", run_template},
  };
  return table;
}

}  // namespace lathe::cli
