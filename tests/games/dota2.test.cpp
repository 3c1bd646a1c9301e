#include "tests/games/test_util.hpp"

#include <doctest/doctest.h>

using namespace gamelight;
using namespace gamelight::games;
using namespace gamelight::games::test;

namespace {

json dota2_config(int threshold = 0) {
  json config{{"token", dota2_token}};
  if (threshold != 0)
    config["health_low_threshold"] = threshold;
  return config;
}

} // namespace

TEST_CASE("dota2: the fixture sequence 01 to 03 fires exactly the documented events") {
  auto s = session("dota2", dota2_config());
  CHECK(accept(*s, fixture("dota2_01_hero_low_health")).empty());
  const std::vector<game_event> died
      = {ev("death", R"({"respawn_seconds":38})"),
         ev("health_changed", R"({"health_percent":0,"fraction":0.0})", 0.0)};
  auto events = accept(*s, fixture("dota2_02_hero_died"));
  CHECK(describe(events) == describe(died));
  CHECK(events == died);
  const std::vector<game_event> respawned
      = {ev("respawn"), ev("level_up", R"({"level":12})"),
         ev("health_changed", R"({"health_percent":100,"fraction":1.0})", 1.0),
         ev("mana_changed", R"({"mana_percent":100,"fraction":1.0})", 1.0)};
  events = accept(*s, fixture("dota2_03_respawned_level_up"));
  CHECK(describe(events) == describe(respawned));
  CHECK(events == respawned);
  CHECK(accept(*s, fixture("dota2_03_respawned_level_up")).empty());
}

TEST_CASE("dota2: daytime, nighttime, kill, match_won and match_lost") {
  auto s = session("dota2", dota2_config());
  auto p = fixture_json("dota2_03_respawned_level_up"); // night, radiant, 4 kills
  (void)accept(*s, p.dump());
  p["map"]["daytime"] = true;
  p["player"]["kills"] = 6;
  CHECK(describe(accept(*s, p.dump())) == describe({ev("daytime"), ev("kill", R"({"kills":6})")}));
  p["map"]["daytime"] = false;
  p["map"]["win_team"] = "radiant";
  CHECK(describe(accept(*s, p.dump()))
        == describe({ev("nighttime"), ev("match_won", R"({"win_team":"radiant"})")}));

  auto lost = session("dota2", dota2_config());
  auto q = fixture_json("dota2_03_respawned_level_up");
  (void)accept(*lost, q.dump());
  q["map"]["win_team"] = "dire";
  CHECK(describe(accept(*lost, q.dump()))
        == describe({ev("match_lost", R"({"win_team":"dire"})")}));
}

TEST_CASE("dota2: health_low needs the hero alive and uses the configured threshold") {
  auto s = session("dota2", dota2_config(50));
  auto p = fixture_json("dota2_03_respawned_level_up"); // alive, 100 %
  (void)accept(*s, p.dump());
  p["hero"]["health_percent"] = 50;
  CHECK(describe(accept(*s, p.dump()))
        == describe({ev("health_low", R"({"health_percent":50})"),
                     ev("health_changed", R"({"health_percent":50,"fraction":0.5})", 0.5)}));
  // Default threshold 30: 31 -> 30 fires, a dead hero does not.
  auto d = session("dota2", dota2_config());
  p["hero"]["health_percent"] = 31;
  (void)accept(*d, p.dump());
  p["hero"]["health_percent"] = 30;
  CHECK(describe(accept(*d, p.dump()))
        == describe({ev("health_low", R"({"health_percent":30})"),
                     ev("health_changed", R"({"health_percent":30,"fraction":0.3})", 0.3)}));
  p["hero"]["health_percent"] = 100;
  (void)accept(*d, p.dump());
  p["hero"]["alive"] = false;
  p["hero"]["health_percent"] = 20;
  CHECK(describe(accept(*d, p.dump()))
        == describe({ev("death", R"({"respawn_seconds":0})"),
                     ev("health_changed", R"({"health_percent":20,"fraction":0.2})", 0.2)}));
}

TEST_CASE("dota2: refusals change nothing") {
  auto s = session("dota2", dota2_config());
  (void)accept(*s, fixture("dota2_01_hero_low_health"));
  auto wrong = fixture_json("dota2_02_hero_died");
  wrong["auth"]["token"] = "wled-dota-00000000";
  CHECK(ingest(*s, wrong.dump()).outcome.status == ingest_status::unauthorized);
  auto cs2_token_body = fixture_json("dota2_02_hero_died");
  cs2_token_body["auth"]["token"] = cs2_token;
  CHECK(ingest(*s, cs2_token_body.dump()).outcome.status == ingest_status::unauthorized);
  auto alive_string = fixture_json("dota2_02_hero_died");
  alive_string["hero"]["alive"] = "false";
  auto r = ingest(*s, alive_string.dump());
  CHECK(r.outcome.status == ingest_status::invalid);
  CHECK(r.outcome.detail == "hero.alive must be a boolean");
  auto text = fixture("dota2_02_hero_died");
  CHECK(ingest(*s, text.substr(0, text.size() - 3)).outcome.status == ingest_status::malformed);
  CHECK(describe(accept(*s, text))
        == describe({ev("death", R"({"respawn_seconds":38})"),
                     ev("health_changed", R"({"health_percent":0,"fraction":0.0})", 0.0)}));
}

TEST_CASE("dota2: mana_changed follows hero.mana_percent, with the baseline rule") {
  auto s = session("dota2", dota2_config());
  auto p = fixture_json("dota2_03_respawned_level_up"); // mana 100 %
  CHECK(accept(*s, p.dump()).empty());                  // baseline
  p["hero"]["mana_percent"] = 83;
  CHECK(describe(accept(*s, p.dump()))
        == describe({ev("mana_changed", R"({"mana_percent":83,"fraction":0.83})", 0.83)}));
  CHECK(accept(*s, p.dump()).empty());
  // Missing: unknown, keeps 83; then 0 while dead still fires (no "alive" condition).
  p["hero"].erase("mana_percent");
  CHECK(accept(*s, p.dump()).empty());
  p["hero"]["mana_percent"] = 83;
  CHECK(accept(*s, p.dump()).empty());
  p["hero"]["alive"] = false;
  p["hero"]["mana_percent"] = 0;
  auto events = accept(*s, p.dump());
  REQUIRE_FALSE(events.empty());
  CHECK(describe({events.back()})
        == describe({ev("mana_changed", R"({"mana_percent":0,"fraction":0.0})", 0.0)}));
  // Health and mana in one payload: table order (health_changed, then mana_changed).
  p["hero"]["alive"] = false;
  p["hero"]["health_percent"] = 50;
  p["hero"]["mana_percent"] = 7;
  auto both = accept(*s, p.dump());
  REQUIRE(both.size() >= 2);
  CHECK(both[both.size() - 2].event_type == "health_changed");
  CHECK(describe({both.back()})
        == describe({ev("mana_changed", R"({"mana_percent":7,"fraction":0.07})", 0.07)}));
  p["hero"]["mana_percent"] = "7";
  CHECK(ingest(*s, p.dump()).outcome.status == ingest_status::invalid);
}
