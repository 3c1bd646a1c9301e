#pragma once

#include "actors/interfaces.hpp"
#include "actors/multiplexed.hpp"
#include "actors/sequence.hpp"
#include "adapters/games/game_adapter.hpp"

#include <caf/typed_event_based_actor.hpp>

#include <array>
#include <chrono>
#include <cstdint>
#include <deque>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace gamelight {

/// Settings of an integration actor that come from the daemon's options.
struct integration_options {
  /// A payload within this window marks the integration as connected.
  std::chrono::seconds connected_window{30};
  /// How many recent events the ring keeps.
  std::size_t ring_size = 100;
  /// Numbers every recorded event; shared by all integrations of the daemon.
  std::shared_ptr<event_sequence> sequence = std::make_shared<event_sequence>();
  /// Where recorded events and `connected` flips go (fire and forget); none when null.
  event_bus_actor bus;
};

/// One entry of the ring of recent events.
struct recorded_event {
  game_event event;
  unix_ms timestamp = 0;
  /// The daemon-wide sequence number of the event.
  std::uint64_t seq = 0;
};

/// The state of one game integration: its adapter session (parser, baseline),
/// counters, the ring of recent events and the devices it drives.
struct integration_state {
  static inline constexpr const char* name = "integration";

  integration config;
  integration_options options;
  std::unique_ptr<games::adapter_session> session;
  std::vector<device_actor> targets;

  std::uint64_t payload_count = 0;
  std::uint64_t event_count = 0;
  std::uint64_t rejected_malformed = 0;
  std::uint64_t rejected_unauthorized = 0;
  std::uint64_t rejected_invalid = 0;
  std::uint64_t rejected_too_large = 0;
  std::map<std::string, std::uint64_t, std::less<>> events_by_type;
  std::optional<unix_ms> last_payload_at;
  std::optional<unix_ms> last_event_at;
  /// Monotonic time of the last accepted payload (for `connected`).
  std::optional<caf::actor_clock::time_point> last_payload_seen;
  /// `connected` as last published to the event bus.
  bool connected = false;
  /// Whether an `atom::window` check is scheduled (at most one at a time).
  bool window_pending = false;
  std::deque<recorded_event> ring;
  std::array<std::uint64_t, latency_buckets.size() + 1> latency_counts{};
  double latency_sum_seconds = 0;
  /// Reused for every payload, so steady-state ingestion does not allocate it.
  std::vector<game_event> scratch;

  /// Returns the total of every rejection counter.
  [[nodiscard]] std::uint64_t rejected_count() const;

  /// Records one accepted event; returns the entry added to the ring.
  const recorded_event& record(const game_event& event, unix_ms now);

  /// Returns the counters the live paths show.
  [[nodiscard]] integration_activity activity() const;

  /// Records how long a payload took from the HTTP worker to its answer.
  void observe_latency(std::chrono::steady_clock::duration d);

  /// Returns the status object of api.md.
  [[nodiscard]] json status(caf::actor_clock::time_point now) const;

  /// Returns the newest `limit` events, newest first.
  [[nodiscard]] json recent_events(std::size_t limit) const;

  /// Returns the events in the ring whose `seq` is above `after`, oldest first.
  [[nodiscard]] std::vector<shared_bus_event> events_after(std::uint64_t after) const;

  /// Returns the counters for /metrics.
  [[nodiscard]] integration_metrics metrics() const;
};

/// Spawnable behavior of an integration actor. The config's adapter_type must be
/// registered and its adapter_config valid (the store guarantees both).
integration_actor::behavior_type
integration_behavior(integration_actor::stateful_pointer<integration_state> self,
                     integration config, integration_options options);

/// An integration actor scheduled on the multiplexer (see `multiplexed`): a payload's
/// round trip from its connection broker to this actor and back stays on one thread.
/// Its work per payload is a parse and a diff (tens of microseconds).
using integration_io_actor
    = multiplexed<caf::stateful_actor<integration_state, integration_actor::base>>;

/// Spawnable behavior of an integration actor scheduled on the multiplexer (see
/// `integration_io_actor`); what the registry spawns.
integration_actor::behavior_type integration_io_behavior(integration_io_actor* self,
                                                         integration config,
                                                         integration_options options);

} // namespace gamelight
