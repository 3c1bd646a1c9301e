#include "common/security.hpp"

#include <doctest/doctest.h>

using namespace gamelight;

TEST_CASE("constant_time_equal compares exactly") {
  CHECK(constant_time_equal("wled-gsi-7f3c9a12e4b8", "wled-gsi-7f3c9a12e4b8"));
  CHECK_FALSE(constant_time_equal("wled-gsi-7f3c9a12e4b8", "wled-gsi-7f3c9a12e4b9"));
  CHECK_FALSE(constant_time_equal("abc", "abcd"));
  CHECK_FALSE(constant_time_equal("", "a"));
  CHECK(constant_time_equal("", ""));
}

TEST_CASE("make_id gives a prefix and 8 lowercase hex digits") {
  auto id = make_id("gi_");
  REQUIRE_EQ(id.size(), 11u);
  CHECK_EQ(id.substr(0, 3), "gi_");
  for (auto c : id.substr(3))
    CHECK(((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f')));
  CHECK_NE(make_id("gi_"), make_id("gi_"));
}
