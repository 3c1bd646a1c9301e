// The live routes of api.md v1.1 against the real server: event and frame streams byte
// for byte, Last-Event-ID, max-streams, a slow reader dropped while ingestion goes on,
// and the mapping test route.

#include "tests/http/fixture.hpp"
#include "tests/http/raw_socket.hpp"
#include "tests/led/udp_receiver.hpp"

#include <algorithm>
#include <optional>
#include <thread>
#include <tuple>

using namespace gamelight;
using namespace gamelight::test;
using gamelight::testing::udp_receiver;
using namespace std::chrono_literals;

namespace {

const std::string stream_head = "HTTP/1.1 200 OK\r\nCache-Control: no-cache\r\n"
                                "Content-Type: text/event-stream\r\nConnection: close\r\n\r\n";

std::string create(httplib::Client& cli, const std::string& path, const std::string& body) {
  auto res = cli.Post(path, body, json_type);
  REQUIRE(res);
  REQUIRE_MESSAGE(res->status == 201, res->body);
  return body_of(res)["id"];
}

/// A CS2 integration with two mappings for `kill` (the second in zone "bar").
std::string create_cs2(httplib::Client& cli) {
  return create(cli, "/api/v1/game-integrations", R"({"name": "cs2", "adapter_type": "cs2",
      "adapter_config": {"token": "wled-gsi-7f3c9a12e4b8"},
      "event_mappings": [
        {"event_type": "kill", "effect": "flash", "color": [255, 255, 255], "duration_ms": 300},
        {"event_type": "bomb_planted", "effect": "countdown", "color": [255, 0, 0]},
        {"event_type": "kill", "effect": "solid", "color": [255, 0, 0], "zone": "bar"}]})");
}

std::string create_device(httplib::Client& cli, const std::string& name, std::uint16_t port,
                          const std::string& integration_id, const std::string& zones = "[]") {
  return create(cli, "/api/v1/devices",
                R"({"name": ")" + name + R"(", "host": "127.0.0.1", "port": )"
                    + std::to_string(port) + R"(, "protocol": "ddp", "led_count": 3, "fps": 30,
                    "zones": )"
                    + zones + R"(, "integration_ids": [")" + integration_id + R"("]})");
}

void post_fixture(httplib::Client& cli, const std::string& id, const std::string& fixture) {
  auto res
      = cli.Post("/api/v1/game-integrations/" + id + "/event", read_fixture(fixture), json_type);
  REQUIRE(res);
  REQUIRE_EQ(res->status, 200);
}

/// The SSE text of the ring items of `GET .../events` (newest first) with seq above
/// `after`, oldest first: what a stream must have written for them.
std::string expected_events(httplib::Client& cli, const std::string& id, std::uint64_t after = 0,
                            const std::string& only_type = "") {
  auto res = cli.Get("/api/v1/game-integrations/" + id + "/events?limit=100");
  auto items = body_of(res)["events"];
  std::string text;
  for (auto i = items.rbegin(); i != items.rend(); ++i) {
    auto& x = *i;
    auto seq = x["seq"].get<std::uint64_t>();
    if (seq <= after || (!only_type.empty() && x["event_type"] != only_type))
      continue;
    text += "id: " + std::to_string(seq) + "\nevent: game_event\ndata: {\"seq\":"
            + std::to_string(seq) + ",\"integration_id\":\"" + id + "\",\"event_type\":\""
            + x["event_type"].get<std::string>() + "\",\"timestamp\":\""
            + x["timestamp"].get<std::string>() + "\",\"data\":" + x["data"].dump() + "}\n\n";
  }
  return text;
}

/// Reads from a stream until it has received `expected`'s length (or the time is up).
std::string read_exactly(raw_socket& conn, std::size_t size) {
  return conn.receive(10s, [size](const std::string& x) { return x.size() >= size; });
}

/// Returns the value of one sample line of /metrics, or -1.
long metric(httplib::Client& cli, const std::string& sample) {
  auto res = cli.Get("/metrics");
  REQUIRE(res);
  auto at = res->body.find("\n" + sample + " ");
  if (at == std::string::npos)
    return -1;
  return std::stol(res->body.substr(at + sample.size() + 2));
}

/// Polls /metrics until the sample has the value (streams end asynchronously).
bool metric_becomes(httplib::Client& cli, const std::string& sample, long value) {
  auto deadline = std::chrono::steady_clock::now() + 10s;
  while (std::chrono::steady_clock::now() < deadline) {
    if (metric(cli, sample) == value)
      return true;
    std::this_thread::sleep_for(10ms);
  }
  return false;
}

std::string status_text(const std::string& id, bool connected) {
  return "event: status\ndata: {\"integration_id\":\"" + id
         + "\",\"connected\":" + (connected ? "true" : "false") + "}\n\n";
}

} // namespace

