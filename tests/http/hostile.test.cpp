/// Hostile clients against the real server: while each misbehaves, the daemon stays
/// up, health answers quickly and game payloads from other clients are processed.

#include "tests/http/fixture.hpp"
#include "tests/http/raw_socket.hpp"

#include <algorithm>
#include <arpa/inet.h>
#include <atomic>
#include <chrono>
#include <memory>
#include <netinet/in.h>
#include <poll.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <thread>
#include <unistd.h>
#include <vector>

using namespace gamelight;
using namespace gamelight::test;
using namespace std::chrono_literals;

namespace {

using clock_type = std::chrono::steady_clock;

/// Returns the median time of five `GET /api/v1/health` on fresh connections, each
/// required to answer 200.
std::chrono::milliseconds median_health_time(const daemon_fixture& daemon) {
  std::vector<std::chrono::microseconds> times;
  for (int i = 0; i < 5; ++i) {
    auto cli = daemon.client();
    auto start = clock_type::now();
    auto res = cli.Get("/api/v1/health");
    auto took = std::chrono::duration_cast<std::chrono::microseconds>(clock_type::now() - start);
    REQUIRE(res);
    REQUIRE(res->status == 200);
    times.push_back(took);
  }
  std::sort(times.begin(), times.end());
  return std::chrono::duration_cast<std::chrono::milliseconds>(times[2]);
}

/// Creates a CS2 integration and returns its id.
std::string create_cs2(const daemon_fixture& daemon) {
  auto cli = daemon.client();
  auto res = cli.Post("/api/v1/game-integrations", R"({"name": "cs2", "adapter_type": "cs2",
    "adapter_config": {"token": "wled-gsi-7f3c9a12e4b8"}})",
                      "application/json");
  REQUIRE(res);
  REQUIRE(res->status == 201);
  return body_of(res)["id"].get<std::string>();
}

/// Posts two fixture payloads that fire `round_live` on the second, and checks it.
void game_payloads_still_work(const daemon_fixture& daemon, const std::string& id) {
  auto cli = daemon.client();
  auto path = "/api/v1/game-integrations/" + id + "/event";
  auto first = cli.Post(path, read_fixture("cs2_01_freezetime_start"), "application/json");
  REQUIRE(first);
  CHECK(first->status == 200);
  auto second = cli.Post(path, read_fixture("cs2_02_round_live"), "application/json");
  REQUIRE(second);
  REQUIRE(second->status == 200);
  auto body = body_of(second);
  REQUIRE(body["events"].size() == 1);
  CHECK(body["events"][0] == "round_live");
  // Back to the first state, so the next call fires again.
  auto reset = cli.Post(path, read_fixture("cs2_01_freezetime_start"), "application/json");
  REQUIRE(reset);
  CHECK(reset->status == 200);
}

/// Raises the open-file limit to its maximum (500 connections need 1000 descriptors here).
void raise_file_limit() {
  rlimit limit{};
  REQUIRE(::getrlimit(RLIMIT_NOFILE, &limit) == 0);
  limit.rlim_cur = limit.rlim_max;
  ::setrlimit(RLIMIT_NOFILE, &limit);
}

} // namespace

TEST_CASE("hostile: a slowloris client sending one byte at a time starves nobody") {
  daemon_setup setup;
  setup.read_timeout = 2s;
  daemon_fixture daemon{setup};
  auto id = create_cs2(daemon);
  raw_socket slow{daemon.port()};
  std::string request = "POST /api/v1/game-integrations/" + id
                        + "/event HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 100\r\n";
  std::atomic<bool> stop{false};
  std::thread trickle{[&] {
    for (char c : request) {
      if (stop || !slow.send(std::string_view{&c, 1}))
        return;
      std::this_thread::sleep_for(50ms);
    }
  }};
  for (int round = 0; round < 3; ++round) {
    CHECK(median_health_time(daemon) < 100ms);
    game_payloads_still_work(daemon, id);
    std::this_thread::sleep_for(200ms);
  }
  stop = true;
  trickle.join();
}

