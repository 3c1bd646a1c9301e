#pragma once

/// Effects as pure functions of elapsed time and LED index (api.md, "Effects").

#include "common/model.hpp"

#include <cstdint>
#include <optional>
#include <span>
#include <string>

namespace gamelight::led {

/// One effect as played on a device: a mapping resolved against an event.
struct effect {
  /// The integration that played it ("" for a device test).
  std::string integration_id;
  std::string event_type;
  effect_kind kind = effect_kind::solid;
  rgb color{255, 255, 255};
  /// Run time; 0 = sticky. For `countdown`, the event's countdown_ms when present.
  std::uint32_t duration_ms = 1000;
  double intensity = 1.0;
  std::int32_t priority = 50;
  /// `gauge` fill level 0-1 (from the event's data.fraction).
  std::optional<double> fraction;
  friend bool operator==(const effect&, const effect&) = default;
};

} // namespace gamelight::led
