#include "adapters/games/cs2/snapshot.hpp"
#include "tests/games/test_util.hpp"

#include <doctest/doctest.h>

#include <string>
#include <tuple>
#include <vector>

using namespace gamelight;
using namespace gamelight::games;
using namespace gamelight::games::test;

namespace {

json cs2_config(int threshold = 0) {
  json config{{"token", cs2_token}};
  if (threshold != 0)
    config["health_low_threshold"] = threshold;
  return config;
}

struct step {
  const char* file;
  std::vector<game_event> expected;
};

const std::vector<step> main_sequence = {
    {"cs2_01_freezetime_start", {}},
    {"cs2_02_round_live", {ev("round_live", R"({"round":7})")}},
    {"cs2_03_damage_taken_low_health",
     {ev("damage_taken", R"({"health":18,"amount":82})"), ev("health_low", R"({"health":18})"),
      ev("health_changed", R"({"health":18,"fraction":0.18})", 0.18)}},
    {"cs2_04_kill_headshot",
     {ev("kill", R"({"round_kills":1})"), ev("headshot", R"({"round_killhs":1})"),
      ev("ammo_changed",
         R"({"weapon":"weapon_m4a1_silencer","ammo_clip":17,"ammo_clip_max":20,"fraction":0.85})",
         0.85)}},
    {"cs2_05_flashed", {ev("flashed", R"({"flashed":255})")}},
    {"cs2_06_bomb_planted", {ev("bomb_planted", R"({"countdown_ms":40000})", {}, 40000)}},
    {"cs2_07_player_died",
     {ev("damage_taken", R"({"health":0,"amount":18})"), ev("death"),
      ev("health_changed", R"({"health":0,"fraction":0.0})", 0.0)}},
    {"cs2_08_dead_spectating_teammate", {}},
    {"cs2_09_bomb_defused_round_over_ct_win",
     {ev("bomb_defused"), ev("round_won", R"({"win_team":"CT"})")}},
    {"cs2_10_next_round_freezetime_self_again",
     {ev("round_freezetime", R"({"round":8})"),
      ev("health_changed", R"({"health":100,"fraction":1.0})", 1.0),
      // 07 had no active weapon and 08-09 were a teammate's: the last known weapon is the
      // m4a1 at 17/20.
      ev("ammo_changed",
         R"({"weapon":"weapon_usp_silencer","ammo_clip":12,"ammo_clip_max":12,"fraction":1.0})",
         1.0)}},
};

void run(adapter_session& s, const std::vector<step>& steps) {
  for (const auto& st : steps) {
    INFO("payload " << st.file);
    auto events = accept(s, fixture(st.file));
    CHECK(describe(events) == describe(st.expected));
    CHECK(events == st.expected);
  }
}

/// A self payload derived from fixture 03 (live round, health 18, CT).
json self_payload() {
  return fixture_json("cs2_03_damage_taken_low_health");
}

} // namespace

TEST_CASE("cs2: the fixture sequence 01 to 10 fires exactly the documented events") {
  auto s = session("cs2", cs2_config());
  run(*s, main_sequence);
}

TEST_CASE("cs2: the 09alt branch (bomb exploded, T win) fires bomb_exploded and round_lost") {
  auto s = session("cs2", cs2_config());
  std::vector<step> steps(main_sequence.begin(), main_sequence.begin() + 8);
  steps.push_back({"cs2_09alt_bomb_exploded_round_over_t_win",
                   {ev("bomb_exploded"), ev("round_lost", R"({"win_team":"T"})")}});
  steps.push_back(main_sequence[9]);
  run(*s, steps);
}

TEST_CASE("cs2: an identical repeated payload fires nothing") {
  auto s = session("cs2", cs2_config());
  for (const auto& st : main_sequence) {
    INFO("payload " << st.file);
    auto text = fixture(st.file);
    (void)accept(*s, text);
    CHECK(describe(accept(*s, text)).empty());
  }
}

TEST_CASE("cs2: a fresh session takes its first payload as the baseline") {
  for (const auto& st : main_sequence) {
    INFO("payload " << st.file);
    auto s = session("cs2", cs2_config());
    CHECK(accept(*s, fixture(st.file)).empty());
  }
}

