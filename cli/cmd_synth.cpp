// lathe-cli synth --shape NAME --type TYPE -o FILE [--seed N]
#include <chrono>
#include <cstdio>

#include "args.h"
#include "commands.h"
#include "model/synth.h"

namespace lathe::cli {

int run_synth(const std::vector<std::string>& raw) {
  auto args = Args::parse(raw, {"--shape", "--type", "-o", "--output", "--seed"}, {"--quiet"});
  std::string shapes;
  for (const SynthShape& s : synth_shapes()) shapes += " " + s.name;
  const auto output = args.ok() ? (args->value("-o") ? args->value("-o") : args->value("--output")) : std::nullopt;
  if (!args.ok() || !args->value("--shape") || !args->value("--type") || !output || !args->positional().empty()) {
    std::fprintf(stderr,
                 "usage: lathe-cli synth --shape NAME --type F16|Q8_0|Q4_0|Q4_K_M -o FILE [--seed N] [--quiet]\n"
                 "shapes:%s\n%s\n",
                 shapes.c_str(), args.ok() ? "" : args.error().message.c_str());
    return 2;
  }
  auto shape = find_synth_shape(*args->value("--shape"));
  auto type = parse_synth_type(*args->value("--type"));
  auto seed = args->number("--seed", 1);
  for (const Error* e : {shape.ok() ? nullptr : &shape.error(), type.ok() ? nullptr : &type.error(),
                         seed.ok() ? nullptr : &seed.error()}) {
    if (e) {
      std::fprintf(stderr, "lathe-cli synth: %s\n", e->message.c_str());
      return 2;
    }
  }
  const bool quiet = args->flag("--quiet");
  const auto start = std::chrono::steady_clock::now();
  auto written = write_synth_model(*shape, *type, *output, *seed, [&](uint64_t done, uint64_t total) {
    if (!quiet) std::fprintf(stderr, "\rwriting %s: %3.0f%%", output->c_str(), 100.0 * done / total);
    return true;
  });
  if (!quiet) std::fprintf(stderr, "\n");
  if (!written.ok()) {
    std::fprintf(stderr, "lathe-cli synth: %s\n", written.error().message.c_str());
    return 1;
  }
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  if (!quiet) std::fprintf(stderr, "wrote %s in %.1f s\n", output->c_str(), seconds);
  return 0;
}

}  // namespace lathe::cli
