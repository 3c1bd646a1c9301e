#include "adapters/games/cs2/snapshot.hpp"

namespace gamelight::games::cs2 {

namespace {

using simdjson::error_code;
using simdjson::SUCCESS;

map_phase to_map_phase(std::string_view s) {
  if (s == "live")
    return map_phase::live;
  if (s == "warmup")
    return map_phase::warmup;
  if (s == "intermission")
    return map_phase::intermission;
  if (s == "gameover")
    return map_phase::gameover;
  return map_phase::other;
}

round_phase to_round_phase(std::string_view s) {
  if (s == "live")
    return round_phase::live;
  if (s == "freezetime")
    return round_phase::freezetime;
  if (s == "over")
    return round_phase::over;
  return round_phase::other;
}

bomb_state to_bomb_state(std::string_view s) {
  if (s == "planted")
    return bomb_state::planted;
  if (s == "defused")
    return bomb_state::defused;
  if (s == "exploded")
    return bomb_state::exploded;
  return bomb_state::other;
}

team to_team(std::string_view s) {
  if (s == "CT")
    return team::ct;
  if (s == "T")
    return team::t;
  return team::other;
}

/// Reads a string field into an enum through `convert`. `Value` is a `dom::element`
/// or an `od::value` (see body_reader::read), like every value below.
template <class Value, class E, class Convert>
error_code read_enum(detail::body_reader& r, Value v, int level, std::string_view path,
                     std::optional<E>& out, Convert convert) {
  std::optional<std::string_view> s;
  if (auto e = r.read_string(v, level, path, s))
    return e;
  if (s)
    out = convert(*s);
  return SUCCESS;
}

/// Reads `team_ct`/`team_t` { score }.
template <class Value>
error_code read_team_score(detail::body_reader& r, Value v, int level, std::string_view path,
                           std::string_view score_path, std::optional<std::int64_t>& out) {
  return r.read_object(v, level, path, [&](std::string_view key, auto x, int l) {
    if (key == "score")
      return r.read_int(x, l, score_path, out);
    return r.skip(x, l);
  });
}

/// Reads `player.weapons` { weapon_N: {name, ammo_clip, ammo_clip_max, state} } and
/// keeps the active (or reloading) weapon when it has a clip.
template <class Value>
error_code read_weapons(detail::body_reader& r, Value v, int level,
                        std::optional<weapon_ammo>& out) {
  return r.read_object(v, level, "player.weapons", [&](std::string_view, auto w, int l) {
    std::optional<std::string_view> name;
    std::optional<std::string_view> state;
    std::optional<std::int64_t> clip;
    std::optional<std::int64_t> clip_max;
    auto e = r.read_object(w, l, "player.weapons.*", [&](std::string_view f, auto x, int m) {
      if (f == "name")
        return r.read_string(x, m, "player.weapons.*.name", name);
      if (f == "state")
        return r.read_string(x, m, "player.weapons.*.state", state);
      if (f == "ammo_clip")
        return r.read_int(x, m, "player.weapons.*.ammo_clip", clip);
      if (f == "ammo_clip_max")
        return r.read_int(x, m, "player.weapons.*.ammo_clip_max", clip_max);
      return r.skip(x, m);
    });
    const bool active = state && (*state == "active" || *state == "reloading");
    if (e == SUCCESS && active && name && clip && clip_max && *clip_max > 0)
      out = weapon_ammo{std::string{*name}, *clip, *clip_max};
    return e;
  });
}

} // namespace

parse_result parse(detail::body_reader& r, const payload& p) {
  parse_result result;
  payload_snapshot& s = result.snapshot;
  std::optional<std::string_view> provider_steamid;
  std::optional<std::string_view> player_steamid;
  auto on_root = [&](std::string_view key, auto v, int level) -> error_code {
    if (key == "provider") {
      return r.read_object(v, level, "provider", [&](std::string_view k, auto x, int l) {
        if (k == "steamid")
          return r.read_string(x, l, "provider.steamid", provider_steamid);
        return r.skip(x, l);
      });
    }
    if (key == "map") {
      return r.read_object(
          v, level, "map",
          [&](std::string_view k, auto x, int l) -> error_code {
            if (k == "phase")
              return read_enum(r, x, l, "map.phase", s.map.phase, to_map_phase);
            if (k == "round")
              return r.read_int(x, l, "map.round", s.map.round);
            if (k == "team_ct")
              return read_team_score(r, x, l, "map.team_ct", "map.team_ct.score", s.map.ct_score);
            if (k == "team_t")
              return read_team_score(r, x, l, "map.team_t", "map.team_t.score", s.map.t_score);
            return r.skip(x, l);
          },
          &s.has_map);
    }
    if (key == "round") {
      return r.read_object(
          v, level, "round",
          [&](std::string_view k, auto x, int l) -> error_code {
            if (k == "phase")
              return read_enum(r, x, l, "round.phase", s.round.phase, to_round_phase);
            if (k == "bomb") {
              std::optional<bomb_state> b;
              auto e = read_enum(r, x, l, "round.bomb", b, to_bomb_state);
              s.round.bomb = b.value_or(bomb_state::none);
              return e;
            }
            if (k == "win_team") {
              std::optional<team> t;
              auto e = read_enum(r, x, l, "round.win_team", t, to_team);
              s.round.win_team = t.value_or(team::none);
              return e;
            }
            return r.skip(x, l);
          },
          &s.has_round);
    }
    if (key == "player") {
      player_block& pl = s.player;
      return r.read_object(
          v, level, "player",
          [&](std::string_view k, auto x, int l) -> error_code {
            if (k == "steamid")
              return r.read_string(x, l, "player.steamid", player_steamid);
            if (k == "team")
              return read_enum(r, x, l, "player.team", pl.team_side, to_team);
            if (k == "state") {
              return r.read_object(x, l, "player.state", [&](std::string_view f, auto y, int m) {
                if (f == "health")
                  return r.read_int(y, m, "player.state.health", pl.health);
                if (f == "flashed")
                  return r.read_int(y, m, "player.state.flashed", pl.flashed);
                if (f == "burning")
                  return r.read_int(y, m, "player.state.burning", pl.burning);
                if (f == "round_kills")
                  return r.read_int(y, m, "player.state.round_kills", pl.round_kills);
                if (f == "round_killhs")
                  return r.read_int(y, m, "player.state.round_killhs", pl.round_killhs);
                return r.skip(y, m);
              });
            }
            if (k == "weapons")
              return read_weapons(r, x, l, pl.weapon);
            if (k == "match_stats") {
              return r.read_object(x, l, "player.match_stats",
                                   [&](std::string_view f, auto y, int m) {
                                     if (f == "mvps")
                                       return r.read_int(y, m, "player.match_stats.mvps", pl.mvps);
                                     return r.skip(y, m);
                                   });
            }
            return r.skip(x, l);
          },
          &s.has_player);
    }
    if (key == "auth") {
      // A missing or mistyped token is an auth failure (401), not a 422.
      return r.read_object(
          v, level, "auth",
          [&](std::string_view k, auto x, int l) {
            if (k == "token")
              return r.read_string(x, l, "auth.token", result.token, /*quiet=*/true);
            return r.skip(x, l);
          },
          nullptr, /*quiet=*/true);
    }
    return r.skip(v, level);
  };
  result.status = r.read(p, on_root);
  if (result.status != detail::document_status::object) {
    result.token.reset();
    return result;
  }
  if (!s.has_map)
    s.map = {};
  if (!s.has_round)
    s.round = {};
  if (!s.has_player)
    s.player = {};
  s.is_self
      = s.has_player && provider_steamid && player_steamid && *provider_steamid == *player_steamid;
  return result;
}

} // namespace gamelight::games::cs2
