#include "tokenizer/jinja_eval.h"

#include <ctime>

#include "tokenizer/jinja_filters.h"
#include "tokenizer/jinja_stack.h"
#include "tokenizer/jinja_text.h"

namespace lathe::jinja {

struct Scope {
  std::shared_ptr<Scope> parent;
  std::vector<std::pair<std::string, Value>> vars;

  Value* find_local(const std::string& name) {
    for (auto& [k, v] : vars) {
      if (k == name) return &v;
    }
    return nullptr;
  }
  void set(const std::string& name, Value value) {
    if (Value* v = find_local(name)) {
      *v = std::move(value);
    } else {
      vars.emplace_back(name, std::move(value));
    }
  }
};

namespace {

[[noreturn]] void limit_exceeded(const std::string& message) { raise("LimitExceeded", message); }

std::shared_ptr<Scope> child_of(const std::shared_ptr<Scope>& parent) {
  auto s = std::make_shared<Scope>();
  s->parent = parent;
  return s;
}

class MacroObject : public Object {
 public:
  MacroObject(std::shared_ptr<const MacroDef> def, std::shared_ptr<Scope> closure)
      : def_(std::move(def)), closure_(std::move(closure)) {}
  std::string type_name() const override { return "Macro"; }
  std::string object_description() const override { return "jinja2.runtime.Macro object"; }
  std::string repr() const override { return "<Macro '" + def_->name + "'>"; }
  bool callable() const override { return true; }
  Value call(Interpreter& interp, CallArgs& args) const override {
    return interp.call_macro(*def_, closure_, args);
  }
  std::optional<Value> get_attr(const std::string& name) const override {
    if (name == "name") return Value(def_->name);
    if (name == "catch_kwargs") return Value(def_->uses_kwargs);
    if (name == "catch_varargs") return Value(def_->uses_varargs);
    if (name == "caller") return Value(def_->uses_caller);
    if (name == "arguments") {
      ValueList names;
      for (const auto& p : def_->params) names.emplace_back(p.first);
      return Value::tuple(std::move(names));
    }
    return std::nullopt;
  }
  void clear() override { closure_.reset(); }

 private:
  std::shared_ptr<const MacroDef> def_;
  std::shared_ptr<Scope> closure_;
};

// The `loop` variable: one object per loop that advances, as Jinja2's LoopContext. In a
// recursive loop, calling it renders the loop again over other items, one level deeper.
class LoopObject : public Object, public std::enable_shared_from_this<LoopObject> {
 public:
  LoopObject(ValueList items, int depth, const Stmt* recursive, std::shared_ptr<Scope> scope)
      : items_(std::move(items)), depth_(depth), recursive_(recursive), scope_(std::move(scope)) {}
  void advance(size_t index) { index_ = index; }

  bool callable() const override { return true; }
  Value call(Interpreter& interp, CallArgs& args) const override {
    if (!recursive_) type_error("The loop must have the 'recursive' marker to be called recursively.");
    auto a = bind_args(args, "loop", {{"iterable", std::nullopt}});
    return interp.call_loop(*recursive_, scope_, a[0], depth_ + 1);
  }
  void clear() override { scope_.reset(); }

  std::string type_name() const override { return "LoopContext"; }
  std::string object_description() const override { return "jinja2.runtime.LoopContext object"; }
  std::string repr() const override {
    return "<LoopContext " + std::to_string(index_ + 1) + "/" + std::to_string(items_.size()) + ">";
  }
  std::optional<Value> get_attr(const std::string& name) const override {
    const auto n = static_cast<int64_t>(items_.size());
    const auto i = static_cast<int64_t>(index_);
    if (name == "index") return Value(i + 1);
    if (name == "index0") return Value(i);
    if (name == "revindex") return Value(n - i);
    if (name == "revindex0") return Value(n - i - 1);
    if (name == "first") return Value(i == 0);
    if (name == "last") return Value(i == n - 1);
    if (name == "length") return Value(n);
    if (name == "depth") return Value(static_cast<int64_t>(depth_));
    if (name == "depth0") return Value(static_cast<int64_t>(depth_ - 1));
    if (name == "previtem") return i > 0 ? items_[index_ - 1] : Value::undefined("there is no previous item");
    if (name == "nextitem") return i + 1 < n ? items_[index_ + 1] : Value::undefined("there is no next item");
    if (name == "cycle") {
      auto self = std::const_pointer_cast<LoopObject>(shared_from_this());
      return make_function("cycle", [self](Interpreter&, CallArgs& args) {
        if (args.positional.empty()) type_error("no items for cycling given");
        return args.positional[self->index_ % args.positional.size()];
      });
    }
    if (name == "changed") {
      auto self = std::const_pointer_cast<LoopObject>(shared_from_this());
      return make_function("changed", [self](Interpreter&, CallArgs& args) {
        Value now = Value::list(args.positional);
        if (self->last_changed_ && equals(*self->last_changed_, now)) return Value(false);
        self->last_changed_ = now;
        return Value(true);
      });
    }
    return std::nullopt;
  }

