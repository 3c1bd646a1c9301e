#pragma once

/// Reads a WLED's own facts from its JSON API (api.md v1.1, "WLED probe"), so nobody
/// types an LED count by hand.
///
/// One fixed URL, `GET http://HOST:PORT/json/info`, with cpp-httplib's blocking client: no
/// redirect is followed, connecting and each read give up after `timeout`, the body must
/// arrive within `timeout` of the request's start and may not exceed `max_body_bytes`.
/// Blocking: call it from a detached actor (`prober`), never from a scheduled one.

#include "common/json.hpp"

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace gamelight::probe {

/// The largest `/json/info` body accepted (api.md: answers over 64 KiB are refused).
inline constexpr std::size_t max_body_bytes = 64 * 1024;

/// How long a probe may take by default (api.md: nothing within 2 s → not reachable).
inline constexpr std::chrono::milliseconds default_timeout{2000};

/// What a WLED says about itself in `/json/info`.
struct wled_info {
  std::string name;
  std::string version;
  std::int64_t led_count = 0;
  std::string mac;
  friend bool operator==(const wled_info&, const wled_info&) = default;
};

/// Returns the facts of a `/json/info` body, or why it is not a WLED answer: the body must
/// be JSON (else "malformed JSON: ...") holding an object with string `name`, string
/// `ver`, integer `leds.count` and string `mac` (else "not a WLED answer: ...").
/// @param detail receives the reason on failure.
[[nodiscard]] std::optional<wled_info> parse_info(std::string_view body, std::string& detail);

/// Probes `host:port` and returns the body of the probe route:
/// `{"reachable": true, "name", "version", "led_count", "mac"}`, or
/// `{"reachable": false, "detail": "<why>"}` when the host cannot be resolved, refuses or
/// cannot be reached, does not answer in time, answers with something other than a 200,
/// answers more than `max_body_bytes`, or answers something that is not WLED's JSON.
/// Never throws.
[[nodiscard]] json probe_wled(const std::string& host, std::uint16_t port,
                              std::chrono::milliseconds timeout = default_timeout);

} // namespace gamelight::probe
