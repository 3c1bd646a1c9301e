#include "common/process_stats.hpp"
#include "tests/http/fixture.hpp"

#include <atomic>

using namespace gamelight;
using namespace gamelight::test;

namespace {

std::string create(httplib::Client& cli, const std::string& body) {
  auto res = cli.Post("/api/v1/game-integrations", body, json_type);
  REQUIRE(res);
  REQUIRE_MESSAGE(res->status == 201, res->body);
  return body_of(res)["id"];
}

std::string create_cs2(httplib::Client& cli, const std::string& name = "cs2") {
  return create(cli, R"({"name": ")" + name + R"(", "adapter_type": "cs2",
                         "adapter_config": {"token": "wled-gsi-7f3c9a12e4b8"}})");
}

httplib::Result post_event(httplib::Client& cli, const std::string& id, const std::string& body,
                           const httplib::Headers& headers = {}) {
  return cli.Post("/api/v1/game-integrations/" + id + "/event", headers, body, json_type);
}

/// Posts a fixture and returns the event names of the answer.
std::vector<std::string> events_of(httplib::Client& cli, const std::string& id,
                                   const std::string& fixture) {
  auto res = post_event(cli, id, read_fixture(fixture));
  REQUIRE(res);
  REQUIRE_MESSAGE(res->status == 200, res->body);
  auto body = body_of(res);
  REQUIRE_EQ(body["accepted"], true);
  std::vector<std::string> result;
  for (auto& e : body["events"])
    result.push_back(e);
  return result;
}

json status_of(httplib::Client& cli, const std::string& id) {
  auto res = cli.Get("/api/v1/game-integrations/" + id + "/status");
  REQUIRE(res);
  REQUIRE_EQ(res->status, 200);
  return body_of(res);
}

using names = std::vector<std::string>;

} // namespace

TEST_CASE("the CS2 fixture sequence yields the events of adapters.md over HTTP") {
  daemon_fixture daemon;
  auto cli = daemon.client();
  auto id = create_cs2(cli);
  CHECK_EQ(events_of(cli, id, "cs2_01_freezetime_start"), names{});
  CHECK_EQ(events_of(cli, id, "cs2_02_round_live"), names{"round_live"});
  CHECK_EQ(events_of(cli, id, "cs2_03_damage_taken_low_health"),
           names{"damage_taken", "health_low", "health_changed"});
  CHECK_EQ(events_of(cli, id, "cs2_04_kill_headshot"), names{"kill", "headshot", "ammo_changed"});
  CHECK_EQ(events_of(cli, id, "cs2_05_flashed"), names{"flashed"});
  CHECK_EQ(events_of(cli, id, "cs2_06_bomb_planted"), names{"bomb_planted"});
  CHECK_EQ(events_of(cli, id, "cs2_07_player_died"),
           names{"damage_taken", "death", "health_changed"});
  CHECK_EQ(events_of(cli, id, "cs2_08_dead_spectating_teammate"), names{});
  CHECK_EQ(events_of(cli, id, "cs2_09_bomb_defused_round_over_ct_win"),
           names{"bomb_defused", "round_won"});
  CHECK_EQ(events_of(cli, id, "cs2_10_next_round_freezetime_self_again"),
           names{"round_freezetime", "health_changed", "ammo_changed"});
  auto status = status_of(cli, id);
  CHECK_EQ(status["integration_id"], id);
  CHECK_EQ(status["enabled"], true);
  CHECK_EQ(status["connected"], true);
  CHECK_EQ(status["payload_count"], 10);
  CHECK_EQ(status["event_count"], 17);
  CHECK_EQ(status["rejected_count"], 0);
  CHECK_EQ(
      status["events_by_type"].dump(),
      R"({"ammo_changed":2,"bomb_defused":1,"bomb_planted":1,"damage_taken":2,"death":1,"flashed":1,)"
      R"("headshot":1,"health_changed":3,"health_low":1,"kill":1,"round_freezetime":1,)"
      R"("round_live":1,"round_won":1})");
  auto res = cli.Get("/api/v1/game-integrations/" + id + "/events?limit=3");
  REQUIRE(res);
  REQUIRE_EQ(res->status, 200);
  auto recent = body_of(res);
  CHECK_EQ(recent["integration_id"], id);
  CHECK_EQ(recent["count"], 3);
  CHECK_EQ(recent["events"][0]["event_type"], "ammo_changed");
  CHECK_EQ(recent["events"][0]["data"].dump(),
           R"({"weapon":"weapon_usp_silencer","ammo_clip":12,"ammo_clip_max":12,"fraction":1.0})");
  CHECK_EQ(recent["events"][1]["event_type"], "health_changed");
  CHECK_EQ(recent["events"][1]["data"].dump(), R"({"health":100,"fraction":1.0})");
  CHECK_EQ(recent["events"][2]["event_type"], "round_freezetime");
}

