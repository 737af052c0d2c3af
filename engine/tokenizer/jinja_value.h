#pragma once
// Values of the Jinja interpreter, with Python's semantics as Jinja2 gives them to chat templates:
// none, bool, int (64-bit), float, str (UTF-8; optionally a markupsafe Markup), list, tuple, dict
// (insertion-ordered), views (generators, dict.items(), range()), objects (callables, macros,
// namespace(), the loop variable) and undefined.
//
// Strings, lists and dicts are immutable and shared: copying a Value is a reference-count bump.
// This matches what templates can do under Hugging Face's ImmutableSandboxedEnvironment, where
// list.append and dict.update are refused; only namespace() objects change after creation.
//
// Containers record their nesting depth; building one deeper than kMaxValueDepth fails, so that
// printing, comparing or destroying a value never recurses without bound.

#include <compare>
#include <cstdint>
#include <exception>
#include <functional>
#include <initializer_list>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <variant>
#include <vector>

namespace lathe::jinja {

inline constexpr int kMaxValueDepth = 256;

struct SourcePos {
  int line = 0;    // 1-based; 0 when unknown
  int column = 0;  // 1-based, in code points
};

// What went wrong, named as Python/Jinja2 names it (TemplateError for raise_exception(),
// UndefinedError, TypeError, TemplateSyntaxError, ...), so errors compare with the reference.
struct JinjaError {
  std::string type;
  std::string message;
  SourcePos pos;
};

// Thrown inside the interpreter only; the public API (chat_template.h) turns it into an Error.
class JinjaException : public std::exception {
 public:
  explicit JinjaException(JinjaError error) : error(std::move(error)) {}
  const char* what() const noexcept override { return error.message.c_str(); }
  JinjaError error;
};

[[noreturn]] void raise(std::string type, std::string message, SourcePos pos = {});
[[noreturn]] void type_error(std::string message);

class Value;
class Object;
using ValueList = std::vector<Value>;

// An insertion-ordered dict. Keys are hashable values (str, int, float, bool, none, tuple); 1, 1.0
// and True are the same key, as in Python.
class Dict {
 public:
  const Value* find(const Value& key) const;
  const Value* find(std::string_view key) const;
  const Value* find(const std::string& key) const { return find(std::string_view(key)); }
  const Value* find(const char* key) const { return find(std::string_view(key)); }
  void set(Value key, Value value);  // inserts, or replaces keeping the position
  size_t size() const { return entries_.size(); }
  bool empty() const { return entries_.empty(); }
  const std::vector<std::pair<Value, Value>>& entries() const { return entries_; }
  int depth() const { return depth_; }

 private:
  std::vector<std::pair<Value, Value>> entries_;
  std::unordered_map<std::string, size_t> index_;  // hash_key(key) -> position
  int depth_ = 1;
};

struct ListData {
  ValueList items;
  int depth = 1;
  // Views only: the Python type ("generator", "dict_items", "range", ...) and what repr() shows
  // for it (the generator's function name, "range(0, 3)").
  std::string view_type;
  std::string view_label;
  // A generator whose work failed: Python raises only when it is consumed, so this is raised when
  // the view is iterated, not when it is printed or tested.
  std::shared_ptr<const JinjaError> deferred_error;
};

struct UndefinedData {
  std::string type;     // the error raised when the value is used: UndefinedError or SecurityError
  std::string message;  // "'x' is undefined", "'dict object' has no attribute 'y'", ...
};

class Value {
 public:
  // View: what Python gives as a lazy iterable rather than a list: the generators that Jinja2's
  // map/select/unique/batch/items filters return, reversed(), dict.items()/keys()/values() and
  // range(). They hold their items but keep Python's behaviour: a generator is always true, has no
  // len() and is not JSON serializable; dict views and ranges have a length; only a range indexes.
  enum class Kind : uint8_t { Undefined, None, Bool, Int, Float, String, List, Tuple, Dict, Object, View };

  Value();  // undefined, with the message "value is undefined"
  Value(std::nullptr_t) : kind_(Kind::None) {}
  Value(bool b) : kind_(Kind::Bool), data_(b) {}
  Value(int v) : Value(static_cast<int64_t>(v)) {}
  Value(int64_t v) : kind_(Kind::Int), data_(v) {}
  Value(double v) : kind_(Kind::Float), data_(v) {}
  Value(std::string s);
  Value(std::string_view s) : Value(std::string(s)) {}
  Value(const char* s) : Value(std::string(s)) {}
  Value(std::shared_ptr<Object> object);

