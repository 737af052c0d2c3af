// Broken and hostile vocabulary metadata gives an error naming the key, never a crash; tiny
// hand-made vocabularies tokenize arbitrary bytes safely.
#include <gtest/gtest.h>

#include <random>

#include "common/test_data.h"
#include "gguf/reader.h"
#include "gguf/writer.h"
#include "tokenizer/tokenizer.h"
#include "tokenizer/unicode.h"

namespace lathe {
namespace {

using Ids = std::vector<int32_t>;

struct VocabSpec {
  std::string model = "llama";
  std::vector<std::string> tokens;
  std::vector<float> scores;
  std::vector<int32_t> types;
  std::vector<std::string> merges;
};

// A small SentencePiece vocab: <unk> <s> </s>, 256 byte tokens, then a few pieces.
VocabSpec spm_spec() {
  VocabSpec v;
  v.tokens = {"<unk>", "<s>", "</s>"};
  v.types = {2, 3, 3};
  for (int b = 0; b < 256; ++b) {
    v.tokens.push_back(fmt::format("<0x{:02X}>", b));
    v.types.push_back(6);
  }
  for (const char* piece : {"\xE2\x96\x81", "a", "b",
                            "\xE2\x96\x81"
                            "a",
                            "ab",
                            "\xE2\x96\x81"
                            "ab"}) {
    v.tokens.push_back(piece);
    v.types.push_back(1);
  }
  v.scores.assign(v.tokens.size(), 0.0f);
  for (size_t i = 259; i < v.tokens.size(); ++i) v.scores[i] = -static_cast<float>(i);
  return v;
}

// A small byte-level BPE vocab: the 256 alphabet characters plus merges for "ab" and " ab".
VocabSpec bpe_spec() {
  VocabSpec v;
  v.model = "gpt2";
  for (int b = 0; b < 256; ++b) v.tokens.push_back(byte_to_utf8(static_cast<uint8_t>(b)));
  v.tokens.push_back("ab");
  v.tokens.push_back(
      "\xC4\xA0"
      "ab");  // Ġab
  v.tokens.push_back("<|endoftext|>");
  v.types.assign(v.tokens.size(), 1);
  v.types.back() = 3;
  v.merges = {"a b", "\xC4\xA0 ab"};
  return v;
}

class HostileVocab : public testing::Test {
 protected:
  // Writes the spec plus `extra` keys (which replace the spec's own), then loads it as a tokenizer.
  Result<Tokenizer> load(const VocabSpec& v, const std::vector<std::pair<std::string, GgufValue>>& extra = {},
                         const std::vector<std::string>& drop = {}) {
    GgufWriter writer;
    writer.set("general.architecture", GgufValue::string("llama"));
    writer.set("tokenizer.ggml.model", GgufValue::string(v.model));
    if (v.model == "gpt2") writer.set("tokenizer.ggml.pre", GgufValue::string("gpt-2"));
    writer.set("tokenizer.ggml.tokens", GgufValue::strings(v.tokens));
    if (!v.scores.empty()) writer.set("tokenizer.ggml.scores", GgufValue::f32s(v.scores));
    if (!v.types.empty()) writer.set("tokenizer.ggml.token_type", GgufValue::i32s(v.types));
    if (!v.merges.empty()) writer.set("tokenizer.ggml.merges", GgufValue::strings(v.merges));
    for (const auto& [key, value] : extra) writer.set(key, value);
    GgufWriter filtered;
    if (!drop.empty()) {
      // Rewrite without the dropped keys.
      const auto path = test::temp_dir() / "full.gguf";
      EXPECT_TRUE(writer.write(path).ok());
      auto full = GgufFile::open(path);
      EXPECT_TRUE(full.ok());
      for (const auto& [key, value] : full->metadata()) {
        if (std::find(drop.begin(), drop.end(), key) == drop.end()) filtered.set(key, value);
      }
    }
    const auto path = test::temp_dir() / "vocab.gguf";
    auto written = (drop.empty() ? writer : filtered).write(path);
    if (!written.ok()) return std::move(written).error();
    LATHE_TRY(GgufFile file, GgufFile::open(path));
    return Tokenizer::load(file);
  }

