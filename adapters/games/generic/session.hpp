#pragma once

/// Creation of `generic` sessions (see session.cpp).

#include "adapters/games/game_adapter.hpp"

#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace gamelight::games::generic {

/// What a generic session reads from its `adapter_config`.
struct settings {
  /// Empty: no authentication.
  std::string token;
  /// The configured `events` list, if any.
  std::optional<std::vector<std::string>> events;
};

/// Reads `token` and `events` from a (validated) adapter config.
[[nodiscard]] settings read_settings(const json& adapter_config);

/// Returns a fresh session with the given settings.
[[nodiscard]] std::unique_ptr<adapter_session> make_generic_session(settings s);

} // namespace gamelight::games::generic
