#include "tests/games/test_util.hpp"

#include <doctest/doctest.h>

#include <string>
#include <vector>

using namespace gamelight;
using namespace gamelight::games;
using namespace gamelight::games::test;

namespace {

std::vector<std::string> event_types(const game_adapter& a) {
  std::vector<std::string> result;
  for (const auto& e : a.supported_events()) {
    result.emplace_back(e.event_type);
    CHECK_FALSE(e.description.empty());
  }
  return result;
}

setup_context context(json config) {
  return setup_context{"gi_3f9a0c1e", "CS2 desk rig",
                       "http://127.0.0.1:8420/api/v1/game-integrations/gi_3f9a0c1e/event",
                       std::move(config)};
}

} // namespace

TEST_CASE("registry: all_adapters and find_adapter") {
  auto all = all_adapters();
  REQUIRE(all.size() == 3);
  CHECK(all[0]->adapter_type() == "cs2");
  CHECK(all[1]->adapter_type() == "dota2");
  CHECK(all[2]->adapter_type() == "generic");
  for (const auto* a : all)
    CHECK(find_adapter(a->adapter_type()) == a);
  CHECK(find_adapter("csgo") == nullptr);
  CHECK(find_adapter("") == nullptr);
  CHECK(to_string(auth_style::body_token) == "body_token");
  CHECK(to_string(auth_style::header_token) == "header_token");
  CHECK(find_adapter("cs2")->auth() == auth_style::body_token);
  CHECK(find_adapter("dota2")->auth() == auth_style::body_token);
  CHECK(find_adapter("generic")->auth() == auth_style::header_token);
  CHECK(find_adapter("cs2")->display_name() == "Counter-Strike 2");
  CHECK(find_adapter("cs2")->description()
        == "Game State Integration (HTTP POST from the game client)");
}

TEST_CASE("metadata: supported events in the table order of adapters.md") {
  CHECK(event_types(*find_adapter("cs2"))
        == std::vector<std::string>{"round_freezetime", "round_live", "bomb_planted",
                                    "bomb_defused", "bomb_exploded", "round_won", "round_lost",
                                    "damage_taken", "health_low", "death", "health_changed", "kill",
                                    "headshot", "multi_kill", "flashed", "burning", "mvp",
                                    "match_over", "ammo_changed"});
  CHECK(event_types(*find_adapter("dota2"))
        == std::vector<std::string>{"daytime", "nighttime", "match_won", "match_lost", "kill",
                                    "death", "respawn", "level_up", "health_low", "health_changed",
                                    "mana_changed"});
  CHECK(find_adapter("generic")->supported_events().empty());
}

TEST_CASE("metadata: config schemas") {
  const std::string token_desc
      = "Shared secret the game sends as auth.token; also written into the generated game cfg";
  CHECK(find_adapter("cs2")->config_schema().dump()
        == R"({"type":"object","properties":{"token":{"type":"string","minLength":8,)"
           R"("maxLength":128,"writeOnly":true,"description":")"
               + token_desc
               + R"("},"health_low_threshold":{"type":"integer","minimum":1,"maximum":99,)"
                 R"("default":30,"description":"health_low fires when player.state.health drops )"
                 R"(to or below this value"}},"required":["token"],"additionalProperties":false})");
  const json& dota = find_adapter("dota2")->config_schema();
  CHECK(dota["required"] == json::array({"token"}));
  CHECK(dota["properties"]["health_low_threshold"]["default"] == 30);
  CHECK(dota["properties"]["token"]["writeOnly"] == true);
  const json& generic = find_adapter("generic")->config_schema();
  CHECK_FALSE(generic.contains("required"));
  CHECK(generic["additionalProperties"] == false);
  CHECK(generic["properties"]["token"]["minLength"] == 8);
  CHECK(generic["properties"]["token"]["maxLength"] == 128);
  CHECK(generic["properties"]["events"]["type"] == "array");
  CHECK(generic["properties"]["events"]["items"]
        == json{{"type", "string"}, {"pattern", "^[a-z0-9_.-]{1,64}$"}});
}