TEST_CASE("the alternative CS2 branch ends in bomb_exploded and round_lost") {
  daemon_fixture daemon;
  auto cli = daemon.client();
  auto id = create_cs2(cli);
  for (auto* f : {"cs2_01_freezetime_start", "cs2_02_round_live", "cs2_03_damage_taken_low_health",
                  "cs2_04_kill_headshot", "cs2_05_flashed", "cs2_06_bomb_planted",
                  "cs2_07_player_died", "cs2_08_dead_spectating_teammate"})
    events_of(cli, id, f);
  CHECK_EQ(events_of(cli, id, "cs2_09alt_bomb_exploded_round_over_t_win"),
           names{"bomb_exploded", "round_lost"});
}

TEST_CASE("the Dota 2 fixture sequence yields the events of adapters.md") {
  daemon_fixture daemon;
  auto cli = daemon.client();
  auto id = create(cli, R"({"name": "dota", "adapter_type": "dota2",
                            "adapter_config": {"token": "wled-dota-51ae08c3"}})");
  CHECK_EQ(events_of(cli, id, "dota2_01_hero_low_health"), names{});
  CHECK_EQ(events_of(cli, id, "dota2_02_hero_died"), names{"death", "health_changed"});
  CHECK_EQ(events_of(cli, id, "dota2_03_respawned_level_up"),
           names{"respawn", "level_up", "health_changed", "mana_changed"});
}

TEST_CASE("rejected payloads are counted and leave the baseline untouched") {
  daemon_fixture daemon;
  auto cli = daemon.client();
  auto id = create_cs2(cli);
  events_of(cli, id, "cs2_01_freezetime_start");
  auto good = read_fixture("cs2_02_round_live");
  auto wrong_token = good;
  wrong_token.replace(wrong_token.find("wled-gsi-7f3c9a12e4b8"), 21, "wled-gsi-00000000000x");
  auto res = post_event(cli, id, wrong_token);
  REQUIRE(res);
  CHECK_EQ(res->status, 401);
  res = post_event(cli, id, good.substr(0, good.size() / 2));
  REQUIRE(res);
  CHECK_EQ(res->status, 400);
  res = post_event(cli, id, "[1, 2, 3]");
  REQUIRE(res);
  CHECK_EQ(res->status, 401);
  auto stringly = good;
  stringly.replace(stringly.find("\"health\": 100"), 13, "\"health\": \"100\"");
  res = post_event(cli, id, stringly);
  REQUIRE(res);
  CHECK_EQ(res->status, 422);
  res = post_event(cli, id, std::string(100000, '[') + std::string(100000, ']'));
  REQUIRE(res);
  CHECK_EQ(res->status, 400);
  res = post_event(cli, id, std::string(2 * 1024 * 1024, ' '));
  REQUIRE(res);
  CHECK_EQ(res->status, 413);
  CHECK_EQ(res->body, R"x({"detail":"payload too large (limit 1048576 bytes)"})x");
  res = post_event(cli, "gi_00000000", good);
  REQUIRE(res);
  CHECK_EQ(res->status, 404);
  CHECK_EQ(res->body, R"({"detail":"Game integration not found"})");
  // The next good payload still diffs against the last accepted one.
  CHECK_EQ(events_of(cli, id, "cs2_02_round_live"), names{"round_live"});
  auto status = status_of(cli, id);
  CHECK_EQ(status["payload_count"], 2);
  CHECK_EQ(status["rejected_count"], 6);
}