 private:
  ValueList items_;
  size_t index_ = 0;
  int depth_ = 1;
  const Stmt* recursive_ = nullptr;  // the for statement, when it is recursive
  std::shared_ptr<Scope> scope_;     // where the loop runs, for loop(...) calls
  std::optional<Value> last_changed_;
};

}  // namespace

DateTime DateTime::now() {
  const std::time_t t = std::time(nullptr);
  std::tm tm{};
#if defined(_WIN32)
  localtime_s(&tm, &t);
#else
  localtime_r(&t, &tm);
#endif
  return DateTime{tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec};
}

struct Interpreter::DepthGuard {
  explicit DepthGuard(Interpreter& i) : interp(i) {
    if (++interp.eval_depth_ > interp.options_.limits.max_eval_depth) {
      --interp.eval_depth_;
      limit_exceeded("evaluation nested more than " + std::to_string(interp.options_.limits.max_eval_depth) +
                     " levels deep");
    }
    if (stack_remaining() < kStackReserve) {
      --interp.eval_depth_;
      limit_exceeded("evaluation nested too deeply for this thread's stack");
    }
  }
  ~DepthGuard() { --interp.eval_depth_; }
  Interpreter& interp;
};

namespace {

struct ScopeGuard {
  ScopeGuard(std::shared_ptr<Scope>& slot, std::shared_ptr<Scope> scope) : slot(slot), saved(slot) {
    slot = std::move(scope);
  }
  ~ScopeGuard() { slot = std::move(saved); }
  std::shared_ptr<Scope>& slot;
  std::shared_ptr<Scope> saved;
};

}  // namespace

Interpreter::Interpreter(const RenderOptions& options, const Value& variables)
    : options_(options), text_limit_(options.limits.max_output_bytes) {
  scope_ = std::make_shared<Scope>();
  if (variables.is_dict()) {
    for (const auto& [k, v] : variables.dict().entries()) {
      if (k.is_string()) scope_->set(k.str(), v);
    }
  }
}

Interpreter::~Interpreter() {
  // Break the cycles macros and namespaces can form (scope -> macro -> closure scope).
  for (auto& s : macro_scopes_) s->vars.clear();
  for (auto& o : tracked_) o->clear();
}

std::string Interpreter::render(const Body& program) {
  if (options_.limits.max_seconds > 0) {
    deadline_ =
        std::chrono::steady_clock::now() + std::chrono::duration_cast<std::chrono::steady_clock::duration>(
                                               std::chrono::duration<double>(options_.limits.max_seconds));
  }
  auto top = child_of(scope_);
  macro_scopes_.push_back(top);
  ScopeGuard guard(scope_, top);
  std::string out;
  exec_body(program, out);
  return out;
}

// ---- Budgets

void Interpreter::tick() {
  if (++ticks_ > options_.limits.max_steps) {
    limit_exceeded("the template took more than " + std::to_string(options_.limits.max_steps) +
                   " evaluation steps (runaway loop or recursion?)");
  }
  if ((ticks_ & 1023) == 0 && options_.limits.max_seconds > 0 &&
      std::chrono::steady_clock::now() > deadline_) {
    limit_exceeded("rendering took longer than " + repr_float(options_.limits.max_seconds) + " seconds");
  }
}

void Interpreter::charge(uint64_t bytes) {
  const uint64_t max = options_.limits.max_total_bytes;
  if (bytes > max || total_bytes_ > max - bytes) {
    limit_exceeded("the template built more than " + std::to_string(max) +
                   " bytes of strings and lists (a runaway loop or string doubling?)");
  }
  total_bytes_ += bytes;
}

void Interpreter::check_string_size(uint64_t bytes) const {
  if (bytes > options_.limits.max_output_bytes) {
    limit_exceeded("a string grew past " + std::to_string(options_.limits.max_output_bytes) + " bytes");
  }
}

Value Interpreter::make_string(std::string s) {
  check_string_size(s.size());
  charge(s.size());
  return Value(std::move(s));
}

Value Interpreter::make_list(ValueList items, bool tuple) {
  charge(items.size() * sizeof(Value));
  return tuple ? Value::tuple(std::move(items)) : Value::list(std::move(items));
}

void Interpreter::append(std::string& out, std::string_view piece) {
  if (out.size() + piece.size() > options_.limits.max_output_bytes) {
    limit_exceeded("output grew past " + std::to_string(options_.limits.max_output_bytes) + " bytes");
  }
  charge(piece.size());
  out.append(piece);
}

void Interpreter::track(const std::shared_ptr<Object>& object) { tracked_.push_back(object); }

// ---- Statements

Interpreter::Flow Interpreter::exec_body(const Body& body, std::string& out) {
  for (const Stmt& s : body) {
    const Flow flow = exec(s, out);
    if (flow != Flow::Normal) return flow;
  }
  return Flow::Normal;
}

Interpreter::Flow Interpreter::exec(const Stmt& s, std::string& out) {
  DepthGuard depth(*this);
  tick();
  switch (s.kind) {
    case StmtKind::Text:
      append(out, s.text);
      return Flow::Normal;
    case StmtKind::Output:
      append(out, eval(*s.expr).to_str());
      return Flow::Normal;
    case StmtKind::If:
      for (const IfBranch& branch : s.branches) {
        if (eval(*branch.condition).truthy()) return exec_body(branch.body, out);
      }
      return exec_body(s.else_body, out);
    case StmtKind::For:
      return exec_for(s, out);
    case StmtKind::Set:
      exec_set(s);
      return Flow::Normal;
    case StmtKind::SetBlock: {
      Value captured(render_captured(s.body));
      if (s.expr) {
        std::optional<Value> saved = std::exchange(block_value_, captured);
        captured = eval(*s.expr);
        block_value_ = std::move(saved);
      }
      assign(s.target, captured, s.pos);
      return Flow::Normal;
    }
    case StmtKind::Macro:
      scope_->set(s.macro->name, Value(std::make_shared<MacroObject>(s.macro, scope_)));
      macro_scopes_.push_back(scope_);
      return Flow::Normal;
    case StmtKind::CallBlock:
      exec_call_block(s, out);
      return Flow::Normal;
    case StmtKind::FilterBlock: {
      std::optional<Value> saved = std::exchange(block_value_, Value(render_captured(s.body)));
      Value result = eval(*s.expr);
      block_value_ = std::move(saved);
      append(out, result.to_str());
      return Flow::Normal;
    }
    case StmtKind::With: {
      std::vector<Value> values;
      for (const auto& a : s.assignments) values.push_back(eval(*a.second));
      ScopeGuard guard(scope_, child_of(scope_));
      for (size_t i = 0; i < values.size(); ++i) assign(s.assignments[i].first, values[i], s.pos);
      return exec_body(s.body, out);
    }
    case StmtKind::Scope: {
      ScopeGuard guard(scope_, child_of(scope_));
      return exec_body(s.body, out);
    }
    case StmtKind::Break:
      return Flow::Break;
    case StmtKind::Continue:
      return Flow::Continue;
  }
  return Flow::Normal;
}

Interpreter::Flow Interpreter::exec_for(const Stmt& s, std::string& out) {
  Value iterable;
  try {
    iterable = eval(*s.expr);
  } catch (JinjaException& e) {
    if (e.error.pos.line == 0) e.error.pos = s.expr->pos;
    throw;
  }
  run_loop(s, iterable, 1, out);
  return Flow::Normal;  // break and continue end here
}

void Interpreter::run_loop(const Stmt& s, const Value& iterable, int depth, std::string& out) {
  const uint64_t max_iterations = options_.limits.max_loop_iterations;
  auto count_iteration = [&] {
    if (++loop_iterations_ > max_iterations) {
      raise("LimitExceeded", "more than " + std::to_string(max_iterations) + " loop iterations", s.pos);
    }
  };
  ValueList items;
  try {
    items = iterate(iterable);
  } catch (JinjaException& e) {
    if (e.error.pos.line == 0) e.error.pos = s.expr->pos;
    throw;
  }
  if (s.condition) {  // {% for x in xs if cond %}: filter first, so loop.length counts what is kept
    ValueList kept;
    for (Value& item : items) {
      count_iteration();
      ScopeGuard guard(scope_, child_of(scope_));
      assign(s.target, item, s.pos);
      if (eval(*s.condition).truthy()) kept.push_back(std::move(item));
    }
    items = std::move(kept);
  }
  if (items.empty()) {
    ScopeGuard guard(scope_, child_of(scope_));
    exec_body(s.else_body, out);
    return;
  }
  const size_t n = items.size();
  auto loop =
      std::make_shared<LoopObject>(items, depth, s.recursive ? &s : nullptr, s.recursive ? scope_ : nullptr);
  if (s.recursive) tracked_.push_back(loop);  // loop -> scope -> loop cycles are broken at the end
  const Value loop_value(std::static_pointer_cast<Object>(loop));
  for (size_t i = 0; i < n; ++i) {
    count_iteration();
    loop->advance(i);
    ScopeGuard guard(scope_, child_of(scope_));
    assign(s.target, items[i], s.pos);
    scope_->set("loop", loop_value);
    if (exec_body(s.body, out) == Flow::Break) break;
  }
}

Value Interpreter::call_loop(const Stmt& loop, const std::shared_ptr<Scope>& scope, const Value& items,
                             int depth) {
  if (call_depth_ >= options_.limits.max_call_depth) {
    limit_exceeded("recursive loop nested more than " + std::to_string(options_.limits.max_call_depth) +
                   " levels deep");
  }
  ++call_depth_;
  struct Restore {
    ~Restore() { --depth; }
    int& depth;
  } restore{call_depth_};
  ScopeGuard guard(scope_, scope);
  std::string out;
  run_loop(loop, items, depth, out);
  return Value(std::move(out));  // already counted by append()
}

void Interpreter::exec_set(const Stmt& s) { assign(s.target, eval(*s.expr), s.pos); }

void Interpreter::assign(const Target& target, const Value& value, SourcePos pos) {
  if (!target.attr.empty()) {
    const Value* ns = lookup(target.names[0]);
    auto* object = ns && ns->is_object() ? dynamic_cast<NamespaceObject*>(&ns->object()) : nullptr;
    if (!object) raise("TemplateRuntimeError", "cannot assign attribute on non-namespace object", pos);
    object->attrs.set(Value(target.attr), value);
    return;
  }
  if (!target.unpack) {
    scope_->set(target.names[0], value);
    return;
  }
  ValueList parts;
  try {
    parts = iterate(value);
  } catch (JinjaException& e) {
    if (e.error.type == "TypeError")
      e.error.message = "cannot unpack non-iterable " + value.type_name() + " object";
    if (e.error.pos.line == 0) e.error.pos = pos;
    throw;
  }
  const size_t want = target.names.size();
  if (parts.size() < want) {
    raise("ValueError",
          "not enough values to unpack (expected " + std::to_string(want) + ", got " +
              std::to_string(parts.size()) + ")",
          pos);
  }
  if (parts.size() > want)
    raise("ValueError", "too many values to unpack (expected " + std::to_string(want) + ")", pos);
  for (size_t i = 0; i < want; ++i) scope_->set(target.names[i], parts[i]);
}

std::string Interpreter::render_captured(const Body& body) {
  ScopeGuard guard(scope_, child_of(scope_));
  std::string out;
  exec_body(body, out);
  return out;
}

void Interpreter::exec_call_block(const Stmt& s, std::string& out) {
  const Expr& call_expr = *s.expr;
  try {
    Value callee = eval(*call_expr.a);
    CallArgs args = eval_args(call_expr.args);
    args.keyword.emplace_back("caller", Value(std::make_shared<MacroObject>(s.macro, scope_)));
    append(out, call(callee, args).to_str());
  } catch (JinjaException& e) {
    if (e.error.pos.line == 0) e.error.pos = call_expr.pos;
    throw;
  }
}

Value Interpreter::call_macro(const MacroDef& macro, const std::shared_ptr<Scope>& closure, CallArgs& args) {
  if (call_depth_ >= options_.limits.max_call_depth) {
    limit_exceeded("macro '" + macro.name + "' called more than " +
                   std::to_string(options_.limits.max_call_depth) + " levels deep (runaway recursion?)");
  }
  struct CallDepth {
    explicit CallDepth(int& d) : depth(d) { ++depth; }
    ~CallDepth() { --depth; }
    int& depth;
  } call_depth(call_depth_);

  ScopeGuard guard(scope_, child_of(closure));
  const size_t n_params = macro.params.size();
  std::vector<bool> bound(n_params, false);
  ValueList varargs;
  for (size_t i = 0; i < args.positional.size(); ++i) {
    if (i < n_params) {
      scope_->set(macro.params[i].first, std::move(args.positional[i]));
      bound[i] = true;
    } else if (macro.uses_varargs) {
      varargs.push_back(std::move(args.positional[i]));
    } else {
      type_error("macro '" + macro.name + "' takes not more than " + std::to_string(n_params) +
                 " argument(s)");
    }
  }
  Dict kwargs;
  bool caller_given = false;
  for (auto& [key, value] : args.keyword) {
    size_t i = 0;
    while (i < n_params && macro.params[i].first != key) ++i;
    if (i < n_params) {
      if (bound[i]) type_error("macro '" + macro.name + "' got multiple values for argument '" + key + "'");
      scope_->set(key, std::move(value));
      bound[i] = true;
    } else if (key == "caller") {
      scope_->set("caller", std::move(value));
      caller_given = true;
    } else if (macro.uses_kwargs) {
      kwargs.set(Value(key), std::move(value));
    } else {
      type_error("macro '" + macro.name + "' takes no keyword argument '" + key + "'");
    }
  }
  for (size_t i = 0; i < n_params; ++i) {
    if (bound[i]) continue;
    const auto& [name, default_value] = macro.params[i];
    scope_->set(name, default_value ? eval(*default_value)
                                    : Value::undefined("parameter '" + name + "' was not provided"));
  }
  if (macro.uses_varargs) scope_->set("varargs", Value::tuple(std::move(varargs)));
  if (macro.uses_kwargs) scope_->set("kwargs", Value::dict(std::move(kwargs)));
  if (macro.uses_caller && !caller_given) scope_->set("caller", Value::undefined("No caller defined"));
  std::string out;
  exec_body(macro.body, out);
  return Value(std::move(out));  // already counted by append()
}

// ---- Expressions

const Value* Interpreter::lookup(const std::string& name) const {
  for (Scope* s = scope_.get(); s; s = s->parent.get()) {
    if (Value* v = s->find_local(name)) return v;
  }
  return find_global(name);
}

Value Interpreter::eval(const Expr& e) {
  DepthGuard depth(*this);
  tick();
  try {
    return eval_node(e);
  } catch (JinjaException& ex) {
    if (ex.error.pos.line == 0) ex.error.pos = e.pos;
    throw;
  }
}

Value Interpreter::eval_node(const Expr& e) {
  switch (e.kind) {
    case ExprKind::Literal:
      return e.value;
    case ExprKind::Name:
      return eval_name(e);
    case ExprKind::List:
    case ExprKind::Tuple: {
      ValueList items;
      items.reserve(e.items.size());
      for (const ExprPtr& item : e.items) items.push_back(eval(*item));
      return make_list(std::move(items), e.kind == ExprKind::Tuple);
    }
    case ExprKind::Dict:
      return eval_dict(e);
    case ExprKind::GetAttr:
      return get_attr(eval(*e.a), e.name);
    case ExprKind::GetItem: {
      Value obj = eval(*e.a);
      return get_item(obj, eval(*e.b));
    }
    case ExprKind::Slice:
      return eval_slice(e);
    case ExprKind::Call:
      return eval_call(e);
    case ExprKind::Filter:
      return eval_filter(e);
    case ExprKind::Test:
      return eval_test(e);
    case ExprKind::Unary: {
      Value a = eval(*e.a);
      if (e.unary_op == UnaryOp::Not) return Value(!a.truthy());
      return unary_operator(e.unary_op, a);
    }
    case ExprKind::Binary:
      return eval_binary(e);
    case ExprKind::Compare:
      return eval_compare(e);
    case ExprKind::Conditional:
      if (eval(*e.b).truthy()) return eval(*e.a);
      if (e.c) return eval(*e.c);
      return Value::undefined("the inline if-expression on line " + std::to_string(e.pos.line) +
                              " evaluated to false and no else section was defined.");
    case ExprKind::BlockValue:
      return block_value_ ? *block_value_ : Value();
  }
  return Value();
}

Value Interpreter::eval_name(const Expr& e) {
  if (const Value* v = lookup(e.name)) return *v;
  return Value::undefined(repr_string(e.name) + " is undefined");
}

Value Interpreter::eval_dict(const Expr& e) {
  Dict dict;
  for (const auto& [k, v] : e.pairs) {
    Value key = eval(*k);
    dict.set(std::move(key), eval(*v));
  }
  charge(dict.size() * 2 * sizeof(Value));
  return Value::dict(std::move(dict));
}

CallArgs Interpreter::eval_args(const Arguments& args) {
  CallArgs out;
  out.positional.reserve(args.positional.size());
  for (const ExprPtr& a : args.positional) out.positional.push_back(eval(*a));
  for (const auto& [k, v] : args.keyword) out.keyword.emplace_back(k, eval(*v));
  return out;
}

Value Interpreter::eval_call(const Expr& e) {
  Value callee = eval(*e.a);
  CallArgs args = eval_args(e.args);
  return call(callee, args);
}

Value Interpreter::call(const Value& callee, CallArgs& args) {
  if (callee.is_undefined()) callee.raise_undefined();
  if (!callee.is_callable()) type_error("'" + callee.type_name() + "' object is not callable");
  return callee.object().call(*this, args);
}

Value Interpreter::eval_filter(const Expr& e) {
  Value input = eval(*e.a);
  CallArgs args = eval_args(e.args);
  return apply_filter(e.name, input, args);
}

Value Interpreter::apply_filter(const std::string& name, const Value& input, CallArgs& args) {
  FilterFn fn = find_filter(name);
  if (!fn) raise("TemplateRuntimeError", "No filter named '" + name + "' found.");
  return fn(*this, input, args);
}

Value Interpreter::eval_test(const Expr& e) {
  Value input = eval(*e.a);
  CallArgs args = eval_args(e.args);
  const bool result = apply_test(e.name, input, args);
  return Value(e.negated ? !result : result);
}

bool Interpreter::apply_test(const std::string& name, const Value& input, CallArgs& args) {
  TestFn fn = find_test(name);
  if (!fn) raise("TemplateRuntimeError", "No test named '" + name + "' found.");
  return fn(*this, input, args);
}

Value Interpreter::eval_binary(const Expr& e) {
  if (e.binary_op == BinaryOp::And) {
    Value a = eval(*e.a);
    return a.truthy() ? eval(*e.b) : a;
  }
  if (e.binary_op == BinaryOp::Or) {
    Value a = eval(*e.a);
    return a.truthy() ? a : eval(*e.b);
  }
  Value a = eval(*e.a);
  Value b = eval(*e.b);
  return binary_operator(*this, e.binary_op, a, b);
}

Value Interpreter::eval_compare(const Expr& e) {
  Value left = eval(*e.a);
  for (size_t i = 0; i < e.items.size(); ++i) {
    Value right = eval(*e.items[i]);
    bool result = false;
    switch (e.compare_ops[i]) {
      case CompareOp::Eq:
        result = equals(left, right);
        break;
      case CompareOp::Ne:
        result = !equals(left, right);
        break;
      case CompareOp::Lt:
        result = compare(left, right, "<") < 0;
        break;
      case CompareOp::Le:
        result = compare(left, right, "<=") <= 0;
        break;
      case CompareOp::Gt:
        result = compare(left, right, ">") > 0;
        break;
      case CompareOp::Ge:
        result = compare(left, right, ">=") >= 0;
        break;
      case CompareOp::In:
        result = contains(right, left);
        break;
      case CompareOp::NotIn:
        result = !contains(right, left);
        break;
    }
    if (!result) return Value(false);
    left = std::move(right);
  }
  return Value(true);
}

}  // namespace lathe::jinja