TEST_CASE("hostile: 500 idle keep-alive connections leave room for new clients") {
  raise_file_limit();
  daemon_setup setup;
  setup.keep_alive_timeout = 2s;
  daemon_fixture daemon{setup};
  auto id = create_cs2(daemon);
  std::vector<std::unique_ptr<raw_socket>> idle;
  for (int i = 0; i < 500; ++i) {
    idle.push_back(std::make_unique<raw_socket>(daemon.port()));
    REQUIRE(idle.back()->send("GET /api/v1/health HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"));
  }
  for (auto& conn : idle)
    REQUIRE(conn->response().rfind("HTTP/1.1 200 OK\r\n", 0) == 0);
  // All 500 now sit idle, each holding a worker.
  CHECK(median_health_time(daemon) < 100ms);
  game_payloads_still_work(daemon, id);
  // The server closes idle connections after the keep-alive timeout.
  for (auto& conn : idle)
    CHECK(conn->closed_within(10s));
  CHECK(median_health_time(daemon) < 100ms);
}

TEST_CASE("hostile: more than 100 headers is 431, 100 are fine") {
  daemon_fixture daemon;
  auto id = create_cs2(daemon);
  auto request_with = [](int headers) {
    std::string text = "GET /api/v1/health HTTP/1.1\r\nHost: 127.0.0.1\r\n";
    for (int i = 1; i < headers; ++i)
      text += "X-Filler-" + std::to_string(i) + ": " + std::string(16, 'a') + "\r\n";
    return text + "\r\n";
  };
  {
    raw_socket conn{daemon.port()};
    REQUIRE(conn.send(request_with(100)));
    CHECK(conn.response().rfind("HTTP/1.1 200 OK\r\n", 0) == 0);
  }
  for (int headers : {101, 10'000}) {
    CAPTURE(headers);
    raw_socket conn{daemon.port()};
    std::thread sender{[&] {
      conn.send(request_with(headers));
    }};
    auto answer = conn.response();
    sender.join();
    REQUIRE(answer.rfind("HTTP/1.1 431 Request Header Fields Too Large\r\n", 0) == 0);
    CHECK(answer.substr(answer.find("\r\n\r\n") + 4)
          == R"x({"detail":"too many request headers (limit 100)"})x");
  }
  CHECK(median_health_time(daemon) < 100ms);
  game_payloads_still_work(daemon, id);
}

TEST_CASE("hostile: a 100 MB body announced by Content-Length is refused unread") {
  daemon_fixture daemon;
  auto id = create_cs2(daemon);
  auto cases = {
      std::pair{"POST /api/v1/game-integrations/" + id + "/event",
                std::string{R"x({"detail":"payload too large (limit 1048576 bytes)"})x"}},
      std::pair{std::string{"POST /api/v1/game-integrations"},
                std::string{R"x({"detail":"payload too large (limit 65536 bytes)"})x"}},
      std::pair{std::string{"POST /api/v1/system/restore"},
                std::string{R"x({"detail":"payload too large (limit 67108864 bytes)"})x"}},
  };
  for (auto& [line, detail] : cases) {
    CAPTURE(line);
    raw_socket conn{daemon.port()};
    REQUIRE(conn.send(line + " HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 104857600\r\n\r\n"));
    REQUIRE(conn.send(std::string(4096, '{')));
    // The answer comes at once: the server does not wait for the 100 MB.
    auto answer = conn.response(2s);
    REQUIRE(answer.rfind("HTTP/1.1 413 Payload Too Large\r\n", 0) == 0);
    CHECK(answer.find("Connection: close\r\n") != std::string::npos);
    CHECK(answer.substr(answer.find("\r\n\r\n") + 4) == detail);
  }
  // The known integration counted its oversized payload as rejected.
  auto cli = daemon.client();
  auto status = body_of(cli.Get("/api/v1/game-integrations/" + id + "/status"));
  CHECK(status["rejected_count"] == 1);
  CHECK(status["payload_count"] == 0);
  CHECK(median_health_time(daemon) < 100ms);
  game_payloads_still_work(daemon, id);
}

TEST_CASE("hostile: a chunked body over the route's limit stops being read at the limit") {
  daemon_fixture daemon;
  auto id = create_cs2(daemon);
  raw_socket conn{daemon.port()};
  REQUIRE(conn.send("POST /api/v1/game-integrations/" + id
                    + "/event HTTP/1.1\r\nHost: 127.0.0.1\r\nTransfer-Encoding: chunked\r\n\r\n"));
  // 2 MiB in 64 KiB chunks, over the 1 MiB ingestion limit; the server may close early.
  std::string chunk(64 * 1024, ' ');
  for (int i = 0; i < 32; ++i) {
    char size[16];
    std::snprintf(size, sizeof(size), "%zx\r\n", chunk.size());
    if (!conn.send(size + chunk + "\r\n"))
      break;
  }
  conn.send("0\r\n\r\n");
  // Everything the server sends until it closes: the 413 and nothing else (the rest of
  // the body must not be parsed as further requests).
  auto answer = conn.receive(10s, [](const std::string&) { return false; });
  CHECK(conn.closed_within(1s));
  REQUIRE(answer.rfind("HTTP/1.1 413 Payload Too Large\r\n", 0) == 0);
  CHECK(answer.find("Connection: close\r\n") != std::string::npos);
  CHECK(answer.substr(answer.find("\r\n\r\n") + 4)
        == R"x({"detail":"payload too large (limit 1048576 bytes)"})x");
  game_payloads_still_work(daemon, id);
}

TEST_CASE("hostile: a body answered before it was read does not spill into the next request") {
  daemon_fixture daemon;
  raw_socket conn{daemon.port()};
  // 404 before the body is read; the keep-alive connection must stay in step.
  REQUIRE(conn.send("POST /api/v1/nowhere HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                    "Content-Type: application/json\r\nContent-Length: 13\r\n\r\n"
                    R"x({"a": "body"})x"));
  auto first = conn.response();
  REQUIRE(first.rfind("HTTP/1.1 404 Not Found\r\n", 0) == 0);
  CHECK(first.substr(first.find("\r\n\r\n") + 4) == R"x({"detail":"Not Found"})x");
  REQUIRE(conn.send("GET /api/v1/health HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"));
  CHECK(conn.response().rfind("HTTP/1.1 200 OK\r\n", 0) == 0);
  // The same with a chunked body.
  REQUIRE(conn.send("PATCH /api/v1/nowhere HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                    "Transfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n"));
  CHECK(conn.response().rfind("HTTP/1.1 404 Not Found\r\n", 0) == 0);
  REQUIRE(conn.send("GET /api/v1/health HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"));
  CHECK(conn.response().rfind("HTTP/1.1 200 OK\r\n", 0) == 0);
}

TEST_CASE("hostile: a client that disconnects mid-body changes nothing") {
  daemon_fixture daemon;
  auto id = create_cs2(daemon);
  {
    raw_socket conn{daemon.port()};
    REQUIRE(conn.send("POST /api/v1/game-integrations HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                      "Content-Type: application/json\r\nContent-Length: 200\r\n\r\n"
                      R"({"name": "half", "adapter_type": "generic")"));
  }
  {
    raw_socket conn{daemon.port()};
    REQUIRE(conn.send("POST /api/v1/game-integrations/" + id
                      + "/event HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 3000\r\n\r\n"
                      + read_fixture("cs2_02_round_live").substr(0, 500)));
  }
  CHECK(median_health_time(daemon) < 100ms);
  auto cli = daemon.client();
  auto list = body_of(cli.Get("/api/v1/game-integrations"));
  REQUIRE(list["integrations"].size() == 1);
  CHECK(list["integrations"][0]["name"] == "cs2");
  auto status = body_of(cli.Get("/api/v1/game-integrations/" + id + "/status"));
  CHECK(status["payload_count"] == 0);
  CHECK(status["rejected_count"] == 0);
  game_payloads_still_work(daemon, id);
}

TEST_CASE("hostile: pipelined garbage after a good request gets the good answer, then 400") {
  daemon_fixture daemon;
  auto id = create_cs2(daemon);
  raw_socket conn{daemon.port()};
  REQUIRE(conn.send("GET /api/v1/health HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"
                    "\x16\x03\x01 garbage \xff\xfe not http\r\n\r\n"
                    "GET /api/v1/health HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"));
  auto first = conn.response();
  CHECK(first.rfind("HTTP/1.1 200 OK\r\n", 0) == 0);
  // Whatever follows the garbage is never served: the connection ends.
  CHECK(conn.closed_within(10s));
  CHECK(median_health_time(daemon) < 100ms);
  game_payloads_still_work(daemon, id);
}
