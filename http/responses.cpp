#include "http/routes.hpp"
#include "validation/validation.hpp"

namespace gamelight::http {

namespace {

constexpr const char* json_type = "application/json";

} // namespace

void send_json(httplib::Response& response, int status, const json& body) {
  response.status = status;
  response.set_content(body.dump(-1, ' ', false, json::error_handler_t::replace), json_type);
}

void send_problem(httplib::Response& response, const problem& p) {
  for (auto& [name, value] : p.headers)
    response.set_header(name, value);
  send_json(response, p.status, p.body());
}

void send_outcome(httplib::Response& response, int status, const outcome<json>& x) {
  if (!x) {
    send_problem(response, x.error());
    return;
  }
  if (status == 204) {
    response.status = 204;
    return;
  }
  send_json(response, status, *x);
}

std::optional<shared_json> read_json_body(exchange& x) {
  auto parsed = validation::parse_body(x.body);
  if (!parsed) {
    send_problem(x.response, parsed.error());
    return std::nullopt;
  }
  return std::make_shared<const json>(std::move(*parsed));
}

} // namespace gamelight::http
