#include "common/log.hpp"

#include "common/time.hpp"

#include <atomic>
#include <cstdio>

namespace gamelight::log {

namespace {

std::atomic<int> current_level{static_cast<int>(level::info)};

std::function<void(level, const std::string&)>& sink() {
  static std::function<void(level, const std::string&)> instance;
  return instance;
}

std::string_view name(level x) {
  switch (x) {
    case level::error:
      return "error";
    case level::warning:
      return "warning";
    case level::info:
      return "info";
    case level::debug:
      return "debug";
  }
  return "info";
}

} // namespace

std::optional<level> parse_level(std::string_view x) {
  for (auto candidate : {level::error, level::warning, level::info, level::debug})
    if (name(candidate) == x)
      return candidate;
  return std::nullopt;
}

void set_level(level x) {
  current_level.store(static_cast<int>(x), std::memory_order_relaxed);
}

bool enabled(level x) {
  return static_cast<int>(x) <= current_level.load(std::memory_order_relaxed);
}

void set_sink(std::function<void(level, const std::string&)> f) {
  sink() = std::move(f);
}

void write(level x, const std::string& line) {
  if (auto& f = sink()) {
    f(x, line);
    return;
  }
  // One fprintf per record keeps lines from different threads whole.
  auto stamp = format_rfc3339(now_unix_ms());
  std::fprintf(stderr, "%s %-7s %s\n", stamp.c_str(), std::string{name(x)}.c_str(), line.c_str());
}

} // namespace gamelight::log
