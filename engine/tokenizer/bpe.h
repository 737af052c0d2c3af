#pragma once
// Byte-level BPE encoding (llama.cpp's llm_tokenizer_bpe): pre-tokenize with the vocab's regexes,
// map every byte of a piece to its GPT-2 alphabet character, then repeatedly apply the
// lowest-ranked merge among adjacent symbols (leftmost on ties).

#include <array>
#include <cstdint>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "core/result.h"
#include "tokenizer/pretokenizer.h"
#include "tokenizer/vocab.h"

namespace lathe {

class GgufFile;

class BpeEncoder {
 public:
  // Reads tokenizer.ggml.merges ("left right" per line, rank = index) and compiles the pre-tokenizer.
  static Result<BpeEncoder> build(const Vocab& vocab, const GgufFile& file);

  // Appends the ids of `text` (any bytes; invalid UTF-8 becomes U+FFFD first, as in llama.cpp).
  void encode(const Vocab& vocab, std::string_view text, std::vector<int32_t>& out) const;

  size_t merge_count() const { return merges_.size(); }

 private:
  struct Merge {
    int32_t rank;
    int32_t result;  // symbol id of the merged text
  };

  void encode_word(const Vocab& vocab, std::string_view word, std::vector<int32_t>& out) const;

  // Symbols are token ids, plus ids >= vocab size for merge texts that are not tokens.
  std::unordered_map<uint64_t, Merge> merges_;  // (left symbol << 32 | right symbol) -> merge
  std::array<int32_t, 256> byte_symbol_{};      // the symbol of each byte's alphabet character, or -1
  PreTokenizer pre_;
};

}  // namespace lathe
