#include "tokenizer/pretokenizer.h"

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>

#include <utility>

#include "core/log.h"
#include "tokenizer/unicode.h"

namespace lathe {
namespace {

// The regex lists, as llama.cpp's llm_tokenizer_bpe has them (its adapted forms, e.g. (?i:'s|..)
// written as (?:'[sS]|..)). Non-ASCII literals are written as \x{..} escapes.
// clang-format off
constexpr std::string_view kGpt2 = R"re('s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S))re";
#define LATHE_CONTRACTIONS R"re((?:'[sS]|'[tT]|'[rR][eE]|'[vV][eE]|'[mM]|'[lL][lL]|'[dD]))re"
constexpr std::string_view kLlama3 =
    LATHE_CONTRACTIONS R"re(|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}{1,3}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+)re";
constexpr std::string_view kQwen2 =
    LATHE_CONTRACTIONS R"re(|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+)re";
constexpr std::string_view kQwen35 =
    LATHE_CONTRACTIONS R"re(|[^\r\n\p{L}\p{N}]?[\p{L}\p{M}]+|\p{N}| ?[^\s\p{L}\p{M}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+)re";
constexpr std::string_view kSeedCoder =
    LATHE_CONTRACTIONS R"re(|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}{1}| ?[^\s\p{L}\p{N}\r\n]+|\s*[\r\n]+|\s+(?!\S)|\s+)re";
constexpr std::string_view kBailing =
    R"re('(?:[sSdDmMtT]|[lL][lL]|[vV][eE]|[rR][eE])|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]|\s+(?!\S)|\s+)re";
// llama.cpp's stand-in for [\p{Lu}\p{Lt}\p{Lm}\p{Lo}\p{M}]*[\p{Ll}\p{Lm}\p{Lo}\p{M}]+ and friends.
constexpr std::string_view kTekken =
    R"re([^\r\n\p{L}\p{N}]?((?=[\p{L}])([^a-z]))*((?=[\p{L}])([^A-Z]))+|[^\r\n\p{L}\p{N}]?((?=[\p{L}])([^a-z]))+((?=[\p{L}])([^A-Z]))*|\p{N}| ?[^\s\p{L}\p{N}]+[\r\n/]*|\s*[\r\n]+|\s+(?!\S)|\s+)re";
constexpr std::string_view kGpt4o =
    R"re([^\r\n\p{L}\p{N}]?((?=[\p{L}])([^a-z]))*((?=[\p{L}])([^A-Z]))+)re" LATHE_CONTRACTIONS
    R"re(?|[^\r\n\p{L}\p{N}]?((?=[\p{L}])([^a-z]))+((?=[\p{L}])([^A-Z]))*)re" LATHE_CONTRACTIONS
    R"re(?|\p{N}{1,3}| ?[^\s\p{L}\p{N}]+[\r\n/]*|\s*[\r\n]+|\s+(?!\S)|\s+)re";
#undef LATHE_CONTRACTIONS
constexpr std::string_view kStarcoderDigits = R"re(\p{N})re";
constexpr std::string_view kDefaultPunct = R"re([\p{P}\$\+<=>\^~\|]+)re";
constexpr std::string_view kFalconPunct = R"re([\p{P}\$\+<=>\^~\|`]+)re";
constexpr std::string_view kThreeDigits = R"re([0-9][0-9][0-9])re";
constexpr std::string_view kDigitRun = R"re(\p{N}+)re";
constexpr std::string_view kNewline = R"re([\r\n])re";
// CJK ideographs, U+0800..U+4E00 and Hangul: [一-龥ࠀ-一가-퟿]+
constexpr std::string_view kDeepseekCjk = R"re([\x{4E00}-\x{9FA5}\x{0800}-\x{4E00}\x{AC00}-\x{D7FF}]+)re";
// Cased letters as the deepseek-llm tokenizer.json lists them.
constexpr std::string_view kDeepseekLetters =
    R"re(\s?[A-Za-z\x{B5}\x{C0}-\x{D6}\x{D8}-\x{F6}\x{F8}-\x{1BA}\x{1BC}-\x{1BF}\x{1C4}-\x{293}\x{295}-\x{2AF})re"
    R"re(\x{370}-\x{373}\x{376}\x{377}\x{37B}-\x{37D}\x{37F}\x{386}\x{388}-\x{38A}\x{38C}\x{38E}-\x{3A1})re"
    R"re(\x{3A3}-\x{3F5}\x{3F7}-\x{481}\x{48A}-\x{52F}\x{531}-\x{556}\x{10A0}-\x{10C5}\x{13A0}-\x{13F5})re"
    R"re(\x{13F8}-\x{13FD}\x{1C90}-\x{1CBA}\x{1CBD}-\x{1CBF}\x{1D00}-\x{1D2B}\x{1D6B}-\x{1D77}\x{1D79}-\x{1D9A})re"
    R"re(\x{1E00}-\x{1F15}\x{1F18}-\x{1F1D}\x{1F20}-\x{1F45}\x{1F48}-\x{1F4D}\x{1F50}-\x{1F57}\x{1F59}\x{1F5B})re"
    R"re(\x{1F5D}\x{1F5F}-\x{1F7D}\x{1F80}-\x{1FB4}\x{1FB6}-\x{1FBC}\x{1FBE}\x{1FC2}-\x{1FC4}\x{1FC6}-\x{1FCC})re"
    R"re(\x{1FD0}-\x{1FD3}\x{1FD6}-\x{1FDB}\x{1FE0}-\x{1FEC}\x{1FF2}-\x{1FF4}\x{1FF6}-\x{1FFC}\x{2102}\x{2107})re"
    R"re(\x{210A}-\x{2113}\x{2115}\x{2119}-\x{211D}\x{2124}\x{2126}\x{2128}\x{212A}-\x{212D}\x{212F}-\x{2134})re"
    R"re(\x{2139}\x{213C}-\x{213F}\x{2145}-\x{2149}\x{214E}\x{2183}\x{2184}\x{2C00}-\x{2C7B}\x{2C7E}-\x{2CE4})re"
    R"re(\x{2CEB}-\x{2CEE}\x{2CF2}\x{2CF3}\x{A640}-\x{A66D}\x{A680}-\x{A69B}\x{A722}-\x{A76F}\x{A771}-\x{A787})re"
    R"re(\x{A78B}-\x{A78E}\x{AB70}-\x{ABBF}\x{FB00}-\x{FB06}\x{FB13}-\x{FB17}\x{FF21}-\x{FF3A}\x{FF41}-\x{FF5A})re"
    R"re(\x{10400}-\x{1044F}\x{104B0}-\x{104D3}\x{104D8}-\x{104FB}\x{10C80}-\x{10CB2}\x{10CC0}-\x{10CF2})re"
    R"re(\x{118A0}-\x{118DF}\x{1E900}-\x{1E943}]+)re";
// \s?[!-/:-~！-／：-～‘-‟　-。]+
constexpr std::string_view kDeepseekPunct =
    R"re(\s?[!-/:-~\x{FF01}-\x{FF0F}\x{FF1A}-\x{FF5E}\x{2018}-\x{201F}\x{3000}-\x{3002}]+)re";
constexpr std::string_view kTrailingSpace = R"re(\s+$)re";
constexpr std::string_view kDeepseekV3Cjk = R"re([\x{4E00}-\x{9FA5}\x{3040}-\x{309F}\x{30A0}-\x{30FF}]+)re";
constexpr std::string_view kDeepseekV3 =
    R"re([!"#$%&'()*+,\-./:;<=>?@\[\\\]^_`{|}~][A-Za-z]+|[^\r\n\p{L}\p{P}\p{S}]?[\p{L}\p{M}]+| ?[\p{P}\p{S}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+)re";
// " ?[^(\s|.,!?…。，、।۔،)]+"
constexpr std::string_view kPoro =
    R"re( ?[^(\s|.,!?\x{2026}\x{3002}\x{FF0C}\x{3001}\x{0964}\x{06D4}\x{060C})]+)re";
// clang-format on

using Regexes = std::vector<std::string_view>;

struct Flags {
  bool clean_spaces = true;
  bool ignore_merges = false;
  bool add_bos = false;
  bool no_bos = false;
};

PreTokenizerSpec spec(std::string_view id, std::vector<std::string_view> names, Regexes regexes,
                      Flags flags = Flags()) {
  PreTokenizerSpec s;
  s.id = id;
  s.names = std::move(names);
  s.regexes = std::move(regexes);
  s.clean_spaces = flags.clean_spaces;
  s.ignore_merges = flags.ignore_merges;
  s.add_bos = flags.add_bos;
  s.no_bos = flags.no_bos;
  return s;
}

const std::vector<PreTokenizerSpec>& spec_table() {
  const Flags no_clean{false, false, false, false};
  // clang-format off
  static const std::vector<PreTokenizerSpec> table = {
      spec("default", {"", "default"}, {kDefaultPunct, kGpt2, kDigitRun, kThreeDigits}),
      spec("llama3", {"llama3", "llama-v3", "llama-bpe", "falcon3", "falcon-h1", "pixtral", "midm-2.0", "lfm2"},
           {kLlama3}, Flags{true, true, true, false}),
      spec("dbrx", {"dbrx", "smaug-bpe"}, {kLlama3}),
      spec("chatglm4", {"glm4", "chatglm-bpe"}, {kLlama3}, Flags{true, false, false, true}),
      spec("deepseek-llm", {"deepseek-llm"},
           {kNewline, kDeepseekLetters, kDeepseekPunct, kTrailingSpace, kDeepseekCjk, kDigitRun}, no_clean),
      spec("deepseek-coder", {"deepseek-coder"},
           {kNewline, R"re(\s?\p{L}+)re", R"re(\s?\p{P}+)re", kDeepseekCjk, kStarcoderDigits}, no_clean),
      spec("deepseek-v3", {"deepseek-v3", "hunyuan-dense"}, {R"re(\p{N}{1,3})re", kDeepseekV3Cjk, kDeepseekV3},
           no_clean),
      spec("falcon", {"falcon"}, {kFalconPunct, kGpt2, kThreeDigits}),
      spec("starcoder", {"starcoder", "refact", "codeshell", "exaone", "minerva-7b"}, {kStarcoderDigits, kGpt2}),
      spec("command-r", {"command-r", "smollm"}, {kStarcoderDigits, kGpt2}, no_clean),
      spec("gpt2", {"gpt-2", "mpt", "olmo", "jais", "phi-2", "jina-es", "jina-de", "gigachat", "jina-v2-es",
                    "jina-v2-de", "a.x-4.0", "mellum", "exaone4"}, {kGpt2}),
      spec("trillion", {"trillion", "granite-docling"}, {kGpt2}, no_clean),
      spec("qwen2", {"qwen2", "deepseek-r1-qwen", "hunyuan"}, {kQwen2}, no_clean),
      spec("stablelm2", {"stablelm2", "megrez"}, {kQwen2}),
      spec("qwen35", {"qwen35"}, {kQwen35}, no_clean),
      spec("poro", {"poro-chat"}, {kPoro}, no_clean),
      spec("bloom", {"bloom", "gpt3-finnish"}, {kPoro}),
      spec("viking", {"viking"}, {kPoro, kStarcoderDigits}, no_clean),
      spec("tekken", {"tekken"}, {kTekken}, Flags{false, true, true, false}),
      spec("gpt4o", {"gpt-4o", "llama4"}, {kGpt4o}, no_clean),
      spec("seed-coder", {"seed-coder"}, {kSeedCoder}, no_clean),
      spec("grok-2", {"grok-2"}, {kQwen2}, no_clean),
      spec("bailingmoe", {"bailingmoe", "bailingmoe2", "llada-moe"}, {kBailing}, no_clean),
  };
  // clang-format on
  return table;
}

// ---- translating llama.cpp's std::regex patterns into PCRE2 -------------------------------------

// Unicode White_Space, as ranges.
constexpr std::pair<uint32_t, uint32_t> kWhitespace[] = {
    {0x09, 0x0D},     {0x20, 0x20},     {0x85, 0x85},     {0xA0, 0xA0},     {0x1680, 0x1680},
    {0x2000, 0x200A}, {0x2028, 0x2029}, {0x202F, 0x202F}, {0x205F, 0x205F}, {0x3000, 0x3000},
};

void append_range(std::string& out, uint32_t lo, uint32_t hi) {
  out += fmt::format("\\x{{{:X}}}", lo);
  if (hi != lo) out += fmt::format("-\\x{{{:X}}}", hi);
}

std::string whitespace_items() {
  std::string s;
  for (auto [lo, hi] : kWhitespace) append_range(s, lo, hi);
  return s;
}

// [lo, hi] less the non-ASCII whitespace code points, appended as class items.
void append_range_without_whitespace(std::string& out, uint32_t lo, uint32_t hi) {
  uint32_t next = lo;
  for (auto [wlo, whi] : kWhitespace) {
    if (wlo < 0x80 || whi < next || wlo > hi) continue;
    if (wlo > next) append_range(out, next, wlo - 1);
    next = whi + 1;
  }
  if (next <= hi) append_range(out, next, hi);
}

struct Translator {
  std::string_view pat;
  bool collapsed = false;  // the pattern uses \p{..}: llama.cpp runs it on category-collapsed text
  size_t i = 0;
  std::string out;