TEST_CASE("cs2: player events fire only for self, diffed against the last self payload") {
  auto s = session("cs2", cs2_config());
  auto self = self_payload(); // health 18
  (void)accept(*s, self.dump());
  auto mate = self;
  mate["player"]["steamid"] = "76561198087654321";
  mate["player"]["state"]["health"] = 100;
  mate["player"]["state"]["round_kills"] = 4;
  mate["player"]["state"]["flashed"] = 200;
  mate["player"]["match_stats"]["mvps"] = 7;
  CHECK(accept(*s, mate.dump()).empty());
  mate["player"]["state"]["health"] = 3;
  CHECK(accept(*s, mate.dump()).empty());
  // Back to self with the same values: nothing changed for the user.
  CHECK(accept(*s, self.dump()).empty());
  // Teammate again, then self with less health: diffed against the last self (18).
  CHECK(accept(*s, mate.dump()).empty());
  auto hurt = self;
  hurt["player"]["state"]["health"] = 10;
  CHECK(describe(accept(*s, hurt.dump()))
        == describe({ev("damage_taken", R"({"health":10,"amount":8})"),
                     ev("health_changed", R"({"health":10,"fraction":0.1})", 0.1)}));
}

TEST_CASE("cs2: without provider.steamid or player.steamid nothing is self") {
  auto s = session("cs2", cs2_config());
  auto self = self_payload();
  (void)accept(*s, self.dump());
  auto no_provider = self;
  no_provider["provider"].erase("steamid");
  no_provider["player"]["state"]["health"] = 5;
  CHECK(accept(*s, no_provider.dump()).empty());
  auto no_player_id = self;
  no_player_id["player"].erase("steamid");
  no_player_id["player"]["state"]["health"] = 5;
  CHECK(accept(*s, no_player_id.dump()).empty());
}

TEST_CASE("cs2: round_won/round_lost need a self payload first") {
  auto s = session("cs2", cs2_config());
  // Baseline while spectating: no team known yet.
  (void)accept(*s, fixture("cs2_08_dead_spectating_teammate"));
  CHECK(describe(accept(*s, fixture("cs2_09_bomb_defused_round_over_ct_win")))
        == describe({ev("bomb_defused")}));
}

TEST_CASE("cs2: round_won uses the team of the current self payload") {
  auto s = session("cs2", cs2_config());
  auto p = self_payload(); // CT, round live
  (void)accept(*s, p.dump());
  p["player"]["team"] = "T";
  p["round"] = {{"phase", "over"}, {"win_team", "T"}};
  CHECK(describe(accept(*s, p.dump())) == describe({ev("round_won", R"({"win_team":"T"})")}));
}

TEST_CASE("cs2: a win_team that appears again in a later round fires again") {
  auto s = session("cs2", cs2_config());
  for (const char* f : {"cs2_08_dead_spectating_teammate", "cs2_09_bomb_defused_round_over_ct_win",
                        "cs2_10_next_round_freezetime_self_again"})
    (void)accept(*s, fixture(f));
  auto p = fixture_json("cs2_10_next_round_freezetime_self_again");
  p["round"] = {{"phase", "over"}, {"win_team", "CT"}};
  CHECK(describe(accept(*s, p.dump())) == describe({ev("round_won", R"({"win_team":"CT"})")}));
}

TEST_CASE("cs2: payloads without player or round blocks are valid and fire nothing") {
  auto s = session("cs2", cs2_config());
  (void)accept(*s, fixture("cs2_02_round_live"));
  json menu{{"provider",
             {{"name", "Counter-Strike: Global Offensive"},
              {"appid", 730},
              {"version", 14090},
              {"steamid", "76561198012345678"},
              {"timestamp", 1733412100}}},
            {"auth", {{"token", cs2_token}}}};
  CHECK(accept(*s, menu.dump()).empty());
  CHECK(accept(*s, menu.dump()).empty());
  // The next in-game payload diffs against the last known values.
  CHECK(describe(accept(*s, fixture("cs2_03_damage_taken_low_health")))
        == describe(main_sequence[2].expected));
}

