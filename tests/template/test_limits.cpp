// A hostile template ends quickly with a clear LimitExceeded (or the sandbox's own) error: it
// cannot hang, exhaust memory or overflow the stack.
#include <gtest/gtest.h>
#include <pthread.h>

#include <chrono>
#include <functional>
#include <nlohmann/json.hpp>

#include "tokenizer/chat_template.h"

namespace lathe {
namespace {

struct Outcome {
  Result<std::string> result;
  double seconds;
};

Outcome run(const std::string& source, ChatTemplateOptions options = {}) {
  const auto start = std::chrono::steady_clock::now();
  auto t = ChatTemplate::parse(source, options);
  Result<std::string> r =
      t.ok() ? t->render(nlohmann::ordered_json::object()) : Result<std::string>(t.error());
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return {std::move(r), seconds};
}

// Fails with a message that starts with `prefix`, within `max_seconds`.
void expect_stopped(const std::string& source, const std::string& prefix, double max_seconds = 3.0,
                    ChatTemplateOptions options = {}) {
  Outcome o = run(source, options);
  ASSERT_FALSE(o.result.ok()) << source.substr(0, 120) << " rendered " << o.result->size() << " bytes";
  EXPECT_EQ(o.result.error().message.rfind(prefix, 0), 0u)
      << source.substr(0, 120) << "\n  error: " << o.result.error().message << "\n  wanted: " << prefix
      << "...";
  EXPECT_LT(o.seconds, max_seconds) << source.substr(0, 120) << ": took " << o.seconds << " s";
}

TEST(ChatTemplateLimits, NestedLoopsHitTheIterationBudget) {
  expect_stopped("{% for i in range(100000) %}{% for j in range(100000) %}{{ '' }}{% endfor %}{% endfor %}",
                 "LimitExceeded: more than 1000000 loop iterations");
  // The sandbox refuses huge ranges outright, as Jinja2's does.
  expect_stopped("{% for i in range(1000000000) %}{% for j in range(1000000000) %}x{% endfor %}{% endfor %}",
                 "OverflowError: Range too big");
}

TEST(ChatTemplateLimits, RunawayRecursionHitsTheCallDepth) {
  expect_stopped("{% macro f(n) %}{{ f(n + 1) }}{% endmacro %}{{ f(0) }}",
                 "LimitExceeded: macro 'f' called more than 64");
  expect_stopped("{% macro a() %}{{ b() }}{% endmacro %}{% macro b() %}{{ a() }}{% endmacro %}{{ a() }}",
                 "LimitExceeded: macro ");
}

TEST(ChatTemplateLimits, FanOutRecursionHitsTheStepBudget) {
  // 2^40 calls, never deeper than 40.
  expect_stopped(
      "{% macro f(n) %}{% if n > 0 %}{{ f(n - 1) }}{{ f(n - 1) }}{% endif %}{% endmacro %}{{ f(40) }}",
      "LimitExceeded: the template took more than 10000000 evaluation steps");
}

TEST(ChatTemplateLimits, StringDoublingHitsTheSizeLimit) {
  expect_stopped(
      "{% set ns = namespace(s='xx') %}{% for i in range(100) %}{% set ns.s = ns.s ~ ns.s %}{% endfor %}",
      "LimitExceeded: a string grew past 16777216 bytes");
  expect_stopped(
      "{% set ns = namespace(s='xx') %}{% for i in range(100) %}{% set ns.s = ns.s + ns.s %}{% endfor %}",
      "LimitExceeded: a string grew past");
  expect_stopped("{{ 'x' * 1000000000000 }}", "LimitExceeded: a string grew past");
  expect_stopped("{{ 'x'|indent(1000000000000) }}", "LimitExceeded: a string grew past");
  expect_stopped("{{ 'abc'.replace('', 'x' * 10000000) }}", "LimitExceeded: a string grew past");
  // Lists share their strings, so these are cheap to build; printing them is what must stop.
  const std::string big = "{% set s = 'x' * 10000000 %}";
  expect_stopped(big + "{{ [s] * 1000 }}", "LimitExceeded: a string grew past");
  expect_stopped(big + "{{ ([s] * 1000)|tojson }}", "LimitExceeded: a string grew past");
  expect_stopped(big + "{{ {'k': [s] * 1000} ~ '' }}", "LimitExceeded: a string grew past");
  expect_stopped(big + "{{ ('%s' * 100) % (([s] * 100)|list|batch(100)|first|list|join(',')|string, ) }}",
                 "LimitExceeded: a string grew past");
  expect_stopped(big + "{{ (('%s' * 100) % ((s,) * 100)) }}", "LimitExceeded: a string grew past");
}

TEST(ChatTemplateLimits, ListDoublingHitsTheMemoryBudget) {
  expect_stopped(
      "{% set ns = namespace(l=[1]) %}{% for i in range(60) %}{% set ns.l = ns.l + ns.l %}{% endfor %}",
      "LimitExceeded: the template built more than");
  expect_stopped("{{ [1] * 100000000000 }}", "LimitExceeded: the template built more than");
  // Small pieces added many times (quadratic copying) run into the same budget.
  expect_stopped(
      "{% set ns = namespace(s='') %}{% for i in range(100000) %}{% set ns.s = ns.s ~ ('y' * 10000) %}"
      "{% endfor %}",
      "LimitExceeded: ");
}

TEST(ChatTemplateLimits, OutputSizeIsBounded) {
  ChatTemplateOptions options;
  options.limits.max_output_bytes = 1000;
  expect_stopped("{% for i in range(10000) %}{{ 'x' * 10 }}{% endfor %}",
                 "LimitExceeded: output grew past 1000 bytes", 3.0, options);
}

TEST(ChatTemplateLimits, DeepNestingIsRefusedNotOverflowed) {
  expect_stopped("{{ " + std::string(100000, '(') + "1" + std::string(100000, ')') + " }}",
                 "LimitExceeded: template nested more than 256 levels deep");
  expect_stopped("{{ " + std::string(100000, '[') + std::string(100000, ']') + " }}",
                 "LimitExceeded: template nested");
  std::string ifs;
  for (int i = 0; i < 5000; ++i) ifs += "{% if true %}";
  expect_stopped(ifs, "LimitExceeded: template nested");
  expect_stopped("{{ " + std::string(100000, '-') + "1 }}", "LimitExceeded: template nested");
  expect_stopped("{{ x" + std::string(50000, '|') + " }}", "TemplateSyntaxError");
  // Long flat chains build deep trees too (((a + b) + c) + ...): they count as nesting.
  std::string chain = "{{ 1";
  for (int i = 0; i < 200000; ++i) chain += " + 1";
  expect_stopped(chain + " }}", "LimitExceeded: template nested");
  expect_stopped("{{ x" + std::string(200000, '~') + " }}", "TemplateSyntaxError");
  std::string filters = "{{ x";
  for (int i = 0; i < 100000; ++i) filters += "|trim";
  expect_stopped(filters + " }}", "LimitExceeded: template nested");
  std::string attrs = "{{ x";
  for (int i = 0; i < 100000; ++i) attrs += ".a";
  expect_stopped(attrs + " }}", "LimitExceeded: template nested");
  std::string ternary = "{{ 1";
  for (int i = 0; i < 100000; ++i) ternary += " if x else 1";
  expect_stopped(ternary + " }}", "LimitExceeded: template nested");
  std::string nots = "{{ ";
  for (int i = 0; i < 50000; ++i) nots += "not ";
  expect_stopped(nots + "x }}", "LimitExceeded: template nested");
}

TEST(ChatTemplateLimits, DeepOrCyclicValuesAreRefused) {
  expect_stopped(
      "{% set ns = namespace(x=[]) %}{% for i in range(100000) %}{% set ns.x = [ns.x] %}{% endfor %}",
      "LimitExceeded: value nested deeper than 256");
  expect_stopped("{% set ns = namespace() %}{% set ns.me = [ns] %}{{ ns }}",
                 "LimitExceeded: value nested too deeply");
  expect_stopped("{% set ns = namespace() %}{% set ns.me = ns %}{{ ns == ns.me.me }}{{ ns.me|tojson }}",
                 "TypeError: Object of type Namespace is not JSON serializable");
}

TEST(ChatTemplateLimits, DeepNestedContextIsRefused) {
  nlohmann::ordered_json deep = 1;
  for (int i = 0; i < 2000; ++i) deep = nlohmann::ordered_json::array({deep});
  auto t = ChatTemplate::parse("{{ x }}");
  ASSERT_TRUE(t.ok());
  auto r = t->render(nlohmann::ordered_json{{"x", deep}});
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().message.rfind("LimitExceeded: the context is nested deeper than", 0), 0u)
      << r.error().message;
}

TEST(ChatTemplateLimits, WallClockBackstop) {
  ChatTemplateOptions options;
  options.limits.max_steps = UINT64_MAX;
  options.limits.max_loop_iterations = UINT64_MAX;
  options.limits.max_seconds = 0.2;
  // Ten billion cheap steps: only the clock stops this one.
  expect_stopped(
      "{% macro f(n) %}{% if n > 0 %}{{ f(n - 1) }}{{ f(n - 1) }}{% endif %}{% endmacro %}{{ f(40) }}",
      "LimitExceeded: rendering took longer than 0.2 seconds", 2.0, options);
}

// Runs `fn` on a thread with a small stack, as an app's worker thread may have.
void on_small_stack(size_t bytes, std::function<void()> fn) {
  pthread_attr_t attr;
  pthread_attr_init(&attr);
  pthread_attr_setstacksize(&attr, bytes);
  pthread_t thread;
  auto trampoline = [](void* arg) -> void* {
    (*static_cast<std::function<void()>*>(arg))();
    return nullptr;
  };
  ASSERT_EQ(pthread_create(&thread, &attr, trampoline, &fn), 0);
  pthread_join(thread, nullptr);
  pthread_attr_destroy(&attr);
}

TEST(ChatTemplateLimits, DeepTemplatesOnASmallStackFailCleanly) {
  std::string ifs;
  for (int i = 0; i < 120; ++i) ifs += "{% if true %}";
  ifs += "{{ f(n - 1) }}";
  for (int i = 0; i < 120; ++i) ifs += "{% endif %}";
  const std::string deep = "{% macro f(n) %}{% if n > 0 %}" + ifs + "{% endif %}{% endmacro %}{{ f(60) }}";
  const std::string parens = "{{ " + std::string(250, '(') + "1" + std::string(250, ')') + " }}";
  for (size_t stack : {size_t{256} << 10, size_t{512} << 10}) {
    on_small_stack(stack, [&] {
      expect_stopped(deep, "LimitExceeded: ");
      expect_stopped(parens, "LimitExceeded: ");
      // A real template still renders there.
      Outcome o = run("{% for i in range(100) %}{{ i }}{% endfor %}");
      EXPECT_TRUE(o.result.ok());
    });
  }
}

TEST(ChatTemplateLimits, LimitsLeaveRealTemplatesAlone) {
  // A busy but legitimate render: 2000 messages through a namespace-heavy loop.
  std::string source =
      "{% set ns = namespace(n=0, last='') %}{% for m in messages %}{% set ns.n = ns.n + 1 %}"
      "{% set ns.last = m.role %}<|{{ m.role }}|>{{ m.content | trim }}{% endfor %}{{ ns.n }}";
  nlohmann::ordered_json messages = nlohmann::ordered_json::array();
  for (int i = 0; i < 2000; ++i)
    messages.push_back({{"role", i % 2 ? "assistant" : "user"}, {"content", " hello "}});
  auto t = ChatTemplate::parse(source);
  ASSERT_TRUE(t.ok());
  auto r = t->render(nlohmann::ordered_json{{"messages", messages}});
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(r->substr(r->size() - 4), "2000");
}

}  // namespace
}  // namespace lathe
