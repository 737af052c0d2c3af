// Special tokens, BOS/EOS, pieces and the stories260K model's own vocabulary.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "common/test_data.h"
#include "tokenizer_cache.h"

namespace lathe {
namespace {

using Ids = std::vector<int32_t>;

TEST(TokenizerSpecial, Qwen2ChatMarkersParseOnlyWhenAsked) {
  const Tokenizer* tok = test::shared_tokenizer("vocab/ggml-vocab-qwen2.gguf");
  ASSERT_NE(tok, nullptr);
  const std::string text = "<|im_start|>user hi<|im_end|><|endoftext|>";
  EXPECT_EQ(tok->encode(text, false, true), (Ids{151644, 872, 15588, 151645, 151643}));
  // Typed by a user, the same characters are plain text.
  const Ids plain = tok->encode(text, false, false);
  for (int32_t id : plain) EXPECT_LT(id, 151643) << "a control token came from user text";
  EXPECT_EQ(tok->decode(plain), text);
  // qwen2 adds no BOS; its end of turn is <|im_end|>, and both it and <|endoftext|> end generation.
  EXPECT_FALSE(tok->add_bos());
  EXPECT_EQ(tok->encode("hi", true, false), tok->encode("hi", false, false));
  EXPECT_EQ(tok->eot(), 151645);
  EXPECT_TRUE(tok->is_end_of_generation(151645));
  EXPECT_TRUE(tok->is_end_of_generation(151643));
  EXPECT_FALSE(tok->is_end_of_generation(872));
  EXPECT_EQ(tok->kind_name(), "bpe/qwen2");
}

TEST(TokenizerSpecial, Llama3HeaderAndEndTokens) {
  const Tokenizer* tok = test::shared_tokenizer("vocab/ggml-vocab-llama-bpe.gguf");
  ASSERT_NE(tok, nullptr);
  EXPECT_EQ(tok->find_token("<|start_header_id|>"), 128006);
  EXPECT_EQ(tok->find_token("<|end_header_id|>"), 128007);
  EXPECT_EQ(tok->find_token("<|eot_id|>"), 128009);
  EXPECT_EQ(tok->eos(), 128001);
  EXPECT_EQ(tok->eot(), 128009);
  EXPECT_EQ(tok->bos(), 128000);
  EXPECT_TRUE(tok->add_bos());
  EXPECT_TRUE(tok->is_end_of_generation(128001));
  EXPECT_TRUE(tok->is_end_of_generation(128009));
  EXPECT_TRUE(tok->is_end_of_generation(128008));  // <|eom_id|>

  const std::string prompt = "<|begin_of_text|><|start_header_id|>user<|end_header_id|>\n\nhi<|eot_id|>";
  const Ids ids = tok->encode(prompt, false, true);
  ASSERT_GE(ids.size(), 5u);
  EXPECT_EQ(ids[0], 128000);
  EXPECT_EQ(ids[1], 128006);
  EXPECT_EQ(ids[3], 128007);
  EXPECT_EQ(ids.back(), 128009);
  EXPECT_EQ(tok->decode(ids, {.render_special = true}), prompt);
  EXPECT_EQ(tok->decode(ids), "user\n\nhi");  // control tokens render as nothing by default
  // add_special puts BOS first; the end-of-text token is not added (add_eos_token is unset).
  const Ids with_bos = tok->encode("hi", true, false);
  EXPECT_EQ(with_bos.front(), 128000);
  EXPECT_EQ(with_bos.back(), tok->encode("hi", false, false).back());
  EXPECT_EQ(tok->token_to_piece(128001, true), "<|end_of_text|>");
  EXPECT_EQ(tok->token_to_piece(128001), "");
  EXPECT_EQ(tok->decode(with_bos, {.remove_special = true}), "hi");
}

TEST(TokenizerSpecial, SentencePieceSpacesBytesAndBos) {
  const Tokenizer* tok = test::shared_tokenizer("vocab/ggml-vocab-llama-spm.gguf");
  ASSERT_NE(tok, nullptr);
  EXPECT_EQ(tok->kind_name(), "spm");
  EXPECT_EQ(tok->bos(), 1);
  EXPECT_EQ(tok->eos(), 2);
  EXPECT_EQ(tok->unk(), 0);
  const Ids hello = tok->encode("Hello", true, false);
  ASSERT_EQ(hello.size(), 2u);
  EXPECT_EQ(hello[0], 1);
  EXPECT_EQ(tok->token_text(hello[1]), "\xE2\x96\x81Hello");  // ▁Hello
  EXPECT_EQ(tok->token_to_piece(hello[1]), " Hello");
  // llama.cpp strips the prefix space from the first token only; after a BOS it stays.
  EXPECT_EQ(tok->decode(hello), " Hello");
  EXPECT_EQ(tok->decode(Ids(hello.begin() + 1, hello.end())), "Hello");
  EXPECT_EQ(tok->decode(hello, {.remove_special = true}), " Hello");
  // A character with no token falls back to its UTF-8 bytes.
  const Ids rare = tok->encode("\xF0\x9F\xA6\x99", false, false);  // 🦙
  ASSERT_EQ(rare.size(), 5u);                                      // ▁ + 4 bytes
  EXPECT_EQ(tok->token_text(rare[1]), "<0xF0>");
  EXPECT_EQ(tok->token_to_piece(rare[1]), "\xF0");
  // Special tokens in user text stay text; parsed, each is followed by a fresh prefix space.
  EXPECT_EQ(tok->encode("</s>", false, false).size() > 1, true);
  const Ids parsed = tok->encode("<s>hi</s>", false, true);
  ASSERT_EQ(parsed.size(), 3u);
  EXPECT_EQ(parsed[0], 1);
  EXPECT_EQ(tok->token_text(parsed[1]), "\xE2\x96\x81hi");
  EXPECT_EQ(parsed[2], 2);
  EXPECT_TRUE(tok->encode("", false, false).empty());
  EXPECT_EQ(tok->encode("", true, false), Ids{1});
}

TEST(TokenizerSpecial, UserDefinedTokensAreAlwaysRecognised) {
  // mpt's runs of spaces are user-defined tokens: found in text even without parse_special.
  const Tokenizer* tok = test::shared_tokenizer("vocab/ggml-vocab-mpt.gguf");
  ASSERT_NE(tok, nullptr);
  const int32_t four_spaces = tok->find_token("    ");
  ASSERT_NE(four_spaces, kNoToken);
  EXPECT_TRUE(tok->token_attr(four_spaces) & kTokenUserDefined);
  const Ids ids = tok->encode("a    b", false, false);
  EXPECT_NE(std::find(ids.begin(), ids.end(), four_spaces), ids.end());
  EXPECT_EQ(tok->decode(ids), "a    b");
}

TEST(TokenizerSpecial, Phi3SpecialTokensEatTheSpaceAfterThem) {
  const Tokenizer* tok = test::shared_tokenizer("vocab/ggml-vocab-phi-3.gguf");
  ASSERT_NE(tok, nullptr);
  EXPECT_EQ(tok->eos(), 32000);
  EXPECT_EQ(tok->eot(), 32007);  // <|end|>
  const Ids a = tok->encode("<|user|>\nhi<|end|>", false, true);
  const Ids b = tok->encode("<|user|>hi<|end|>", false, true);
  EXPECT_EQ(a, b);
  EXPECT_EQ(a.front(), tok->find_token("<|user|>"));
  EXPECT_EQ(a.back(), 32007);
}

TEST(TokenizerSpecial, CleanSpacesIsOptInAndFollowsLlamaCpp) {
  const Tokenizer* tok = test::shared_tokenizer("vocab/ggml-vocab-gpt-2.gguf");
  ASSERT_NE(tok, nullptr);
  const std::string text = "Hello , world ! It 's a ' test ' .";
  const Ids ids = tok->encode(text, false, false);
  EXPECT_EQ(tok->decode(ids), text);
  EXPECT_EQ(tok->decode(ids, {.clean_spaces = true}), "Hello, world! It's a'test '.");
}

TEST(TokenizerSpecial, Stories260kOnceUponATime) {
  const Tokenizer* tok = test::shared_tokenizer("models/stories260K.gguf");
  ASSERT_NE(tok, nullptr);
  EXPECT_EQ(tok->vocab_size(), 512);
  // reference/stories260K.json: "Once upon a time" with BOS, as llama.cpp tokenized it.
  const auto ref = nlohmann::json::parse(test::read_file(test::data_path("reference/stories260K.json")));
  Ids expected;
  for (const auto& g : ref["greedy"]) {
    if (g["name"] == "once_upon_a_time") expected = g["prompt"].get<Ids>();
  }
  ASSERT_FALSE(expected.empty());
  EXPECT_EQ(tok->encode("Once upon a time", true, false), expected);
  EXPECT_EQ(expected, (Ids{1, 403, 407, 261, 378}));
  // The greedy continuation decodes to the reference text.
  for (const auto& g : ref["greedy"]) {
    if (g["name"] != "once_upon_a_time") continue;
    const Ids generated = g["generated"].get<Ids>();
    std::string text;
    for (int32_t id : generated) text += tok->token_to_piece(id);
    EXPECT_EQ(text, g["generated_text"].get<std::string>());
  }
}

TEST(TokenizerSpecial, InvalidIdsAndBadUtf8AreHarmless) {
  const Tokenizer* tok = test::shared_tokenizer("vocab/ggml-vocab-llama-bpe.gguf");
  ASSERT_NE(tok, nullptr);
  EXPECT_EQ(tok->token_to_piece(-5), "");
  EXPECT_EQ(tok->token_to_piece(1 << 30), "");
  EXPECT_EQ(tok->decode(Ids{-1, 1 << 30}), "");
  // Invalid UTF-8 becomes U+FFFD before pre-tokenizing, as in llama.cpp.
  const Ids ids = tok->encode(
      "a\xFF"
      "b\xE2\x82",
      false, false);
  EXPECT_EQ(tok->decode(ids),
            "a\xEF\xBF\xBD"
            "b\xEF\xBF\xBD\xEF\xBF\xBD");
  const Tokenizer* spm = test::shared_tokenizer("vocab/ggml-vocab-llama-spm.gguf");
  ASSERT_NE(spm, nullptr);
  // SentencePiece keeps the raw bytes through byte fallback.
  EXPECT_EQ(spm->decode(spm->encode("a\xFF"
                                    "b",
                                    false, false)),
            "a\xFF"
            "b");
}

}  // namespace
}  // namespace lathe
