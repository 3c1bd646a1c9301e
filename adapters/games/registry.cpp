#include "adapters/games/cs2/adapter.hpp"
#include "adapters/games/dota2/adapter.hpp"
#include "adapters/games/game_adapter.hpp"
#include "adapters/games/generic/adapter.hpp"

#include <array>

namespace gamelight::games {

std::string_view to_string(auth_style x) {
  switch (x) {
    case auth_style::body_token:
      return "body_token";
    case auth_style::header_token:
      return "header_token";
  }
  return "body_token";
}

std::span<const game_adapter* const> all_adapters() {
  static const std::array<const game_adapter*, 3> adapters{&cs2::instance(), &dota2::instance(),
                                                           &generic::instance()};
  return adapters;
}

const game_adapter* find_adapter(std::string_view adapter_type) {
  for (const auto* a : all_adapters())
    if (a->adapter_type() == adapter_type)
      return a;
  return nullptr;
}

bool is_generic_event_name(std::string_view name) noexcept {
  if (name.empty() || name.size() > 64)
    return false;
  for (char c : name) {
    bool ok = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '.' || c == '-';
    if (!ok)
      return false;
  }
  return true;
}

} // namespace gamelight::games
