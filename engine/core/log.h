#pragma once
// The engine's logger. Clients (app, CLI, tests) may change its level or sinks.

#include <spdlog/spdlog.h>

namespace lathe {

spdlog::logger& log();

}  // namespace lathe