TEST_CASE("metadata: accepts_event_type") {
  const auto& cs2 = *find_adapter("cs2");
  CHECK(cs2.accepts_event_type("bomb_planted", json::object()));
  CHECK(cs2.accepts_event_type("match_over", json::object()));
  CHECK_FALSE(cs2.accepts_event_type("respawn", json::object()));
  CHECK_FALSE(cs2.accepts_event_type("", json::object()));
  const auto& dota2 = *find_adapter("dota2");
  CHECK(dota2.accepts_event_type("respawn", json::object()));
  CHECK_FALSE(dota2.accepts_event_type("bomb_planted", json::object()));
  const auto& generic = *find_adapter("generic");
  CHECK(generic.accepts_event_type("boss_defeated", json::object()));
  CHECK(generic.accepts_event_type("a.b-c_9", json::object()));
  CHECK(generic.accepts_event_type(std::string(64, 'x'), json::object()));
  CHECK_FALSE(generic.accepts_event_type(std::string(65, 'x'), json::object()));
  CHECK_FALSE(generic.accepts_event_type("Boss", json::object()));
  CHECK_FALSE(generic.accepts_event_type("", json::object()));
  const json listed{{"events", {"boss_defeated"}}};
  CHECK(generic.accepts_event_type("boss_defeated", listed));
  CHECK_FALSE(generic.accepts_event_type("level_up", listed));
  CHECK_FALSE(generic.accepts_event_type("x", json{{"events", json::array()}}));
  CHECK(is_generic_event_name("a"));
  CHECK_FALSE(is_generic_event_name("a/b"));
}

TEST_CASE("setup: the cs2 cfg file") {
  auto file = find_adapter("cs2")->make_setup_file(context(json{{"token", cs2_token}}));
  CHECK(file.filename == "gamestate_integration_gamelight_gi_3f9a0c1e.cfg");
  CHECK(file.text
        == "// gamelight: Counter-Strike 2 Game State Integration for \"CS2 desk rig\" "
           "(gi_3f9a0c1e).\n"
           "// Save as game/csgo/cfg/gamestate_integration_gamelight_gi_3f9a0c1e.cfg in the CS2 "
           "install folder\n"
           "// (Steam: right-click CS2 > Manage > Browse local files), then restart the game.\n"
           "// The token below is the integration's secret: keep this file private.\n"
           "\"gamelight gi_3f9a0c1e\"\n"
           "{\n"
           "\t\"uri\" \"http://127.0.0.1:8420/api/v1/game-integrations/gi_3f9a0c1e/event\"\n"
           "\t\"timeout\" \"1.1\"\n"
           "\t\"buffer\" \"0.1\"\n"
           "\t\"throttle\" \"0.1\"\n"
           "\t\"heartbeat\" \"10.0\"\n"
           "\t\"auth\"\n"
           "\t{\n"
           "\t\t\"token\" \"wled-gsi-7f3c9a12e4b8\"\n"
           "\t}\n"
           "\t\"data\"\n"
           "\t{\n"
           "\t\t\"provider\" \"1\"\n"
           "\t\t\"map\" \"1\"\n"
           "\t\t\"round\" \"1\"\n"
           "\t\t\"player_id\" \"1\"\n"
           "\t\t\"player_state\" \"1\"\n"
           "\t\t\"player_match_stats\" \"1\"\n"
           "\t\t\"player_weapons\" \"1\"\n"
           "\t}\n"
           "}\n");
}

