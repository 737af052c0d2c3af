// lathe-cli template MODEL.gguf|TEMPLATE.jinja --messages FILE.json [--add-generation-prompt]
//                    [--bos S] [--eos S] [--vars FILE.json] [--date YYYY-MM-DD]
//
// Renders a chat template: the `tokenizer.chat_template` of a GGUF model (BOS/EOS token text from
// its vocab unless given) or a .jinja file. --messages holds a JSON array of {role, content}
// messages (or an object with a "messages" key); --vars a JSON object of further variables (tools,
// documents, ...). Prints the prompt exactly, with no newline added; on a template error prints the
// error and exits 1.
#include <cstdio>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "args.h"
#include "commands.h"
#include "gguf/reader.h"
#include "tokenizer/chat_template.h"

namespace lathe::cli {
namespace {

constexpr const char* kUsage =
    "usage: lathe-cli template MODEL.gguf|TEMPLATE.jinja --messages FILE.json [--add-generation-prompt]\n"
    "                          [--bos S] [--eos S] [--vars FILE.json] [--date YYYY-MM-DD]\n";

Result<std::string> read_text(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return make_error("cannot read {}", path);
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

Result<nlohmann::ordered_json> read_json(const std::string& path) {
  LATHE_TRY(std::string text, read_text(path));
  nlohmann::ordered_json j = nlohmann::ordered_json::parse(text, nullptr, false);
  if (j.is_discarded()) return make_error("{}: not valid JSON", path);
  return j;
}

// The text of the token whose id `id_key` names, from the vocab in `tokenizer.ggml.tokens`.
std::optional<std::string> token_text(const GgufFile& file, const char* id_key) {
  auto id = file.get_uint(id_key);
  auto tokens = file.get_array("tokenizer.ggml.tokens");
  if (!id.ok() || !tokens.ok() || *id >= (*tokens)->strings.size()) return std::nullopt;
  return (*tokens)->strings[*id];
}

struct TemplateSource {
  std::string text;
  std::optional<std::string> bos, eos;
};

Result<TemplateSource> load_template(const std::string& path) {
  TemplateSource out;
  const bool is_gguf = path.size() >= 5 && path.compare(path.size() - 5, 5, ".gguf") == 0;
  if (!is_gguf) {
    LATHE_TRY(out.text, read_text(path));
    return out;
  }
  LATHE_TRY(GgufFile file, GgufFile::open(path));
  auto text = file.get_string("tokenizer.chat_template");
  if (!text.ok()) return make_error("{} has no chat template (tokenizer.chat_template)", path);
  out.text = std::move(*text);
  out.bos = token_text(file, "tokenizer.ggml.bos_token_id");
  out.eos = token_text(file, "tokenizer.ggml.eos_token_id");
  return out;
}

Result<jinja::DateTime> parse_date(const std::string& text) {
  jinja::DateTime d;
  if (std::sscanf(text.c_str(), "%d-%d-%d", &d.year, &d.month, &d.day) != 3 || d.month < 1 || d.month > 12 ||
      d.day < 1 || d.day > 31) {
    return make_error("--date needs YYYY-MM-DD, not '{}'", text);
  }
  return d;
}

int fail(const std::string& message, int code) {
  std::fprintf(stderr, "lathe-cli template: %s\n", message.c_str());
  return code;
}

}  // namespace

int run_template(const std::vector<std::string>& raw) {
  auto args =
      Args::parse(raw, {"--messages", "--bos", "--eos", "--vars", "--date"}, {"--add-generation-prompt"});
  if (!args.ok() || args->positional().size() != 1 ||
      (!args->value("--messages") && !args->value("--vars"))) {
    std::fprintf(stderr, "%s%s\n", kUsage, args.ok() ? "" : args.error().message.c_str());
    return 2;
  }
  nlohmann::ordered_json messages = nlohmann::ordered_json::array();
  nlohmann::ordered_json extra = nlohmann::ordered_json::object();
  if (auto path = args->value("--messages")) {
    auto j = read_json(*path);
    if (!j.ok()) return fail(j.error().message, 2);
    if (j->is_object() && j->contains("messages")) {
      extra = *j;
      messages = (*j)["messages"];
    } else if (j->is_array()) {
      messages = *j;
    } else {
      return fail(*path + ": expected an array of messages or an object with \"messages\"", 2);
    }
  }
  if (auto path = args->value("--vars")) {
    auto j = read_json(*path);
    if (!j.ok()) return fail(j.error().message, 2);
    if (!j->is_object()) return fail(*path + ": expected a JSON object of variables", 2);
    for (const auto& [key, value] : j->items()) extra[key] = value;
  }
  auto source = load_template(args->positional()[0]);
  if (!source.ok()) return fail(source.error().message, 1);

  std::optional<std::string> bos = args->value("--bos") ? args->value("--bos") : source->bos;
  std::optional<std::string> eos = args->value("--eos") ? args->value("--eos") : source->eos;
  nlohmann::ordered_json context =
      chat_template_context(messages, args->flag("--add-generation-prompt"), bos, eos);
  for (const auto& [key, value] : extra.items()) context[key] = value;

  ChatTemplateOptions options;
  if (auto date = args->value("--date")) {
    auto d = parse_date(*date);
    if (!d.ok()) return fail(d.error().message, 2);
    options.now = *d;
  }
  auto tmpl = ChatTemplate::parse(source->text, options);
  if (!tmpl.ok()) return fail(tmpl.error().message, 1);
  auto prompt = tmpl->render(context);
  if (!prompt.ok()) return fail(prompt.error().message, 1);
  std::fwrite(prompt->data(), 1, prompt->size(), stdout);
  return 0;
}

}  // namespace lathe::cli
