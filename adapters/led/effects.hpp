#pragma once

/// Effects as pure functions of elapsed time and LED index (api.md, "Effects" and
/// "Clarifications → Devices and effects").
///
/// Every effect lights a prefix of the strip (LEDs `0 .. lit-1`) at one common level;
/// the rest is black. `shape` computes that prefix and level, `render` turns it into
/// colours. Time is the elapsed time since the effect started, in milliseconds.
///
/// Sticky effects (`duration_ms` 0) never end. What `t / d` means for them:
/// - `solid`, `pulse`, `strobe`, `gauge` do not depend on `d` and run forever;
/// - `wipe` fills over 500 ms (the cap of `min(d, 500 ms)`) and then holds;
/// - `flash`, `fade` and `countdown` need `d` ≥ 1 (validation rejects 0). Should one
///   arrive with `d` = 0 anyway, it is degenerate: it has already ended at t = 0, renders
///   black and `effect_stack::play` ignores it.

#include "common/model.hpp"

#include <cstddef>
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
  /// The device zone it plays in (the mapping's `zone`); none = the whole strip. For
  /// `off`: the zone to clear, none = every effect of the integration.
  std::optional<std::string> zone;
  friend bool operator==(const effect&, const effect&) = default;
};

/// How much of the strip an effect lights at one instant.
struct frame_shape {
  /// Number of lit LEDs, counted from LED 0.
  std::size_t lit = 0;
  /// Level of every lit LED, 0-1.
  double level = 0.0;
  friend bool operator==(const frame_shape&, const frame_shape&) = default;
};

/// Returns whether the effect never ends on its own (`duration_ms` 0).
[[nodiscard]] bool is_sticky(const effect& x) noexcept;

/// Returns whether a `flash`, `fade` or `countdown` has `duration_ms` 0, which the API
/// forbids: such an effect is over before it starts.
[[nodiscard]] bool is_degenerate(const effect& x) noexcept;

/// Returns whether the effect has ended `elapsed_ms` after it started.
[[nodiscard]] bool has_ended(const effect& x, double elapsed_ms) noexcept;

/// Returns the lit prefix and level of `x` on a strip of `n` LEDs, `elapsed_ms` after
/// it started. Ended effects, `off` and a `gauge` without fraction light nothing.
[[nodiscard]] frame_shape shape(const effect& x, double elapsed_ms, std::size_t n) noexcept;

/// Returns the level (0-1) of LED `i` of `n` (0 when unlit).
[[nodiscard]] double level(const effect& x, double elapsed_ms, std::size_t i,
                           std::size_t n) noexcept;

/// Returns `round(c × factor)`, rounding half away from zero, clamped to 0-255.
[[nodiscard]] std::uint8_t scale_channel(std::uint8_t c, double factor) noexcept;

/// Returns the colour of a lit LED of `x` at `level`: per channel
/// `round(c × intensity × brightness × level)`.
[[nodiscard]] rgb lit_color(const effect& x, double brightness, double level) noexcept;

/// Renders one frame of `x` into `out` (one entry per LED): lit LEDs get
/// `round(c × intensity × brightness × level)` per channel, the others black.
void render(const effect& x, double elapsed_ms, double brightness, std::span<rgb> out) noexcept;

/// Returns the effect an event plays through a mapping: `countdown` runs for the
/// event's `countdown_ms` when present, `gauge` takes the event's `fraction` (none means
/// the effect changes nothing, see `effect_stack::play`); the effect plays in the
/// mapping's zone.
[[nodiscard]] effect make_effect(const event_mapping& mapping, const game_event& event,
                                 std::string integration_id);

} // namespace gamelight::led
