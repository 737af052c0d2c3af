#include "tokenizer/bpe.h"

#include <algorithm>
#include <limits>

#include "gguf/reader.h"
#include "tokenizer/unicode.h"

namespace lathe {
namespace {

constexpr std::string_view kMergesKey = "tokenizer.ggml.merges";

uint64_t pair_key(int32_t left, int32_t right) {
  return uint64_t{static_cast<uint32_t>(left)} << 32 | static_cast<uint32_t>(right);
}

struct Symbol {
  int32_t id;       // symbol id, -1 for a character no token or merge knows
  uint32_t start;   // byte offset in the word
  uint32_t length;  // bytes; 0 once merged into its left neighbour
  int32_t prev;
  int32_t next;
};

struct Bigram {
  int32_t left;
  int32_t right;
  int32_t rank;
  int32_t result;
  uint32_t length;
};

// Lowest rank first; on equal ranks the leftmost pair.
struct BigramOrder {
  bool operator()(const Bigram& a, const Bigram& b) const {
    return a.rank > b.rank || (a.rank == b.rank && a.left > b.left);
  }
};

// Per-thread buffers so that encoding many short pieces does not allocate for each.
struct Scratch {
  std::vector<std::string_view> words;
  std::vector<Symbol> symbols;
  std::vector<Bigram> heap;
  std::string encoded;
};

Scratch& scratch() {
  thread_local Scratch s;
  return s;
}

}  // namespace

Result<BpeEncoder> BpeEncoder::build(const Vocab& vocab, const GgufFile& file) {
  BpeEncoder bpe;
  LATHE_TRY(bpe.pre_, PreTokenizer::compile(*vocab.pre_spec));

  if (!file.has(kMergesKey))
    return make_error("{}: {} is missing (byte-level BPE needs it)", file.name(), kMergesKey);
  LATHE_TRY(const GgufArray* merges, file.get_array(kMergesKey));
  if (merges->type != GgufType::string) {
    return make_error("{}: {} holds {} values, not strings", file.name(), kMergesKey,
                      gguf_type_name(merges->type));
  }
  if (merges->strings.size() > static_cast<size_t>(std::numeric_limits<int32_t>::max() / 4)) {
    return make_error("{}: {} has {} entries, too many", file.name(), kMergesKey, merges->strings.size());
  }

  // Merge texts that are not tokens still take part in merging (llama.cpp matches merges by text).
  TokenIndex extra;
  const auto symbol_of = [&](std::string_view text) {
    if (int32_t id = vocab.find(text); id != kNoToken) return id;
    auto [it, inserted] = extra.emplace(std::string(text), vocab.size() + static_cast<int32_t>(extra.size()));
    return it->second;
  };

  bpe.merges_.reserve(merges->strings.size());
  std::string joined;
  for (size_t i = 0; i < merges->strings.size(); ++i) {
    const std::string& line = merges->strings[i];
    const size_t space = line.size() > 1 ? line.find(' ', 1) : std::string::npos;
    if (space == std::string::npos || space + 1 >= line.size()) {
      return make_error("{}: {}[{}] = '{}' is not two symbols separated by a space", file.name(), kMergesKey,
                        i, printable(line));
    }
    const std::string_view left(line.data(), space);
    const std::string_view right(line.data() + space + 1, line.size() - space - 1);
    joined.assign(left);
    joined.append(right);
    const int32_t l = symbol_of(left);
    const int32_t r = symbol_of(right);
    const int32_t result = symbol_of(joined);
    bpe.merges_.emplace(pair_key(l, r), Merge{static_cast<int32_t>(i), result});  // the first rank wins
  }

  for (int b = 0; b < 256; ++b) {
    const std::string& text = byte_to_utf8(static_cast<uint8_t>(b));
    int32_t id = vocab.find(text);
    if (id == kNoToken) {
      auto it = extra.find(text);
      id = it == extra.end() ? -1 : it->second;
    }
    bpe.byte_symbol_[b] = id;
  }
  return bpe;
}

void BpeEncoder::encode(const Vocab& vocab, std::string_view text, std::vector<int32_t>& out) const {
  const std::string clean = utf8_sanitize(text);
  Scratch& s = scratch();
  pre_.split(clean, s.words);
  // encode_word reuses the other scratch buffers; the word list stays valid while it runs.
  std::vector<std::string_view> words = std::move(s.words);
  for (std::string_view word : words) encode_word(vocab, word, out);
  s.words = std::move(words);
}

void BpeEncoder::encode_word(const Vocab& vocab, std::string_view word, std::vector<int32_t>& out) const {
  if (word.empty()) return;
  Scratch& s = scratch();
  if (vocab.ignore_merges) {
    s.encoded.clear();
    for (char c : word) s.encoded += byte_to_utf8(static_cast<uint8_t>(c));
    if (int32_t id = vocab.find(s.encoded); id != kNoToken) {
      out.push_back(id);
      return;
    }
  }

  std::vector<Symbol>& symbols = s.symbols;
  symbols.clear();
  const auto n = static_cast<int32_t>(word.size());
  for (int32_t i = 0; i < n; ++i) {
    symbols.push_back({byte_symbol_[static_cast<uint8_t>(word[i])], static_cast<uint32_t>(i), 1, i - 1,
                       i + 1 == n ? -1 : i + 1});
  }

  std::vector<Bigram>& heap = s.heap;  // a priority queue: std::push_heap / std::pop_heap
  heap.clear();
  const auto try_pair = [&](int32_t left, int32_t right) {
    if (left < 0 || right < 0 || symbols[left].id < 0 || symbols[right].id < 0) return;
    auto it = merges_.find(pair_key(symbols[left].id, symbols[right].id));
    if (it == merges_.end()) return;
    heap.push_back(
        {left, right, it->second.rank, it->second.result, symbols[left].length + symbols[right].length});
    std::push_heap(heap.begin(), heap.end(), BigramOrder{});
  };
  for (int32_t i = 1; i < n; ++i) try_pair(i - 1, i);

  while (!heap.empty()) {
    std::pop_heap(heap.begin(), heap.end(), BigramOrder{});
    const Bigram top = heap.back();
    heap.pop_back();
    Symbol& left = symbols[top.left];
    Symbol& right = symbols[top.right];
    // Stale: one side was merged away or has grown since the pair was queued.
    if (left.length == 0 || right.length == 0 || left.length + right.length != top.length) continue;
    left.id = top.result;
    left.length += right.length;
    right.length = 0;
    left.next = right.next;
    if (right.next >= 0) symbols[right.next].prev = top.left;
    try_pair(left.prev, top.left);
    try_pair(top.left, left.next);
  }

  for (int32_t i = 0; i != -1; i = symbols[i].next) {
    const Symbol& sym = symbols[i];
    if (sym.id >= 0 && sym.id < vocab.size()) {
      out.push_back(sym.id);
      continue;
    }
    // Not a token: llama.cpp looks up each byte of the symbol's alphabet text on its own.
    for (char b : word.substr(sym.start, sym.length)) {
      for (char c : byte_to_utf8(static_cast<uint8_t>(b))) {
        if (int32_t id = vocab.find(std::string_view(&c, 1)); id != kNoToken) out.push_back(id);
      }
    }
  }
}

}  // namespace lathe
