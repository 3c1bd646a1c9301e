/// The HTTP front end's own behaviour (api.md v1.1 "HTTP front end behaviour") against
/// the real server on loopback: pipelining, Connection: close, Expect: 100-continue,
/// 415, the whole-request deadline, a client that never reads, max-connections.

#include "tests/http/fixture.hpp"
#include "tests/http/raw_socket.hpp"

#include <caf/scoped_actor.hpp>

#include <chrono>
#include <fstream>
#include <future>
#include <memory>
#include <string>
#include <thread>
#include <vector>

using namespace gamelight;
using namespace gamelight::test;
using namespace std::chrono_literals;

namespace {

using clock_type = std::chrono::steady_clock;

const std::string health_request = "GET /api/v1/health HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n";

/// Splits what a connection received into responses (each with a Content-Length body,
/// or none for 1xx and 204), in order.
std::vector<std::string> split_responses(std::string text) {
  std::vector<std::string> result;
  while (!text.empty()) {
    auto end = text.find("\r\n\r\n");
    REQUIRE(end != std::string::npos);
    std::size_t length = 0;
    auto at = text.find("Content-Length: ");
    if (at != std::string::npos && at < end)
      length = std::stoul(text.substr(at + 16));
    REQUIRE(text.size() >= end + 4 + length);
    result.push_back(text.substr(0, end + 4 + length));
    text.erase(0, end + 4 + length);
  }
  return result;
}

std::string body_of(const std::string& response) {
  return response.substr(response.find("\r\n\r\n") + 4);
}

std::string status_line(const std::string& response) {
  return response.substr(0, response.find("\r\n"));
}

/// Reads until `count` whole responses arrived.
std::vector<std::string> read_responses(raw_socket& conn, std::size_t count) {
  auto text = conn.receive(10s, [count](const std::string& x) {
    std::size_t seen = 0;
    std::size_t at = 0;
    while (true) {
      auto end = x.find("\r\n\r\n", at);
      if (end == std::string::npos)
        return false;
      std::size_t length = 0;
      auto cl = x.find("Content-Length: ", at);
      if (cl != std::string::npos && cl < end)
        length = std::stoul(x.substr(cl + 16));
      if (x.size() < end + 4 + length)
        return false;
      at = end + 4 + length;
      if (++seen == count)
        return true;
    }
  });
  return split_responses(text);
}

std::string create_generic(const daemon_fixture& daemon, const std::string& name) {
  auto cli = daemon.client();
  auto res
      = cli.Post("/api/v1/game-integrations",
                 R"({"name": ")" + name + R"(", "adapter_type": "generic"})", "application/json");
  REQUIRE(res);
  REQUIRE(res->status == 201);
  return gamelight::test::body_of(res)["id"].get<std::string>();
}

/// Returns this process's thread count.
int thread_count() {
  std::ifstream in{"/proc/self/status"};
  std::string line;
  while (std::getline(in, line))
    if (line.rfind("Threads:", 0) == 0)
      return std::stoi(line.substr(8));
  return -1;
}

} // namespace

TEST_CASE("front end: pipelined requests are answered in request order") {
  daemon_fixture daemon;
  raw_socket conn{daemon.port()};
  // A write through the store, a read, an unknown route and a health check, sent at
  // once: the slow store answer must come first.
  std::string create_body = R"({"name": "piped", "adapter_type": "generic"})";
  REQUIRE(conn.send("POST /api/v1/game-integrations HTTP/1.1\r\nHost: x\r\n"
                    "Content-Type: application/json\r\nContent-Length: "
                    + std::to_string(create_body.size()) + "\r\n\r\n" + create_body
                    + "GET /api/v1/game-integrations HTTP/1.1\r\nHost: x\r\n\r\n"
                      "GET /api/v1/nowhere HTTP/1.1\r\nHost: x\r\n\r\n"
                    + health_request));
  auto answers = read_responses(conn, 4);
  REQUIRE(answers.size() == 4);
  CHECK(status_line(answers[0]) == "HTTP/1.1 201 Created");
  auto created = json::parse(body_of(answers[0]));
  CHECK(created["name"] == "piped");
  CHECK(answers[0].find("Location: /api/v1/game-integrations/" + created["id"].get<std::string>()
                        + "\r\n")
        != std::string::npos);
  CHECK(status_line(answers[1]) == "HTTP/1.1 200 OK");
  CHECK(json::parse(body_of(answers[1]))["count"] == 1);
  CHECK(status_line(answers[2]) == "HTTP/1.1 404 Not Found");
  CHECK(body_of(answers[2]) == R"({"detail":"Not Found"})");
  CHECK(status_line(answers[3]) == "HTTP/1.1 200 OK");
}

