// lathe-cli tokenize MODEL_OR_VOCAB.gguf [--ids] [--special] [--no-bos] [--raw] [--decode]
// Text on stdin -> tokens on stdout (one "id 'piece'" per line, or the ids on one line with --ids);
// with --decode, ids on stdin (separated by spaces, commas or brackets) -> text.
#include <cstdio>
#include <iostream>
#include <iterator>

#include "args.h"
#include "commands.h"
#include "gguf/reader.h"
#include "tokenizer/tokenizer.h"

namespace lathe::cli {
namespace {

constexpr const char* kUsage =
    "usage: lathe-cli tokenize MODEL_OR_VOCAB.gguf [--ids] [--special] [--no-bos] [--raw]\n"
    "       lathe-cli tokenize MODEL_OR_VOCAB.gguf --decode [--special]\n"
    "  reads UTF-8 text on stdin and prints its tokens, one 'id piece' a line\n"
    "  --ids      print only the ids, on one line\n"
    "  --special  parse special tokens written in the text (<|im_start|>); with --decode, print them\n"
    "  --no-bos   add no BOS/EOS (by default they are added as the vocabulary asks)\n"
    "  --raw      keep a final newline of the input (by default one is dropped)\n"
    "  --decode   read token ids on stdin and print their text\n";

// A piece as a quoted, escaped literal: control characters and invalid UTF-8 bytes as \xNN.
std::string quote(std::string_view piece) {
  std::string out = "'";
  for (unsigned char c : piece) {
    if (c == '\n')
      out += "\\n";
    else if (c == '\t')
      out += "\\t";
    else if (c == '\r')
      out += "\\r";
    else if (c == '\'' || c == '\\')
      out += std::string("\\") + static_cast<char>(c);
    else if (c < 0x20 || c == 0x7F)
      out += fmt::format("\\x{:02x}", c);
    else
      out += static_cast<char>(c);
  }
  return out + "'";
}

Result<std::vector<int32_t>> parse_ids(const std::string& text, int32_t vocab_size) {
  std::vector<int32_t> ids;
  size_t i = 0;
  while (i < text.size()) {
    const char c = text[i];
    if (c == ' ' || c == '\n' || c == '\t' || c == '\r' || c == ',' || c == '[' || c == ']') {
      ++i;
      continue;
    }
    size_t end = i;
    while (end < text.size() && ((text[end] >= '0' && text[end] <= '9') || (end == i && text[end] == '-')))
      ++end;
    if (end == i || (end == i + 1 && c == '-'))
      return make_error("'{}' is not a token id", text.substr(i, 12));
    const std::string number = text.substr(i, end - i);
    const long long id = number.size() > 11 ? -1 : std::stoll(number);
    if (id < 0 || id >= vocab_size)
      return make_error("token id {} is outside the vocabulary (0..{})", number, vocab_size - 1);
    ids.push_back(static_cast<int32_t>(id));
    i = end;
  }
  return ids;
}

}  // namespace

int run_tokenize(const std::vector<std::string>& raw) {
  auto args = Args::parse(raw, {}, {"--ids", "--special", "--no-bos", "--raw", "--decode"});
  if (!args.ok() || args->positional().size() != 1) {
    std::fprintf(stderr, "%s%s\n", kUsage, args.ok() ? "" : args.error().message.c_str());
    return 2;
  }
  auto file = GgufFile::open(args->positional()[0]);
  if (!file.ok()) {
    std::fprintf(stderr, "lathe-cli tokenize: %s\n", file.error().message.c_str());
    return 1;
  }
  auto tokenizer = Tokenizer::load(*file);
  if (!tokenizer.ok()) {
    std::fprintf(stderr, "lathe-cli tokenize: %s\n", tokenizer.error().message.c_str());
    return 1;
  }
  std::string input((std::istreambuf_iterator<char>(std::cin)), std::istreambuf_iterator<char>());
  const bool special = args->flag("--special");

  if (args->flag("--decode")) {
    auto ids = parse_ids(input, tokenizer->vocab_size());
    if (!ids.ok()) {
      std::fprintf(stderr, "lathe-cli tokenize: %s\n", ids.error().message.c_str());
      return 1;
    }
    const std::string text = tokenizer->decode(*ids, {.render_special = special});
    std::fwrite(text.data(), 1, text.size(), stdout);
    std::fputc('\n', stdout);
    return 0;
  }

  if (!args->flag("--raw") && !input.empty() && input.back() == '\n') {
    input.pop_back();
    if (!input.empty() && input.back() == '\r') input.pop_back();
  }
  const std::vector<int32_t> ids = tokenizer->encode(input, !args->flag("--no-bos"), special);
  if (args->flag("--ids")) {
    std::string line;
    for (int32_t id : ids) line += (line.empty() ? "" : " ") + std::to_string(id);
    std::printf("%s\n", line.c_str());
    return 0;
  }
  std::fprintf(stderr, "%s: %d tokens (%s), %zu in this text\n", file->name().c_str(),
               tokenizer->vocab_size(), tokenizer->kind_name().c_str(), ids.size());
  for (int32_t id : ids) {
    std::printf("%6d %s\n", id, quote(tokenizer->token_to_piece(id, true)).c_str());
  }
  return 0;
}

}  // namespace lathe::cli