TEST_CASE("an event stream writes a payload's events byte for byte") {
  daemon_fixture daemon;
  auto cli = daemon.client();
  auto id = create_cs2(cli);
  raw_socket conn{daemon.port()};
  REQUIRE(conn.send("GET /api/v1/events/stream HTTP/1.1\r\nHost: x\r\n\r\n"));
  auto head = read_exactly(conn, stream_head.size() + 13);
  CHECK_EQ(head, stream_head + "retry: 2000\n\n");
  CHECK(metric_becomes(cli, "gamelight_stream_clients", 1));
  for (auto* f : {"cs2_01_freezetime_start", "cs2_02_round_live", "cs2_03_damage_taken_low_health",
                  "cs2_04_kill_headshot"})
    post_fixture(cli, id, f);
  auto expected = status_text(id, true) + expected_events(cli, id);
  CHECK_NE(expected_events(cli, id), "");
  CHECK_EQ(read_exactly(conn, expected.size()), expected);
  // Nothing else: the next bytes would be a ping, 15 s from now.
  CHECK_EQ(conn.receive(200ms, [](const std::string& x) { return !x.empty(); }), "");
}

TEST_CASE("Last-Event-ID replays the rings, filtered, then the stream goes on live") {
  daemon_fixture daemon;
  auto cli = daemon.client();
  auto id = create_cs2(cli);
  for (auto* f : {"cs2_01_freezetime_start", "cs2_02_round_live", "cs2_03_damage_taken_low_health",
                  "cs2_04_kill_headshot"})
    post_fixture(cli, id, f);
  auto events = body_of(cli.Get("/api/v1/game-integrations/" + id + "/events"))["events"];
  REQUIRE(events.size() >= 3);
  // Resume after the oldest event, health_changed only.
  auto after = events.back()["seq"].get<std::uint64_t>();
  auto replay = expected_events(cli, id, after, "health_changed");
  REQUIRE_NE(replay, "");
  raw_socket conn{daemon.port()};
  REQUIRE(conn.send("GET /api/v1/events/stream?event_type=health_changed&integration_id=" + id
                    + " HTTP/1.1\r\nHost: x\r\nLast-Event-ID: " + std::to_string(after)
                    + "\r\n\r\n"));
  auto expected = stream_head + "retry: 2000\n\n" + replay;
  CHECK_EQ(read_exactly(conn, expected.size()), expected);
  // Live from here: the next payload's health_changed follows.
  auto before = expected_events(cli, id, 0, "health_changed");
  post_fixture(cli, id, "cs2_05_flashed");
  post_fixture(cli, id, "cs2_07_player_died");
  auto all = expected_events(cli, id, 0, "health_changed");
  REQUIRE_GT(all.size(), before.size());
  auto live = all.substr(before.size());
  CHECK_EQ(read_exactly(conn, live.size()), live);
}

TEST_CASE("streams refuse unknown ids, bad fps and more than max-streams") {
  daemon_setup setup;
  setup.max_streams = 2;
  daemon_fixture daemon{setup};
  auto cli = daemon.client();
  auto id = create_cs2(cli);
  auto dev = create_device(cli, "strip", 9, id);
  auto res = cli.Get("/api/v1/events/stream?integration_id=" + id + "&integration_id=gi_00000000");
  REQUIRE(res);
  CHECK_EQ(res->status, 404);
  CHECK_EQ(res->body, R"({"detail":"Game integration not found"})");
  res = cli.Get("/api/v1/devices/dev_00000000/frames/stream");
  REQUIRE(res);
  CHECK_EQ(res->status, 404);
  CHECK_EQ(res->body, R"({"detail":"Device not found"})");
  for (auto [fps, msg, type] :
       {std::tuple{"0", "Input should be greater than or equal to 1", "greater_than_equal"},
        std::tuple{"31", "Input should be less than or equal to 30", "less_than_equal"},
        std::tuple{"x", "Input should be a valid integer, unable to parse string as an integer",
                   "int_parsing"}}) {
    res = cli.Get("/api/v1/devices/" + dev + "/frames/stream?fps=" + fps);
    REQUIRE(res);
    CHECK_EQ(res->status, 422);
    CHECK_EQ(body_of(res)["detail"][0]["loc"], json::array({"query", "fps"}));
    CHECK_EQ(body_of(res)["detail"][0]["msg"], msg);
    CHECK_EQ(body_of(res)["detail"][0]["type"], type);
  }
  // Two streams (one of each kind) fill max-streams; a third gets 503 with Retry-After.
  raw_socket events{daemon.port()};
  REQUIRE(events.send("GET /api/v1/events/stream HTTP/1.1\r\nHost: x\r\n\r\n"));
  CHECK_EQ(read_exactly(events, stream_head.size() + 13), stream_head + "retry: 2000\n\n");
  std::optional<raw_socket> frames;
  frames.emplace(daemon.port());
  REQUIRE(
      frames->send("GET /api/v1/devices/" + dev + "/frames/stream HTTP/1.1\r\nHost: x\r\n\r\n"));
  CHECK_EQ(read_exactly(*frames, stream_head.size()).substr(0, stream_head.size()), stream_head);
  res = cli.Get("/api/v1/events/stream");
  REQUIRE(res);
  CHECK_EQ(res->status, 503);
  CHECK_EQ(res->get_header_value("Retry-After"), "1");
  CHECK_EQ(res->body, R"({"detail":"service unavailable: too many streams open; retry later"})");
  CHECK_EQ(metric(cli, "gamelight_stream_disconnects_total{reason=\"refused\"}"), 1);
  // A stream that ends frees its slot.
  frames.reset();
  CHECK(metric_becomes(cli, "gamelight_stream_clients", 1));
  CHECK_EQ(metric(cli, "gamelight_stream_disconnects_total{reason=\"closed\"}"), 1);
  raw_socket again{daemon.port()};
  REQUIRE(again.send("GET /api/v1/events/stream HTTP/1.1\r\nHost: x\r\n\r\n"));
  CHECK_EQ(read_exactly(again, stream_head.size() + 13), stream_head + "retry: 2000\n\n");
}

