/// 10 000 idle keep-alive connections against the real daemon process (the test and
/// the daemon each hold 10 000 descriptors, more than one process may have here).

#include "tests/http/fixture.hpp"
#include "tests/http/process.hpp"
#include "tests/http/raw_socket.hpp"

#include <algorithm>
#include <fstream>
#include <memory>
#include <sys/resource.h>
#include <vector>

using namespace gamelight;
using namespace gamelight::test;
using namespace std::chrono_literals;

namespace {

/// Returns a process's thread count from /proc.
int threads_of(pid_t pid) {
  std::ifstream in{"/proc/" + std::to_string(pid) + "/status"};
  std::string line;
  while (std::getline(in, line))
    if (line.rfind("Threads:", 0) == 0)
      return std::stoi(line.substr(8));
  return -1;
}

bool is_ok(const std::string& answer) {
  return answer.rfind("HTTP/1.1 200 OK\r\n", 0) == 0;
}

} // namespace

TEST_CASE("10 000 idle keep-alive connections hold no thread and stop no one") {
  rlimit limit{};
  REQUIRE(::getrlimit(RLIMIT_NOFILE, &limit) == 0);
  limit.rlim_cur = limit.rlim_max;
  REQUIRE(::setrlimit(RLIMIT_NOFILE, &limit) == 0);
  REQUIRE(limit.rlim_cur >= 10'100);
  temp_dir dir;
  // A long keep-alive timeout, so the first connections stay open while the last open.
  daemon_process daemon{
      {"--port=0", "--data-dir=" + dir.path.string(), "--keep-alive-timeout=120"}};
  auto port = daemon.wait_listening();
  REQUIRE(port);
  auto threads_before = threads_of(daemon.pid());
  REQUIRE(threads_before > 0);
  std::vector<std::unique_ptr<raw_socket>> idle;
  idle.reserve(10'000);
  const std::string health = "GET /api/v1/health HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n";
  for (int i = 0; i < 10'000; ++i) {
    idle.push_back(std::make_unique<raw_socket>(*port));
    REQUIRE(idle.back()->send(health));
  }
  for (auto& conn : idle)
    REQUIRE(is_ok(conn->response()));
  // Each connection answered once and now sits idle: the daemon has no more threads.
  CHECK(threads_of(daemon.pid()) == threads_before);
  // A new client is served, and a game payload goes through.
  httplib::Client cli{"127.0.0.1", *port};
  auto created
      = cli.Post("/api/v1/game-integrations",
                 R"({"name": "busy venue", "adapter_type": "generic"})", "application/json");
  REQUIRE(created);
  REQUIRE(created->status == 201);
  auto id = body_of(created)["id"].get<std::string>();
  auto res = cli.Post("/api/v1/game-integrations/" + id + "/event", R"({"event_type": "x"})",
                      "application/json");
  REQUIRE(res);
  CHECK(res->body == R"({"accepted":true,"events":["x"]})");
  // Every idle connection still works.
  for (std::size_t i = 0; i < idle.size(); i += 997) {
    REQUIRE(idle[i]->send(health));
    CHECK(is_ok(idle[i]->response()));
  }
  auto metrics = cli.Get("/metrics");
  REQUIRE(metrics);
  CHECK(metrics->body.find("\ngamelight_http_connections 10001\n") != std::string::npos);
}
