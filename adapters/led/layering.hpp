#pragma once

/// The priority stack of one device (api.md, "Effects" → layering, and v1.1 "Zones"):
/// every active effect covers a range of LEDs (its zone, or the whole strip); each LED
/// shows the highest-priority unexpired effect whose range covers it, ties going to the
/// newest; an LED covered by nothing is black. When an effect ends, whatever it hid shows
/// again. No blending: an effect covers its whole range, lit or not. With no zones this is
/// the v1 rule (the whole strip shows the top effect).
///
/// Time is passed in by the caller (the device actor passes its CAF clock's time, so a
/// test clock drives it); nothing here reads a clock.

#include "adapters/led/effects.hpp"

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace gamelight::led {

/// The LEDs an effect draws on: `length` LEDs from `start`. The effect renders as on a
/// strip of `length` LEDs whose LED 0 is `start`, or `start + length - 1` when `reverse`.
struct led_range {
  /// A `length` that means "to the end of the strip, whatever its size".
  static constexpr std::size_t to_end = std::numeric_limits<std::size_t>::max();

  std::size_t start = 0;
  std::size_t length = to_end;
  bool reverse = false;

  /// Returns whether this range covers every LED of `other` on any strip.
  [[nodiscard]] bool covers(const led_range& other) const noexcept;

  friend bool operator==(const led_range&, const led_range&) = default;
};

/// Returns the range of zone `name` among `zones`: the whole strip for none, nothing
/// when no zone has that name.
[[nodiscard]] std::optional<led_range> resolve_zone(const std::optional<std::string>& name,
                                                    std::span<const zone> zones) noexcept;

/// One effect on the stack.
struct layer {
  effect fx;
  std::chrono::steady_clock::time_point started;
  /// Play order on this stack: higher is newer.
  std::uint64_t order = 0;
  /// Where it draws (its zone's LEDs, or the whole strip).
  led_range range;

  /// Returns the elapsed time since the effect started, in milliseconds.
  [[nodiscard]] double elapsed_ms(std::chrono::steady_clock::time_point now) const noexcept;

  /// Returns whether the effect has ended at `now`.
  [[nodiscard]] bool ended(std::chrono::steady_clock::time_point now) const noexcept;
};

/// One entry of a device's `active_effects` status list.
struct active_effect {
  std::string integration_id;
  std::string event_type;
  effect_kind kind = effect_kind::solid;
  std::int32_t priority = 0;
  /// Milliseconds left, rounded up; none for a sticky effect.
  std::optional<std::int64_t> remaining_ms;
  /// The zone it plays in; none for the whole strip.
  std::optional<std::string> zone;
  friend bool operator==(const active_effect&, const active_effect&) = default;
};

/// The layered effects of one device.
class effect_stack {
public:
  using time_point = std::chrono::steady_clock::time_point;

  /// Upper bound on layers; beyond it the layer that would show last is dropped.
  static constexpr std::size_t max_layers = 256;

  /// Replaces the device's zones (default: none). Every layer's range is looked up again;
  /// layers whose zone is gone are dropped. Returns how many were dropped.
  std::size_t set_zones(std::vector<zone> zones);

  /// Returns the device's zones.
  [[nodiscard]] const std::vector<zone>& zones() const noexcept {
    return zones_;
  }

  /// Plays an effect at `now`. Rules, in order:
  /// - `off` with a zone removes its integration's effects in that zone; `off` without
  ///   one removes every effect of its integration;
  /// - an effect whose zone the device lacks, a `gauge` without fraction and a degenerate
  ///   effect (see `is_degenerate`) change nothing;
  /// - a sticky effect replaces its integration's previous sticky effect in the same zone
  ///   (the whole strip counts as a zone; so a sticky `gauge` follows each new fraction);
  /// - a timed effect drops the older timed effects of its integration that it hides for
  ///   their whole remaining life (it covers their range, its priority is not lower and
  ///   it ends no earlier: no visible change; keeps retriggered flashes from piling up).
  /// @returns whether the stack changed.
  bool play(effect fx, time_point now);

  /// Removes every effect of `integration_id`; returns how many were removed.
  std::size_t clear(std::string_view integration_id);

  /// Removes every effect.
  void clear_all() noexcept;

  /// Removes the effects that have ended at `now`; returns how many were removed.
  std::size_t expire(time_point now);

  /// Returns the layer shown at `now`: the highest-priority unexpired one, ties going to
  /// the newest; null when none.
  [[nodiscard]] const layer* top(time_point now) const noexcept;

  /// Returns whether no layer is left (ended layers count until `expire` removes them).
  [[nodiscard]] bool empty() const noexcept {
    return layers_.empty();
  }

  /// Returns the number of layers (ended ones included until `expire`).
  [[nodiscard]] std::size_t size() const noexcept {
    return layers_.size();
  }

  /// Returns the unexpired effects at `now`, in display order (the one that shows over all
  /// others first).
  [[nodiscard]] std::vector<active_effect> active(time_point now) const;

  /// Renders the frame at `now` into `out` (one entry per LED of the strip): each LED gets
  /// the colour of the highest-priority unexpired layer whose range covers it (ties: the
  /// newest), black when none does. Ranges are clipped to the strip. Allocates nothing once
  /// the strip size and layer count were seen.
  void render(time_point now, double brightness, std::span<rgb> out);

private:
  /// Returns whether `a` shows over `b` where both run.
  [[nodiscard]] static bool shows_over(const layer& a, const layer& b) noexcept;

  std::vector<zone> zones_;
  std::vector<layer> layers_;
  std::uint64_t next_order_ = 0;
  /// Scratch of `render`: the running layers in display order, and the LEDs already
  /// taken as sorted, disjoint [first, last) intervals.
  std::vector<const layer*> running_;
  std::vector<std::pair<std::size_t, std::size_t>> covered_;
};

} // namespace gamelight::led
