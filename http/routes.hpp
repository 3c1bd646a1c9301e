#pragma once

/// The route table and what every handler gets.

#include "http/router.hpp"
#include "http/server.hpp"

#include <httplib.h>

#include <chrono>
#include <functional>
#include <string>

namespace gamelight::http {

/// Immutable data shared by every handler.
struct context {
  server_options options;
  server_actors actors;
  /// The body of GET /openapi.json, rendered once.
  std::string openapi;
  /// The body of GET /api/v1/game-adapters, rendered once.
  std::string adapters;
  std::chrono::steady_clock::time_point started;
};

/// One request on its way through a handler.
struct exchange {
  const httplib::Request& request;
  /// The request body, read within the route's limit.
  const std::string& body;
  httplib::Response& response;
  path_params params;
  /// When the worker started on the request.
  std::chrono::steady_clock::time_point received;
};

/// What a route does and needs.
struct endpoint {
  std::function<void(const context&, exchange&)> handle;
  /// Largest accepted body in bytes.
  std::size_t body_limit = 0;
  /// Whether the API key is required (when one is configured).
  bool needs_key = true;
  /// Whether a too-large body counts as a rejected payload of the integration.
  bool is_ingestion = false;
};

using route_table = router<endpoint>;

void add_integration_routes(route_table& routes, const server_options& options);
void add_ingestion_routes(route_table& routes, const server_options& options);
void add_device_routes(route_table& routes, const server_options& options);
void add_system_routes(route_table& routes, const server_options& options);

// -- response helpers ---------------------------------------------------------

/// Writes a JSON body.
void send_json(httplib::Response& response, int status, const json& body);

/// Writes a problem as its FastAPI body and headers.
void send_problem(httplib::Response& response, const problem& p);

/// Writes an outcome: the value with `status`, or the problem.
void send_outcome(httplib::Response& response, int status, const outcome<json>& x);

/// Parses the JSON body of a request; on failure writes the problem and returns nullopt.
std::optional<shared_json> read_json_body(exchange& x);

} // namespace gamelight::http
