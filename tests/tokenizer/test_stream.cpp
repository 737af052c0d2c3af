// The stream decoder never emits part of a UTF-8 character, whatever the tokens split.
#include <gtest/gtest.h>

#include "tokenizer/stream_decoder.h"
#include "tokenizer/unicode.h"
#include "tokenizer_cache.h"

namespace lathe {
namespace {

using Ids = std::vector<int32_t>;

const std::string kText = "Hi 🦙 and 😶‍🌫️ — 我想在apple工作 ½ кирилица ✅!";

bool valid_utf8(const std::string& s) { return utf8_sanitize(s) == s; }

// Streams `ids`, checking every emitted chunk is whole characters; returns the concatenation.
std::string stream_all(const Tokenizer& tok, const Ids& ids, size_t* held_back = nullptr) {
  StreamDecoder stream(tok);
  std::string all;
  for (int32_t id : ids) {
    const std::string chunk = stream.push(id);
    EXPECT_TRUE(valid_utf8(chunk)) << "chunk is not whole UTF-8 characters";
    if (held_back && stream.pending() > 0) ++*held_back;
    all += chunk;
  }
  const std::string rest = stream.flush();
  EXPECT_TRUE(rest.empty()) << "complete text left bytes behind";
  return all + rest;
}

TEST(StreamDecoder, ByteFallbackTokensSplitCharactersByteByByte) {
  const Tokenizer* tok = test::shared_tokenizer("vocab/ggml-vocab-llama-spm.gguf");
  ASSERT_NE(tok, nullptr);
  // Every byte of the text as its own <0xNN> token.
  Ids ids;
  for (unsigned char c : kText) ids.push_back(tok->vocab().byte_tokens[c]);
  size_t held = 0;
  EXPECT_EQ(stream_all(*tok, ids, &held), kText);
  EXPECT_GT(held, 10u);  // the multi-byte characters really were held back
}

TEST(StreamDecoder, ByteLevelBpeSplitsCharactersByteByByte) {
  const Tokenizer* tok = test::shared_tokenizer("vocab/ggml-vocab-qwen2.gguf");
  ASSERT_NE(tok, nullptr);
  // The single-byte tokens of the byte-level alphabet.
  Ids ids;
  for (unsigned char c : kText) ids.push_back(tok->find_token(byte_to_utf8(c)));
  EXPECT_EQ(stream_all(*tok, ids), kText);
  // And the real tokenization, which splits emoji across tokens too.
  EXPECT_EQ(stream_all(*tok, tok->encode(kText, false, false)), kText);
}

TEST(StreamDecoder, RealTokenizationsOfEveryVocab) {
  for (const char* name : {"llama-spm", "phi-3", "llama-bpe", "gpt-2", "deepseek-llm", "mpt", "refact"}) {
    const Tokenizer* tok = test::shared_tokenizer(std::string("vocab/ggml-vocab-") + name + ".gguf");
    ASSERT_NE(tok, nullptr);
    const Ids ids = tok->encode(kText, false, false);
    std::string expected = tok->decode(ids);
    // The stream does not strip SentencePiece's prefix space: generated text keeps it.
    if (tok->kind() == VocabKind::spm) expected.insert(0, " ");
    EXPECT_EQ(stream_all(*tok, ids), expected) << name;
  }
}

TEST(StreamDecoder, BrokenBytesBecomeReplacementCharacters) {
  const Tokenizer* tok = test::shared_tokenizer("vocab/ggml-vocab-llama-spm.gguf");
  ASSERT_NE(tok, nullptr);
  StreamDecoder stream(*tok);
  EXPECT_EQ(stream.push_bytes("a\xF0\x9F"), "a");
  EXPECT_EQ(stream.pending(), 2u);
  EXPECT_EQ(stream.push_bytes("b"),
            "\xEF\xBF\xBD\xEF\xBF\xBD"
            "b");                                        // the character never finished
  EXPECT_EQ(stream.push_bytes("\x80"), "\xEF\xBF\xBD");  // a stray continuation byte
  EXPECT_EQ(stream.push_bytes("\xE4\xBD"), "");
  EXPECT_EQ(stream.flush(), "\xEF\xBF\xBD\xEF\xBF\xBD");  // cut off at the end
  EXPECT_EQ(stream.pending(), 0u);
  EXPECT_EQ(stream.push_bytes("\xE4\xBD"), "");
  EXPECT_EQ(stream.push_bytes("\xA0"), "\xE4\xBD\xA0");  // 你
  // An invalid second byte is not held back as if it could still complete.
  EXPECT_EQ(stream.push_bytes("\xE0\x80"), "\xEF\xBF\xBD\xEF\xBF\xBD");
}

TEST(StreamDecoder, ControlTokensRenderOnlyWhenAsked) {
  const Tokenizer* tok = test::shared_tokenizer("vocab/ggml-vocab-qwen2.gguf");
  ASSERT_NE(tok, nullptr);
  StreamDecoder plain(*tok);
  EXPECT_EQ(plain.push(151645), "");
  StreamDecoder rendered(*tok, true);
  EXPECT_EQ(rendered.push(151645), "<|im_end|>");
}

}  // namespace
}  // namespace lathe
