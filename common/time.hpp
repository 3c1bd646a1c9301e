#pragma once

/// Wall-clock timestamps for the API (RFC 3339, UTC, milliseconds).
/// Durations are measured elsewhere with monotonic clocks.

#include "common/model.hpp"

#include <optional>
#include <string>
#include <string_view>

namespace gamelight {

/// Returns the current wall-clock time in milliseconds since the Unix epoch.
unix_ms now_unix_ms();

/// Formats a timestamp as `2026-11-26T14:03:07.123Z`.
std::string format_rfc3339(unix_ms t);

/// Appends `format_rfc3339(t)` to `out`.
void append_rfc3339(std::string& out, unix_ms t);

/// Parses the format written by `format_rfc3339`.
std::optional<unix_ms> parse_rfc3339(std::string_view text);

} // namespace gamelight
