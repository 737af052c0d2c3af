#include "commands.h"

#include <array>

namespace lathe::cli {

std::span<const Command> commands() {
  static const std::array table = {
      Command{"info", "describe a GGUF model: architecture, sizes, weight types, memory", run_info},
      Command{"synth", "write a random-weight model of a real model's shape", run_synth},
  };
  return table;
}

}  // namespace lathe::cli
