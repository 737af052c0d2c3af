// Jinja2's builtin filters and tests, as they behave with autoescaping off, plus transformers'
// tojson (json.dumps without HTML escaping). Filters that return generators in Jinja2 (map, select,
// unique, batch, ...) return lists here; they print differently but iterate the same.
#include "tokenizer/jinja_filters.h"

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <unordered_map>

#include "tokenizer/jinja_eval.h"
#include "tokenizer/jinja_text.h"

namespace lathe::jinja {

namespace {

using A = CallArgs;

Value str_result(Interpreter& in, std::string s) { return in.make_string(std::move(s)); }

// Filters that call a str method on soft_str(value) keep a Markup a Markup.
Value like(const Value& input, Value result) {
  return input.is_markup() ? Value::markup(result.str()) : result;
}

// What Jinja2's generator filters return.
Value generator(Interpreter& in, const char* function, ValueList items) {
  in.charge(items.size() * sizeof(Value));
  return Value::view("generator", function, std::move(items));
}

int64_t int_param(const Value& v, const char* what) {
  if (!v.is_integral()) type_error(std::string(what) + " must be an integer, not " + v.type_name());
  return v.as_int();
}

// Jinja2's make_attrgetter: "a.b.0" looks up each part with getitem; `default` replaces undefined.
Value lookup_path(Interpreter& in, const Value& item, const Value& attribute,
                  const std::optional<Value>& fallback) {
  Value v = item;
  std::vector<Value> parts;
  if (attribute.is_string()) {
    const std::string dot = ".";
    for (std::string& part : split(attribute.str(), &dot, -1)) {
      const bool digits =
          !part.empty() && part.find_first_not_of("0123456789") == std::string::npos && part.size() < 18;
      parts.push_back(digits ? Value(static_cast<int64_t>(std::stoll(part))) : Value(std::move(part)));
    }
  } else {
    parts.push_back(attribute);
  }
  for (const Value& part : parts) {
    v = in.get_item(v, part);
    if (fallback && v.is_undefined()) v = *fallback;
  }
  return v;
}

Value ignore_case(const Value& v) { return v.is_string() ? Value(to_lower(v.str())) : v; }

// ---- String filters

Value f_trim(Interpreter& in, const Value& v, A& args) {
  auto a = bind_args(args, "trim", {{"chars", Value::none()}});
  if (!a[0].is_none() && !a[0].is_string()) type_error("strip arg must be None or str");
  return like(v, str_result(in, strip(v.to_str(), a[0].is_none() ? nullptr : &a[0].str(), true, true)));
}
Value f_upper(Interpreter& in, const Value& v, A& args) {
  bind_args(args, "upper", {});
  return like(v, str_result(in, to_upper(v.to_str())));
}
Value f_lower(Interpreter& in, const Value& v, A& args) {
  bind_args(args, "lower", {});
  return like(v, str_result(in, to_lower(v.to_str())));
}
Value f_capitalize(Interpreter& in, const Value& v, A& args) {
  bind_args(args, "capitalize", {});
  return like(v, str_result(in, capitalize(v.to_str())));
}
Value f_title(Interpreter& in, const Value& v, A& args) {
  bind_args(args, "title", {});
  return like(v, str_result(in, jinja_title(v.to_str())));
}
Value f_string(Interpreter& in, const Value& v, A& args) {
  bind_args(args, "string", {});
  return v.is_string() ? v : str_result(in, v.to_str());
}
Value f_safe(Interpreter& in, const Value& v, A& args) {
  bind_args(args, "safe", {});
  return v.is_markup() ? v : Value::markup(str_result(in, v.to_str()).str());
}
Value f_escape(Interpreter& in, const Value& v, A& args) {
  bind_args(args, "escape", {});
  return v.is_markup() ? v : Value::markup(str_result(in, html_escape(v.to_str())).str());
}

Value f_replace(Interpreter& in, const Value& v, A& args) {
  auto a =
      bind_args(args, "replace", {{"old", std::nullopt}, {"new", std::nullopt}, {"count", Value::none()}});
  const std::string s = v.to_str();
  const std::string from = a[0].to_str();
  const std::string to = a[1].to_str();
  const int64_t count = a[2].is_none() ? -1 : int_param(a[2], "count");
  if (to.size() > from.size()) {
    const uint64_t hits =
        from.empty() ? utf8_length(s) + 1 : static_cast<uint64_t>(std::count(s.begin(), s.end(), from[0]));
    in.check_string_size(s.size() + hits * (to.size() - from.size()));
  }
  return str_result(in, replace(s, from, to, count));
}

// Filters Jinja2 does not pass through str(): `s += "\n"` or `value.center()` on a non-string fails.
void require_string(const Value& v, const char* method) {
  if (v.is_string()) return;
  if (v.is_undefined()) v.raise_undefined();
  if (std::string_view(method) == "+=") {
    if (v.is_list()) raise("AttributeError", "'list' object has no attribute 'splitlines'");
    if (v.is_tuple()) type_error("can only concatenate tuple (not \"str\") to tuple");
    type_error("unsupported operand type(s) for +=: '" + v.type_name() + "' and 'str'");
  }
  raise("AttributeError", "'" + v.type_name() + "' object has no attribute '" + method + "'");
}

Value f_indent(Interpreter& in, const Value& v, A& args) {
  auto a = bind_args(args, "indent",
                     {{"width", Value(int64_t{4})}, {"first", Value(false)}, {"blank", Value(false)}});
  require_string(v, "+=");
  std::string indention;
  if (a[0].is_string()) {
    indention = a[0].str();
  } else {
    const int64_t width = int_param(a[0], "width");
    in.check_string_size(static_cast<uint64_t>(std::max<int64_t>(width, 0)));
    indention = std::string(static_cast<size_t>(std::max<int64_t>(width, 0)), ' ');
  }
  const std::string s = v.to_str() + "\n";  // Jinja2's quirk for splitlines
  const std::vector<std::string> lines = splitlines(s, false);
  in.check_string_size(s.size() + lines.size() * indention.size());
  std::string out;
  if (a[2].truthy()) {
    for (size_t i = 0; i < lines.size(); ++i) {
      if (i) out += "\n" + indention;
      out += lines[i];
    }
  } else if (!lines.empty()) {
    out = lines[0];
    for (size_t i = 1; i < lines.size(); ++i) {
      out += "\n";
      if (!lines[i].empty()) out += indention;
      out += lines[i];
    }
  }
  if (a[1].truthy()) out = indention + out;
  return like(v, str_result(in, std::move(out)));
}

Value f_center(Interpreter& in, const Value& v, A& args) {
  auto a = bind_args(args, "center", {{"width", Value(int64_t{80})}});
  const std::string s = v.to_str();
  const int64_t width = int_param(a[0], "width");
  const auto len = static_cast<int64_t>(utf8_length(s));
  if (width <= len) return str_result(in, s);
  in.check_string_size(static_cast<uint64_t>(width));
  const int64_t total = width - len;
  const int64_t left = total / 2 + (total & width & 1);
  return like(v, str_result(in, std::string(static_cast<size_t>(left), ' ') + s +
                                    std::string(static_cast<size_t>(total - left), ' ')));
}

Value f_truncate(Interpreter& in, const Value& v, A& args) {
  auto a = bind_args(args, "truncate",
                     {{"length", Value(int64_t{255})},
                      {"killwords", Value(false)},
                      {"end", Value("...")},
                      {"leeway", Value::none()}});
  const int64_t length = int_param(a[0], "length");
  const int64_t leeway = a[3].is_none() ? 5 : int_param(a[3], "leeway");
  const int64_t end_length = static_cast<int64_t>(utf8_length(a[2].to_str()));
  if (length < end_length) {
    raise("AssertionError",
          "expected length >= " + std::to_string(end_length) + ", got " + std::to_string(length));
  }
  if (leeway < 0) raise("AssertionError", "expected leeway >= 0, got " + std::to_string(leeway));
  // Jinja2 does not convert to str: it takes len() of whatever it is given, and a short enough
  // list or dict comes back as it is.
  if (!v.is_string()) {
    if (v.is_undefined()) return v;
    if (!v.has_length()) type_error("object of type '" + v.type_name() + "' has no len()");
    const size_t n = v.is_dict() ? v.dict().size() : v.items().size();
    if (static_cast<int64_t>(n) <= length + leeway) return v;
    require_string(v, "rsplit");
  }
  const std::u32string s = decode_utf8(v.str());
  if (static_cast<int64_t>(s.size()) <= length + leeway) return v;
  // On a Markup, s[:n] + end escapes `end`.
  const std::u32string end =
      decode_utf8(v.is_markup() && !a[2].is_markup() ? html_escape(a[2].to_str()) : a[2].to_str());
  std::u32string head = s.substr(0, static_cast<size_t>(length - end_length));
  if (!a[1].truthy()) {
    const size_t space = head.rfind(U' ');
    if (space != std::u32string::npos) head.resize(space);
  }
  return like(v, str_result(in, encode_utf8(head + end)));
}

Value f_wordcount(Interpreter&, const Value& v, A& args) {
  bind_args(args, "wordcount", {});
  int64_t words = 0;
  bool in_word = false;
  for (char32_t c : decode_utf8(v.to_str())) {
    const bool w = is_word_char(c);
    if (w && !in_word) ++words;
    in_word = w;
  }
  return Value(words);
}

Value f_format(Interpreter& in, const Value& v, A& args) {
  if (!args.positional.empty() && !args.keyword.empty()) {
    raise("FilterArgumentError", "can't handle positional and keyword arguments at the same time");
  }
  Value params;
  if (!args.keyword.empty()) {
    Dict d;
    for (auto& [k, x] : args.keyword) d.set(Value(k), x);
    params = Value::dict(std::move(d));
  } else {
    params = Value::tuple(args.positional);
  }
  return binary_operator(in, BinaryOp::Mod, v.is_string() ? v : Value(v.to_str()), params);
}

Value f_tojson(Interpreter& in, const Value& v, A& args) {
  // transformers: json.dumps(x, ensure_ascii=False, indent=None, separators=None, sort_keys=False)
  auto a = bind_args(args, "tojson",
                     {{"ensure_ascii", Value(false)},
                      {"indent", Value::none()},
                      {"separators", Value::none()},
                      {"sort_keys", Value(false)}});
  JsonOptions o;
  o.ensure_ascii = a[0].truthy();
  if (a[1].is_string()) {
    o.indent = a[1].str();
  } else if (!a[1].is_none()) {
    const int64_t n = int_param(a[1], "indent");
    in.check_string_size(static_cast<uint64_t>(std::max<int64_t>(n, 0)));
    o.indent = std::string(static_cast<size_t>(std::max<int64_t>(n, 0)), ' ');
  }
  if (o.indent) o.item_separator = ",";
  if (!a[2].is_none()) {
    ValueList seps = in.iterate(a[2]);
    if (seps.size() != 2 || !seps[0].is_string() || !seps[1].is_string()) {
      raise("ValueError", "separators must be a pair of strings");
    }
    o.item_separator = seps[0].str();
    o.key_separator = seps[1].str();
  }
  o.sort_keys = a[3].truthy();
  return str_result(in, to_json(v, o));
}

// ---- Numbers

Value f_int(Interpreter&, const Value& v, A& args) {
  auto a = bind_args(args, "int", {{"default", Value(int64_t{0})}, {"base", Value(int64_t{10})}});
  if (v.is_undefined()) v.raise_undefined();  // Undefined.__int__ raises
  if (v.is_integral()) return Value(v.as_int());
  if (v.is_float()) {
    if (!std::isfinite(v.as_float())) raise("OverflowError", "cannot convert float infinity to integer");
    return Value(static_cast<int64_t>(v.as_float()));
  }
  if (v.is_string()) {
    std::string s = strip(v.str(), nullptr, true, true);
    s.erase(std::remove(s.begin(), s.end(), '_'), s.end());
    int base = static_cast<int>(int_param(a[1], "base"));
    std::string digits = s;
    bool negative = false;
    if (!digits.empty() && (digits[0] == '-' || digits[0] == '+')) {
      negative = digits[0] == '-';
      digits.erase(0, 1);
    }
    if (base == 16 && digits.size() > 2 && digits[0] == '0' && (digits[1] | 0x20) == 'x') digits.erase(0, 2);
    if (base == 8 && digits.size() > 2 && digits[0] == '0' && (digits[1] | 0x20) == 'o') digits.erase(0, 2);
    if (base == 2 && digits.size() > 2 && digits[0] == '0' && (digits[1] | 0x20) == 'b') digits.erase(0, 2);
    if (!digits.empty() && base >= 2 && base <= 36) {
      char* end = nullptr;
      errno = 0;
      const long long n = std::strtoll(digits.c_str(), &end, base);
      if (end && *end == 0 && errno == 0 && digits.find_first_of(" \t\n") == std::string::npos)
        return Value(static_cast<int64_t>(negative ? -n : n));
    }
    // "42.23" | int is 42: Jinja2 retries through float().
    char* end = nullptr;
    const double d = std::strtod(s.c_str(), &end);
    if (!s.empty() && end && *end == 0 && std::isfinite(d)) return Value(static_cast<int64_t>(d));
  }
  return a[0];
}

Value f_float(Interpreter&, const Value& v, A& args) {
  auto a = bind_args(args, "float", {{"default", Value(0.0)}});
  if (v.is_undefined()) v.raise_undefined();  // Undefined.__float__ raises
  if (v.is_number()) return Value(v.as_float());
  if (v.is_string()) {
    std::string s = strip(v.str(), nullptr, true, true);
    s.erase(std::remove(s.begin(), s.end(), '_'), s.end());
    char* end = nullptr;
    const double d = std::strtod(s.c_str(), &end);
    if (!s.empty() && end && *end == 0) return Value(d);
  }
  return a[0];
}

Value f_abs(Interpreter&, const Value& v, A& args) {
  bind_args(args, "abs", {});
  if (v.is_integral()) {
    if (v.as_int() == INT64_MIN) raise("OverflowError", "integer result does not fit in 64 bits");
    return Value(v.as_int() < 0 ? -v.as_int() : v.as_int());
  }
  if (v.is_float()) return Value(std::fabs(v.as_float()));
  type_error("bad operand type for abs(): '" + v.type_name() + "'");
}

Value f_round(Interpreter&, const Value& v, A& args) {
  auto a = bind_args(args, "round", {{"precision", Value(int64_t{0})}, {"method", Value("common")}});
  const std::string method = a[1].to_str();
  if (method != "common" && method != "ceil" && method != "floor") {
    raise("FilterArgumentError", "method must be common, ceil or floor");
  }
  const int64_t precision = int_param(a[0], "precision");
  if (!v.is_number()) type_error("type " + v.type_name() + " doesn't define __round__ method");
  if (method == "common") {
    if (v.is_integral()) return Value(v.as_int());  // Python's round(int, n) stays an int
    const double x = v.as_float();
    if (!std::isfinite(x)) return Value(x);
    if (precision >= 0 && precision <= 300) {
      // printf rounds the exact binary value to decimal, ties to even: Python's round().
      return Value(std::strtod(c_format("%.*f", static_cast<int>(precision), x).c_str(), nullptr));
    }
    const double scale = std::pow(10.0, static_cast<double>(-precision));
    return Value(std::nearbyint(x / scale) * scale);
  }
  const double scale = std::pow(10.0, static_cast<double>(precision));
  const double x = v.as_float() * scale;
  return Value((method == "ceil" ? std::ceil(x) : std::floor(x)) / scale);
}

// ---- Sequences

Value f_length(Interpreter&, const Value& v, A& args) {
  bind_args(args, "length", {});
  switch (v.kind()) {
    case Value::Kind::Undefined:
      return Value(int64_t{0});
    case Value::Kind::String:
      return Value(static_cast<int64_t>(utf8_length(v.str())));
    case Value::Kind::List:
    case Value::Kind::Tuple:
      return Value(static_cast<int64_t>(v.items().size()));
    case Value::Kind::Dict:
      return Value(static_cast<int64_t>(v.dict().size()));
    case Value::Kind::View:
      if (v.has_length()) return Value(static_cast<int64_t>(v.items().size()));
      [[fallthrough]];
    default:
      type_error("object of type '" + v.type_name() + "' has no len()");
  }
}

Value f_list(Interpreter& in, const Value& v, A& args) {
  bind_args(args, "list", {});
  return in.make_list(in.iterate(v));
}

Value f_first(Interpreter& in, const Value& v, A& args) {
  bind_args(args, "first", {});
  ValueList items = in.iterate(v);
  if (items.empty()) return Value::undefined("No first item, sequence was empty.");
  return items.front();
}

Value f_last(Interpreter& in, const Value& v, A& args) {
  bind_args(args, "last", {});
  if ((v.is_view() && !v.has_length()) || v.is_none() || v.is_number() || v.is_object()) {
    type_error("'" + v.type_name() + "' object is not reversible");
  }
  ValueList items = in.iterate(v);
  if (items.empty()) return Value::undefined("No last item, sequence was empty.");
  return items.back();
}

Value f_join(Interpreter& in, const Value& v, A& args) {
  auto a = bind_args(args, "join", {{"d", Value("")}, {"attribute", Value::none()}});
  const std::string sep = a[0].to_str();
  std::string out;
  bool first = true;
  for (const Value& item : in.iterate(v)) {
    if (!first) out += sep;
    first = false;
    out += a[1].is_none() ? item.to_str() : lookup_path(in, item, a[1], std::nullopt).to_str();
    in.check_string_size(out.size());
  }
  return str_result(in, std::move(out));
}

Value f_items(Interpreter& in, const Value& v, A& args) {
  bind_args(args, "items", {});
  if (v.is_undefined()) return generator(in, "do_items", {});
  if (!v.is_dict()) type_error("Can only get item pairs from a mapping.");
  ValueList out;
  for (const auto& [k, x] : v.dict().entries()) out.push_back(Value::tuple({k, x}));
  return generator(in, "do_items", std::move(out));
}

Value f_reverse(Interpreter& in, const Value& v, A& args) {
  bind_args(args, "reverse", {});
  if (v.is_string()) {
    std::u32string cps = decode_utf8(v.str());
    std::reverse(cps.begin(), cps.end());
    return like(v, str_result(in, encode_utf8(cps)));
  }
  if (v.is_none() || v.is_number() || v.is_object())
    raise("FilterArgumentError", "argument must be iterable");
  ValueList items = in.iterate(v);
  std::reverse(items.begin(), items.end());
  // reversed() where Python has it; a generator falls back to a reversed list.
  std::string type;
  if (v.is_list()) type = "list_reverseiterator";
  if (v.is_tuple() || v.is_undefined()) type = "reversed";
  if (v.is_dict() || (v.is_view() && v.view_type() == "dict_keys")) type = "dict_reversekeyiterator";
  if (v.is_view() && v.view_type() == "dict_items") type = "dict_reverseitemiterator";
  if (v.is_view() && v.view_type() == "dict_values") type = "dict_reversevalueiterator";
  if (v.is_view() && v.view_type() == "range") type = "range_iterator";
  if (type.empty()) return in.make_list(std::move(items));
  in.charge(items.size() * sizeof(Value));
  return Value::view(type, "", std::move(items));
}

// Sorts by Python's `<` on keys; TypeError when keys cannot be ordered.
void sort_by_keys(std::vector<std::pair<Value, Value>>& keyed, bool reverse) {
  std::stable_sort(keyed.begin(), keyed.end(), [&](const auto& x, const auto& y) {
    return reverse ? compare(y.first, x.first, "<") < 0 : compare(x.first, y.first, "<") < 0;
  });
}

Value f_sort(Interpreter& in, const Value& v, A& args) {
  auto a =
      bind_args(args, "sort",
                {{"reverse", Value(false)}, {"case_sensitive", Value(false)}, {"attribute", Value::none()}});
  std::vector<std::pair<Value, Value>> keyed;
  for (const Value& item : in.iterate(v)) {
    ValueList key_parts;
    if (a[2].is_none()) {
      key_parts.push_back(item);
    } else {  // "a,b" sorts by several attributes
      const std::string comma = ",";
      for (const std::string& attr : split(a[2].to_str(), &comma, -1)) {
        key_parts.push_back(lookup_path(in, item, Value(attr), std::nullopt));
      }
    }
    for (Value& k : key_parts) k = a[1].truthy() ? k : ignore_case(k);
    // Keys are lists, as Jinja2's make_multi_attrgetter builds them: equal (even undefined)
    // keys compare equal without raising.
    keyed.emplace_back(Value::list(key_parts), item);
  }
  sort_by_keys(keyed, a[0].truthy());
  ValueList out;
  for (auto& [k, item] : keyed) out.push_back(std::move(item));
  return in.make_list(std::move(out));
}

Value f_dictsort(Interpreter& in, const Value& v, A& args) {
  auto a = bind_args(args, "dictsort",
                     {{"case_sensitive", Value(false)}, {"by", Value("key")}, {"reverse", Value(false)}});
  const std::string by = a[1].to_str();
  if (by != "key" && by != "value")
    raise("FilterArgumentError", "You can only sort by either \"key\" or \"value\"");
  if (v.is_undefined()) v.raise_undefined();
  if (!v.is_dict()) raise("AttributeError", "'" + v.type_name() + "' object has no attribute 'items'");
  std::vector<std::pair<Value, Value>> keyed;
  for (const auto& [k, x] : v.dict().entries()) {
    const Value& key = by == "key" ? k : x;
    keyed.emplace_back(a[0].truthy() ? key : ignore_case(key), Value::tuple({k, x}));
  }
  sort_by_keys(keyed, a[2].truthy());
  ValueList out;
  for (auto& [k, item] : keyed) out.push_back(std::move(item));
  return in.make_list(std::move(out));
}

Value f_unique(Interpreter& in, const Value& v, A& args) {
  auto a = bind_args(args, "unique", {{"case_sensitive", Value(false)}, {"attribute", Value::none()}});
  ValueList out;
  std::vector<Value> seen;
  for (const Value& item : in.iterate(v)) {
    Value key = a[1].is_none() ? item : lookup_path(in, item, a[1], std::nullopt);
    if (!a[0].truthy()) key = ignore_case(key);
    hash_key(key);  // unhashable keys fail as in Python
    bool dup = false;
    for (const Value& s : seen) dup = dup || equals(s, key);
    if (dup) continue;
    seen.push_back(key);
    out.push_back(item);
  }
  return generator(in, "sync_do_unique", std::move(out));
}

Value min_max(Interpreter& in, const Value& v, A& args, bool want_max) {
  auto a = bind_args(args, want_max ? "max" : "min",
                     {{"case_sensitive", Value(false)}, {"attribute", Value::none()}});
  ValueList items = in.iterate(v);
  if (items.empty()) return Value::undefined("No aggregated item, sequence was empty.");
  auto key = [&](const Value& item) {
    Value k = a[1].is_none() ? item : lookup_path(in, item, a[1], std::nullopt);
    return a[0].truthy() ? k : ignore_case(k);
  };
  size_t best = 0;
  Value best_key = key(items[0]);
  for (size_t i = 1; i < items.size(); ++i) {
    Value k = key(items[i]);
    const auto c = compare(k, best_key, want_max ? ">" : "<");
    if (want_max ? c > 0 : c < 0) {
      best = i;
      best_key = k;
    }
  }
  return items[best];
}
Value f_max(Interpreter& in, const Value& v, A& args) { return min_max(in, v, args, true); }
Value f_min(Interpreter& in, const Value& v, A& args) { return min_max(in, v, args, false); }

Value f_sum(Interpreter& in, const Value& v, A& args) {
  auto a = bind_args(args, "sum", {{"attribute", Value::none()}, {"start", Value(int64_t{0})}});
  Value total = a[1];
  for (const Value& item : in.iterate(v)) {
    const Value x = a[0].is_none() ? item : lookup_path(in, item, a[0], std::nullopt);
    total = binary_operator(in, BinaryOp::Add, total, x);
  }
  return total;
}

Value f_batch(Interpreter& in, const Value& v, A& args) {
  auto a = bind_args(args, "batch", {{"linecount", std::nullopt}, {"fill_with", Value::none()}});
  const int64_t count = int_param(a[0], "linecount");
  ValueList out;
  ValueList current;
  for (const Value& item : in.iterate(v)) {
    if (static_cast<int64_t>(current.size()) == count) {
      out.push_back(in.make_list(std::move(current)));
      current.clear();
    }
    current.push_back(item);
  }
  if (!current.empty()) {
    if (!a[1].is_none() && static_cast<int64_t>(current.size()) < count) {
      in.charge(static_cast<uint64_t>(count) * sizeof(Value));
      current.resize(static_cast<size_t>(count), a[1]);
    }
    out.push_back(in.make_list(std::move(current)));
  }
  return generator(in, "do_batch", std::move(out));
}

Value f_slice(Interpreter& in, const Value& v, A& args) {
  auto a = bind_args(args, "slice", {{"slices", std::nullopt}, {"fill_with", Value::none()}});
  const int64_t slices = int_param(a[0], "slices");
  if (slices <= 0) raise("ZeroDivisionError", "integer division or modulo by zero");
  in.charge(static_cast<uint64_t>(slices) * sizeof(Value));
  const ValueList seq = in.iterate(v);
  const auto length = static_cast<int64_t>(seq.size());
  const int64_t per = length / slices;
  const int64_t extra = length % slices;
  int64_t offset = 0;
  ValueList out;
  for (int64_t n = 0; n < slices; ++n) {
    const int64_t start = offset + n * per;
    if (n < extra) ++offset;
    const int64_t end = offset + (n + 1) * per;
    ValueList part(seq.begin() + start, seq.begin() + end);
    if (!a[1].is_none() && n >= extra) part.push_back(a[1]);
    out.push_back(in.make_list(std::move(part)));
  }
  return generator(in, "sync_do_slice", std::move(out));
}

Value f_default(Interpreter&, const Value& v, A& args) {
  auto a = bind_args(args, "default", {{"default_value", Value("")}, {"boolean", Value(false)}});
  if (v.is_undefined() || (a[1].truthy() && !v.truthy())) return a[0];
  return v;
}

// Python getattr() only: a dict's keys are not its attributes here.
Value f_attr(Interpreter&, const Value& v, A& args) {
  auto a = bind_args(args, "attr", {{"name", std::nullopt}});
  const std::string name = a[0].to_str();
  if (v.is_undefined()) v.raise_undefined();
  if (v.is_object()) {
    if (auto x = v.object().get_attr(name)) return *x;
  } else if (auto x = builtin_attribute(v, name)) {
    return *x;
  }
  const std::string owner = v.is_none()     ? "None"
                            : v.is_object() ? v.object().object_description()
                                            : v.type_name() + " object";
  return Value::undefined(repr_string(owner) + " has no attribute " + repr_string(name));
}

Value f_map(Interpreter& in, const Value& v, A& args) {
  ValueList out;
  if (args.positional.empty()) {
    std::optional<Value> attribute;
    std::optional<Value> fallback;
    for (auto& [k, x] : args.keyword) {
      if (k == "attribute") {
        attribute = x;
      } else if (k == "default") {
        fallback = x;
      } else {
        raise("FilterArgumentError", "Unexpected keyword argument '" + k + "'");
      }
    }
    if (!attribute) raise("FilterArgumentError", "map requires a filter argument");
    if (!v.truthy()) return generator(in, "sync_do_map", {});
    for (const Value& item : in.iterate(v)) out.push_back(lookup_path(in, item, *attribute, fallback));
    return generator(in, "sync_do_map", std::move(out));
  }
  const std::string name = args.positional[0].to_str();
  if (!v.truthy()) return generator(in, "sync_do_map", {});
  for (const Value& item : in.iterate(v)) {
    CallArgs rest;
    rest.positional.assign(args.positional.begin() + 1, args.positional.end());
    rest.keyword = args.keyword;
    out.push_back(in.apply_filter(name, item, rest));
  }
  return generator(in, "sync_do_map", std::move(out));
}

// select / reject / selectattr / rejectattr
Value select_items(Interpreter& in, const Value& v, A& args, bool by_attribute, bool keep_matching) {
  if (!v.truthy()) return generator(in, "select_or_reject", {});
  size_t next = 0;
  std::optional<Value> attribute;
  if (by_attribute) {
    if (args.positional.empty()) type_error("Missing parameter for attribute name");
    attribute = args.positional[next++];
  }
  std::optional<std::string> test;
  if (next < args.positional.size()) test = args.positional[next++].to_str();
  ValueList out;
  for (const Value& item : in.iterate(v)) {
    const Value x = attribute ? lookup_path(in, item, *attribute, std::nullopt) : item;
    bool ok;
    if (test) {
      CallArgs rest;
      rest.positional.assign(args.positional.begin() + static_cast<ptrdiff_t>(next), args.positional.end());
      rest.keyword = args.keyword;
      ok = in.apply_test(*test, x, rest);
    } else {
      ok = x.truthy();
    }
    if (ok == keep_matching) out.push_back(item);
  }
  return generator(in, "select_or_reject", std::move(out));
}
Value f_select(Interpreter& in, const Value& v, A& args) { return select_items(in, v, args, false, true); }
Value f_reject(Interpreter& in, const Value& v, A& args) { return select_items(in, v, args, false, false); }
Value f_selectattr(Interpreter& in, const Value& v, A& args) { return select_items(in, v, args, true, true); }
Value f_rejectattr(Interpreter& in, const Value& v, A& args) {
  return select_items(in, v, args, true, false);
}

// Jinja2's map/select/unique/batch/slice/items are generators: whatever goes wrong inside them
// happens only when they are consumed. Errors other than Lathe's own limits wait in the result.
template <FilterFn Eager, const char* Function>
Value lazily(Interpreter& in, const Value& v, A& args) {
  try {
    return Eager(in, v, args);
  } catch (JinjaException& e) {
    if (e.error.type == "LimitExceeded") throw;
    return Value::failed_view("generator", Function, std::move(e.error));
  }
}
// The generator functions' names, as Python shows them.
constexpr char kDoMap[] = "sync_do_map";
constexpr char kSelectOrReject[] = "select_or_reject";
constexpr char kDoUnique[] = "sync_do_unique";
constexpr char kDoBatch[] = "do_batch";
constexpr char kDoSlice[] = "sync_do_slice";
constexpr char kDoItems[] = "do_items";

}  // namespace

FilterFn find_filter(std::string_view name) {
  static const std::unordered_map<std::string_view, FilterFn> filters = {
      {"abs", f_abs},
      {"attr", f_attr},
      {"batch", lazily<f_batch, kDoBatch>},
      {"capitalize", f_capitalize},
      {"center", f_center},
      {"count", f_length},
      {"d", f_default},
      {"default", f_default},
      {"dictsort", f_dictsort},
      {"e", f_escape},
      {"escape", f_escape},
      {"first", f_first},
      {"float", f_float},
      {"forceescape", f_escape},
      {"format", f_format},
      {"indent", f_indent},
      {"int", f_int},
      {"items", lazily<f_items, kDoItems>},
      {"join", f_join},
      {"last", f_last},
      {"length", f_length},
      {"list", f_list},
      {"lower", f_lower},
      {"map", lazily<f_map, kDoMap>},
      {"max", f_max},
      {"min", f_min},
      {"reject", lazily<f_reject, kSelectOrReject>},
      {"rejectattr", lazily<f_rejectattr, kSelectOrReject>},
      {"replace", f_replace},
      {"reverse", f_reverse},
      {"round", f_round},
      {"safe", f_safe},
      {"select", lazily<f_select, kSelectOrReject>},
      {"selectattr", lazily<f_selectattr, kSelectOrReject>},
      {"slice", lazily<f_slice, kDoSlice>},
      {"sort", f_sort},
      {"string", f_string},
      {"sum", f_sum},
      {"title", f_title},
      {"tojson", f_tojson},
      {"trim", f_trim},
      {"truncate", f_truncate},
      {"unique", lazily<f_unique, kDoUnique>},
      {"upper", f_upper},
      {"wordcount", f_wordcount},
  };
  auto it = filters.find(name);
  return it == filters.end() ? nullptr : it->second;
}

}  // namespace lathe::jinja
