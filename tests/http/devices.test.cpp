#include "tests/http/fixture.hpp"
#include "tests/led/udp_receiver.hpp"
#include "tests/probe/fake_wled.hpp"

using namespace gamelight;
using namespace gamelight::test;
using gamelight::testing::udp_receiver;
using namespace std::chrono_literals;

namespace {

/// A CS2 integration: white 300 ms flash on a kill, red countdown on the bomb.
std::string create_cs2(httplib::Client& cli) {
  auto res = cli.Post("/api/v1/game-integrations", R"({"name": "cs2", "adapter_type": "cs2",
      "adapter_config": {"token": "wled-gsi-7f3c9a12e4b8"},
      "event_mappings": [
        {"event_type": "kill", "effect": "flash", "color": [255, 255, 255], "duration_ms": 300,
         "priority": 90},
        {"event_type": "bomb_planted", "effect": "countdown", "color": [255, 0, 0],
         "priority": 80}]})",
                      json_type);
  REQUIRE(res);
  REQUIRE_MESSAGE(res->status == 201, res->body);
  return body_of(res)["id"];
}

json create_device(httplib::Client& cli, const std::string& name, const std::string& protocol,
                   std::uint16_t port, const std::string& integration_id,
                   const std::string& host = "127.0.0.1") {
  json body = {{"name", name},
               {"host", host},
               {"port", port},
               {"protocol", protocol},
               {"led_count", 4},
               {"fps", 40},
               {"integration_ids", json::array({integration_id})}};
  auto res = cli.Post("/api/v1/devices", body.dump(), json_type);
  REQUIRE(res);
  REQUIRE_MESSAGE(res->status == 201, res->body);
  return body_of(res);
}

void post_fixture(httplib::Client& cli, const std::string& id, const std::string& fixture) {
  auto res
      = cli.Post("/api/v1/game-integrations/" + id + "/event", read_fixture(fixture), json_type);
  REQUIRE(res);
  REQUIRE_EQ(res->status, 200);
}

/// Plays the CS2 sequence up to the headshot kill (01 is the baseline).
void play_until_kill(httplib::Client& cli, const std::string& id) {
  for (auto* f : {"cs2_01_freezetime_start", "cs2_02_round_live", "cs2_03_damage_taken_low_health",
                  "cs2_04_kill_headshot"})
    post_fixture(cli, id, f);
}

/// Returns the RGB bytes of the first LEDs of a datagram, by protocol.
std::vector<std::uint8_t> pixels_of(const std::string& protocol, const udp_receiver::bytes& d) {
  std::size_t offset = protocol == "ddp" ? 10 : protocol == "dnrgb" ? 4 : 126;
  REQUIRE(d.size() >= offset);
  return {d.begin() + static_cast<std::ptrdiff_t>(offset), d.end()};
}

/// Receives until `quiet` passes without a datagram; returns them all.
std::vector<udp_receiver::bytes> drain(udp_receiver& rx, std::chrono::milliseconds quiet) {
  std::vector<udp_receiver::bytes> result;
  while (auto d = rx.receive(quiet))
    result.push_back(std::move(*d));
  return result;
}

} // namespace

