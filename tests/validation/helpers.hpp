#pragma once

/// Shared helpers of the validation tests.

#include "common/json.hpp"
#include "common/problem.hpp"

#include <doctest/doctest.h>

#include <string>
#include <string_view>

namespace gamelight::validation::test {

/// Returns the 422 detail list of a failed outcome (fails the test otherwise).
template <class T>
json errors_of(const outcome<T>& x) {
  REQUIRE_FALSE(static_cast<bool>(x));
  REQUIRE(x.error().status == 422);
  REQUIRE(x.error().detail.is_array());
  for (const auto& e : x.error().detail) {
    CHECK(e.at("loc").is_array());
    CHECK(e.at("msg").is_string());
    CHECK(e.at("type").is_string());
  }
  return x.error().detail;
}

/// Returns whether `errors` lists an error at `loc` of `type`.
inline bool has_error(const json& errors, const json& loc, std::string_view type) {
  for (const auto& e : errors)
    if (e.at("loc") == loc && e.at("type") == type)
      return true;
  return false;
}

/// Checks that the outcome fails with exactly one error, at `loc`, of `type`.
template <class T>
void check_single_error(const outcome<T>& x, const json& loc, std::string_view type) {
  auto errors = errors_of(x);
  INFO(errors.dump());
  CHECK(errors.size() == 1);
  CHECK(has_error(errors, loc, type));
}

/// Parses JSON test text (the tests' own literals; never fails).
inline json j(std::string_view text) {
  return json::parse(text);
}

} // namespace gamelight::validation::test
