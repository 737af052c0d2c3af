#pragma once
// The filter and test tables (jinja_filters.cpp, jinja_tests.cpp), Python's operators on values
// (jinja_ops.cpp) and its string formatting (jinja_format.cpp), shared by the parser (which checks
// filter and test names) and the interpreter.

#include <optional>
#include <string_view>

#include "tokenizer/jinja_ast.h"
#include "tokenizer/jinja_value.h"

namespace lathe::jinja {

class Interpreter;

using FilterFn = Value (*)(Interpreter& interp, const Value& input, CallArgs& args);
using TestFn = bool (*)(Interpreter& interp, const Value& input, CallArgs& args);

// nullptr when there is no such filter or test.
FilterFn find_filter(std::string_view name);
TestFn find_test(std::string_view name);

// Python's binary operators (+ - * / // % ** and ~ as Jinja defines it); TypeError,
// ZeroDivisionError or UndefinedError as Python raises them.
Value binary_operator(Interpreter& interp, BinaryOp op, const Value& a, const Value& b);
Value unary_operator(UnaryOp op, const Value& a);
// `item in container`.
bool contains(const Value& container, const Value& item);
// Python's printf-style formatting: "%s and %d" % (a, 1), also the `format` filter.
std::string percent_format(const std::string& format, const Value& args);
// Python's str.format(*args, **kwargs) ("{} {name} {0:>5}"), as the sandbox allows it.
std::string python_format(Interpreter& interp, const std::string& format, CallArgs& args);

}  // namespace lathe::jinja
