#pragma once

/// The route table and what every handler gets. Handlers run on the connection's
/// broker; they never block: they answer at once, or ask an actor and answer when its
/// reply arrives (see `ask`).

#include "actors/interfaces.hpp"
#include "common/problem.hpp"
#include "http/event_streams.hpp"
#include "http/message.hpp"
#include "http/router.hpp"
#include "http/server.hpp"

#include <caf/io/broker.hpp>

#include <chrono>
#include <functional>
#include <optional>
#include <string>
#include <utility>

namespace gamelight::atom {

/// Data for a streaming response, sent to the connection that holds the stream.
using chunk = caf::atom_constant<caf::atom("chunk")>;
/// Ends a streaming response (and its connection) once what came before is written.
using done = caf::atom_constant<caf::atom("done")>;

} // namespace gamelight::atom

namespace gamelight::http {

struct context;
struct exchange;

using handler_fn = std::function<void(const context&, exchange&)>;

/// What a route does and needs.
struct endpoint {
  handler_fn handle;
  /// Largest accepted body in bytes.
  std::size_t body_limit = 0;
  /// Whether the API key is required (when one is configured).
  bool needs_key = true;
  /// Whether a too-large body counts as a rejected payload of the integration.
  bool is_ingestion = false;
};

using route_table = router<endpoint>;

/// Returns an endpoint served without the API key (health, metrics, the dashboard).
[[nodiscard]] inline endpoint open_endpoint(handler_fn handle) {
  endpoint result{std::move(handle)};
  result.needs_key = false;
  return result;
}

/// Immutable data shared by every connection.
struct context {
  server_options options;
  server_actors actors;
  route_table routes;
  /// The port the server listens on.
  std::uint16_t port = 0;
  /// Serves the event streams; null without an event bus.
  event_streams_actor event_streams;
  /// The body of GET /openapi.json, rendered once.
  std::string openapi;
  /// The body of GET /api/v1/game-adapters, rendered once.
  std::string adapters;
  std::chrono::steady_clock::time_point started;
};

/// Puts the answer to one request in its place in the connection's queue. Only the
/// first call counts (a late actor reply after a 503 is dropped).
using responder = std::function<void(response)>;

/// One request on its way through a handler.
///
/// Streaming: a handler answers with a `response` whose `stream` is set, and gives
/// `caf::actor_cast<caf::actor>(x.self)` to whoever produces the data (a publisher
/// actor). That actor sends `(atom::chunk, std::string)` messages to the connection (or
/// `(atom::chunk, std::shared_ptr<const std::string>)` for a text that several streams
/// write), which writes each as it arrives (kept in order behind the head), and
/// `(atom::done)` to end. A reader that lets more than `max_stream_unsent` bytes pile
/// up is disconnected; the connection's exit tells monitors the stream ended.
struct exchange {
  request req;
  path_params params;
  /// The connection's broker: the actor that sends requests and gets their replies.
  caf::io::broker* self = nullptr;
  /// The acceptor broker (for the front end's own figures in /metrics); weak, and
  /// valid while the handler runs.
  const caf::actor_addr* acceptor = nullptr;
  responder respond;
};

void add_integration_routes(route_table& routes, const server_options& options);
void add_ingestion_routes(route_table& routes, const server_options& options);
void add_device_routes(route_table& routes, const server_options& options);
void add_system_routes(route_table& routes, const server_options& options);
void add_stream_routes(route_table& routes, const server_options& options);
/// `GET /` and `GET /ui/{file}`: the dashboard, served from the binary without the key.
void add_ui_routes(route_table& routes, const server_options& options);

// -- response helpers ---------------------------------------------------------

/// Returns a JSON response.
[[nodiscard]] response json_response(int status, const json& body);

/// Returns a problem as its FastAPI body and headers.
[[nodiscard]] response problem_response(const problem& p);

/// Returns an outcome: the value with `status`, or the problem.
[[nodiscard]] response outcome_response(int status, const outcome<json>& x);

/// Parses the JSON body of a request; on failure answers the problem and returns nullopt.
std::optional<shared_json> read_json_body(exchange& x);

/// The 503 of a request whose actor ended without answering.
[[nodiscard]] response no_answer();

/// Reads an optional integer query parameter within [min, max]; on a bad value answers
/// FastAPI's 422 and returns nullopt. Absent: `fallback`.
std::optional<std::int64_t> query_int(exchange& x, const char* name, std::int64_t min,
                                      std::int64_t max, std::int64_t fallback);

/// Asks `whom` and calls `on_reply` with its answer on this connection's broker. An
/// actor that ends without answering becomes a 503. The connection answers 503 itself
/// for a request still unanswered after `actor-timeout`.
template <class Handle, class OnReply, class... Ts>
void ask(exchange& x, const Handle& whom, OnReply on_reply, Ts&&... xs) {
  x.self->request(whom, caf::infinite, std::forward<Ts>(xs)...)
      .then(std::move(on_reply), [respond = x.respond](caf::error&) { respond(no_answer()); });
}

/// Asks `whom` for an `outcome<json>` and answers it with `status`.
template <class Handle, class... Ts>
void ask_outcome(exchange& x, int status, const Handle& whom, Ts&&... xs) {
  ask(
      x, whom,
      [respond = x.respond, status](outcome<json>& answer) {
        respond(outcome_response(status, answer));
      },
      std::forward<Ts>(xs)...);
}

} // namespace gamelight::http
