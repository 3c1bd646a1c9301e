#include "actors/integration.hpp"

#include "actors/registry.hpp"
#include "tests/fixtures/deterministic.hpp"
#include "tests/fixtures/payloads.hpp"

#include <caf/send.hpp>
#include <doctest/doctest.h>

#include <fstream>
#include <sstream>

using namespace gamelight;
using namespace std::chrono_literals;

namespace {

std::string fixture(const std::string& name) {
  std::ifstream in{std::string{GAMELIGHT_TEST_DATA_DIR} + "/" + name + ".json"};
  REQUIRE(in.good());
  std::stringstream buffer;
  buffer << in.rdbuf();
  return buffer.str();
}

/// A stand-in device that records what it is asked to play.
struct recorder_state {
  static inline constexpr const char* name = "recorder";
};

device_actor::behavior_type recorder(device_actor::stateful_pointer<recorder_state>,
                                     std::shared_ptr<std::vector<led::effect>> log) {
  return {
      [log](atom::play, led::effect& x) { log->push_back(std::move(x)); },
      [](atom::clear, const std::string&) {},
      [](atom::configure, const device&) {},
      [](atom::status) { return outcome<json>{json::object()}; },
      [](atom::subscribe, const frame_watcher_actor&) {},
      [](atom::unsubscribe, const frame_watcher_actor&) {},
      [](atom::frame) {},
  };
}

integration cs2_config() {
  integration x;
  x.id = "gi_0000aaaa";
  x.name = "cs2";
  x.adapter_type = "cs2";
  x.adapter_config = R"({"token":"wled-gsi-7f3c9a12e4b8"})";
  event_mapping kill;
  kill.event_type = "kill";
  kill.effect = effect_kind::flash;
  kill.duration_ms = 300;
  kill.priority = 90;
  event_mapping bomb;
  bomb.event_type = "bomb_planted";
  bomb.effect = effect_kind::countdown;
  bomb.color = rgb{255, 0, 0};
  bomb.priority = 80;
  event_mapping bomb_second = bomb;
  bomb_second.effect = effect_kind::solid;
  x.event_mappings = {kill, bomb, bomb_second};
  return x;
}

struct fixture_base : gamelight::testing::deterministic {
  /// Sends a payload and returns the actor's answer once it ran.
  template <class Handle, class... Ts>
  ingest_reply ingest(const Handle& aut, const std::string& body, Ts&&... route) {
    auto answer
        = ask<ingest_reply>(aut, atom::ingest::value, std::forward<Ts>(route)..., payload(body));
    REQUIRE(answer);
    return std::move(*answer);
  }

  template <class Handle, class... Ts>
  json ask_json(const Handle& aut, Ts&&... xs) {
    auto answer = ask<outcome<json>>(aut, std::forward<Ts>(xs)...);
    REQUIRE(answer);
    if (!*answer)
      return answer->error().body();
    return **answer;
  }

  static ingest_request payload(const std::string& body) {
    return gamelight::testing::payload(body);
  }
};

} // namespace

TEST_CASE_FIXTURE(fixture_base, "an integration actor turns payloads into events and effects") {
  auto played = std::make_shared<std::vector<led::effect>>();
  auto device = spawn(recorder, played);
  auto aut = spawn(integration_behavior, cs2_config(), integration_options{});
  caf::anon_send(aut, atom::targets::value, std::vector<device_actor>{device});
  run();
  CHECK_EQ(ingest(aut, fixture("cs2_03_damage_taken_low_health")).body,
           R"({"accepted":true,"events":[]})");
  CHECK_EQ(ingest(aut, fixture("cs2_04_kill_headshot")).body,
           R"({"accepted":true,"events":["kill","headshot","ammo_changed"]})");
  run();
  REQUIRE_EQ(played->size(), 1u);
  CHECK_EQ((*played)[0].integration_id, "gi_0000aaaa");
  CHECK_EQ((*played)[0].event_type, "kill");
  CHECK_EQ((*played)[0].kind, effect_kind::flash);
  CHECK_EQ((*played)[0].duration_ms, 300u);
  ingest(aut, fixture("cs2_05_flashed"));
  CHECK_EQ(ingest(aut, fixture("cs2_06_bomb_planted")).body,
           R"({"accepted":true,"events":["bomb_planted"]})");
  run();
  // Two mappings for one event play in mapping order; the countdown runs 40 s.
  REQUIRE_EQ(played->size(), 3u);
  CHECK_EQ((*played)[1].kind, effect_kind::countdown);
  CHECK_EQ((*played)[1].duration_ms, 40000u);
  CHECK_EQ((*played)[1].color, rgb{255, 0, 0});
  CHECK_EQ((*played)[2].kind, effect_kind::solid);
  auto status = ask_json(aut, atom::status::value);
  CHECK_EQ(status["payload_count"], 4);
  CHECK_EQ(status["event_count"], 5);
  CHECK_EQ(status["connected"], true);
  CHECK_EQ(status["events_by_type"].dump(),
           R"({"ammo_changed":1,"bomb_planted":1,"flashed":1,"headshot":1,"kill":1})");
  // The connected window runs on the actor clock.
  advance_time(29s);
  CHECK_EQ(ask_json(aut, atom::status::value)["connected"], true);
  advance_time(2s);
  CHECK_EQ(ask_json(aut, atom::status::value)["connected"], false);
  auto events = ask_json(aut, atom::events::value, std::size_t{2});
  CHECK_EQ(events["count"], 2);
  CHECK_EQ(events["events"][0]["event_type"], "bomb_planted");
  CHECK_EQ(events["events"][0]["data"].dump(), R"({"countdown_ms":40000})");
  CHECK_EQ(events["events"][1]["event_type"], "flashed");
}

