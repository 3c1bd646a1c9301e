#include "http/crud.hpp"
#include "validation/validation.hpp"

namespace gamelight::http {

namespace {

constexpr const char* collection = "/api/v1/devices";
constexpr const char* item = "/api/v1/devices/{id}";

void list(const context& ctx, exchange& x) {
  ask_outcome(x, 200, ctx.actors.store, atom::list::value, atom::dev::value);
}

void status(const context& ctx, exchange& x) {
  ask_outcome(x, 200, ctx.actors.registry, atom::status::value, atom::dev::value, x.params[0]);
}

/// Plays a 1 s white flash, or the effect described by the body.
void test(const context& ctx, exchange& x) {
  json body = nullptr;
  if (!x.req.body.empty()) {
    auto parsed = read_json_body(x);
    if (!parsed)
      return;
    body = **parsed;
  }
  auto mapping = validation::test_effect_from_body(body);
  if (!mapping) {
    x.respond(problem_response(mapping.error()));
    return;
  }
  game_event event;
  event.event_type = mapping->event_type;
  ask_outcome(x, 202, ctx.actors.registry, atom::test::value, x.params[0],
              led::make_effect(*mapping, event, ""));
}

/// Reads a WLED's name, version, LED count and MAC from its JSON API. The prober
/// answers 200 either way (`reachable` says which); only a bad body is refused.
void probe(const context& ctx, exchange& x) {
  auto body = read_json_body(x);
  if (!body)
    return;
  auto target = validation::probe_request_from_body(**body);
  if (!target) {
    x.respond(problem_response(target.error()));
    return;
  }
  if (!ctx.actors.prober) {
    x.respond(no_answer());
    return;
  }
  ask(
      x, ctx.actors.prober,
      [respond = x.respond](json& answer) { respond(json_response(200, answer)); },
      atom::probe::value, target->host, target->port);
}

} // namespace

void add_device_routes(route_table& routes, const server_options& options) {
  auto limit = options.crud_body_limit;
  routes.add("GET", collection, endpoint{list});
  routes.add("POST", std::string{collection} + "/probe", endpoint{probe, limit});
  add_crud_routes<atom::dev>(routes, collection, limit);
  routes.add("GET", std::string{item} + "/status", endpoint{status});
  routes.add("POST", std::string{item} + "/test", endpoint{test, limit});
}

} // namespace gamelight::http
