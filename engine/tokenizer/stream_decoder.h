#pragma once
// Turns generated tokens into text as they arrive without ever emitting part of a UTF-8 character:
// a token may carry only some bytes of one (byte-fallback tokens, byte-level BPE pieces of an emoji
// or CJK character); those bytes wait until the character is whole. Bytes that can never form a
// character come out as U+FFFD, so everything emitted is valid UTF-8.
//
//   StreamDecoder stream(tokenizer);
//   for (int32_t id : generated) show(stream.push(id));
//   show(stream.flush());

#include <cstdint>
#include <string>

#include "tokenizer/tokenizer.h"

namespace lathe {

class StreamDecoder {
 public:
  explicit StreamDecoder(Tokenizer tokenizer, bool render_special = false)
      : tokenizer_(std::move(tokenizer)), render_special_(render_special) {}

  // The text that became complete with this token (often "", or more than the token's own piece).
  std::string push(int32_t id);
  // Raw bytes: the same rule for text that did not come from a token.
  std::string push_bytes(std::string_view bytes);
  // Whatever is still held, with an unfinished character as U+FFFD. The decoder is then empty.
  std::string flush();
  // Bytes held back, waiting for the rest of their character.
  size_t pending() const { return pending_.size(); }
  void reset() { pending_.clear(); }

 private:
  Tokenizer tokenizer_;
  bool render_special_;
  std::string pending_;
};

}  // namespace lathe