TEST_CASE("cs2: a field missing inside a present block is unknown and keeps its value") {
  auto s = session("cs2", cs2_config());
  auto p = fixture_json("cs2_02_round_live"); // health 100
  (void)accept(*s, p.dump());
  auto no_health = p;
  no_health["player"]["state"].erase("health");
  no_health["round"].erase("phase");
  CHECK(accept(*s, no_health.dump()).empty());
  p["player"]["state"]["health"] = 60;
  CHECK(describe(accept(*s, p.dump()))
        == describe({ev("damage_taken", R"({"health":60,"amount":40})"),
                     ev("health_changed", R"({"health":60,"fraction":0.6})", 0.6)}));
}

TEST_CASE("cs2: round_kills dropping to 0 fires nothing") {
  auto s = session("cs2", cs2_config());
  (void)accept(*s, fixture("cs2_04_kill_headshot")); // round_kills 1, killhs 1
  auto p = fixture_json("cs2_04_kill_headshot");
  p["player"]["state"]["round_kills"] = 0;
  p["player"]["state"]["round_killhs"] = 0;
  CHECK(accept(*s, p.dump()).empty());
}

TEST_CASE("cs2: multi_kill fires when round_kills increases to 3 or more, once per payload") {
  auto s = session("cs2", cs2_config());
  auto p = self_payload();
  p["player"]["state"]["round_kills"] = 1;
  (void)accept(*s, p.dump());
  p["player"]["state"]["round_kills"] = 2;
  CHECK(describe(accept(*s, p.dump())) == describe({ev("kill", R"({"round_kills":2})")}));
  p["player"]["state"]["round_kills"] = 3;
  p["player"]["state"]["round_killhs"] = 1;
  CHECK(describe(accept(*s, p.dump()))
        == describe({ev("kill", R"({"round_kills":3})"), ev("headshot", R"({"round_killhs":1})"),
                     ev("multi_kill", R"({"round_kills":3})")}));
  p["player"]["state"]["round_kills"] = 5; // two kills in one payload: one event each
  CHECK(
      describe(accept(*s, p.dump()))
      == describe({ev("kill", R"({"round_kills":5})"), ev("multi_kill", R"({"round_kills":5})")}));
}

TEST_CASE("cs2: health_low_threshold comes from the config") {
  auto expect_low = [](int threshold, int health, bool low) {
    INFO("threshold " << threshold << ", health " << health);
    auto s = session("cs2", cs2_config(threshold));
    (void)accept(*s, fixture("cs2_02_round_live")); // health 100
    auto p = fixture_json("cs2_02_round_live");
    p["player"]["state"]["health"] = health;
    auto events = accept(*s, p.dump());
    bool fired = false;
    for (const auto& e : events)
      fired = fired || e.event_type == "health_low";
    CHECK(fired == low);
  };
  expect_low(0, 18, true); // default 30
  expect_low(0, 30, true); // at the threshold
  expect_low(0, 31, false);
  expect_low(10, 18, false);
  expect_low(20, 18, true);
  expect_low(99, 99, true);
  expect_low(30, 0, false); // dead is not low
  // From at-or-below to lower: no second health_low.
  auto s = session("cs2", cs2_config());
  (void)accept(*s, fixture("cs2_03_damage_taken_low_health")); // 18
  auto p = fixture_json("cs2_03_damage_taken_low_health");
  p["player"]["state"]["health"] = 9;
  CHECK(describe(accept(*s, p.dump()))
        == describe({ev("damage_taken", R"({"health":9,"amount":9})"),
                     ev("health_changed", R"({"health":9,"fraction":0.09})", 0.09)}));
}

