#include "tokenizer/jinja_lexer.h"

#include <charconv>
#include <cstring>

#include "tokenizer/jinja_text.h"

namespace lathe::jinja {

namespace {

bool is_digit(char c) { return c >= '0' && c <= '9'; }
bool is_name_start(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_'; }
bool is_name_char(char c) { return is_name_start(c) || is_digit(c); }

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

class Lexer {
 public:
  Lexer(std::string_view source, const LexOptions& options) : options_(options) {
    // Normalize \r\n and \r to \n, then drop one trailing newline (keep_trailing_newline off).
    src_.reserve(source.size());
    for (size_t i = 0; i < source.size(); ++i) {
      if (source[i] == '\r') {
        src_ += '\n';
        if (i + 1 < source.size() && source[i + 1] == '\n') ++i;
      } else {
        src_ += source[i];
      }
    }
    if (!options_.keep_trailing_newline && !src_.empty() && src_.back() == '\n') src_.pop_back();
  }

  std::vector<Token> run() {
    size_t pos = 0;
    const size_t n = src_.size();
    while (pos < n) {
      const size_t tag = find_tag(pos);
      if (tag == std::string::npos) {
        emit_text(pos, n);
        break;
      }
      const char kind = src_[tag + 1];
      const char modifier =
          (tag + 2 < n && (src_[tag + 2] == '-' || src_[tag + 2] == '+')) ? src_[tag + 2] : 0;
      size_t raw_end = kind == '%' ? match_raw_begin(tag) : std::string::npos;
      const bool lstrip_eligible = kind != '{';
      emit_text(pos, whitespace_controlled_end(pos, tag, modifier, lstrip_eligible));
      const size_t body = tag + 2 + (modifier ? 1 : 0);
      if (raw_end != std::string::npos) {
        pos = lex_raw(raw_end);
      } else if (kind == '#') {
        pos = skip_comment(tag, body);
      } else {
        pos = lex_tag(tag, body, kind == '%');
      }
    }
    Token eof;
    eof.type = TokenType::Eof;
    eof.pos = pos_at(n);
    tokens_.push_back(std::move(eof));
    return std::move(tokens_);
  }

 private:
  [[noreturn]] void fail(size_t offset, std::string message) {
    raise("TemplateSyntaxError", std::move(message), pos_at(offset));
  }

  // Line and column of a byte offset. Offsets mostly arrive in increasing order, so a cursor
  // keeps this linear in the template size.
  SourcePos pos_at(size_t offset) {
    if (offset < cursor_offset_) cursor_offset_ = 0, cursor_.line = 1, cursor_.column = 1;
    for (; cursor_offset_ < offset && cursor_offset_ < src_.size(); ++cursor_offset_) {
      const auto c = static_cast<unsigned char>(src_[cursor_offset_]);
      if (c == '\n') {
        ++cursor_.line;
        cursor_.column = 1;
      } else if ((c & 0xC0) != 0x80) {
        ++cursor_.column;
      }
    }
    return cursor_;
  }

  size_t find_tag(size_t from) const {
    for (size_t i = src_.find('{', from); i != std::string::npos; i = src_.find('{', i + 1)) {
      if (i + 1 < src_.size() && (src_[i + 1] == '{' || src_[i + 1] == '%' || src_[i + 1] == '#')) return i;
    }
    return std::string::npos;
  }

  bool starts_with(size_t at, std::string_view s) const { return src_.compare(at, s.size(), s) == 0; }

  size_t skip_spaces(size_t at) const {
    while (at < src_.size()) {
      size_t next = at;
      if (!is_space(decode_at(src_, next))) break;
      at = next;
    }
    return at;
  }

  // Jinja's OptionalLStrip: where the text before a tag ends once the tag's whitespace control is
  // applied. "-" strips all whitespace; otherwise lstrip_blocks drops the spaces between the start
  // of the line and a block or comment tag.
  size_t whitespace_controlled_end(size_t text_start, size_t text_end, char modifier, bool lstrip_eligible) {
    const std::string_view text = std::string_view(src_).substr(text_start, text_end - text_start);
    if (modifier == '-') return text_start + strip(text, nullptr, false, true).size();
    if (modifier == '+' || !options_.lstrip_blocks || !lstrip_eligible) return text_end;
    const size_t nl = text.rfind('\n');
    const size_t l_pos = nl == std::string_view::npos ? 0 : nl + 1;
    const bool line_starting = text_start == 0 || src_[text_start - 1] == '\n';
    if (l_pos == 0 && !line_starting) return text_end;
    const std::string_view tail = text.substr(l_pos);
    if (tail.empty() || !strip(tail, nullptr, true, false).empty()) return text_end;
    return text_start + l_pos;
  }

  void emit_text(size_t begin, size_t end) {
    if (end <= begin) return;
    Token t;
    t.type = TokenType::Text;
    t.value = src_.substr(begin, end - begin);
    t.pos = pos_at(begin);
    tokens_.push_back(std::move(t));
  }

  // After a tag's closing marker: "-" eats the following whitespace, trim_blocks one newline.
  size_t after_tag_end(size_t end, char end_modifier, bool trims) {
    if (end_modifier == '-') return skip_spaces(end);
    if (end_modifier == 0 && trims && options_.trim_blocks && end < src_.size() && src_[end] == '\n')
      return end + 1;
    return end;
  }

  // {%[-+]? \s* raw \s* (-%}\s* | %}): returns the offset after it, or npos.
  size_t match_raw_begin(size_t tag) const {
    size_t p = tag + 2;
    if (p < src_.size() && (src_[p] == '-' || src_[p] == '+')) ++p;
    p = skip_spaces(p);
    if (!starts_with(p, "raw")) return std::string::npos;
    p = skip_spaces(p + 3);
    if (starts_with(p, "-%}")) return skip_spaces(p + 3);
    if (starts_with(p, "%}")) return p + 2;
    return std::string::npos;
  }

  size_t lex_raw(size_t body) {
    for (size_t tag = src_.find("{%", body); tag != std::string::npos; tag = src_.find("{%", tag + 1)) {
      size_t p = tag + 2;
      char modifier = 0;
      if (p < src_.size() && (src_[p] == '-' || src_[p] == '+')) modifier = src_[p++];
      p = skip_spaces(p);
      if (!starts_with(p, "endraw")) continue;
      p = skip_spaces(p + 6);
      char end_modifier = 0;
      if (starts_with(p, "+%}") || starts_with(p, "-%}")) {
        end_modifier = src_[p];
        p += 3;
      } else if (starts_with(p, "%}")) {
        p += 2;
      } else {
        continue;
      }
      emit_text(body, whitespace_controlled_end(body, tag, modifier, true));
      return after_tag_end(p, end_modifier, true);
    }
    fail(body, "Missing end of raw directive");
  }

  size_t skip_comment(size_t tag, size_t body) {
    const size_t close = src_.find("#}", body);
    if (close == std::string::npos) fail(tag, "Missing end of comment tag");
    char end_modifier = 0;
    if (close > body && (src_[close - 1] == '-' || src_[close - 1] == '+')) end_modifier = src_[close - 1];
    return after_tag_end(close + 2, end_modifier, true);
  }

  // The tokens of a {{ }} or {% %} tag; returns the offset after its end.
  size_t lex_tag(size_t tag, size_t p, bool block) {
    Token begin;
    begin.type = block ? TokenType::BlockBegin : TokenType::VarBegin;
    begin.pos = pos_at(tag);
    tokens_.push_back(std::move(begin));
    std::vector<char> brackets;  // closing brackets expected, innermost last
    const size_t n = src_.size();
    while (true) {
      p = skip_spaces(p);
      if (p >= n)
        fail(tag,
             block ? "unexpected end of template: missing '%}'" : "unexpected end of template: missing '}}'");
      if (brackets.empty()) {
        const char* close = block ? "%}" : "}}";
        char end_modifier = 0;
        size_t end = std::string::npos;
        if (block && starts_with(p, "+%}")) {
          end_modifier = '+', end = p + 3;
        } else if (src_[p] == '-' && starts_with(p + 1, close)) {
          end_modifier = '-', end = p + 3;
        } else if (starts_with(p, close)) {
          end = p + 2;
        }
        if (end != std::string::npos) {
          Token t;
          t.type = block ? TokenType::BlockEnd : TokenType::VarEnd;
          t.pos = pos_at(p);
          tokens_.push_back(std::move(t));
          return after_tag_end(end, end_modifier, block);
        }
      }
      p = lex_expression_token(p, brackets);
    }
  }

  size_t lex_expression_token(size_t p, std::vector<char>& brackets) {
    const char c = src_[p];
    Token t;
    t.pos = pos_at(p);
    if (is_digit(c)) return lex_number(p, std::move(t));
    if (is_name_start(c) || starts_unicode_name(p)) {
      size_t e = p;
      while (e < src_.size()) {
        if (is_name_char(src_[e])) {
          ++e;
        } else if (starts_unicode_name(e)) {
          decode_at(src_, e);
        } else {
          break;
        }
      }
      t.type = TokenType::Name;
      t.value = src_.substr(p, e - p);
      tokens_.push_back(std::move(t));
      return e;
    }
    if (c == '\'' || c == '"') return lex_string(p, std::move(t));
    static const char* const kOps[] = {"//", "**", "==", "!=", ">=", "<=", "+", "-", "/", "*", "%", "~", "[",
                                       "]",  "(",  ")",  "{",  "}",  ">",  "<", "=", ".", ":", "|", ",", ";"};
    for (const char* op : kOps) {
      if (!starts_with(p, op)) continue;
      const std::string_view s(op);
      if (s == "(" || s == "[" || s == "{") {
        brackets.push_back(s == "(" ? ')' : s == "[" ? ']' : '}');
      } else if (s == ")" || s == "]" || s == "}") {
        if (brackets.empty()) fail(p, "unexpected '" + std::string(s) + "'");
        if (brackets.back() != s[0]) {
          fail(p, "unexpected '" + std::string(s) + "', expected '" + std::string(1, brackets.back()) + "'");
        }
        brackets.pop_back();
      }
      t.type = TokenType::Op;
      t.value = std::string(s);
      tokens_.push_back(std::move(t));
      return p + s.size();
    }
    unexpected_char(p);
  }

  // Identifiers may use non-ASCII letters, as Python's do.
  bool starts_unicode_name(size_t p) const {
    if (static_cast<unsigned char>(src_[p]) < 0x80) return false;
    return is_word_char(decode_at(src_, p));
  }

  [[noreturn]] void unexpected_char(size_t p) {
    size_t next = p;
    std::string shown;
    append_utf8(shown, decode_at(src_, next));
    fail(p, "unexpected char " + repr_string(shown) + " at " +
                std::to_string(utf8_length(std::string_view(src_).substr(0, p))));
  }

  // Digits with single underscores between them (Python's (\d+_)*\d+); returns the end or p.
  size_t scan_digits(size_t p) const {
    size_t e = p;
    while (e < src_.size() && is_digit(src_[e])) {
      ++e;
      if (e + 1 < src_.size() && src_[e] == '_' && is_digit(src_[e + 1])) ++e;
    }
    return e;
  }

  size_t lex_number(size_t p, Token t) {
    const size_t n = src_.size();
    // Floats: digits (.digits)? e[+-]?digits, or digits .digits; never right after a '.' (a.0.1).
    const bool after_dot = p > 0 && src_[p - 1] == '.';
    size_t e = scan_digits(p);
    bool is_float = false;
    if (!after_dot) {
      size_t f = e;
      if (f + 1 < n && src_[f] == '.' && is_digit(src_[f + 1])) {
        f = scan_digits(f + 1);
        is_float = true;
      }
      if (f < n && (src_[f] == 'e' || src_[f] == 'E')) {
        size_t x = f + 1;
        if (x < n && (src_[x] == '+' || src_[x] == '-')) ++x;
        if (x < n && is_digit(src_[x])) {
          f = scan_digits(x);
          is_float = true;
        }
      }
      if (is_float) e = f;
    }
    if (is_float) {
      std::string digits;
      for (size_t i = p; i < e; ++i) {
        if (src_[i] != '_') digits += src_[i];
      }
      t.type = TokenType::Float;
      std::from_chars(digits.data(), digits.data() + digits.size(), t.float_value);
      tokens_.push_back(std::move(t));
      return e;
    }
    // Integers: 0b / 0o / 0x prefixes, or decimal without leading zeros (0, 0_0 allowed).
    int base = 10;
    size_t start = p;
    if (src_[p] == '0' && p + 1 < n) {
      const char x = static_cast<char>(src_[p + 1] | 0x20);
      if (x == 'b' || x == 'o' || x == 'x') {
        base = x == 'b' ? 2 : x == 'o' ? 8 : 16;
        start = p + 2;
      }
    }
    std::string digits;
    e = start;
    if (base == 10 && src_[p] == '0') {
      while (e < n && (src_[e] == '0' || (src_[e] == '_' && e + 1 < n && src_[e + 1] == '0'))) ++e;
      digits = "0";
    } else {
      while (e < n) {
        if (src_[e] == '_' && e + 1 < n && hex_value(src_[e + 1]) >= 0 && hex_value(src_[e + 1]) < base) {
          ++e;
          continue;
        }
        const int v = hex_value(src_[e]);
        if (v < 0 || v >= base) break;
        digits += src_[e++];
      }
      if (digits.empty()) {  // "0x" with no digits: just the 0
        digits = "0";
        e = p + 1;
        base = 10;
      }
    }
    t.type = TokenType::Int;
    auto [ptr, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), t.int_value, base);
    if (ec != std::errc()) fail(p, "integer literal too large: " + src_.substr(p, e - p));
    (void)ptr;
    tokens_.push_back(std::move(t));
    return e;
  }

  // A quoted string; escapes decode as Python's "unicode-escape" codec does.
  size_t lex_string(size_t p, Token t) {
    const char quote = src_[p];
    std::string out;
    size_t i = p + 1;
    const size_t n = src_.size();
    while (true) {
      if (i >= n) unexpected_char(p);
      const char c = src_[i];
      if (c == quote) break;
      if (c != '\\') {
        out += c;
        ++i;
        continue;
      }
      if (i + 1 >= n) unexpected_char(p);
      const char e = src_[i + 1];
      i += 2;
      switch (e) {
        case '\n':
          break;
        case '\\':
          out += '\\';
          break;
        case '\'':
          out += '\'';
          break;
        case '"':
          out += '"';
          break;
        case 'a':
          out += '\a';
          break;
        case 'b':
          out += '\b';
          break;
        case 'f':
          out += '\f';
          break;
        case 'n':
          out += '\n';
          break;
        case 'r':
          out += '\r';
          break;
        case 't':
          out += '\t';
          break;
        case 'v':
          out += '\v';
          break;
        case 'x':
        case 'u':
        case 'U': {
          const int len = e == 'x' ? 2 : e == 'u' ? 4 : 8;
          char32_t cp = 0;
          for (int k = 0; k < len; ++k) {
            const int v = i + k < n ? hex_value(src_[i + k]) : -1;
            if (v < 0) fail(p, std::string("truncated \\") + e + " escape");
            cp = cp * 16 + static_cast<char32_t>(v);
          }
          if (cp > 0x10FFFF) fail(p, "illegal Unicode character");
          i += len;
          append_utf8(out, cp);
          break;
        }
        case 'N':
          fail(p, "\\N{...} escapes are not supported");
        default:
          if (e >= '0' && e <= '7') {
            char32_t cp = static_cast<char32_t>(e - '0');
            for (int k = 0; k < 2 && i < n && src_[i] >= '0' && src_[i] <= '7'; ++k)
              cp = cp * 8 + (src_[i++] - '0');
            append_utf8(out, cp);
          } else {
            out += '\\';  // unknown escapes stay as written
            out += e;
          }
      }
    }
    t.type = TokenType::String;
    t.value = std::move(out);
    tokens_.push_back(std::move(t));
    return i + 1;
  }

  LexOptions options_;
  std::string src_;
  std::vector<Token> tokens_;
  size_t cursor_offset_ = 0;
  SourcePos cursor_{1, 1};
};

}  // namespace

std::vector<Token> tokenize(std::string_view source, const LexOptions& options) {
  return Lexer(source, options).run();
}

std::string describe_token(const Token& token) {
  switch (token.type) {
    case TokenType::Text:
      return "template data / text";
    case TokenType::VarBegin:
      return "begin of print statement";
    case TokenType::VarEnd:
      return "end of print statement";
    case TokenType::BlockBegin:
      return "begin of statement block";
    case TokenType::BlockEnd:
      return "end of statement block";
    case TokenType::Name:
      return token.value;
    case TokenType::String:
      return "string";
    case TokenType::Int:
      return "integer";
    case TokenType::Float:
      return "float";
    case TokenType::Op:
      return token.value;
    case TokenType::Eof:
      return "end of template";
  }
  return "token";
}

}  // namespace lathe::jinja
