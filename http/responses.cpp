#include "http/routes.hpp"
#include "validation/validation.hpp"

#include <charconv>

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

std::optional<std::int64_t> query_int(exchange& x, const char* name, std::int64_t min,
                                      std::int64_t max, std::int64_t fallback) {
  auto param = x.req.param(name);
  if (param == nullptr)
    return fallback;
  const auto& text = *param;
  long long value = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  auto loc = json::array({"query", name});
  if (ec != std::errc{} || end != text.data() + text.size() || text.empty()) {
    x.respond(problem_response(problems::validation(
        loc, "Input should be a valid integer, unable to parse string as an integer",
        "int_parsing")));
    return std::nullopt;
  }
  if (value < min) {
    x.respond(problem_response(
        problems::validation(loc, "Input should be greater than or equal to " + std::to_string(min),
                             "greater_than_equal")));
    return std::nullopt;
  }
  if (value > max) {
    x.respond(problem_response(problems::validation(
        loc, "Input should be less than or equal to " + std::to_string(max), "less_than_equal")));
    return std::nullopt;
  }
  return static_cast<std::int64_t>(value);
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