TEST_CASE("cs2: burning, mvp and match_over") {
  auto s = session("cs2", cs2_config());
  auto p = self_payload();
  (void)accept(*s, p.dump());
  p["player"]["state"]["burning"] = 128;
  p["player"]["match_stats"]["mvps"] = 2;
  p["map"]["phase"] = "gameover";
  CHECK(describe(accept(*s, p.dump()))
        == describe({ev("burning", R"({"burning":128})"), ev("mvp", R"({"mvps":2})"),
                     ev("match_over", R"({"ct_score":4,"t_score":3})")}));
  p["player"]["state"]["burning"] = 255; // still burning: edge-triggered
  CHECK(accept(*s, p.dump()).empty());
}

TEST_CASE("cs2: all events of one payload come in table order") {
  auto s = session("cs2", cs2_config());
  auto p = fixture_json("cs2_01_freezetime_start"); // freezetime, health 100, CT
  (void)accept(*s, p.dump());
  p["round"] = {{"phase", "live"}, {"bomb", "planted"}, {"win_team", "CT"}};
  auto& st = p["player"]["state"];
  st["health"] = 5;
  st["round_kills"] = 3;
  st["round_killhs"] = 2;
  st["flashed"] = 10;
  st["burning"] = 10;
  p["player"]["match_stats"]["mvps"] = 9;
  p["map"]["phase"] = "gameover";
  std::vector<std::string> types;
  for (const auto& e : accept(*s, p.dump()))
    types.push_back(e.event_type);
  std::vector<std::string> expected
      = {"round_live",     "bomb_planted", "round_won", "damage_taken", "health_low",
         "health_changed", "kill",         "headshot",  "multi_kill",   "flashed",
         "burning",        "mvp",          "match_over"};
  CHECK(types == expected);
}

TEST_CASE("cs2: refused payloads change nothing, the next one diffs against the last accepted") {
  const std::string p01 = fixture("cs2_01_freezetime_start");
  const std::string p02 = fixture("cs2_02_round_live");
  auto wrong_token = fixture_json("cs2_02_round_live");
  wrong_token["auth"]["token"] = "wled-gsi-wrong-token";
  auto no_auth = fixture_json("cs2_02_round_live");
  no_auth.erase("auth");
  auto token_number = fixture_json("cs2_02_round_live");
  token_number["auth"]["token"] = 12345678;
  auto health_string = fixture_json("cs2_02_round_live");
  health_string["player"]["state"]["health"] = "18";
  auto health_float = fixture_json("cs2_02_round_live");
  health_float["player"]["state"]["health"] = 18.0;
  auto player_array = fixture_json("cs2_02_round_live");
  player_array["player"] = json::array({1, 2});
  auto phase_number = fixture_json("cs2_02_round_live");
  phase_number["round"]["phase"] = 3;
  // Wrong token and a wrong type: auth comes first.
  auto both = health_string;
  both["auth"]["token"] = "wled-gsi-wrong-token";

  struct refusal {
    const char* name;
    std::string text;
    ingest_status status;
    const char* detail;
  };
  const std::vector<refusal> refusals = {
      {"wrong token", wrong_token.dump(), ingest_status::unauthorized, "invalid or missing token"},
      {"missing auth", no_auth.dump(), ingest_status::unauthorized, "invalid or missing token"},
      {"token not a string", token_number.dump(), ingest_status::unauthorized,
       "invalid or missing token"},
      {"JSON array", "[" + p02 + "]", ingest_status::unauthorized, "invalid or missing token"},
      {"JSON string", "\"hello\"", ingest_status::unauthorized, "invalid or missing token"},
      {"malformed", "{\"provider\": }", ingest_status::malformed, nullptr},
      {"empty", "", ingest_status::malformed, "malformed JSON: empty body"},
      {"truncated fixture", p02.substr(0, p02.size() / 2), ingest_status::malformed, nullptr},
      {"trailing garbage", p02 + " x", ingest_status::malformed, nullptr},
      {"health as string", health_string.dump(), ingest_status::invalid,
       "player.state.health must be an integer"},
      {"health as float", health_float.dump(), ingest_status::invalid,
       "player.state.health must be an integer"},
      {"player not an object", player_array.dump(), ingest_status::invalid,
       "player must be an object"},
      {"round.phase not a string", phase_number.dump(), ingest_status::invalid,
       "round.phase must be a string"},
      {"wrong token and wrong type", both.dump(), ingest_status::unauthorized,
       "invalid or missing token"},
  };
  for (const auto& r : refusals) {
    INFO("case: " << r.name);
    auto s = session("cs2", cs2_config());
    (void)accept(*s, p01);
    auto result = ingest(*s, r.text);
    CHECK(std::string(status_name(result.outcome.status)) == status_name(r.status));
    if (r.detail)
      CHECK(result.outcome.detail == r.detail);
    if (r.status == ingest_status::malformed)
      CHECK(result.outcome.detail.rfind("malformed JSON: ", 0) == 0);
    CHECK(result.outcome.detail.find("wled-gsi") == std::string::npos);
    CHECK(result.events.empty());
    // Still diffed against 01.
    CHECK(describe(accept(*s, p02)) == describe(main_sequence[1].expected));
  }
}

