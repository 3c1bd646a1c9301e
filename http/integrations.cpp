#include "adapters/games/game_adapter.hpp"
#include "http/crud.hpp"
#include "validation/validation.hpp"

namespace gamelight::http {

namespace {

constexpr const char* collection = "/api/v1/game-integrations";
constexpr const char* item = "/api/v1/game-integrations/{id}";

/// Parses `?enabled=`; FastAPI accepts only the two literals here.
std::optional<bool> parse_bool(const std::string& text) {
  if (text == "true")
    return true;
  if (text == "false")
    return false;
  return std::nullopt;
}

void list(const context& ctx, exchange& x) {
  integration_query query;
  auto& request = x.req;
  if (auto value = request.param("adapter_type"))
    query.adapter_type = *value;
  if (auto value = request.param("tag"))
    query.tag = *value;
  if (auto value = request.param("enabled")) {
    query.enabled = parse_bool(*value);
    if (!query.enabled) {
      x.respond(problem_response(
          problems::validation(json::array({"query", "enabled"}),
                               "Input should be a valid boolean, unable to interpret "
                               "input",
                               "bool_parsing")));
      return;
    }
  }
  ask_outcome(x, 200, ctx.actors.store, atom::list::value, atom::integ::value, query);
}

void status(const context& ctx, exchange& x) {
  ask_outcome(x, 200, ctx.actors.registry, atom::status::value, atom::integ::value, x.params[0]);
}

void events(const context& ctx, exchange& x) {
  auto limit = query_int(x, "limit", 1, 100, 50);
  if (!limit)
    return;
  ask_outcome(x, 200, ctx.actors.registry, atom::events::value, x.params[0],
              static_cast<std::size_t>(*limit));
}

/// Returns the base URL games post to: `public-url`, else the address the daemon
/// is bound to (for a wildcard bind, the Host the client used to reach it).
std::string base_url(const server_options& options, const request& req) {
  if (!options.public_url.empty()) {
    auto url = options.public_url;
    while (!url.empty() && url.back() == '/')
      url.pop_back();
    return url;
  }
  auto host = options.bind;
  bool wildcard = host == "0.0.0.0" || host == "::";
  if (auto host_header = req.header("Host"); wildcard && host_header != nullptr)
    return "http://" + *host_header;
  if (wildcard)
    host = "127.0.0.1";
  if (host.find(':') != std::string::npos)
    host = "[" + host + "]";
  return "http://" + host + ":" + std::to_string(req.local_port);
}

/// Answers the game's setup file for a stored integration.
response setup_file(const context& ctx, const request& req, const integration& found) {
  auto adapter = games::find_adapter(found.adapter_type);
  if (adapter == nullptr)
    return problem_response(problems::not_found("Game adapter not found"));
  games::setup_context setup;
  setup.integration_id = found.id;
  setup.integration_name = found.name;
  setup.event_url = base_url(ctx.options, req) + collection + "/" + found.id + "/event";
  setup.adapter_config = json::parse(found.adapter_config, nullptr, false);
  auto file = adapter->make_setup_file(setup);
  response result;
  result.set_header("Content-Disposition", "attachment; filename=\"" + file.filename + "\"");
  result.set_content(file.text, "text/plain; charset=utf-8");
  return result;
}

void setup(const context& ctx, exchange& x) {
  ask(
      x, ctx.actors.store,
      [&ctx, respond = x.respond, req = x.req](outcome<integration>& found) {
        respond(found ? setup_file(ctx, req, *found) : problem_response(found.error()));
      },
      atom::setup::value, x.params[0]);
}

/// Plays an event's mappings as an ingested event would, recording nothing.
void test(const context& ctx, exchange& x) {
  auto body = read_json_body(x);
  if (!body)
    return;
  auto event = validation::mapping_test_from_body(**body);
  if (!event) {
    x.respond(problem_response(event.error()));
    return;
  }
  ask_outcome(x, 202, ctx.actors.registry, atom::test::value, atom::integ::value, x.params[0],
              std::move(*event));
}

void adapters(const context& ctx, exchange& x) {
  response result;
  result.set_content(ctx.adapters, "application/json");
  x.respond(std::move(result));
}

} // namespace

void add_integration_routes(route_table& routes, const server_options& options) {
  auto limit = options.crud_body_limit;
  routes.add("GET", collection, endpoint{list});
  add_crud_routes<atom::integ>(routes, collection, limit);
  routes.add("GET", std::string{item} + "/status", endpoint{status});
  routes.add("GET", std::string{item} + "/events", endpoint{events});
  routes.add("GET", std::string{item} + "/setup", endpoint{setup});
  routes.add("POST", std::string{item} + "/test", endpoint{test, limit});
  routes.add("GET", "/api/v1/game-adapters", endpoint{adapters});
}

} // namespace gamelight::http