TEST_CASE("setup: the dota2 cfg file") {
  auto file = find_adapter("dota2")->make_setup_file(context(json{{"token", "d2-secret"}}));
  CHECK(file.filename == "gamestate_integration_gamelight_gi_3f9a0c1e.cfg");
  CHECK(file.text
        == "// gamelight: Dota 2 Game State Integration for \"CS2 desk rig\" (gi_3f9a0c1e).\n"
           "// Save as game/dota/cfg/gamestate_integration/"
           "gamestate_integration_gamelight_gi_3f9a0c1e.cfg\n"
           "// in the Dota 2 install folder (create the gamestate_integration folder if needed),\n"
           "// add -gamestateintegration to the game's launch options, then restart the game.\n"
           "// The token below is the integration's secret: keep this file private.\n"
           "\"gamelight gi_3f9a0c1e\"\n"
           "{\n"
           "\t\"uri\" \"http://127.0.0.1:8420/api/v1/game-integrations/gi_3f9a0c1e/event\"\n"
           "\t\"timeout\" \"1.1\"\n"
           "\t\"buffer\" \"0.1\"\n"
           "\t\"throttle\" \"0.1\"\n"
           "\t\"heartbeat\" \"10.0\"\n"
           "\t\"auth\"\n\t{\n"
           "\t\t\"token\" \"d2-secret\"\n"
           "\t}\n"
           "\t\"data\"\n\t{\n"
           "\t\t\"provider\" \"1\"\n"
           "\t\t\"map\" \"1\"\n"
           "\t\t\"player\" \"1\"\n"
           "\t\t\"hero\" \"1\"\n"
           "\t}\n"
           "}\n");
}

TEST_CASE("setup: tokens and names are escaped for KeyValues") {
  auto ctx = context(json{{"token", "ab\"cd\\ef"}});
  ctx.integration_name = "two\nlines";
  auto file = find_adapter("cs2")->make_setup_file(ctx);
  CHECK(file.text.find("\t\t\"token\" \"ab\\\"cd\\\\ef\"\n") != std::string::npos);
  CHECK(file.text.find("\"two lines\"") != std::string::npos);
  auto dota = find_adapter("dota2")->make_setup_file(ctx);
  CHECK(dota.filename == "gamestate_integration_gamelight_gi_3f9a0c1e.cfg");
  CHECK(dota.text.find("\t\t\"token\" \"ab\\\"cd\\\\ef\"\n") != std::string::npos);
  CHECK(dota.text.find("game/dota/cfg/gamestate_integration/") != std::string::npos);
  CHECK(dota.text.find("-gamestateintegration") != std::string::npos);
  for (const char* section : {"provider", "map", "player", "hero"})
    CHECK(dota.text.find("\t\t\"" + std::string(section) + "\" \"1\"\n") != std::string::npos);
  CHECK(dota.text.find("\"heartbeat\" \"10.0\"") != std::string::npos);
}

TEST_CASE("setup: the generic curl example, with and without token") {
  const auto& generic = *find_adapter("generic");
  auto ctx = context(json::object());
  ctx.integration_name = "Script";
  auto open = generic.make_setup_file(ctx);
  CHECK(open.filename == "gamelight_gi_3f9a0c1e_example.sh");
  CHECK(open.text
        == "#!/bin/sh\n"
           "# gamelight: generic integration \"Script\" (gi_3f9a0c1e).\n"
           "# POST one event (or {\"events\": [{\"event_type\": ...}, ...]}, at most 64) as "
           "JSON.\n"
           "curl -sS -X POST 'http://127.0.0.1:8420/api/v1/game-integrations/gi_3f9a0c1e/event' "
           "\\\n"
           "  -H 'Content-Type: application/json' \\\n"
           "  -d '{\"event_type\": \"boss_defeated\", \"data\": {}}'\n");
  CHECK(open.text.find("X-Game-Token") == std::string::npos);

  ctx.adapter_config = json{{"token", "it's-a-secret"}, {"events", {"level_up", "died"}}};
  auto with_token = generic.make_setup_file(ctx);
  CHECK(with_token.text.find("  -H 'X-Game-Token: it'\\''s-a-secret' \\\n") != std::string::npos);
  CHECK(with_token.text.find("-d '{\"event_type\": \"level_up\", \"data\": {}}'")
        != std::string::npos);
}
