#include "http/bridge.hpp"
#include "http/routes.hpp"
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

void create(const context& ctx, exchange& x) {
  auto body = read_json_body(x);
  if (!body)
    return;
  auto created = call<json>(ctx.actors.store, ctx.options.actor_timeout, atom::create::value,
                            atom::dev::value, *body);
  if (created)
    x.response.set_header("Location",
                          std::string{collection} + "/" + (*created)["id"].get<std::string>());
  send_outcome(x.response, 201, created);
}

void get_one(const context& ctx, exchange& x) {
  send_outcome(x.response, 200,
               call<json>(ctx.actors.store, ctx.options.actor_timeout, atom::get::value,
                          atom::dev::value, x.params[0]));
}

void update(const context& ctx, exchange& x) {
  auto body = read_json_body(x);
  if (!body)
    return;
  send_outcome(x.response, 200,
               call<json>(ctx.actors.store, ctx.options.actor_timeout, atom::update::value,
                          atom::dev::value, x.params[0], *body));
}

void remove(const context& ctx, exchange& x) {
  send_outcome(x.response, 204,
               call<json>(ctx.actors.store, ctx.options.actor_timeout, atom::erase::value,
                          atom::dev::value, x.params[0]));
}

void status(const context& ctx, exchange& x) {
  send_outcome(x.response, 200,
               call<json>(ctx.actors.registry, ctx.options.actor_timeout, atom::status::value,
                          atom::dev::value, x.params[0]));
}

/// Plays a 1 s white flash, or the effect described by the body.
void test(const context& ctx, exchange& x) {
  json body = nullptr;
  if (!x.request.body.empty()) {
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
  routes.add("POST", collection, endpoint{create, limit});
  routes.add("GET", item, endpoint{get_one});
  routes.add("PUT", item, endpoint{update, limit});
  routes.add("DELETE", item, endpoint{remove});
  routes.add("GET", std::string{item} + "/status", endpoint{status});
  routes.add("POST", std::string{item} + "/test", endpoint{test, limit});
}

} // namespace gamelight::http