TEST_CASE("front end: many pipelined payloads keep their order and their counts") {
  daemon_fixture daemon;
  auto id = create_generic(daemon, "burst");
  raw_socket conn{daemon.port()};
  std::string burst;
  constexpr int payloads = 200;
  for (int i = 0; i < payloads; ++i) {
    auto body = R"({"event_type": "e)" + std::to_string(i) + R"("})";
    burst += "POST /api/v1/game-integrations/" + id + "/event HTTP/1.1\r\nHost: x\r\n"
             + "Content-Length: " + std::to_string(body.size()) + "\r\n\r\n" + body;
  }
  REQUIRE(conn.send(burst));
  auto answers = read_responses(conn, payloads);
  REQUIRE(answers.size() == payloads);
  for (int i = 0; i < payloads; ++i) {
    CAPTURE(i);
    CHECK(body_of(answers[i]) == R"({"accepted":true,"events":["e)" + std::to_string(i) + R"("]})");
  }
}

TEST_CASE("front end: Connection: close is honoured and said") {
  daemon_fixture daemon;
  raw_socket conn{daemon.port()};
  REQUIRE(conn.send("GET /api/v1/health HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"
                    + health_request));
  auto text = conn.receive(10s, [](const std::string&) { return false; });
  auto answers = split_responses(text);
  // One answer, marked, then the close; the second request is never served.
  REQUIRE(answers.size() == 1);
  CHECK(status_line(answers[0]) == "HTTP/1.1 200 OK");
  CHECK(answers[0].find("Connection: close\r\n") != std::string::npos);
  CHECK(conn.closed_within(1s));

  raw_socket old{daemon.port()};
  REQUIRE(old.send("GET /api/v1/health HTTP/1.0\r\n\r\n"));
  auto answer = old.receive(10s, [](const std::string&) { return false; });
  CHECK(status_line(answer) == "HTTP/1.1 200 OK");
  CHECK(answer.find("Connection: close\r\n") != std::string::npos);
}

TEST_CASE("front end: Expect: 100-continue gets 100 first, or the refusal at once") {
  daemon_setup setup;
  setup.api_key = "k3y-for-the-test-0123456789";
  daemon_fixture daemon{setup};
  std::string body = R"({"name": "expected", "adapter_type": "generic"})";
  auto head = "POST /api/v1/game-integrations HTTP/1.1\r\nHost: x\r\nExpect: 100-continue\r\n"
              "Content-Type: application/json\r\nContent-Length: "
              + std::to_string(body.size()) + "\r\n";
  {
    raw_socket conn{daemon.port()};
    REQUIRE(conn.send(head + "Authorization: Bearer " + setup.api_key + "\r\n\r\n"));
    auto interim = conn.receive(
        10s, [](const std::string& x) { return x.find("\r\n\r\n") != std::string::npos; });
    CHECK(interim == "HTTP/1.1 100 Continue\r\n\r\n");
    REQUIRE(conn.send(body));
    auto answers = read_responses(conn, 1);
    REQUIRE(answers.size() == 1);
    CHECK(status_line(answers[0]) == "HTTP/1.1 201 Created");
  }
  {
    // Refused by its head (no key): the final answer, no 100, and no body read.
    raw_socket conn{daemon.port()};
    REQUIRE(conn.send(head + "\r\n"));
    auto text = conn.receive(10s, [](const std::string&) { return false; });
    auto answers = split_responses(text);
    REQUIRE(answers.size() == 1);
    CHECK(status_line(answers[0]) == "HTTP/1.1 401 Unauthorized");
    CHECK(body_of(answers[0]) == R"({"detail":"Not authenticated"})");
    CHECK(answers[0].find("Connection: close\r\n") != std::string::npos);
  }
  auto cli = daemon.client();
  cli.set_bearer_token_auth(setup.api_key.c_str());
  auto list = gamelight::test::body_of(cli.Get("/api/v1/game-integrations"));
  CHECK(list["count"] == 1);
}

