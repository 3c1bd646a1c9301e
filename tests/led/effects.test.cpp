#include "adapters/led/effects.hpp"

#include <doctest/doctest.h>

#include <vector>

using namespace gamelight;
using namespace gamelight::led;

namespace {

constexpr rgb orange{255, 128, 0};
constexpr rgb black{};

[[nodiscard]] effect make(effect_kind kind, std::uint32_t duration_ms, rgb color = orange) {
  effect x;
  x.integration_id = "gi_00000001";
  x.event_type = "kill";
  x.kind = kind;
  x.color = color;
  x.duration_ms = duration_ms;
  return x;
}

/// Renders `x` on `n` LEDs at `t` ms with full brightness.
[[nodiscard]] std::vector<rgb> frame(const effect& x, double t, std::size_t n = 10,
                                     double brightness = 1.0) {
  std::vector<rgb> out(n, rgb{1, 2, 3});
  render(x, t, brightness, out);
  return out;
}

/// Returns `lit` LEDs of `color` followed by black, `n` in all.
[[nodiscard]] std::vector<rgb> prefix(std::size_t lit, rgb color, std::size_t n = 10) {
  std::vector<rgb> out(n, black);
  for (std::size_t i = 0; i < lit; ++i)
    out[i] = color;
  return out;
}

[[nodiscard]] std::vector<rgb> all(rgb color, std::size_t n = 10) {
  return prefix(n, color, n);
}

} // namespace

TEST_CASE("solid holds its colour until the end") {
  auto x = make(effect_kind::solid, 1000);
  CHECK(frame(x, 0) == all(orange));
  CHECK(frame(x, 500) == all(orange));
  CHECK(frame(x, 999.9) == all(orange));
  CHECK(frame(x, 1000) == all(black));
  CHECK(frame(x, 5000) == all(black));
}

TEST_CASE("flash decays with (1 - t/d)^2") {
  auto x = make(effect_kind::flash, 1000);
  CHECK(frame(x, 0) == all(orange));
  // 0.25: 255 * 0.25 = 63.75 -> 64, 128 * 0.25 = 32.
  CHECK(frame(x, 500) == all(rgb{64, 32, 0}));
  // 0.01: 2.55 -> 3, 1.28 -> 1.
  CHECK(frame(x, 900) == all(rgb{3, 1, 0}));
  CHECK(frame(x, 1000) == all(black));
}

TEST_CASE("fade ramps linearly, rounding half away from zero") {
  auto x = make(effect_kind::fade, 1000);
  CHECK(frame(x, 0) == all(orange));
  // 127.5 -> 128, 64.
  CHECK(frame(x, 500) == all(rgb{128, 64, 0}));
  CHECK(frame(x, 750) == all(rgb{64, 32, 0}));
  CHECK(frame(x, 1000) == all(black));
}

TEST_CASE("pulse breathes with sin^2(pi t / 1 s)") {
  auto x = make(effect_kind::pulse, 2000);
  CHECK(frame(x, 0) == all(black));
  // sin^2(pi/4) is 0.4999999999999999 in doubles: 127.49... -> 127.
  CHECK(frame(x, 250) == all(rgb{127, 64, 0}));
  CHECK(frame(x, 500) == all(orange));
  CHECK(frame(x, 1000) == all(black));
  CHECK(frame(x, 1500) == all(orange));
  CHECK(frame(x, 2000) == all(black));
}

TEST_CASE("strobe is on for 50 ms, off for 50 ms") {
  auto x = make(effect_kind::strobe, 1000);
  CHECK(frame(x, 0) == all(orange));
  CHECK(frame(x, 49.9) == all(orange));
  CHECK(frame(x, 50) == all(black));
  CHECK(frame(x, 99) == all(black));
  CHECK(frame(x, 100) == all(orange));
  CHECK(frame(x, 950) == all(black));
  CHECK(frame(x, 1000) == all(black));
}

TEST_CASE("wipe fills over min(d, 500 ms), then holds") {
  auto x = make(effect_kind::wipe, 1000);
  CHECK(frame(x, 0) == all(black));
  CHECK(frame(x, 50) == prefix(1, orange));
  CHECK(frame(x, 250) == prefix(5, orange));
  CHECK(frame(x, 251) == prefix(6, orange));
  CHECK(frame(x, 500) == all(orange));
  CHECK(frame(x, 999) == all(orange));
  CHECK(frame(x, 1000) == all(black));
  SUBCASE("short wipes fill over their whole duration") {
    auto y = make(effect_kind::wipe, 200);
    CHECK(frame(y, 100) == prefix(5, orange));
    CHECK(frame(y, 199) == all(orange));
    CHECK(frame(y, 200) == all(black));
  }
}

TEST_CASE("gauge lights round(n x fraction) LEDs, half away from zero") {
  auto x = make(effect_kind::gauge, 1000);
  x.fraction = 0.25;
  CHECK(frame(x, 0) == prefix(3, orange)); // 2.5 -> 3
  CHECK(frame(x, 999) == prefix(3, orange));
  CHECK(frame(x, 1000) == all(black));
  x.fraction = 0.35;
  CHECK(frame(x, 10) == prefix(4, orange)); // 3.5 -> 4
  x.fraction = 0.0;
  CHECK(frame(x, 10) == all(black));
  x.fraction = 1.0;
  CHECK(frame(x, 10) == all(orange));
  x.fraction = 1.7; // out of range: clamped
  CHECK(frame(x, 10) == all(orange));
  x.fraction.reset();
  CHECK(frame(x, 10) == all(black));
}

