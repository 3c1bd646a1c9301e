#include "common/problem.hpp"

#include <doctest/doctest.h>

using namespace gamelight;

TEST_CASE("problems render FastAPI bodies") {
  CHECK_EQ(problems::not_found("Game integration not found").body().dump(),
           R"({"detail":"Game integration not found"})");
  CHECK_EQ(problems::too_large(65536).body().dump(),
           R"x({"detail":"payload too large (limit 65536 bytes)"})x");
  auto unauthorized = problems::unauthorized("invalid API key", true);
  CHECK_EQ(unauthorized.status, 401);
  REQUIRE_EQ(unauthorized.headers.size(), 1u);
  CHECK_EQ(unauthorized.headers[0].first, "WWW-Authenticate");
  auto unavailable = problems::unavailable("database error: disk I/O error");
  CHECK_EQ(unavailable.status, 503);
  CHECK_EQ(unavailable.body().dump(),
           R"({"detail":"service unavailable: database error: disk I/O error"})");
  CHECK_EQ(unavailable.headers,
           (std::vector<std::pair<std::string, std::string>>{{"Retry-After", "1"}}));
  CHECK_EQ(problems::internal("req-1").body().dump(),
           R"({"detail":"internal error","request_id":"req-1"})");
}

TEST_CASE("a validation problem lists every field") {
  std::vector<field_error> errors;
  errors.push_back({json::array({"body", "name"}), "Field required", "missing"});
  errors.push_back({json::array({"body", "event_mappings", 0, "color"}), "bad", "value_error"});
  auto p = problems::validation(std::move(errors));
  CHECK_EQ(p.status, 422);
  CHECK_EQ(
      p.body().dump(),
      R"({"detail":[{"loc":["body","name"],"msg":"Field required","type":"missing"},{"loc":["body","event_mappings",0,"color"],"msg":"bad","type":"value_error"}]})");
}

TEST_CASE("outcome holds a value or a problem") {
  outcome<int> good{42};
  REQUIRE(good);
  CHECK_EQ(*good, 42);
  outcome<int> bad{problems::conflict("taken")};
  REQUIRE_FALSE(bad);
  CHECK_EQ(bad.error().status, 409);
}
