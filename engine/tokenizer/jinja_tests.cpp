// Jinja2's builtin tests (`x is defined`, `n is divisibleby 3`, ...), with Python's notion of
// which values are iterable, sequences, numbers and so on.
#include <unordered_map>

#include "tokenizer/jinja_eval.h"
#include "tokenizer/jinja_filters.h"
#include "tokenizer/jinja_text.h"

namespace lathe::jinja {

namespace {

using A = CallArgs;

bool t_defined(Interpreter&, const Value& v, A&) { return !v.is_undefined(); }
bool t_undefined(Interpreter&, const Value& v, A&) { return v.is_undefined(); }
bool t_none(Interpreter&, const Value& v, A&) { return v.is_none(); }
bool t_boolean(Interpreter&, const Value& v, A&) { return v.is_bool(); }
bool t_true(Interpreter&, const Value& v, A&) { return v.is_bool() && v.as_bool(); }
bool t_false(Interpreter&, const Value& v, A&) { return v.is_bool() && !v.as_bool(); }
bool t_string(Interpreter&, const Value& v, A&) { return v.is_string(); }
bool t_number(Interpreter&, const Value& v, A&) { return v.is_number(); }
bool t_integer(Interpreter&, const Value& v, A&) { return v.is_int(); }
bool t_float(Interpreter&, const Value& v, A&) { return v.is_float(); }
bool t_mapping(Interpreter&, const Value& v, A&) { return v.is_dict(); }
// Undefined and the loop variable have __call__ in Jinja2, so callable() is true for them.
bool t_callable(Interpreter&, const Value& v, A&) {
  return v.is_undefined() || v.is_callable() || (v.is_object() && v.type_name() == "LoopContext");
}
bool t_escaped(Interpreter&, const Value& v, A&) { return v.is_markup(); }
bool t_iterable(Interpreter&, const Value& v, A&) {
  return v.is_undefined() || v.is_string() || v.has_items() || v.is_dict() ||
         (v.is_object() && v.type_name() == "LoopContext");
}
bool t_sequence(Interpreter&, const Value& v, A&) {
  return v.is_undefined() || v.is_string() || v.is_sequence() || v.is_dict() ||
         (v.is_view() && v.view_type() == "range");
}
bool t_lower(Interpreter&, const Value& v, A&) {
  const std::string s = v.to_str();
  return to_lower(s) == s && to_upper(s) != s;
}
bool t_upper(Interpreter&, const Value& v, A&) {
  const std::string s = v.to_str();
  return to_upper(s) == s && to_lower(s) != s;
}

Value one_arg(A& args, const char* name) { return bind_args(args, name, {{"other", std::nullopt}})[0]; }

bool t_eq(Interpreter&, const Value& v, A& args) { return equals(v, one_arg(args, "eq")); }
bool t_ne(Interpreter&, const Value& v, A& args) { return !equals(v, one_arg(args, "ne")); }
bool t_lt(Interpreter&, const Value& v, A& args) { return compare(v, one_arg(args, "lt"), "<") < 0; }
bool t_le(Interpreter&, const Value& v, A& args) { return compare(v, one_arg(args, "le"), "<=") <= 0; }
bool t_gt(Interpreter&, const Value& v, A& args) { return compare(v, one_arg(args, "gt"), ">") > 0; }
bool t_ge(Interpreter&, const Value& v, A& args) { return compare(v, one_arg(args, "ge"), ">=") >= 0; }
bool t_in(Interpreter&, const Value& v, A& args) {
  return contains(bind_args(args, "in", {{"seq", std::nullopt}})[0], v);
}
bool t_sameas(Interpreter&, const Value& v, A& args) {
  const Value other = one_arg(args, "sameas");
  if (v.kind() != other.kind()) return false;
  switch (v.kind()) {
    case Value::Kind::None:
    case Value::Kind::Bool:
    case Value::Kind::Int:
    case Value::Kind::Float:
    case Value::Kind::String:
      return equals(v, other);
    case Value::Kind::Object:
      return v.object_ptr() == other.object_ptr();
    case Value::Kind::List:
    case Value::Kind::Tuple:
    case Value::Kind::View:
      return &v.items() == &other.items();
    case Value::Kind::Dict:
      return &v.dict() == &other.dict();
    default:
      return false;
  }
}
bool t_divisibleby(Interpreter& in, const Value& v, A& args) {
  const Value num = bind_args(args, "divisibleby", {{"num", std::nullopt}})[0];
  return equals(binary_operator(in, BinaryOp::Mod, v, num), Value(int64_t{0}));
}
bool t_odd(Interpreter& in, const Value& v, A& args) {
  bind_args(args, "odd", {});
  return equals(binary_operator(in, BinaryOp::Mod, v, Value(int64_t{2})), Value(int64_t{1}));
}
bool t_even(Interpreter& in, const Value& v, A& args) {
  bind_args(args, "even", {});
  return equals(binary_operator(in, BinaryOp::Mod, v, Value(int64_t{2})), Value(int64_t{0}));
}
bool t_filter(Interpreter&, const Value& v, A&) { return v.is_string() && find_filter(v.str()) != nullptr; }
bool t_test(Interpreter&, const Value& v, A&) { return v.is_string() && find_test(v.str()) != nullptr; }

}  // namespace

TestFn find_test(std::string_view name) {
  static const std::unordered_map<std::string_view, TestFn> tests = {
      {"boolean", t_boolean},
      {"callable", t_callable},
      {"defined", t_defined},
      {"divisibleby", t_divisibleby},
      {"eq", t_eq},
      {"equalto", t_eq},
      {"==", t_eq},
      {"escaped", t_escaped},
      {"even", t_even},
      {"false", t_false},
      {"filter", t_filter},
      {"float", t_float},
      {"ge", t_ge},
      {">=", t_ge},
      {"gt", t_gt},
      {"greaterthan", t_gt},
      {">", t_gt},
      {"in", t_in},
      {"integer", t_integer},
      {"iterable", t_iterable},
      {"le", t_le},
      {"<=", t_le},
      {"lower", t_lower},
      {"lt", t_lt},
      {"lessthan", t_lt},
      {"<", t_lt},
      {"mapping", t_mapping},
      {"ne", t_ne},
      {"!=", t_ne},
      {"none", t_none},
      {"number", t_number},
      {"odd", t_odd},
      {"sameas", t_sameas},
      {"sequence", t_sequence},
      {"string", t_string},
      {"test", t_test},
      {"true", t_true},
      {"undefined", t_undefined},
      {"upper", t_upper},
  };
  auto it = tests.find(name);
  return it == tests.end() ? nullptr : it->second;
}

}  // namespace lathe::jinja
