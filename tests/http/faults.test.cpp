#include "tests/http/fixture.hpp"
#include "tests/http/process.hpp"
#include "tests/led/udp_receiver.hpp"

#include <sys/resource.h>

using namespace gamelight;
using namespace gamelight::test;
using gamelight::testing::udp_receiver;
using namespace std::chrono_literals;

namespace {

/// Lowers RLIMIT_FSIZE of another process to `limit` bytes while the object lives: every
/// write to a regular file past that offset then fails with EFBIG, even for root (the
/// daemon ignores SIGXFSZ). This is how a full disk looks to SQLite.
class child_file_size_limit {
public:
  child_file_size_limit(pid_t pid, rlim_t limit) : pid_(pid) {
    REQUIRE_EQ(::prlimit(pid_, RLIMIT_FSIZE, nullptr, &saved_), 0);
    auto lowered = saved_;
    lowered.rlim_cur = limit;
    REQUIRE_EQ(::prlimit(pid_, RLIMIT_FSIZE, &lowered, nullptr), 0);
  }

  ~child_file_size_limit() {
    ::prlimit(pid_, RLIMIT_FSIZE, &saved_, nullptr);
  }

  child_file_size_limit(const child_file_size_limit&) = delete;
  child_file_size_limit& operator=(const child_file_size_limit&) = delete;

private:
  pid_t pid_;
  rlimit saved_{};
};

json post_created(httplib::Client& cli, const std::string& path, const std::string& body) {
  auto res = cli.Post(path, body, json_type);
  REQUIRE(res);
  REQUIRE_MESSAGE(res->status == 201, res->body);
  return body_of(res);
}

std::string get_body(httplib::Client& cli, const std::string& path) {
  auto res = cli.Get(path);
  REQUIRE(res);
  REQUIRE_MESSAGE(res->status == 200, res->body);
  return res->body;
}

/// Requires a 503 database error with `Retry-After`.
void check_database_fault(const httplib::Result& res) {
  REQUIRE(res);
  CHECK_EQ(res->status, 503);
  CHECK_EQ(res->get_header_value("Retry-After"), "1");
  CHECK_EQ(res->get_header_value("Content-Type"), json_type);
  auto body = body_of(res);
  REQUIRE(body.is_object());
  CHECK_EQ(body.size(), 1u);
  REQUIRE(body["detail"].is_string());
  CHECK_MESSAGE(
      body["detail"].get<std::string>().starts_with("service unavailable: database error: "),
      res->body);
}

} // namespace

TEST_CASE("a full disk makes writes 503, changes nothing and clears without a restart") {
  temp_dir dir;
  daemon_process daemon{{"--port=0", "--data-dir=" + dir.path.string()}};
  auto port = daemon.wait_listening();
  REQUIRE(port);
  httplib::Client cli{"127.0.0.1", *port};
  cli.set_read_timeout(10, 0);
  udp_receiver rx;
  const std::string integrations = "/api/v1/game-integrations";
  auto a = post_created(cli, integrations, R"({"name": "A", "adapter_type": "generic",
      "event_mappings": [{"event_type": "boss_defeated", "effect": "solid",
                          "color": [0, 255, 0], "duration_ms": 200}]})");
  auto c = post_created(cli, integrations, R"({"name": "C", "adapter_type": "generic"})");
  json strip_body = {{"name", "strip"},
                     {"host", "127.0.0.1"},
                     {"port", rx.port()},
                     {"protocol", "ddp"},
                     {"led_count", 2},
                     {"fps", 40},
                     {"integration_ids", json::array({a["id"]})}};
  auto strip = post_created(cli, "/api/v1/devices", strip_body.dump());
  auto a_url = integrations + "/" + a["id"].get<std::string>();
  auto c_url = integrations + "/" + c["id"].get<std::string>();
  auto strip_url = "/api/v1/devices/" + strip["id"].get<std::string>();
  auto backup = cli.Get("/api/v1/system/backup");
  REQUIRE(backup);
  REQUIRE_EQ(backup->status, 200);
  auto integrations_before = get_body(cli, integrations);
  auto devices_before = get_body(cli, "/api/v1/devices");
  const std::string boss = R"({"event_type": "boss_defeated"})";
  const std::string boss_answer = R"({"accepted":true,"events":["boss_defeated"]})";

  {
    child_file_size_limit full{daemon.pid(), 1};
    auto res = cli.Post(integrations, R"({"name": "B", "adapter_type": "generic"})", json_type);
    check_database_fault(res);
    CHECK_EQ(res->body, R"({"detail":"service unavailable: database error: disk I/O error"})");
    CHECK_FALSE(res->has_header("Location"));
    check_database_fault(cli.Put(a_url, R"({"enabled": false})", json_type));
    check_database_fault(cli.Delete(c_url));
    auto other = strip_body;
    other["name"] = "shelf";
    check_database_fault(cli.Post("/api/v1/devices", other.dump(), json_type));
    check_database_fault(cli.Put(strip_url, R"({"enabled": false})", json_type));
    check_database_fault(cli.Delete(strip_url));
    check_database_fault(
        cli.Post("/api/v1/system/restore", backup->body, "application/vnd.sqlite3"));

    // Reads still work and show nothing of the failed writes.
    CHECK_EQ(get_body(cli, integrations), integrations_before);
    CHECK_EQ(get_body(cli, "/api/v1/devices"), devices_before);
    // The running configuration is unchanged too: A is still enabled and still drives the
    // strip, C and the strip still run.
    auto ingest = cli.Post(a_url + "/event", boss, json_type);
    REQUIRE(ingest);
    CHECK_EQ(ingest->status, 200);
    CHECK_EQ(ingest->body, boss_answer);
    auto frame = rx.receive(5000ms);
    REQUIRE(frame);
    CHECK_EQ(std::vector<std::uint8_t>(frame->begin() + 10, frame->end()),
             (std::vector<std::uint8_t>{0, 255, 0, 0, 255, 0}));
    CHECK_EQ(cli.Get(c_url + "/status")->status, 200);
    CHECK_EQ(cli.Get(strip_url + "/status")->status, 200);
  }

  // The fault is gone: the very next writes succeed on the same daemon.
  post_created(cli, integrations, R"({"name": "B", "adapter_type": "generic"})");
  auto res = cli.Put(a_url, R"({"description": "after the fault"})", json_type);
  REQUIRE(res);
  CHECK_EQ(res->status, 200);
  CHECK_EQ(body_of(res)["description"], "after the fault");
  res = cli.Post("/api/v1/system/restore", backup->body, "application/vnd.sqlite3");
  REQUIRE(res);
  CHECK_EQ(res->status, 200);
  CHECK_EQ(res->body, R"({"restored":true,"integrations":2,"devices":1})");
  CHECK_EQ(get_body(cli, integrations), integrations_before);
  CHECK_EQ(get_body(cli, "/api/v1/devices"), devices_before);
  res = cli.Delete(strip_url);
  REQUIRE(res);
  CHECK_EQ(res->status, 204);
  res = cli.Delete(c_url);
  REQUIRE(res);
  CHECK_EQ(res->status, 204);
  res = cli.Post(a_url + "/event", boss, json_type);
  REQUIRE(res);
  CHECK_EQ(res->body, boss_answer);
  daemon.signal(SIGTERM);
  CHECK_EQ(daemon.wait(), 0);
  // The SQLite error is logged with its code.
  CHECK_NE(daemon.read_all().find("disk I/O error (SQLite code "), std::string::npos);
}
