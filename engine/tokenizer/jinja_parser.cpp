#include "tokenizer/jinja_parser.h"

#include <initializer_list>

#include "tokenizer/jinja_filters.h"
#include "tokenizer/jinja_stack.h"
#include "tokenizer/jinja_text.h"

namespace lathe::jinja {

namespace {

// Jinja2 quotes token descriptions with Python's repr().
std::string quoted(const Token& t) { return repr_string(describe_token(t)); }

ExprPtr make_expr(ExprKind kind, SourcePos pos) {
  auto e = std::make_unique<Expr>();
  e->kind = kind;
  e->pos = pos;
  return e;
}

class Parser {
 public:
  Parser(std::vector<Token> tokens, int max_nesting)
      : tokens_(std::move(tokens)), max_nesting_(max_nesting) {}

  Body parse() {
    Body body = parse_body({});
    return body;
  }

 private:
  // ---- Token stream

  const Token& cur() const { return tokens_[pos_]; }
  const Token& look(size_t ahead = 1) const { return tokens_[std::min(pos_ + ahead, tokens_.size() - 1)]; }
  const Token& next() {
    const Token& t = tokens_[pos_];
    if (pos_ + 1 < tokens_.size()) ++pos_;
    return t;
  }
  bool is_op(std::string_view op) const { return cur().type == TokenType::Op && cur().value == op; }
  bool is_name(std::string_view name) const { return cur().type == TokenType::Name && cur().value == name; }
  bool skip_op(std::string_view op) {
    if (!is_op(op)) return false;
    next();
    return true;
  }
  bool skip_name(std::string_view name) {
    if (!is_name(name)) return false;
    next();
    return true;
  }

  [[noreturn]] void fail(const Token& at, std::string message) {
    raise("TemplateSyntaxError", std::move(message), at.pos);
  }

  void expect_op(std::string_view op) {
    if (!skip_op(op)) fail(cur(), "expected token " + repr_string(op) + ", got " + quoted(cur()));
  }
  const Token& expect_name() {
    if (cur().type != TokenType::Name) fail(cur(), "expected token 'name', got " + quoted(cur()));
    return next();
  }
  void expect(TokenType type) {
    if (cur().type == type) {
      next();
      return;
    }
    Token wanted;
    wanted.type = type;
    fail(cur(), "expected token " + quoted(wanted) + ", got " + quoted(cur()));
  }

  // Counts nested blocks and brackets so that a hostile template cannot exhaust the stack.
  struct DepthGuard {
    explicit DepthGuard(Parser& p) : parser(p) {
      if (++parser.depth_ > parser.max_nesting_) {
        --parser.depth_;
        raise("LimitExceeded",
              "template nested more than " + std::to_string(parser.max_nesting_) + " levels deep",
              parser.cur().pos);
      }
      if (stack_remaining() < kStackReserve) {
        --parser.depth_;
        raise("LimitExceeded", "template nested too deeply for this thread's stack", parser.cur().pos);
      }
    }
    ~DepthGuard() { --parser.depth_; }
    Parser& parser;
  };

  // A loop that wraps the node it built in another (a + b + c, x|f|g, a.b.c) nests the tree one
  // level per turn without recursing; each turn counts against max_nesting like a bracket would,
  // so evaluating or destroying the tree stays shallow too.
  struct ChainDepth {
    explicit ChainDepth(Parser& p) : parser(p) {}
    void step() {
      ++added;
      if (++parser.depth_ > parser.max_nesting_) {
        raise("LimitExceeded",
              "template nested more than " + std::to_string(parser.max_nesting_) + " levels deep",
              parser.cur().pos);
      }
    }
    ~ChainDepth() { parser.depth_ -= added; }
    Parser& parser;
    int added = 0;
  };

  // Frame state that decides what is legal: break/continue need a loop; unknown filters are an
  // error now unless directly inside an if (Jinja2 then defers the error to rendering).
  struct Frame {
    bool in_loop = false;
    bool soft = false;
  };
  struct FrameGuard {
    FrameGuard(Parser& p, Frame frame) : parser(p), saved(p.frame_) { parser.frame_ = frame; }
    ~FrameGuard() { parser.frame_ = saved; }
    Parser& parser;
    Frame saved;
  };

