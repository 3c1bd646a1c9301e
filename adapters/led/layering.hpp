#pragma once

/// The priority stack of one device (api.md, "Effects" → layering): the device shows the
/// highest-priority unexpired effect, ties going to the newest; when it ends the next one
/// still running shows again. No blending.
///
/// Time is passed in by the caller (the device actor passes its CAF clock's time, so a
/// test clock drives it); nothing here reads a clock.

#include "adapters/led/effects.hpp"

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace gamelight::led {

/// One effect on the stack.
struct layer {
  effect fx;
  std::chrono::steady_clock::time_point started;
  /// Play order on this stack: higher is newer.
  std::uint64_t order = 0;

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
  friend bool operator==(const active_effect&, const active_effect&) = default;
};

/// The layered effects of one device.
class effect_stack {
public:
  using time_point = std::chrono::steady_clock::time_point;

  /// Upper bound on layers; beyond it the layer that would show last is dropped.
  static constexpr std::size_t max_layers = 256;

  /// Plays an effect at `now`. Rules, in order:
  /// - `off` removes every effect of its integration;
  /// - a `gauge` without fraction and a degenerate effect (see `is_degenerate`) change
  ///   nothing;
  /// - a sticky effect replaces its integration's previous sticky effect (so a sticky
  ///   `gauge` follows each new fraction);
  /// - a timed effect drops the older timed effects of its integration that it hides for
  ///   their whole remaining life (no visible change; keeps retriggered flashes from piling
  ///   up).
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

  /// Returns the unexpired effects at `now`, in display order (the shown one first).
  [[nodiscard]] std::vector<active_effect> active(time_point now) const;

private:
  /// Returns whether `a` shows over `b` when both run.
  [[nodiscard]] static bool shows_over(const layer& a, const layer& b) noexcept;

  std::vector<layer> layers_;
  std::uint64_t next_order_ = 0;
};

} // namespace gamelight::led
