#pragma once
// Chat templates: the Jinja program in a model's `tokenizer.chat_template` that turns a conversation
// into the prompt text. Rendering matches Hugging Face transformers (Python jinja2's immutable
// sandbox with trim_blocks, lstrip_blocks, loop controls, a tojson without HTML escaping,
// raise_exception() and strftime_now()) character for character, including the errors it raises.
//
//   LATHE_TRY(ChatTemplate t, ChatTemplate::parse(source));
//   LATHE_TRY(std::string prompt, t.render(chat_template_context(messages, true, "<s>", "</s>")));
//
// Errors read "TemplateError: System role not supported (line 1, column 95)": the Python/Jinja2
// exception type and message the reference raises, then where in the template. A hostile template
// fails with a LimitExceeded error (see jinja::RenderLimits) instead of hanging or exhausting
// memory. Nothing here throws.
//
// Not supported: {% include %}, {% import %} and {% extends %} (transformers has no loader either),
// {% block %} and {% do %} (no chat template uses them). Lists and dicts cannot be changed
// (list.append raises SecurityError, as in the immutable sandbox). transformers' {% generation %}
// block renders its body.

#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>

#include "core/result.h"
#include "tokenizer/jinja_eval.h"

namespace lathe {

struct ChatTemplateOptions {
  jinja::RenderLimits limits;
  // What strftime_now() formats; the current local time when unset. Tests fix it.
  std::optional<jinja::DateTime> now;
};

class ChatTemplate {
 public:
  // Parses a template. Syntax errors name line and column.
  static Result<ChatTemplate> parse(std::string_view source, ChatTemplateOptions options = {});

  // Renders with `context`'s keys as the template's variables (a JSON object). Use ordered_json
  // to keep key order: tojson and printing a dict follow it, as Python dicts do.
  Result<std::string> render(const nlohmann::ordered_json& context) const;
  Result<std::string> render(const nlohmann::json& context) const;

  const std::string& source() const { return *source_; }
  const ChatTemplateOptions& options() const { return options_; }
  void set_options(ChatTemplateOptions options) { options_ = std::move(options); }

 private:
  ChatTemplate() = default;
  Result<std::string> render_value(const jinja::Value& variables) const;

  std::shared_ptr<const std::string> source_;
  std::shared_ptr<const jinja::Body> program_;
  ChatTemplateOptions options_;
};

// The variables transformers' apply_chat_template passes: messages, add_generation_prompt,
// tools = documents = None, and the BOS/EOS token text when known (an absent token stays
// undefined, as it does there).
nlohmann::ordered_json chat_template_context(const nlohmann::ordered_json& messages,
                                             bool add_generation_prompt,
                                             const std::optional<std::string>& bos_token,
                                             const std::optional<std::string>& eos_token);

// How errors are reported: "TypeError: 'NoneType' object is not iterable (line 3, column 14)".
std::string describe_template_error(const jinja::JinjaError& error);

}  // namespace lathe
