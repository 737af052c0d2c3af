#pragma once
// A GGUF vocabulary: tokens, scores, types, special ids and flags, read and checked the way llama.cpp
// reads them (llama-vocab.cpp), with errors that name the file and the key at fault.

#include <array>
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "core/result.h"

namespace lathe {

class GgufFile;
struct PreTokenizerSpec;

inline constexpr int32_t kNoToken = -1;

enum class VocabKind {
  spm,  // tokenizer.ggml.model = llama: SentencePiece, score-driven merges, ▁ for spaces
  bpe,  // tokenizer.ggml.model = gpt2: byte-level BPE with merge ranks and a pre-tokenizer
};

// Token attributes (bit flags), from tokenizer.ggml.token_type as llama.cpp derives them.
enum TokenAttr : uint32_t {
  kTokenUndefined = 0,
  kTokenUnknown = 1u << 0,
  kTokenUnused = 1u << 1,
  kTokenNormal = 1u << 2,
  kTokenControl = 1u << 3,      // parsed from text only with parse_special; not rendered by default
  kTokenUserDefined = 1u << 4,  // always parsed from text, rendered as its text
  kTokenByte = 1u << 5,         // <0xNN>
  kTokenLstrip = 1u << 6,       // when parsed from text, eats the whitespace before it
  kTokenRstrip = 1u << 7,       // ... and after it
};

struct VocabToken {
  std::string text;
  float score = 0.0f;
  uint32_t attr = kTokenNormal;
};

struct SpecialTokenIds {
  int32_t bos = kNoToken;
  int32_t eos = kNoToken;
  int32_t eot = kNoToken;  // end of turn (<|eot_id|>, <|im_end|>, <|end|>, ...)
  int32_t eom = kNoToken;  // end of message (<|eom_id|>)
  int32_t unk = kNoToken;
  int32_t sep = kNoToken;
  int32_t pad = kNoToken;
  int32_t mask = kNoToken;
  int32_t fim_pre = kNoToken;
  int32_t fim_suf = kNoToken;
  int32_t fim_mid = kNoToken;
  int32_t fim_pad = kNoToken;
  int32_t fim_rep = kNoToken;
  int32_t fim_sep = kNoToken;
};

struct StringViewHash {
  using is_transparent = void;
  size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
};
using TokenIndex = std::unordered_map<std::string, int32_t, StringViewHash, std::equal_to<>>;

struct Vocab {
  VocabKind kind = VocabKind::spm;
  std::string model;                           // tokenizer.ggml.model
  std::string pre;                             // tokenizer.ggml.pre as written ("" when absent)
  const PreTokenizerSpec* pre_spec = nullptr;  // BPE only

  std::vector<VocabToken> tokens;
  TokenIndex index;  // text -> id
  SpecialTokenIds special;
  std::vector<int32_t> end_of_generation;  // sorted ids that end generation (eos, eot, eom, ...)
  // Control, user-defined and unknown tokens, longest text first: the order in which they are
  // looked for in text.
  std::vector<int32_t> special_by_length;
  std::array<int32_t, 256> byte_tokens{};  // SPM byte fallback: <0xNN> (or the 1-byte token), or kNoToken

  bool add_bos = false;
  bool add_eos = false;
  bool add_space_prefix = false;  // SPM: a space before text at the start and after special tokens
  bool clean_spaces = false;      // the tokenizer asks for clean_up_tokenization_spaces on decode
  bool ignore_merges = false;     // BPE: a pre-token that is a token is emitted whole

  static Result<Vocab> load(const GgufFile& file);

  int32_t size() const { return static_cast<int32_t>(tokens.size()); }
  bool valid(int32_t id) const { return id >= 0 && id < size(); }
  // The id of a token by its exact text, or kNoToken.
  int32_t find(std::string_view text) const {
    auto it = index.find(text);
    return it == index.end() ? kNoToken : it->second;
  }
  uint32_t attr(int32_t id) const { return valid(id) ? tokens[id].attr : kTokenUndefined; }
  bool is_eog(int32_t id) const;
};

// Text safe to print in an error message: control bytes and quotes escaped, long text cut.
std::string printable(std::string_view text, size_t max_bytes = 48);

}  // namespace lathe
