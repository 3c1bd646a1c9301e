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

/// Builds the message for a payload: the body copied once into a padded buffer.
ingest_request make_request(const exchange& x) {
  ingest_request request;
  request.size = x.body.size();
  request.buffer.reserve(x.body.size() + parser_padding);
  request.buffer.assign(x.body);
  request.buffer.resize(x.body.size() + parser_padding, '\0');
  request.header_token = header_token(x.request);
  request.received = x.received;
  return request;
}

/// What waiting for an integration's answer gave.
enum class wait_result { answered, gone, timed_out };

/// Sends a payload to `receiver` (with the given routing arguments) and waits for
/// the answer. `gone` means the actor ended without answering.
template <class Handle, class... Ts>
wait_result send_payload(const context& ctx, const exchange& x, const Handle& receiver,
                         ingest_reply& answer, Ts&&... route) {
  auto request = make_request(x);
  auto slot = make_reply<ingest_reply>();
  auto future = slot->get_future();
  request.answer = std::move(slot);
  caf::anon_send(receiver, atom::ingest::value, std::forward<Ts>(route)..., std::move(request));
  if (future.wait_for(ctx.options.actor_timeout) != std::future_status::ready)
    return wait_result::timed_out;
  try {
    answer = future.get();
    return wait_result::answered;
  } catch (const std::future_error&) {
    return wait_result::gone;
  }
}

/// The hot path: hand the payload straight to its integration actor, found in the
/// registry's published directory, and wait for the actor's answer. An id missing
/// from the directory (unknown, or created a moment ago) or an actor that ended
/// meanwhile goes through the registry, which answers 404 or routes it.
void ingest(const context& ctx, exchange& x) {
  ingest_reply answer;
  auto result = wait_result::gone;
  auto directory = ctx.actors.directory->snapshot();
  if (auto i = directory->find(x.params[0]); i != directory->end())
    result = send_payload(ctx, x, i->second, answer);
  if (result == wait_result::gone)
    result = send_payload(ctx, x, ctx.actors.registry, answer, x.params[0]);
  if (result != wait_result::answered) {
    send_problem(x.response, problems::unavailable("the integration did not answer in time"));
    return;
  }
  x.response.status = answer.status;
  x.response.set_content(std::move(answer.body), "application/json");
}

} // namespace

void add_ingestion_routes(route_table& routes, const server_options& options) {
  endpoint ep{ingest, options.ingest_body_limit};
  ep.needs_key = false;
  ep.is_ingestion = true;
  routes.add("POST", "/api/v1/game-integrations/{id}/event", std::move(ep));
}

} // namespace gamelight::http