TEST_CASE("front end: a multipart body is 415 and closes") {
  daemon_fixture daemon;
  raw_socket conn{daemon.port()};
  REQUIRE(conn.send("POST /api/v1/system/restore HTTP/1.1\r\nHost: x\r\n"
                    "Content-Type: multipart/form-data; boundary=xyz\r\nContent-Length: 40\r\n\r\n"
                    "--xyz\r\n\r\nnot a database at all\r\n--xyz--"));
  auto text = conn.receive(10s, [](const std::string&) { return false; });
  auto answers = split_responses(text);
  REQUIRE(answers.size() == 1);
  CHECK(status_line(answers[0]) == "HTTP/1.1 415 Unsupported Media Type");
  CHECK(body_of(answers[0]) == R"({"detail":"multipart bodies are not accepted; send JSON"})");
}

TEST_CASE("front end: a header line over 8 KiB is 431 and closes") {
  daemon_fixture daemon;
  raw_socket conn{daemon.port()};
  REQUIRE(
      conn.send("GET /api/v1/health HTTP/1.1\r\nX-Big: " + std::string(9000, 'b') + "\r\n\r\n"));
  auto text = conn.receive(10s, [](const std::string&) { return false; });
  auto answers = split_responses(text);
  REQUIRE(answers.size() == 1);
  CHECK(status_line(answers[0]) == "HTTP/1.1 431 Request Header Fields Too Large");
  CHECK(body_of(answers[0])
        == R"({"detail":"request line or header line longer than 8192 bytes"})");
}

TEST_CASE("front end: a request trickling one byte a second is dropped 5 s after its first byte") {
  daemon_fixture daemon;
  raw_socket slow{daemon.port()};
  std::string request
      = "POST /api/v1/game-integrations HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\n\r\n{}";
  auto first_byte = clock_type::now();
  bool closed = false;
  for (char c : request) {
    if (!slow.send(std::string_view{&c, 1}) || slow.closed_within(1s)) {
      closed = true;
      break;
    }
  }
  REQUIRE(closed);
  auto took = clock_type::now() - first_byte;
  // Not before the deadline; the slack above it is for a busy machine.
  CHECK(took >= 5s);
  CHECK(took < 8s);
  // Nothing was created.
  auto cli = daemon.client();
  CHECK(gamelight::test::body_of(cli.Get("/api/v1/game-integrations"))["count"] == 0);
  auto metrics = cli.Get("/metrics");
  REQUIRE(metrics);
  CHECK(metrics->body.find("\ngamelight_http_requests_dropped_total 1\n") != std::string::npos);
}

TEST_CASE("front end: a client that never reads its answers is stopped, others are served") {
  daemon_fixture daemon;
  auto id = create_generic(daemon, "reader");
  {
    raw_socket greedy{daemon.port()};
    // Pipelined requests whose answers are never read: the server stops reading once its
    // bounds are reached, so the kernel's buffers fill and sending blocks long before
    // 256 MiB have gone out.
    std::string batch;
    for (int i = 0; i < 1000; ++i)
      batch += "GET /openapi.json HTTP/1.1\r\nHost: x\r\n\r\n";
    std::size_t sent = 0;
    bool blocked = false;
    auto deadline = clock_type::now() + 30s;
    while (sent < 256u * 1024 * 1024 && clock_type::now() < deadline) {
      auto n = greedy.send_some(batch);
      REQUIRE(n >= 0);
      if (n == 0) {
        // Full: give the server a moment to prove it does not drain it further.
        std::this_thread::sleep_for(200ms);
        if (greedy.send_some(batch) == 0) {
          blocked = true;
          break;
        }
        continue;
      }
      sent += static_cast<std::size_t>(n);
    }
    CHECK(blocked);
    CHECK(sent < 256u * 1024 * 1024);
    // Meanwhile everyone else is served.
    auto cli = daemon.client();
    auto res = cli.Post("/api/v1/game-integrations/" + id + "/event", R"({"event_type": "x"})",
                        "application/json");
    REQUIRE(res);
    CHECK(res->status == 200);
    CHECK(res->body == R"({"accepted":true,"events":["x"]})");
  }
  // The greedy client left: the daemon lets go of its connection and the answers it
  // held (the only connection left is the one asking).
  bool released = false;
  auto deadline = clock_type::now() + 10s;
  while (!released && clock_type::now() < deadline) {
    raw_socket probe{daemon.port()};
    REQUIRE(probe.send("GET /metrics HTTP/1.1\r\nHost: x\r\n\r\n"));
    auto answers = read_responses(probe, 1);
    released = answers.size() == 1
               && answers[0].find("\ngamelight_http_connections 1\n") != std::string::npos;
    if (!released)
      std::this_thread::sleep_for(50ms);
  }
  CHECK(released);
}

