// Individual features of the chat-template interpreter and its API. (Broad parity with Python's
// jinja2 is in test_reference_cases.cpp; these check what the reference file cannot show: error
// positions, the injected date, key order, the API's contracts.)
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "tokenizer/chat_template.h"

namespace lathe {
namespace {

using Json = nlohmann::ordered_json;

Result<std::string> render(std::string_view source, const Json& context = Json::object(),
                           ChatTemplateOptions options = {}) {
  auto t = ChatTemplate::parse(source, options);
  if (!t.ok()) return t.error();
  return t->render(context);
}

std::string ok(std::string_view source, const Json& context = Json::object()) {
  auto r = render(source, context);
  EXPECT_TRUE(r.ok()) << source << ": " << r.error().message;
  return r.ok() ? *r : "";
}

std::string error(std::string_view source, const Json& context = Json::object()) {
  auto r = render(source, context);
  EXPECT_FALSE(r.ok()) << source << " rendered " << *r;
  return r.ok() ? "" : r.error().message;
}

TEST(ChatTemplateErrors, ParseErrorsNameLineAndColumn) {
  EXPECT_EQ(error("hello\n  {{ 1 + }}"),
            "TemplateSyntaxError: unexpected 'end of print statement' (line 2, column 10)");
  EXPECT_EQ(
      error("{% if x %}\nno end"),
      "TemplateSyntaxError: Unexpected end of template. Jinja was looking for the following tags: 'elif' or "
      "'else' or 'endif'. The innermost block that needs to be closed is 'if'. (line 2, column 7)");
  EXPECT_EQ(error("a\nb {% foo %}"),
            "TemplateSyntaxError: Encountered unknown tag 'foo'. (line 2, column 6)");
  EXPECT_EQ(error("x\n\n   {# open"), "TemplateSyntaxError: Missing end of comment tag (line 3, column 4)");
  // Columns count characters, not bytes.
  EXPECT_EQ(error("é€ {{ 'x' 'y' z }}"),
            "TemplateSyntaxError: expected token 'end of print statement', got 'z' (line 1, column 15)");
}

TEST(ChatTemplateErrors, RenderErrorsNameWhereTheyHappened) {
  EXPECT_EQ(error("line 1\n{% if true %}\n  {{ raise_exception('Roles must alternate') }}\n{% endif %}"),
            "TemplateError: Roles must alternate (line 3, column 6)");
  EXPECT_EQ(error("{{ x.y }}"), "UndefinedError: 'x' is undefined (line 1, column 6)");
  EXPECT_EQ(error("{% for m in messages %}{% endfor %}", Json{{"messages", nullptr}}),
            "TypeError: 'NoneType' object is not iterable (line 1, column 13)");
  EXPECT_EQ(error("{{ 'a' + 1 }}"),
            "TypeError: can only concatenate str (not \"int\") to str (line 1, column 8)");
}

TEST(ChatTemplateErrors, ContextMustBeAnObject) {
  auto t = ChatTemplate::parse("x");
  ASSERT_TRUE(t.ok());
  EXPECT_FALSE(t->render(Json::array()).ok());
  EXPECT_FALSE(t->render(nlohmann::json(3)).ok());
}

TEST(ChatTemplateFeatures, UndefinedBehavesAsJinja2Default) {
  EXPECT_EQ(ok("[{{ missing }}][{{ missing is defined }}][{{ missing|length }}][{% if missing %}t{% endif %}]"
               "[{{ missing ~ 'x' }}][{% for x in missing %}{{ x }}{% endfor %}]"),
            "[][False][0][][x][]");
  // Using an undefined value's attributes is an error, as with Jinja2's default Undefined.
  EXPECT_EQ(error("{{ missing.x is defined }}"),
            "UndefinedError: 'missing' is undefined (line 1, column 12)");
  EXPECT_EQ(ok("{{ d.nokey }}|{{ d.nokey is undefined }}|{{ d.a }}", Json{{"d", {{"a", 1}}}}), "|True|1");
  EXPECT_EQ(error("{{ d.nokey.deeper }}", Json{{"d", {{"a", 1}}}}),
            "UndefinedError: 'dict object' has no attribute 'nokey' (line 1, column 12)");
  EXPECT_EQ(error("{{ l[3].x }}", Json{{"l", {1}}}),
            "UndefinedError: list object has no element 3 (line 1, column 9)");
}

TEST(ChatTemplateFeatures, StrftimeNowUsesTheInjectedDate) {
  ChatTemplateOptions options;
  options.now = jinja::DateTime{2024, 7, 26, 15, 4, 5};
  auto r = render("{{ strftime_now('%d %b %Y') }}|{{ strftime_now('%A %B %-d, %H:%M:%S %p %j') }}",
                  Json::object(), options);
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(*r, "26 Jul 2024|Friday July 26, 15:04:05 PM 208");
  // Without a fixed date it formats today: a four-digit year at least.
  auto now = render("{{ strftime_now('%Y') }}");
  ASSERT_TRUE(now.ok());
  EXPECT_EQ(now->size(), 4u);
}

TEST(ChatTemplateFeatures, KeyOrderFollowsTheContext) {
  Json tool = Json::parse(R"({"name": "f", "parameters": {"type": "object", "b": 1, "a": 2}})");
  EXPECT_EQ(ok("{{ t|tojson }}", Json{{"t", tool}}),
            R"({"name": "f", "parameters": {"type": "object", "b": 1, "a": 2}})");
  EXPECT_EQ(ok("{{ t|tojson(indent=2) }}", Json{{"t", Json::parse(R"({"z": [1, {}], "a": "é"})")}}),
            "{\n  \"z\": [\n    1,\n    {}\n  ],\n  \"a\": \"é\"\n}");
  EXPECT_EQ(ok("{{ t|tojson(sort_keys=true, separators=(',', ':')) }}", Json{{"t", tool}}),
            R"({"name":"f","parameters":{"a":2,"b":1,"type":"object"}})");
}

TEST(ChatTemplateFeatures, WhitespaceControlAsTransformers) {
  // trim_blocks drops the newline after a tag; lstrip_blocks the indentation before one.
  EXPECT_EQ(ok("<\n  {% if true %}\n    x\n  {% endif %}\n>"), "<\n    x\n>");
  EXPECT_EQ(ok("a  {{- ' b ' -}}  c"), "a b c");
  EXPECT_EQ(ok("a {#- note -#} b {%+ if true %}c{% endif %}"), "ab c");
  EXPECT_EQ(ok("{% raw %}{{ kept }}{% endraw %}"), "{{ kept }}");
  EXPECT_EQ(ok("one\r\ntwo\n"), "one\ntwo");  // newlines normalized, the last one dropped
}

TEST(ChatTemplateFeatures, ScopesAndNamespaces) {
  EXPECT_EQ(ok("{% set x = 1 %}{% for i in [1, 2] %}{% set x = x + i %}{% endfor %}{{ x }}"), "1");
  EXPECT_EQ(
      ok("{% set ns = namespace(x=1) %}{% for i in [1, 2] %}{% set ns.x = ns.x + i %}{% endfor %}{{ ns.x }}"),
      "4");
  EXPECT_EQ(ok("{% set ns = namespace(n=0) %}{% macro bump() %}{% set ns.n = ns.n + 1 %}{% endmacro %}"
               "{{ bump() }}{{ bump() }}{{ ns.n }}"),
            "2");
  EXPECT_EQ(ok("{% macro m(a, b='x') %}{{ a }}{{ b }}{{ caller() if caller is defined }}{% endmacro %}"
               "{{ m(1) }}{{ m(2, b='y') }}{% call m(3) %}!{% endcall %}"),
            "1x2y3x!");
  EXPECT_EQ(error("{% set x = 1 %}{% set x.y = 2 %}"),
            "TemplateRuntimeError: cannot assign attribute on non-namespace object (line 1, column 19)");
}

TEST(ChatTemplateFeatures, LoopVariables) {
  EXPECT_EQ(
      ok("{% for x in 'abc' %}{{ loop.index }}{{ loop.revindex0 }}{{ loop.first|int }}{{ loop.last|int }}"
         "{{ loop.previtem or '-' }}{{ loop.nextitem or '-' }} {% endfor %}"),
      "1210-b 2100ac 3001b- ");
  EXPECT_EQ(
      ok("{% for x in [1, 2, 3, 4] if x is even %}{{ x }}/{{ loop.length }} {% else %}none{% endfor %}"),
      "2/2 4/2 ");
  EXPECT_EQ(ok("{% for x in [] %}x{% else %}none{% endfor %}"), "none");
  EXPECT_EQ(ok("{% for x in range(10) %}{% if x == 2 %}{% continue %}{% endif %}{% if x > 3 %}{% break %}{% "
               "endif %}"
               "{{ x }}{% endfor %}"),
            "013");
}

TEST(ChatTemplateFeatures, SandboxRefusesMutation) {
  EXPECT_EQ(error("{% set l = [] %}{{ l.append(1) }}"),
            "SecurityError: access to attribute 'append' of 'list' object is unsafe. (line 1, column 22)");
  EXPECT_EQ(error("{{ range(200000)|length }}"),
            "OverflowError: Range too big. The sandbox blocks ranges larger than MAX_RANGE (100000). (line "
            "1, column 4)");
}

TEST(ChatTemplateFeatures, MarkupEscapesWhatItIsJoinedWith) {
  // {{ "a"|safe + x }} escapes x even with autoescaping off (markupsafe), as functionary relies on.
  EXPECT_EQ(ok("{{ '<b>'|safe + x }}|{{ '<b>' ~ x }}", Json{{"x", "\"&\""}}), "<b>&#34;&amp;&#34;|<b>\"&\"");
}

TEST(ChatTemplateApi, ParsesOnceRendersMany) {
  auto parsed = ChatTemplate::parse(
      "{{ bos_token }}{% for m in messages %}<{{ m.role }}>{{ m.content }}{% endfor %}"
      "{% if add_generation_prompt %}<assistant>{% endif %}");
  ASSERT_TRUE(parsed.ok());
  const ChatTemplate copy = *parsed;  // cheap: the program is shared
  Json messages = Json::parse(R"([{"role": "user", "content": "hi"}])");
  auto a = copy.render(chat_template_context(messages, true, "<s>", std::nullopt));
  auto b = parsed->render(chat_template_context(messages, false, std::nullopt, "</s>"));
  ASSERT_TRUE(a.ok() && b.ok());
  EXPECT_EQ(*a, "<s><user>hi<assistant>");
  EXPECT_EQ(*b, "<user>hi");
  // Plain nlohmann::json works too (its objects sort keys).
  EXPECT_EQ(*parsed->render(nlohmann::json{{"messages", nlohmann::json::array()}, {"bos_token", "B"}}), "B");
}

TEST(ChatTemplateApi, NothingThrowsOnGarbage) {
  const char* inputs[] = {"{{",
                          "{%",
                          "{#",
                          "{{ '",
                          "{% for %}",
                          "{{ ((( }}",
                          "}}",
                          "{% endfor %}",
                          "{{ a.b.c.d() }}",
                          "{{ 1e999999 }}",
                          "{{ 99999999999999999999999 }}",
                          "\xff\xfe{{ '\xc3' }}",
                          "{% set %}",
                          "{{ x|map }}",
                          "{{ [1]|map }}",
                          "{{ (1,)|batch(0)|list }}",
                          "{{ 'x'|indent(-5) }}"};
  for (const char* input : inputs) {
    auto r = render(input);
    SUCCEED() << input << " -> " << (r.ok() ? *r : r.error().message);
  }
}

}  // namespace
}  // namespace lathe