TEST_CASE_FIXTURE(fixture_base, "refused payloads answer their status and count by reason") {
  auto aut = spawn(integration_behavior, cs2_config(), integration_options{});
  CHECK_EQ(ingest(aut, "{").status, 400);
  CHECK_EQ(ingest(aut, R"({"auth": {"token": "nope-nope-nope"}})").status, 401);
  auto refused = ingest(aut, "[]");
  CHECK_EQ(refused.status, 401);
  caf::anon_send(aut, atom::rejected::value);
  run();
  auto sample = ask<integration_metrics>(aut, atom::metrics::value);
  REQUIRE(sample);
  auto& m = *sample;
  CHECK_EQ(m.payloads, 0u);
  CHECK_EQ(m.rejected_malformed, 1u);
  CHECK_EQ(m.rejected_unauthorized, 2u);
  CHECK_EQ(m.rejected_too_large, 1u);
  CHECK_EQ(m.latency_counts.back(), 3u);
  CHECK_EQ(ask_json(aut, atom::status::value)["rejected_count"], 4);
}

TEST_CASE_FIXTURE(fixture_base, "the registry routes, reconfigures and forgets integrations") {
  auto directory = std::make_shared<integration_directory>();
  auto aut = spawn(registry, integration_options{}, device_options{}, directory);
  auto config = cs2_config();
  caf::anon_send(aut, atom::upsert::value, config);
  run();
  std::string id = config.id;
  // HTTP threads find the integration's actor in the published directory.
  REQUIRE_EQ(directory->snapshot()->count(id), 1u);
  auto first_actor = directory->snapshot()->at(id);
  auto not_found = ingest(aut, fixture("cs2_01_freezetime_start"), std::string{"gi_ffffffff"});
  CHECK_EQ(not_found.status, 404);
  CHECK_EQ(ingest(aut, fixture("cs2_01_freezetime_start"), id).status, 200);
  CHECK_EQ(ingest(aut, fixture("cs2_02_round_live"), id).body,
           R"({"accepted":true,"events":["round_live"]})");
  // A name change keeps the baseline.
  config.name = "renamed";
  caf::anon_send(aut, atom::upsert::value, config);
  run();
  CHECK_EQ(ingest(aut, fixture("cs2_01_freezetime_start"), id).body,
           R"({"accepted":true,"events":["round_freezetime"]})");
  // Disabled: accepted false; re-enabled: a fresh baseline.
  config.enabled = false;
  caf::anon_send(aut, atom::upsert::value, config);
  run();
  CHECK_EQ(ingest(aut, fixture("cs2_02_round_live"), id).body,
           R"({"accepted":false,"reason":"integration disabled"})");
  CHECK(directory->snapshot()->at(id) == first_actor);
  config.enabled = true;
  caf::anon_send(aut, atom::upsert::value, config);
  run();
  CHECK_EQ(ingest(aut, fixture("cs2_02_round_live"), id).body, R"({"accepted":true,"events":[]})");
  // Re-enabling started a new actor, and the directory points at it.
  REQUIRE_EQ(directory->snapshot()->count(id), 1u);
  CHECK(directory->snapshot()->at(id) != first_actor);
  caf::anon_send(aut, atom::erase::value, id);
  run();
  CHECK_EQ(directory->snapshot()->count(id), 0u);
  CHECK_EQ(ingest(aut, fixture("cs2_02_round_live"), id).status, 404);
  CHECK_EQ(ask_json(aut, atom::status::value, atom::integ::value, id).dump(),
           R"({"detail":"Game integration not found"})");
}

TEST_CASE_FIXTURE(fixture_base, "metrics report the payloads still waiting in the mailbox") {
  auto aut = spawn(integration_behavior, cs2_config(), integration_options{});
  run();
  auto scrape = self->request(aut, caf::infinite, atom::metrics::value);
  // Two payloads arrive behind the scrape; the actor has not reached them yet.
  auto body = fixture("cs2_01_freezetime_start");
  for (int i = 0; i < 2; ++i)
    caf::anon_send(aut, atom::ingest::value, payload(body));
  REQUIRE(sched.try_run_once());
  auto sample = reply_to<integration_metrics>(scrape);
  REQUIRE(sample);
  CHECK(sample->mailbox_depth == 2);
  CHECK(sample->payloads == 0);
  run();
  auto drained = ask<integration_metrics>(aut, atom::metrics::value);
  REQUIRE(drained);
  CHECK(drained->mailbox_depth == 0);
  CHECK(drained->payloads == 2);
}

TEST_CASE_FIXTURE(fixture_base, "the registry delivers a store's answer after what came before") {
  auto directory = std::make_shared<integration_directory>();
  auto aut = spawn(registry, integration_options{}, device_options{}, directory);
  // The store sends the change, then delegates its answer: when the answer is out, the
  // change is visible.
  caf::anon_send(aut, atom::upsert::value, cs2_config());
  auto answer = self->request(aut, caf::infinite, atom::ack::value,
                              outcome<json>{json{{"id", "gi_0000aaaa"}}});
  REQUIRE(sched.try_run_once());
  CHECK(self->mailbox().empty());
  CHECK_EQ(directory->snapshot()->count("gi_0000aaaa"), 1u);
  run();
  auto reply = reply_to<outcome<json>>(answer);
  REQUIRE(reply);
  CHECK_EQ((*reply)->dump(), R"({"id":"gi_0000aaaa"})");
}
