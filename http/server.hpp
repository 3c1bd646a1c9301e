#pragma once

/// The HTTP front end: brokers on CAF's network layer (an acceptor and one broker per
/// connection, all on the middleman's event loop), the route table, limits, API key
/// checks and FastAPI-shaped errors. Handlers ask the owning actors and answer when
/// the reply message arrives; no thread waits for an actor.

#include "actors/directory.hpp"
#include "actors/interfaces.hpp"
#include "http/event_streams.hpp"
#include "http/router.hpp"

#include <caf/actor.hpp>
#include <caf/fwd.hpp>

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace gamelight::http {

struct endpoint;

/// Everything the server needs to know, read from the daemon's options.
struct server_options {
  std::string bind = "127.0.0.1";
  /// 0 picks a free port.
  std::uint16_t port = 8420;
  /// Most connections open at once; beyond, new ones are accepted and closed at once.
  std::size_t max_connections = 16384;
  /// Most event and frame streams open at once; beyond, 503 with `Retry-After`.
  std::size_t max_streams = 64;
  /// Empty: no key (then only a loopback bind is allowed).
  std::string api_key;
  /// Base URL games use to reach the daemon, e.g. "http://192.168.1.10:8420";
  /// empty: derived from the bind address and port.
  std::string public_url;
  std::size_t crud_body_limit = 64 * 1024;
  std::size_t ingest_body_limit = 1024 * 1024;
  std::size_t restore_body_limit = 64 * 1024 * 1024;
  /// How long a request waits for an actor's answer before the connection answers 503.
  std::chrono::milliseconds actor_timeout{5000};
  /// An idle keep-alive connection closes after this long.
  std::chrono::seconds keep_alive_timeout{5};
  /// A request not fully received this long after its first byte is dropped.
  std::chrono::seconds read_timeout{5};
  std::string version;
};

/// The actors the server talks to.
struct server_actors {
  store_actor store;
  registry_actor registry;
  /// The registry's published integration actors, for routing payloads directly.
  std::shared_ptr<const integration_directory> directory;
  /// Reads a WLED's facts (POST /api/v1/devices/probe); without one the route is 503.
  prober_actor prober;
  /// Where recorded events and `connected` flips come from (the event streams); without
  /// one `GET /api/v1/events/stream` is 503.
  event_bus_actor bus;
};

/// The HTTP server. Construct with an actor system that loaded the middleman
/// (`cfg.load<caf::io::middleman>()`), `bind`, and `stop` when done.
class server {
public:
  server(caf::actor_system& sys, server_options options, server_actors actors);
  ~server();

  server(const server&) = delete;
  server& operator=(const server&) = delete;

  /// Adds routes of features that live outside http/ (and of tests); call before `bind`.
  void add_routes(std::function<void(router<endpoint>&)> add);

  /// Opens the listening socket and starts accepting; returns the bound port, or
  /// nullopt when the address is in use or not available.
  [[nodiscard]] std::optional<std::uint16_t> bind();

  /// Stops accepting and ends every connection.
  void stop();

private:
  caf::actor_system& sys_;
  server_options options_;
  server_actors actors_;
  std::vector<std::function<void(router<endpoint>&)>> extra_routes_;
  caf::actor acceptor_;
  /// The event streams actor (when there is an event bus).
  event_streams_actor streams_;
};

/// Drops every timer still pending in the actor system (a connection's deadline timer
/// holds a reference to its broker until it fires, up to `keep-alive-timeout` later).
/// Call once the server stopped and the actors are told to exit, right before the
/// system ends: CAF 0.17.6 does not free pending timers when the system shuts down.
void drop_pending_timers(caf::actor_system& sys);

} // namespace gamelight::http