  // ---- Statements

  // Parses until {% name %} with a name in `end_names` (consuming the {%, leaving the name) or the
  // end of the template.
  Body parse_body(std::initializer_list<std::string_view> end_names) {
    DepthGuard guard(*this);
    Body body;
    while (true) {
      const Token& t = cur();
      switch (t.type) {
        case TokenType::Eof:
          if (end_names.size() != 0) fail_eof();
          return body;
        case TokenType::Text: {
          Stmt s;
          s.kind = StmtKind::Text;
          s.pos = t.pos;
          s.text = t.value;
          next();
          body.push_back(std::move(s));
          break;
        }
        case TokenType::VarBegin: {
          next();
          Stmt s;
          s.kind = StmtKind::Output;
          s.pos = cur().pos;
          s.expr = parse_tuple(true, {}, false);
          expect(TokenType::VarEnd);
          body.push_back(std::move(s));
          break;
        }
        case TokenType::BlockBegin: {
          next();
          if (cur().type == TokenType::Name) {
            for (std::string_view end : end_names) {
              if (cur().value == end) return body;
            }
          }
          parse_statement(body);
          break;
        }
        default:
          fail(t, "unexpected " + quoted(t));
      }
    }
  }

  [[noreturn]] void fail_eof() {
    std::string message = "Unexpected end of template.";
    append_expected(message);
    fail(cur(), message);
  }

  void append_expected(std::string& message) const {
    if (open_blocks_.empty()) return;
    const auto& [block, ends] = open_blocks_.back();
    message += " Jinja was looking for the following tags: ";
    for (size_t i = 0; i < ends.size(); ++i) message += (i ? " or '" : "'") + ends[i] + "'";
    message += ". The innermost block that needs to be closed is '" + block + "'.";
  }

  // The body of a block statement: {% ... %} body {% end %}. Leaves the end tag's name current.
  Body parse_block_body(const std::string& block, std::initializer_list<std::string_view> end_names) {
    expect(TokenType::BlockEnd);
    std::vector<std::string> ends(end_names.begin(), end_names.end());
    open_blocks_.emplace_back(block, ends);
    Body body = parse_body(end_names);
    open_blocks_.pop_back();
    return body;
  }

  void end_block() {
    next();  // the end tag's name
    expect(TokenType::BlockEnd);
  }

  void parse_statement(Body& body) {
    const Token& t = cur();
    if (t.type != TokenType::Name) fail(t, "tag name expected");
    const std::string name = t.value;
    Stmt s;
    s.pos = t.pos;
    next();
    if (name == "if") {
      parse_if(s);
    } else if (name == "for") {
      parse_for(s);
    } else if (name == "set") {
      parse_set(s);
    } else if (name == "macro") {
      parse_macro(s);
    } else if (name == "call") {
      parse_call_block(s);
    } else if (name == "filter") {
      parse_filter_block(s);
    } else if (name == "with") {
      parse_with(s);
    } else if (name == "generation") {
      s.kind = StmtKind::Scope;
      s.body = parse_block_body("generation", {"endgeneration"});
      end_block();
    } else if (name == "break" || name == "continue") {
      if (!frame_.in_loop) fail(t, "'" + name + "' outside loop");
      s.kind = name == "break" ? StmtKind::Break : StmtKind::Continue;
      expect(TokenType::BlockEnd);
    } else {
      std::string message = "Encountered unknown tag '" + name + "'.";
      append_expected(message);
      s.pos = t.pos;
      raise("TemplateSyntaxError", message, s.pos);
    }
    body.push_back(std::move(s));
  }

  void parse_if(Stmt& s) {
    s.kind = StmtKind::If;
    FrameGuard frame(*this, Frame{frame_.in_loop, true});
    while (true) {
      IfBranch branch;
      branch.condition = parse_tuple(false, {}, false);
      branch.body = parse_block_body("if", {"elif", "else", "endif"});
      s.branches.push_back(std::move(branch));
      const std::string end = next().value;
      if (end == "elif") continue;
      if (end == "else") {
        s.else_body = parse_block_body("if", {"endif"});
        next();
      }
      expect(TokenType::BlockEnd);
      return;
    }
  }

