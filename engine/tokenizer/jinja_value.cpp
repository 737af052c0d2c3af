#include "tokenizer/jinja_value.h"

#include <algorithm>
#include <cmath>
#include <compare>

#include "tokenizer/jinja_text.h"

namespace lathe::jinja {

namespace {

// Guards recursion over values (printing, comparing, serializing), which namespaces can make
// cyclic. Thread-local rather than a parameter so that it also counts through Object::repr().
thread_local int t_traversal_depth = 0;

struct TraversalGuard {
  TraversalGuard() {
    if (++t_traversal_depth > kMaxValueDepth + 8) {
      --t_traversal_depth;
      raise("LimitExceeded", "value nested too deeply (or refers to itself)");
    }
  }
  ~TraversalGuard() { --t_traversal_depth; }
  TraversalGuard(const TraversalGuard&) = delete;
  TraversalGuard& operator=(const TraversalGuard&) = delete;
};

int child_depth(const Value& v) { return v.depth(); }

int depth_of(const ValueList& items) {
  int depth = 0;
  for (const Value& v : items) depth = std::max(depth, child_depth(v));
  return depth + 1;
}

// The longest text printing or serializing one value may produce (TextLimit); containers share
// their strings, so [s] * 1000 is small while its repr would not be.
thread_local size_t t_max_text = SIZE_MAX;

void check_text(const std::string& out) {
  if (out.size() > t_max_text)
    raise("LimitExceeded", "a string grew past " + std::to_string(t_max_text) + " bytes");
}

std::string repr_at(const Value& v, int depth);

std::string repr_items(const ValueList& items, int depth) {
  std::string out;
  for (size_t i = 0; i < items.size(); ++i) {
    if (i) out += ", ";
    out += repr_at(items[i], depth + 1);
    check_text(out);
  }
  return out;
}

std::string repr_dict(const Dict& dict, int depth) {
  std::string out = "{";
  bool first = true;
  for (const auto& [k, v] : dict.entries()) {
    if (!first) out += ", ";
    first = false;
    out += repr_at(k, depth + 1);
    out += ": ";
    out += repr_at(v, depth + 1);
    check_text(out);
  }
  return out + "}";
}

std::string repr_at(const Value& v, int depth) {
  TraversalGuard guard;
  switch (v.kind()) {
    case Value::Kind::Undefined:
      return "Undefined";
    case Value::Kind::String:
      return v.is_markup() ? "Markup(" + repr_string(v.str()) + ")" : repr_string(v.str());
    case Value::Kind::View: {
      const std::string& type = v.view_type();
      if (type == "generator") return "<generator object " + v.view_label() + " at 0x7f0000000000>";
      if (type == "range") return v.view_label();
      if (type.rfind("dict_", 0) == 0 && type.find("iterator") == std::string::npos) {
        return type + "([" + repr_items(v.items(), depth) + "])";
      }
      return "<" + type + " object at 0x7f0000000000>";
    }
    case Value::Kind::List:
      return "[" + repr_items(v.items(), depth) + "]";
    case Value::Kind::Tuple:
      return "(" + repr_items(v.items(), depth) + (v.items().size() == 1 ? ",)" : ")");
    case Value::Kind::Dict:
      return repr_dict(v.dict(), depth);
    default:
      return v.to_str();
  }
}

bool equals_at(const Value& a, const Value& b, int depth) {
  TraversalGuard guard;
  using K = Value::Kind;
  if (a.is_number() && b.is_number()) {
    if (a.is_integral() && b.is_integral()) return a.as_int() == b.as_int();
    return a.as_float() == b.as_float();
  }
  if (a.kind() != b.kind()) return false;
  switch (a.kind()) {
    case K::Undefined:
    case K::None:
      return true;
    case K::String:
      return a.str() == b.str();
    case K::List:
    case K::Tuple: {
      const ValueList& x = a.items();
      const ValueList& y = b.items();
      if (x.size() != y.size()) return false;
      for (size_t i = 0; i < x.size(); ++i) {
        if (!equals_at(x[i], y[i], depth + 1)) return false;
      }
      return true;
    }
    case K::Dict: {
      if (a.dict().size() != b.dict().size()) return false;
      for (const auto& [k, v] : a.dict().entries()) {
        const Value* other = b.dict().find(k);
        if (!other || !equals_at(v, *other, depth + 1)) return false;
      }
      return true;
    }
    case K::Object:
      return a.object_ptr() == b.object_ptr();
    case K::View: {
      if (a.view_type() != b.view_type()) return false;
      if (&a.items() == &b.items()) return true;
      const std::string& type = a.view_type();
      if (type != "range" && type != "dict_keys" && type != "dict_items") return false;  // by identity
      const ValueList& x = a.items();
      const ValueList& y = b.items();
      if (x.size() != y.size()) return false;
      for (size_t i = 0; i < x.size(); ++i) {
        if (type == "range") {
          if (!equals_at(x[i], y[i], depth + 1)) return false;
          continue;
        }
        bool found = false;  // dict keys and items compare as sets
        for (const Value& other : y) found = found || equals_at(x[i], other, depth + 1);
        if (!found) return false;
      }
      return true;
    }
    default:
      return false;
  }
}

std::partial_ordering compare_at(const Value& a, const Value& b, const char* op, int depth) {
  TraversalGuard guard;
  if (a.is_undefined()) a.raise_undefined();
  if (b.is_undefined()) b.raise_undefined();
  if (a.is_number() && b.is_number()) {
    if (a.is_integral() && b.is_integral()) return a.as_int() <=> b.as_int();
    return a.as_float() <=> b.as_float();
  }
  if (a.is_string() && b.is_string()) {
    const int c = a.str().compare(b.str());  // UTF-8 byte order is code point order
    return c < 0   ? std::partial_ordering::less
           : c > 0 ? std::partial_ordering::greater
                   : std::partial_ordering::equivalent;
  }
  if (a.kind() == b.kind() && a.is_sequence()) {
    const ValueList& x = a.items();
    const ValueList& y = b.items();
    for (size_t i = 0; i < x.size() && i < y.size(); ++i) {
      if (!equals_at(x[i], y[i], depth + 1)) return compare_at(x[i], y[i], op, depth + 1);
    }
    return x.size() <=> y.size();
  }
  type_error(std::string("'") + op + "' not supported between instances of '" + a.type_name() + "' and '" +
             b.type_name() + "'");
}

std::string json_key(const Value& key) {
  switch (key.kind()) {
    case Value::Kind::String:
      return key.str();
    case Value::Kind::Bool:
      return key.as_bool() ? "true" : "false";
    case Value::Kind::None:
      return "null";
    case Value::Kind::Int:
      return std::to_string(key.as_int());
    case Value::Kind::Float: {
      const double f = key.as_float();
      if (std::isnan(f)) return "NaN";
      if (std::isinf(f)) return f < 0 ? "-Infinity" : "Infinity";
      return repr_float(f);
    }
    default:
      type_error("keys must be str, int, float, bool or None, not " + key.type_name());
  }
}

void json_at(std::string& out, const Value& v, const JsonOptions& o, int depth) {
  TraversalGuard guard;
  auto newline = [&](int level) {
    if (!o.indent) return;
    out += '\n';
    for (int i = 0; i < level; ++i) out += *o.indent;
  };
  switch (v.kind()) {
    case Value::Kind::None:
      out += "null";
      return;
    case Value::Kind::Bool:
      out += v.as_bool() ? "true" : "false";
      return;
    case Value::Kind::Int:
      out += std::to_string(v.as_int());
      return;
    case Value::Kind::Float: {
      const double f = v.as_float();
      if (std::isnan(f)) {
        out += "NaN";
      } else if (std::isinf(f)) {
        out += f < 0 ? "-Infinity" : "Infinity";
      } else {
        out += repr_float(f);
      }
      return;
    }
    case Value::Kind::String:
      out += json_quote(v.str(), o.ensure_ascii);
      return;
    case Value::Kind::List:
    case Value::Kind::Tuple: {
      const ValueList& items = v.items();
      if (items.empty()) {
        out += "[]";
        return;
      }
      out += '[';
      for (size_t i = 0; i < items.size(); ++i) {
        if (i) out += o.item_separator;
        newline(depth + 1);
        json_at(out, items[i], o, depth + 1);
        check_text(out);
      }
      newline(depth);
      out += ']';
      return;
    }
    case Value::Kind::Dict: {
      const Dict& dict = v.dict();
      if (dict.empty()) {
        out += "{}";
        return;
      }
      std::vector<const std::pair<Value, Value>*> entries;
      for (const auto& e : dict.entries()) entries.push_back(&e);
      if (o.sort_keys) {
        std::stable_sort(entries.begin(), entries.end(), [&](const auto* x, const auto* y) {
          return compare_at(x->first, y->first, "<", depth + 1) < 0;
        });
      }
      out += '{';
      for (size_t i = 0; i < entries.size(); ++i) {
        if (i) out += o.item_separator;
        newline(depth + 1);
        out += json_quote(json_key(entries[i]->first), o.ensure_ascii);
        out += o.key_separator;
        json_at(out, entries[i]->second, o, depth + 1);
        check_text(out);
      }
      newline(depth);
      out += '}';
      return;
    }
    case Value::Kind::Undefined:
      type_error("Object of type Undefined is not JSON serializable");
    case Value::Kind::Object:
    case Value::Kind::View:
      type_error("Object of type " + v.type_name() + " is not JSON serializable");
  }
}

std::string hash_key_at(const Value& key, int depth) {
  TraversalGuard guard;
  switch (key.kind()) {
    case Value::Kind::String:
      return "s" + key.str();
    case Value::Kind::Bool:
    case Value::Kind::Int:
      return "i" + std::to_string(key.as_int());
    case Value::Kind::Float: {
      const double f = key.as_float();
      if (std::floor(f) == f && std::fabs(f) < 9.2e18) return "i" + std::to_string(static_cast<int64_t>(f));
      return "f" + repr_float(f);
    }
    case Value::Kind::None:
      return "n";
    case Value::Kind::Undefined:
      return "u";
    case Value::Kind::Tuple: {
      std::string out = "t";
      for (const Value& v : key.items()) {
        std::string k = hash_key_at(v, depth + 1);
        out += std::to_string(k.size()) + ":" + k;
      }
      return out;
    }
    case Value::Kind::Object:
      return "o" + std::to_string(reinterpret_cast<uintptr_t>(&key.object()));
    case Value::Kind::View:
      if (key.view_type().rfind("dict_", 0) == 0 && key.view_type().find("iterator") == std::string::npos)
        break;
      return "o" + std::to_string(reinterpret_cast<uintptr_t>(&key.items()));
    default:
      break;
  }
  type_error("unhashable type: '" + key.type_name() + "'");
}

const std::shared_ptr<const UndefinedData>& default_undefined() {
  static const auto data =
      std::make_shared<const UndefinedData>(UndefinedData{"UndefinedError", "value is undefined"});
  return data;
}

}  // namespace

void raise(std::string type, std::string message, SourcePos pos) {
  throw JinjaException(JinjaError{std::move(type), std::move(message), pos});
}

void type_error(std::string message) { raise("TypeError", std::move(message)); }

// ---- Limits

TextLimit::TextLimit(size_t max_bytes) : saved_(t_max_text) { t_max_text = max_bytes; }

TextLimit::~TextLimit() { t_max_text = saved_; }

size_t TextLimit::current() { return t_max_text; }

// ---- Dict

const Value* Dict::find(const Value& key) const {
  auto it = index_.find(hash_key(key));
  return it == index_.end() ? nullptr : &entries_[it->second].second;
}

const Value* Dict::find(std::string_view key) const {
  std::string k;
  k.reserve(key.size() + 1);
  k += 's';
  k += key;
  auto it = index_.find(k);
  return it == index_.end() ? nullptr : &entries_[it->second].second;
}

void Dict::set(Value key, Value value) {
  depth_ = std::max({depth_, key.depth() + 1, value.depth() + 1});
  if (depth_ > kMaxValueDepth)
    raise("LimitExceeded", "value nested deeper than " + std::to_string(kMaxValueDepth));
  auto [it, inserted] = index_.emplace(hash_key(key), entries_.size());
  if (inserted) {
    entries_.emplace_back(std::move(key), std::move(value));
  } else {
    entries_[it->second].second = std::move(value);
  }
}

// ---- Value

Value::Value() : kind_(Kind::Undefined), data_(default_undefined()) {}

Value::Value(std::string s) : kind_(Kind::String), data_(std::make_shared<const std::string>(std::move(s))) {}

Value::Value(std::shared_ptr<Object> object) : kind_(Kind::Object), data_(std::move(object)) {}

Value Value::undefined(std::string message, std::string type) {
  Value v;
  v.data_ = std::make_shared<const UndefinedData>(UndefinedData{std::move(type), std::move(message)});
  return v;
}

Value Value::from_list(Kind kind, ListData data) {
  data.depth = depth_of(data.items);
  if (data.depth > kMaxValueDepth) {
    raise("LimitExceeded", "value nested deeper than " + std::to_string(kMaxValueDepth));
  }
  Value v(nullptr);
  v.kind_ = kind;
  v.data_ = std::make_shared<const ListData>(std::move(data));
  return v;
}

Value Value::list(ValueList items) {
  return from_list(Kind::List, ListData{std::move(items), 1, {}, {}, {}});
}

Value Value::tuple(ValueList items) {
  return from_list(Kind::Tuple, ListData{std::move(items), 1, {}, {}, {}});
}

Value Value::view(std::string type, std::string label, ValueList items) {
  return from_list(Kind::View, ListData{std::move(items), 1, std::move(type), std::move(label), {}});
}

Value Value::failed_view(std::string type, std::string label, JinjaError error) {
  return from_list(
      Kind::View,
      ListData{
          {}, 1, std::move(type), std::move(label), std::make_shared<const JinjaError>(std::move(error))});
}

Value Value::markup(std::string s) {
  Value v(std::move(s));
  v.markup_ = true;
  return v;
}

bool Value::has_length() const {
  if (kind_ != Kind::View) return is_sequence() || is_string() || is_dict();
  const std::string& type = view_type();
  return type == "range" || type == "dict_items" || type == "dict_keys" || type == "dict_values";
}

Value Value::dict(Dict dict) {
  Value v(nullptr);
  v.kind_ = Kind::Dict;
  v.data_ = std::make_shared<const Dict>(std::move(dict));
  return v;
}

bool Value::is_callable() const { return kind_ == Kind::Object && object().callable(); }

int Value::depth() const {
  switch (kind_) {
    case Kind::List:
    case Kind::Tuple:
    case Kind::View:
      return list_data().depth;
    case Kind::Dict:
      return dict().depth();
    case Kind::Object:
      return 1;
    default:
      return 0;
  }
}

bool Value::truthy() const {
  switch (kind_) {
    case Kind::Undefined:
    case Kind::None:
      return false;
    case Kind::Bool:
      return as_bool();
    case Kind::Int:
      return as_int() != 0;
    case Kind::Float:
      return as_float() != 0.0;
    case Kind::String:
      return !str().empty();
    case Kind::List:
    case Kind::Tuple:
      return !items().empty();
    case Kind::View:
      return has_length() ? !items().empty() : true;
    case Kind::Dict:
      return !dict().empty();
    case Kind::Object:
      return true;
  }
  return false;
}

std::string Value::type_name() const {
  switch (kind_) {
    case Kind::Undefined:
      return "Undefined";
    case Kind::None:
      return "NoneType";
    case Kind::Bool:
      return "bool";
    case Kind::Int:
      return "int";
    case Kind::Float:
      return "float";
    case Kind::String:
      return markup_ ? "Markup" : "str";
    case Kind::List:
      return "list";
    case Kind::Tuple:
      return "tuple";
    case Kind::View:
      return view_type();
    case Kind::Dict:
      return "dict";
    case Kind::Object:
      return object().type_name();
  }
  return "object";
}

std::string Value::to_str() const {
  switch (kind_) {
    case Kind::Undefined:
      return "";
    case Kind::None:
      return "None";
    case Kind::Bool:
      return as_bool() ? "True" : "False";
    case Kind::Int:
      return std::to_string(as_int());
    case Kind::Float:
      return repr_float(as_float());
    case Kind::String:
      return str();
    case Kind::Object:
      return object().repr();
    default:
      return repr_at(*this, 0);
  }
}

std::string Value::repr() const { return repr_at(*this, 0); }

void Value::raise_undefined() const {
  const UndefinedData& data = undefined_data();
  raise(data.type, data.message);
}

// ---- Objects

Value Object::call(Interpreter&, CallArgs&) const {
  type_error("'" + type_name() + "' object is not callable");
}

std::string NamespaceObject::repr() const { return "<Namespace " + repr_dict(attrs, 1) + ">"; }

std::optional<Value> NamespaceObject::get_attr(const std::string& name) const {
  if (const Value* v = attrs.find(name)) return *v;
  return std::nullopt;
}

Value make_function(std::string name, NativeFunction::Fn fn) {
  return Value(std::make_shared<NativeFunction>(std::move(name), std::move(fn)));
}

Value make_method(const Value& self, std::string name, NativeFunction::Fn fn) {
  return Value(std::make_shared<NativeFunction>(std::move(name), std::move(fn), self.type_name()));
}

std::vector<Value> bind_args(CallArgs& args, std::string_view function, std::initializer_list<Param> params) {
  const std::string fn(function);
  if (args.positional.size() > params.size()) {
    type_error(fn + "() takes at most " + std::to_string(params.size()) + " argument(s) (" +
               std::to_string(args.positional.size()) + " given)");
  }
  std::vector<std::optional<Value>> bound(params.size());
  for (size_t i = 0; i < args.positional.size(); ++i) bound[i] = std::move(args.positional[i]);
  for (auto& [key, value] : args.keyword) {
    size_t i = 0;
    for (const Param& p : params) {
      if (key == p.name) break;
      ++i;
    }
    if (i == params.size()) type_error(fn + "() got an unexpected keyword argument '" + key + "'");
    if (bound[i]) type_error(fn + "() got multiple values for argument '" + key + "'");
    bound[i] = std::move(value);
  }
  std::vector<Value> out;
  out.reserve(params.size());
  size_t i = 0;
  for (const Param& p : params) {
    if (bound[i]) {
      out.push_back(std::move(*bound[i]));
    } else if (p.default_value) {
      out.push_back(*p.default_value);
    } else {
      type_error(fn + "() missing required argument '" + p.name + "'");
    }
    ++i;
  }
  return out;
}

// ---- Free functions

bool equals(const Value& a, const Value& b) { return equals_at(a, b, 0); }

std::partial_ordering compare(const Value& a, const Value& b, const char* op) {
  return compare_at(a, b, op, 0);
}

std::string hash_key(const Value& key) { return hash_key_at(key, 0); }

std::string to_json(const Value& value, const JsonOptions& options) {
  std::string out;
  json_at(out, value, options, 0);
  return out;
}

}  // namespace lathe::jinja