  static Value undefined(std::string message, std::string type = "UndefinedError");
  static Value none() { return Value(nullptr); }
  // Fails (LimitExceeded) when the result would nest deeper than kMaxValueDepth.
  static Value list(ValueList items);
  static Value tuple(ValueList items);
  static Value dict(Dict dict);
  static Value view(std::string type, std::string label, ValueList items);
  static Value failed_view(std::string type, std::string label, JinjaError error);
  // A markupsafe.Markup string (from |safe or |escape): concatenating, %-formatting or .format()
  // with it HTML-escapes the plain strings it meets, as in Python even with autoescaping off.
  static Value markup(std::string s);

  Kind kind() const { return kind_; }
  bool is_undefined() const { return kind_ == Kind::Undefined; }
  bool is_none() const { return kind_ == Kind::None; }
  bool is_bool() const { return kind_ == Kind::Bool; }
  bool is_int() const { return kind_ == Kind::Int; }
  bool is_float() const { return kind_ == Kind::Float; }
  bool is_string() const { return kind_ == Kind::String; }
  bool is_list() const { return kind_ == Kind::List; }
  bool is_tuple() const { return kind_ == Kind::Tuple; }
  bool is_sequence() const { return kind_ == Kind::List || kind_ == Kind::Tuple; }  // list or tuple
  bool is_dict() const { return kind_ == Kind::Dict; }
  bool is_object() const { return kind_ == Kind::Object; }
  bool is_view() const { return kind_ == Kind::View; }
  bool is_markup() const { return kind_ == Kind::String && markup_; }
  // list, tuple or view: something items() applies to.
  bool has_items() const { return is_sequence() || kind_ == Kind::View; }
  const std::string& view_type() const { return list_data().view_type; }
  const std::string& view_label() const { return list_data().view_label; }
  // A view's deferred error, or nullptr.
  const JinjaError* deferred_error() const {
    return kind_ == Kind::View ? list_data().deferred_error.get() : nullptr;
  }
  // Whether len() works: lists, tuples, dict views and ranges, not generators and iterators.
  bool has_length() const;
  // int or bool (Python's bool is an int), or float.
  bool is_integral() const { return kind_ == Kind::Int || kind_ == Kind::Bool; }
  bool is_number() const { return is_integral() || kind_ == Kind::Float; }
  bool is_callable() const;

  // Typed access; asking for the wrong kind throws std::bad_variant_access (a bug, which the API
  // reports as an internal error rather than undefined behaviour).
  bool as_bool() const { return std::get<bool>(data_); }
  // int or bool as int64.
  int64_t as_int() const { return kind_ == Kind::Bool ? (as_bool() ? 1 : 0) : std::get<int64_t>(data_); }
  // any number as double.
  double as_float() const {
    return kind_ == Kind::Float ? std::get<double>(data_) : static_cast<double>(as_int());
  }
  const std::string& str() const { return *std::get<StringPtr>(data_); }
  const ValueList& items() const { return list_data().items; }  // has_items()
  const Dict& dict() const { return *std::get<DictPtr>(data_); }
  Object& object() const { return *std::get<ObjectPtr>(data_); }
  const std::shared_ptr<Object>& object_ptr() const { return std::get<ObjectPtr>(data_); }
  const UndefinedData& undefined_data() const { return *std::get<UndefinedPtr>(data_); }
  // Nesting depth: 0 for scalars.
  int depth() const;

  // Python truthiness (undefined is false).
  bool truthy() const;
  // Python's type name, as error messages use it: NoneType, bool, int, float, str, list, ...
  std::string type_name() const;
  // Python str() (what {{ x }} prints): undefined prints as "", none as "None".
  std::string to_str() const;
  // Python repr().
  std::string repr() const;

  // Throws the error an undefined value raises when used (UndefinedError or SecurityError).
  [[noreturn]] void raise_undefined() const;

 private:
  using StringPtr = std::shared_ptr<const std::string>;
  using ListPtr = std::shared_ptr<const ListData>;  // list, tuple and view
  using DictPtr = std::shared_ptr<const Dict>;
  using ObjectPtr = std::shared_ptr<Object>;
  using UndefinedPtr = std::shared_ptr<const UndefinedData>;

  static Value from_list(Kind kind, ListData data);
  const ListData& list_data() const { return *std::get<ListPtr>(data_); }