TEST_CASE("a disabled integration answers accepted false and counts nothing") {
  daemon_fixture daemon;
  auto cli = daemon.client();
  auto id = create_cs2(cli);
  events_of(cli, id, "cs2_01_freezetime_start");
  auto res = cli.Put("/api/v1/game-integrations/" + id, R"({"enabled": false})", json_type);
  REQUIRE(res);
  REQUIRE_EQ(res->status, 200);
  res = post_event(cli, id, read_fixture("cs2_02_round_live"));
  REQUIRE(res);
  CHECK_EQ(res->status, 200);
  CHECK_EQ(res->body, R"({"accepted":false,"reason":"integration disabled"})");
  res = post_event(cli, id, "not even json");
  REQUIRE(res);
  CHECK_EQ(res->status, 200);
  CHECK_EQ(status_of(cli, id)["payload_count"], 1);
  // Re-enabling starts from a fresh baseline and fresh counters.
  res = cli.Put("/api/v1/game-integrations/" + id, R"({"enabled": true})", json_type);
  REQUIRE(res);
  CHECK_EQ(events_of(cli, id, "cs2_03_damage_taken_low_health"), names{});
  CHECK_EQ(events_of(cli, id, "cs2_04_kill_headshot"), names{"kill", "headshot", "ammo_changed"});
  CHECK_EQ(status_of(cli, id)["payload_count"], 2);
}

TEST_CASE("a config change is live for the very next payload") {
  daemon_fixture daemon;
  auto cli = daemon.client();
  auto id = create_cs2(cli);
  events_of(cli, id, "cs2_02_round_live");
  // Health 100 -> 18 crosses the default threshold (30) but not a threshold of 10.
  auto res = cli.Put("/api/v1/game-integrations/" + id,
                     R"({"adapter_config": {"token": "********", "health_low_threshold": 10}})",
                     json_type);
  REQUIRE(res);
  REQUIRE_EQ(res->status, 200);
  // A changed adapter_config starts a new baseline.
  CHECK_EQ(events_of(cli, id, "cs2_02_round_live"), names{});
  CHECK_EQ(events_of(cli, id, "cs2_03_damage_taken_low_health"),
           names{"damage_taken", "health_changed"});
}

TEST_CASE("events and status of unknown integrations are 404, limit is validated") {
  daemon_fixture daemon;
  auto cli = daemon.client();
  auto id = create_cs2(cli);
  auto res = cli.Get("/api/v1/game-integrations/gi_00000000/status");
  REQUIRE(res);
  CHECK_EQ(res->status, 404);
  res = cli.Get("/api/v1/game-integrations/gi_00000000/events");
  REQUIRE(res);
  CHECK_EQ(res->status, 404);
  for (auto* bad : {"0", "101", "abc", "1.5"}) {
    res = cli.Get("/api/v1/game-integrations/" + id + "/events?limit=" + bad);
    REQUIRE(res);
    CHECK_EQ(res->status, 422);
  }
  auto status = status_of(cli, id);
  CHECK_EQ(status["connected"], false);
  CHECK_EQ(status["last_payload_at"], nullptr);
  CHECK_EQ(status["last_event_at"], nullptr);
}

TEST_CASE("50 integrations fed concurrently keep exact, separate counts") {
  daemon_fixture daemon;
  auto cli = daemon.client();
  constexpr int integrations = 50;
  constexpr int payloads = 200;
  std::vector<std::string> ids;
  for (int i = 0; i < integrations; ++i)
    ids.push_back(create_cs2(cli, "rig " + std::to_string(i)));
  auto live = read_fixture("cs2_02_round_live");
  auto freeze = read_fixture("cs2_01_freezetime_start");
  std::atomic<int> failures{0};
  std::vector<std::thread> threads;
  for (int i = 0; i < integrations; ++i)
    threads.emplace_back([&, i] {
      httplib::Client own{"127.0.0.1", daemon.port()};
      for (int n = 0; n < payloads; ++n) {
        auto res = post_event(own, ids[i], n % 2 == 0 ? freeze : live);
        if (!res || res->status != 200)
          ++failures;
      }
    });
  for (auto& t : threads)
    t.join();
  CHECK_EQ(failures.load(), 0);
  // The first payload is the baseline; then live/freezetime alternate, each firing.
  for (auto& id : ids) {
    auto status = status_of(cli, id);
    CHECK_EQ(status["payload_count"], payloads);
    CHECK_EQ(status["event_count"], payloads - 1);
    CHECK_EQ(status["events_by_type"].dump(), R"({"round_freezetime":99,"round_live":100})");
  }
}