  uint32_t next_codepoint() {
    uint32_t cp = 0;
    size_t len = utf8_decode(pat, i, cp);
    if (len == 0) {
      cp = static_cast<uint8_t>(pat[i]);
      len = 1;
    }
    i += len;
    return cp;
  }

  // A \p{..} or \P{..} escape at i (after the backslash was seen at i-1); returns the PCRE2 text.
  Result<std::string> property(char kind) {
    const size_t close = pat.find('}', i);
    if (i >= pat.size() || pat[i] != '{' || close == std::string_view::npos) {
      return make_error("bad \\{} escape in pre-tokenizer regex '{}'", kind, pat);
    }
    std::string name(pat.substr(i + 1, close - i - 1));
    i = close + 1;
    if (collapsed && name.size() == 2 && name[0] == 'L') name = "L";  // llama.cpp: \p{Lu} etc. = any letter
    return fmt::format("\\{}{{{}}}", kind, name);
  }

  // Single-character escapes that stand for one code point.
  static bool escaped_codepoint(char c, uint32_t& cp) {
    switch (c) {
      case 'r':
        cp = '\r';
        return true;
      case 'n':
        cp = '\n';
        return true;
      case 't':
        cp = '\t';
        return true;
      case 'f':
        cp = '\f';
        return true;
      case 'v':
        cp = '\v';
        return true;
      default:
        if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'))) {
          cp = static_cast<uint8_t>(c);
          return true;
        }
        return false;
    }
  }

