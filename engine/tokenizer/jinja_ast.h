#pragma once
// The syntax tree of a parsed Jinja template. One Expr and one Stmt struct each, tagged by kind;
// the comment on each kind says which fields it uses. Every node keeps its source position for
// error messages.

#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "tokenizer/jinja_value.h"

namespace lathe::jinja {

struct Expr;
struct Stmt;
using ExprPtr = std::unique_ptr<Expr>;
using Body = std::vector<Stmt>;

struct Arguments {
  std::vector<ExprPtr> positional;
  std::vector<std::pair<std::string, ExprPtr>> keyword;
};

enum class BinaryOp { Add, Sub, Mul, Div, FloorDiv, Mod, Pow, Concat, And, Or };
enum class CompareOp { Eq, Ne, Lt, Le, Gt, Ge, In, NotIn };
enum class UnaryOp { Neg, Pos, Not };

enum class ExprKind {
  Literal,      // value
  Name,         // name
  List,         // items
  Tuple,        // items
  Dict,         // pairs
  GetAttr,      // a.name
  GetItem,      // a[b]
  Slice,        // a[b:c:d]; missing parts are null
  Call,         // a(args)
  Filter,       // a | name(args); a is null for the chain of a filter block or set block
  Test,         // a is [not] name(args); negated
  Unary,        // unary_op a
  Binary,       // a binary_op b (and/or short-circuit)
  Compare,      // a, then compare_ops[i] items[i] (chained)
  Conditional,  // a if b else c (c may be null)
  BlockValue,   // the captured body of a filter block or set block
};

struct Expr {
  ExprKind kind = ExprKind::Literal;
  SourcePos pos;
  Value value;
  std::string name;
  ExprPtr a, b, c, d;
  std::vector<ExprPtr> items;
  std::vector<std::pair<ExprPtr, ExprPtr>> pairs;
  Arguments args;
  BinaryOp binary_op = BinaryOp::Add;
  UnaryOp unary_op = UnaryOp::Neg;
  std::vector<CompareOp> compare_ops;
  bool negated = false;
};

// Where a for loop or set stores values: one name, several names (unpacking), or ns.attr.
struct Target {
  std::vector<std::string> names;
  bool unpack = false;  // names came as a tuple: "a, b" or "(a,)"
  std::string attr;     // set ns.attr = ...: names[0] is the namespace
};

struct MacroDef {
  std::string name;
  std::vector<std::pair<std::string, ExprPtr>> params;  // default may be null
  Body body;
  // Whether the body mentions these; Jinja2 lets a macro take extra arguments only then.
  bool uses_varargs = false;
  bool uses_kwargs = false;
  bool uses_caller = false;
};

struct IfBranch {
  ExprPtr condition;
  Body body;
};

enum class StmtKind {
  Text,         // text
  Output,       // {{ expr }}
  If,           // branches, else_body
  For,          // target in expr [if condition] [recursive] body [else else_body]
  Set,          // target = expr
  SetBlock,     // target [| filter (expr)] = body
  Macro,        // macro
  CallBlock,    // {% call(macro->params) expr %} macro->body
  FilterBlock,  // {% filter expr %} body
  With,         // assignments, body
  Scope,        // body in its own scope ({% generation %})
  Break,
  Continue,
};

struct Stmt {
  StmtKind kind = StmtKind::Text;
  SourcePos pos;
  std::string text;
  ExprPtr expr;
  ExprPtr condition;
  Target target;
  std::vector<IfBranch> branches;
  Body body;
  Body else_body;
  std::shared_ptr<MacroDef> macro;
  std::vector<std::pair<Target, ExprPtr>> assignments;
  bool recursive = false;  // For: the body may call loop(items) to render nested items
};

}  // namespace lathe::jinja
