#include "adapters/games/cs2/adapter.hpp"

#include "adapters/games/cs2/snapshot.hpp"
#include "adapters/games/diffing_session.hpp"
#include "adapters/games/support.hpp"

#include <algorithm>
#include <array>

namespace gamelight::games::cs2 {

namespace {

/// In the table order of adapters.md; diff.cpp emits in the same order.
constexpr std::array<event_description, 19> events{{
    {"round_freezetime", "round.phase becomes freezetime"},
    {"round_live", "round.phase becomes live"},
    {"bomb_planted", "round.bomb becomes planted"},
    {"bomb_defused", "round.bomb becomes defused"},
    {"bomb_exploded", "round.bomb becomes exploded"},
    {"round_won", "round.win_team appears or changes and equals the user's team"},
    {"round_lost", "round.win_team appears or changes and is not the user's team"},
    {"damage_taken", "Self; player.state.health decreases"},
    {"health_low", "Self; health goes from above the threshold to at or below it, and is > 0"},
    {"death", "Self; health goes from > 0 to 0"},
    {"health_changed", "Self; health changes"},
    {"kill", "Self; player.state.round_kills increases"},
    {"headshot", "Self; player.state.round_killhs increases"},
    {"multi_kill", "Self; round_kills increases to 3 or more"},
    {"flashed", "Self; player.state.flashed goes from 0 to > 0"},
    {"burning", "Self; player.state.burning goes from 0 to > 0"},
    {"mvp", "Self; player.match_stats.mvps increases"},
    {"match_over", "map.phase becomes gameover"},
    {"ammo_changed", "Self; the active weapon's name, ammo_clip or ammo_clip_max changes (weapons "
                     "without a clip keep the last known one)"},
}};

constexpr std::string_view save_note
    = "Save as game/csgo/cfg/{file} in the CS2 install folder\n"
      "(Steam: right-click CS2 > Manage > Browse local files), then restart the game.";

constexpr std::array<std::string_view, 7> data_sections{
    "provider",           "map",           "round", "player_id", "player_state",
    "player_match_stats", "player_weapons"};

} // namespace

adapter::adapter()
    : schema_{{"type", "object"},
              {"properties",
               {{"token", detail::token_schema("Shared secret the game sends as auth.token; also "
                                               "written into the generated game cfg")},
                {"health_low_threshold",
                 detail::threshold_schema("health_low fires when player.state.health drops to or "
                                          "below this value")}}},
              {"required", json::array({"token"})},
              {"additionalProperties", false}} {}

std::string_view adapter::adapter_type() const {
  return "cs2";
}

std::string_view adapter::display_name() const {
  return "Counter-Strike 2";
}

std::string_view adapter::description() const {
  return "Game State Integration (HTTP POST from the game client)";
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
  return detail::make_gsi_setup_file(ctx, {"Counter-Strike 2", save_note, data_sections});
}

const adapter& instance() {
  static const adapter x;
  return x;
}

} // namespace gamelight::games::cs2
