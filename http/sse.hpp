#pragma once

/// Server-Sent Events as api.md's live streams write them: the text of each message,
/// the filters of `GET /api/v1/events/stream` and the frames of a device preview.
/// Pure: no actors, no sockets.

#include "actors/messages.hpp"
#include "http/message.hpp"

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace gamelight::http::sse {

/// The first bytes of every stream: how long a client waits before it reconnects.
inline constexpr std::string_view preamble = "retry: 2000\n\n";

/// The keep-alive comment, sent when nothing else was sent for a while.
inline constexpr std::string_view ping = ": ping\n\n";

/// Returns `id: <seq>`, `event: game_event` and the event as one-line JSON data.
[[nodiscard]] std::string game_event_message(const bus_event& x);

/// Returns `event: status` with `{"integration_id": ..., "connected": ...}`.
[[nodiscard]] std::string status_message(std::string_view integration_id, bool connected);

/// Returns `event: frame` with `{"active", "led_count", "rgb": <base64 of the bytes>}`.
[[nodiscard]] std::string frame_message(bool active, std::size_t led_count,
                                        std::span<const std::uint8_t> rgb);

/// Returns the standard base64 (RFC 4648, with padding) of `bytes`.
[[nodiscard]] std::string base64(std::span<const std::uint8_t> bytes);

/// The filters of an event stream: within a kind any value matches (OR), and both
/// kinds must match (AND). An empty kind matches everything.
struct event_filter {
  std::vector<std::string> integration_ids;
  std::vector<std::string> event_types;

  /// Returns whether a game event passes.
  [[nodiscard]] bool passes(std::string_view integration_id, std::string_view event_type) const;

  /// Returns whether a status event passes (event types do not apply to it).
  [[nodiscard]] bool passes_status(std::string_view integration_id) const;

  /// Returns the same filter with each kind sorted and without repeats: two filters that
  /// pass the same messages are then equal.
  [[nodiscard]] event_filter normalized() const;

  bool operator==(const event_filter&) const = default;
};

/// Reads the repeatable `integration_id` and `event_type` query parameters.
[[nodiscard]] event_filter filter_of(const request& req);

/// Returns the `Last-Event-ID` header as a sequence number; nullopt when absent or not
/// a plain decimal number (then the stream starts with live events only, as a browser
/// would after a reset).
[[nodiscard]] std::optional<std::uint64_t> last_event_id(const request& req);

} // namespace gamelight::http::sse
