// Every case in ../shared/templates/: each template rendered with each conversation must produce
// exactly the string Python's jinja2 produced (as transformers renders chat templates), or fail
// with the same exception type and message. One gtest per case.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <map>
#include <nlohmann/json.hpp>

#include "common/test_data.h"
#include "tokenizer/chat_template.h"

namespace lathe {
namespace {

using Json = nlohmann::ordered_json;

struct SharedCase {
  std::string file;  // e.g. "google-gemma-2-2b-it.json"
  std::string id;    // e.g. "b_system_user/gen"
  size_t index = 0;
};

std::string test_name(const SharedCase& c) {
  std::string name = c.file.substr(0, c.file.size() - 5) + "__" + c.id;
  for (char& ch : name) {
    if (!std::isalnum(static_cast<unsigned char>(ch))) ch = '_';
  }
  return name;
}

std::vector<SharedCase> list_cases() {
  std::vector<SharedCase> out;
  const std::filesystem::path dir = test::data_path("templates");
  if (!std::filesystem::is_directory(dir)) return out;
  std::vector<std::string> files;
  for (const auto& entry : std::filesystem::directory_iterator(dir)) {
    if (entry.path().extension() == ".json") files.push_back(entry.path().filename().string());
  }
  std::sort(files.begin(), files.end());
  for (const std::string& file : files) {
    const Json doc = Json::parse(test::read_file(dir / file));
    for (size_t i = 0; i < doc.at("cases").size(); ++i) out.push_back({file, doc["cases"][i].at("id"), i});
  }
  return out;
}

// The template source: canonical-<name>.json cases render canonical/<name>.jinja, which must be the
// same text as the JSON carries.
std::string template_source(const std::string& file, const Json& doc) {
  const std::string source = doc.at("template");
  const std::string prefix = "canonical-";
  if (file.rfind(prefix, 0) != 0) return source;
  const std::string jinja = file.substr(prefix.size(), file.size() - prefix.size() - 5) + ".jinja";
  const std::string from_file = test::read_file(test::data_path("templates/canonical/" + jinja));
  EXPECT_EQ(from_file, source) << "canonical/" << jinja << " differs from the template in " << file;
  return from_file;
}

std::string show(const std::string& s, size_t at) {
  const size_t begin = at > 40 ? at - 40 : 0;
  return Json(s.substr(begin, 80)).dump();
}

// "first difference at byte N: expected ...".
std::string first_difference(const std::string& expected, const std::string& actual) {
  size_t i = 0;
  while (i < expected.size() && i < actual.size() && expected[i] == actual[i]) ++i;
  return "first difference at byte " + std::to_string(i) + " (expected " + std::to_string(expected.size()) +
         " bytes, got " + std::to_string(actual.size()) + ")\n  expected: " + show(expected, i) +
         "\n  actual:   " + show(actual, i);
}

class SharedTemplateCase : public testing::TestWithParam<SharedCase> {};

TEST_P(SharedTemplateCase, RendersAsReference) {
  const SharedCase& c = GetParam();
  const Json doc = Json::parse(test::read_file(test::data_path("templates/" + c.file)));
  const Json& tc = doc["cases"][c.index];
  SCOPED_TRACE(c.file + " case " + c.id);

  ChatTemplateOptions options;
  options.now = jinja::DateTime{2024, 7, 26, 0, 0, 0};
  auto tmpl = ChatTemplate::parse(template_source(c.file, doc), options);
  ASSERT_TRUE(tmpl.ok()) << c.file << ": parse failed: " << tmpl.error().message;

  Json context = Json::object();
  context["messages"] = tc.at("messages");
  context["add_generation_prompt"] = tc.at("add_generation_prompt");
  for (const auto& [key, value] : tc.at("render_variables").items()) context[key] = value;
  for (const auto& [key, value] : doc.at("special_tokens").items()) {
    if (!value.is_null()) context[key] = value;  // a null token is not passed: undefined
  }

  auto rendered = tmpl->render(context);
  if (!tc.at("error").is_null()) {
    const std::string want =
        tc["error"].at("type").get<std::string>() + ": " + tc["error"].at("message").get<std::string>();
    ASSERT_FALSE(rendered.ok()) << c.file << " [" << c.id << "]: expected the error \"" << want
                                << "\", but it rendered:\n"
                                << *rendered;
    const std::string& got = rendered.error().message;
    EXPECT_TRUE(got == want || got.rfind(want + " (line ", 0) == 0)
        << c.file << " [" << c.id << "]: wrong error\n  expected: " << want << "\n  actual:   " << got;
    return;
  }
  ASSERT_TRUE(rendered.ok()) << c.file << " [" << c.id << "]: render failed: " << rendered.error().message;
  const std::string expected = tc.at("expected");
  EXPECT_TRUE(*rendered == expected) << c.file << " [" << c.id
                                     << "]: " << first_difference(expected, *rendered);
}

INSTANTIATE_TEST_SUITE_P(Templates, SharedTemplateCase, testing::ValuesIn(list_cases()),
                         [](const testing::TestParamInfo<SharedCase>& param_info) {
                           return test_name(param_info.param);
                         });

// The cases must exist: a run that found no data must not pass.
TEST(SharedTemplateCases, AllFilesHaveCases) {
  const std::vector<SharedCase> cases = list_cases();
  EXPECT_GE(cases.size(), 150u);
  std::map<std::string, int> per_file;
  for (const SharedCase& c : cases) ++per_file[c.file];
  EXPECT_GE(per_file.size(), 18u);
  int canonical = 0;
  for (const auto& entry : std::filesystem::directory_iterator(test::data_path("templates/canonical"))) {
    const std::string name = entry.path().filename().string();
    if (entry.path().extension() != ".jinja") continue;
    ++canonical;
    const std::string json = "canonical-" + name.substr(0, name.size() - 6) + ".json";
    EXPECT_GT(per_file[json], 0) << "no cases render canonical/" << name;
  }
  EXPECT_EQ(canonical, 6);
}

}  // namespace
}  // namespace lathe
