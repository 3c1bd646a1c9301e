#pragma once

/// MQTT and Home Assistant: topic names and payloads of api.md ("MQTT and Home
/// Assistant"), the broker URL and the reconnect back-off. Pure functions, no actor
/// and no network code, so every byte the daemon publishes is tested directly.

#include "common/json.hpp"
#include "common/model.hpp"

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace gamelight::mqtt {

// -- broker URL ---------------------------------------------------------------

/// Where the broker listens, from `mqtt-url`.
struct broker_url {
  /// `mqtts://`: TLS with the system's CA certificates.
  bool tls = false;
  std::string host;
  std::uint16_t port = 1883;
  friend bool operator==(const broker_url&, const broker_url&) = default;
};

/// Parses `mqtt://HOST:PORT` or `mqtts://HOST:PORT` (the port defaults to 1883 and
/// 8883; an IPv6 host is written in brackets). Returns nullopt when malformed.
std::optional<broker_url> parse_broker_url(std::string_view text);

// -- topics -------------------------------------------------------------------

/// The two topic prefixes of the options.
struct naming {
  /// `mqtt-prefix`, e.g. "gamelight".
  std::string prefix = "gamelight";
  /// `mqtt-discovery-prefix`; empty: no Home Assistant discovery.
  std::string discovery_prefix = "homeassistant";
};

/// Returns `<prefix>/status`.
std::string status_topic(const naming& n);

/// Returns `<prefix>/<id>/event`.
std::string event_topic(const naming& n, std::string_view integration_id);

/// Returns `<prefix>/<id>/state`.
std::string state_topic(const naming& n, std::string_view integration_id);

/// Returns `<prefix>/<id>/enabled/set`.
std::string enabled_set_topic(const naming& n, std::string_view integration_id);

/// Returns the subscription `<prefix>/+/enabled/set`.
std::string enabled_set_filter(const naming& n);

/// Returns `<discovery-prefix>/status` (Home Assistant's birth and will topic).
std::string ha_status_topic(const naming& n);

/// Returns the integration id of an `<prefix>/<id>/enabled/set` topic, if it is one.
std::optional<std::string> integration_of_enabled_set(const naming& n, std::string_view topic);

/// Returns true for `ON`, false for `OFF`, nullopt for anything else.
std::optional<bool> parse_switch(std::string_view payload);

// -- payloads -----------------------------------------------------------------

/// Returns the event payload `{"seq","event_type","timestamp","data"}`; `data` is
/// the event's compact JSON object text.
std::string event_payload(std::uint64_t seq, std::string_view event_type, unix_ms timestamp,
                          std::string_view data);

/// What the state topic says about an integration.
struct entity_state {
  bool enabled = true;
  bool connected = false;
  std::optional<std::string> last_event_type;
  std::optional<unix_ms> last_event_at;
  std::uint64_t event_count = 0;
  std::uint64_t payload_count = 0;
  friend bool operator==(const entity_state&, const entity_state&) = default;
};

/// Returns the state payload
/// `{"enabled","connected","last_event_type","last_event_at","event_count","payload_count"}`.
std::string state_payload(const entity_state& x);

/// One retained message of Home Assistant discovery.
struct message {
  std::string topic;
  std::string payload;
  friend bool operator==(const message&, const message&) = default;
};

/// Returns the event types the `game` event entity announces: the adapter's supported
/// events; for `generic` its configured `events`, else the mapped event types (each
/// once, in mapping order).
std::vector<std::string> announced_event_types(const integration& x);

/// Returns the three discovery config messages of an integration (event `game`,
/// binary_sensor `connected`, switch `enabled`); empty without a discovery prefix.
std::vector<message> discovery_messages(const naming& n, const integration& x);

/// Returns the topics of `discovery_messages`, to clear them when the integration is
/// deleted; empty without a discovery prefix.
std::vector<std::string> discovery_topics(const naming& n, std::string_view integration_id);

// -- reconnecting -------------------------------------------------------------

/// The first reconnect delay after a lost or refused connection.
inline constexpr std::chrono::seconds first_backoff{1};

/// The longest reconnect delay.
inline constexpr std::chrono::seconds max_backoff{30};

/// Returns the delay after `current`: doubled, at most `max_backoff`.
std::chrono::seconds next_backoff(std::chrono::seconds current);

} // namespace gamelight::mqtt