  void parse_for(Stmt& s) {
    s.kind = StmtKind::For;
    s.target = parse_target(false, {"in"});
    if (!skip_name("in")) fail(cur(), "expected token 'in', got " + quoted(cur()));
    s.expr = parse_tuple(false, {"recursive"}, false);
    if (skip_name("if")) s.condition = parse_expression(true);
    s.recursive = skip_name("recursive");
    {
      FrameGuard frame(*this, Frame{true, false});
      s.body = parse_block_body("for", {"endfor", "else"});
    }
    if (next().value == "else") {
      FrameGuard frame(*this, Frame{false, false});
      s.else_body = parse_block_body("for", {"endfor"});
      next();
    }
    expect(TokenType::BlockEnd);
  }

  void parse_set(Stmt& s) {
    s.target = parse_target(true, {});
    if (skip_op("=")) {
      s.kind = StmtKind::Set;
      s.expr = parse_tuple(true, {}, false);
      expect(TokenType::BlockEnd);
      return;
    }
    s.kind = StmtKind::SetBlock;
    if (is_op("|")) s.expr = parse_filters(make_expr(ExprKind::BlockValue, cur().pos), false);
    s.body = parse_block_body("set", {"endset"});
    end_block();
  }

  // Names to assign: "x", "a, b", "(a, b)", or with `allow_namespace` "ns.attr".
  Target parse_target(bool allow_namespace, std::initializer_list<std::string_view> end_names) {
    Target target;
    if (allow_namespace && cur().type == TokenType::Name && look().type == TokenType::Op &&
        look().value == ".") {
      target.names.push_back(next().value);
      next();
      target.attr = expect_name().value;
      return target;
    }
    const bool parenthesized = skip_op("(");
    while (true) {
      if (cur().type != TokenType::Name) {
        if (is_tuple_end({})) fail(cur(), "Expected an expression, got " + quoted(cur()));
        fail(cur(), cur().type == TokenType::Op ? "unexpected " + quoted(cur()) : "can't assign to 'const'");
      }
      const std::string& name = cur().value;
      if (name == "true" || name == "false" || name == "none" || name == "True" || name == "False" ||
          name == "None") {
        fail(cur(), "can't assign to 'const'");
      }
      target.names.push_back(next().value);
      if (!skip_op(",")) break;
      target.unpack = true;
      bool at_end = is_op(")") || cur().type == TokenType::BlockEnd || is_op("=");
      for (std::string_view end : end_names) at_end = at_end || is_name(end);
      if (at_end) break;
    }
    if (parenthesized) {
      expect_op(")");
      target.unpack = true;
    }
    return target;
  }

  std::shared_ptr<MacroDef> parse_signature(std::string name) {
    auto macro = std::make_shared<MacroDef>();
    macro->name = std::move(name);
    expect_op("(");
    while (!is_op(")")) {
      if (!macro->params.empty()) expect_op(",");
      if (is_op(")")) break;
      std::string param = expect_name().value;
      ExprPtr default_value;
      if (skip_op("=")) {
        default_value = parse_expression(true);
      } else if (!macro->params.empty() && macro->params.back().second) {
        fail(cur(), "non-default argument follows default argument");
      }
      macro->params.emplace_back(std::move(param), std::move(default_value));
    }
    expect_op(")");
    return macro;
  }

  void parse_macro_body(MacroDef& macro, const std::string& block, std::string_view end) {
    FrameGuard frame(*this, Frame{false, false});
    std::vector<bool> saved = std::exchange(macro_names_, {false, false, false});
    macro.body = parse_block_body(block, {end});
    macro.uses_varargs = macro_names_[0];
    macro.uses_kwargs = macro_names_[1];
    macro.uses_caller = macro_names_[2];
    macro_names_ = std::move(saved);
    end_block();
  }

  void parse_macro(Stmt& s) {
    s.kind = StmtKind::Macro;
    s.macro = parse_signature(expect_name().value);
    parse_macro_body(*s.macro, "macro", "endmacro");
  }