TEST_CASE("a kill flashes the subscribed strip white over every protocol") {
  for (std::string protocol : {"ddp", "dnrgb", "e131"}) {
    CAPTURE(protocol);
    daemon_fixture daemon;
    auto cli = daemon.client();
    udp_receiver rx;
    auto id = create_cs2(cli);
    auto dev = create_device(cli, "strip", protocol, rx.port(), id);
    play_until_kill(cli, id);
    auto first = rx.receive(2000ms);
    REQUIRE(first);
    // The first frame is the flash at t = 0: full white on all 4 LEDs.
    CHECK_EQ(pixels_of(protocol, *first),
             std::vector<std::uint8_t>(protocol == "e131" ? 4 * 3 : 12, 255));
    if (protocol == "ddp") {
      CHECK_EQ((*first)[0], 0x41); // version 1, push
      CHECK_EQ((*first)[2], 0x0B); // RGB, 8 bit
      CHECK_EQ((*first)[3], 0x01); // default display
      CHECK_EQ((*first)[9], 12);   // 12 data bytes
    } else if (protocol == "dnrgb") {
      CHECK_EQ((*first)[0], 4);
      CHECK_EQ((*first)[1], 2);
    }
    // Frames stop once the 300 ms flash is over.
    auto rest = drain(rx, 400ms);
    CHECK_GE(rest.size(), 3u);
    CHECK_FALSE(rx.receive(300ms));
    auto res = cli.Get("/api/v1/devices/" + dev["id"].get<std::string>() + "/status");
    REQUIRE(res);
    REQUIRE_EQ(res->status, 200);
    auto status = body_of(res);
    CHECK_EQ(status["send_errors"], 0);
    CHECK_EQ(status["active_effects"].dump(), "[]");
    // E1.31 ends its stream with 3 terminate packets, which are not frames.
    auto expected_frames = 1 + rest.size() - (protocol == "e131" ? 3 : 0);
    CHECK_EQ(status["frames_sent"], expected_frames);
  }
}

TEST_CASE("device CRUD validates and refuses to orphan references") {
  daemon_fixture daemon;
  auto cli = daemon.client();
  auto id = create_cs2(cli);
  auto res = cli.Post("/api/v1/devices",
                      R"({"name": "strip", "host": "127.0.0.1", "led_count": 60,
                          "integration_ids": ["gi_00000000"]})",
                      json_type);
  REQUIRE(res);
  CHECK_EQ(res->status, 422);
  CHECK_EQ(res->body,
           R"({"detail":[{"loc":["body","integration_ids",0],)"
           R"("msg":"Game integration 'gi_00000000' not found","type":"value_error"}]})");
  auto dev = create_device(cli, "strip", "ddp", 4048, id);
  CHECK_EQ(dev["port"], 4048);
  CHECK_EQ(dev["brightness"], 1.0);
  CHECK_EQ(dev["enabled"], true);
  auto dev_id = dev["id"].get<std::string>();
  res = cli.Post("/api/v1/devices", R"({"name": "STRIP", "host": "10.0.0.2", "led_count": 1})",
                 json_type);
  REQUIRE(res);
  CHECK_EQ(res->status, 409);
  CHECK_EQ(res->body, R"({"detail":"Device with name 'STRIP' already exists"})");
  res = cli.Delete("/api/v1/game-integrations/" + id);
  REQUIRE(res);
  CHECK_EQ(res->status, 409);
  CHECK_EQ(res->body, R"x({"detail":{"message":"Game integration is referenced by 1 device(s)",)x"
                      R"("references":[{"type":"device","id":")"
                          + dev_id + R"(","name":"strip"}]}})");
  res = cli.Get("/api/v1/devices");
  REQUIRE(res);
  CHECK_EQ(body_of(res)["count"], 1);
  res = cli.Put("/api/v1/devices/" + dev_id, R"({"fps": 60, "brightness": 0.5})", json_type);
  REQUIRE(res);
  CHECK_EQ(res->status, 200);
  CHECK_EQ(body_of(res)["fps"], 60);
  res = cli.Delete("/api/v1/devices/" + dev_id);
  REQUIRE(res);
  CHECK_EQ(res->status, 204);
  res = cli.Delete("/api/v1/game-integrations/" + id);
  REQUIRE(res);
  CHECK_EQ(res->status, 204);
  res = cli.Get("/api/v1/devices/" + dev_id + "/status");
  REQUIRE(res);
  CHECK_EQ(res->status, 404);
  CHECK_EQ(res->body, R"({"detail":"Device not found"})");
}