TEST_CASE("a stream reader 1 MiB behind is dropped while ingestion goes on at full rate") {
  daemon_fixture daemon;
  auto cli = daemon.client();
  auto id = create(cli, "/api/v1/game-integrations",
                   R"({"name": "big", "adapter_type": "generic", "adapter_config": {}})");
  raw_socket slow{daemon.port(), 4096};
  REQUIRE(slow.send("GET /api/v1/events/stream HTTP/1.1\r\nHost: x\r\n\r\n"));
  CHECK(metric_becomes(cli, "gamelight_stream_clients", 1));
  // 64 events of about 1 KiB each per payload; the reader never reads.
  std::string items;
  for (int i = 0; i < 64; ++i)
    items += std::string{i == 0 ? "" : ","} + R"({"event_type": "big", "data": {"pad": ")"
             + std::string(1000, 'x') + R"("}})";
  auto payload = R"({"events": [)" + items + "]}";
  int posted = 0;
  for (; posted < 400 && metric(cli, "gamelight_stream_disconnects_total{reason=\"slow\"}") < 1;
       ++posted) {
    auto res = cli.Post("/api/v1/game-integrations/" + id + "/event", payload, json_type);
    REQUIRE(res);
    REQUIRE_EQ(res->status, 200);
  }
  CHECK_LT(posted, 400);
  CHECK(metric_becomes(cli, "gamelight_stream_clients", 0));
  CHECK_EQ(metric(cli, "gamelight_stream_disconnects_total{reason=\"slow\"}"), 1);
  CHECK(slow.closed_within(10s));
  // Ingestion was never held up: every payload answered, every event counted.
  auto status = body_of(cli.Get("/api/v1/game-integrations/" + id + "/status"));
  CHECK_EQ(status["payload_count"], posted);
  CHECK_EQ(status["event_count"], posted * 64);
}

TEST_CASE("a frame stream shows the device's frames, then idle, and ends with the device") {
  daemon_fixture daemon;
  auto cli = daemon.client();
  auto id = create_cs2(cli);
  udp_receiver rx;
  auto dev = create_device(cli, "strip", rx.port(), id);
  raw_socket conn{daemon.port()};
  REQUIRE(conn.send("GET /api/v1/devices/" + dev
                    + "/frames/stream?fps=30 HTTP/1.1\r\nHost: x\r\n\r\n"));
  auto idle = std::string{
      "event: frame\ndata: {\"active\":false,\"led_count\":3,\"rgb\":\"AAAAAAAAAAAA\"}\n\n"};
  auto expected = stream_head + "retry: 2000\n\n" + idle;
  CHECK_EQ(read_exactly(conn, expected.size()), expected);
  // A sticky red solid: one frame (later ones are the same), then off: the idle frame.
  auto url = "/api/v1/devices/" + dev + "/test";
  auto res
      = cli.Post(url, R"({"effect": "solid", "color": [255, 0, 0], "duration_ms": 0})", json_type);
  REQUIRE(res);
  REQUIRE_EQ(res->status, 202);
  auto red = std::string{
      "event: frame\ndata: {\"active\":true,\"led_count\":3,\"rgb\":\"/wAA/wAA/wAA\"}\n\n"};
  CHECK_EQ(read_exactly(conn, red.size()), red);
  res = cli.Post(url, R"({"effect": "off"})", json_type);
  REQUIRE(res);
  REQUIRE_EQ(res->status, 202);
  CHECK_EQ(read_exactly(conn, idle.size()), idle);
  res = cli.Delete("/api/v1/devices/" + dev);
  REQUIRE(res);
  REQUIRE_EQ(res->status, 204);
  CHECK(conn.closed_within(10s));
}