  void parse_call_block(Stmt& s) {
    s.kind = StmtKind::CallBlock;
    if (is_op("(")) {
      s.macro = parse_signature("caller");
    } else {
      s.macro = std::make_shared<MacroDef>();
      s.macro->name = "caller";
    }
    const Token& at = cur();
    s.expr = parse_expression(true);
    if (s.expr->kind != ExprKind::Call) fail(at, "expected call");
    parse_macro_body(*s.macro, "call", "endcall");
  }

  void parse_filter_block(Stmt& s) {
    s.kind = StmtKind::FilterBlock;
    s.expr = parse_filters(make_expr(ExprKind::BlockValue, cur().pos), true);
    FrameGuard frame(*this, Frame{frame_.in_loop, false});
    s.body = parse_block_body("filter", {"endfilter"});
    end_block();
  }

  void parse_with(Stmt& s) {
    s.kind = StmtKind::With;
    while (cur().type != TokenType::BlockEnd) {
      if (!s.assignments.empty()) expect_op(",");
      Target target = parse_target(false, {});
      expect_op("=");
      s.assignments.emplace_back(std::move(target), parse_expression(true));
    }
    FrameGuard frame(*this, Frame{frame_.in_loop, false});
    s.body = parse_block_body("with", {"endwith"});
    end_block();
  }

  // ---- Expressions

  bool is_tuple_end(std::initializer_list<std::string_view> end_names) const {
    if (cur().type == TokenType::VarEnd || cur().type == TokenType::BlockEnd || is_op(")")) return true;
    for (std::string_view end : end_names) {
      if (is_name(end)) return true;
    }
    return false;
  }

  ExprPtr parse_tuple(bool with_condexpr, std::initializer_list<std::string_view> end_names,
                      bool explicit_parens) {
    const SourcePos pos = cur().pos;
    std::vector<ExprPtr> items;
    bool is_tuple = false;
    while (true) {
      if (!items.empty()) expect_op(",");
      if (is_tuple_end(end_names)) break;
      items.push_back(parse_expression(with_condexpr));
      if (is_op(",")) {
        is_tuple = true;
      } else {
        break;
      }
    }
    if (!is_tuple) {
      if (!items.empty()) return std::move(items[0]);
      if (!explicit_parens) fail(cur(), "Expected an expression, got " + quoted(cur()));
    }
    ExprPtr e = make_expr(ExprKind::Tuple, pos);
    e->items = std::move(items);
    return e;
  }

  ExprPtr parse_expression(bool with_condexpr) {
    DepthGuard guard(*this);
    return with_condexpr ? parse_condexpr() : parse_or();
  }

  ExprPtr parse_condexpr() {
    ExprPtr expr = parse_or();
    ChainDepth chain(*this);
    while (is_name("if")) {
      chain.step();
      const SourcePos pos = next().pos;
      FrameGuard frame(*this, Frame{frame_.in_loop, true});
      ExprPtr e = make_expr(ExprKind::Conditional, pos);
      e->b = parse_or();
      if (skip_name("else")) {
        DepthGuard guard(*this);
        e->c = parse_condexpr();
      }
      e->a = std::move(expr);
      expr = std::move(e);
    }
    return expr;
  }

  ExprPtr binary(BinaryOp op, SourcePos pos, ExprPtr left, ExprPtr right) {
    ExprPtr e = make_expr(ExprKind::Binary, pos);
    e->binary_op = op;
    e->a = std::move(left);
    e->b = std::move(right);
    return e;
  }

  ExprPtr parse_or() {
    ExprPtr left = parse_and();
    ChainDepth chain(*this);
    while (is_name("or")) {
      chain.step();
      const SourcePos pos = next().pos;
      left = binary(BinaryOp::Or, pos, std::move(left), parse_and());
    }
    return left;
  }

  ExprPtr parse_and() {
    ExprPtr left = parse_not();
    ChainDepth chain(*this);
    while (is_name("and")) {
      chain.step();
      const SourcePos pos = next().pos;
      left = binary(BinaryOp::And, pos, std::move(left), parse_not());
    }
    return left;
  }

