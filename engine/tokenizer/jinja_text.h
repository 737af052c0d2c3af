#pragma once
// Text helpers for the Jinja interpreter. Template strings are UTF-8 but behave like Python str:
// lengths, indices and slices count code points, and strip/split/upper/lower follow Python's rules.
// Bytes that are not valid UTF-8 decode to U+DC80..U+DCFF (Python's "surrogateescape") and encode
// back to the same byte, so no input is ever rejected or altered by a round trip.
//
// Case mapping covers ASCII, Latin-1, Latin Extended-A, Greek, Cyrillic and fullwidth Latin; other
// scripts are left as they are (Python maps a few more).

#include <cstdint>
#include <cstdio>
#include <string>
#include <string_view>
#include <vector>

namespace lathe::jinja {

// UTF-8 <-> code points. decode_at reads the code point at text[i] and moves i past it.
char32_t decode_at(std::string_view text, size_t& i);
std::u32string decode_utf8(std::string_view text);
void append_utf8(std::string& out, char32_t cp);
std::string encode_utf8(std::u32string_view cps);
// Number of code points (Python len()).
size_t utf8_length(std::string_view text);
bool is_ascii(std::string_view text);

// Python str.isspace() for one code point (also what \s matches in Python's re).
bool is_space(char32_t cp);
// Python's \w for one code point (letters, digits, underscore); approximate outside the scripts
// listed above.
bool is_word_char(char32_t cp);

// Python str.strip/lstrip/rstrip. `chars` == nullptr strips whitespace.
std::string strip(std::string_view text, const std::string* chars, bool left, bool right);

// Python str.split(sep, maxsplit) and str.rsplit; sep == nullptr splits on runs of whitespace.
std::vector<std::string> split(std::string_view text, const std::string* sep, int64_t maxsplit);
std::vector<std::string> rsplit(std::string_view text, const std::string* sep, int64_t maxsplit);
// Python str.splitlines(keepends).
std::vector<std::string> splitlines(std::string_view text, bool keepends);

// Python str.upper/lower/capitalize/title/swapcase.
std::string to_upper(std::string_view text);
std::string to_lower(std::string_view text);
std::string capitalize(std::string_view text);
std::string py_title(std::string_view text);
// Jinja's `title` filter: upper-cases the first letter of each word, words split on -\s({[<.
std::string jinja_title(std::string_view text);

// Python repr() of a str: 'abc', "it's", with \n \t \\ and control characters escaped.
std::string repr_string(std::string_view text);
// A JSON string literal as Python's json.dumps writes it.
std::string json_quote(std::string_view text, bool ensure_ascii);
// Python repr() of a float: 1.0, 0.1, 1e+16, 1e-05, inf, nan.
std::string repr_float(double value);

// HTML escaping as markupsafe.escape: & < > " '.
std::string html_escape(std::string_view text);

// Replace at most `count` occurrences (count < 0: all). An empty `from` inserts `to` between code
// points, as Python does.
std::string replace(std::string_view text, std::string_view from, std::string_view to, int64_t count);

// snprintf into a string of the right size (for number formats whose width or precision comes
// from a template).
template <class... Args>
std::string c_format(const char* format, Args... args) {
  const int n = std::snprintf(nullptr, 0, format, args...);
  if (n <= 0) return {};
  std::string out(static_cast<size_t>(n), '\0');
  std::snprintf(out.data(), out.size() + 1, format, args...);
  return out;
}

}  // namespace lathe::jinja
