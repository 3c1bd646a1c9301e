#pragma once

/// The create, read, update and delete routes that integrations and devices share.
/// `Tag` (`atom::integ` or `atom::dev`) selects the store's handlers.

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
    ask(
        x, ctx.actors.store,
        [respond = x.respond, collection](outcome<json>& created) {
          auto answer = outcome_response(201, created);
          if (created)
            answer.set_header("Location",
                              collection + "/" + (*created)["id"].template get<std::string>());
          respond(std::move(answer));
        },
        atom::create::value, Tag::value, *body);
  };
  auto get_one = [](const context& ctx, exchange& x) {
    ask_outcome(x, 200, ctx.actors.store, atom::get::value, Tag::value, x.params[0]);
  };
  auto update = [](const context& ctx, exchange& x) {
    auto body = read_json_body(x);
    if (!body)
      return;
    ask_outcome(x, 200, ctx.actors.store, atom::update::value, Tag::value, x.params[0], *body);
  };
  auto remove = [](const context& ctx, exchange& x) {
    ask_outcome(x, 204, ctx.actors.store, atom::erase::value, Tag::value, x.params[0]);
  };
  routes.add("POST", collection, endpoint{create, body_limit});
  routes.add("GET", item, endpoint{get_one});
  routes.add("PUT", item, endpoint{update, body_limit});
  routes.add("DELETE", item, endpoint{remove});
}

} // namespace gamelight::http