  void expect_error(const Result<Tokenizer>& result, const std::string& text) {
    ASSERT_FALSE(result.ok()) << "expected an error mentioning " << text;
    EXPECT_NE(result.error().message.find(text), std::string::npos) << result.error().message;
    EXPECT_NE(result.error().message.find("vocab.gguf"), std::string::npos) << result.error().message;
  }
};

TEST_F(HostileVocab, HandMadeVocabsWork) {
  auto spm = load(spm_spec());
  ASSERT_TRUE(spm.ok()) << spm.error().message;
  EXPECT_EQ(spm->encode("ab", true, false), (Ids{1, 264}));  // <s> ▁ab
  EXPECT_EQ(spm->decode(spm->encode("ab ab xyz", false, false)), "ab ab xyz");
  auto bpe = load(bpe_spec());
  ASSERT_TRUE(bpe.ok()) << bpe.error().message;
  EXPECT_EQ(bpe->encode("ab ab", false, false), (Ids{256, 257}));
  EXPECT_EQ(bpe->kind_name(), "bpe/gpt2");
}

TEST_F(HostileVocab, MissingOrMistypedArrays) {
  expect_error(load(spm_spec(), {}, {"tokenizer.ggml.tokens"}), "tokenizer.ggml.tokens");
  expect_error(load(spm_spec(), {}, {"tokenizer.ggml.model"}), "tokenizer.ggml.model");
  expect_error(load(spm_spec(), {{"tokenizer.ggml.tokens", GgufValue::i32s({1, 2, 3})}}),
               "tokenizer.ggml.tokens");
  expect_error(load(spm_spec(), {{"tokenizer.ggml.tokens", GgufValue::strings({})}}),
               "tokenizer.ggml.tokens");
  expect_error(load(spm_spec(), {{"tokenizer.ggml.scores", GgufValue::strings({"x"})}}),
               "tokenizer.ggml.scores");
  expect_error(load(spm_spec(), {{"tokenizer.ggml.model", GgufValue::u32(3)}}), "tokenizer.ggml.model");
  expect_error(load(spm_spec(), {{"tokenizer.ggml.model", GgufValue::string("t5")}}), "tokenizer.ggml.model");
  expect_error(load(spm_spec(), {{"tokenizer.ggml.add_bos_token", GgufValue::string("yes")}}),
               "tokenizer.ggml.add_bos_token");
}

TEST_F(HostileVocab, MismatchedLengths) {
  VocabSpec short_scores = spm_spec();
  short_scores.scores.pop_back();
  expect_error(load(short_scores), "tokenizer.ggml.scores");
  VocabSpec long_types = spm_spec();
  long_types.types.push_back(1);
  expect_error(load(long_types), "tokenizer.ggml.token_type");
  VocabSpec nan_score = spm_spec();
  nan_score.scores[262] = std::nanf("");
  expect_error(load(nan_score), "tokenizer.ggml.scores[262]");
}

TEST_F(HostileVocab, SpecialIdsOutOfRange) {
  expect_error(load(spm_spec(), {{"tokenizer.ggml.bos_token_id", GgufValue::u32(100000)}}), "bos_token_id");
  expect_error(load(spm_spec(), {{"tokenizer.ggml.eos_token_id", GgufValue::i32(-7)}}), "eos_token_id");
  expect_error(load(bpe_spec(), {{"tokenizer.ggml.padding_token_id", GgufValue::u64(1ull << 40)}}),
               "padding_token_id");
  expect_error(load(spm_spec(), {{"tokenizer.ggml.unknown_token_id", GgufValue::string("0")}}),
               "unknown_token_id");
  // -1 / 0xFFFFFFFF mean "none" (stories260K writes its separator so): the default stays.
  auto unset = load(spm_spec(), {{"tokenizer.ggml.bos_token_id", GgufValue::u32(0xFFFFFFFFu)},
                                 {"tokenizer.ggml.padding_token_id", GgufValue::i32(-1)}});
  ASSERT_TRUE(unset.ok()) << unset.error().message;
  EXPECT_EQ(unset->bos(), 1);
  EXPECT_EQ(unset->pad(), kNoToken);
  // add_bos_token with no BOS to add.
  VocabSpec tiny;
  tiny.tokens = {"<unk>"};
  expect_error(load(tiny, {{"tokenizer.ggml.add_bos_token", GgufValue::boolean(true)}}), "add_bos_token");
}

TEST_F(HostileVocab, DuplicateTokens) {
  VocabSpec dup = spm_spec();
  dup.tokens[261] = "a";
  expect_error(load(dup), "tokenizer.ggml.tokens");
}

TEST_F(HostileVocab, BadMergesAndPreTokenizers) {
  expect_error(load(bpe_spec(), {}, {"tokenizer.ggml.merges"}), "tokenizer.ggml.merges");
  VocabSpec no_space = bpe_spec();
  no_space.merges.push_back("abc");
  expect_error(load(no_space), "tokenizer.ggml.merges[2]");
  VocabSpec empty_right = bpe_spec();
  empty_right.merges.push_back("a ");
  expect_error(load(empty_right), "tokenizer.ggml.merges[2]");
  expect_error(load(bpe_spec(), {{"tokenizer.ggml.merges", GgufValue::i32s({1})}}), "tokenizer.ggml.merges");
  expect_error(load(bpe_spec(), {{"tokenizer.ggml.pre", GgufValue::string("no-such-pre")}}),
               "tokenizer.ggml.pre");
  // Merges of texts that are not tokens are legal (llama.cpp matches them by text).
  VocabSpec odd = bpe_spec();
  odd.merges.push_back("x y");
  odd.merges.push_back("xy z");
  auto ok = load(odd);
  ASSERT_TRUE(ok.ok()) << ok.error().message;
  EXPECT_EQ(ok->decode(ok->encode("xyz", false, false)), "xyz");
  // No pre key: llama.cpp's default pre-tokenizer.
  auto fallback = load(bpe_spec(), {}, {"tokenizer.ggml.pre"});
  ASSERT_TRUE(fallback.ok()) << fallback.error().message;
  EXPECT_EQ(fallback->kind_name(), "bpe/default");
}

TEST_F(HostileVocab, OddTokenTypesAndTextsDoNotCrash) {
  VocabSpec v = bpe_spec();
  v.types[10] = 99;    // unknown type: undefined, renders as nothing
  v.types[20] = 6;     // "byte" without <0xNN> text
  v.tokens[257] = "";  // empty text becomes [EMPTY_257]
  v.tokens.push_back("<tool>");
  v.types.push_back(4);  // user-defined: recognised even in user text
  auto tok = load(v);
  ASSERT_TRUE(tok.ok()) << tok.error().message;
  EXPECT_EQ(tok->token_text(257), "[EMPTY_257]");
  EXPECT_EQ(tok->token_to_piece(10), "");
  EXPECT_EQ(tok->encode("x<tool>", false, false).back(), 259);
  EXPECT_NE(tok->encode("x<|endoftext|>", false, false).back(), 258);  // control: only when parsing specials
  EXPECT_EQ(tok->encode("x<|endoftext|>", false, true).back(), 258);
}

TEST_F(HostileVocab, RandomBytesNeverCrash) {
  auto spm = load(spm_spec());
  auto bpe = load(bpe_spec());
  ASSERT_TRUE(spm.ok() && bpe.ok());
  std::mt19937 rng(7);
  for (int round = 0; round < 300; ++round) {
    std::string text(rng() % 64, '\0');
    for (char& c : text) c = static_cast<char>(rng() % 8 == 0 ? "ab <s>\xE2"[rng() % 7] : rng() % 256);
    for (bool special : {false, true}) {
      const Ids a = spm->encode(text, false, special);
      const Ids b = bpe->encode(text, false, special);
      for (int32_t id : spm->encode(text, true, special)) ASSERT_TRUE(id >= 0 && id < spm->vocab_size());
      for (int32_t id : a) ASSERT_TRUE(id >= 0 && id < spm->vocab_size());
      for (int32_t id : b) ASSERT_TRUE(id >= 0 && id < bpe->vocab_size());
      if (!special) {
        // Byte fallback keeps every byte of valid UTF-8. (With invalid UTF-8, llama.cpp's character
        // split can swallow the bytes of an escaped space, which then decode as U+2581.)
        const std::string valid = utf8_sanitize(text);
        EXPECT_EQ(spm->decode(spm->encode(valid, false, false)), valid);
        EXPECT_EQ(bpe->decode(b), utf8_sanitize(text));  // invalid UTF-8 became U+FFFD
      }
    }
  }
}

}  // namespace
}  // namespace lathe