  ExprPtr parse_not() {
    if (is_name("not")) {
      DepthGuard guard(*this);
      ExprPtr e = make_expr(ExprKind::Unary, next().pos);
      e->unary_op = UnaryOp::Not;
      e->a = parse_not();
      return e;
    }
    return parse_compare();
  }

  ExprPtr parse_compare() {
    const SourcePos pos = cur().pos;
    ExprPtr first = parse_math1();
    ExprPtr e;
    while (true) {
      CompareOp op;
      if (cur().type == TokenType::Op && (cur().value == "==" || cur().value == "!=" || cur().value == "<" ||
                                          cur().value == "<=" || cur().value == ">" || cur().value == ">=")) {
        const std::string& v = cur().value;
        op = v == "=="   ? CompareOp::Eq
             : v == "!=" ? CompareOp::Ne
             : v == "<"  ? CompareOp::Lt
             : v == "<=" ? CompareOp::Le
             : v == ">"  ? CompareOp::Gt
                         : CompareOp::Ge;
        next();
      } else if (is_name("in")) {
        op = CompareOp::In;
        next();
      } else if (is_name("not") && look().type == TokenType::Name && look().value == "in") {
        op = CompareOp::NotIn;
        next();
        next();
      } else {
        break;
      }
      if (!e) {
        e = make_expr(ExprKind::Compare, pos);
        e->a = std::move(first);
      }
      e->compare_ops.push_back(op);
      e->items.push_back(parse_math1());
    }
    return e ? std::move(e) : std::move(first);
  }

  ExprPtr parse_math1() {
    ExprPtr left = parse_concat();
    ChainDepth chain(*this);
    while (is_op("+") || is_op("-")) {
      chain.step();
      const Token& t = next();
      const BinaryOp op = t.value == "+" ? BinaryOp::Add : BinaryOp::Sub;
      left = binary(op, t.pos, std::move(left), parse_concat());
    }
    return left;
  }

  ExprPtr parse_concat() {
    ExprPtr left = parse_math2();
    ChainDepth chain(*this);
    while (is_op("~")) {
      chain.step();
      const SourcePos pos = next().pos;
      left = binary(BinaryOp::Concat, pos, std::move(left), parse_math2());
    }
    return left;
  }

  ExprPtr parse_math2() {
    ExprPtr left = parse_pow();
    ChainDepth chain(*this);
    while (is_op("*") || is_op("/") || is_op("//") || is_op("%")) {
      chain.step();
      const Token& t = next();
      const BinaryOp op = t.value == "*"    ? BinaryOp::Mul
                          : t.value == "/"  ? BinaryOp::Div
                          : t.value == "//" ? BinaryOp::FloorDiv
                                            : BinaryOp::Mod;
      left = binary(op, t.pos, std::move(left), parse_pow());
    }
    return left;
  }

  ExprPtr parse_pow() {
    ExprPtr left = parse_unary(true);
    ChainDepth chain(*this);
    while (is_op("**")) {
      chain.step();
      const SourcePos pos = next().pos;
      left = binary(BinaryOp::Pow, pos, std::move(left), parse_unary(true));
    }
    return left;
  }

  ExprPtr parse_unary(bool with_filter) {
    DepthGuard guard(*this);
    ExprPtr node;
    if (is_op("-") || is_op("+")) {
      const Token& t = next();
      node = make_expr(ExprKind::Unary, t.pos);
      node->unary_op = t.value == "-" ? UnaryOp::Neg : UnaryOp::Pos;
      node->a = parse_unary(false);
    } else {
      node = parse_primary();
    }
    node = parse_postfix(std::move(node));
    if (with_filter) node = parse_filter_expr(std::move(node));
    return node;
  }

  ExprPtr literal(Value v, SourcePos pos) {
    ExprPtr e = make_expr(ExprKind::Literal, pos);
    e->value = std::move(v);
    return e;
  }