  Kind kind_;
  bool markup_ = false;
  std::variant<std::monostate, bool, int64_t, double, StringPtr, ListPtr, DictPtr, ObjectPtr, UndefinedPtr>
      data_;
};

class Interpreter;

struct CallArgs {
  std::vector<Value> positional;
  std::vector<std::pair<std::string, Value>> keyword;
};

// Namespaces, callables, macros and the loop variable. Attribute access on them goes here.
class Object {
 public:
  virtual ~Object() = default;
  // Python's type name (for messages), e.g. "function", "Namespace", "LoopContext".
  virtual std::string type_name() const = 0;
  // As "jinja2.utils.Namespace object" in "'... object' has no attribute 'x'".
  virtual std::string object_description() const { return type_name() + " object"; }
  virtual std::string repr() const = 0;
  // An attribute, or nullopt when there is none.
  virtual std::optional<Value> get_attr(const std::string& name) const {
    (void)name;
    return std::nullopt;
  }
  virtual bool callable() const { return false; }
  virtual Value call(Interpreter& interp, CallArgs& args) const;
  // Everything this object references, for breaking reference cycles at the end of a render.
  virtual void clear() {}
};

// A function implemented in C++: globals such as range(), and bound methods such as "abc".upper.
class NativeFunction : public Object {
 public:
  using Fn = std::function<Value(Interpreter&, CallArgs&)>;
  // `owner`: the type a bound method belongs to ("str" for "abc".upper), empty for a function.
  NativeFunction(std::string name, Fn fn, std::string owner = {})
      : name_(std::move(name)), owner_(std::move(owner)), fn_(std::move(fn)) {}
  std::string type_name() const override { return "builtin_function_or_method"; }
  std::string repr() const override {
    if (owner_.empty()) return "<built-in function " + name_ + ">";
    return "<built-in method " + name_ + " of " + owner_ + " object at 0x7f0000000000>";
  }
  bool callable() const override { return true; }
  Value call(Interpreter& interp, CallArgs& args) const override { return fn_(interp, args); }

 private:
  std::string name_;
  std::string owner_;
  Fn fn_;
};

Value make_function(std::string name, NativeFunction::Fn fn);
Value make_method(const Value& self, std::string name, NativeFunction::Fn fn);

// Binds call arguments to a Python-style signature. A parameter without a default is required.
// Returns one value per parameter, in order; TypeError names `function` for unknown, missing or
// surplus arguments.
struct Param {
  const char* name;
  std::optional<Value> default_value;
};
std::vector<Value> bind_args(CallArgs& args, std::string_view function, std::initializer_list<Param> params);

// namespace(): the one mutable object templates may change (ns.x = ...).
class NamespaceObject : public Object {
 public:
  Dict attrs;
  std::string type_name() const override { return "Namespace"; }
  std::string object_description() const override { return "jinja2.utils.Namespace object"; }
  std::string repr() const override;
  std::optional<Value> get_attr(const std::string& name) const override;
  void clear() override { attrs = Dict(); }
};

// Python equality: 1 == 1.0 == True, lists element-wise, dicts regardless of order, undefined only
// equals undefined.
bool equals(const Value& a, const Value& b);
// Python ordering of numbers, strings, lists and tuples (unordered for NaN); anything else is a
// TypeError that names `op` ("'<' not supported between instances of 'int' and 'str'").
std::partial_ordering compare(const Value& a, const Value& b, const char* op);
// The key a dict files a value under (TypeError "unhashable type" for lists and dicts).
std::string hash_key(const Value& key);

// While alive, bounds the text that printing (repr, str) or serializing (to_json) one value may
// produce on this thread; past it they fail with LimitExceeded. The interpreter holds one for each
// render, at max_output_bytes.
class TextLimit {
 public:
  explicit TextLimit(size_t max_bytes);
  ~TextLimit();
  TextLimit(const TextLimit&) = delete;
  TextLimit& operator=(const TextLimit&) = delete;
  static size_t current();

 private:
  size_t saved_;
};

struct JsonOptions {
  std::optional<std::string> indent;  // nullopt: one line
  std::string item_separator = ", ";
  std::string key_separator = ": ";
  bool sort_keys = false;
  bool ensure_ascii = false;
};
// Python json.dumps(value) with those options (TypeError for values JSON cannot hold).
std::string to_json(const Value& value, const JsonOptions& options);

}  // namespace lathe::jinja
