#pragma once
// SentencePiece-style encoding (llama.cpp's llm_tokenizer_spm): start from UTF-8 characters and
// repeatedly merge the adjacent pair whose concatenation is the highest-scoring token (leftmost on
// ties); pieces that never became tokens fall back to <0xNN> byte tokens.

#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_set>
#include <vector>

namespace lathe {

struct Vocab;

class SpmEncoder {
 public:
  static SpmEncoder build(const Vocab& vocab);

  // `text` is already escaped (spaces as U+2581) and prefixed as the vocab asks; appends ids to
  // `out`. The merge loop is global over the text, but where no token can span a place in it (a ▁
  // after a character that no token has before a ▁) the two sides cannot interact, so the text is
  // cut there and each side merged on its own: the same ids, with small queues instead of one
  // queue the size of the text. `split = false` runs the single global loop (for tests).
  void encode(const Vocab& vocab, std::string_view text, std::vector<int32_t>& out, bool split = true) const;

 private:
  // Characters (UTF-8 units as the merge loop splits them) that some token has right before a ▁.
  std::unordered_set<std::string> before_space_;
};

}  // namespace lathe
