/// The request parser adapter on its own: any split of the bytes, pipelining, chunked
/// bodies with extensions and trailers, and the limits of api.md.

#include "http/parser.hpp"

#include <doctest/doctest.h>

#include <string>
#include <vector>

using namespace gamelight::http;

namespace {

/// Feeds `input` in pieces of the given sizes (the rest in one piece) and collects
/// the complete requests, stopping at the first status that ends parsing.
struct run_result {
  std::vector<request> requests;
  parse_status last = parse_status::need_more;
  std::vector<std::string> heads_decided;
};

run_result feed_all(const std::string& input, std::vector<std::size_t> pieces,
                    std::size_t body_limit = 1024 * 1024) {
  run_result result;
  request_parser parser{[&](const head_info& info) {
    result.heads_decided.push_back(info.head.method + " " + info.head.path);
    return head_decision{body_limit, false, false};
  }};
  std::size_t at = 0;
  std::size_t piece = 0;
  while (at < input.size()) {
    auto size = piece < pieces.size() ? pieces[piece++] : input.size() - at;
    size = std::min(size, input.size() - at);
    auto data = input.data() + at;
    at += size;
    while (size > 0) {
      auto [status, consumed] = parser.feed(data, size);
      data += consumed;
      size -= consumed;
      result.last = status;
      if (status == parse_status::complete) {
        result.requests.push_back(parser.take());
        continue;
      }
      if (status != parse_status::need_more)
        return result;
      REQUIRE(size == 0);
    }
  }
  return result;
}

const std::string three_pipelined
    = "GET /api/v1/health HTTP/1.1\r\nHost: x\r\n\r\n"
      "POST /api/v1/game-integrations/gi_1/event?a=1&b=two%20words HTTP/1.1\r\nHost: x\r\n"
      "Content-Length: 11\r\nX-Game-Token: t0k\r\n\r\n{\"a\": true}"
      "PUT /api/v1/devices/dev_%41 HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n"
      "3;ext=1\r\n{\"a\r\n5\r\n\": 1}\r\n0\r\nX-Trailer: yes\r\n\r\n";

void check_three(const run_result& r) {
  REQUIRE(r.requests.size() == 3);
  CHECK(r.requests[0].method == "GET");
  CHECK(r.requests[0].path == "/api/v1/health");
  CHECK(r.requests[0].body.empty());
  CHECK(r.requests[0].keep_alive);
  CHECK(r.requests[1].method == "POST");
  CHECK(r.requests[1].target == "/api/v1/game-integrations/gi_1/event?a=1&b=two%20words");
  CHECK(r.requests[1].path == "/api/v1/game-integrations/gi_1/event");
  REQUIRE(r.requests[1].query.size() == 2);
  CHECK(*r.requests[1].param("b") == "two words");
  CHECK(*r.requests[1].header("x-game-token") == "t0k");
  CHECK(r.requests[1].body == R"({"a": true})");
  CHECK(r.requests[2].method == "PUT");
  CHECK(r.requests[2].path == "/api/v1/devices/dev_A");
  CHECK(r.requests[2].body == R"({"a": 1})");
  // Trailers are read and dropped; they are not headers.
  CHECK(r.requests[2].header("X-Trailer") == nullptr);
  CHECK(r.heads_decided
        == std::vector<std::string>{"GET /api/v1/health",
                                    "POST /api/v1/game-integrations/gi_1/event",
                                    "PUT /api/v1/devices/dev_A"});
}

} // namespace

TEST_CASE("parser: three pipelined requests in one piece") {
  auto r = feed_all(three_pipelined, {});
  check_three(r);
  CHECK(r.last == parse_status::complete);
}

TEST_CASE("parser: pipelined requests split at every byte boundary") {
  for (std::size_t split = 1; split < three_pipelined.size(); ++split) {
    CAPTURE(split);
    check_three(feed_all(three_pipelined, {split}));
  }
}

TEST_CASE("parser: pipelined requests fed one byte at a time") {
  std::vector<std::size_t> ones(three_pipelined.size(), 1);
  check_three(feed_all(three_pipelined, ones));
}

TEST_CASE("parser: 100 headers pass, 101 are refused") {
  auto with = [](int headers) {
    std::string text = "GET / HTTP/1.1\r\n";
    for (int i = 0; i < headers; ++i)
      text += "X-H" + std::to_string(i) + ": v\r\n";
    return text + "\r\n";
  };
  auto ok = feed_all(with(100), {});
  REQUIRE(ok.requests.size() == 1);
  CHECK(ok.requests[0].headers.size() == 100);
  CHECK(feed_all(with(101), {}).last == parse_status::too_many_headers);
  // The count holds however the header lines are split.
  CHECK(feed_all(with(101), {7, 3, 1, 50}).last == parse_status::too_many_headers);
}

