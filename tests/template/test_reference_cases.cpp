// reference_cases.json (make_reference_cases.py): outputs and errors of Python's jinja2, set up as
// transformers renders chat templates, for ~190 feature snippets and for every shared template
// rendered with richer conversations (tools, tool calls, tool results) than the shared cases use.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "common/test_data.h"
#include "tokenizer/chat_template.h"

namespace lathe {
namespace {

using Json = nlohmann::ordered_json;

const Json& reference() {
  static const Json doc =
      Json::parse(test::read_file(std::string(LATHE_TEMPLATE_TEST_DIR) + "/reference_cases.json"));
  return doc;
}

ChatTemplateOptions fixed_date() {
  ChatTemplateOptions options;
  options.now = jinja::DateTime{2024, 7, 26, 0, 0, 0};
  return options;
}

std::string first_difference(const std::string& expected, const std::string& actual) {
  size_t i = 0;
  while (i < expected.size() && i < actual.size() && expected[i] == actual[i]) ++i;
  const size_t from = i > 40 ? i - 40 : 0;
  return "first difference at byte " + std::to_string(i) +
         "\n  expected: " + Json(expected.substr(from, 100)).dump() +
         "\n  actual:   " + Json(actual.substr(from, 100)).dump();
}

// Checks one outcome; `what` names the case in failure messages. Python's RecursionError is
// expected to come out as Lathe's macro-depth limit.
void check_outcome(const std::string& what, const Result<std::string>& rendered, const Json& error,
                   const std::string* expected) {
  if (!error.is_null()) {
    std::string want = error.at("type").get<std::string>() + ": " + error.at("message").get<std::string>();
    if (error["type"] == "RecursionError") want = "LimitExceeded: macro ";
    ASSERT_FALSE(rendered.ok()) << what << ": expected the error \"" << want << "\" but it rendered:\n"
                                << *rendered;
    const std::string& got = rendered.error().message;
    EXPECT_TRUE(got.rfind(want, 0) == 0 &&
                (error["type"] == "RecursionError" || got == want || got.rfind(want + " (line ", 0) == 0))
        << what << ": wrong error\n  expected: " << want << "\n  actual:   " << got;
    return;
  }
  ASSERT_TRUE(rendered.ok()) << what << ": failed: " << rendered.error().message;
  EXPECT_TRUE(*rendered == *expected) << what << ": " << first_difference(*expected, *rendered);
}

TEST(ReferenceCases, Features) {
  const Json& doc = reference();
  ASSERT_GE(doc.at("features").size(), 150u);
  for (const Json& f : doc["features"]) {
    const std::string name = f.at("name");
    const std::string source = f.at("template");
    const std::string what = name + " " + Json(source).dump();
    Json context = Json::object();
    context["messages"] = Json::array();
    context["add_generation_prompt"] = false;
    context["tools"] = nullptr;
    context["documents"] = nullptr;
    for (const auto& [k, v] : doc.at("context").items()) context[k] = v;
    auto tmpl = ChatTemplate::parse(source, fixed_date());
    if (!tmpl.ok()) {  // parse errors are outcomes too
      check_outcome(what, Result<std::string>(tmpl.error()), f.at("error"), nullptr);
      continue;
    }
    const std::string expected = f.at("expected").is_string() ? f["expected"].get<std::string>() : "";
    check_outcome(what, tmpl->render(context), f.at("error"), &expected);
  }
}

class ReferenceTemplate : public testing::TestWithParam<size_t> {};

TEST_P(ReferenceTemplate, RichConversations) {
  const Json& doc = reference();
  const Json& entry = doc.at("templates").at(GetParam());
  const std::string file = entry.at("file");
  const Json shared = Json::parse(test::read_file(test::data_path("templates/" + file)));
  auto tmpl = ChatTemplate::parse(shared.at("template").get<std::string>(), fixed_date());
  ASSERT_TRUE(tmpl.ok()) << file << ": " << tmpl.error().message;
  for (const Json& c : entry.at("cases")) {
    const std::string conversation = c.at("conversation");
    const std::string variables = c.at("variables");
    Json context = doc.at("variables").at(variables);
    context["messages"] = doc.at("conversations").at(conversation);
    context["add_generation_prompt"] = true;
    for (const auto& [k, v] : shared.at("special_tokens").items()) {
      if (!v.is_null()) context[k] = v;
    }
    const std::string expected =
        c.contains("output") ? entry.at("outputs").at(c["output"].get<size_t>()).get<std::string>() : "";
    check_outcome(file + " [" + conversation + "/" + variables + "]", tmpl->render(context), c.at("error"),
                  &expected);
  }
}

std::vector<size_t> template_indices() {
  std::vector<size_t> out;
  for (size_t i = 0; i < reference().at("templates").size(); ++i) out.push_back(i);
  return out;
}

INSTANTIATE_TEST_SUITE_P(Templates, ReferenceTemplate, testing::ValuesIn(template_indices()),
                         [](const testing::TestParamInfo<size_t>& param_info) {
                           std::string name = reference()["templates"][param_info.param]["file"];
                           name = name.substr(0, name.size() - 5);
                           for (char& ch : name) {
                             if (!std::isalnum(static_cast<unsigned char>(ch))) ch = '_';
                           }
                           return name;
                         });

}  // namespace
}  // namespace lathe
