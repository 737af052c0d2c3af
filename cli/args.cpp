#include "args.h"

#include <charconv>

namespace lathe::cli {

Result<Args> Args::parse(const std::vector<std::string>& args, const std::set<std::string>& valued,
                         const std::set<std::string>& flags) {
  Args out;
  for (size_t i = 0; i < args.size(); ++i) {
    const std::string& a = args[i];
    if (a.size() < 2 || a.rfind("-", 0) != 0 || a == "--") {
      out.positional_.push_back(a);
      continue;
    }
    std::string name = a, value;
    bool has_value = false;
    if (size_t eq = a.find('='); eq != std::string::npos) {
      name = a.substr(0, eq);
      value = a.substr(eq + 1);
      has_value = true;
    }
    if (flags.count(name)) {
      if (has_value) return make_error("option {} takes no value", name);
      out.flags_.insert(name);
    } else if (valued.count(name)) {
      if (!has_value) {
        if (i + 1 >= args.size()) return make_error("option {} needs a value", name);
        value = args[++i];
      }
      out.values_.emplace_back(name, value);
    } else {
      return make_error("unknown option {}", name);
    }
  }
  return out;
}

std::optional<std::string> Args::value(const std::string& name) const {
  for (auto it = values_.rbegin(); it != values_.rend(); ++it) {
    if (it->first == name) return it->second;
  }
  return std::nullopt;
}

Result<uint64_t> Args::number(const std::string& name, uint64_t fallback) const {
  std::optional<std::string> text = value(name);
  if (!text) return fallback;
  uint64_t v = 0;
  auto [end, ec] = std::from_chars(text->data(), text->data() + text->size(), v);
  if (ec != std::errc() || end != text->data() + text->size()) {
    return make_error("option {} needs a whole number, not '{}'", name, *text);
  }
  return v;
}

}  // namespace lathe::cli
