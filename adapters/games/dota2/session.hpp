#pragma once

/// Creation of `dota2` sessions (see session.cpp).

#include "adapters/games/game_adapter.hpp"
#include "adapters/games/support.hpp"

#include <memory>

namespace gamelight::games::dota2 {

/// Returns a fresh session (empty baseline) with the given settings.
[[nodiscard]] std::unique_ptr<adapter_session> make_dota2_session(detail::diff_settings settings);

} // namespace gamelight::games::dota2
