#pragma once

/// One connection broker per accepted connection: it parses the requests, routes
/// each to its handler, keeps the answers in request order (pipelining), writes them,
/// and enforces the limits of api.md: the whole-request deadline, the idle keep-alive
/// timeout, a 503 for an actor that does not answer in time, and backpressure (it
/// stops reading while it holds too many unanswered requests or unsent bytes).

#include "http/parser.hpp"
#include "http/routes.hpp"

#include <caf/io/broker.hpp>

#include <chrono>
#include <cstdint>
#include <deque>
#include <memory>
#include <optional>
#include <string>

namespace gamelight::http {

/// Bounds of one connection (documented in README's HTTP section).
namespace connection_limits {

/// Requests read ahead of their answers; more pauses reading (pipelining depth).
inline constexpr std::size_t max_in_flight = 32;
/// Answer bytes the daemon holds unsent for a slow reader; more pauses reading.
inline constexpr std::size_t max_unsent = 1024 * 1024;
/// A body nobody needs (an answer decided from the head) is read and dropped up to
/// this size to keep the connection in step; a larger one closes the connection.
inline constexpr std::size_t max_discarded_body = 64 * 1024;
/// After an answer that closes with input possibly unread, input is drained (not
/// kept) for this long or this many bytes, so the client reads its answer instead
/// of a reset.
inline constexpr std::chrono::milliseconds linger_time{2000};
inline constexpr std::size_t max_lingering_bytes = 8 * 1024 * 1024;
/// Bytes a stream's reader may leave unsent (held by the daemon, beyond the kernel's
/// buffers) before it is disconnected (api.md: 1 MiB).
inline constexpr std::size_t max_stream_unsent = 1024 * 1024;
/// Bytes asked of the socket per read. CAF keeps a buffer of this size per connection
/// for its whole life, so it is what an idle connection costs: 8 KiB holds a whole CS2
/// payload (2.5 KiB); an idle connection costs about 12 KB of RSS in all (64 KiB: 70 KB).
inline constexpr std::size_t read_size = 8 * 1024;
/// A connection that is closing while CAF still holds answer bytes for it waits this
/// long for its reader to take some; a reader that takes none is cut off (the socket
/// is reset and every buffer freed).
inline constexpr std::chrono::milliseconds max_write_stall{10000};

} // namespace connection_limits

/// A request whose answer has not been written yet.
struct pending_answer {
  std::uint64_t seq = 0;
  std::optional<response> answer;
  bool head_only = false;
  /// Close the connection once this answer is written.
  bool close_after = false;
  /// Drain input for a while before closing (the request's body was left unread).
  bool linger = false;
  std::chrono::steady_clock::time_point asked;
};

struct connection_state {
  static inline constexpr const char* name = "http-connection";

  enum class phase {
    /// Reading and serving requests.
    open,
    /// No more requests are read; the connection closes once its answers are written.
    closing,
    /// Answers written; draining input until the linger time ends.
    lingering,
    /// A streaming response's head is written; chunks go out as they arrive.
    streaming,
    /// Done, but CAF still holds answer bytes: closes once they are written, or resets
    /// the connection after `max_write_stall` without progress.
    flushing,
  };

  std::shared_ptr<const context> ctx;
  /// Weak: a connection must not keep the acceptor alive (see acceptor.cpp).
  caf::actor_addr acceptor;
  caf::io::connection_handle hdl;
  /// The socket itself: in CAF 0.17 a TCP connection handle's id is its descriptor.
  int fd = -1;
  /// Set once the socket is closed (by either side); the broker is ending.
  bool closed = false;
  std::unique_ptr<request_parser> parser;

  /// What the head of the request being parsed decided.
  struct verdict {
    /// The route's handler (routes outlive every connection), or null for a refusal.
    const handler_fn* route_handle = nullptr;
    /// The answer decided from the head alone, when `route_handle` is null.
    handler_fn refusal;
    path_params params;
    /// The route matched (for the 413 of a chunked body over its limit).
    const endpoint* route = nullptr;
    bool close_after = false;
    bool linger = false;

    [[nodiscard]] const handler_fn& handler() const noexcept {
      return route_handle != nullptr ? *route_handle : refusal;
    }
  } current;

  std::deque<pending_answer> queue;
  std::uint64_t next_seq = 0;
  /// Input read but not parsed yet, while reading is paused.
  std::string held_input;
  bool reading = true;
  /// A `halt` or `trigger` was issued and may not be applied yet (see `update_reading`).
  bool reading_change_pending = false;
  /// The socket is to be closed once the pending reading change is applied.
  bool close_deferred = false;
  phase stage = phase::open;
  /// Whether CAF holds answer bytes of this connection (the kernel did not take them
  /// at once): until its acknowledgements say they are written, writes go through CAF
  /// to keep their order; otherwise they go straight to the socket.
  bool caf_holds_output = false;
  /// Answer bytes CAF holds (as its last write acknowledgement said).
  std::size_t unsent = 0;
  /// When CAF last reported progress writing (for `max_write_stall`).
  std::chrono::steady_clock::time_point write_progress;
  std::chrono::steady_clock::time_point request_started;
  std::chrono::steady_clock::time_point last_activity;
  std::chrono::steady_clock::time_point linger_until;
  std::size_t lingered_bytes = 0;
  bool timer_armed = false;
  /// Chunks that arrived before the stream's head could be written.
  std::string stream_backlog;
  /// The stream's producer said `done` before its head was written.
  bool stream_done = false;
  /// Reused for serializing answers.
  std::string out;
};

using connection_broker = caf::io::stateful_broker<connection_state>*;

/// The behaviour of a forked connection broker.
caf::behavior connection(connection_broker self, caf::io::connection_handle hdl,
                         std::shared_ptr<const context> ctx, caf::actor_addr acceptor);

} // namespace gamelight::http
