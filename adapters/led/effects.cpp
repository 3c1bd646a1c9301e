#include "adapters/led/effects.hpp"

#include <algorithm>
#include <cmath>
#include <numbers>

namespace gamelight::led {

namespace {

/// Wipe's fill time cap (api.md: `min(d, 500 ms)`), also the fill time of a sticky wipe.
constexpr double wipe_fill_cap_ms = 500.0;

/// Pulse period.
constexpr double pulse_period_ms = 1000.0;

/// Strobe half period: on for 50 ms, off for 50 ms (10 Hz).
constexpr double strobe_half_period_ms = 50.0;

/// Countdown pulse period at t = 0 and at t = d.
constexpr double countdown_start_period_ms = 1000.0;
constexpr double countdown_end_period_ms = 100.0;

[[nodiscard]] double sin_squared(double x) noexcept {
  auto s = std::sin(x);
  return s * s;
}

/// Returns `ceil(n × fraction)` for fraction in [0, 1], as a count of LEDs.
[[nodiscard]] std::size_t ceil_count(std::size_t n, double fraction) noexcept {
  fraction = std::clamp(fraction, 0.0, 1.0);
  auto count = std::ceil(static_cast<double>(n) * fraction);
  return std::min(n, static_cast<std::size_t>(count));
}

/// Rounds half away from zero and clamps to a channel value.
[[nodiscard]] std::uint8_t to_channel(double value) noexcept {
  value = std::round(value);
  if (!(value > 0.0))
    return 0;
  if (value >= 255.0)
    return 255;
  return static_cast<std::uint8_t>(value);
}

} // namespace

bool is_sticky(const effect& x) noexcept {
  return x.duration_ms == 0;
}

bool is_degenerate(const effect& x) noexcept {
  switch (x.kind) {
    case effect_kind::flash:
    case effect_kind::fade:
    case effect_kind::countdown:
      return x.duration_ms == 0;
    case effect_kind::solid:
    case effect_kind::pulse:
    case effect_kind::strobe:
    case effect_kind::wipe:
    case effect_kind::gauge:
    case effect_kind::off:
      return false;
  }
  return false;
}

bool has_ended(const effect& x, double elapsed_ms) noexcept {
  if (is_degenerate(x))
    return true;
  if (is_sticky(x))
    return false;
  return elapsed_ms >= static_cast<double>(x.duration_ms);
}

frame_shape shape(const effect& x, double elapsed_ms, std::size_t n) noexcept {
  if (n == 0 || has_ended(x, elapsed_ms))
    return {};
  auto t = std::max(elapsed_ms, 0.0);
  auto d = static_cast<double>(x.duration_ms);
  switch (x.kind) {
    case effect_kind::solid:
      return {n, 1.0};
    case effect_kind::flash: {
      auto rest = 1.0 - t / d;
      return {n, rest * rest};
    }
    case effect_kind::fade:
      return {n, 1.0 - t / d};
    case effect_kind::pulse:
      return {n, sin_squared(std::numbers::pi * t / pulse_period_ms)};
    case effect_kind::strobe: {
      auto half_periods = static_cast<std::uint64_t>(std::floor(t / strobe_half_period_ms));
      return {n, half_periods % 2 == 0 ? 1.0 : 0.0};
    }
    case effect_kind::wipe: {
      auto fill_ms = is_sticky(x) ? wipe_fill_cap_ms : std::min(d, wipe_fill_cap_ms);
      return {ceil_count(n, std::min(1.0, t / fill_ms)), 1.0};
    }
    case effect_kind::gauge: {
      if (!x.fraction)
        return {};
      auto fraction = std::clamp(*x.fraction, 0.0, 1.0);
      // std::round rounds half away from zero, as the API requires.
      auto lit = static_cast<std::size_t>(std::round(static_cast<double>(n) * fraction));
      return {std::min(lit, n), 1.0};
    }
    case effect_kind::countdown: {
      auto progress = t / d;
      auto period = countdown_start_period_ms
                    - (countdown_start_period_ms - countdown_end_period_ms) * progress;
      return {ceil_count(n, 1.0 - progress), sin_squared(std::numbers::pi * t / period)};
    }
    case effect_kind::off:
      return {};
  }
  return {};
}

double level(const effect& x, double elapsed_ms, std::size_t i, std::size_t n) noexcept {
  auto s = shape(x, elapsed_ms, n);
  return i < s.lit ? s.level : 0.0;
}

std::uint8_t scale_channel(std::uint8_t c, double factor) noexcept {
  return to_channel(static_cast<double>(c) * factor);
}

rgb lit_color(const effect& x, double brightness, double level) noexcept {
  // Same multiplication order as the contract: c × intensity × brightness × level.
  auto channel = [&](std::uint8_t c) {
    return to_channel(static_cast<double>(c) * x.intensity * brightness * level);
  };
  return rgb{channel(x.color.r), channel(x.color.g), channel(x.color.b)};
}

void render(const effect& x, double elapsed_ms, double brightness, std::span<rgb> out) noexcept {
  auto s = shape(x, elapsed_ms, out.size());
  auto lit = lit_color(x, brightness, s.level);
  std::fill(out.begin(), out.begin() + static_cast<std::ptrdiff_t>(s.lit), lit);
  std::fill(out.begin() + static_cast<std::ptrdiff_t>(s.lit), out.end(), rgb{});
}

effect make_effect(const event_mapping& mapping, const game_event& event,
                   std::string integration_id) {
  effect result;
  result.integration_id = std::move(integration_id);
  result.event_type = event.event_type;
  result.kind = mapping.effect;
  result.color = mapping.color;
  result.duration_ms = mapping.duration_ms;
  result.intensity = mapping.intensity;
  result.priority = mapping.priority;
  if (mapping.effect == effect_kind::countdown && event.countdown_ms)
    result.duration_ms = *event.countdown_ms;
  if (mapping.effect == effect_kind::gauge)
    result.fraction = event.fraction;
  result.zone = mapping.zone;
  return result;
}

} // namespace gamelight::led
