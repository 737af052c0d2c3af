#pragma once
// Splits a Jinja template into tokens exactly as Jinja2's lexer does with the settings Hugging Face
// transformers renders chat templates with: trim_blocks (the newline after a block or comment tag is
// dropped), lstrip_blocks (spaces and tabs before a block or comment tag at the start of a line are
// dropped), keep_trailing_newline off, and the {%- -%} {{- -}} {#- -#} {%+ +%} markers. Line breaks
// are normalized to \n. {% raw %} bodies come out as plain text.

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "tokenizer/jinja_value.h"

namespace lathe::jinja {

enum class TokenType {
  Text,        // template data outside tags
  VarBegin,    // {{
  VarEnd,      // }}
  BlockBegin,  // {%
  BlockEnd,    // %}
  Name,
  String,  // value holds the unescaped text
  Int,
  Float,
  Op,  // value holds the operator: + - * / // % ** ~ == != < <= > >= = . : | , ( ) [ ] { }
  Eof,
};

struct Token {
  TokenType type = TokenType::Eof;
  std::string value;
  int64_t int_value = 0;
  double float_value = 0.0;
  SourcePos pos;
};

struct LexOptions {
  bool trim_blocks = true;
  bool lstrip_blocks = true;
  bool keep_trailing_newline = false;
};

// Throws JinjaException (TemplateSyntaxError, naming line and column) on malformed input.
std::vector<Token> tokenize(std::string_view source, const LexOptions& options);

// A token as Jinja2's error messages name it: "endfor", "end of print statement", ")".
std::string describe_token(const Token& token);

}  // namespace lathe::jinja
