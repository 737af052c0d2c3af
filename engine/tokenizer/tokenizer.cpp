#include "tokenizer/tokenizer.h"

#include <cctype>
#include <optional>

#include "gguf/reader.h"
#include "tokenizer/bpe.h"
#include "tokenizer/pretokenizer.h"
#include "tokenizer/spm.h"
#include "tokenizer/unicode.h"

namespace lathe {
namespace {

constexpr std::string_view kEscapedSpace = "\xE2\x96\x81";  // U+2581 ▁

// A run of the input: either text still to be tokenized or a special token found in it.
struct Fragment {
  int32_t token;  // kNoToken for text
  size_t offset;
  size_t length;
};

bool is_space(char c) { return std::isspace(static_cast<unsigned char>(c)) != 0; }

// <0xNN> -> NN, or nullopt.
std::optional<uint8_t> byte_token_value(std::string_view text) {
  if (text.size() != 6 || text.substr(0, 3) != "<0x" || text[5] != '>') return std::nullopt;
  int value = 0;
  for (char h : text.substr(3, 2)) {
    const int v = h >= '0' && h <= '9'   ? h - '0'
                  : h >= 'a' && h <= 'f' ? h - 'a' + 10
                  : h >= 'A' && h <= 'F' ? h - 'A' + 10
                                         : -1;
    if (v < 0) return std::nullopt;
    value = value * 16 + v;
  }
  return static_cast<uint8_t>(value);
}

void replace_all(std::string& s, std::string_view from, std::string_view to) {
  std::string out;
  out.reserve(s.size());
  size_t pos = 0;
  for (size_t hit; (hit = s.find(from, pos)) != std::string::npos; pos = hit + from.size()) {
    out.append(s, pos, hit - pos);
    out.append(to);
  }
  out.append(s, pos, std::string::npos);
  s.swap(out);
}

// The bytes a token stands for when rendered (llama.cpp's token_to_piece with special = true).
std::string piece_of(const Vocab& vocab, int32_t id) {
  const VocabToken& token = vocab.tokens[id];
  if (token.attr & (kTokenUnknown | kTokenControl | kTokenUserDefined)) return token.text;
  if (token.attr & kTokenNormal) {
    if (vocab.kind == VocabKind::spm) {
      std::string piece = token.text;
      replace_all(piece, kEscapedSpace, " ");
      return piece;
    }
    // Byte-level: every character stands for one byte; others (not in the alphabet) stay as they are.
    std::string piece;
    uint32_t cp = 0;
    for (size_t pos = 0; pos < token.text.size();) {
      const size_t len = utf8_decode(token.text, pos, cp);
      const int byte = len ? codepoint_to_byte(cp) : -1;
      if (byte >= 0) {
        piece.push_back(static_cast<char>(byte));
      } else {
        piece.append(token.text, pos, len ? len : 1);
      }
      pos += len ? len : 1;
    }
    return piece;
  }
  if (token.attr & kTokenByte) {
    if (auto byte = byte_token_value(token.text)) return std::string(1, static_cast<char>(*byte));
    return token.text;
  }
  return {};  // unused / undefined tokens render as nothing
}

// llama.cpp's clean_up_tokenization_spaces, pass for pass, rewriting the buffer in place.
void clean_up_spaces(std::string& text) {
  size_t total = text.size();
  // " ?", " !", " .", " ," lose the space.
  size_t n = total;
  total = n ? 1 : 0;
  for (size_t i = 1; i < n; ++i) {
    const char x = text[i];
    if (text[i - 1] == ' ' && (x == '?' || x == '!' || x == '.' || x == ',')) --total;
    text[total++] = x;
  }
  // " ' " becomes "'".
  n = total;
  total = n ? 1 : 0;
  for (size_t i = 1; i < n; ++i) {
    const char x = text[i];
    if (x == '\'' && i + 1 < n && text[i - 1] == ' ' && text[i + 1] == ' ') {
      --total;
      text[++i] = '\0';
    }
    text[total++] = x;
  }
  // " 's", " 'm", " 're", " 've" lose the space.
  n = total;
  total = n ? 1 : 0;
  for (size_t i = 1; i < n; ++i) {
    const char x = text[i];
    if (text[i - 1] == ' ' && x == '\'' && i + 1 < n) {
      const char x1 = text[i + 1];
      if (x1 == 's' || x1 == 'm') {
        --total;
      } else if (i + 2 < n && ((x1 == 'r' && text[i + 2] == 'e') || (x1 == 'v' && text[i + 2] == 'e'))) {
        --total;
      }
    }
    text[total++] = x;
  }
  text.resize(total);
}

}  // namespace

struct Tokenizer::Impl {
  Vocab vocab;
  std::optional<BpeEncoder> bpe;
  std::optional<SpmEncoder> spm;
  std::vector<std::string> pieces;  // piece_of() of every token