TEST_CASE("a broken device never stalls ingestion or the other devices") {
  daemon_fixture daemon;
  auto cli = daemon.client();
  udp_receiver good;
  udp_receiver closed;
  auto closed_port = closed.port();
  closed.close();
  auto id = create_cs2(cli);
  auto ok_dev = create_device(cli, "good", "ddp", good.port(), id);
  auto bad_dev = create_device(cli, "closed", "ddp", closed_port, id);
  auto nowhere = create_device(cli, "nowhere", "dnrgb", 21324, id, "no-such-host.invalid");
  play_until_kill(cli, id);
  REQUIRE(good.receive(2000ms));
  drain(good, 400ms);
  auto status_of = [&](const json& dev) {
    auto res = cli.Get("/api/v1/devices/" + dev["id"].get<std::string>() + "/status");
    REQUIRE(res);
    REQUIRE_EQ(res->status, 200);
    return body_of(res);
  };
  CHECK_EQ(status_of(ok_dev)["send_errors"], 0);
  CHECK_GT(status_of(bad_dev)["send_errors"].get<int>(), 0);
  CHECK_GT(status_of(nowhere)["send_errors"].get<int>(), 0);
  // Ingestion still answers at once.
  auto res = cli.Get("/api/v1/health");
  REQUIRE(res);
  CHECK_EQ(res->status, 200);
}

TEST_CASE("the test route plays a flash, or the effect given") {
  daemon_fixture daemon;
  auto cli = daemon.client();
  udp_receiver rx;
  auto id = create_cs2(cli);
  auto dev = create_device(cli, "strip", "ddp", rx.port(), id);
  auto url = "/api/v1/devices/" + dev["id"].get<std::string>() + "/test";
  auto res = cli.Post(url, "", json_type);
  REQUIRE(res);
  CHECK_EQ(res->status, 202);
  CHECK_EQ(res->body, R"({"played":"flash"})");
  auto frame = rx.receive(2000ms);
  REQUIRE(frame);
  CHECK_EQ(pixels_of("ddp", *frame), std::vector<std::uint8_t>(12, 255));
  drain(rx, 300ms);
  res = cli.Post(url, R"({"effect": "solid", "color": [0, 0, 255], "duration_ms": 200})",
                 json_type);
  REQUIRE(res);
  CHECK_EQ(res->status, 202);
  CHECK_EQ(res->body, R"({"played":"solid"})");
  frame = rx.receive(2000ms);
  REQUIRE(frame);
  CHECK_EQ(pixels_of("ddp", *frame),
           (std::vector<std::uint8_t>{0, 0, 255, 0, 0, 255, 0, 0, 255, 0, 0, 255}));
  res = cli.Post(url, R"({"effect": "sparkle"})", json_type);
  REQUIRE(res);
  CHECK_EQ(res->status, 422);
  res = cli.Post("/api/v1/devices/dev_00000000/test", "", json_type);
  REQUIRE(res);
  CHECK_EQ(res->status, 404);
}