TEST_CASE("cs2: a refused payload never becomes the baseline of a fresh session") {
  auto s = session("cs2", cs2_config());
  auto bad = fixture_json("cs2_02_round_live");
  bad["auth"]["token"] = "nope-nope-nope";
  CHECK(ingest(*s, bad.dump()).outcome.status == ingest_status::unauthorized);
  CHECK(accept(*s, fixture("cs2_01_freezetime_start")).empty()); // this is the baseline
  CHECK(describe(accept(*s, fixture("cs2_02_round_live"))) == describe(main_sequence[1].expected));
}

TEST_CASE("cs2: a body without spare padding capacity is copied and works") {
  auto s = session("cs2", cs2_config());
  for (const auto& st : main_sequence) {
    INFO("payload " << st.file);
    std::vector<char> exact;
    auto text = fixture(st.file);
    exact.assign(text.begin(), text.end()); // capacity may equal size
    std::vector<game_event> events;
    payload p{exact.data(), exact.size(), exact.size(), {}};
    REQUIRE(s->ingest(p, events).status == ingest_status::ok);
    CHECK(events == st.expected);
  }
}

TEST_CASE("cs2: a session without a token refuses everything") {
  auto s = session("cs2", json::object());
  auto p = fixture_json("cs2_01_freezetime_start");
  p["auth"]["token"] = "";
  CHECK(ingest(*s, p.dump()).outcome.status == ingest_status::unauthorized);
  CHECK(ingest(*s, fixture("cs2_01_freezetime_start")).outcome.status
        == ingest_status::unauthorized);
}

TEST_CASE("cs2: parse and diff are usable on their own") {
  detail::body_reader reader;
  body b(fixture("cs2_03_damage_taken_low_health"));
  auto parsed = cs2::parse(reader, b.view());
  REQUIRE(parsed.status == detail::document_status::object);
  CHECK(reader.problem().empty());
  REQUIRE(parsed.token);
  CHECK(*parsed.token == cs2_token);
  const auto& snap = parsed.snapshot;
  CHECK(snap.is_self);
  CHECK(snap.has_map);
  CHECK(snap.has_round);
  CHECK(snap.player.health == 18);
  CHECK(snap.player.team_side == cs2::team::ct);
  CHECK(snap.map.round == 7);
  CHECK(snap.round.phase == cs2::round_phase::live);
  CHECK(snap.round.bomb == cs2::bomb_state::none);
  CHECK(snap.player.weapon == cs2::weapon_ammo{"weapon_m4a1_silencer", 20, 20});

  cs2::state before;
  before.round_known = true;
  before.round.phase = cs2::round_phase::live;
  before.self.health = 100;
  before.self.weapon = cs2::weapon_ammo{"weapon_m4a1_silencer", 20, 20};
  std::vector<game_event> events;
  cs2::diff(before, snap, detail::diff_settings{}, events);
  CHECK(describe(events) == describe(main_sequence[2].expected));
  auto after = cs2::merge(before, snap);
  CHECK(after.self.health == 18);
  CHECK(after.self.mvps == 1);
  CHECK(after.self.weapon == snap.player.weapon);
}

// -- ammo_changed (v1.1) ------------------------------------------------------------