TEST_CASE("the setup route serves the game config with the real token") {
  daemon_fixture daemon;
  auto cli = daemon.client();
  auto id = create_cs2(cli);
  auto res = cli.Get("/api/v1/game-integrations/" + id + "/setup");
  REQUIRE(res);
  CHECK_EQ(res->status, 200);
  CHECK_EQ(res->get_header_value("Content-Type"), "text/plain; charset=utf-8");
  CHECK_EQ(res->get_header_value("Content-Disposition"),
           "attachment; filename=\"gamestate_integration_gamelight_" + id + ".cfg\"");
  CHECK(res->body.find("\"wled-gsi-7f3c9a12e4b8\"") != std::string::npos);
  CHECK(res->body.find("\"http://127.0.0.1:" + std::to_string(daemon.port())
                       + "/api/v1/game-integrations/" + id + "/event\"")
        != std::string::npos);
}

TEST_CASE("metrics count payloads, rejections and events") {
  daemon_fixture daemon;
  auto cli = daemon.client();
  auto id = create_cs2(cli);
  events_of(cli, id, "cs2_01_freezetime_start");
  events_of(cli, id, "cs2_02_round_live");
  post_event(cli, id, "{");
  auto res = cli.Get("/metrics");
  REQUIRE(res);
  CHECK_EQ(res->status, 200);
  auto& text = res->body;
  auto has = [&](const std::string& line) {
    CHECK_MESSAGE(text.find(line + "\n") != std::string::npos, line);
  };
  has("gamelight_payloads_total{integration=\"" + id + "\"} 2");
  has("gamelight_payloads_rejected_total{integration=\"" + id + "\",reason=\"malformed\"} 1");
  has("gamelight_events_total{integration=\"" + id + "\",event_type=\"round_live\"} 1");
  has("gamelight_ingest_latency_seconds_count 3");
  has("# TYPE gamelight_ingest_latency_seconds histogram");
}

TEST_CASE("metrics report the process's CPU, memory, descriptors and threads") {
  daemon_fixture daemon;
  auto cli = daemon.client();
  auto res = cli.Get("/metrics");
  REQUIRE(res);
  auto text = res->body;
  auto value = [&](const std::string& name) {
    auto at = text.find("\n" + name + " ");
    REQUIRE_MESSAGE(at != std::string::npos, name);
    return std::stod(text.substr(at + name.size() + 2));
  };
  // The fixture serves from this test's own process, so both sides read the same /proc.
  auto own = read_process_stats();
  REQUIRE(own);
  CHECK_EQ(value("process_start_time_seconds"), doctest::Approx(own->start_time_seconds));
  CHECK_EQ(value("process_max_fds"), own->max_fds);
  CHECK_GT(value("process_resident_memory_bytes"), 0);
  CHECK_GE(value("process_virtual_memory_bytes"), value("process_resident_memory_bytes"));
  CHECK_GT(value("process_open_fds"), 3); // the stdio ones, the listening socket, the database
  CHECK_GT(value("process_threads"), 1);
  CHECK_GE(value("process_cpu_seconds_total"), 0.0);
  CHECK_GE(value("gamelight_heap_mapped_bytes"), value("gamelight_heap_in_use_bytes"));
  CHECK(text.find("# TYPE process_cpu_seconds_total counter\n") != std::string::npos);
  CHECK(text.find("# TYPE gamelight_heap_in_use_bytes gauge\n") != std::string::npos);
}
