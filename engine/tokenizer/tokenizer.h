#pragma once
// Text <-> token ids for a GGUF model's vocabulary, matching llama.cpp token for token:
// SentencePiece (tokenizer.ggml.model = llama) and byte-level BPE (gpt2, with the pre-tokenizer
// named by tokenizer.ggml.pre). A Tokenizer is immutable after load, cheap to copy (it shares its
// tables) and safe to use from several threads at once.
//
//   auto tok = Tokenizer::load(file);                        // Result<Tokenizer>
//   auto ids = tok->encode(prompt, /*add_special=*/true, /*parse_special=*/true);
//   std::string text = tok->decode(ids);

#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"
#include "tokenizer/vocab.h"

namespace lathe {

class GgufFile;

struct DecodeOptions {
  // Render control tokens (<|im_end|>, <s>) as their text; otherwise they decode to nothing.
  bool render_special = false;
  // Drop a leading BOS and trailing EOS that add_special would have added (llama.cpp's remove_special).
  bool remove_special = false;
  // Apply the vocab's clean_up_tokenization_spaces (" ," -> ",", " 's" -> "'s", ...) when it asks
  // for it, as llama.cpp's detokenize does. Off by default: decoding then loses nothing.
  bool clean_spaces = false;
};

class Tokenizer {
 public:
  static Result<Tokenizer> load(const GgufFile& file);

  // add_special: BOS/EOS as the vocab's add_bos_token / add_eos_token say (and, for SentencePiece,
  // the leading space). parse_special: control tokens written in the text (<|im_start|>) become
  // those tokens; use it for rendered chat templates, never for what a user typed. User-defined
  // tokens are always recognised, as in llama.cpp.
  std::vector<int32_t> encode(std::string_view text, bool add_special, bool parse_special) const;

  // Concatenated pieces. With add_space_prefix (SentencePiece) the first piece loses one leading
  // space, exactly as llama.cpp's detokenize does (so decode(encode(t, false, ..)) == t).
  std::string decode(std::span<const int32_t> ids, const DecodeOptions& options = {}) const;

  // The bytes one token stands for (possibly part of a UTF-8 character). Control and unknown
  // tokens give "" unless render_special; invalid ids give "".
  const std::string& token_to_piece(int32_t id, bool render_special = false) const;

  const Vocab& vocab() const;
  int32_t vocab_size() const;
  std::string_view token_text(int32_t id) const;  // the raw vocabulary entry ("Ġthe", "▁the", "<0x0A>")
  int32_t find_token(std::string_view text) const { return vocab().find(text); }
  uint32_t token_attr(int32_t id) const { return vocab().attr(id); }

  int32_t bos() const { return vocab().special.bos; }
  int32_t eos() const { return vocab().special.eos; }
  int32_t eot() const { return vocab().special.eot; }  // kNoToken when the vocab has none
  int32_t unk() const { return vocab().special.unk; }
  int32_t pad() const { return vocab().special.pad; }
  bool add_bos() const { return vocab().add_bos; }
  bool add_eos() const { return vocab().add_eos; }
  // Whether generating this token ends the reply (eos, eot, eom and their kin).
  bool is_end_of_generation(int32_t id) const { return vocab().is_eog(id); }

  VocabKind kind() const { return vocab().kind; }
  // "spm", or "bpe/<pre-tokenizer>" such as "bpe/llama3".
  std::string kind_name() const;

 private:
  struct Impl;
  std::shared_ptr<const Impl> impl_;
};

}  // namespace lathe
