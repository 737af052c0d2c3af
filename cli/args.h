#pragma once
// A small command-line parser shared by the subcommands: positionals, --flag, --key VALUE, --key=VALUE.

#include <optional>
#include <set>
#include <string>
#include <vector>

#include "core/result.h"

namespace lathe::cli {

class Args {
 public:
  // `valued` lists the options that take a value, `flags` those that do not; anything else is an error.
  static Result<Args> parse(const std::vector<std::string>& args, const std::set<std::string>& valued,
                            const std::set<std::string>& flags);

  const std::vector<std::string>& positional() const { return positional_; }
  bool flag(const std::string& name) const { return flags_.count(name) > 0; }
  std::optional<std::string> value(const std::string& name) const;
  // A non-negative integer option, or `fallback` when absent; an error names the option.
  Result<uint64_t> number(const std::string& name, uint64_t fallback) const;

 private:
  std::vector<std::string> positional_;
  std::set<std::string> flags_;
  std::vector<std::pair<std::string, std::string>> values_;
};

}  // namespace lathe::cli
