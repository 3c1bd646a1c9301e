#include "common/problem.hpp"

namespace gamelight {

json problem::body() const {
  json result = json::object();
  result["detail"] = detail;
  if (!request_id.empty())
    result["request_id"] = request_id;
  return result;
}

namespace problems {

namespace {

problem make(int status, json detail) {
  problem result;
  result.status = status;
  result.detail = std::move(detail);
  return result;
}

} // namespace

problem malformed_json(const std::string& what) {
  return make(400, "malformed JSON: " + what);
}

problem bad_request(std::string detail) {
  return make(400, std::move(detail));
}

problem unauthorized(std::string detail, bool www_authenticate) {
  auto result = make(401, std::move(detail));
  if (www_authenticate)
    result.headers.emplace_back("WWW-Authenticate", "Bearer");
  return result;
}

problem not_found(std::string detail) {
  return make(404, std::move(detail));
}

problem method_not_allowed() {
  return make(405, "Method Not Allowed");
}

problem conflict(std::string detail) {
  return make(409, std::move(detail));
}

problem too_large(std::size_t limit) {
  return make(413, "payload too large (limit " + std::to_string(limit) + " bytes)");
}

problem validation(std::vector<field_error> errors) {
  auto list = json::array();
  for (auto& e : errors) {
    json item = json::object();
    item["loc"] = std::move(e.loc);
    item["msg"] = std::move(e.msg);
    item["type"] = std::move(e.type);
    list.push_back(std::move(item));
  }
  return make(422, std::move(list));
}

problem validation(json loc, std::string msg, std::string type) {
  std::vector<field_error> errors;
  errors.push_back(field_error{std::move(loc), std::move(msg), std::move(type)});
  return validation(std::move(errors));
}

/// A 503 is a passing fault (a database write failed, the actors were too slow) that needs
/// no restart to clear, so the client is told to try again in a second.
problem unavailable(const std::string& why) {
  auto result = make(503, "service unavailable: " + why);
  result.headers.emplace_back("Retry-After", "1");
  return result;
}

problem internal(const std::string& request_id) {
  auto result = make(500, "internal error");
  result.request_id = request_id;
  return result;
}

} // namespace problems

} // namespace gamelight
