#pragma once

/// The EVENT STREAMS actor: serves every open `GET /api/v1/events/stream`. It is one
/// subscriber of the event bus, renders each event's SSE text once and hands it to the
/// connection of every stream whose filters match; the connections write it (and drop
/// a reader that falls 1 MiB behind). Ingestion never waits for it.

#include "actors/interfaces.hpp"
#include "actors/multiplexed.hpp"
#include "http/sse.hpp"

#include <caf/actor.hpp>
#include <caf/actor_clock.hpp>
#include <caf/allowed_unsafe_message_type.hpp>
#include <caf/typed_event_based_actor.hpp>

#include <chrono>
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

namespace gamelight::atom {

/// Opens an event stream on a connection.
using open = caf::atom_constant<caf::atom("open")>;
/// The streams' keep-alive timer.
using ping = caf::atom_constant<caf::atom("ping")>;

} // namespace gamelight::atom

namespace gamelight::http {

/// What a new event stream needs.
struct event_stream_request {
  /// The connection broker that holds the stream's head.
  caf::actor connection;
  sse::event_filter filter;
  /// `Last-Event-ID`: replay the rings' events after it first.
  std::optional<std::uint64_t> last_event_id;
  /// The integrations whose rings the replay reads (those of the filter, or all).
  std::vector<integration_actor> sources;
};

} // namespace gamelight::http

CAF_ALLOW_UNSAFE_MESSAGE_TYPE(gamelight::http::event_stream_request)

namespace gamelight::http {

using event_streams_actor = event_subscriber_actor::extend<
    // Starts a stream: `retry`, the replay when asked for, then live events.
    caf::reacts_to<atom::open, event_stream_request>,
    // INTERNAL: sends `: ping` to every stream that was quiet for `ping_interval`.
    caf::reacts_to<atom::ping>,
    // INTERNAL: hands every stream's pending text to its connection.
    caf::reacts_to<atom::flush>>;

struct event_streams_options {
  /// A stream that sent nothing for this long gets a `: ping` comment.
  caf::timespan ping_interval = std::chrono::seconds{15};
  /// Text is handed to the connections at most this often: under load one write carries
  /// many events (a message and a system call per event and reader cost 4 µs); after a
  /// quiet spell the first event goes out at once.
  caf::timespan batch_interval = std::chrono::milliseconds{10};
  /// The bus the actor subscribes to when it starts.
  event_bus_actor bus;
};

/// One SSE text shared by every stream it goes to.
using shared_text = std::shared_ptr<const std::string>;

/// At most this many bytes wait for a stream's next write (see `event_stream_client`).
inline constexpr std::size_t max_batch_bytes = 16 * 1024;

/// One open event stream.
struct event_stream_client {
  caf::actor connection;
  sse::event_filter filter;
  caf::actor_clock::time_point last_sent;
  /// Text not handed to the connection yet (see `batch_interval`), at most
  /// `max_batch_bytes`.
  std::string pending;
  /// While the `Last-Event-ID` replay is collected: the rings' answers still missing,
  /// the events they gave, and the live messages held back until the replay is out
  /// (with their `seq`; 0 for a status).
  struct replay_state {
    std::size_t waiting = 0;
    std::uint64_t after = 0;
    std::vector<shared_bus_event> found;
    std::vector<std::pair<std::uint64_t, shared_text>> held;
  };
  std::optional<replay_state> replay;
  /// The `seq`s the replay wrote whose live copy has not come by yet (sorted): an event
  /// recorded while the replay was collected reaches the stream twice, once each way.
  std::vector<std::uint64_t> replayed;
};

struct event_streams_state {
  static inline constexpr const char* name = "event-streams";

  event_streams_options options;
  std::unordered_map<caf::actor_addr, event_stream_client> clients;
  /// `connected` of every integration as last published, to tell flips apart.
  std::map<std::string, bool, std::less<>> connected;
  /// Whether a ping check is scheduled.
  bool ping_pending = false;
  /// Whether some stream has `pending` text.
  bool dirty = false;
  /// When the pending text was last handed out, and whether a flush is scheduled.
  std::optional<caf::actor_clock::time_point> last_flush;
  bool flush_pending = false;
};

/// Spawnable behavior of the event streams actor.
event_streams_actor::behavior_type
event_streams(event_streams_actor::stateful_pointer<event_streams_state> self,
              event_streams_options options);

/// The event streams actor scheduled on the multiplexer (see `multiplexed`), with the
/// bus that feeds it and the connection brokers it writes to: an event reaches its
/// streams' sockets without waking a scheduler worker. Its work per event is a render
/// and an append per matching stream.
using event_streams_io_actor
    = multiplexed<caf::stateful_actor<event_streams_state, event_streams_actor::base>>;

/// Spawnable behavior of the event streams actor on the multiplexer; what the server spawns.
event_streams_actor::behavior_type event_streams_io(event_streams_io_actor* self,
                                                    event_streams_options options);

} // namespace gamelight::http