  ExprPtr parse_primary() {
    const Token& t = cur();
    switch (t.type) {
      case TokenType::Name: {
        next();
        if (t.value == "true" || t.value == "True") return literal(Value(true), t.pos);
        if (t.value == "false" || t.value == "False") return literal(Value(false), t.pos);
        if (t.value == "none" || t.value == "None") return literal(Value::none(), t.pos);
        if (t.value == "varargs") macro_names_[0] = true;
        if (t.value == "kwargs") macro_names_[1] = true;
        if (t.value == "caller") macro_names_[2] = true;
        ExprPtr e = make_expr(ExprKind::Name, t.pos);
        e->name = t.value;
        return e;
      }
      case TokenType::String: {
        std::string s;
        const SourcePos pos = t.pos;
        while (cur().type == TokenType::String) s += next().value;  // "a" "b" is "ab"
        return literal(Value(std::move(s)), pos);
      }
      case TokenType::Int:
        next();
        return literal(Value(t.int_value), t.pos);
      case TokenType::Float:
        next();
        return literal(Value(t.float_value), t.pos);
      case TokenType::Op:
        if (t.value == "(") {
          next();
          ExprPtr e = parse_tuple(true, {}, true);
          expect_op(")");
          return e;
        }
        if (t.value == "[") return parse_list();
        if (t.value == "{") return parse_dict();
        break;
      default:
        break;
    }
    fail(t, "unexpected " + quoted(t));
  }

  ExprPtr parse_list() {
    ExprPtr e = make_expr(ExprKind::List, next().pos);
    while (!is_op("]")) {
      if (!e->items.empty()) expect_op(",");
      if (is_op("]")) break;
      e->items.push_back(parse_expression(true));
    }
    expect_op("]");
    return e;
  }

  ExprPtr parse_dict() {
    ExprPtr e = make_expr(ExprKind::Dict, next().pos);
    while (!is_op("}")) {
      if (!e->pairs.empty()) expect_op(",");
      if (is_op("}")) break;
      ExprPtr key = parse_expression(true);
      expect_op(":");
      e->pairs.emplace_back(std::move(key), parse_expression(true));
    }
    expect_op("}");
    return e;
  }

  ExprPtr parse_postfix(ExprPtr node) {
    ChainDepth chain(*this);
    while (is_op(".") || is_op("[") || is_op("(")) {
      chain.step();
      node = is_op("(") ? parse_call(std::move(node)) : parse_subscript(std::move(node));
    }
    return node;
  }

  ExprPtr parse_filter_expr(ExprPtr node) {
    ChainDepth chain(*this);
    while (is_op("|") || is_name("is") || is_op("(")) {
      chain.step();
      if (is_op("|")) {
        node = parse_filters(std::move(node), false);
      } else if (is_name("is")) {
        node = parse_test(std::move(node));
      } else {
        node = parse_call(std::move(node));
      }
    }
    return node;
  }

  ExprPtr parse_subscript(ExprPtr node) {
    const Token& t = next();
    if (t.value == ".") {
      const Token& attr = next();
      if (attr.type == TokenType::Name) {
        ExprPtr e = make_expr(ExprKind::GetAttr, attr.pos);
        e->a = std::move(node);
        e->name = attr.value;
        return e;
      }
      if (attr.type != TokenType::Int) fail(attr, "expected name or number");
      ExprPtr e = make_expr(ExprKind::GetItem, attr.pos);
      e->a = std::move(node);
      e->b = literal(Value(attr.int_value), attr.pos);
      return e;
    }
    // [ index ] or [ start:stop:step ] (or a tuple of indices)
    DepthGuard guard(*this);
    std::vector<ExprPtr> args;
    ExprPtr slice;
    while (!is_op("]")) {
      if (!args.empty() || slice) expect_op(",");
      ExprPtr sub = parse_subscribed();
      if (sub->kind == ExprKind::Slice && !sub->a) {
        slice = std::move(sub);
      } else {
        args.push_back(std::move(sub));
      }
    }
    expect_op("]");
    if (slice && args.empty()) {
      slice->a = std::move(node);
      return slice;
    }
    if (slice) fail(t, "slices inside a tuple index are not supported");
    ExprPtr e = make_expr(ExprKind::GetItem, t.pos);
    e->a = std::move(node);
    if (args.size() == 1) {
      e->b = std::move(args[0]);
    } else {
      e->b = make_expr(ExprKind::Tuple, t.pos);
      e->b->items = std::move(args);
    }
    return e;
  }

