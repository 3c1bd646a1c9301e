#include "http/routes.hpp"
#include "validation/validation.hpp"

namespace gamelight::http {

namespace {

constexpr const char* json_type = "application/json";

} // namespace

response json_response(int status, const json& body) {
  response result;
  result.status = status;
  result.set_content(body.dump(-1, ' ', false, json::error_handler_t::replace), json_type);
  return result;
}

response problem_response(const problem& p) {
  auto result = json_response(p.status, p.body());
  for (auto& [name, value] : p.headers)
    result.set_header(name, value);
  return result;
}

response outcome_response(int status, const outcome<json>& x) {
  if (!x)
    return problem_response(x.error());
  if (status == 204) {
    response result;
    result.status = 204;
    return result;
  }
  return json_response(status, *x);
}

response no_answer() {
  return problem_response(problems::unavailable("no answer from the daemon's components in time"));
}

std::optional<shared_json> read_json_body(exchange& x) {
  auto parsed = validation::parse_body(x.req.body);
  if (!parsed) {
    x.respond(problem_response(parsed.error()));
    return std::nullopt;
  }
  return std::make_shared<const json>(std::move(*parsed));
}

} // namespace gamelight::http
