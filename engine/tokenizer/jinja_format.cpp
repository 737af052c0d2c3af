// Python's string formatting on template values: printf-style ("%s and %d" % args, the `format`
// filter) and str.format ("{} {name:>5}"), with CPython's results and error messages.
#include <algorithm>
#include <cmath>
#include <cstdio>

#include "tokenizer/jinja_eval.h"
#include "tokenizer/jinja_filters.h"
#include "tokenizer/jinja_text.h"

namespace lathe::jinja {

namespace {

std::string pad(std::string body, int width, bool left, char fill = ' ') {
  const auto len = static_cast<int>(utf8_length(body));
  if (len >= width) return body;
  const std::string padding(static_cast<size_t>(width - len), fill);
  return left ? body + padding : padding + body;
}

// %d %i %u %o %x %X with Python's flags: a sign rather than two's complement, "#" prefixes 0o/0x,
// "0" pads between the sign and the digits.
std::string format_integer(int64_t v, char type, const std::string& flags, int width, int precision) {
  const uint64_t mag = v < 0 ? 0 - static_cast<uint64_t>(v) : static_cast<uint64_t>(v);
  std::string digits = type == 'o'   ? c_format("%llo", static_cast<unsigned long long>(mag))
                       : type == 'x' ? c_format("%llx", static_cast<unsigned long long>(mag))
                       : type == 'X' ? c_format("%llX", static_cast<unsigned long long>(mag))
                                     : std::to_string(mag);
  if (precision > static_cast<int>(digits.size())) {
    digits.insert(0, static_cast<size_t>(std::min(precision, 4000)) - digits.size(), '0');
  }
  auto has = [&](char f) { return flags.find(f) != std::string::npos; };
  std::string prefix = v < 0 ? "-" : has('+') ? "+" : has(' ') ? " " : "";
  if (has('#') && type == 'o') prefix += "0o";
  if (has('#') && (type == 'x' || type == 'X')) prefix += type == 'x' ? "0x" : "0X";
  const int len = static_cast<int>(prefix.size() + digits.size());
  if (len >= width) return prefix + digits;
  const size_t fill = static_cast<size_t>(width - len);
  if (has('-')) return prefix + digits + std::string(fill, ' ');
  if (has('0')) return prefix + std::string(fill, '0') + digits;
  return std::string(fill, ' ') + prefix + digits;
}

}  // namespace

std::string percent_format(const std::string& format, const Value& args) {
  const size_t max_text = TextLimit::current();
  ValueList positional;
  const Dict* mapping = nullptr;
  if (args.is_tuple()) {
    positional = args.items();
  } else {
    if (args.is_dict()) mapping = &args.dict();
    positional.push_back(args);
  }
  size_t next_arg = 0;
  bool used_mapping = false;
  auto take = [&]() -> const Value& {
    if (next_arg >= positional.size()) type_error("not enough arguments for format string");
    return positional[next_arg++];
  };
  std::string out;
  for (size_t i = 0; i < format.size(); ++i) {
    if (format[i] != '%') {
      out += format[i];
      continue;
    }
    if (out.size() > max_text)
      raise("LimitExceeded", "a string grew past " + std::to_string(max_text) + " bytes");
    if (++i >= format.size()) raise("ValueError", "incomplete format");
    const Value* arg = nullptr;
    if (format[i] == '(') {
      const size_t close = format.find(')', i);
      if (close == std::string::npos) raise("ValueError", "incomplete format key");
      if (!mapping) type_error("format requires a mapping");
      const Value* v = mapping->find(std::string_view(format).substr(i + 1, close - i - 1));
      if (!v) raise("KeyError", repr_string(format.substr(i + 1, close - i - 1)));
      arg = v;
      used_mapping = true;
      i = close + 1;
    }
    std::string flags;
    while (i < format.size() && std::string_view("-+ #0").find(format[i]) != std::string_view::npos)
      flags += format[i++];
    int width = 0;
    if (i < format.size() && format[i] == '*') {
      const Value& w = take();
      if (!w.is_integral()) type_error("* wants int");
      width = static_cast<int>(std::min<int64_t>(w.as_int(), 1 << 20));
      ++i;
    } else {
      while (i < format.size() && format[i] >= '0' && format[i] <= '9' && width < (1 << 20))
        width = width * 10 + (format[i++] - '0');
    }
    int precision = -1;
    if (i < format.size() && format[i] == '.') {
      ++i;
      precision = 0;
      while (i < format.size() && format[i] >= '0' && format[i] <= '9' && precision < (1 << 20)) {
        precision = precision * 10 + (format[i++] - '0');
      }
    }
    if (i >= format.size()) raise("ValueError", "incomplete format");
    const char type = format[i];
    if (type == '%') {
      out += '%';
      continue;
    }
    if (!arg) arg = &take();
    const bool left = flags.find('-') != std::string::npos;
    std::string body;
    switch (type) {
      case 's':
      case 'r':
      case 'a': {
        body = type == 's' ? arg->to_str() : arg->repr();
        if (precision >= 0) {
          std::u32string cps = decode_utf8(body);
          if (cps.size() > static_cast<size_t>(precision))
            body = encode_utf8(cps.substr(0, static_cast<size_t>(precision)));
        }
        out += pad(std::move(body), width, left);
        continue;
      }
      case 'c': {
        if (arg->is_string() && utf8_length(arg->str()) == 1) {
          body = arg->str();
        } else if (arg->is_integral()) {
          append_utf8(body, static_cast<char32_t>(arg->as_int()));
        } else {
          type_error("%c requires int or char");
        }
        out += pad(std::move(body), width, left);
        continue;
      }
      case 'd':
      case 'i':
      case 'u':
      case 'o':
      case 'x':
      case 'X':
      case 'e':
      case 'E':
      case 'f':
      case 'F':
      case 'g':
      case 'G':
        break;
      default: {
        char buf[128];
        std::snprintf(buf, sizeof buf, "unsupported format character '%c' (0x%x) at index %zu", type,
                      static_cast<unsigned>(static_cast<unsigned char>(type)), i);
        raise("ValueError", buf);
      }
    }
    if (!arg->is_number()) {
      const bool integer_type = std::string_view("diuoxX").find(type) != std::string_view::npos;
      type_error(std::string("%") + type + " format: " +
                 (integer_type && type != 'd' && type != 'i' && type != 'u'
                      ? "an integer is required, not "
                      : "a real number is required, not ") +
                 arg->type_name());
    }
    if (std::string_view("diuoxX").find(type) != std::string_view::npos) {
      if (arg->is_float() && type != 'd' && type != 'i' && type != 'u') {
        type_error(std::string("%") + type + " format: an integer is required, not float");
      }
      out += format_integer(arg->is_float() ? static_cast<int64_t>(arg->as_float()) : arg->as_int(), type,
                            flags, width, precision);
    } else {
      const std::string spec = "%" + flags + (width > 0 ? std::to_string(std::min(width, 4096)) : "") + "." +
                               std::to_string(precision < 0 ? 6 : std::min(precision, 4000)) + type;
      out += c_format(spec.c_str(), arg->as_float());
    }
  }
  // Python skips this check when the argument can be subscripted (a list, dict or range).
  const bool subscriptable = args.is_list() || args.is_dict() || args.is_undefined() ||
                             (args.is_view() && args.view_type() == "range");
  if (!used_mapping && !subscriptable && next_arg < positional.size()) {
    type_error("not all arguments converted during string formatting");
  }
  return out;
}

// ---- str.format

namespace {

// Applies a format spec ([[fill]align][sign][#][0][width][,][.precision][type]) to one value.
std::string format_field(const Value& value, const std::string& spec) {
  if (spec.empty()) return value.to_str();
  size_t i = 0;
  std::string fill = " ";
  char align = 0;
  // [[fill]align]: the fill may be any character.
  {
    size_t j = 0;
    std::u32string head = decode_utf8(std::string_view(spec).substr(0, std::min<size_t>(spec.size(), 8)));
    if (head.size() >= 2 && std::u32string_view(U"<>^=").find(head[1]) != std::u32string_view::npos) {
      fill.clear();
      append_utf8(fill, head[0]);
      align = static_cast<char>(head[1]);
      j = fill.size() + 1;
    } else if (!head.empty() && std::u32string_view(U"<>^=").find(head[0]) != std::u32string_view::npos) {
      align = static_cast<char>(head[0]);
      j = 1;
    }
    i = j;
  }
  char sign = 0;
  if (i < spec.size() && (spec[i] == '+' || spec[i] == '-' || spec[i] == ' ')) sign = spec[i++];
  bool alternate = false;
  if (i < spec.size() && spec[i] == '#') alternate = true, ++i;
  if (i < spec.size() && spec[i] == '0') {
    if (!align) {
      fill = "0";
      align = '=';
    }
    ++i;
  }
  int width = 0;
  while (i < spec.size() && spec[i] >= '0' && spec[i] <= '9' && width < 100000)
    width = width * 10 + (spec[i++] - '0');
  bool grouping = false;
  if (i < spec.size() && (spec[i] == ',' || spec[i] == '_')) grouping = true, ++i;
  int precision = -1;
  if (i < spec.size() && spec[i] == '.') {
    ++i;
    precision = 0;
    while (i < spec.size() && spec[i] >= '0' && spec[i] <= '9' && precision < 10000)
      precision = precision * 10 + (spec[i++] - '0');
  }
  char type = i < spec.size() ? spec[i++] : 0;
  if (i != spec.size()) raise("ValueError", "Invalid format specifier");

  std::string body;
  std::string sign_str;
  if (value.is_string() || (!value.is_number())) {
    if (!value.is_string() && !value.is_undefined()) {
      type_error("unsupported format string passed to " + value.type_name() + ".__format__");
    }
    if (type != 0 && type != 's')
      raise("ValueError", std::string("Unknown format code '") + type + "' for object of type 'str'");
    body = value.to_str();
    if (precision >= 0) {
      std::u32string cps = decode_utf8(body);
      if (cps.size() > static_cast<size_t>(precision))
        body = encode_utf8(cps.substr(0, static_cast<size_t>(precision)));
    }
    if (!align) align = '<';
  } else {
    const bool as_int = value.is_integral() && (type == 0 || type == 'd' || type == 'x' || type == 'X' ||
                                                type == 'o' || type == 'b');
    if (as_int) {
      const int64_t v = value.as_int();
      const uint64_t mag = v < 0 ? 0 - static_cast<uint64_t>(v) : static_cast<uint64_t>(v);
      if (type == 'x' || type == 'X' || type == 'o') {
        body = c_format(type == 'x'   ? "%llx"
                        : type == 'X' ? "%llX"
                                      : "%llo",
                        static_cast<unsigned long long>(mag));
      } else if (type == 'b') {
        for (uint64_t m = mag; m; m >>= 1) body.insert(body.begin(), static_cast<char>('0' + (m & 1)));
        if (body.empty()) body = "0";
      } else {
        body = std::to_string(mag);
        if (grouping) {
          for (int k = static_cast<int>(body.size()) - 3; k > 0; k -= 3)
            body.insert(static_cast<size_t>(k), ",");
        }
      }
      if (alternate && type != 0 && type != 'd') {
        body.insert(0, type == 'b' ? "0b" : type == 'o' ? "0o" : type == 'x' ? "0x" : "0X");
      }
      if (v < 0) sign_str = "-";
    } else {
      if (value.is_integral() && type != 0 &&
          std::string_view("eEfFgG%").find(type) == std::string_view::npos) {
        raise("ValueError", std::string("Unknown format code '") + type + "' for object of type 'int'");
      }
      double v = value.as_float();
      if (std::signbit(v)) sign_str = "-", v = -v;
      if (type == '%') {
        body = c_format("%.*f%%", precision < 0 ? 6 : precision, v * 100);
      } else if (type == 0) {
        body = precision < 0 ? repr_float(v) : c_format("%.*g", precision == 0 ? 1 : precision, v);
      } else if (std::string_view("eEfFgG").find(type) != std::string_view::npos) {
        const char f[] = {'%', '.', '*', type, 0};
        body = c_format(f, precision < 0 ? 6 : precision, v);
      } else {
        raise("ValueError", std::string("Unknown format code '") + type + "' for object of type 'float'");
      }
    }
    if (sign_str.empty() && sign == '+') sign_str = "+";
    if (sign_str.empty() && sign == ' ') sign_str = " ";
    if (!align) align = '>';
  }
  const auto len = static_cast<int>(utf8_length(body) + sign_str.size());
  if (len >= width) return sign_str + body;
  const int total = width - len;
  auto repeat_fill = [&](int n) {
    std::string out;
    for (int k = 0; k < n; ++k) out += fill;
    return out;
  };
  switch (align) {
    case '<':
      return sign_str + body + repeat_fill(total);
    case '^':
      return repeat_fill(total / 2) + sign_str + body + repeat_fill(total - total / 2);
    case '=':
      return sign_str + repeat_fill(total) + body;
    default:
      return repeat_fill(total) + sign_str + body;
  }
}

}  // namespace

std::string python_format(Interpreter& interp, const std::string& format, CallArgs& args) {
  std::string out;
  size_t auto_index = 0;
  bool used_auto = false;
  bool used_manual = false;
  for (size_t i = 0; i < format.size(); ++i) {
    const char c = format[i];
    if (c == '}') {
      if (i + 1 < format.size() && format[i + 1] == '}') {
        out += '}';
        ++i;
        continue;
      }
      raise("ValueError", "Single '}' encountered in format string");
    }
    if (c != '{') {
      out += c;
      continue;
    }
    if (i + 1 < format.size() && format[i + 1] == '{') {
      out += '{';
      ++i;
      continue;
    }
    const size_t close = format.find('}', i);
    if (close == std::string::npos) raise("ValueError", "Single '{' encountered in format string");
    std::string field = format.substr(i + 1, close - i - 1);
    i = close;
    std::string spec;
    char conversion = 0;
    if (size_t colon = field.find(':'); colon != std::string::npos) {
      spec = field.substr(colon + 1);
      field.resize(colon);
    }
    if (size_t bang = field.find('!'); bang != std::string::npos) {
      if (bang + 2 != field.size()) raise("ValueError", "expected ':' after conversion specifier");
      conversion = field[bang + 1];
      field.resize(bang);
    }
    // The argument: "", a number, or a keyword name; then .attr / [key] parts.
    size_t end = field.find_first_of(".[");
    std::string head = field.substr(0, end);
    Value value;
    if (head.empty()) {
      if (used_manual)
        raise("ValueError", "cannot switch from manual field specification to automatic field numbering");
      used_auto = true;
      if (auto_index >= args.positional.size()) {
        raise("IndexError",
              "Replacement index " + std::to_string(auto_index) + " out of range for positional args tuple");
      }
      value = args.positional[auto_index++];
    } else if (head.find_first_not_of("0123456789") == std::string::npos) {
      if (used_auto)
        raise("ValueError", "cannot switch from automatic field numbering to manual field specification");
      used_manual = true;
      const size_t index = head.size() > 9 ? SIZE_MAX : std::stoul(head);
      if (index >= args.positional.size()) {
        raise("IndexError", "Replacement index " + head + " out of range for positional args tuple");
      }
      value = args.positional[index];
    } else {
      auto it = std::find_if(args.keyword.begin(), args.keyword.end(),
                             [&](const auto& kv) { return kv.first == head; });
      if (it == args.keyword.end()) raise("KeyError", repr_string(head));
      value = it->second;
    }
    while (end != std::string::npos && end < field.size()) {
      if (field[end] == '.') {
        size_t next = field.find_first_of(".[", end + 1);
        value = interp.get_attr(
            value, field.substr(end + 1, next == std::string::npos ? std::string::npos : next - end - 1));
        end = next;
      } else {
        size_t close_bracket = field.find(']', end);
        if (close_bracket == std::string::npos) raise("ValueError", "Missing ']' in format string");
        std::string key = field.substr(end + 1, close_bracket - end - 1);
        Value k = key.find_first_not_of("0123456789") == std::string::npos && !key.empty() && key.size() < 10
                      ? Value(static_cast<int64_t>(std::stol(key)))
                      : Value(key);
        value = interp.get_item(value, k);
        end = close_bracket + 1 < field.size() ? close_bracket + 1 : std::string::npos;
      }
    }
    if (conversion == 'r' || conversion == 'a') value = Value(value.repr());
    if (conversion == 's') value = Value(value.to_str());
    out += format_field(value, spec);
    interp.check_string_size(out.size());
  }
  return out;
}

}  // namespace lathe::jinja
