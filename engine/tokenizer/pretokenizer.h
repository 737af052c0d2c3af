#pragma once
// Byte-level BPE pre-tokenizers: the regex lists llama.cpp applies per `tokenizer.ggml.pre`, compiled
// with PCRE2 (UTF, JIT). Each regex of a list splits every piece the previous one left: both the
// matches and the text between them become pieces, as llama.cpp's unicode_regex_split does.
//
// llama.cpp runs these regexes through std::regex on a "collapsed" text (one byte per code point,
// standing for its Unicode category) or through std::wregex with non-ASCII whitespace replaced by
// U+000B. The translation in pretokenizer.cpp reproduces what that means for the patterns:
//   - \s is exactly the Unicode White_Space set (so U+0085 is a space, U+180E is not);
//   - \d, \w, \b keep their ECMAScript ASCII meaning (PCRE2 is used without UCP; \p{..} still works);
//   - in patterns with \p{..}, \p{Lu}/\p{Ll}/.. mean any letter and \p{S} does not match '~';
//   - in patterns without \p{..}, explicit characters and ranges never match non-ASCII whitespace.

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"

namespace lathe {

struct PreTokenizerSpec {
  std::string_view id;                  // llama.cpp's pre type, lower case ("llama3", "qwen2", ...)
  std::vector<std::string_view> names;  // tokenizer.ggml.pre values that select it
  std::vector<std::string_view> regexes;
  bool clean_spaces = true;    // decode may apply clean_up_tokenization_spaces
  bool ignore_merges = false;  // a pre-token that is itself a token is emitted whole
  bool add_bos = false;        // default for tokenizer.ggml.add_bos_token
  bool no_bos = false;         // the model has no BOS token (chatglm)
};

// The spec for a tokenizer.ggml.pre value; "" (absent) and "default" give llama.cpp's default
// regexes. nullptr for names llama.cpp would refuse too.
const PreTokenizerSpec* find_pre_tokenizer(std::string_view pre);
// All recognised tokenizer.ggml.pre values, comma-separated (for error messages).
std::string known_pre_tokenizers();

class PreTokenizer {
 public:
  static Result<PreTokenizer> compile(const PreTokenizerSpec& spec);

  // Splits valid UTF-8 text into pieces (views into `text`), in order, covering all of it.
  void split(std::string_view text, std::vector<std::string_view>& pieces) const;

  const PreTokenizerSpec& spec() const { return *spec_; }

 private:
  struct Regex;
  const PreTokenizerSpec* spec_ = nullptr;
  std::vector<std::shared_ptr<const Regex>> regexes_;
};

// Exposed for tests: the PCRE2 pattern a llama.cpp regex becomes.
Result<std::string> translate_pre_regex(std::string_view pattern);

}  // namespace lathe
