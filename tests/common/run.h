#pragma once
// Runs a command line through /bin/sh and captures its output, for tests of the real binaries.

#include <string>

namespace lathe::test {

struct CommandResult {
  int exit_code = -1;   // the process's exit status, or -1 when it did not exit normally
  std::string out;      // standard output
  std::string err;      // standard error
};

// `stdin_text` is fed to the command's standard input.
CommandResult run_command(const std::string& command_line, const std::string& stdin_text = "");

// Quotes a string for /bin/sh.
std::string shell_quote(const std::string& s);

}  // namespace lathe::test
