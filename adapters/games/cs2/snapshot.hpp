#pragma once

/// CS2 game state as far as the events need it: what one payload says
/// (`payload_snapshot`), what a session knows after all accepted payloads
/// (`state`), and the pure functions between them.
///
/// Every field is optional: a field missing inside a block that is present is
/// unknown, fires nothing, and keeps its last known value (api.md). Exception:
/// `round.bomb` and `round.win_team` are absent by design until the bomb is planted
/// or the round is decided, so inside a present `round` block their absence means
/// "none" (that is what lets "win_team appears" fire again in the next round).

#include "adapters/games/json_reader.hpp"
#include "adapters/games/support.hpp"
#include "common/model.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace gamelight::games::cs2 {

enum class map_phase : std::uint8_t { other, warmup, live, intermission, gameover };
enum class round_phase : std::uint8_t { other, freezetime, live, over };
enum class bomb_state : std::uint8_t { none, other, planted, defused, exploded };
enum class team : std::uint8_t { none, other, ct, t };

/// Returns "CT" or "T" (empty for the others).
[[nodiscard]] std::string_view to_string(team x) noexcept;

struct map_block {
  std::optional<map_phase> phase;
  std::optional<std::int64_t> round;
  std::optional<std::int64_t> ct_score;
  std::optional<std::int64_t> t_score;
  friend bool operator==(const map_block&, const map_block&) = default;
};

struct round_block {
  std::optional<round_phase> phase;
  /// `none` when the key is absent (see the file comment).
  bomb_state bomb = bomb_state::none;
  /// `none` when the key is absent.
  team win_team = team::none;
  friend bool operator==(const round_block&, const round_block&) = default;
};

/// The clip of the active weapon (`ammo_changed`).
struct weapon_ammo {
  /// The full weapon name, e.g. `weapon_m4a1_silencer`.
  std::string name;
  std::int64_t clip = 0;
  /// Greater than 0 (weapons without a clip never get here).
  std::int64_t clip_max = 0;
  friend bool operator==(const weapon_ammo&, const weapon_ammo&) = default;
};

/// The fields of `player`, `player.state`, `player.match_stats` and `player.weapons`
/// that events use.
struct player_block {
  std::optional<team> team_side;
  std::optional<std::int64_t> health;
  std::optional<std::int64_t> round_kills;
  std::optional<std::int64_t> round_killhs;
  std::optional<std::int64_t> flashed;
  std::optional<std::int64_t> burning;
  std::optional<std::int64_t> mvps;
  /// The active (or reloading) weapon when it has `ammo_clip` and `ammo_clip_max` > 0;
  /// none when there is no such weapon (knife, grenade, bomb, no weapons block).
  std::optional<weapon_ammo> weapon;
  friend bool operator==(const player_block&, const player_block&) = default;
};

/// What one payload says.
struct payload_snapshot {
  /// Present blocks (a block of the wrong type makes the payload invalid).
  bool has_map = false;
  bool has_round = false;
  bool has_player = false;
  map_block map;
  round_block round;
  player_block player;
  /// `player.steamid == provider.steamid`, both present.
  bool is_self = false;
  friend bool operator==(const payload_snapshot&, const payload_snapshot&) = default;
};

/// What a session knows: the last known value of every field.
struct state {
  map_block map;
  /// Whether any payload had a `round` block (`round.bomb`/`win_team` known).
  bool round_known = false;
  round_block round;
  /// Last known values from self payloads only.
  player_block self;
  friend bool operator==(const state&, const state&) = default;
};

/// The outcome of parsing one body.
struct parse_result {
  detail::document_status status = detail::document_status::object;
  /// `auth.token`, when present as a string; valid until the next parse.
  std::optional<std::string_view> token;
  payload_snapshot snapshot;
};

/// Parses one body with `reader.read` (validated as a whole, then read from the DOM
/// tape, or by the strict walk; see json_reader.hpp); adapter-level problems end up in
/// `reader.problem()`, syntax errors in `reader.malformed_detail()`.
[[nodiscard]] parse_result parse(detail::body_reader& reader, const payload& p);

/// Appends the events that `current` implies, given what was known before, in the
/// table order of adapters.md, at most one per type.
void diff(const state& previous, const payload_snapshot& current,
          const detail::diff_settings& settings, std::vector<game_event>& out);

/// Returns `previous` updated with everything `current` knows.
[[nodiscard]] state merge(state previous, const payload_snapshot& current);

} // namespace gamelight::games::cs2