TEST_CASE("front end: answers held while a client does not read all arrive, in order, then the "
          "close") {
  daemon_fixture daemon;
  raw_socket conn{daemon.port()};
  // 400 pipelined answers of about 38 KB (15 MB: far more than the socket buffers take
  // while the client does not read, so most wait in the daemon, and reading pauses at
  // its 1 MiB bound), the last one closing the connection.
  constexpr int count = 400;
  std::string batch;
  for (int i = 0; i < count - 1; ++i)
    batch += "GET /openapi.json HTTP/1.1\r\nHost: x\r\n\r\n";
  batch += "GET /openapi.json HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n";
  REQUIRE(conn.send(batch));
  // Not reading for a moment lets the answers pile up in the daemon (the outcome
  // checked below is the same whenever the client starts reading).
  std::this_thread::sleep_for(500ms);
  // Everything arrives once the client reads, and then the daemon closes.
  auto received = conn.receive(60s, [](const std::string&) { return false; });
  CHECK(conn.closed_within(1s));
  auto answers = split_responses(received);
  REQUIRE(answers.size() == count);
  auto body = body_of(answers.front());
  CHECK(body.size() > 30000);
  for (int i = 0; i < count; ++i) {
    CHECK(status_line(answers[i]) == "HTTP/1.1 200 OK");
    CHECK(body_of(answers[i]) == body);
  }
  CHECK(answers.back().find("\r\nConnection: close\r\n") != std::string::npos);
}

TEST_CASE("front end: beyond max-connections new connections are closed at once and counted") {
  daemon_setup setup;
  setup.max_connections = 3;
  daemon_fixture daemon{setup};
  std::vector<std::unique_ptr<raw_socket>> held;
  for (int i = 0; i < 3; ++i) {
    held.push_back(std::make_unique<raw_socket>(daemon.port()));
    REQUIRE(held.back()->send(health_request));
    REQUIRE(read_responses(*held.back(), 1).size() == 1);
  }
  raw_socket extra{daemon.port()};
  CHECK(extra.closed_within(5s));
  held.pop_back();
  held.pop_back();
  // Freed places are usable again once the server saw the closes; until then a new
  // connection is refused too (and counted).
  int refused = 1;
  std::string metrics;
  auto wait_until = clock_type::now() + 10s;
  while (metrics.empty() && clock_type::now() < wait_until) {
    raw_socket probe{daemon.port()};
    if (probe.send("GET /metrics HTTP/1.1\r\nHost: x\r\n\r\n")) {
      auto answers = read_responses(probe, 1);
      if (answers.size() == 1) {
        metrics = answers[0];
        break;
      }
    }
    ++refused;
  }
  REQUIRE_FALSE(metrics.empty());
  CHECK(metrics.find("\ngamelight_http_connections_refused_total " + std::to_string(refused) + "\n")
        != std::string::npos);
}

