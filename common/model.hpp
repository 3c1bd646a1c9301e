#pragma once

/// Plain value types shared by every layer: configuration objects as stored and
/// served, the events adapters emit and the effects devices play.

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace gamelight {

/// Milliseconds since the Unix epoch (wall clock), as stored and served.
using unix_ms = std::int64_t;

/// An 8-bit RGB colour.
struct rgb {
  std::uint8_t r = 0;
  std::uint8_t g = 0;
  std::uint8_t b = 0;
  friend bool operator==(const rgb&, const rgb&) = default;
};

/// What the LEDs do over an effect's duration (see api.md, "Effects").
enum class effect_kind : std::uint8_t {
  solid,
  flash,
  fade,
  pulse,
  strobe,
  wipe,
  gauge,
  countdown,
  off,
};

/// Returns the API name of an effect ("solid", "flash", ...).
std::string_view to_string(effect_kind x);

/// Returns the effect with the given API name, if any.
std::optional<effect_kind> parse_effect_kind(std::string_view name);

/// Maps one game event to one effect.
struct event_mapping {
  std::string event_type;
  effect_kind effect = effect_kind::solid;
  rgb color{255, 255, 255};
  /// 0 = sticky: stays until replaced or cleared.
  std::uint32_t duration_ms = 1000;
  /// Brightness scale, 0.0-1.0.
  double intensity = 1.0;
  /// 0-100, higher wins.
  std::int32_t priority = 50;
  /// The device zone the effect plays in; none = the whole strip.
  std::optional<std::string> zone;
  friend bool operator==(const event_mapping&, const event_mapping&) = default;
};

/// A game integration as stored in the database.
struct integration {
  /// "gi_" + 8 lowercase hex digits.
  std::string id;
  std::string name;
  std::string adapter_type;
  bool enabled = true;
  /// The validated adapter_config object as compact JSON text; secrets unmasked.
  std::string adapter_config = "{}";
  std::vector<event_mapping> event_mappings;
  std::string description;
  std::vector<std::string> tags;
  unix_ms created_at = 0;
  unix_ms updated_at = 0;
  friend bool operator==(const integration&, const integration&) = default;
};

/// Output protocol of a device.
enum class led_protocol : std::uint8_t {
  ddp,
  dnrgb,
  e131,
};

/// Returns the API name of a protocol ("ddp", "dnrgb", "e131").
std::string_view to_string(led_protocol x);

/// Returns the protocol with the given API name, if any.
std::optional<led_protocol> parse_led_protocol(std::string_view name);

/// Returns the protocol's standard UDP port (4048, 21324, 5568).
std::uint16_t default_port(led_protocol x);

/// A named part of a device's strip (api.md v1.1, "Zones"): LEDs `start` to
/// `start + length - 1`. Zones of one device may overlap.
struct zone {
  /// Matches `^[a-z0-9_-]{1,32}$`; unique within the device.
  std::string name;
  std::uint32_t start = 0;
  std::uint32_t length = 1;
  /// Whether effects run from the zone's last LED towards its first.
  bool reverse = false;
  friend bool operator==(const zone&, const zone&) = default;
};

/// An LED target (a WLED device) as stored in the database.
struct device {
  /// "dev_" + 8 lowercase hex digits.
  std::string id;
  std::string name;
  /// IPv4/IPv6 literal or hostname.
  std::string host;
  std::uint16_t port = 4048;
  led_protocol protocol = led_protocol::ddp;
  /// First E1.31 universe (1-63999); unused by the other protocols.
  std::uint16_t universe = 1;
  std::uint32_t led_count = 1;
  std::uint32_t fps = 40;
  double brightness = 1.0;
  bool enabled = true;
  std::vector<std::string> integration_ids;
  /// At most 32, each inside the strip.
  std::vector<zone> zones;
  unix_ms created_at = 0;
  unix_ms updated_at = 0;
  friend bool operator==(const device&, const device&) = default;
};

/// One event detected by a game adapter.
struct game_event {
  std::string event_type;
  /// The values behind the event as a compact JSON object text, e.g.
  /// `{"health":18,"amount":46}`.
  std::string data = "{}";
  /// `data.fraction`, when the event carries one (drives `gauge`).
  std::optional<double> fraction;
  /// `data.countdown_ms`, when the event carries one (drives `countdown`).
  std::optional<std::uint32_t> countdown_ms;
  friend bool operator==(const game_event&, const game_event&) = default;
};

/// An entity that refers to another one and so blocks its deletion.
struct reference {
  /// "device"
  std::string type;
  std::string id;
  std::string name;
  friend bool operator==(const reference&, const reference&) = default;
};

} // namespace gamelight