  // \x{HHHH} or \xHH at i (after "\x"); returns false if malformed.
  bool hex_escape(uint32_t& cp) {
    size_t end = 0;
    size_t start = i;
    if (i < pat.size() && pat[i] == '{') {
      end = pat.find('}', i);
      if (end == std::string_view::npos) return false;
      start = i + 1;
    } else {
      end = std::min(i + 2, pat.size());
    }
    cp = 0;
    if (end == start) return false;
    for (size_t k = start; k < end; ++k) {
      const char h = pat[k];
      const int v = h >= '0' && h <= '9'   ? h - '0'
                    : h >= 'a' && h <= 'f' ? h - 'a' + 10
                    : h >= 'A' && h <= 'F' ? h - 'A' + 10
                                           : -1;
      if (v < 0) return false;
      cp = cp * 16 + static_cast<uint32_t>(v);
    }
    i = pat[i] == '{' ? end + 1 : end;
    return true;
  }

  Result<void> character_class() {
    // i is just past '['.
    const bool negated = i < pat.size() && pat[i] == '^';
    if (negated) ++i;
    std::string items;
    bool has_symbol_property = false;
    bool has_tilde = false;
    std::vector<std::pair<uint32_t, uint32_t>> ranges;
    bool closed = false;
    while (i < pat.size()) {
      if (pat[i] == ']') {
        ++i;
        closed = true;
        break;
      }
      // One item: a code point (possibly the start of a range) or a class escape.
      uint32_t cp = 0;
      bool is_cp = false;
      if (pat[i] == '\\' && i + 1 < pat.size()) {
        const char e = pat[i + 1];
        i += 2;
        if (e == 's') {
          items += whitespace_items();
        } else if (e == 'S' || e == 'W' || e == 'D') {
          return make_error("pre-tokenizer regex '{}': \\{} inside [] is not supported", pat, e);
        } else if (e == 'd') {
          items += "0-9";
        } else if (e == 'w') {
          items += "A-Za-z0-9_";
        } else if (e == 'p' || e == 'P') {
          LATHE_TRY(std::string prop, property(e));
          if (collapsed && prop == "\\p{S}") has_symbol_property = true;
          items += prop;
        } else if (e == 'x') {
          if (!hex_escape(cp)) return make_error("bad \\x escape in pre-tokenizer regex '{}'", pat);
          is_cp = true;
        } else if (escaped_codepoint(e, cp)) {
          is_cp = true;
        } else {
          return make_error("pre-tokenizer regex '{}': unsupported escape \\{} inside []", pat, e);
        }
      } else {
        cp = next_codepoint();
        is_cp = true;
      }
      if (!is_cp) continue;
      uint32_t hi = cp;
      if (i + 1 < pat.size() && pat[i] == '-' && pat[i + 1] != ']') {
        ++i;
        if (pat[i] == '\\' && i + 1 < pat.size()) {
          const char e = pat[i + 1];
          i += 2;
          if (e == 'x' ? !hex_escape(hi) : !escaped_codepoint(e, hi)) {
            return make_error("pre-tokenizer regex '{}': bad range end \\{}", pat, e);
          }
        } else {
          hi = next_codepoint();
        }
        if (hi < cp) return make_error("pre-tokenizer regex '{}': reversed range", pat);
      }
      if (cp <= '~' && hi >= '~') has_tilde = true;
      ranges.emplace_back(cp, hi);
    }
    if (!closed) return make_error("pre-tokenizer regex '{}': unterminated []", pat);
    for (auto [lo, hi] : ranges) {
      // Without \p{..}, llama.cpp matches on text whose non-ASCII whitespace became U+000B, so
      // explicit characters never match it.
      if (collapsed)
        append_range(items, lo, hi);
      else
        append_range_without_whitespace(items, lo, hi);
    }
    const std::string body = std::string(negated ? "[^" : "[") + items + "]";
    // llama.cpp's collapsed \p{S} leaves out '~'.
    if (has_symbol_property && !has_tilde) {
      out += negated ? "(?:~|" + body + ")" : "(?:(?!~)" + body + ")";
    } else {
      out += body;
    }
    return {};
  }

