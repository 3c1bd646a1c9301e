#include "adapters/games/dota2/snapshot.hpp"

namespace gamelight::games::dota2 {

namespace {

using simdjson::error_code;

team to_team(std::string_view s) {
  if (s == "radiant")
    return team::radiant;
  if (s == "dire")
    return team::dire;
  if (s == "none")
    return team::none;
  return team::other;
}

/// `Value` is a `dom::element` or an `od::value` (see body_reader::read).
template <class Value>
error_code read_team(detail::body_reader& r, Value v, int level, std::string_view path,
                     std::optional<team>& out) {
  std::optional<std::string_view> s;
  if (auto e = r.read_string(v, level, path, s))
    return e;
  if (s)
    out = to_team(*s);
  return simdjson::SUCCESS;
}

} // namespace

parse_result parse(detail::body_reader& r, const payload& p) {
  parse_result result;
  fields& s = result.snapshot;
  auto on_root = [&](std::string_view key, auto v, int level) -> error_code {
    if (key == "map") {
      return r.read_object(v, level, "map", [&](std::string_view k, auto x, int l) {
        if (k == "daytime")
          return r.read_bool(x, l, "map.daytime", s.daytime);
        if (k == "win_team")
          return read_team(r, x, l, "map.win_team", s.win_team);
        return r.skip(x, l);
      });
    }
    if (key == "player") {
      return r.read_object(v, level, "player", [&](std::string_view k, auto x, int l) {
        if (k == "kills")
          return r.read_int(x, l, "player.kills", s.kills);
        if (k == "team_name")
          return read_team(r, x, l, "player.team_name", s.team_name);
        return r.skip(x, l);
      });
    }
    if (key == "hero") {
      return r.read_object(v, level, "hero", [&](std::string_view k, auto x, int l) {
        if (k == "alive")
          return r.read_bool(x, l, "hero.alive", s.alive);
        if (k == "respawn_seconds")
          return r.read_int(x, l, "hero.respawn_seconds", s.respawn_seconds);
        if (k == "level")
          return r.read_int(x, l, "hero.level", s.level);
        if (k == "health_percent")
          return r.read_int(x, l, "hero.health_percent", s.health_percent);
        if (k == "mana_percent")
          return r.read_int(x, l, "hero.mana_percent", s.mana_percent);
        return r.skip(x, l);
      });
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
  if (result.status != detail::document_status::object)
    result.token.reset();
  return result;
}

} // namespace gamelight::games::dota2
