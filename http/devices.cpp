#include "http/crud.hpp"
#include "validation/validation.hpp"

namespace gamelight::http {

namespace {

constexpr const char* collection = "/api/v1/devices";
constexpr const char* item = "/api/v1/devices/{id}";

void list(const context& ctx, exchange& x) {
  send_outcome(
      x.response, 200,
      call<json>(ctx.actors.store, ctx.options.actor_timeout, atom::list::value, atom::dev::value));
}

void status(const context& ctx, exchange& x) {
  send_outcome(x.response, 200,
               call<json>(ctx.actors.registry, ctx.options.actor_timeout, atom::status::value,
                          atom::dev::value, x.params[0]));
}

/// Plays a 1 s white flash, or the effect described by the body.
void test(const context& ctx, exchange& x) {
  json body = nullptr;
  if (!x.body.empty()) {
    auto parsed = read_json_body(x);
    if (!parsed)
      return;
    body = **parsed;
  }
  auto mapping = validation::test_effect_from_body(body);
  if (!mapping) {
    send_problem(x.response, mapping.error());
    return;
  }
  game_event event;
  event.event_type = mapping->event_type;
  send_outcome(x.response, 202,
               call<json>(ctx.actors.registry, ctx.options.actor_timeout, atom::test::value,
                          x.params[0], led::make_effect(*mapping, event, "")));
}

} // namespace

void add_device_routes(route_table& routes, const server_options& options) {
  auto limit = options.crud_body_limit;
  routes.add("GET", collection, endpoint{list});
  add_crud_routes<atom::dev>(routes, collection, limit);
  routes.add("GET", std::string{item} + "/status", endpoint{status});
  routes.add("POST", std::string{item} + "/test", endpoint{test, limit});
}

} // namespace gamelight::http