namespace {

/// Returns `p` with exactly these weapons: {name, state, ammo_clip (-1: absent), ammo_clip_max}.
json with_weapons(json p, std::vector<std::tuple<std::string, std::string, int, int>> weapons) {
  json list = json::object();
  for (std::size_t i = 0; i < weapons.size(); ++i) {
    const auto& [name, state, clip, clip_max] = weapons[i];
    json w{{"name", name}, {"paintkit", "default"}, {"state", state}};
    if (clip >= 0) {
      w["ammo_clip"] = clip;
      w["ammo_clip_max"] = clip_max;
      w["ammo_reserve"] = 90;
    }
    list["weapon_" + std::to_string(i)] = std::move(w);
  }
  p["player"]["weapons"] = std::move(list);
  return p;
}

game_event ammo(const std::string& weapon, int clip, int clip_max, const std::string& fraction) {
  return ev("ammo_changed",
            R"({"weapon":")" + weapon + R"(","ammo_clip":)" + std::to_string(clip)
                + R"(,"ammo_clip_max":)" + std::to_string(clip_max) + R"(,"fraction":)" + fraction
                + "}",
            static_cast<double>(clip) / static_cast<double>(clip_max));
}

} // namespace

TEST_CASE("cs2: ammo_changed over firing, weapon switch, knife, grenade and reload") {
  auto s = session("cs2", cs2_config());
  const auto base = self_payload(); // m4a1 active 20/20, usp and knife holstered
  auto m4 = [&](const std::string& state, int clip) {
    return with_weapons(base, {{"weapon_knife", "holstered", -1, 0},
                               {"weapon_usp_silencer", "holstered", 12, 12},
                               {"weapon_m4a1_silencer", state, clip, 20}})
        .dump();
  };
  auto usp = [&](const std::string& state, int clip) {
    return with_weapons(base, {{"weapon_knife", "holstered", -1, 0},
                               {"weapon_usp_silencer", state, clip, 12},
                               {"weapon_m4a1_silencer", "holstered", 19, 20}})
        .dump();
  };
  auto knife = with_weapons(base, {{"weapon_knife", "active", -1, 0},
                                   {"weapon_usp_silencer", "holstered", 12, 12},
                                   {"weapon_m4a1_silencer", "holstered", 19, 20}})
                   .dump();
  CHECK(accept(*s, m4("active", 20)).empty()); // baseline
  CHECK(describe(accept(*s, m4("active", 19)))
        == describe({ammo("weapon_m4a1_silencer", 19, 20, "0.95")}));
  CHECK(accept(*s, m4("active", 19)).empty());
  // Weapon switch: the pistol is full.
  CHECK(describe(accept(*s, usp("active", 12)))
        == describe({ammo("weapon_usp_silencer", 12, 12, "1.0")}));
  // Knife out: no clip, the pistol stays the last known weapon; back to it: nothing.
  CHECK(accept(*s, knife).empty());
  CHECK(accept(*s, usp("active", 12)).empty());
  CHECK(describe(accept(*s, usp("active", 11)))
        == describe({ammo("weapon_usp_silencer", 11, 12, "0.9166666666666666")}));
  // A grenade (no ammo_clip) and a weapon with ammo_clip_max 0 change nothing.
  CHECK(accept(*s, with_weapons(base, {{"weapon_hegrenade", "active", -1, 0}}).dump()).empty());
  CHECK(accept(*s, with_weapons(base, {{"weapon_c4", "active", 0, 0}}).dump()).empty());
  // No active weapon, an empty weapons block, no weapons block: nothing.
  CHECK(accept(*s, with_weapons(base, {{"weapon_knife", "holstered", -1, 0}}).dump()).empty());
  CHECK(accept(*s, with_weapons(base, {}).dump()).empty());
  auto bare = base;
  bare["player"].erase("weapons");
  CHECK(accept(*s, bare.dump()).empty());
  // Reload: the reloading weapon counts as active; the clip refills after.
  CHECK(describe(accept(*s, m4("active", 3)))
        == describe({ammo("weapon_m4a1_silencer", 3, 20, "0.15")}));
  CHECK(accept(*s, m4("reloading", 3)).empty());
  CHECK(describe(accept(*s, m4("reloading", 0)))
        == describe({ammo("weapon_m4a1_silencer", 0, 20, "0.0")}));
  CHECK(describe(accept(*s, m4("active", 20)))
        == describe({ammo("weapon_m4a1_silencer", 20, 20, "1.0")}));
  // Same clip, other max (another weapon of the same name cannot differ, but the rule is
  // on the triple).
  CHECK(
      describe(accept(*s, with_weapons(base, {{"weapon_m4a1_silencer", "active", 20, 25}}).dump()))
      == describe({ammo("weapon_m4a1_silencer", 20, 25, "0.8")}));
}

