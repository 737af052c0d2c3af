// Globals (range, dict, namespace, joiner, cycler, and transformers' raise_exception and
// strftime_now) and the Python methods of str, list, tuple and dict values.
#include <algorithm>
#include <cstdio>
#include <unordered_map>

#include "tokenizer/jinja_eval.h"
#include "tokenizer/jinja_filters.h"
#include "tokenizer/jinja_text.h"

namespace lathe::jinja {

namespace {

// Jinja2's sandbox refuses ranges longer than this (jinja2.sandbox.MAX_RANGE).
constexpr int64_t kMaxRange = 100000;

int64_t int_arg(const Value& v) {
  if (!v.is_integral()) type_error("'" + v.type_name() + "' object cannot be interpreted as an integer");
  return v.as_int();
}

const std::string* str_or_none(const Value& v, const char* method) {
  if (v.is_none()) return nullptr;
  if (!v.is_string()) {
    if (std::string_view(method) == "sep") type_error("must be str or None, not " + v.type_name());
    type_error(std::string(method) + " arg must be None or str");
  }
  return &v.str();
}

// A str argument, with CPython's message when it is not: "must be str, not int", or with a
// position, "replace() argument 1 must be str, not int".
const std::string& str_arg(const Value& v, const char* method, int position = 0) {
  if (!v.is_string()) {
    type_error(
        (position ? std::string(method) + "() argument " + std::to_string(position) + " " : std::string()) +
        "must be str, not " + v.type_name());
  }
  return v.str();
}

// dict(...) / namespace(...): a mapping or (key, value) pairs, then keyword arguments.
Dict dict_from_args(Interpreter& interp, CallArgs& args, const char* name) {
  if (args.positional.size() > 1) {
    type_error(std::string(name) + " expected at most 1 argument, got " +
               std::to_string(args.positional.size()));
  }
  Dict out;
  if (!args.positional.empty()) {
    const Value& src = args.positional[0];
    if (src.is_dict()) {
      for (const auto& [k, v] : src.dict().entries()) out.set(k, v);
    } else {
      for (const Value& pair : interp.iterate(src)) {
        ValueList kv = interp.iterate(pair);
        if (kv.size() != 2) {
          raise("ValueError", "dictionary update sequence element has length " + std::to_string(kv.size()) +
                                  "; 2 is required");
        }
        out.set(kv[0], kv[1]);
      }
    }
  }
  for (auto& [k, v] : args.keyword) out.set(Value(k), v);
  interp.charge(out.size() * 2 * sizeof(Value));
  return out;
}

Value range_fn(Interpreter& interp, CallArgs& args) {
  if (!args.keyword.empty()) type_error("range() takes no keyword arguments");
  const auto& p = args.positional;
  if (p.empty() || p.size() > 3)
    type_error("range expected at most 3 arguments, got " + std::to_string(p.size()));
  int64_t start = 0, stop = 0, step = 1;
  if (p.size() == 1) {
    stop = int_arg(p[0]);
  } else {
    start = int_arg(p[0]);
    stop = int_arg(p[1]);
    if (p.size() == 3) step = int_arg(p[2]);
  }
  if (step == 0) raise("ValueError", "range() arg 3 must not be zero");
  // Length without overflow: ceil(|stop - start| / |step|) when the range is not empty.
  uint64_t length = 0;
  if (step > 0 && start < stop) {
    const uint64_t span = static_cast<uint64_t>(stop) - static_cast<uint64_t>(start);
    length = (span - 1) / static_cast<uint64_t>(step) + 1;
  } else if (step < 0 && start > stop) {
    const uint64_t span = static_cast<uint64_t>(start) - static_cast<uint64_t>(stop);
    length = (span - 1) / (0 - static_cast<uint64_t>(step)) + 1;
  }
  if (length > static_cast<uint64_t>(kMaxRange)) {
    raise("OverflowError", "Range too big. The sandbox blocks ranges larger than MAX_RANGE (" +
                               std::to_string(kMaxRange) + ").");
  }
  ValueList out;
  out.reserve(static_cast<size_t>(length));
  for (uint64_t i = 0; i < length; ++i) out.emplace_back(start + static_cast<int64_t>(i) * step);
  interp.charge(out.size() * sizeof(Value));
  std::string label = "range(" + std::to_string(start) + ", " + std::to_string(stop);
  label += step == 1 ? ")" : ", " + std::to_string(step) + ")";
  return Value::view("range", std::move(label), std::move(out));
}

// strftime with English names whatever the process locale (Python's C-locale output).
std::string format_date(const std::string& format, const DateTime& t) {
  static const char* const kDays[] = {"Monday", "Tuesday",  "Wednesday", "Thursday",
                                      "Friday", "Saturday", "Sunday"};
  static const char* const kMonths[] = {"January",   "February", "March",    "April",
                                        "May",       "June",     "July",     "August",
                                        "September", "October",  "November", "December"};
  // Days since 1970-01-01 (Howard Hinnant's days_from_civil), for the weekday.
  const int y = t.year - (t.month <= 2 ? 1 : 0);
  const int era = (y >= 0 ? y : y - 399) / 400;
  const int yoe = y - era * 400;
  const int mp = (t.month + 9) % 12;
  const int doy_march = (153 * mp + 2) / 5 + t.day - 1;
  const int doe = yoe * 365 + yoe / 4 - yoe / 100 + doy_march;
  const long days = static_cast<long>(era) * 146097 + doe - 719468;
  const int weekday = static_cast<int>(((days % 7) + 7 + 3) % 7);  // 1970-01-01 was a Thursday; 0 = Monday
  static const int kCumulative[] = {0, 31, 59, 90, 120, 151, 181, 212, 243, 273, 304, 334};
  const bool leap = (t.year % 4 == 0 && t.year % 100 != 0) || t.year % 400 == 0;
  const int month = std::clamp(t.month, 1, 12);
  const int yday = kCumulative[month - 1] + t.day + (leap && month > 2 ? 1 : 0);
  const int hour12 = t.hour % 12 == 0 ? 12 : t.hour % 12;

  std::string out;
  char buf[32];
  for (size_t i = 0; i < format.size(); ++i) {
    if (format[i] != '%' || i + 1 >= format.size()) {
      out += format[i];
      continue;
    }
    char c = format[++i];
    bool no_pad = false;
    if (c == '-' && i + 1 < format.size()) {
      no_pad = true;
      c = format[++i];
    }
    auto num = [&](int v, int digits) { out += no_pad ? std::to_string(v) : c_format("%0*d", digits, v); };
    switch (c) {
      case 'a':
        out += std::string(kDays[weekday]).substr(0, 3);
        break;
      case 'A':
        out += kDays[weekday];
        break;
      case 'b':
      case 'h':
        out += std::string(kMonths[month - 1]).substr(0, 3);
        break;
      case 'B':
        out += kMonths[month - 1];
        break;
      case 'd':
        num(t.day, 2);
        break;
      case 'e':
        std::snprintf(buf, sizeof buf, "%2d", t.day);
        out += buf;
        break;
      case 'm':
        num(t.month, 2);
        break;
      case 'Y':
        num(t.year, 4);
        break;
      case 'y':
        num(t.year % 100, 2);
        break;
      case 'H':
        num(t.hour, 2);
        break;
      case 'I':
        num(hour12, 2);
        break;
      case 'M':
        num(t.minute, 2);
        break;
      case 'S':
        num(t.second, 2);
        break;
      case 'p':
        out += t.hour < 12 ? "AM" : "PM";
        break;
      case 'j':
        num(yday, 3);
        break;
      case 'w':
        num((weekday + 1) % 7, 1);
        break;
      case 'u':
        num(weekday + 1, 1);
        break;
      case 'F':
        std::snprintf(buf, sizeof buf, "%04d-%02d-%02d", t.year, t.month, t.day);
        out += buf;
        break;
      case 'T':
        std::snprintf(buf, sizeof buf, "%02d:%02d:%02d", t.hour, t.minute, t.second);
        out += buf;
        break;
      case '%':
        out += '%';
        break;
      default:
        out += '%';
        if (no_pad) out += '-';
        out += c;
    }
  }
  return out;
}

class CyclerObject : public Object {
 public:
  explicit CyclerObject(ValueList items) : items_(std::move(items)) {}
  std::string type_name() const override { return "Cycler"; }
  std::string object_description() const override { return "jinja2.utils.Cycler object"; }
  std::string repr() const override { return "<Cycler>"; }
  std::optional<Value> get_attr(const std::string& name) const override {
    auto* self = const_cast<CyclerObject*>(this);
    if (name == "current") return items_[pos_];
    if (name == "next") {
      return make_function("next", [self](Interpreter&, CallArgs&) {
        Value v = self->items_[self->pos_];
        self->pos_ = (self->pos_ + 1) % self->items_.size();
        return v;
      });
    }
    if (name == "reset") {
      return make_function("reset", [self](Interpreter&, CallArgs&) {
        self->pos_ = 0;
        return Value::none();
      });
    }
    return std::nullopt;
  }

