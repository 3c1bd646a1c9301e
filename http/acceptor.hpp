#pragma once

/// The acceptor broker: owns the listening socket, forks one connection broker per
/// accepted connection and closes connections beyond `max-connections` at once.

#include "http/routes.hpp"

#include <caf/allowed_unsafe_message_type.hpp>
#include <caf/atom.hpp>
#include <caf/io/broker.hpp>
#include <caf/io/doorman.hpp>

#include <cstdint>
#include <memory>
#include <optional>
#include <unordered_set>

namespace gamelight::atom {

/// A connection's own timer: deadlines, idle keep-alive, late actors, lingering.
using tick = caf::atom_constant<caf::atom("tick")>;
/// A broker's socket changes have been applied by the multiplexer (see event_loop.hpp).
using settled = caf::atom_constant<caf::atom("settled")>;
/// A connection tells the acceptor it dropped a request past its deadline.
using dropped = caf::atom_constant<caf::atom("dropped")>;
/// A connection tells the acceptor it disconnected a stream's slow reader.
using slow = caf::atom_constant<caf::atom("slow")>;
/// A connection asks the acceptor for one of the `max-streams` slots.
using stream = caf::atom_constant<caf::atom("stream")>;

} // namespace gamelight::atom

namespace gamelight::http {

/// The front end's own figures for /metrics.
struct ingress_metrics {
  std::uint64_t open = 0;
  std::uint64_t accepted = 0;
  /// Connections closed at once because `max-connections` were open.
  std::uint64_t refused = 0;
  /// Connections closed because a request was not complete within `read-timeout`.
  std::uint64_t deadline_drops = 0;
  /// Streams whose reader fell more than `max_stream_unsent` bytes behind.
  std::uint64_t slow_stream_drops = 0;
  /// Streams open now (event and frame streams).
  std::uint64_t streams = 0;
  /// Streams that ended, whatever the reason (slow readers included).
  std::uint64_t streams_ended = 0;
  /// Streams refused because `max-streams` were open.
  std::uint64_t streams_refused = 0;
};

struct acceptor_state {
  static inline constexpr const char* name = "http-acceptor";

  std::shared_ptr<const context> ctx;
  std::unordered_set<caf::actor_addr> connections;
  /// The connections that hold a stream.
  std::unordered_set<caf::actor_addr> streams;
  ingress_metrics figures;
  /// The multiplexer polls the listening socket: its start was applied, so closing it
  /// now releases it (see event_loop.hpp).
  bool started = false;
  /// Set by an exit request: no more connections; quit once the last one is down.
  std::optional<caf::error> stopping;
};

/// Spawned with the doorman that the server opened (so `bind` can report the port).
caf::behavior acceptor(caf::io::stateful_broker<acceptor_state>* self,
                       std::shared_ptr<const context> ctx, caf::io::doorman_ptr doorman);

} // namespace gamelight::http

CAF_ALLOW_UNSAFE_MESSAGE_TYPE(gamelight::http::ingress_metrics)
