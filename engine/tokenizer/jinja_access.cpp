// Reading values the way Jinja2's sandboxed environment does: obj.attr and obj[key] (a dict's
// methods shadow its keys for obj.attr; missing ones give undefined values that name what was
// missing), slicing, and Python iteration.
#include <algorithm>

#include "tokenizer/jinja_eval.h"
#include "tokenizer/jinja_text.h"

namespace lathe::jinja {

namespace {

// How Jinja2 names an object in "'dict object' has no attribute 'x'".
std::string object_description(const Value& obj) {
  if (obj.is_none()) return "None";
  if (obj.is_object()) return obj.object().object_description();
  return obj.type_name() + " object";
}

Value missing_attribute(const Value& obj, const std::string& name) {
  return Value::undefined(repr_string(object_description(obj)) + " has no attribute " + repr_string(name));
}

Value missing_element(const Value& obj, const Value& key) {
  if (key.is_string()) return missing_attribute(obj, key.str());
  return Value::undefined(object_description(obj) + " has no element " + key.repr());
}

// Python's slice.indices(): clamps start/stop for a sequence of length n.
void slice_indices(const Value& start_v, const Value& stop_v, const Value& step_v, int64_t n, int64_t& start,
                   int64_t& stop, int64_t& step) {
  auto index_of = [](const Value& v) {
    if (!v.is_integral()) type_error("slice indices must be integers or None or have an __index__ method");
    return v.as_int();
  };
  step = step_v.is_none() ? 1 : index_of(step_v);
  if (step == 0) raise("ValueError", "slice step cannot be zero");
  auto clamp = [&](const Value& v, int64_t fallback) {
    if (v.is_none()) return fallback;
    int64_t i = index_of(v);
    if (i < 0) i += n;
    if (step > 0) return std::clamp<int64_t>(i, 0, n);
    return std::clamp<int64_t>(i, -1, n - 1);
  };
  start = clamp(start_v, step > 0 ? 0 : n - 1);
  stop = clamp(stop_v, step > 0 ? n : -1);
}

}  // namespace

Value Interpreter::eval_slice(const Expr& e) {
  Value obj = eval(*e.a);
  Value start = e.b ? eval(*e.b) : Value::none();
  Value stop = e.c ? eval(*e.c) : Value::none();
  Value step = e.d ? eval(*e.d) : Value::none();
  if (obj.is_undefined()) obj.raise_undefined();
  int64_t b = 0, s = 0, st = 0;
  if (obj.is_sequence() ||
      (obj.is_view() && obj.view_type() == "range")) {  // a sliced range comes out a list
    const ValueList& items = obj.items();
    slice_indices(start, stop, step, static_cast<int64_t>(items.size()), b, s, st);
    ValueList out;
    for (int64_t i = b; st > 0 ? i < s : i > s; i += st) out.push_back(items[static_cast<size_t>(i)]);
    return make_list(std::move(out), obj.is_tuple());
  }
  if (obj.is_string()) {
    const std::string& str = obj.str();
    std::string out;
    if (is_ascii(str)) {
      slice_indices(start, stop, step, static_cast<int64_t>(str.size()), b, s, st);
      for (int64_t i = b; st > 0 ? i < s : i > s; i += st) out += str[static_cast<size_t>(i)];
    } else {
      const std::u32string cps = decode_utf8(str);
      slice_indices(start, stop, step, static_cast<int64_t>(cps.size()), b, s, st);
      std::u32string part;
      for (int64_t i = b; st > 0 ? i < s : i > s; i += st) part += cps[static_cast<size_t>(i)];
      out = encode_utf8(part);
    }
    Value result = make_string(std::move(out));
    return obj.is_markup() ? Value::markup(result.str()) : result;
  }
  // Jinja2 compiles slices to plain Python subscripts, which raise rather than give undefined.
  if (obj.is_dict()) type_error("unhashable type: 'slice'");
  type_error("'" + obj.type_name() + "' object is not subscriptable");
}

// ---- Attribute and item access (Jinja2's sandboxed getattr / getitem)

Value Interpreter::get_attr(const Value& obj, const std::string& name) {
  switch (obj.kind()) {
    case Value::Kind::Undefined:
      obj.raise_undefined();
    case Value::Kind::Object:
      if (auto v = obj.object().get_attr(name)) return *v;
      return missing_attribute(obj, name);
    case Value::Kind::String:
    case Value::Kind::List:
    case Value::Kind::Tuple:
    case Value::Kind::Dict:
      if (auto v = builtin_attribute(obj, name)) return *v;
      if (obj.is_dict()) {
        if (const Value* v = obj.dict().find(name)) return *v;
      }
      return missing_attribute(obj, name);
    default:
      return missing_attribute(obj, name);
  }
}

Value Interpreter::get_item(const Value& obj, const Value& key) {
  switch (obj.kind()) {
    case Value::Kind::Undefined:
      obj.raise_undefined();
    case Value::Kind::Dict: {
      const Value* v = nullptr;
      if (!key.is_sequence() && !key.is_dict()) v = obj.dict().find(key);
      if (v) return *v;
      break;
    }
    case Value::Kind::View:
      if (obj.view_type() != "range") break;
      [[fallthrough]];
    case Value::Kind::List:
    case Value::Kind::Tuple:
      if (key.is_integral()) {
        const ValueList& items = obj.items();
        int64_t i = key.as_int();
        if (i < 0) i += static_cast<int64_t>(items.size());
        if (i >= 0 && i < static_cast<int64_t>(items.size())) return items[static_cast<size_t>(i)];
        return missing_element(obj, key);
      }
      break;
    case Value::Kind::String:
      if (key.is_integral()) {
        const std::string& s = obj.str();
        int64_t i = key.as_int();
        if (is_ascii(s)) {
          if (i < 0) i += static_cast<int64_t>(s.size());
          if (i >= 0 && i < static_cast<int64_t>(s.size())) {
            std::string c(1, s[static_cast<size_t>(i)]);
            return obj.is_markup() ? Value::markup(std::move(c)) : Value(std::move(c));
          }
        } else {
          const std::u32string cps = decode_utf8(s);
          if (i < 0) i += static_cast<int64_t>(cps.size());
          if (i >= 0 && i < static_cast<int64_t>(cps.size())) {
            std::string c = encode_utf8(std::u32string_view(cps).substr(static_cast<size_t>(i), 1));
            return obj.is_markup() ? Value::markup(std::move(c)) : Value(std::move(c));
          }
        }
        return missing_element(obj, key);
      }
      break;
    case Value::Kind::Object:
      if (key.is_string()) return get_attr(obj, key.str());
      break;
    default:
      break;
  }
  if (key.is_string() && (obj.is_string() || obj.is_sequence() || obj.is_dict())) {
    if (auto v = builtin_attribute(obj, key.str())) return *v;
  }
  return missing_element(obj, key);
}

ValueList Interpreter::iterate(const Value& v) {
  switch (v.kind()) {
    case Value::Kind::Undefined:
      return {};
    case Value::Kind::View:
      if (const JinjaError* error = v.deferred_error()) throw JinjaException(*error);
      return v.items();
    case Value::Kind::List:
    case Value::Kind::Tuple:
      return v.items();
    case Value::Kind::Dict: {
      ValueList keys;
      keys.reserve(v.dict().size());
      for (const auto& kv : v.dict().entries()) keys.push_back(kv.first);
      return keys;
    }
    case Value::Kind::String: {
      ValueList chars;
      const std::string& s = v.str();
      charge(s.size() * sizeof(Value));
      for (size_t i = 0; i < s.size();) {
        const size_t at = i;
        decode_at(s, i);
        chars.emplace_back(s.substr(at, i - at));
      }
      return chars;
    }
    default:
      type_error("'" + v.type_name() + "' object is not iterable");
  }
}

}  // namespace lathe::jinja
