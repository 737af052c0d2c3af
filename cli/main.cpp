// lathe-cli: the engine from the command line. Each subcommand lives in cmd_<name>.cpp.
#include <cstdio>
#include <cstring>
#include <string>
#include <vector>

#include "commands.h"

namespace {

void print_usage() {
  std::fprintf(stderr,
               "usage: lathe-cli <command> [args]\n\n"
               "commands:\n");
  for (const lathe::cli::Command& c : lathe::cli::commands()) {
    std::fprintf(stderr, "  %-10s %s\n", c.name, c.summary);
  }
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2 || std::strcmp(argv[1], "--help") == 0 || std::strcmp(argv[1], "-h") == 0) {
    print_usage();
    return argc < 2 ? 2 : 0;
  }
  std::vector<std::string> args(argv + 2, argv + argc);
  for (const lathe::cli::Command& c : lathe::cli::commands()) {
    if (std::strcmp(c.name, argv[1]) == 0) return c.run(args);
  }
  std::fprintf(stderr, "lathe-cli: unknown command '%s'\n", argv[1]);
  print_usage();
  return 2;
}