TEST_CASE("the mapping test plays each (mapping, device) as ingestion would and records nothing") {
  daemon_fixture daemon;
  auto cli = daemon.client();
  auto id = create_cs2(cli);
  udp_receiver rx1;
  udp_receiver rx2;
  auto with_zone = create_device(cli, "zoned", rx1.port(), id,
                                 R"([{"name": "bar", "start": 0, "length": 2}])");
  auto plain = create_device(cli, "plain", rx2.port(), id);
  // Devices in the order the API lists them.
  std::vector<std::string> order;
  auto listed = body_of(cli.Get("/api/v1/devices"));
  for (auto& d : listed["devices"])
    order.push_back(d["id"]);
  REQUIRE_EQ(order.size(), 2u);
  // Disabled integrations play too.
  auto res = cli.Put("/api/v1/game-integrations/" + id, R"({"enabled": false})", json_type);
  REQUIRE(res);
  REQUIRE_EQ(res->status, 200);
  auto url = "/api/v1/game-integrations/" + id + "/test";
  res = cli.Post(url, R"({"event_type": "kill", "data": {"round_kills": 1}})", json_type);
  REQUIRE(res);
  CHECK_EQ(res->status, 202);
  json played = json::array();
  for (auto& d : order)
    played.push_back({{"device_id", d}, {"effect", "flash"}, {"zone", nullptr}});
  played.push_back({{"device_id", with_zone}, {"effect", "solid"}, {"zone", "bar"}});
  CHECK_EQ(res->body, json{{"played", played}}.dump());
  // Both strips light up: a white flash (the solid red sits below it, priority ties: newest).
  REQUIRE(rx1.receive(2000ms));
  REQUIRE(rx2.receive(2000ms));
  // No event was recorded, no payload counted.
  auto status = body_of(cli.Get("/api/v1/game-integrations/" + id + "/status"));
  CHECK_EQ(status["payload_count"], 0);
  CHECK_EQ(status["event_count"], 0);
  CHECK_EQ(body_of(cli.Get("/api/v1/game-integrations/" + id + "/events"))["count"], 0);
  // An event without mappings plays nothing.
  res = cli.Post(url, R"({"event_type": "round_live"})", json_type);
  REQUIRE(res);
  CHECK_EQ(res->status, 202);
  CHECK_EQ(res->body, R"({"played":[]})");
  // Refusals.
  res = cli.Post(url, R"({"data": []})", json_type);
  REQUIRE(res);
  CHECK_EQ(res->status, 422);
  auto detail = body_of(res)["detail"];
  REQUIRE_EQ(detail.size(), 2u);
  CHECK_EQ(detail[0]["loc"], json::array({"body", "event_type"}));
  CHECK_EQ(detail[0]["type"], "missing");
  CHECK_EQ(detail[1]["loc"], json::array({"body", "data"}));
  CHECK_EQ(detail[1]["type"], "dict_type");
  res = cli.Post(url, R"({"event_type": "kill", "extra": 1})", json_type);
  REQUIRE(res);
  CHECK_EQ(res->status, 422);
  CHECK_EQ(body_of(res)["detail"][0]["type"], "extra_forbidden");
  // An event the adapter lacks: the same 422 as in a mapping.
  res = cli.Post(url, R"({"event_type": "sparkle"})", json_type);
  REQUIRE(res);
  CHECK_EQ(res->status, 422);
  auto refused
      = cli.Put("/api/v1/game-integrations/" + id,
                R"({"event_mappings": [{"event_type": "sparkle", "effect": "flash"}]})", json_type);
  REQUIRE(refused);
  REQUIRE_EQ(refused->status, 422);
  auto mapping_detail = body_of(refused)["detail"][0];
  CHECK_EQ(body_of(res)["detail"][0]["msg"], mapping_detail["msg"]);
  CHECK_EQ(body_of(res)["detail"][0]["type"], mapping_detail["type"]);
  CHECK_EQ(body_of(res)["detail"][0]["loc"], json::array({"body", "event_type"}));
  res = cli.Post(url, "{", json_type);
  REQUIRE(res);
  CHECK_EQ(res->status, 400);
  res = cli.Post("/api/v1/game-integrations/gi_00000000/test", R"({"event_type": "kill"})",
                 json_type);
  REQUIRE(res);
  CHECK_EQ(res->status, 404);
  CHECK_EQ(res->body, R"({"detail":"Game integration not found"})");
}