TEST_CASE("cs2: ammo_changed ignores a teammate's weapons while dead") {
  auto s = session("cs2", cs2_config());
  const auto base = self_payload();
  (void)accept(*s, with_weapons(base, {{"weapon_m4a1_silencer", "active", 17, 20}}).dump());
  // Dead: no weapons.
  auto dead = with_weapons(base, {});
  dead["player"]["state"]["health"] = 0;
  (void)accept(*s, dead.dump());
  // Spectating a teammate who fires and switches weapons: nothing.
  auto mate = with_weapons(base, {{"weapon_ak47", "active", 24, 30}});
  mate["player"]["steamid"] = "76561198087654321";
  mate["player"]["state"]["health"] = 100;
  CHECK(accept(*s, mate.dump()).empty());
  mate = with_weapons(mate,
                      {{"weapon_ak47", "holstered", 23, 30}, {"weapon_deagle", "active", 7, 7}});
  CHECK(accept(*s, mate.dump()).empty());
  // Self again with the same m4a1 17/20 as last known: nothing (the teammate's did not count).
  auto back = with_weapons(base, {{"weapon_m4a1_silencer", "active", 17, 20}});
  back["player"]["state"]["health"] = 0;
  CHECK(accept(*s, back.dump()).empty());
  back = with_weapons(back, {{"weapon_ak47", "active", 20, 30}});
  CHECK(describe(accept(*s, back.dump()))
        == describe({ammo("weapon_ak47", 20, 30, "0.6666666666666666")}));
}

TEST_CASE("cs2: ammo_changed after the baseline: the first weapon with ammo fires") {
  auto s = session("cs2", cs2_config());
  (void)accept(*s, fixture("cs2_07_player_died")); // baseline, self, no weapons
  CHECK(describe(accept(*s, fixture("cs2_10_next_round_freezetime_self_again")))
        == describe({ev("round_freezetime", R"({"round":8})"),
                     ev("health_changed", R"({"health":100,"fraction":1.0})", 1.0),
                     ammo("weapon_usp_silencer", 12, 12, "1.0")}));
  // A baseline that already holds a weapon: the same weapon again fires nothing.
  auto t = session("cs2", cs2_config());
  (void)accept(*t, fixture("cs2_04_kill_headshot"));
  CHECK(accept(*t, fixture("cs2_05_flashed")).size() == 1); // flashed only
}

TEST_CASE("cs2: weapon fields of the wrong type make the payload invalid (422)") {
  auto s = session("cs2", cs2_config());
  (void)accept(*s, self_payload().dump());
  auto p = with_weapons(self_payload(), {{"weapon_m4a1_silencer", "active", 17, 20}});
  p["player"]["weapons"]["weapon_0"]["ammo_clip"] = "17";
  auto r = ingest(*s, p.dump());
  CHECK(r.outcome.status == ingest_status::invalid);
  CHECK(r.outcome.detail.find("player.weapons.*.ammo_clip") != std::string::npos);
  CHECK(r.events.empty());
  p["player"]["weapons"] = json::array();
  CHECK(ingest(*s, p.dump()).outcome.status == ingest_status::invalid);
  // The refused payloads changed nothing: the next valid one diffs against the first.
  CHECK(describe(accept(
            *s, with_weapons(self_payload(), {{"weapon_m4a1_silencer", "active", 17, 20}}).dump()))
        == describe({ammo("weapon_m4a1_silencer", 17, 20, "0.85")}));
}
