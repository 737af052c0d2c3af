#include "core/log.h"

#include <spdlog/sinks/stdout_color_sinks.h>

namespace lathe {

spdlog::logger& log() {
  static std::shared_ptr<spdlog::logger> logger = [] {
    auto l = spdlog::stderr_color_mt("lathe");
    l->set_level(spdlog::level::warn);
    return l;
  }();
  return *logger;
}

}  // namespace lathe
