#include "tests/validation/helpers.hpp"
#include "validation/validation.hpp"

#include <doctest/doctest.h>

#include <chrono>
#include <string>

using namespace gamelight;
using namespace gamelight::validation;
using gamelight::validation::test::j;

namespace {

std::string detail_text(const outcome<json>& x) {
  REQUIRE_FALSE(static_cast<bool>(x));
  REQUIRE(x.error().detail.is_string());
  return x.error().detail.get<std::string>();
}

std::string nested_arrays(std::size_t depth) {
  return std::string(depth, '[') + std::string(depth, ']');
}

std::string nested_objects(std::size_t depth) {
  std::string text;
  for (std::size_t i = 0; i < depth; ++i)
    text += "{\"a\":";
  text += "1";
  text += std::string(depth, '}');
  return text;
}

bool starts_with(const std::string& text, std::string_view prefix) {
  return text.compare(0, prefix.size(), prefix) == 0;
}

} // namespace

TEST_CASE("parse_body accepts JSON and keeps key order") {
  auto x = parse_body(R"({"b": 1, "a": [1, 2.5, "x", null, true], "c": {"z": 1, "y": 2}})");
  REQUIRE(x);
  CHECK(x->dump() == R"({"b":1,"a":[1,2.5,"x",null,true],"c":{"z":1,"y":2}})");
  // Scalars and arrays parse too: the caller decides what the route needs (422 then).
  CHECK(parse_body("42"));
  CHECK(parse_body("[]"));
  CHECK(parse_body(" \n{}\n "));
}

TEST_CASE("parse_body: empty body is 400") {
  for (std::string_view body : {"", " ", "\r\n\t "}) {
    auto x = parse_body(body);
    REQUIRE_FALSE(x);
    CHECK(x.error().status == 400);
    CHECK(detail_text(x) == "malformed JSON: empty body");
  }
}

TEST_CASE("parse_body: malformed JSON is 400 with what and where") {
  SUBCASE("unexpected token") {
    auto x = parse_body(R"({"a": })");
    REQUIRE_FALSE(x);
    CHECK(x.error().status == 400);
    auto text = detail_text(x);
    CHECK(starts_with(text, "malformed JSON: "));
    CHECK(text.find("line 1, column 7") != std::string::npos);
    CHECK(text.find("json.exception") == std::string::npos);
  }
  SUBCASE("position on a later line") {
    auto text = detail_text(parse_body("{\n  \"a\": 1,\n  }"));
    CHECK(text.find("line 3, column 3") != std::string::npos);
  }
  SUBCASE("truncated") {
    auto x = parse_body(R"({"name": "x", "tags": ["a")");
    REQUIRE_FALSE(x);
    CHECK(x.error().status == 400);
    CHECK(detail_text(x).find("end of input") != std::string::npos);
  }
  SUBCASE("trailing garbage") {
    auto x = parse_body("{} x");
    REQUIRE_FALSE(x);
    CHECK(x.error().status == 400);
  }
  SUBCASE("single quotes, comments, NaN are not JSON") {
    CHECK(parse_body("{'a': 1}").error().status == 400);
    CHECK(parse_body("{\"a\": 1} // c").error().status == 400);
    CHECK(parse_body("{\"a\": NaN}").error().status == 400);
    CHECK(parse_body("[1,]").error().status == 400);
  }
  SUBCASE("the offending text is not echoed (it may be a secret)") {
    auto text = detail_text(parse_body(R"({"token": "supersecret1)"));
    CHECK(text.find("supersecret1") == std::string::npos);
  }
}

TEST_CASE("parse_body: invalid UTF-8 is 400") {
  auto x = parse_body("{\"name\": \"a\xff\"}");
  REQUIRE_FALSE(x);
  CHECK(x.error().status == 400);
  auto text = detail_text(x);
  CHECK(text.find("invalid UTF-8") != std::string::npos);
  CHECK(text.find("byte 11") != std::string::npos);
  CHECK(text.find("line 1, column 12") != std::string::npos);
  // Outside a string too.
  CHECK(parse_body("{\"a\": 1}\xc3").error().status == 400);
}

TEST_CASE("find_invalid_utf8") {
  CHECK(find_invalid_utf8("") == std::string_view::npos);
  CHECK(find_invalid_utf8("plain ascii") == std::string_view::npos);
  CHECK(find_invalid_utf8("caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80") == std::string_view::npos);
  CHECK(find_invalid_utf8("ab\x80") == 2);           // stray continuation byte
  CHECK(find_invalid_utf8("\xc0\xaf") == 0);         // overlong '/'
  CHECK(find_invalid_utf8("\xe0\x80\xaf") == 0);     // overlong, 3 bytes
  CHECK(find_invalid_utf8("x\xed\xa0\x80") == 1);    // UTF-16 surrogate
  CHECK(find_invalid_utf8("\xf4\x90\x80\x80") == 0); // above U+10FFFF
  CHECK(find_invalid_utf8("\xf5\x80\x80\x80") == 0);
  CHECK(find_invalid_utf8("ok\xe2\x82") == 2);   // truncated sequence
  CHECK(find_invalid_utf8("\xe2\x28\xa1") == 0); // bad continuation
}

TEST_CASE("parse_body: escaped lone surrogates are refused") {
  CHECK(parse_body(R"({"a": "\ud800"})").error().status == 400);
  CHECK(parse_body(R"({"a": "\ud83d\ude00"})"));
}

TEST_CASE("parse_body: 64 levels pass, 65 are 422 too_deep") {
  CHECK(parse_body(nested_arrays(64)));
  CHECK(parse_body(nested_objects(64)));
  for (const auto& body : {nested_arrays(65), nested_objects(65)}) {
    auto x = parse_body(body);
    REQUIRE_FALSE(x);
    CHECK(x.error().status == 422);
    REQUIRE(x.error().detail.size() == 1);
    CHECK(x.error().detail[0]["loc"] == j(R"(["body"])"));
    CHECK(x.error().detail[0]["type"] == "too_deep");
  }
  // A custom limit.
  CHECK(parse_body(nested_arrays(3), 3));
  CHECK(parse_body(nested_arrays(4), 3).error().status == 422);
}

TEST_CASE("parse_body: 100 000 nested arrays are refused quickly without recursion") {
  auto start = std::chrono::steady_clock::now();
  auto closed = parse_body(nested_arrays(100000));
  auto open_only = parse_body(std::string(100000, '['));
  auto mixed = parse_body(std::string(50000, '[') + std::string(50000, '{'));
  auto elapsed = std::chrono::steady_clock::now() - start;
  CHECK(closed.error().status == 422);
  CHECK(open_only.error().status == 422);
  CHECK(mixed.error().status == 422);
  CHECK(elapsed < std::chrono::seconds{1});
}

TEST_CASE("nesting_exceeds skips strings and escapes") {
  CHECK_FALSE(nesting_exceeds("\"" + std::string(1000, '[') + "\"", 1));
  CHECK_FALSE(nesting_exceeds(R"(["\"[[[[", "\\", "{{{"])", 1));
  CHECK(nesting_exceeds(R"([["\\"]])", 1));
  CHECK_FALSE(nesting_exceeds("42", 0));
  CHECK(nesting_exceeds("[]", 0));
  // Unbalanced closers do not hide later depth.
  CHECK(nesting_exceeds("]]]]][[", 1));
  // A string with 100 000 brackets is fine as long as the nesting is.
  auto body = R"({"a": ")" + std::string(100000, '{') + R"("})";
  CHECK(parse_body(body));
}
