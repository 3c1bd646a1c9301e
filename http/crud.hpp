#pragma once

/// The create, read, update and delete routes that integrations and devices share.
/// `Tag` (`atom::integ` or `atom::dev`) selects the store's handlers.

#include "http/bridge.hpp"
#include "http/routes.hpp"

#include <string>

namespace gamelight::http {

template <class Tag>
void add_crud_routes(route_table& routes, const std::string& collection, std::size_t body_limit) {
  auto item = collection + "/{id}";
  auto create = [collection](const context& ctx, exchange& x) {
    auto body = read_json_body(x);
    if (!body)
      return;
    auto created = call<json>(ctx.actors.store, ctx.options.actor_timeout, atom::create::value,
                              Tag::value, *body);
    if (created)
      x.response.set_header("Location",
                            collection + "/" + (*created)["id"].template get<std::string>());
    send_outcome(x.response, 201, created);
  };
  auto get_one = [](const context& ctx, exchange& x) {
    send_outcome(x.response, 200,
                 call<json>(ctx.actors.store, ctx.options.actor_timeout, atom::get::value,
                            Tag::value, x.params[0]));
  };
  auto update = [](const context& ctx, exchange& x) {
    auto body = read_json_body(x);
    if (!body)
      return;
    send_outcome(x.response, 200,
                 call<json>(ctx.actors.store, ctx.options.actor_timeout, atom::update::value,
                            Tag::value, x.params[0], *body));
  };
  auto remove = [](const context& ctx, exchange& x) {
    send_outcome(x.response, 204,
                 call<json>(ctx.actors.store, ctx.options.actor_timeout, atom::erase::value,
                            Tag::value, x.params[0]));
  };
  routes.add("POST", collection, endpoint{create, body_limit});
  routes.add("GET", item, endpoint{get_one});
  routes.add("PUT", item, endpoint{update, body_limit});
  routes.add("DELETE", item, endpoint{remove});
}

} // namespace gamelight::http