  // Splits text at the special tokens it contains (llama.cpp's tokenizer_st_partition): longest
  // token texts first; control and unknown tokens only when parse_special.
  std::vector<Fragment> partition(std::string_view text, bool parse_special) const;
};

std::vector<Fragment> Tokenizer::Impl::partition(std::string_view text, bool parse_special) const {
  std::vector<Fragment> fragments;
  if (text.empty()) return fragments;
  fragments.push_back({kNoToken, 0, text.size()});
  std::vector<Fragment> next;
  for (int32_t id : vocab.special_by_length) {
    const VocabToken& special = vocab.tokens[id];
    if (!parse_special && (special.attr & (kTokenControl | kTokenUnknown))) continue;
    const std::string_view needle = special.text;
    if (needle.size() > text.size()) continue;
    next.clear();
    bool found = false;
    for (const Fragment& f : fragments) {
      if (f.token != kNoToken) {
        next.push_back(f);
        continue;
      }
      size_t offset = f.offset;
      size_t length = f.length;
      while (length > 0) {
        const size_t match = text.substr(0, offset + length).find(needle, offset);
        if (match == std::string_view::npos) {
          next.push_back({kNoToken, offset, length});
          break;
        }
        found = true;
        size_t left = match - offset;
        if (special.attr & kTokenLstrip) {
          while (left > 0 && is_space(text[offset + left - 1])) --left;
        }
        if (left > 0) next.push_back({kNoToken, offset, left});
        next.push_back({id, match, needle.size()});
        const size_t end = offset + length;
        offset = match + needle.size();
        length = end - offset;
        if (special.attr & kTokenRstrip) {
          while (length > 0 && is_space(text[offset])) {
            ++offset;
            --length;
          }
        }
      }
    }
    if (found) fragments.swap(next);
  }
  return fragments;
}

Result<Tokenizer> Tokenizer::load(const GgufFile& file) {
  auto impl = std::make_shared<Impl>();
  LATHE_TRY(impl->vocab, Vocab::load(file));
  if (impl->vocab.kind == VocabKind::bpe) {
    LATHE_TRY(BpeEncoder bpe, BpeEncoder::build(impl->vocab, file));
    impl->bpe.emplace(std::move(bpe));
  } else {
    impl->spm.emplace(SpmEncoder::build(impl->vocab));
  }
  impl->pieces.reserve(impl->vocab.tokens.size());
  for (int32_t id = 0; id < impl->vocab.size(); ++id) impl->pieces.push_back(piece_of(impl->vocab, id));
  Tokenizer tokenizer;
  tokenizer.impl_ = std::move(impl);
  return tokenizer;
}

std::vector<int32_t> Tokenizer::encode(std::string_view text, bool add_special, bool parse_special) const {
  const Vocab& v = impl_->vocab;
  std::vector<int32_t> out;
  out.reserve(text.size() / 3 + 2);
  if (add_special && v.add_bos) out.push_back(v.special.bos);
  const std::vector<Fragment> fragments = impl_->partition(text, parse_special);
  if (v.kind == VocabKind::spm) {
    bool after_special = true;  // the start of the text counts as following a special token
    std::string piece;
    for (const Fragment& f : fragments) {
      if (f.token != kNoToken) {
        out.push_back(f.token);
        after_special = true;
        continue;
      }
      piece.clear();
      if (v.add_space_prefix && after_special) piece = " ";
      piece.append(text.substr(f.offset, f.length));
      replace_all(piece, " ", kEscapedSpace);
      impl_->spm->encode(v, piece, out);
      after_special = false;
    }
  } else {
    for (const Fragment& f : fragments) {
      if (f.token != kNoToken) {
        out.push_back(f.token);
      } else {
        impl_->bpe->encode(v, text.substr(f.offset, f.length), out);
      }
    }
  }
  if (add_special && v.add_eos) out.push_back(v.special.eos);
  return out;
}

const std::string& Tokenizer::token_to_piece(int32_t id, bool render_special) const {
  static const std::string empty;
  const Vocab& v = impl_->vocab;
  if (!v.valid(id)) return empty;
  if (!render_special && (v.tokens[id].attr & (kTokenUnknown | kTokenControl))) return empty;
  return impl_->pieces[id];
}

std::string Tokenizer::decode(std::span<const int32_t> ids, const DecodeOptions& options) const {
  const Vocab& v = impl_->vocab;
  bool strip_space = v.add_space_prefix;
  if (options.remove_special && v.add_bos && !ids.empty() && ids.front() == v.special.bos) {
    strip_space = false;  // as llama.cpp: the space after a removed BOS stays
    ids = ids.subspan(1);
  }
  if (options.remove_special && v.add_eos && !ids.empty() && ids.back() == v.special.eos) {
    ids = ids.first(ids.size() - 1);
  }
  std::string text;
  for (int32_t id : ids) {
    std::string_view piece = token_to_piece(id, options.render_special);
    if (strip_space && !piece.empty() && piece.front() == ' ') piece.remove_prefix(1);
    strip_space = false;  // only the first token, whatever it renders as
    text.append(piece);
  }
  if (options.clean_spaces && v.clean_spaces) clean_up_spaces(text);
  return text;
}

const Vocab& Tokenizer::vocab() const { return impl_->vocab; }

int32_t Tokenizer::vocab_size() const { return impl_->vocab.size(); }

std::string_view Tokenizer::token_text(int32_t id) const {
  return impl_->vocab.valid(id) ? std::string_view(impl_->vocab.tokens[id].text) : std::string_view();
}

std::string Tokenizer::kind_name() const {
  const Vocab& v = impl_->vocab;
  if (v.kind == VocabKind::spm) return "spm";
  return "bpe/" + std::string(v.pre_spec->id);
}

}  // namespace lathe