TEST_CASE("front end: 2000 idle connections cost no thread and block nobody") {
  daemon_fixture daemon;
  auto id = create_generic(daemon, "idle");
  auto threads_before = thread_count();
  std::vector<std::unique_ptr<raw_socket>> idle;
  for (int i = 0; i < 2000; ++i) {
    idle.push_back(std::make_unique<raw_socket>(daemon.port()));
    REQUIRE(idle.back()->send(health_request));
  }
  for (auto& conn : idle)
    REQUIRE(read_responses(*conn, 1).size() == 1);
  // Connections cost no thread.
  CHECK(thread_count() <= threads_before + 1);
  auto cli = daemon.client();
  auto res = cli.Post("/api/v1/game-integrations/" + id + "/event", R"({"event_type": "x"})",
                      "application/json");
  REQUIRE(res);
  CHECK(res->status == 200);
  CHECK(res->body == R"({"accepted":true,"events":["x"]})");
}

namespace {

/// A test route that opens a stream and hands the connection's actor to the test.
struct stream_route {
  std::shared_ptr<std::promise<caf::actor>> connection
      = std::make_shared<std::promise<caf::actor>>();

  void add(http::route_table& routes) const {
    auto slot = connection;
    routes.add("GET", "/test/stream",
               http::endpoint{[slot](const http::context&, http::exchange& x) {
                 http::response head;
                 head.stream = true;
                 head.content_type = "text/event-stream";
                 head.set_header("Cache-Control", "no-cache");
                 x.respond(std::move(head));
                 slot->set_value(caf::actor_cast<caf::actor>(x.self));
               }});
  }
};

/// A daemon with the test stream route, and a connection that opened the stream.
struct stream_fixture {
  stream_route route;
  std::future<caf::actor> opened = route.connection->get_future();
  daemon_fixture daemon{with_stream_route(route)};
  raw_socket conn{daemon.port()};
  /// The connection's actor, which takes the stream's chunks.
  caf::actor stream;

  stream_fixture() {
    REQUIRE(conn.send("GET /test/stream HTTP/1.1\r\nHost: x\r\n\r\n"));
    REQUIRE(opened.wait_for(10s) == std::future_status::ready);
    stream = opened.get();
  }

  static daemon_setup with_stream_route(const stream_route& route) {
    daemon_setup setup;
    setup.extra_routes = [&route](http::route_table& routes) {
      route.add(routes);
    };
    return setup;
  }
};

} // namespace

TEST_CASE_FIXTURE(stream_fixture,
                  "front end: a streaming answer writes each chunk as it arrives, in order") {
  std::string expected_head = "HTTP/1.1 200 OK\r\nCache-Control: no-cache\r\n"
                              "Content-Type: text/event-stream\r\nConnection: close\r\n\r\n";
  caf::anon_send(stream, atom::chunk::value, std::string{"retry: 2000\n\n"});
  auto first = conn.receive(
      10s, [&](const std::string& x) { return x.size() >= expected_head.size() + 13; });
  CHECK(first == expected_head + "retry: 2000\n\n");
  for (int i = 1; i <= 3; ++i)
    caf::anon_send(stream, atom::chunk::value, "id: " + std::to_string(i) + "\n\n");
  caf::anon_send(stream, atom::done::value);
  auto rest = conn.receive(10s, [](const std::string&) { return false; });
  CHECK(rest == "id: 1\n\nid: 2\n\nid: 3\n\n");
  CHECK(conn.closed_within(1s));
}

TEST_CASE_FIXTURE(stream_fixture,
                  "front end: a stream's reader that falls 1 MiB behind is disconnected") {
  // 64 MiB offered to a reader that reads nothing: far more than the kernel buffers
  // and the 1 MiB the daemon may hold.
  std::string chunk(64 * 1024, 'x');
  for (int i = 0; i < 1024; ++i)
    caf::anon_send(stream, atom::chunk::value, chunk);
  caf::scoped_actor waiter{*daemon.system()};
  waiter->monitor(stream);
  bool ended = false;
  waiter->receive([&](caf::down_msg&) { ended = true; },
                  caf::after(std::chrono::seconds{20}) >> [] {});
  REQUIRE(ended);
  auto received = conn.receive(20s, [](const std::string&) { return false; });
  CHECK(received.size() < 64u * 1024 * 1024);
  CHECK(conn.closed_within(1s));
  auto cli = daemon.client();
  auto metrics = cli.Get("/metrics");
  REQUIRE(metrics);
  CHECK(metrics->body.find("\ngamelight_http_slow_stream_drops_total 1\n") != std::string::npos);
}
