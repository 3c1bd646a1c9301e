#pragma once

/// The HTTP front end: cpp-httplib's worker threads, the route table, limits, API key
/// checks and FastAPI-shaped errors. Handlers reach the actors only through bridge.hpp.

#include "actors/directory.hpp"
#include "actors/interfaces.hpp"

#include <caf/fwd.hpp>

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>

namespace gamelight::http {

/// Everything the server needs to know, read from the daemon's options.
struct server_options {
  std::string bind = "127.0.0.1";
  /// 0 picks a free port.
  std::uint16_t port = 8420;
  /// Worker threads kept ready; each open connection holds one.
  std::size_t threads = 16;
  /// Most connections served at once (one thread each); more wait for a worker.
  std::size_t max_connections = 1024;
  /// Empty: no key (then only a loopback bind is allowed).
  std::string api_key;
  /// Base URL games use to reach the daemon, e.g. "http://192.168.1.10:8420";
  /// empty: derived from the bind address and port.
  std::string public_url;
  std::size_t crud_body_limit = 64 * 1024;
  std::size_t ingest_body_limit = 1024 * 1024;
  std::size_t restore_body_limit = 64 * 1024 * 1024;
  /// How long a worker waits for an actor's answer before answering 503.
  std::chrono::milliseconds actor_timeout{5000};
  std::chrono::seconds keep_alive_timeout{5};
  std::size_t keep_alive_max_requests = 100000;
  std::chrono::seconds read_timeout{5};
  std::string version;
};

/// The actors the server talks to.
struct server_actors {
  store_actor store;
  registry_actor registry;
  /// The registry's published integration actors, for routing payloads directly.
  std::shared_ptr<const integration_directory> directory;
};

/// The HTTP server. Construct, `bind`, then `run` on a thread; `stop` from another.
class server {
public:
  server(server_options options, server_actors actors);
  ~server();

  server(const server&) = delete;
  server& operator=(const server&) = delete;

  /// Binds the listening socket; returns the bound port, or nullopt on failure.
  [[nodiscard]] std::optional<std::uint16_t> bind();

  /// Serves requests until `stop`; returns once every worker has finished.
  bool run();

  /// Returns whether `run` is accepting connections.
  [[nodiscard]] bool running() const;

  /// Blocks until `run` accepts connections (a `stop` before that would be lost).
  void wait_until_running() const;

  /// Stops accepting and lets in-flight requests finish.
  void stop();

private:
  struct impl;
  std::unique_ptr<impl> impl_;
};

} // namespace gamelight::http
