#include "http/bridge.hpp"
#include "http/routes.hpp"

namespace gamelight::http {

namespace {

/// Spare bytes after a payload that simdjson may read (SIMDJSON_PADDING); the
/// adapter copies the body when it finds less.
constexpr std::size_t parser_padding = 64;

/// Returns the token a generic game sends: `X-Game-Token` or `Authorization: Bearer`.
std::string header_token(const httplib::Request& request) {
  if (request.has_header("X-Game-Token"))
    return request.get_header_value("X-Game-Token");
  auto authorization = request.get_header_value("Authorization");
  constexpr std::string_view bearer = "Bearer ";
  if (std::string_view{authorization}.substr(0, bearer.size()) == bearer)
    return authorization.substr(bearer.size());
  return {};
}

/// The hot path: copy the body once into a padded buffer, hand it to the registry
/// (which forwards it to the integration actor) and wait for the actor's answer.
void ingest(const context& ctx, exchange& x) {
  ingest_request request;
  auto& body = x.request.body;
  request.size = body.size();
  request.buffer.reserve(body.size() + parser_padding);
  request.buffer.assign(body);
  request.buffer.resize(body.size() + parser_padding, '\0');
  request.header_token = header_token(x.request);
  request.received = x.received;
  auto slot = make_reply<ingest_reply>();
  auto future = slot->get_future();
  request.answer = std::move(slot);
  caf::anon_send(ctx.actors.registry, atom::ingest::value, x.params[0], std::move(request));
  auto answer = wait_for(future, ctx.options.actor_timeout);
  if (!answer) {
    send_problem(x.response, problems::unavailable("the integration did not answer in time"));
    return;
  }
  x.response.status = answer->status;
  x.response.set_content(std::move(answer->body), "application/json");
}

} // namespace

void add_ingestion_routes(route_table& routes, const server_options& options) {
  endpoint ep{ingest, options.ingest_body_limit};
  ep.needs_key = false;
  ep.is_ingestion = true;
  routes.add("POST", "/api/v1/game-integrations/{id}/event", std::move(ep));
}

} // namespace gamelight::http
