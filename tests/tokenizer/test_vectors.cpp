// llama.cpp's golden tokenizer vectors: every case of every shared/vocab/*.inp must give exactly the
// ids in the matching .out (no BOS/EOS, special tokens not parsed), and decode back to its text.
#include <gtest/gtest.h>

#include <random>
#include <sstream>

#include "common/test_data.h"
#include "tokenizer/spm.h"
#include "tokenizer/unicode.h"
#include "tokenizer_cache.h"

namespace lathe {
namespace {

struct Case {
  std::string text;
  std::vector<int32_t> ids;
};

std::vector<Case> read_cases(const std::string& vocab) {
  const std::string base = "vocab/ggml-vocab-" + vocab + ".gguf";
  const std::string inp = test::read_file(test::data_path(base + ".inp"));
  const std::string out = test::read_file(test::data_path(base + ".out"));
  const std::string separator = "\n__ggml_vocab_test__\n";
  std::vector<Case> cases;
  for (size_t pos = 0; pos < inp.size();) {
    size_t end = inp.find(separator, pos);
    if (end == std::string::npos) end = inp.size();
    cases.push_back({inp.substr(pos, end - pos), {}});
    pos = end + separator.size();
  }
  std::istringstream lines(out);
  std::string line;
  for (size_t i = 0; std::getline(lines, line); ++i) {
    if (i >= cases.size()) {
      ADD_FAILURE() << base << ".out has more lines than .inp has cases";
      break;
    }
    std::istringstream ids(line);
    for (int32_t id; ids >> id;) cases[i].ids.push_back(id);
  }
  return cases;
}

std::string ids_string(const std::vector<int32_t>& ids) {
  std::string s;
  for (int32_t id : ids) s += (s.empty() ? "" : " ") + std::to_string(id);
  return s;
}

std::string quoted(const std::string& text) {
  std::string s = "\"";
  for (unsigned char c : text) {
    if (c == '\n')
      s += "\\n";
    else if (c == '\t')
      s += "\\t";
    else if (c == '\r')
      s += "\\r";
    else
      s += static_cast<char>(c);
  }
  return s + "\"";
}

class VocabVectors : public testing::TestWithParam<std::string> {};

TEST_P(VocabVectors, EveryCaseMatchesLlamaCpp) {
  const std::string vocab = GetParam();
  const Tokenizer* tok = test::shared_tokenizer("vocab/ggml-vocab-" + vocab + ".gguf");
  ASSERT_NE(tok, nullptr);
  const std::vector<Case> cases = read_cases(vocab);
  ASSERT_EQ(cases.size(), 46u);
  size_t passed = 0;
  for (size_t i = 0; i < cases.size(); ++i) {
    const std::vector<int32_t> ids = tok->encode(cases[i].text, false, false);
    if (ids == cases[i].ids) {
      ++passed;
    } else {
      ADD_FAILURE() << "ggml-vocab-" << vocab << ".gguf case " << i << " " << quoted(cases[i].text)
                    << "\n  expected: " << ids_string(cases[i].ids) << "\n  got:      " << ids_string(ids);
    }
  }
  std::printf("[ vectors  ] ggml-vocab-%s: %zu/%zu cases match (%s)\n", vocab.c_str(), passed, cases.size(),
              tok->kind_name().c_str());
}

TEST_P(VocabVectors, EveryCaseDecodesBackToItsText) {
  const std::string vocab = GetParam();
  const Tokenizer* tok = test::shared_tokenizer("vocab/ggml-vocab-" + vocab + ".gguf");
  ASSERT_NE(tok, nullptr);
  const std::vector<Case> cases = read_cases(vocab);
  for (size_t i = 0; i < cases.size(); ++i) {
    // The expected ids decode to the text too: the golden ids are lossless.
    EXPECT_EQ(tok->decode(cases[i].ids), cases[i].text) << vocab << " case " << i;
    // With BOS added and removed again.
    std::vector<int32_t> with_bos = tok->encode(cases[i].text, true, false);
    if (tok->add_bos()) {
      ASSERT_FALSE(with_bos.empty());
      EXPECT_EQ(with_bos.front(), tok->bos());
      with_bos.erase(with_bos.begin());
    }
    EXPECT_EQ(tok->decode(with_bos), cases[i].text) << vocab << " case " << i;
  }
  // All cases as one text, and that text twice with a special token between.
  std::string all;
  for (const Case& c : cases) all += c.text + "\n";
  EXPECT_EQ(tok->decode(tok->encode(all, false, false)), all);
}

INSTANTIATE_TEST_SUITE_P(Shared, VocabVectors,
                         testing::Values("llama-spm", "phi-3", "llama-bpe", "qwen2", "gpt-2", "deepseek-llm",
                                         "mpt", "refact"),
                         [](const testing::TestParamInfo<std::string>& param) {
                           std::string name = param.param;
                           for (char& c : name) {
                             if (c == '-') c = '_';
                           }
                           return name;
                         });

}  // namespace
}  // namespace lathe

namespace lathe {
namespace {

// SpmEncoder cuts the text where no token can span; the ids must equal those of one global loop.
TEST(SpmSplit, CuttingAtSpacesGivesTheSameIds) {
  std::mt19937 rng(11);
  const std::vector<std::string> alphabet = {
      " ",    "  ",   "a", "e", "the", "\n", "\xE2\x96\x81", "\xC3\xA9", "\xF0\x9F\xA6\x99", "\xE4\xBD\xA0",
      "\xFF", "\xDA", "1", ".", "\t"};
  for (const char* name :
       {"vocab/ggml-vocab-llama-spm.gguf", "vocab/ggml-vocab-phi-3.gguf", "models/stories260K.gguf"}) {
    const Tokenizer* tok = test::shared_tokenizer(name);
    ASSERT_NE(tok, nullptr);
    const SpmEncoder spm = SpmEncoder::build(tok->vocab());
    std::vector<std::string> texts;
    for (const Case& c : read_cases("llama-spm")) texts.push_back(c.text);
    for (int i = 0; i < 300; ++i) {
      std::string t;
      for (int n = rng() % 40; n > 0; --n) t += alphabet[rng() % alphabet.size()];
      texts.push_back(t);
    }
    for (std::string text : texts) {
      std::string escaped;
      for (char c : " " + text) escaped += c == ' ' ? std::string("\xE2\x96\x81") : std::string(1, c);
      std::vector<int32_t> split, whole;
      spm.encode(tok->vocab(), escaped, split, true);
      spm.encode(tok->vocab(), escaped, whole, false);
      EXPECT_EQ(split, whole) << name << ": " << quoted(text);
    }
  }
}

}  // namespace
}  // namespace lathe
