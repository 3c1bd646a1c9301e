#include "adapters/games/dota2/snapshot.hpp"

namespace gamelight::games::dota2 {

namespace {

using detail::data_builder;

void emit(std::vector<game_event>& out, std::string_view type, std::string data = "{}") {
  game_event& e = out.emplace_back();
  e.event_type = type;
  e.data = std::move(data);
}

template <class T>
bool changed(const std::optional<T>& previous, const std::optional<T>& current) {
  return previous && current && *previous != *current;
}

template <class T>
std::optional<T> latest(const std::optional<T>& previous, const std::optional<T>& current) {
  return current ? current : previous;
}

} // namespace

std::string_view to_string(team x) noexcept {
  switch (x) {
    case team::radiant:
      return "radiant";
    case team::dire:
      return "dire";
    case team::none:
    case team::other:
      break;
  }
  return {};
}

void diff(const state& was, const payload_snapshot& now, const detail::diff_settings& settings,
          std::vector<game_event>& out) {
  if (changed(was.daytime, now.daytime))
    emit(out, *now.daytime ? "daytime" : "nighttime");
  if (changed(was.win_team, now.win_team)
      && (*now.win_team == team::radiant || *now.win_team == team::dire)) {
    if (auto mine = latest(was.team_name, now.team_name);
        mine && (*mine == team::radiant || *mine == team::dire)) {
      emit(out, *mine == *now.win_team ? "match_won" : "match_lost",
           data_builder{}.add("win_team", to_string(*now.win_team)).str());
    }
  }
  if (was.kills && now.kills && *now.kills > *was.kills)
    emit(out, "kill", data_builder{}.add("kills", *now.kills).str());
  if (changed(was.alive, now.alive)) {
    if (!*now.alive) {
      data_builder b;
      if (auto s = latest(was.respawn_seconds, now.respawn_seconds))
        b.add("respawn_seconds", *s);
      emit(out, "death", b.str());
    } else {
      emit(out, "respawn");
    }
  }
  if (was.level && now.level && *now.level > *was.level)
    emit(out, "level_up", data_builder{}.add("level", *now.level).str());
  if (was.health_percent && now.health_percent) {
    const std::int64_t old_p = *was.health_percent;
    const std::int64_t p = *now.health_percent;
    const bool alive = latest(was.alive, now.alive).value_or(false);
    if (alive && old_p > settings.health_low_threshold && p <= settings.health_low_threshold)
      emit(out, "health_low", data_builder{}.add("health_percent", p).str());
    if (p != old_p) {
      const double fraction = static_cast<double>(p) / 100.0;
      emit(out, "health_changed",
           data_builder{}.add("health_percent", p).add_double("fraction", fraction).str());
      out.back().fraction = fraction;
    }
  }
  if (was.mana_percent && now.mana_percent && *now.mana_percent != *was.mana_percent) {
    const std::int64_t p = *now.mana_percent;
    const double fraction = static_cast<double>(p) / 100.0;
    emit(out, "mana_changed",
         data_builder{}.add("mana_percent", p).add_double("fraction", fraction).str());
    out.back().fraction = fraction;
  }
}

state merge(state previous, const payload_snapshot& current) {
  auto keep = [](auto& known, const auto& now) {
    if (now)
      known = now;
  };
  keep(previous.daytime, current.daytime);
  keep(previous.win_team, current.win_team);
  keep(previous.kills, current.kills);
  keep(previous.team_name, current.team_name);
  keep(previous.alive, current.alive);
  keep(previous.respawn_seconds, current.respawn_seconds);
  keep(previous.level, current.level);
  keep(previous.health_percent, current.health_percent);
  keep(previous.mana_percent, current.mana_percent);
  return previous;
}

} // namespace gamelight::games::dota2
