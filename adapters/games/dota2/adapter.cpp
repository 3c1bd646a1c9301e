#include "adapters/games/dota2/adapter.hpp"

#include "adapters/games/diffing_session.hpp"
#include "adapters/games/dota2/snapshot.hpp"
#include "adapters/games/support.hpp"

#include <algorithm>
#include <array>

namespace gamelight::games::dota2 {

namespace {

/// In the table order of adapters.md; diff.cpp emits in the same order.
constexpr std::array<event_description, 11> events{{
    {"daytime", "map.daytime becomes true"},
    {"nighttime", "map.daytime becomes false"},
    {"match_won", "map.win_team changes to radiant or dire and equals player.team_name"},
    {"match_lost", "map.win_team changes to radiant or dire and is the other team"},
    {"kill", "player.kills increases"},
    {"death", "hero.alive goes true to false"},
    {"respawn", "hero.alive goes false to true"},
    {"level_up", "hero.level increases"},
    {"health_low", "Alive; hero.health_percent goes from above the threshold to at or below it"},
    {"health_changed", "hero.health_percent changes"},
    {"mana_changed", "hero.mana_percent changes"},
}};

constexpr std::string_view save_note
    = "Save as game/dota/cfg/gamestate_integration/{file}\n"
      "in the Dota 2 install folder (create the gamestate_integration folder if "
      "needed),\n"
      "add -gamestateintegration to the game's launch options, then restart the game.";

constexpr std::array<std::string_view, 4> data_sections{"provider", "map", "player", "hero"};

} // namespace

adapter::adapter()
    : schema_{{"type", "object"},
              {"properties",
               {{"token", detail::token_schema("Shared secret the game sends as auth.token; also "
                                               "written into the generated game cfg")},
                {"health_low_threshold",
                 detail::threshold_schema("health_low fires when hero.health_percent drops to or "
                                          "below this value")}}},
              {"required", json::array({"token"})},
              {"additionalProperties", false}} {}

std::string_view adapter::adapter_type() const {
  return "dota2";
}

std::string_view adapter::display_name() const {
  return "Dota 2";
}

std::string_view adapter::description() const {
  return "Game State Integration (HTTP POST from the game client, launch option "
         "-gamestateintegration)";
}

auth_style adapter::auth() const {
  return auth_style::body_token;
}

std::span<const event_description> adapter::supported_events() const {
  return events;
}

const json& adapter::config_schema() const {
  return schema_;
}

bool adapter::accepts_event_type(std::string_view event_type, const json&) const {
  return std::any_of(events.begin(), events.end(),
                     [&](const event_description& e) { return e.event_type == event_type; });
}

std::unique_ptr<adapter_session> adapter::make_session(const json& adapter_config) const {
  return std::make_unique<detail::diffing_session<state, &parse>>(
      detail::read_diff_settings(adapter_config));
}

setup_file adapter::make_setup_file(const setup_context& ctx) const {
  return detail::make_gsi_setup_file(ctx, {"Dota 2", save_note, data_sections});
}

const adapter& instance() {
  static const adapter x;
  return x;
}

} // namespace gamelight::games::dota2
