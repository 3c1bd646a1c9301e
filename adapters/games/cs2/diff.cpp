#include "adapters/games/cs2/snapshot.hpp"

namespace gamelight::games::cs2 {

namespace {

using detail::data_builder;

void emit(std::vector<game_event>& out, std::string_view type, std::string data = "{}") {
  game_event& e = out.emplace_back();
  e.event_type = type;
  e.data = std::move(data);
}

/// Returns whether both values are known and `current` differs from `previous`.
template <class T>
bool changed(const std::optional<T>& previous, const std::optional<T>& current) {
  return previous && current && *previous != *current;
}

/// `{"round": n}` with the current (else last known) map.round.
std::string round_data(const state& previous, const payload_snapshot& current) {
  data_builder b;
  if (auto round = current.map.round ? current.map.round : previous.map.round)
    b.add("round", *round);
  return b.str();
}

} // namespace

std::string_view to_string(team x) noexcept {
  switch (x) {
    case team::ct:
      return "CT";
    case team::t:
      return "T";
    case team::none:
    case team::other:
      break;
  }
  return {};
}

void diff(const state& previous, const payload_snapshot& current,
          const detail::diff_settings& settings, std::vector<game_event>& out) {
  // -- round (any payload with a round block, self or not)
  const bool round_comparable = current.has_round && previous.round_known;
  if (round_comparable) {
    const auto& was = previous.round;
    const auto& now = current.round;
    if (changed(was.phase, now.phase) && *now.phase == round_phase::freezetime)
      emit(out, "round_freezetime", round_data(previous, current));
    if (changed(was.phase, now.phase) && *now.phase == round_phase::live)
      emit(out, "round_live", round_data(previous, current));
    if (now.bomb != was.bomb) {
      if (now.bomb == bomb_state::planted) {
        emit(out, "bomb_planted", data_builder{}.add("countdown_ms", 40000).str());
        out.back().countdown_ms = 40000;
      } else if (now.bomb == bomb_state::defused) {
        emit(out, "bomb_defused");
      } else if (now.bomb == bomb_state::exploded) {
        emit(out, "bomb_exploded");
      }
    }
    const bool decided = now.win_team == team::ct || now.win_team == team::t;
    if (decided && now.win_team != was.win_team) {
      // The user's team: from this payload when it is a self payload, else from
      // the last self payload; unknown before any self payload.
      std::optional<team> mine = current.is_self && current.player.team_side
                                     ? current.player.team_side
                                     : previous.self.team_side;
      if (mine && (*mine == team::ct || *mine == team::t)) {
        auto data = data_builder{}.add("win_team", to_string(now.win_team)).str();
        emit(out, *mine == now.win_team ? "round_won" : "round_lost", std::move(data));
      }
    }
  }

  // -- player (self payloads only, against the last self values)
  if (current.is_self) {
    const auto& was = previous.self;
    const auto& now = current.player;
    if (was.health && now.health) {
      const std::int64_t old_h = *was.health;
      const std::int64_t h = *now.health;
      const std::int64_t threshold = settings.health_low_threshold;
      if (h < old_h)
        emit(out, "damage_taken", data_builder{}.add("health", h).add("amount", old_h - h).str());
      if (old_h > threshold && h <= threshold && h > 0)
        emit(out, "health_low", data_builder{}.add("health", h).str());
      if (old_h > 0 && h == 0)
        emit(out, "death");
      if (h != old_h) {
        const double fraction = static_cast<double>(h) / 100.0;
        emit(out, "health_changed",
             data_builder{}.add("health", h).add_double("fraction", fraction).str());
        out.back().fraction = fraction;
      }
    }
    const bool more_kills
        = was.round_kills && now.round_kills && *now.round_kills > *was.round_kills;
    if (more_kills)
      emit(out, "kill", data_builder{}.add("round_kills", *now.round_kills).str());
    if (was.round_killhs && now.round_killhs && *now.round_killhs > *was.round_killhs)
      emit(out, "headshot", data_builder{}.add("round_killhs", *now.round_killhs).str());
    if (more_kills && *now.round_kills >= 3)
      emit(out, "multi_kill", data_builder{}.add("round_kills", *now.round_kills).str());
    if (was.flashed && now.flashed && *was.flashed == 0 && *now.flashed > 0)
      emit(out, "flashed", data_builder{}.add("flashed", *now.flashed).str());
    if (was.burning && now.burning && *was.burning == 0 && *now.burning > 0)
      emit(out, "burning", data_builder{}.add("burning", *now.burning).str());
    if (was.mvps && now.mvps && *now.mvps > *was.mvps)
      emit(out, "mvp", data_builder{}.add("mvps", *now.mvps).str());
  }

  // -- map
  if (current.has_map && changed(previous.map.phase, current.map.phase)
      && *current.map.phase == map_phase::gameover) {
    data_builder b;
    if (auto ct = current.map.ct_score ? current.map.ct_score : previous.map.ct_score)
      b.add("ct_score", *ct);
    if (auto t = current.map.t_score ? current.map.t_score : previous.map.t_score)
      b.add("t_score", *t);
    emit(out, "match_over", b.str());
  }

  // -- the active weapon's clip (self payloads only; a weapon without a clip keeps the
  // last known one)
  if (current.is_self && current.player.weapon && current.player.weapon != previous.self.weapon) {
    const auto& w = *current.player.weapon;
    const double fraction = static_cast<double>(w.clip) / static_cast<double>(w.clip_max);
    emit(out, "ammo_changed",
         data_builder{}
             .add("weapon", w.name)
             .add("ammo_clip", w.clip)
             .add("ammo_clip_max", w.clip_max)
             .add_double("fraction", fraction)
             .str());
    out.back().fraction = fraction;
  }
}

state merge(state previous, const payload_snapshot& current) {
  auto keep = [](auto& known, const auto& now) {
    if (now)
      known = now;
  };
  if (current.has_map) {
    keep(previous.map.phase, current.map.phase);
    keep(previous.map.round, current.map.round);
    keep(previous.map.ct_score, current.map.ct_score);
    keep(previous.map.t_score, current.map.t_score);
  }
  if (current.has_round) {
    previous.round_known = true;
    keep(previous.round.phase, current.round.phase);
    previous.round.bomb = current.round.bomb;
    previous.round.win_team = current.round.win_team;
  }
  if (current.is_self) {
    auto& self = previous.self;
    const auto& now = current.player;
    keep(self.team_side, now.team_side);
    keep(self.health, now.health);
    keep(self.round_kills, now.round_kills);
    keep(self.round_killhs, now.round_killhs);
    keep(self.flashed, now.flashed);
    keep(self.burning, now.burning);
    keep(self.mvps, now.mvps);
    keep(self.weapon, now.weapon);
  }
  return previous;
}

} // namespace gamelight::games::cs2
