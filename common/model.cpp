#include "common/model.hpp"

namespace gamelight {

namespace {

constexpr std::array<std::string_view, 9> effect_names = {
    "solid", "flash", "fade", "pulse", "strobe", "wipe", "gauge", "countdown", "off",
};

constexpr std::array<std::string_view, 3> protocol_names = {"ddp", "dnrgb", "e131"};

} // namespace

std::string_view to_string(effect_kind x) {
  return effect_names[static_cast<std::size_t>(x)];
}

std::optional<effect_kind> parse_effect_kind(std::string_view name) {
  for (std::size_t i = 0; i < effect_names.size(); ++i)
    if (effect_names[i] == name)
      return static_cast<effect_kind>(i);
  return std::nullopt;
}

std::string_view to_string(led_protocol x) {
  return protocol_names[static_cast<std::size_t>(x)];
}

std::optional<led_protocol> parse_led_protocol(std::string_view name) {
  for (std::size_t i = 0; i < protocol_names.size(); ++i)
    if (protocol_names[i] == name)
      return static_cast<led_protocol>(i);
  return std::nullopt;
}

std::uint16_t default_port(led_protocol x) {
  switch (x) {
    case led_protocol::ddp:
      return 4048;
    case led_protocol::dnrgb:
      return 21324;
    case led_protocol::e131:
      return 5568;
  }
  return 4048;
}

} // namespace gamelight