  // An index expression or a slice (returned as a Slice whose object `a` is still null).
  ExprPtr parse_subscribed() {
    const SourcePos pos = cur().pos;
    ExprPtr start;
    if (!is_op(":")) {
      start = parse_expression(true);
      if (!is_op(":")) return start;
    }
    next();  // ':'
    ExprPtr e = make_expr(ExprKind::Slice, pos);
    e->b = std::move(start);
    if (!is_op(":") && !is_op("]") && !is_op(",")) e->c = parse_expression(true);
    if (skip_op(":")) {
      if (!is_op("]") && !is_op(",")) e->d = parse_expression(true);
    }
    return e;
  }

  Arguments parse_call_args() {
    DepthGuard guard(*this);
    const Token& open = cur();
    expect_op("(");
    Arguments args;
    bool require_comma = false;
    while (!is_op(")")) {
      if (require_comma) {
        expect_op(",");
        if (is_op(")")) break;
      }
      if (is_op("*") || is_op("**")) fail(cur(), "*args and **kwargs in calls are not supported");
      if (cur().type == TokenType::Name && look().type == TokenType::Op && look().value == "=") {
        std::string key = next().value;
        next();
        args.keyword.emplace_back(std::move(key), parse_expression(true));
      } else {
        if (!args.keyword.empty()) fail(open, "invalid syntax for function call expression");
        args.positional.push_back(parse_expression(true));
      }
      require_comma = true;
    }
    expect_op(")");
    return args;
  }

  ExprPtr parse_call(ExprPtr node) {
    ExprPtr e = make_expr(ExprKind::Call, node->pos);
    e->a = std::move(node);
    e->args = parse_call_args();
    return e;
  }

  std::string parse_dotted_name(const Token& first) {
    std::string name = first.value;
    while (is_op(".")) {
      next();
      name += "." + expect_name().value;
    }
    return name;
  }

  // | f | g(args) ...; with `start_inline` the first filter has no pipe (filter blocks).
  ExprPtr parse_filters(ExprPtr node, bool start_inline) {
    ChainDepth chain(*this);
    while (is_op("|") || start_inline) {
      chain.step();
      if (!start_inline) next();
      start_inline = false;
      const Token& t = expect_name();
      ExprPtr e = make_expr(ExprKind::Filter, t.pos);
      e->name = parse_dotted_name(t);
      if (!frame_.soft && !find_filter(e->name)) {
        raise("TemplateAssertionError", "No filter named '" + e->name + "'.", t.pos);
      }
      if (is_op("(")) e->args = parse_call_args();
      e->a = std::move(node);
      node = std::move(e);
    }
    return node;
  }

  ExprPtr parse_test(ExprPtr node) {
    next();  // 'is'
    const bool negated = skip_name("not");
    const Token& t = expect_name();
    ExprPtr e = make_expr(ExprKind::Test, t.pos);
    e->name = parse_dotted_name(t);
    e->negated = negated;
    if (!frame_.soft && !find_test(e->name)) {
      raise("TemplateAssertionError", "No test named '" + e->name + "'.", t.pos);
    }
    if (is_op("(")) {
      e->args = parse_call_args();
    } else if ((cur().type == TokenType::Name || cur().type == TokenType::String ||
                cur().type == TokenType::Int || cur().type == TokenType::Float || is_op("(") || is_op("[") ||
                is_op("{")) &&
               !is_name("else") && !is_name("or") && !is_name("and")) {
      if (is_name("is")) fail(cur(), "You cannot chain multiple tests with is");
      DepthGuard guard(*this);
      e->args.positional.push_back(parse_postfix(parse_primary()));
    }
    e->a = std::move(node);
    return e;
  }

  std::vector<Token> tokens_;
  size_t pos_ = 0;
  int depth_ = 0;
  int max_nesting_;
  Frame frame_;
  std::vector<std::pair<std::string, std::vector<std::string>>> open_blocks_;
  std::vector<bool> macro_names_ = {false, false, false};  // varargs, kwargs, caller seen
};

}  // namespace

Body parse_template(std::string_view source, const LexOptions& options, int max_nesting) {
  return Parser(tokenize(source, options), max_nesting).parse();
}

}  // namespace lathe::jinja
