#pragma once

/// Message payload types that are more than a plain value of the model.

#include "common/json.hpp"
#include "common/model.hpp"
#include "common/problem.hpp"

#include <array>
#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace gamelight {

/// The answer to an ingestion request, rendered once by the integration actor.
struct ingest_reply {
  int status = 200;
  /// The JSON body text.
  std::string body;
};

/// One game payload on its way from the HTTP front end to its integration actor.
struct ingest_request {
  /// The payload, followed by at least SIMDJSON_PADDING spare bytes (simdjson reads
  /// past the end); `size` is the payload's length. Shared, so the front end can send
  /// it again (through the registry) without a copy when an actor ended meanwhile.
  std::shared_ptr<const std::string> buffer;
  std::size_t size = 0;
  /// `X-Game-Token` or the `Authorization: Bearer` token, empty if none.
  std::string header_token;
  /// When the HTTP front end had the whole request (for the latency histogram).
  std::chrono::steady_clock::time_point received;
};

/// Filters of `GET /api/v1/game-integrations`, AND-ed.
struct integration_query {
  std::optional<std::string> adapter_type;
  std::optional<std::string> tag;
  std::optional<bool> enabled;
};

/// A JSON request body shared between threads without copying.
using shared_json = std::shared_ptr<const json>;

// -- live paths (v1.1): the event bus and its subscribers ----------------------

/// An integration's counters as the live paths show them (MQTT's state topic).
struct integration_activity {
  /// Whether a payload arrived within the connected window.
  bool connected = false;
  std::uint64_t payload_count = 0;
  std::uint64_t event_count = 0;
  std::optional<std::string> last_event_type;
  std::optional<unix_ms> last_event_at;
};

/// One recorded game event, as the event bus hands it to every subscriber.
struct bus_event {
  /// Daemon-wide: 1 for the first event after start, then one more per event.
  std::uint64_t seq = 0;
  std::string integration_id;
  game_event event;
  unix_ms timestamp = 0;
  /// The integration's counters right after this event was recorded.
  integration_activity activity;
};

/// A recorded event shared by every subscriber without copying.
using shared_bus_event = std::shared_ptr<const bus_event>;

/// An integration's `connected` flipped, or its actor (re)started with fresh counters.
struct bus_status {
  std::string integration_id;
  integration_activity activity;
};

/// A device's rendered frame for its live preview: 3 bytes per LED after brightness;
/// `active` is false for the one all-black frame sent when the device falls idle.
struct device_frame {
  bool active = false;
  std::vector<std::uint8_t> rgb;
};

/// A frame shared by every watcher without copying.
using shared_device_frame = std::shared_ptr<const device_frame>;

/// The MQTT actor's samples for /metrics.
struct mqtt_metrics {
  /// Whether the broker accepted the connection and it is still up.
  bool connected = false;
  /// Messages the daemon could not hand to the broker (down, or queue full).
  std::uint64_t dropped = 0;
  friend bool operator==(const mqtt_metrics&, const mqtt_metrics&) = default;
};

} // namespace gamelight

namespace gamelight {

/// Upper bounds (seconds) of the ingestion latency histogram buckets.
inline constexpr std::array<double, 12> latency_buckets = {
    0.00001, 0.000025, 0.00005, 0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.05, 0.25,
};

/// The Prometheus samples of one integration actor.
struct integration_metrics {
  std::string integration_id;
  std::uint64_t payloads = 0;
  std::uint64_t rejected_malformed = 0;
  std::uint64_t rejected_unauthorized = 0;
  std::uint64_t rejected_invalid = 0;
  std::uint64_t rejected_too_large = 0;
  /// Events per type, sorted by type.
  std::vector<std::pair<std::string, std::uint64_t>> events_by_type;
  /// Cumulative counts per bucket of `latency_buckets`, then +Inf.
  std::array<std::uint64_t, latency_buckets.size() + 1> latency_counts{};
  double latency_sum_seconds = 0;
  /// Messages waiting in the integration actor's mailbox when it answered: the
  /// backlog of payloads it has not reached yet.
  std::size_t mailbox_depth = 0;
};

} // namespace gamelight
