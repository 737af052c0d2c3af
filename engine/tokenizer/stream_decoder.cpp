#include "tokenizer/stream_decoder.h"

#include "tokenizer/unicode.h"

namespace lathe {

std::string StreamDecoder::push(int32_t id) {
  return push_bytes(tokenizer_.token_to_piece(id, render_special_));
}

std::string StreamDecoder::push_bytes(std::string_view bytes) {
  pending_.append(bytes);
  const size_t hold = utf8_incomplete_tail(pending_);
  if (hold == pending_.size()) return {};
  std::string ready = utf8_sanitize(std::string_view(pending_).substr(0, pending_.size() - hold));
  pending_.erase(0, pending_.size() - hold);
  return ready;
}

std::string StreamDecoder::flush() {
  std::string rest = utf8_sanitize(pending_);
  pending_.clear();
  return rest;
}

}  // namespace lathe
