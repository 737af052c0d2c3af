#include "tokenizer/vocab.h"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <limits>

#include "core/log.h"
#include "gguf/reader.h"
#include "tokenizer/pretokenizer.h"

namespace lathe {
namespace {

constexpr std::string_view kModelKey = "tokenizer.ggml.model";
constexpr std::string_view kPreKey = "tokenizer.ggml.pre";
constexpr std::string_view kTokensKey = "tokenizer.ggml.tokens";
constexpr std::string_view kScoresKey = "tokenizer.ggml.scores";
constexpr std::string_view kTypesKey = "tokenizer.ggml.token_type";

// tokenizer.ggml.token_type values (llama.cpp's llama_token_type).
uint32_t attr_from_type(int64_t type) {
  switch (type) {
    case 1:
      return kTokenNormal;
    case 2:
      return kTokenUnknown;
    case 3:
      return kTokenControl;
    case 4:
      return kTokenUserDefined;
    case 5:
      return kTokenUnused;
    case 6:
      return kTokenByte;
    default:
      return kTokenUndefined;
  }
}

// Texts that mark end-of-turn tokens when tokenizer.ggml.eot_token_id is absent, in order of
// preference (llama.cpp takes whichever its hash map yields first; a fixed order is reproducible).
constexpr std::string_view kEotTexts[] = {
    "<|eot_id|>", "<|im_end|>", "<|end|>", "<end_of_turn>",         "<|endoftext|>",      "<|end_of_text|>",
    "<EOT>",      "_<EOT>",     "[EOT]",   "<｜end▁of▁sentence｜>", "<end_of_utterance>",
};
constexpr std::string_view kEogTexts[] = {
    "<|eot_id|>",
    "<|im_end|>",
    "<|end|>",
    "<|return|>",
    "<|call|>",
    "<|flush|>",
    "<|calls|>",
    "<end_of_turn>",
    "<|endoftext|>",
    "</s>",
    "<|eom_id|>",
    "<EOT>",
    "_<EOT>",
    "[EOT]",
    "[EOS]",
    "<|end_of_text|>",
    "<end_of_utterance>",
    "<eos>",
    "<turn|>",
    "<|tool_response>",
    "<｜end▁of▁sentence｜>",
};

struct FimTexts {
  int32_t SpecialTokenIds::*field;
  std::vector<std::string_view> texts;
};

const std::vector<FimTexts>& fim_texts() {
  static const std::vector<FimTexts> table = {
      {&SpecialTokenIds::fim_pre,
       {"<|fim_prefix|>", "<fim-prefix>", "<fim_prefix>", "<｜fim▁begin｜>", "<PRE>", "▁<PRE>",
        "<|code_prefix|>"}},
      {&SpecialTokenIds::fim_suf,
       {"<|fim_suffix|>", "<fim-suffix>", "<fim_suffix>", "<｜fim▁hole｜>", "<SUF>", "▁<SUF>",
        "<|code_suffix|>"}},
      {&SpecialTokenIds::fim_mid,
       {"<|fim_middle|>", "<fim-middle>", "<fim_middle>", "<｜fim▁end｜>", "<MID>", "▁<MID>",
        "<|code_middle|>"}},
      {&SpecialTokenIds::fim_pad, {"<|fim_pad|>", "<fim-pad>", "<fim_pad>", "<PAD>"}},
      {&SpecialTokenIds::fim_rep, {"<|fim_repo|>", "<|repo_name|>", "<fim-repo>", "<REPO>", "<reponame>"}},
      {&SpecialTokenIds::fim_sep, {"<|file_sep|>"}},
  };
  return table;
}

struct SpecialKey {
  std::string_view key;
  int32_t SpecialTokenIds::*field;
};

constexpr SpecialKey kSpecialKeys[] = {
    {"tokenizer.ggml.bos_token_id", &SpecialTokenIds::bos},
    {"tokenizer.ggml.eos_token_id", &SpecialTokenIds::eos},
    {"tokenizer.ggml.eot_token_id", &SpecialTokenIds::eot},
    {"tokenizer.ggml.eom_token_id", &SpecialTokenIds::eom},
    {"tokenizer.ggml.unknown_token_id", &SpecialTokenIds::unk},
    {"tokenizer.ggml.seperator_token_id", &SpecialTokenIds::sep},  // sic, as GGUF spells it
    {"tokenizer.ggml.padding_token_id", &SpecialTokenIds::pad},
    {"tokenizer.ggml.mask_token_id", &SpecialTokenIds::mask},
    {"tokenizer.ggml.fim_pre_token_id", &SpecialTokenIds::fim_pre},
    {"tokenizer.ggml.fim_suf_token_id", &SpecialTokenIds::fim_suf},
    {"tokenizer.ggml.fim_mid_token_id", &SpecialTokenIds::fim_mid},
    {"tokenizer.ggml.fim_pad_token_id", &SpecialTokenIds::fim_pad},
    {"tokenizer.ggml.fim_rep_token_id", &SpecialTokenIds::fim_rep},
    {"tokenizer.ggml.fim_sep_token_id", &SpecialTokenIds::fim_sep},
    {"tokenizer.ggml.prefix_token_id", &SpecialTokenIds::fim_pre},  // deprecated names
    {"tokenizer.ggml.suffix_token_id", &SpecialTokenIds::fim_suf},
    {"tokenizer.ggml.middle_token_id", &SpecialTokenIds::fim_mid},
};

Result<void> read_flag(const GgufFile& file, std::string_view key, bool& flag) {
  if (!file.has(key)) return {};
  LATHE_TRY(flag, file.get_bool(key));
  return {};
}

// An optional per-token number array: absent, or exactly one number per token.
Result<const GgufArray*> per_token_array(const GgufFile& file, std::string_view key, size_t n_tokens) {
  if (!file.has(key)) return static_cast<const GgufArray*>(nullptr);
  LATHE_TRY(const GgufArray* array, file.get_array(key));
  if (!array->is_number()) {
    return make_error("{}: {} holds {} values, not numbers", file.name(), key, gguf_type_name(array->type));
  }
  if (array->count != n_tokens) {
    return make_error("{}: {} has {} entries but {} has {} tokens", file.name(), key, array->count,
                      kTokensKey, n_tokens);
  }
  return array;
}

Result<void> read_tokens(const GgufFile& file, Vocab& vocab) {
  LATHE_TRY(const GgufArray* texts, file.get_array(kTokensKey));
  if (texts->type != GgufType::string) {
    return make_error("{}: {} holds {} values, not strings", file.name(), kTokensKey,
                      gguf_type_name(texts->type));
  }
  const size_t n = texts->strings.size();
  if (n == 0) return make_error("{}: {} is empty", file.name(), kTokensKey);
  if (n > static_cast<size_t>(std::numeric_limits<int32_t>::max())) {
    return make_error("{}: {} has {} tokens, more than token ids can hold", file.name(), kTokensKey, n);
  }
  LATHE_TRY(const GgufArray* scores, per_token_array(file, kScoresKey, n));
  LATHE_TRY(const GgufArray* types, per_token_array(file, kTypesKey, n));

  vocab.tokens.resize(n);
  vocab.index.reserve(n);
  for (size_t i = 0; i < n; ++i) {
    VocabToken& token = vocab.tokens[i];
    token.text = texts->strings[i].empty() ? fmt::format("[EMPTY_{}]", i) : texts->strings[i];
    if (scores) {
      token.score = static_cast<float>(scores->float_at(i));
      if (std::isnan(token.score)) {
        return make_error("{}: {}[{}] is not a number (NaN)", file.name(), kScoresKey, i);
      }
    }
    if (types) token.attr = attr_from_type(types->int_at(i));
    auto [it, inserted] = vocab.index.emplace(token.text, static_cast<int32_t>(i));
    if (!inserted) {
      return make_error("{}: {} lists '{}' twice, as tokens {} and {}", file.name(), kTokensKey,
                        printable(token.text), it->second, i);
    }
  }
  return {};
}

Result<void> read_special_ids(const GgufFile& file, Vocab& vocab) {
  for (const SpecialKey& s : kSpecialKeys) {
    int32_t& id = vocab.special.*s.field;
    if (id != kNoToken && !vocab.valid(id)) id = kNoToken;  // a default the vocab is too small for
    if (!file.has(s.key)) continue;
    LATHE_TRY(int64_t value, file.get_int(s.key));
    // -1 (or 2^32-1 written as u32) means "none"; llama.cpp keeps the default then.
    if (value == -1 || value == 0xFFFFFFFFll) continue;
    if (value < 0 || value >= vocab.size()) {
      return make_error("{}: {} = {} is outside the vocabulary (0..{})", file.name(), s.key, value,
                        vocab.size() - 1);
    }
    id = static_cast<int32_t>(value);
  }
  return {};
}

void mark_control(Vocab& vocab, int32_t id) {
  VocabToken& token = vocab.tokens[id];
  if ((token.attr & kTokenControl) == 0) {
    log().debug("tokenizer: token {} '{}' ends generation but is not a control token; treating it as one", id,
                printable(token.text));
    token.attr |= kTokenControl;
  }
}

// llama.cpp finds end-of-turn, end-of-generation and fill-in-the-middle tokens by their text when
// the metadata does not name them, and makes them control tokens.
void detect_special_tokens(Vocab& vocab) {
  if (vocab.special.eot == kNoToken) {
    for (std::string_view text : kEotTexts) {
      if (int32_t id = vocab.find(text); id != kNoToken) {
        vocab.special.eot = id;
        mark_control(vocab, id);
        break;
      }
    }
  }
  if (vocab.special.eom == kNoToken) {
    if (int32_t id = vocab.find("<|eom_id|>"); id != kNoToken) {
      vocab.special.eom = id;
      mark_control(vocab, id);
    }
  }
  for (const FimTexts& fim : fim_texts()) {
    int32_t& field = vocab.special.*fim.field;
    if (field != kNoToken) continue;
    for (std::string_view text : fim.texts) {
      if (int32_t id = vocab.find(text); id != kNoToken) {
        field = id;
        mark_control(vocab, id);
        break;
      }
    }
  }
  for (VocabToken& token : vocab.tokens) {
    if ((token.attr & kTokenControl) && token.text.find("unused") != std::string::npos)
      token.attr |= kTokenUnused;
  }

  std::vector<int32_t>& eog = vocab.end_of_generation;
  for (int32_t id : {vocab.special.fim_pad, vocab.special.fim_rep, vocab.special.fim_sep, vocab.special.eos,
                     vocab.special.eot, vocab.special.eom}) {
    if (id != kNoToken) eog.push_back(id);
  }
  for (std::string_view text : kEogTexts) {
    if (int32_t id = vocab.find(text); id != kNoToken) {
      eog.push_back(id);
      mark_control(vocab, id);
    }
  }
  // gpt-oss renders these channel markers; llama.cpp makes them user-defined.
  for (std::string_view text : {"<|channel|>", "<|message|>", "<|start|>", "<|constrain|>"}) {
    if (int32_t id = vocab.find(text); id != kNoToken) vocab.tokens[id].attr = kTokenUserDefined;
  }
  std::sort(eog.begin(), eog.end());
  eog.erase(std::unique(eog.begin(), eog.end()), eog.end());
  // o200k_harmony / solar-open: <|end|> ends a message, not the generation.
  const auto has = [&](std::string_view text) {
    const int32_t id = vocab.find(text);
    return id != kNoToken && std::binary_search(eog.begin(), eog.end(), id);
  };
  if (has("<|end|>") && ((has("<|return|>") && has("<|call|>")) || (has("<|calls|>") && has("<|flush|>")))) {
    const int32_t end = vocab.find("<|end|>");
    eog.erase(std::find(eog.begin(), eog.end(), end));
    vocab.tokens[end].attr = kTokenUserDefined;
  }
}

void build_special_cache(const GgufFile& file, Vocab& vocab) {
  for (int32_t id = 0; id < vocab.size(); ++id) {
    if (vocab.tokens[id].attr & (kTokenControl | kTokenUserDefined | kTokenUnknown)) {
      vocab.special_by_length.push_back(id);
    }
  }
  std::stable_sort(vocab.special_by_length.begin(), vocab.special_by_length.end(), [&](int32_t a, int32_t b) {
    return vocab.tokens[a].text.size() > vocab.tokens[b].text.size();
  });

  // Phi-3's special tokens eat the whitespace after them (llama.cpp decides this by model name).
  std::string name;
  if (const GgufValue* v = file.find("general.name"); v && v->as_string()) name = *v->as_string();
  std::transform(name.begin(), name.end(), name.begin(), [](unsigned char c) { return std::tolower(c); });
  if (name.find("phi-3") != std::string::npos || name.find("phi3") != std::string::npos) {
    for (int32_t id : vocab.special_by_length) vocab.tokens[id].attr |= kTokenRstrip;
    if (int32_t id = vocab.find("</s>"); id != kNoToken) vocab.tokens[id].attr |= kTokenRstrip;
    for (std::string_view text : {"<unk>", "<s>", "<|endoftext|>"}) {
      if (int32_t id = vocab.find(text); id != kNoToken) vocab.tokens[id].attr &= ~kTokenRstrip;
    }
  }
}

}  // namespace

bool Vocab::is_eog(int32_t id) const {
  return std::binary_search(end_of_generation.begin(), end_of_generation.end(), id);
}

std::string printable(std::string_view text, size_t max_bytes) {
  std::string out;
  for (size_t i = 0; i < text.size() && i < max_bytes; ++i) {
    const unsigned char c = static_cast<unsigned char>(text[i]);
    if (c < 0x20 || c == 0x7F || c == '\'' || c == '\\') {
      out += fmt::format("\\x{:02x}", c);
    } else {
      out.push_back(static_cast<char>(c));
    }
  }
  if (text.size() > max_bytes) out += "...";
  return out;
}

Result<Vocab> Vocab::load(const GgufFile& file) {
  Vocab vocab;
  LATHE_TRY(vocab.model, file.get_string(kModelKey));
  if (file.has(kPreKey)) {
    LATHE_TRY(vocab.pre, file.get_string(kPreKey));
  }

  if (vocab.model == "llama") {
    vocab.kind = VocabKind::spm;
    vocab.special.bos = 1;
    vocab.special.eos = 2;
    vocab.special.unk = 0;
    vocab.add_space_prefix = true;
    vocab.add_bos = true;
  } else if (vocab.model == "gpt2") {
    vocab.kind = VocabKind::bpe;
    vocab.pre_spec = find_pre_tokenizer(vocab.pre);
    if (!vocab.pre_spec) {
      return make_error("{}: {} '{}' is not a pre-tokenizer Lathe knows (known: {})", file.name(), kPreKey,
                        printable(vocab.pre), known_pre_tokenizers());
    }
    if (vocab.pre.empty()) {
      log().warn("{}: no {}; using llama.cpp's default pre-tokenizer (quality may suffer)", file.name(),
                 kPreKey);
    }
    vocab.special.bos = vocab.pre_spec->no_bos ? kNoToken : 11;
    vocab.special.eos = 11;
    vocab.clean_spaces = vocab.pre_spec->clean_spaces;
    vocab.ignore_merges = vocab.pre_spec->ignore_merges;
    vocab.add_bos = vocab.pre_spec->add_bos;
  } else {
    return make_error(
        "{}: {} '{}' is not supported (Lathe reads 'llama', SentencePiece, and 'gpt2', byte-level BPE)",
        file.name(), kModelKey, printable(vocab.model));
  }
  LATHE_CHECK(read_flag(file, "tokenizer.ggml.add_space_prefix", vocab.add_space_prefix));
  LATHE_CHECK(read_tokens(file, vocab));
  LATHE_CHECK(read_special_ids(file, vocab));
  LATHE_CHECK(read_flag(file, "tokenizer.ggml.add_bos_token", vocab.add_bos));
  LATHE_CHECK(read_flag(file, "tokenizer.ggml.add_eos_token", vocab.add_eos));
  if (vocab.add_bos && vocab.special.bos == kNoToken) {
    return make_error(
        "{}: tokenizer.ggml.add_bos_token is true but the vocabulary has no BOS token "
        "(tokenizer.ggml.bos_token_id)",
        file.name());
  }
  if (vocab.add_eos && vocab.special.eos == kNoToken) {
    return make_error(
        "{}: tokenizer.ggml.add_eos_token is true but the vocabulary has no EOS token "
        "(tokenizer.ggml.eos_token_id)",
        file.name());
  }

  detect_special_tokens(vocab);
  build_special_cache(file, vocab);

  static constexpr char kHex[] = "0123456789ABCDEF";
  for (int b = 0; b < 256; ++b) {
    const char name[7] = {'<', '0', 'x', kHex[b >> 4], kHex[b & 15], '>', 0};
    int32_t id = vocab.find(name);
    if (id == kNoToken) id = vocab.find(std::string(1, static_cast<char>(b)));
    vocab.byte_tokens[b] = id;
  }
  return vocab;
}

}  // namespace lathe
