#pragma once

/// Dota 2 game state as far as the events need it (see cs2/snapshot.hpp for the
/// conventions: every field optional, a missing field is unknown and keeps its last
/// known value). The game sends `map.win_team` as "none" until the match is decided.

#include "adapters/games/json_reader.hpp"
#include "adapters/games/support.hpp"
#include "common/model.hpp"

#include <cstdint>
#include <optional>
#include <string_view>
#include <vector>

namespace gamelight::games::dota2 {

enum class team : std::uint8_t { none, other, radiant, dire };

/// Returns "radiant" or "dire" (empty for the others).
[[nodiscard]] std::string_view to_string(team x) noexcept;

/// The fields events use, from `map`, `player` and `hero`.
struct fields {
  std::optional<bool> daytime;
  std::optional<team> win_team;
  std::optional<std::int64_t> kills;
  std::optional<team> team_name;
  std::optional<bool> alive;
  std::optional<std::int64_t> respawn_seconds;
  std::optional<std::int64_t> level;
  std::optional<std::int64_t> health_percent;
  std::optional<std::int64_t> mana_percent;
  friend bool operator==(const fields&, const fields&) = default;
};

/// What one payload says.
using payload_snapshot = fields;

/// What a session knows: the last known value of every field.
using state = fields;

/// The outcome of parsing one body.
struct parse_result {
  detail::document_status status = detail::document_status::object;
  /// `auth.token`, when present as a string; valid until the next parse.
  std::optional<std::string_view> token;
  payload_snapshot snapshot;
};

/// Parses one body (see cs2::parse).
[[nodiscard]] parse_result parse(detail::body_reader& reader, const payload& p);

/// Appends the events that `current` implies, in the table order of adapters.md.
void diff(const state& previous, const payload_snapshot& current,
          const detail::diff_settings& settings, std::vector<game_event>& out);

/// Returns `previous` updated with everything `current` knows.
[[nodiscard]] state merge(state previous, const payload_snapshot& current);

} // namespace gamelight::games::dota2
