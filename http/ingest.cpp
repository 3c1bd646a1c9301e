#include "http/parser.hpp"
#include "http/routes.hpp"

namespace gamelight::http {

namespace {

/// Spare bytes after a payload that simdjson may read (SIMDJSON_PADDING); the
/// adapter copies the body when it finds less. The request parser reserved them, so
/// padding the body does not copy it.
constexpr std::size_t parser_padding = 64;
static_assert(parser_padding <= request_parser::body_spare);

/// Returns the token a generic game sends: `X-Game-Token` or `Authorization: Bearer`.
std::string header_token(const request& req) {
  if (auto token = req.header("X-Game-Token"))
    return *token;
  constexpr std::string_view bearer = "Bearer ";
  if (auto authorization = req.header("Authorization");
      authorization != nullptr
      && std::string_view{*authorization}.substr(0, bearer.size()) == bearer)
    return authorization->substr(bearer.size());
  return {};
}

/// Builds the message for a payload: the body moved, not copied, into a padded buffer.
ingest_request make_request(exchange& x) {
  ingest_request result;
  result.size = x.req.body.size();
  x.req.body.resize(result.size + parser_padding, '\0');
  result.buffer = std::make_shared<const std::string>(std::move(x.req.body));
  result.header_token = header_token(x.req);
  result.received = x.req.received;
  return result;
}

/// Answers with the integration's rendered reply.
response from_reply(ingest_reply& answer) {
  response result;
  result.status = answer.status;
  result.set_content(std::move(answer.body), "application/json");
  return result;
}

/// The hot path: hand the payload straight to its integration actor, found in the
/// registry's published directory. An id missing from the directory (unknown, or
/// created a moment ago) or an actor that ended meanwhile goes through the registry,
/// which answers 404 or routes it.
void ingest(const context& ctx, exchange& x) {
  auto payload = make_request(x);
  auto via_registry = [&ctx, &x](ingest_request payload) {
    ask(
        x, ctx.actors.registry,
        [respond = x.respond](ingest_reply& answer) { respond(from_reply(answer)); },
        atom::ingest::value, x.params[0], std::move(payload));
  };
  auto directory = ctx.actors.directory->snapshot();
  auto i = directory->find(x.params[0]);
  if (i == directory->end()) {
    via_registry(std::move(payload));
    return;
  }
  // The buffer is shared, so keeping the payload for a retry copies no body.
  auto retry = payload;
  x.self->request(i->second, caf::infinite, atom::ingest::value, std::move(payload))
      .then([respond = x.respond](ingest_reply& answer) { respond(from_reply(answer)); },
            [self = x.self, registry = ctx.actors.registry, respond = x.respond,
             id = std::move(x.params[0]), retry = std::move(retry)](caf::error&) mutable {
              self->request(registry, caf::infinite, atom::ingest::value, id, std::move(retry))
                  .then([respond](ingest_reply& answer) { respond(from_reply(answer)); },
                        [respond](caf::error&) { respond(no_answer()); });
            });
}

} // namespace

void add_ingestion_routes(route_table& routes, const server_options& options) {
  endpoint ep{ingest, options.ingest_body_limit};
  ep.needs_key = false;
  ep.is_ingestion = true;
  routes.add("POST", "/api/v1/game-integrations/{id}/event", std::move(ep));
}

} // namespace gamelight::http
