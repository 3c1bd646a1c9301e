#pragma once

/// The EVENT STREAMS actor: serves every open `GET /api/v1/events/stream`. It is one
/// subscriber of the event bus and renders each event's SSE text once. Streams with the
/// same filters form a group that shares one text per batch: an event is appended once
/// per group, not once per stream, and each member's connection writes the same bytes
/// (and drops a reader that falls 1 MiB behind). Ingestion never waits for it.

#include "actors/interfaces.hpp"
#include "actors/multiplexed.hpp"
#include "http/sse.hpp"

#include <caf/actor.hpp>
#include <caf/actor_clock.hpp>
#include <caf/allowed_unsafe_message_type.hpp>
#include <caf/typed_event_based_actor.hpp>

#include <chrono>
#include <cstdint>
#include <deque>
#include <list>
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
  /// many events; after a quiet spell the first event goes out at once.
  caf::timespan batch_interval = std::chrono::milliseconds{10};
  /// With many streams open the interval grows so that the streams' writes stay under
  /// this many a second in all (a write costs ~10 µs of kernel time here whatever its
  /// size): up to 10 streams every 10 ms, 50 streams every 50 ms.
  std::size_t writes_per_second = 1000;
  /// The bus the actor subscribes to when it starts.
  event_bus_actor bus;
};

/// One SSE text shared by every stream it goes to.
using shared_text = std::shared_ptr<const std::string>;

/// At most this many bytes wait for a group's (or a stream's) next write.
inline constexpr std::size_t max_batch_bytes = 256 * 1024;

/// The streams with the same filters (see `sse::event_filter::normalized`).
struct stream_group {
  sse::event_filter filter;
  /// The live messages for the members that share, since the last hand-out.
  std::string pending;
  /// Open streams with these filters, and how many of them share `pending`.
  std::size_t streams = 0;
  std::size_t sharing = 0;
};

/// One open event stream.
struct event_stream_client {
  caf::actor connection;
  /// Never null while the stream is open (the groups live in a list: stable addresses).
  stream_group* group = nullptr;
  /// Whether the stream takes its group's text. A new stream writes its own text (the
  /// preamble, the replay, the live messages after it opened) and joins at the next
  /// hand-out, once its replay is written and no live copy of a replayed event is due.
  bool shares = false;
  caf::actor_clock::time_point last_sent;
  /// Its own text not handed to the connection yet (see `shares`; pings too).
  std::string pending;
  /// While the `Last-Event-ID` replay is collected: the rings' answers still missing,
  /// the events they gave, and the live messages held back until the replay is out
  /// (with their event; null for a status).
  struct replay_state {
    std::size_t waiting = 0;
    std::uint64_t after = 0;
    std::vector<shared_bus_event> found;
    std::vector<std::pair<shared_bus_event, shared_text>> held;
  };
  std::optional<replay_state> replay;
  /// Per integration, the `seq`s (ascending) the replay wrote whose live copy may still
  /// come: an event recorded while the replay was collected reaches the stream twice,
  /// once each way. An integration's events come live in `seq` order, so a live event
  /// settles every older entry of its integration.
  std::unordered_map<std::string, std::deque<std::uint64_t>> replayed;
};

struct event_streams_state {
  static inline constexpr const char* name = "event-streams";

  event_streams_options options;
  std::list<stream_group> groups;
  std::unordered_map<caf::actor_addr, event_stream_client> clients;
  /// Streams that do not share their group's text yet.
  std::size_t solo = 0;
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
/// and an append per matching group.
using event_streams_io_actor
    = multiplexed<caf::stateful_actor<event_streams_state, event_streams_actor::base>>;

/// Spawnable behavior of the event streams actor on the multiplexer; what the server spawns.
event_streams_actor::behavior_type event_streams_io(event_streams_io_actor* self,
                                                    event_streams_options options);

} // namespace gamelight::http
