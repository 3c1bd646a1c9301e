#include "http/server.hpp"

#include "common/log.hpp"
#include "http/acceptor.hpp"
#include "http/routes.hpp"
#include "validation/validation.hpp"

#include <caf/actor_clock.hpp>
#include <caf/actor_system.hpp>
#include <caf/exit_reason.hpp>
#include <caf/io/doorman.hpp>
#include <caf/io/middleman.hpp>
#include <caf/io/network/multiplexer.hpp>
#include <caf/scoped_actor.hpp>
#include <caf/send.hpp>

namespace gamelight::http {

server::server(caf::actor_system& sys, server_options options, server_actors actors)
    : sys_(sys), options_(std::move(options)), actors_(std::move(actors)) {}

server::~server() {
  stop();
}

void server::add_routes(std::function<void(router<endpoint>&)> add) {
  extra_routes_.push_back(std::move(add));
}

std::optional<std::uint16_t> server::bind() {
  auto& mm = sys_.middleman();
  // SO_REUSEADDR only: a second daemon on the same port fails instead of sharing it.
  auto doorman = mm.backend().new_tcp_doorman(options_.port, options_.bind.c_str(), true);
  if (!doorman) {
    log::debug("http cannot listen on ", options_.bind, ":", options_.port, ": ",
               sys_.render(doorman.error()));
    return std::nullopt;
  }
  auto ctx = std::make_shared<context>();
  ctx->options = options_;
  ctx->actors = actors_;
  ctx->port = (*doorman)->port();
  ctx->openapi = validation::openapi_document(options_.version).dump();
  ctx->adapters = validation::adapters_document().dump();
  ctx->started = std::chrono::steady_clock::now();
  add_system_routes(ctx->routes, options_);
  add_integration_routes(ctx->routes, options_);
  add_ingestion_routes(ctx->routes, options_);
  add_device_routes(ctx->routes, options_);
  add_stream_routes(ctx->routes, options_);
  if (actors_.bus) {
    event_streams_options streams;
    streams.bus = actors_.bus;
    ctx->event_streams = streams_ = sys_.spawn(event_streams_io, std::move(streams));
  }
  add_ui_routes(ctx->routes, options_);
  for (auto& add : extra_routes_)
    add(ctx->routes);
  auto port = ctx->port;
  acceptor_ = mm.spawn_broker(acceptor, std::shared_ptr<const context>{std::move(ctx)},
                              std::move(*doorman));
  // The socket listens already: connections wait in its backlog until the acceptor runs,
  // and a stop before then waits for the acceptor's start (see acceptor.cpp).
  return port;
}

void server::stop() {
  if (!acceptor_)
    return;
  // Waits (this is the caller's thread, not an actor) until the acceptor and every
  // connection broker ended, so nothing of the front end outlives the server.
  caf::scoped_actor waiter{sys_};
  waiter->monitor(acceptor_);
  waiter->send_exit(acceptor_, caf::exit_reason::user_shutdown);
  bool ended = false;
  waiter->receive([&](const caf::down_msg&) { ended = true; },
                  caf::after(std::chrono::seconds{5}) >> [] {});
  if (!ended)
    log::warning("http front end did not stop within 5 s");
  acceptor_ = nullptr;
  if (streams_) {
    caf::anon_send_exit(streams_, caf::exit_reason::user_shutdown);
    streams_ = nullptr;
  }
}

void drop_pending_timers(caf::actor_system& sys) {
  sys.clock().cancel_all();
}

} // namespace gamelight::http
