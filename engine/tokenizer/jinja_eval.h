#pragma once
// The tree-walking interpreter that renders a parsed template.
//
// Scoping follows Jinja2: the render variables are the outermost scope (with the globals range,
// dict, namespace, cycler, joiner, raise_exception and strftime_now behind them), the template's
// top level is a scope of its own, each for-loop iteration, macro call, call/set/filter block and
// `with` gets a fresh child scope, and `if` blocks share their parent's. Macros see the scope they
// were defined in as it is when they are called.
//
// Every render is bounded (RenderLimits): a hostile template ends with a LimitExceeded error instead
// of hanging, exhausting memory or overflowing the stack. Errors travel as JinjaException inside
// the interpreter; ChatTemplate (chat_template.h) turns them into Result errors.

#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "tokenizer/jinja_ast.h"
#include "tokenizer/jinja_value.h"

namespace lathe::jinja {

struct RenderLimits {
  // Largest rendered output, and largest string any expression, macro or block may produce.
  uint64_t max_output_bytes = 16ull << 20;
  // Bytes of strings, lists and dicts built over the whole render (what was allocated, not what
  // is alive at once): bounds both memory and time spent copying.
  uint64_t max_total_bytes = 256ull << 20;
  // for-loop iterations over the whole render, all loops together.
  uint64_t max_loop_iterations = 1'000'000;
  // Statements and expressions evaluated over the whole render (macro calls that fan out are
  // bounded by this). Real templates take thousands to tens of thousands.
  uint64_t max_steps = 10'000'000;
  // Macros calling macros (and recursive loops calling loop()).
  int max_call_depth = 64;
  // Nesting of blocks and brackets in the source, and of evaluation at render time. Both also stop
  // when the thread's stack runs low (jinja_stack.h).
  int max_nesting = 256;
  int max_eval_depth = 2048;
  // Wall-clock backstop for whatever the counts above let through; 0 disables it.
  double max_seconds = 10.0;
};

// A local date and time, for strftime_now().
struct DateTime {
  int year = 1970;
  int month = 1;  // 1..12
  int day = 1;    // 1..31
  int hour = 0;
  int minute = 0;
  int second = 0;
  // The current local time.
  static DateTime now();
};

struct RenderOptions {
  RenderLimits limits;
  std::optional<DateTime> now;  // what strftime_now() formats; the current time when unset
};

struct Scope;

class Interpreter {
 public:
  // `variables`: the render variables (a dict value; keys are the names).
  Interpreter(const RenderOptions& options, const Value& variables);
  ~Interpreter();
  Interpreter(const Interpreter&) = delete;
  Interpreter& operator=(const Interpreter&) = delete;

  // Renders a template; throws JinjaException.
  std::string render(const Body& program);

  // ---- Services for filters, methods and globals

  const RenderOptions& options() const { return options_; }
  DateTime now() const { return options_.now ? *options_.now : DateTime::now(); }

  // Counts bytes about to be built against max_total_bytes (LimitExceeded past it).
  void charge(uint64_t bytes);
  // Fails (LimitExceeded) when a string of this size would be longer than max_output_bytes; for
  // checking before building a string that may be huge.
  void check_string_size(uint64_t bytes) const;
  // A string result: checked against max_output_bytes and charged.
  Value make_string(std::string s);
  // A list or tuple result, charged per element.
  Value make_list(ValueList items, bool tuple = false);
  // Python iteration: list/tuple/view items, dict keys, string characters, nothing for undefined;
  // TypeError "'int' object is not iterable" otherwise. (jinja_access.cpp)
  ValueList iterate(const Value& v);

  Value call(const Value& callee, CallArgs& args);
  // Jinja2's getattr (obj.name) and getitem (obj[key]) under the immutable sandbox.
  // (jinja_access.cpp)
  Value get_attr(const Value& obj, const std::string& name);
  Value get_item(const Value& obj, const Value& key);
  Value apply_filter(const std::string& name, const Value& input, CallArgs& args);
  bool apply_test(const std::string& name, const Value& input, CallArgs& args);

  // Keeps an object (a namespace) alive until the render ends, when reference cycles are broken.
  void track(const std::shared_ptr<Object>& object);

  // Runs a macro: binds arguments, renders the body in a fresh scope under the closure.
  Value call_macro(const MacroDef& macro, const std::shared_ptr<Scope>& closure, CallArgs& args);
  // loop(items) inside a recursive for loop: renders the loop over `items` one level deeper.
  Value call_loop(const Stmt& loop, const std::shared_ptr<Scope>& scope, const Value& items, int depth);

 private:
  enum class Flow { Normal, Break, Continue };

  Flow exec_body(const Body& body, std::string& out);
  Flow exec(const Stmt& s, std::string& out);
  Flow exec_for(const Stmt& s, std::string& out);
  void run_loop(const Stmt& s, const Value& iterable, int depth, std::string& out);
  void exec_set(const Stmt& s);
  void exec_call_block(const Stmt& s, std::string& out);
  void assign(const Target& target, const Value& value, SourcePos pos);
  std::string render_captured(const Body& body);
  void append(std::string& out, std::string_view piece);

  Value eval(const Expr& e);
  Value eval_node(const Expr& e);
  Value eval_name(const Expr& e);
  Value eval_dict(const Expr& e);
  Value eval_slice(const Expr& e);
  Value eval_call(const Expr& e);
  Value eval_filter(const Expr& e);
  Value eval_test(const Expr& e);
  Value eval_binary(const Expr& e);
  Value eval_compare(const Expr& e);
  CallArgs eval_args(const Arguments& args);

  const Value* lookup(const std::string& name) const;
  void tick();

  struct DepthGuard;

  RenderOptions options_;
  TextLimit text_limit_;          // printing one value stays under max_output_bytes
  std::shared_ptr<Scope> scope_;  // the innermost scope
  std::vector<std::shared_ptr<Scope>> macro_scopes_;
  std::vector<std::shared_ptr<Object>> tracked_;
  std::optional<Value> block_value_;  // what BlockValue evaluates to inside a filter/set block chain
  uint64_t total_bytes_ = 0;
  uint64_t loop_iterations_ = 0;
  uint64_t ticks_ = 0;
  int eval_depth_ = 0;
  int call_depth_ = 0;
  std::chrono::steady_clock::time_point deadline_;
};

// Globals and Python methods of builtin values (jinja_builtins.cpp).
const Value* find_global(const std::string& name);
// obj.name for str, list, tuple and dict values: a bound method, an unsafe-attribute undefined
// (list.append and the like raise SecurityError when used), or nullopt when Python has no such
// attribute.
std::optional<Value> builtin_attribute(const Value& obj, const std::string& name);

}  // namespace lathe::jinja
