#pragma once
// The table of lathe-cli subcommands. A new command adds one line to commands() in commands.cpp.

#include <span>
#include <string>
#include <vector>

namespace lathe::cli {

struct Command {
  const char* name;
  const char* summary;
  int (*run)(const std::vector<std::string>& args);  // returns the exit code
};

std::span<const Command> commands();

int run_eval(const std::vector<std::string>& args);
int run_info(const std::vector<std::string>& args);
int run_synth(const std::vector<std::string>& args);
int run_tokenize(const std::vector<std::string>& args);
int run_template(const std::vector<std::string>& args);

}  // namespace lathe::cli