  Result<std::string> run() {
    collapsed = pat.find("\\p{") != std::string_view::npos;
    while (i < pat.size()) {
      const char c = pat[i];
      if (c == '[') {
        ++i;
        LATHE_CHECK(character_class());
      } else if (c == '\\' && i + 1 < pat.size()) {
        const char e = pat[i + 1];
        i += 2;
        if (e == 's') {
          out += "[" + whitespace_items() + "]";
        } else if (e == 'S') {
          out += "[^" + whitespace_items() + "]";
        } else if (e == 'd') {
          out += "[0-9]";
        } else if (e == 'D') {
          out += "[^0-9]";
        } else if (e == 'p' || e == 'P') {
          LATHE_TRY(std::string prop, property(e));
          out += collapsed && prop == "\\p{S}" ? "(?:(?!~)\\p{S})" : prop;
        } else {
          out += '\\';
          out += e;
        }
      } else {
        const size_t start = i;
        const uint32_t cp = next_codepoint();
        if (!collapsed && cp >= 0x80 && is_unicode_whitespace(cp)) {
          out += "(?!)";  // never matches, as in llama.cpp
        } else {
          out.append(pat.substr(start, i - start));
        }
      }
    }
    return std::move(out);
  }
};

// Per-thread PCRE2 scratch: match data for the overall match and a JIT stack for deep patterns.
struct MatchScratch {
  pcre2_match_data* data = nullptr;
  pcre2_match_context* context = nullptr;
  pcre2_jit_stack* stack = nullptr;
  MatchScratch() {
    data = pcre2_match_data_create(1, nullptr);
    context = pcre2_match_context_create(nullptr);
    stack = pcre2_jit_stack_create(32 * 1024, 4 * 1024 * 1024, nullptr);
    if (context && stack) pcre2_jit_stack_assign(context, nullptr, stack);
  }
  ~MatchScratch() {
    pcre2_match_data_free(data);
    pcre2_match_context_free(context);
    pcre2_jit_stack_free(stack);
  }
  MatchScratch(const MatchScratch&) = delete;
  MatchScratch& operator=(const MatchScratch&) = delete;
};

MatchScratch& scratch() {
  thread_local MatchScratch s;
  return s;
}

}  // namespace

