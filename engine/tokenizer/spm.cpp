#include "tokenizer/spm.h"

#include <algorithm>
#include <queue>

#include "tokenizer/unicode.h"
#include "tokenizer/vocab.h"

namespace lathe {
namespace {

constexpr std::string_view kSpace = "\xE2\x96\x81";  // U+2581, SentencePiece's escaped space

struct Symbol {
  uint32_t start;   // byte offset in the text
  uint32_t length;  // 0 once merged into its left neighbour
  int32_t prev;
  int32_t next;
};

struct Bigram {
  int32_t left;
  int32_t right;
  float score;
  uint32_t length;
};

// Highest score first; on equal scores the leftmost pair.
struct BigramOrder {
  bool operator()(const Bigram& a, const Bigram& b) const {
    return a.score < b.score || (a.score == b.score && a.left > b.left);
  }
};

// The merge loop over one run of text.
void encode_run(const Vocab& vocab, std::string_view text, std::vector<int32_t>& out) {
  std::vector<Symbol> symbols;
  symbols.reserve(text.size());
  for (size_t pos = 0; pos < text.size();) {
    const size_t len = std::min(utf8_lead_length(static_cast<uint8_t>(text[pos])), text.size() - pos);
    const auto index = static_cast<int32_t>(symbols.size());
    symbols.push_back({static_cast<uint32_t>(pos), static_cast<uint32_t>(len), index - 1,
                       pos + len == text.size() ? -1 : index + 1});
    pos += len;
  }
  if (symbols.empty()) return;

  std::priority_queue<Bigram, std::vector<Bigram>, BigramOrder> queue;
  const auto try_pair = [&](int32_t left, int32_t right) {
    if (left < 0 || right < 0) return;
    const uint32_t length = symbols[left].length + symbols[right].length;
    const int32_t id = vocab.find(text.substr(symbols[left].start, length));
    if (id == kNoToken) return;
    queue.push({left, right, vocab.tokens[id].score, length});
  };
  for (int32_t i = 1; i < static_cast<int32_t>(symbols.size()); ++i) try_pair(i - 1, i);

  while (!queue.empty()) {
    const Bigram top = queue.top();
    queue.pop();
    Symbol& left = symbols[top.left];
    Symbol& right = symbols[top.right];
    // Stale: one side was merged away or has grown since the pair was queued.
    if (left.length == 0 || right.length == 0 || left.length + right.length != top.length) continue;
    left.length += right.length;
    right.length = 0;
    left.next = right.next;
    if (right.next >= 0) symbols[right.next].prev = top.left;
    try_pair(left.prev, top.left);
    try_pair(top.left, left.next);
  }

  // Every merged symbol is a token (merges only make tokens); single characters may not be.
  for (int32_t i = 0; i != -1; i = symbols[i].next) {
    const Symbol& s = symbols[i];
    const std::string_view piece = text.substr(s.start, s.length);
    const int32_t id = vocab.find(piece);
    if (id != kNoToken) {
      out.push_back(id);
      continue;
    }
    for (char c : piece) {
      const int32_t byte = vocab.byte_tokens[static_cast<uint8_t>(c)];
      if (byte != kNoToken) {
        out.push_back(byte);
      } else if (vocab.special.unk != kNoToken) {
        out.push_back(vocab.special.unk);  // llama.cpp would throw here; a vocab without byte tokens
      }
    }
  }
}

}  // namespace

SpmEncoder SpmEncoder::build(const Vocab& vocab) {
  SpmEncoder spm;
  for (const VocabToken& token : vocab.tokens) {
    const std::string_view text = token.text;
    size_t prev = 0;
    for (size_t pos = 0; pos < text.size();) {
      const size_t len = std::min(utf8_lead_length(static_cast<uint8_t>(text[pos])), text.size() - pos);
      if (pos > 0 && text.substr(pos, kSpace.size()) == kSpace)
        spm.before_space_.emplace(text.substr(prev, pos - prev));
      prev = pos;
      pos += len;
    }
  }
  return spm;
}

void SpmEncoder::encode(const Vocab& vocab, std::string_view text, std::vector<int32_t>& out,
                        bool split) const {
  if (!split) {
    encode_run(vocab, text, out);
    return;
  }
  size_t run_start = 0;
  size_t prev = 0;  // start of the previous character
  for (size_t pos = 0; pos < text.size();) {
    const size_t len = std::min(utf8_lead_length(static_cast<uint8_t>(text[pos])), text.size() - pos);
    if (pos > run_start && text.substr(pos, kSpace.size()) == kSpace &&
        !before_space_.count(std::string(text.substr(prev, pos - prev)))) {
      encode_run(vocab, text.substr(run_start, pos - run_start), out);
      run_start = pos;
    }
    prev = pos;
    pos += len;
  }
  if (run_start < text.size()) encode_run(vocab, text.substr(run_start), out);
}

}  // namespace lathe