TEST_CASE("parser: a line over 8 KiB is refused, one just within passes") {
  // "X-Long: " + value must stay within 8192 bytes with its CRLF.
  std::string name = "X-Long";
  auto header_line = [&](std::size_t value_size) {
    return "GET / HTTP/1.1\r\n" + name + ": " + std::string(value_size, 'v') + "\r\n\r\n";
  };
  auto fits = request_parser::max_line - name.size() - 2;
  auto ok = feed_all(header_line(fits), {});
  REQUIRE(ok.requests.size() == 1);
  CHECK(ok.requests[0].header("x-long")->size() == fits);
  CHECK(feed_all(header_line(fits + 1), {}).last == parse_status::line_too_long);
  CHECK(feed_all(header_line(fits + 1), {100, 100}).last == parse_status::line_too_long);
  auto long_target = "GET /" + std::string(request_parser::max_line, 'a') + " HTTP/1.1\r\n\r\n";
  CHECK(feed_all(long_target, {}).last == parse_status::line_too_long);
}

TEST_CASE("parser: a chunked body stops at the limit") {
  std::string head = "POST /x HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n";
  std::string body = "a\r\n0123456789\r\na\r\n0123456789\r\n0\r\n\r\n";
  auto within = feed_all(head + body, {}, 20);
  REQUIRE(within.requests.size() == 1);
  CHECK(within.requests[0].body == "01234567890123456789");
  CHECK(feed_all(head + body, {}, 19).last == parse_status::body_too_large);
}

TEST_CASE("parser: a Content-Length over the limit is refused before any body byte") {
  auto r = feed_all("POST /x HTTP/1.1\r\nContent-Length: 21\r\n\r\n", {}, 20);
  CHECK(r.last == parse_status::body_too_large);
  CHECK(r.heads_decided.size() == 1);
}

TEST_CASE("parser: a head decision can drop the body or stop") {
  std::string input = "POST /a HTTP/1.1\r\nContent-Length: 5\r\n\r\nhello"
                      "GET /b HTTP/1.1\r\n\r\n";
  bool first = true;
  request_parser dropping{[&](const head_info&) {
    auto decision = head_decision{100, first, false};
    first = false;
    return decision;
  }};
  auto [status, consumed] = dropping.feed(input.data(), input.size());
  REQUIRE(status == parse_status::complete);
  CHECK(dropping.body_discarded());
  CHECK(dropping.take().body.empty());
  auto [next, rest] = dropping.feed(input.data() + consumed, input.size() - consumed);
  REQUIRE(next == parse_status::complete);
  CHECK(consumed + rest == input.size());
  CHECK(dropping.take().path == "/b");

  request_parser stopping{[](const head_info& info) {
    CHECK(info.content_length == 5);
    CHECK_FALSE(info.chunked);
    return head_decision{0, false, true};
  }};
  CHECK(stopping.feed(input.data(), input.size()).first == parse_status::stopped);
  CHECK(stopping.current().path == "/a");
}

TEST_CASE("parser: keep-alive, Connection: close and HTTP/1.0") {
  auto r = feed_all("GET / HTTP/1.1\r\nConnection: close\r\n\r\n"
                    "GET / HTTP/1.0\r\n\r\n",
                    {});
  REQUIRE(r.requests.size() == 2);
  CHECK_FALSE(r.requests[0].keep_alive);
  CHECK_FALSE(r.requests[1].keep_alive);
  auto alive = feed_all("GET / HTTP/1.0\r\nConnection: keep-alive\r\n\r\n", {});
  REQUIRE(alive.requests.size() == 1);
  CHECK(alive.requests[0].keep_alive);
}

TEST_CASE("parser: Expect 100-continue is reported with the head") {
  bool expects = false;
  request_parser parser{[&](const head_info& info) {
    expects = info.expects_continue;
    return head_decision{100, false, false};
  }};
  std::string input = "POST / HTTP/1.1\r\nExpect: 100-Continue\r\nContent-Length: 2\r\n\r\n";
  CHECK(parser.feed(input.data(), input.size()).first == parse_status::need_more);
  CHECK(expects);
  CHECK(parser.in_progress());
}

TEST_CASE("parser: garbage is malformed") {
  CHECK(feed_all("\x16\x03\x01 garbage \xff\r\n\r\n", {}).last == parse_status::malformed);
  CHECK(feed_all("GET / HTTP/1.1\r\nContent-Length: x\r\n\r\n", {}).last
        == parse_status::malformed);
  CHECK(feed_all("GET / HTTP/1.1\r\nBad Header\r\n\r\n", {}).last == parse_status::malformed);
}
