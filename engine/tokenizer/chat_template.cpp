#include "tokenizer/chat_template.h"

#include <new>

#include "tokenizer/jinja_parser.h"

namespace lathe {

namespace {

template <class Json>
jinja::Value from_json(const Json& j, int depth) {
  using jinja::Value;
  if (depth > jinja::kMaxValueDepth) {
    jinja::raise("LimitExceeded",
                 "the context is nested deeper than " + std::to_string(jinja::kMaxValueDepth));
  }
  switch (j.type()) {
    case nlohmann::json::value_t::null:
      return Value::none();
    case nlohmann::json::value_t::boolean:
      return Value(j.template get<bool>());
    case nlohmann::json::value_t::number_integer:
      return Value(j.template get<int64_t>());
    case nlohmann::json::value_t::number_unsigned: {
      const auto u = j.template get<uint64_t>();
      if (u > static_cast<uint64_t>(INT64_MAX)) return Value(static_cast<double>(u));
      return Value(static_cast<int64_t>(u));
    }
    case nlohmann::json::value_t::number_float:
      return Value(j.template get<double>());
    case nlohmann::json::value_t::string:
      return Value(j.template get_ref<const std::string&>());
    case nlohmann::json::value_t::array: {
      jinja::ValueList items;
      items.reserve(j.size());
      for (const auto& item : j) items.push_back(from_json(item, depth + 1));
      return Value::list(std::move(items));
    }
    case nlohmann::json::value_t::object: {
      jinja::Dict dict;
      for (auto it = j.begin(); it != j.end(); ++it)
        dict.set(Value(it.key()), from_json(it.value(), depth + 1));
      return Value::dict(std::move(dict));
    }
    default:
      return Value::none();
  }
}

template <class Json>
Result<jinja::Value> context_value(const Json& context) {
  if (!context.is_object()) return make_error("chat template: the render context must be a JSON object");
  try {
    return from_json(context, 0);
  } catch (const jinja::JinjaException& e) {
    return Error{describe_template_error(e.error)};
  } catch (const std::bad_alloc&) {
    return make_error("chat template: out of memory reading the render context");
  }
}

}  // namespace

std::string describe_template_error(const jinja::JinjaError& error) {
  std::string out = error.type + ": " + error.message;
  if (error.pos.line > 0)
    out += " (line " + std::to_string(error.pos.line) + ", column " + std::to_string(error.pos.column) + ")";
  return out;
}

Result<ChatTemplate> ChatTemplate::parse(std::string_view source, ChatTemplateOptions options) {
  ChatTemplate t;
  try {
    t.source_ = std::make_shared<const std::string>(source);
    t.program_ = std::make_shared<const jinja::Body>(
        jinja::parse_template(source, jinja::LexOptions{}, options.limits.max_nesting));
  } catch (const jinja::JinjaException& e) {
    return Error{describe_template_error(e.error)};
  } catch (const std::bad_alloc&) {
    return make_error("LimitExceeded: out of memory parsing the chat template");
  } catch (const std::exception& e) {
    return make_error("chat template: internal error while parsing: {}", e.what());
  }
  t.options_ = std::move(options);
  return t;
}

Result<std::string> ChatTemplate::render(const nlohmann::ordered_json& context) const {
  LATHE_TRY(jinja::Value variables, context_value(context));
  return render_value(variables);
}

Result<std::string> ChatTemplate::render(const nlohmann::json& context) const {
  LATHE_TRY(jinja::Value variables, context_value(context));
  return render_value(variables);
}

Result<std::string> ChatTemplate::render_value(const jinja::Value& variables) const {
  jinja::RenderOptions options;
  options.limits = options_.limits;
  options.now = options_.now;
  try {
    jinja::Interpreter interpreter(options, variables);
    return interpreter.render(*program_);
  } catch (const jinja::JinjaException& e) {
    return Error{describe_template_error(e.error)};
  } catch (const std::bad_alloc&) {
    return make_error("LimitExceeded: out of memory rendering the chat template");
  } catch (const std::exception& e) {
    return make_error("chat template: internal error while rendering: {}", e.what());
  }
}

nlohmann::ordered_json chat_template_context(const nlohmann::ordered_json& messages,
                                             bool add_generation_prompt,
                                             const std::optional<std::string>& bos_token,
                                             const std::optional<std::string>& eos_token) {
  nlohmann::ordered_json context = nlohmann::ordered_json::object();
  context["messages"] = messages;
  context["add_generation_prompt"] = add_generation_prompt;
  context["tools"] = nullptr;
  context["documents"] = nullptr;
  if (bos_token) context["bos_token"] = *bos_token;
  if (eos_token) context["eos_token"] = *eos_token;
  return context;
}

}  // namespace lathe
