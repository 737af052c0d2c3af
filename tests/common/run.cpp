#include "common/run.h"

#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>

#include "common/test_data.h"

namespace lathe::test {

std::string shell_quote(const std::string& s) {
  std::string out = "'";
  for (char c : s) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return out + "'";
}

CommandResult run_command(const std::string& command_line, const std::string& stdin_text) {
  const std::filesystem::path dir = std::filesystem::temp_directory_path() /
                                    ("lathe-run-" + std::to_string(getpid()));
  std::filesystem::create_directories(dir);
  const std::string in = (dir / "stdin").string(), out = (dir / "stdout").string(), err = (dir / "stderr").string();
  if (std::FILE* f = std::fopen(in.c_str(), "wb")) {
    std::fwrite(stdin_text.data(), 1, stdin_text.size(), f);
    std::fclose(f);
  }
  const std::string full = "(" + command_line + ") <" + shell_quote(in) + " >" + shell_quote(out) + " 2>" +
                           shell_quote(err);
  CommandResult result;
  int status = std::system(full.c_str());
  result.exit_code = (status != -1 && WIFEXITED(status)) ? WEXITSTATUS(status) : -1;
  result.out = read_file(out);
  result.err = read_file(err);
  std::filesystem::remove_all(dir);
  return result;
}

}  // namespace lathe::test