 private:
  ValueList items_;
  size_t pos_ = 0;
};

std::unordered_map<std::string, Value> make_globals() {
  std::unordered_map<std::string, Value> g;
  g["range"] = make_function("range", range_fn);
  g["dict"] = make_function("dict", [](Interpreter& interp, CallArgs& args) {
    return Value::dict(dict_from_args(interp, args, "dict"));
  });
  g["namespace"] = make_function("namespace", [](Interpreter& interp, CallArgs& args) {
    auto ns = std::make_shared<NamespaceObject>();
    ns->attrs = dict_from_args(interp, args, "namespace");
    interp.track(ns);
    return Value(std::shared_ptr<Object>(ns));
  });
  g["raise_exception"] = make_function("raise_exception", [](Interpreter&, CallArgs& args) -> Value {
    auto a = bind_args(args, "raise_exception", {{"message", std::nullopt}});
    raise("TemplateError", a[0].to_str());
  });
  g["strftime_now"] = make_function("strftime_now", [](Interpreter& interp, CallArgs& args) {
    auto a = bind_args(args, "strftime_now", {{"format", std::nullopt}});
    return interp.make_string(format_date(str_arg(a[0], "strftime", 1), interp.now()));
  });
  g["joiner"] = make_function("joiner", [](Interpreter&, CallArgs& args) {
    auto a = bind_args(args, "joiner", {{"sep", Value(", ")}});
    auto used = std::make_shared<bool>(false);
    Value sep = a[0];
    return make_function("joiner", [used, sep](Interpreter&, CallArgs&) {
      if (!*used) {
        *used = true;
        return Value("");
      }
      return sep;
    });
  });
  g["cycler"] = make_function("cycler", [](Interpreter&, CallArgs& args) {
    if (args.positional.empty()) type_error("at least one item has to be provided");
    return Value(std::shared_ptr<Object>(std::make_shared<CyclerObject>(args.positional)));
  });
  return g;
}

// ---- Methods

using Method = Value (*)(Interpreter& interp, const Value& self, CallArgs& args);

// Code-point index of a byte offset in s (Python's str indices).
int64_t cp_index(const std::string& s, size_t byte_offset) {
  return static_cast<int64_t>(utf8_length(std::string_view(s).substr(0, byte_offset)));
}

Value str_find(const Value& self, CallArgs& args, bool reverse, bool raise_missing, const char* name) {
  auto a = bind_args(args, name, {{"sub", std::nullopt}, {"start", Value::none()}, {"end", Value::none()}});
  const std::string& s = self.str();
  const std::string& sub = str_arg(a[0], name);
  // start/end are code point positions; map them onto bytes.
  const std::u32string cps = decode_utf8(s);
  const auto n = static_cast<int64_t>(cps.size());
  auto clamp = [&](const Value& v, int64_t fallback) {
    if (v.is_none()) return fallback;
    int64_t i = int_arg(v);
    if (i < 0) i += n;
    return std::clamp<int64_t>(i, 0, n);
  };
  const int64_t start = clamp(a[1], 0);
  const int64_t end = clamp(a[2], n);
  int64_t found = -1;
  if (start <= end) {
    const std::string window = encode_utf8(
        std::u32string_view(cps).substr(static_cast<size_t>(start), static_cast<size_t>(end - start)));
    const size_t hit = reverse ? window.rfind(sub) : window.find(sub);
    if (hit != std::string::npos) found = start + cp_index(window, hit);
  }
  if (found < 0 && raise_missing) raise("ValueError", "substring not found");
  return Value(found);
}

Value str_method(Interpreter& interp, const Value& self, const std::string& name, CallArgs& args) {
  const std::string& s = self.str();
  auto no_args = [&](const char* n) { bind_args(args, n, {}); };
  if (name == "strip" || name == "lstrip" || name == "rstrip") {
    auto a = bind_args(args, name, {{"chars", Value::none()}});
    return interp.make_string(strip(s, str_or_none(a[0], name.c_str()), name != "rstrip", name != "lstrip"));
  }
  if (name == "lower" || name == "casefold") return no_args(name.c_str()), interp.make_string(to_lower(s));
  if (name == "upper") return no_args("upper"), interp.make_string(to_upper(s));
  if (name == "title") return no_args("title"), interp.make_string(py_title(s));
  if (name == "capitalize") return no_args("capitalize"), interp.make_string(capitalize(s));
  if (name == "swapcase") {
    no_args("swapcase");
    std::string out;
    for (char32_t c : decode_utf8(s)) {
      std::string one;
      append_utf8(one, c);
      const std::string up = to_upper(one);
      out += up != one ? up : to_lower(one);
    }
    return interp.make_string(out);
  }
  if (name == "startswith" || name == "endswith") {
    auto a = bind_args(args, name, {{"prefix", std::nullopt}});
    ValueList options = a[0].is_tuple() ? a[0].items() : ValueList{a[0]};
    for (const Value& o : options) {
      if (!o.is_string()) {
        type_error(name + " first arg must be str or a tuple of str, not " + o.type_name());
      }
      const std::string& p = o.str();
      const bool hit =
          p.size() <= s.size() && (name == "startswith" ? s.compare(0, p.size(), p) == 0
                                                        : s.compare(s.size() - p.size(), p.size(), p) == 0);
      if (hit) return Value(true);
    }
    return Value(false);
  }
  if (name == "split" || name == "rsplit") {
    auto a = bind_args(args, name, {{"sep", Value::none()}, {"maxsplit", Value(int64_t{-1})}});
    const std::string* sep = str_or_none(a[0], "sep");
    if (sep && sep->empty()) raise("ValueError", "empty separator");
    std::vector<std::string> parts =
        name == "split" ? split(s, sep, int_arg(a[1])) : rsplit(s, sep, int_arg(a[1]));
    ValueList out(parts.begin(), parts.end());
    return interp.make_list(std::move(out));
  }
  if (name == "splitlines") {
    auto a = bind_args(args, "splitlines", {{"keepends", Value(false)}});
    std::vector<std::string> parts = splitlines(s, a[0].truthy());
    return interp.make_list(ValueList(parts.begin(), parts.end()));
  }
  if (name == "replace") {
    auto a = bind_args(args, "replace",
                       {{"old", std::nullopt}, {"new", std::nullopt}, {"count", Value(int64_t{-1})}});
    const std::string& from = str_arg(a[0], "replace", 1);
    const std::string& to = str_arg(a[1], "replace", 2);
    const uint64_t hits =
        from.empty() ? utf8_length(s) + 1 : static_cast<uint64_t>(std::count(s.begin(), s.end(), from[0]));
    if (to.size() > from.size()) interp.check_string_size(hits * (to.size() - from.size()) + s.size());
    return interp.make_string(replace(s, from, to, int_arg(a[2])));
  }
  if (name == "find") return str_find(self, args, false, false, "find");
  if (name == "rfind") return str_find(self, args, true, false, "rfind");
  if (name == "index") return str_find(self, args, false, true, "index");
  if (name == "rindex") return str_find(self, args, true, true, "rindex");
  if (name == "count") {
    auto a = bind_args(args, "count", {{"sub", std::nullopt}});
    const std::string& sub = str_arg(a[0], "count");
    if (sub.empty()) return Value(static_cast<int64_t>(utf8_length(s) + 1));
    int64_t n = 0;
    for (size_t at = s.find(sub); at != std::string::npos; at = s.find(sub, at + sub.size())) ++n;
    return Value(n);
  }
  if (name == "join") {
    auto a = bind_args(args, "join", {{"iterable", std::nullopt}});
    std::string out;
    bool first = true;
    for (const Value& v : interp.iterate(a[0])) {
      if (!v.is_string()) type_error("sequence item: expected str instance, " + v.type_name() + " found");
      if (!first) out += s;
      first = false;
      out += v.str();
      interp.check_string_size(out.size());
    }
    return interp.make_string(std::move(out));
  }
  if (name == "center" || name == "ljust" || name == "rjust") {
    auto a = bind_args(args, name, {{"width", std::nullopt}, {"fillchar", Value(" ")}});
    const int64_t width = int_arg(a[0]);
    const std::string& fill = str_arg(a[1], name.c_str(), 2);
    if (utf8_length(fill) != 1) type_error("The fill character must be exactly one character long");
    const auto len = static_cast<int64_t>(utf8_length(s));
    if (width <= len) return self;
    interp.check_string_size(static_cast<uint64_t>(width) * fill.size());
    const int64_t total = width - len;
    int64_t left = 0;
    if (name == "rjust") left = total;
    if (name == "center") left = total / 2 + (total & width & 1);
    std::string out;
    for (int64_t i = 0; i < left; ++i) out += fill;
    out += s;
    for (int64_t i = left; i < total; ++i) out += fill;
    return interp.make_string(std::move(out));
  }
  if (name == "zfill") {
    auto a = bind_args(args, "zfill", {{"width", std::nullopt}});
    const int64_t width = int_arg(a[0]);
    const auto len = static_cast<int64_t>(utf8_length(s));
    if (width <= len) return self;
    interp.check_string_size(static_cast<uint64_t>(width));
    std::string out = s;
    const size_t at = (!s.empty() && (s[0] == '-' || s[0] == '+')) ? 1 : 0;
    out.insert(at, std::string(static_cast<size_t>(width - len), '0'));
    return interp.make_string(std::move(out));
  }
  if (name == "partition" || name == "rpartition") {
    auto a = bind_args(args, name, {{"sep", std::nullopt}});
    const std::string& sep = str_arg(a[0], name.c_str());
    if (sep.empty()) raise("ValueError", "empty separator");
    const size_t at = name == "partition" ? s.find(sep) : s.rfind(sep);
    if (at == std::string::npos) {
      return name == "partition" ? Value::tuple({self, Value(""), Value("")})
                                 : Value::tuple({Value(""), Value(""), self});
    }
    return Value::tuple({Value(s.substr(0, at)), Value(sep), Value(s.substr(at + sep.size()))});
  }
  if (name == "removeprefix" || name == "removesuffix") {
    auto a = bind_args(args, name, {{"affix", std::nullopt}});
    const std::string& p = str_arg(a[0], name.c_str());
    if (name == "removeprefix" && s.compare(0, p.size(), p) == 0) return Value(s.substr(p.size()));
    if (name == "removesuffix" && p.size() <= s.size() && !p.empty() &&
        s.compare(s.size() - p.size(), p.size(), p) == 0) {
      return Value(s.substr(0, s.size() - p.size()));
    }
    return self;
  }
  if (name == "format") return interp.make_string(python_format(interp, s, args));
  if (name.size() > 2 && name.compare(0, 2, "is") == 0) {
    no_args(name.c_str());
    const std::u32string cps = decode_utf8(s);
    if (name == "istitle") return Value(!cps.empty() && py_title(s) == s && to_lower(s) != s);
    if (cps.empty()) return Value(false);
    bool all = true;
    bool any_cased = false;
    for (char32_t c : cps) {
      std::string one;
      append_utf8(one, c);
      const bool upper_differs = to_upper(one) != one;
      const bool lower_differs = to_lower(one) != one;
      bool ok = false;
      if (name == "isdigit" || name == "isdecimal" || name == "isnumeric") ok = c >= '0' && c <= '9';
      if (name == "isalpha") ok = is_word_char(c) && !(c >= '0' && c <= '9') && c != '_';
      if (name == "isalnum") ok = is_word_char(c) && c != '_';
      if (name == "isspace") ok = is_space(c);
      if (name == "isascii") ok = c < 0x80;
      if (name == "islower") {
        ok = !lower_differs;
        any_cased = any_cased || upper_differs;
      }
      if (name == "isupper") {
        ok = !upper_differs;
        any_cased = any_cased || lower_differs;
      }
      all = all && ok;
    }
    if (name == "islower" || name == "isupper") return Value(all && any_cased);
    return Value(all);
  }
  raise("TypeError", "str." + name + "() is not supported in chat templates");
}

// markupsafe.Markup's methods: string arguments are escaped first, string results are Markup.
Value markup_method(Interpreter& interp, const Value& self, const std::string& name, CallArgs& args) {
  auto escape = [](const Value& v) {
    return v.is_string() && !v.is_markup() ? Value::markup(html_escape(v.str())) : v;
  };
  if (name == "replace" || name == "format" || name == "join") {
    for (Value& v : args.positional) {
      if (name == "join" && v.has_items()) {
        ValueList items;
        for (const Value& item : interp.iterate(v)) items.push_back(escape(item));
        v = Value::list(std::move(items));
      } else {
        v = escape(v);
      }
    }
    for (auto& kv : args.keyword) kv.second = escape(kv.second);
  }
  Value result = str_method(interp, self, name, args);
  auto wrap = [](const Value& v) { return v.is_string() ? Value::markup(v.str()) : v; };
  if (result.is_string()) return wrap(result);
  if (result.is_sequence() && (name == "split" || name == "rsplit" || name == "splitlines" ||
                               name == "partition" || name == "rpartition")) {
    ValueList items;
    for (const Value& item : result.items()) items.push_back(wrap(item));
    return result.is_tuple() ? Value::tuple(std::move(items)) : Value::list(std::move(items));
  }
  return result;
}

}  // namespace

const Value* find_global(const std::string& name) {
  static const std::unordered_map<std::string, Value> globals = make_globals();
  auto it = globals.find(name);
  return it == globals.end() ? nullptr : &it->second;
}

std::optional<Value> builtin_attribute(const Value& obj, const std::string& name) {
  static const char* const kStrMethods[] = {
      "capitalize", "casefold",     "center",       "count",   "encode",     "endswith",    "expandtabs",
      "find",       "format",       "format_map",   "index",   "isalnum",    "isalpha",     "isascii",
      "isdecimal",  "isdigit",      "isidentifier", "islower", "isnumeric",  "isprintable", "isspace",
      "istitle",    "isupper",      "join",         "ljust",   "lower",      "lstrip",      "maketrans",
      "partition",  "removeprefix", "removesuffix", "replace", "rfind",      "rindex",      "rjust",
      "rpartition", "rsplit",       "rstrip",       "split",   "splitlines", "startswith",  "strip",
      "swapcase",   "title",        "translate",    "upper",   "zfill"};
  static const char* const kListUnsafe[] = {"append", "clear",  "extend",  "insert",
                                            "pop",    "remove", "reverse", "sort"};
  static const char* const kDictUnsafe[] = {"clear", "pop", "popitem", "setdefault", "update"};
  auto in = [&](const auto& table) {
    for (const char* m : table) {
      if (name == m) return true;
    }
    return false;
  };
  auto unsafe = [&] {
    return Value::undefined(
        "access to attribute '" + name + "' of '" + obj.type_name() + "' object is unsafe.", "SecurityError");
  };
  if (name.size() > 4 && name.compare(0, 2, "__") == 0 && name.compare(name.size() - 2, 2, "__") == 0)
    return unsafe();
  Value self = obj;
  if (obj.is_string()) {
    if (!in(kStrMethods)) return std::nullopt;
    if (obj.is_markup()) {
      return make_method(self, name, [self, name](Interpreter& interp, CallArgs& args) {
        return markup_method(interp, self, name, args);
      });
    }
    return make_method(self, name, [self, name](Interpreter& interp, CallArgs& args) {
      return str_method(interp, self, name, args);
    });
  }
  if (obj.is_sequence()) {
    if (obj.is_list() && in(kListUnsafe)) return unsafe();
    if (name == "count") {
      return make_method(self, name, [self](Interpreter&, CallArgs& args) {
        auto a = bind_args(args, "count", {{"value", std::nullopt}});
        int64_t n = 0;
        for (const Value& v : self.items()) n += equals(v, a[0]) ? 1 : 0;
        return Value(n);
      });
    }
    if (name == "index") {
      return make_method(self, name, [self](Interpreter&, CallArgs& args) {
        auto a = bind_args(args, "index", {{"value", std::nullopt}});
        for (size_t i = 0; i < self.items().size(); ++i) {
          if (equals(self.items()[i], a[0])) return Value(static_cast<int64_t>(i));
        }
        raise("ValueError", a[0].repr() + " is not in " + self.type_name());
      });
    }
    if (name == "copy" && obj.is_list()) {
      return make_method(self, name, [self](Interpreter&, CallArgs&) { return self; });
    }
    return std::nullopt;
  }
  if (obj.is_dict()) {
    if (in(kDictUnsafe)) return unsafe();
    if (name == "items" || name == "keys" || name == "values") {
      return make_method(self, name, [self, name](Interpreter& interp, CallArgs& args) {
        bind_args(args, name, {});
        ValueList out;
        for (const auto& [k, v] : self.dict().entries()) {
          out.push_back(name == "items" ? Value::tuple({k, v}) : name == "keys" ? k : v);
        }
        interp.charge(out.size() * sizeof(Value));
        return Value::view("dict_" + name, "", std::move(out));
      });
    }
    if (name == "get") {
      return make_method(self, name, [self](Interpreter&, CallArgs& args) {
        auto a = bind_args(args, "get", {{"key", std::nullopt}, {"default", Value::none()}});
        const Value* v = self.dict().find(a[0]);
        return v ? *v : a[1];
      });
    }
    if (name == "copy") return make_method(self, name, [self](Interpreter&, CallArgs&) { return self; });
    if (name == "fromkeys")
      return make_method(self, name, [](Interpreter&, CallArgs&) -> Value {
        type_error("dict.fromkeys() is not supported in chat templates");
      });
    return std::nullopt;
  }
  return std::nullopt;
}

}  // namespace lathe::jinja
