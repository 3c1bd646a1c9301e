#pragma once

/// A tiny logger: one line per record on stderr (or a test sink), filtered by level.
/// Records read like sentences that start with the component: "store failed to ...".
/// Never pass secrets (tokens, API keys) to it.

#include <functional>
#include <optional>
#include <sstream>
#include <string>
#include <string_view>

namespace gamelight::log {

enum class level : int {
  error = 0,
  warning = 1,
  info = 2,
  debug = 3,
};

/// Returns the level with the given name ("error", "warning", "info", "debug").
std::optional<level> parse_level(std::string_view name);

/// Sets the most verbose level that is still written.
void set_level(level x);

/// Returns whether records of level `x` are written.
bool enabled(level x);

/// Replaces the sink (default: stderr). Tests install one that collects lines.
/// Must be called before other threads log.
void set_sink(std::function<void(level, const std::string&)> sink);

/// Writes one finished line.
void write(level x, const std::string& line);

/// Concatenates the arguments with `operator<<` and writes them as one record.
template <class... Ts>
void record(level x, const Ts&... xs) {
  if (!enabled(x))
    return;
  std::ostringstream out;
  (out << ... << xs);
  write(x, out.str());
}

template <class... Ts>
void error(const Ts&... xs) {
  record(level::error, xs...);
}

template <class... Ts>
void warning(const Ts&... xs) {
  record(level::warning, xs...);
}

template <class... Ts>
void info(const Ts&... xs) {
  record(level::info, xs...);
}

template <class... Ts>
void debug(const Ts&... xs) {
  record(level::debug, xs...);
}

} // namespace gamelight::log
