// The pre-tokenizer regexes: translation to PCRE2 and splits llama.cpp makes.
#include <gtest/gtest.h>

#include "tokenizer/pretokenizer.h"

namespace lathe {
namespace {

std::vector<std::string> split(std::string_view pre, std::string_view text) {
  const PreTokenizerSpec* spec = find_pre_tokenizer(pre);
  EXPECT_NE(spec, nullptr) << pre;
  if (!spec) return {};
  auto compiled = PreTokenizer::compile(*spec);
  EXPECT_TRUE(compiled.ok()) << compiled.error().message;
  if (!compiled.ok()) return {};
  std::vector<std::string_view> pieces;
  compiled->split(text, pieces);
  return {pieces.begin(), pieces.end()};
}

using Pieces = std::vector<std::string>;

TEST(PreTokenizer, EveryKnownSpecCompiles) {
  for (std::string_view name : {"",
                                "default",
                                "llama-bpe",
                                "qwen2",
                                "gpt-2",
                                "deepseek-llm",
                                "deepseek-coder",
                                "deepseek-v3",
                                "mpt",
                                "refact",
                                "starcoder",
                                "falcon",
                                "command-r",
                                "smollm",
                                "tekken",
                                "gpt-4o",
                                "chatglm-bpe",
                                "bloom",
                                "viking",
                                "qwen35",
                                "seed-coder",
                                "bailingmoe",
                                "stablelm2",
                                "dbrx"}) {
    const PreTokenizerSpec* spec = find_pre_tokenizer(name);
    ASSERT_NE(spec, nullptr) << name;
    auto compiled = PreTokenizer::compile(*spec);
    EXPECT_TRUE(compiled.ok()) << name << ": " << compiled.error().message;
  }
  EXPECT_EQ(find_pre_tokenizer("no-such-thing"), nullptr);
  EXPECT_NE(known_pre_tokenizers().find("llama-bpe"), std::string::npos);
}

TEST(PreTokenizer, Llama3Splits) {
  EXPECT_EQ(split("llama-bpe", "Hello, y'all! 1234567  x\n\n  y"),
            (Pieces{"Hello", ",", " y", "'all", "!", " ", "123", "456", "7", " ", " x", "\n\n", " ", " y"}));
  EXPECT_EQ(split("llama-bpe", "I'M   "), (Pieces{"I", "'M", "   "}));
}

TEST(PreTokenizer, Gpt2AndStarcoderSplits) {
  EXPECT_EQ(split("gpt-2", "it's  42x\t"), (Pieces{"it", "'s", " ", " 42", "x", "\t"}));
  // starcoder first cuts every digit out.
  EXPECT_EQ(split("starcoder", "ab 123"), (Pieces{"ab", " ", "1", "2", "3"}));
}

TEST(PreTokenizer, WhitespaceIsUnicodeWhiteSpace) {
  // U+3000 ideographic space is \s; U+200B zero-width space is not.
  EXPECT_EQ(split("gpt-2",
                  "a\xE3\x80\x80\xE3\x80\x80"
                  "b"),
            (Pieces{"a", "\xE3\x80\x80", "\xE3\x80\x80", "b"}));
  EXPECT_EQ(split("gpt-2",
                  "a\xE2\x80\x8B"
                  "b"),
            (Pieces{"a", "\xE2\x80\x8B", "b"}));
}

TEST(PreTokenizer, Translation) {
  auto t = translate_pre_regex(R"(\s+(?!\S))");
  ASSERT_TRUE(t.ok());
  EXPECT_NE(t->find("\\x{3000}"), std::string::npos) << *t;
  EXPECT_EQ(t->find("\\s"), std::string::npos) << *t;
  // In patterns with \p{..}, llama.cpp's \p{S} leaves out '~'.
  auto sym = translate_pre_regex(R"( ?[\p{P}\p{S}]+)");
  ASSERT_TRUE(sym.ok());
  EXPECT_NE(sym->find("(?!~)"), std::string::npos) << *sym;
  // Without \p{..}, ranges lose the non-ASCII whitespace inside them.
  auto range = translate_pre_regex("[\xE3\x80\x80-\xE3\x80\x82]+");  // [　-。]
  ASSERT_TRUE(range.ok());
  EXPECT_EQ(*range, "[\\x{3001}-\\x{3002}]+");
  EXPECT_FALSE(translate_pre_regex("[a").ok());
}

TEST(PreTokenizer, DeepseekLlmSplits) {
  EXPECT_EQ(split("deepseek-llm", "Hello 世界\n123!"), (Pieces{"Hello", " ", "世界", "\n", "123", "!"}));
}

}  // namespace
}  // namespace lathe