struct PreTokenizer::Regex {
  pcre2_code* code = nullptr;
  std::string source;
  Regex() = default;
  Regex(const Regex&) = delete;
  Regex& operator=(const Regex&) = delete;
  ~Regex() { pcre2_code_free(code); }
};

const PreTokenizerSpec* find_pre_tokenizer(std::string_view pre) {
  for (const PreTokenizerSpec& spec : spec_table()) {
    for (std::string_view name : spec.names) {
      if (name == pre) return &spec;
    }
  }
  return nullptr;
}

std::string known_pre_tokenizers() {
  std::string list;
  for (const PreTokenizerSpec& spec : spec_table()) {
    for (std::string_view name : spec.names) {
      if (name.empty()) continue;
      if (!list.empty()) list += ", ";
      list += name;
    }
  }
  return list;
}

Result<std::string> translate_pre_regex(std::string_view pattern) {
  Translator t;
  t.pat = pattern;
  return t.run();
}

Result<PreTokenizer> PreTokenizer::compile(const PreTokenizerSpec& spec) {
  PreTokenizer pre;
  pre.spec_ = &spec;
  for (std::string_view source : spec.regexes) {
    LATHE_TRY(std::string pattern, translate_pre_regex(source));
    auto regex = std::make_shared<Regex>();
    regex->source = std::string(source);
    int error = 0;
    PCRE2_SIZE offset = 0;
    regex->code = pcre2_compile(reinterpret_cast<PCRE2_SPTR>(pattern.data()), pattern.size(),
                                PCRE2_UTF | PCRE2_DOLLAR_ENDONLY, &error, &offset, nullptr);
    if (!regex->code) {
      PCRE2_UCHAR message[256];
      pcre2_get_error_message(error, message, sizeof message);
      return make_error("pre-tokenizer '{}': regex '{}' does not compile at offset {}: {}", spec.id, source,
                        offset, reinterpret_cast<const char*>(message));
    }
    // Without JIT (a platform PCRE2 lacks) pcre2_match falls back to the interpreter.
    pcre2_jit_compile(regex->code, PCRE2_JIT_COMPLETE);
    pre.regexes_.push_back(std::move(regex));
  }
  return pre;
}

