// `lathe-cli template` through the real binary: a GGUF's own template and tokens, a .jinja file,
// template errors and usage errors.
#include <gtest/gtest.h>

#include <fstream>

#include "common/run.h"
#include "common/test_data.h"

namespace lathe {
namespace {

std::string cli() { return test::shell_quote((test::binary_dir() / "lathe-cli").string()); }

std::string write(const std::filesystem::path& dir, const std::string& name, const std::string& text) {
  const std::filesystem::path path = dir / name;
  std::ofstream(path, std::ios::binary) << text;
  return test::shell_quote(path.string());
}

const char* kMessages =
    R"([{"role": "system", "content": "Be nice."}, {"role": "user", "content": "Hi there"}])";

TEST(CliTemplate, RendersAGgufsTemplateWithItsTokens) {
  const std::filesystem::path dir = test::temp_dir();
  const std::string messages = write(dir, "m.json", kMessages);
  auto r = test::run_command(cli() + " template " +
                             test::shell_quote(test::data_path("vocab/ggml-vocab-phi-3.gguf").string()) +
                             " --messages " + messages + " --add-generation-prompt");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  // Python's jinja2 renders this GGUF's template to exactly this (BOS "<s>" from its vocab).
  EXPECT_EQ(r.out, "<s><|user|>\nHi there<|end|>\n<|assistant|>\n");
}

TEST(CliTemplate, RendersAJinjaFileWithVariables) {
  const std::filesystem::path dir = test::temp_dir();
  const std::string dir_messages =
      write(dir, "m.json", R"({"messages": [{"role": "user", "content": "x"}], "who": "Pim"})");
  const std::string vars = write(dir, "v.json", R"({"tools": [{"name": "boat"}]})");
  const std::string tmpl =
      write(dir, "t.jinja",
            "{{ bos_token }}{{ who }}:{{ tools|map(attribute='name')|join }}:{{ messages[0].content }}"
            ":{{ strftime_now('%d %b %Y') }}{% if add_generation_prompt %}+{% endif %}\n");
  auto r = test::run_command(cli() + " template " + tmpl + " --messages " + dir_messages + " --vars " + vars +
                             " --bos '<s>' --date 2024-07-26");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out, "<s>Pim:boat:x:26 Jul 2024");
}

TEST(CliTemplate, ReportsTemplateErrors) {
  const std::filesystem::path dir = test::temp_dir();
  const std::string messages = write(dir, "m.json", kMessages);
  auto r = test::run_command(
      cli() + " template " +
      test::shell_quote(test::data_path("templates/canonical/gemma-instruct.jinja").string()) +
      " --messages " + messages);
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("TemplateError: System role not supported"), std::string::npos) << r.err;
  EXPECT_EQ(r.out, "");

  auto syntax = test::run_command(cli() + " template " + write(dir, "bad.jinja", "{% if x %}") +
                                  " --messages " + messages);
  EXPECT_EQ(syntax.exit_code, 1);
  EXPECT_NE(syntax.err.find("TemplateSyntaxError: Unexpected end of template"), std::string::npos)
      << syntax.err;
}

TEST(CliTemplate, ModelWithoutTemplateAndUsageErrors) {
  const std::filesystem::path dir = test::temp_dir();
  const std::string messages = write(dir, "m.json", kMessages);
  auto none = test::run_command(cli() + " template " +
                                test::shell_quote(test::data_path("models/stories260K.gguf").string()) +
                                " --messages " + messages);
  EXPECT_EQ(none.exit_code, 1);
  EXPECT_NE(none.err.find("has no chat template"), std::string::npos) << none.err;
  EXPECT_EQ(test::run_command(cli() + " template").exit_code, 2);
  EXPECT_EQ(
      test::run_command(cli() + " template x.jinja --messages " + write(dir, "bad.json", "[")).exit_code, 2);
}

}  // namespace
}  // namespace lathe