TEST_CASE("ingestion answers at once while devices vanish or stop resolving") {
  daemon_fixture daemon;
  auto cli = daemon.client();
  udp_receiver good;
  udp_receiver vanishing;
  udp_receiver moving;
  auto created
      = cli.Post("/api/v1/game-integrations", R"({"name": "boss", "adapter_type": "generic",
      "event_mappings": [{"event_type": "boss_defeated", "effect": "flash",
                          "color": [255, 255, 255], "duration_ms": 100}]})",
                 json_type);
  REQUIRE(created);
  REQUIRE_EQ(created->status, 201);
  std::string id = body_of(created)["id"];
  auto good_dev = create_device(cli, "good", "ddp", good.port(), id);
  auto gone_dev = create_device(cli, "vanishing", "ddp", vanishing.port(), id);
  auto nowhere = create_device(cli, "nowhere", "e131", 5568, id, "no-such-host.invalid");
  // Resolves at first (to whichever loopback address), then its host stops resolving.
  auto moved_dev = create_device(cli, "moving", "dnrgb", moving.port(), id, "localhost");
  auto device_url = [](const json& dev) {
    return "/api/v1/devices/" + dev["id"].get<std::string>();
  };
  constexpr int payloads = 60;
  auto started = std::chrono::steady_clock::now();
  for (int i = 0; i < payloads; ++i) {
    CAPTURE(i);
    if (i == 20)
      vanishing.close();
    if (i == 30) {
      auto res
          = cli.Put(device_url(moved_dev), R"({"host": "stopped-resolving.invalid"})", json_type);
      REQUIRE(res);
      REQUIRE_EQ(res->status, 200);
    }
    auto res = cli.Post("/api/v1/game-integrations/" + id + "/event",
                        R"({"event_type": "boss_defeated", "data": {"round": )" + std::to_string(i)
                            + "}}",
                        json_type);
    REQUIRE(res);
    REQUIRE_EQ(res->status, 200);
    CHECK_EQ(res->body, R"({"accepted":true,"events":["boss_defeated"]})");
    // Every event wakes the healthy strip: at least one frame per payload arrives.
    REQUIRE(good.receive(5000ms));
  }
  // Generous: 60 payloads take milliseconds each when nothing stalls.
  CHECK_LT(std::chrono::steady_clock::now() - started, 30s);
  auto status_of = [&](const json& dev) {
    auto res = cli.Get(device_url(dev) + "/status");
    REQUIRE(res);
    REQUIRE_EQ(res->status, 200);
    return body_of(res);
  };
  auto good_status = status_of(good_dev);
  CHECK_EQ(good_status["send_errors"], 0);
  CHECK_GE(good_status["frames_sent"].get<int>(), payloads);
  CHECK_GT(status_of(gone_dev)["send_errors"].get<int>(), 0);
  CHECK_GT(status_of(nowhere)["send_errors"].get<int>(), 0);
  CHECK_GT(status_of(moved_dev)["send_errors"].get<int>(), 0);
  auto res = cli.Get("/api/v1/game-integrations/" + id + "/status");
  REQUIRE(res);
  auto status = body_of(res);
  CHECK_EQ(status["payload_count"], payloads);
  CHECK_EQ(status["event_count"], payloads);
  CHECK_EQ(status["rejected_count"], 0);
}

TEST_CASE("the probe route reads a WLED's facts and refuses bad bodies") {
  gamelight::testing::fake_wled wled{[](httplib::Server& srv) {
    srv.Get("/json/info", [](const httplib::Request&, httplib::Response& res) {
      res.set_content(gamelight::testing::wled_info_body, "application/json");
    });
  }};
  daemon_fixture daemon;
  auto cli = daemon.client();
  auto res = cli.Post("/api/v1/devices/probe",
                      R"({"host": "127.0.0.1", "port": )" + std::to_string(wled.port()) + "}",
                      json_type);
  REQUIRE(res);
  CHECK_EQ(res->status, 200);
  CHECK_EQ(res->body, R"({"reachable":true,"name":"WLED-Desk","version":"0.14.4",)"
                      R"("led_count":120,"mac":"a4cf12fdaeb4"})");
  CHECK(wled.paths() == std::vector<std::string>{"GET /json/info"});
  auto bad
      = cli.Post("/api/v1/devices/probe", R"({"host": "127.0.0.1", "port": 0, "x": 1})", json_type);
  REQUIRE(bad);
  CHECK_EQ(bad->status, 422);
  auto locs = body_of(bad)["detail"];
  REQUIRE_EQ(locs.size(), 2u);
  CHECK_EQ(locs[0]["loc"].dump(), R"(["body","port"])");
  CHECK_EQ(locs[1]["loc"].dump(), R"(["body","x"])");
}

TEST_CASE("the test route refuses a zone the device lacks") {
  daemon_fixture daemon;
  auto cli = daemon.client();
  auto created = cli.Post("/api/v1/devices", R"({"name": "zoned", "host": "127.0.0.1",
      "led_count": 60, "zones": [{"name": "health", "start": 0, "length": 30}]})",
                          json_type);
  REQUIRE(created);
  REQUIRE_EQ(created->status, 201);
  auto url = "/api/v1/devices/" + body_of(created)["id"].get<std::string>() + "/test";
  auto refused = cli.Post(url, R"({"zone": "ammo"})", json_type);
  REQUIRE(refused);
  CHECK_EQ(refused->status, 422);
  CHECK_EQ(body_of(refused)["detail"][0]["loc"].dump(), R"(["body","zone"])");
  auto played = cli.Post(url, R"({"zone": "health"})", json_type);
  REQUIRE(played);
  CHECK_EQ(played->status, 202);
}