void PreTokenizer::split(std::string_view text, std::vector<std::string_view>& pieces) const {
  pieces.clear();
  if (text.empty()) return;
  pieces.push_back(text);
  std::vector<std::string_view> next;
  MatchScratch& s = scratch();
  for (const auto& regex : regexes_) {
    next.clear();
    for (std::string_view piece : pieces) {
      const auto* subject = reinterpret_cast<PCRE2_SPTR>(piece.data());
      size_t start = 0;    // where the next search begins
      size_t emitted = 0;  // end of the last piece emitted
      uint32_t options = 0;
      while (start <= piece.size()) {
        const int rc = pcre2_match(regex->code, subject, piece.size(), start, options | PCRE2_NO_UTF_CHECK,
                                   s.data, s.context);
        if (rc == PCRE2_ERROR_NOMATCH) {
          if (options == 0) break;
          // After an empty match: no non-empty match here either, so step one character on.
          options = 0;
          if (start >= piece.size()) break;
          start += utf8_lead_length(static_cast<uint8_t>(piece[start]));
          continue;
        }
        if (rc < 0) {
          log().warn("pre-tokenizer '{}': regex '{}' failed ({}); keeping {} bytes unsplit", spec_->id,
                     regex->source, rc, piece.size() - emitted);
          break;
        }
        const PCRE2_SIZE* ov = pcre2_get_ovector_pointer(s.data);
        const size_t begin = ov[0];
        const size_t end = ov[1];
        if (begin > emitted) next.push_back(piece.substr(emitted, begin - emitted));
        if (end > begin) next.push_back(piece.substr(begin, end - begin));
        emitted = std::max(emitted, end);
        start = end;
        // An empty match splits here; then look for a non-empty match at the same place.
        options = end == begin ? PCRE2_NOTEMPTY_ATSTART | PCRE2_ANCHORED : 0;
        if (options == 0 && start == piece.size()) break;
      }
      if (emitted < piece.size()) next.push_back(piece.substr(emitted));
    }
    pieces.swap(next);
  }
}

}  // namespace lathe