TEST_CASE("countdown drains and pulses faster") {
  auto x = make(effect_kind::countdown, 1000);
  // sin^2(0) = 0: all ten LEDs lit at level 0.
  CHECK(shape(x, 0, 10) == frame_shape{10, 0.0});
  CHECK(frame(x, 0) == all(black));
  // ceil(7.5) = 8 lit; p = 775 ms; level 0.7202 -> 184, 92.
  CHECK(frame(x, 250) == prefix(8, rgb{184, 92, 0}));
  // 5 lit; p = 550 ms; level 0.0794 -> 20, 10.
  CHECK(frame(x, 500) == prefix(5, rgb{20, 10, 0}));
  // 1 lit; p = 190 ms; level 0.5413 -> 138, 69.
  CHECK(frame(x, 900) == prefix(1, rgb{138, 69, 0}));
  CHECK(frame(x, 1000) == all(black));
}

TEST_CASE("off renders nothing") {
  CHECK(frame(make(effect_kind::off, 1000), 0) == all(black));
}

TEST_CASE("intensity and brightness scale every channel") {
  auto x = make(effect_kind::solid, 1000, rgb{255, 128, 101});
  x.intensity = 0.5;
  // 255 * 0.5 * 0.5 = 63.75 -> 64; 128 -> 32; 101 -> 25.25 -> 25.
  CHECK(frame(x, 0, 10, 0.5) == all(rgb{64, 32, 25}));
  // 101 * 0.5 = 50.5 -> 51 (half away from zero).
  CHECK(frame(x, 0, 10, 1.0) == all(rgb{128, 64, 51}));
  CHECK(frame(x, 0, 10, 0.0) == all(black));
  CHECK(scale_channel(101, 0.5) == 51);
  CHECK(scale_channel(255, 2.0) == 255);
  CHECK(scale_channel(255, -1.0) == 0);
}

TEST_CASE("sticky effects") {
  SUBCASE("solid, pulse, strobe and gauge never end") {
    CHECK(frame(make(effect_kind::solid, 0), 1e7) == all(orange));
    CHECK(frame(make(effect_kind::pulse, 0), 1e7 + 500) == all(orange));
    CHECK(frame(make(effect_kind::strobe, 0), 1e7 + 60) == all(black));
    CHECK(frame(make(effect_kind::strobe, 0), 1e7 + 100) == all(orange));
    auto g = make(effect_kind::gauge, 0);
    g.fraction = 0.5;
    CHECK(frame(g, 1e7) == prefix(5, orange));
    CHECK(is_sticky(g));
    CHECK_FALSE(has_ended(g, 1e9));
  }
  SUBCASE("wipe fills over 500 ms, then holds forever") {
    auto x = make(effect_kind::wipe, 0);
    CHECK(frame(x, 0) == all(black));
    CHECK(frame(x, 250) == prefix(5, orange));
    CHECK(frame(x, 500) == all(orange));
    CHECK(frame(x, 1e7) == all(orange));
  }
  SUBCASE("flash, fade and countdown without duration are over at once") {
    for (auto kind : {effect_kind::flash, effect_kind::fade, effect_kind::countdown}) {
      auto x = make(kind, 0);
      CHECK(is_degenerate(x));
      CHECK(has_ended(x, 0));
      CHECK(frame(x, 0) == all(black));
    }
  }
}

TEST_CASE("level reports per LED") {
  auto x = make(effect_kind::wipe, 1000);
  CHECK(level(x, 250, 4, 10) == 1.0);
  CHECK(level(x, 250, 5, 10) == 0.0);
  CHECK(level(x, 250, 0, 0) == 0.0);
}

TEST_CASE("render handles empty and large strips") {
  auto x = make(effect_kind::solid, 1000);
  std::vector<rgb> none;
  render(x, 0, 1.0, none);
  CHECK(frame(x, 0, 4096) == all(orange, 4096));
}

TEST_CASE("make_effect resolves a mapping against an event") {
  event_mapping m;
  m.event_type = "bomb_planted";
  m.effect = effect_kind::countdown;
  m.color = rgb{255, 0, 0};
  m.duration_ms = 40000;
  m.intensity = 0.8;
  m.priority = 80;
  game_event e;
  e.event_type = "bomb_planted";
  SUBCASE("countdown without countdown_ms uses the mapping's duration") {
    auto x = make_effect(m, e, "gi_1");
    CHECK(x.integration_id == "gi_1");
    CHECK(x.event_type == "bomb_planted");
    CHECK(x.kind == effect_kind::countdown);
    CHECK(x.color == rgb{255, 0, 0});
    CHECK(x.duration_ms == 40000);
    CHECK(x.intensity == 0.8);
    CHECK(x.priority == 80);
    CHECK_FALSE(x.fraction);
  }
  SUBCASE("countdown with countdown_ms runs for it") {
    e.countdown_ms = 35000;
    CHECK(make_effect(m, e, "gi_1").duration_ms == 35000);
  }
  SUBCASE("gauge takes the fraction") {
    m.effect = effect_kind::gauge;
    e.fraction = 0.4;
    e.countdown_ms = 35000;
    auto x = make_effect(m, e, "gi_1");
    CHECK(x.fraction == 0.4);
    CHECK(x.duration_ms == 40000);
  }
  SUBCASE("other effects ignore fraction and countdown_ms") {
    m.effect = effect_kind::flash;
    e.fraction = 0.4;
    e.countdown_ms = 35000;
    auto x = make_effect(m, e, "gi_1");
    CHECK_FALSE(x.fraction);
    CHECK(x.duration_ms == 40000);
  }
}
