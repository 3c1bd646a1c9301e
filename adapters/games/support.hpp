#pragma once

/// Helpers shared by the built-in adapters: config access, schema pieces, compact
/// event data, escaping and the Valve GSI file for the generated setup files. Internal to
/// gamelight_games.

#include "adapters/games/game_adapter.hpp"
#include "common/json.hpp"

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>

namespace gamelight::games::detail {

/// Default of `health_low_threshold`.
inline constexpr std::int64_t default_health_low_threshold = 30;

/// The settings a state-diff session reads from its `adapter_config`.
struct diff_settings {
  /// Empty when the config has none: then every payload is refused as unauthorized.
  std::string token;
  std::int64_t health_low_threshold = default_health_low_threshold;
};

/// Reads `token` and `health_low_threshold` from a (validated) adapter config,
/// falling back to the defaults for anything absent or of the wrong type.
[[nodiscard]] diff_settings read_diff_settings(const json& adapter_config);

/// Returns `adapter_config.token` when it is a string, else an empty string.
[[nodiscard]] std::string read_token(const json& adapter_config);

/// The `token` property of a config schema.
[[nodiscard]] json token_schema(std::string_view description);

/// The `health_low_threshold` property of a config schema.
[[nodiscard]] json threshold_schema(std::string_view description);

/// Builds a compact JSON object text (`{"a":1,"b":"x"}`) key by key. Keys are
/// trusted literals; string values are escaped.
class data_builder {
public:
  data_builder& add(std::string_view key, std::int64_t value);
  /// Written like nlohmann::json writes a double: shortest round-trip form, with
  /// ".0" appended when it would otherwise read as an integer (`1.0`, `0.18`).
  data_builder& add_double(std::string_view key, double value);
  data_builder& add(std::string_view key, std::string_view value);
  /// Returns the finished object text.
  [[nodiscard]] std::string str() const;

private:
  void key(std::string_view k);
  std::string text_ = "{";
};

/// Appends `value` as a JSON string literal (with quotes) to `out`.
void append_json_string(std::string& out, std::string_view value);

/// Appends a double the way nlohmann::json dumps it (see `data_builder::add_double`).
void append_json_double(std::string& out, double value);

/// Returns `value` as a Valve KeyValues quoted string: `"` and `\` are escaped with a
/// backslash, and line breaks (which KeyValues cannot hold) become spaces.
[[nodiscard]] std::string keyvalues_quote(std::string_view value);

/// Returns `value` with every line break replaced by a space (for `//` and `#` comments).
[[nodiscard]] std::string single_line(std::string_view value);

/// Returns `value` as one POSIX shell word in single quotes (`'` becomes `'\''`).
[[nodiscard]] std::string shell_quote(std::string_view value);

/// What differs between the Valve GSI config files of the games.
struct gsi_file_text {
  /// "Counter-Strike 2".
  std::string_view game_title;
  /// Where to save the file and what to do next, lines separated by '\n'; `{file}`
  /// stands for the file name. Written as `//` comments.
  std::string_view save_note;
  /// The `data` sections the game should send.
  std::span<const std::string_view> data_sections;
};

/// Writes the GSI config file of an integration: its endpoint, the token and the data
/// sections, with comments on where it goes.
[[nodiscard]] setup_file make_gsi_setup_file(const setup_context& ctx, const gsi_file_text& text);

} // namespace gamelight::games::detail
