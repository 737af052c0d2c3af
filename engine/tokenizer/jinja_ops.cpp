// Python's operators on template values, with Python's results and error messages.
#include <algorithm>
#include <cmath>
#include <cstdio>

#include "tokenizer/jinja_eval.h"
#include "tokenizer/jinja_filters.h"
#include "tokenizer/jinja_text.h"

namespace lathe::jinja {

namespace {

const char* op_symbol(BinaryOp op) {
  switch (op) {
    case BinaryOp::Add:
      return "+";
    case BinaryOp::Sub:
      return "-";
    case BinaryOp::Mul:
      return "*";
    case BinaryOp::Div:
      return "/";
    case BinaryOp::FloorDiv:
      return "//";
    case BinaryOp::Mod:
      return "%";
    case BinaryOp::Pow:
      return "** or pow()";
    default:
      return "?";
  }
}

[[noreturn]] void unsupported(BinaryOp op, const Value& a, const Value& b) {
  type_error(std::string("unsupported operand type(s) for ") + op_symbol(op) + ": '" + a.type_name() +
             "' and '" + b.type_name() + "'");
}

// Markup % args: markupsafe escapes each argument (strings, and what %s would print of others).
Value escape_one(const Value& v) {
  if (v.is_markup() || v.is_number() || v.is_none() || v.is_undefined()) return v;
  if (v.is_string()) return Value::markup(html_escape(v.str()));
  return Value::markup(html_escape(v.to_str()));
}

Value escape_args(const Value& args) {
  if (args.is_tuple()) {
    ValueList items;
    for (const Value& v : args.items()) items.push_back(escape_one(v));
    return Value::tuple(std::move(items));
  }
  if (args.is_dict()) {
    Dict d;
    for (const auto& [k, v] : args.dict().entries()) d.set(k, escape_one(v));
    return Value::dict(std::move(d));
  }
  return escape_one(args);
}

[[noreturn]] void overflow() { raise("OverflowError", "integer result does not fit in 64 bits"); }

Value repeat(Interpreter& interp, const Value& seq, int64_t times) {
  if (times < 0) times = 0;
  const uint64_t n = static_cast<uint64_t>(times);
  if (seq.is_string()) {
    const uint64_t size = seq.str().size();
    if (size != 0) interp.check_string_size(n > UINT64_MAX / size ? UINT64_MAX : n * size);
    std::string out;
    out.reserve(size * n);
    for (uint64_t i = 0; i < n; ++i) out += seq.str();
    Value result = interp.make_string(std::move(out));
    return seq.is_markup() ? Value::markup(result.str()) : result;
  }
  const uint64_t size = seq.items().size();
  if (size != 0)
    interp.charge(n > UINT64_MAX / (size * sizeof(Value)) ? UINT64_MAX : n * size * sizeof(Value));
  ValueList out;
  for (uint64_t i = 0; i < n; ++i) out.insert(out.end(), seq.items().begin(), seq.items().end());
  return seq.is_tuple() ? Value::tuple(std::move(out)) : Value::list(std::move(out));
}

double float_mod(double a, double b) {
  double mod = std::fmod(a, b);
  if (mod != 0.0) {
    if ((b < 0) != (mod < 0)) mod += b;
  } else {
    mod = std::copysign(0.0, b);
  }
  return mod;
}

double float_floordiv(double a, double b) {
  double mod = std::fmod(a, b);
  double div = (a - mod) / b;
  if (mod != 0.0 && (b < 0) != (mod < 0)) div -= 1.0;
  if (div != 0.0) {
    double floordiv = std::floor(div);
    if (div - floordiv > 0.5) floordiv += 1.0;
    return floordiv;
  }
  return std::copysign(0.0, a / b);
}

Value int_pow(int64_t base, int64_t exp) {
  int64_t result = 1;
  while (exp > 0) {
    if (exp & 1) {
      if (__builtin_mul_overflow(result, base, &result)) overflow();
    }
    exp >>= 1;
    if (exp > 0 && __builtin_mul_overflow(base, base, &base)) overflow();
  }
  return Value(result);
}

Value arithmetic(BinaryOp op, const Value& a, const Value& b) {
  if (a.is_integral() && b.is_integral()) {
    const int64_t x = a.as_int();
    const int64_t y = b.as_int();
    int64_t r = 0;
    switch (op) {
      case BinaryOp::Add:
        if (__builtin_add_overflow(x, y, &r)) overflow();
        return Value(r);
      case BinaryOp::Sub:
        if (__builtin_sub_overflow(x, y, &r)) overflow();
        return Value(r);
      case BinaryOp::Mul:
        if (__builtin_mul_overflow(x, y, &r)) overflow();
        return Value(r);
      case BinaryOp::Div:
        if (y == 0) raise("ZeroDivisionError", "division by zero");
        return Value(static_cast<double>(x) / static_cast<double>(y));
      case BinaryOp::FloorDiv: {
        if (y == 0) raise("ZeroDivisionError", "integer division or modulo by zero");
        if (x == INT64_MIN && y == -1) overflow();
        int64_t q = x / y;
        if (x % y != 0 && ((x < 0) != (y < 0))) --q;
        return Value(q);
      }
      case BinaryOp::Mod: {
        if (y == 0) raise("ZeroDivisionError", "integer modulo by zero");
        if (y == -1) return Value(int64_t{0});
        int64_t m = x % y;
        if (m != 0 && ((m < 0) != (y < 0))) m += y;
        return Value(m);
      }
      case BinaryOp::Pow:
        if (y >= 0) return int_pow(x, y);
        if (x == 0) raise("ZeroDivisionError", "0.0 cannot be raised to a negative power");
        return Value(std::pow(static_cast<double>(x), static_cast<double>(y)));
      default:
        break;
    }
  }
  const double x = a.as_float();
  const double y = b.as_float();
  switch (op) {
    case BinaryOp::Add:
      return Value(x + y);
    case BinaryOp::Sub:
      return Value(x - y);
    case BinaryOp::Mul:
      return Value(x * y);
    case BinaryOp::Div:
      if (y == 0.0) raise("ZeroDivisionError", "float division by zero");
      return Value(x / y);
    case BinaryOp::FloorDiv:
      if (y == 0.0) raise("ZeroDivisionError", "float floor division by zero");
      return Value(float_floordiv(x, y));
    case BinaryOp::Mod:
      if (y == 0.0) raise("ZeroDivisionError", "float modulo");
      return Value(float_mod(x, y));
    case BinaryOp::Pow: {
      if (x == 0.0 && y < 0) raise("ZeroDivisionError", "0.0 cannot be raised to a negative power");
      if (x < 0 && std::floor(y) != y)
        raise("ValueError", "negative number cannot be raised to a fractional power");
      const double r = std::pow(x, y);
      if (std::isinf(r) && std::isfinite(x) && std::isfinite(y))
        raise("OverflowError", "(34, 'Numerical result out of range')");
      return Value(r);
    }
    default:
      return Value();
  }
}

}  // namespace

Value binary_operator(Interpreter& interp, BinaryOp op, const Value& a, const Value& b) {
  if (op == BinaryOp::Concat) {
    std::string left = a.to_str();
    std::string right = b.to_str();
    interp.check_string_size(left.size() + right.size());
    return interp.make_string(left + right);
  }
  if (a.is_undefined()) a.raise_undefined();
  if (op == BinaryOp::Mod && a.is_string()) {  // str % Undefined formats ("%s" gives "")
    if (a.is_markup())
      return Value::markup(interp.make_string(percent_format(a.str(), escape_args(b))).str());
    return interp.make_string(percent_format(a.str(), b));
  }
  if (b.is_undefined()) b.raise_undefined();
  if (a.is_number() && b.is_number()) return arithmetic(op, a, b);
  switch (op) {
    case BinaryOp::Add:
      if (a.is_string() && b.is_string()) {
        if (a.is_markup() || b.is_markup()) {  // Markup escapes the plain side
          const std::string left = a.is_markup() ? a.str() : html_escape(a.str());
          const std::string right = b.is_markup() ? b.str() : html_escape(b.str());
          interp.check_string_size(left.size() + right.size());
          return Value::markup(interp.make_string(left + right).str());
        }
        interp.check_string_size(a.str().size() + b.str().size());
        return interp.make_string(a.str() + b.str());
      }
      if (a.kind() == b.kind() && a.is_sequence()) {
        ValueList out = a.items();
        out.insert(out.end(), b.items().begin(), b.items().end());
        return interp.make_list(std::move(out), a.is_tuple());
      }
      if (a.is_string() || a.is_sequence()) {
        type_error("can only concatenate " + a.type_name() + " (not \"" + b.type_name() + "\") to " +
                   a.type_name());
      }
      unsupported(op, a, b);
    case BinaryOp::Mul:
      if ((a.is_string() || a.is_sequence()) && b.is_integral()) return repeat(interp, a, b.as_int());
      if ((b.is_string() || b.is_sequence()) && a.is_integral()) return repeat(interp, b, a.as_int());
      if (a.is_string() || a.is_sequence())
        type_error("can't multiply sequence by non-int of type '" + b.type_name() + "'");
      if (b.is_string() || b.is_sequence())
        type_error("can't multiply sequence by non-int of type '" + a.type_name() + "'");
      unsupported(op, a, b);
    case BinaryOp::Mod:
      unsupported(op, a, b);
    default:
      unsupported(op, a, b);
  }
}

Value unary_operator(UnaryOp op, const Value& a) {
  if (a.is_undefined()) a.raise_undefined();
  if (a.is_integral()) {
    if (op == UnaryOp::Pos) return Value(a.as_int());
    if (a.as_int() == INT64_MIN) overflow();
    return Value(-a.as_int());
  }
  if (a.is_float()) return Value(op == UnaryOp::Neg ? -a.as_float() : a.as_float());
  type_error(std::string("bad operand type for unary ") + (op == UnaryOp::Neg ? "-" : "+") + ": '" +
             a.type_name() + "'");
}

bool contains(const Value& container, const Value& item) {
  switch (container.kind()) {
    case Value::Kind::Undefined:
      return false;
    case Value::Kind::String:
      if (!item.is_string()) {
        type_error("'in <string>' requires string as left operand, not " + item.type_name());
      }
      return container.str().find(item.str()) != std::string::npos;
    case Value::Kind::View:
      if (const JinjaError* error = container.deferred_error()) throw JinjaException(*error);
      [[fallthrough]];
    case Value::Kind::List:
    case Value::Kind::Tuple:
      for (const Value& v : container.items()) {
        if (equals(v, item)) return true;
      }
      return false;
    case Value::Kind::Dict:
      return container.dict().find(item) != nullptr;
    default:
      type_error("argument of type '" + container.type_name() + "' is not iterable");
  }
}

}  // namespace lathe::jinja
