#include "adapters/led/encoder.hpp"
#include "adapters/led/layering.hpp"

#include <doctest/doctest.h>

#include <chrono>
#include <map>
#include <string>
#include <string_view>
#include <vector>

// Zones (api.md v1.1): each LED shows the highest-priority active effect whose range covers
// it, ties going to the newest. Frames are compared LED by LED with a one-letter palette.

using namespace gamelight;
using namespace gamelight::led;
using namespace std::chrono_literals;

namespace {

using time_point = effect_stack::time_point;

const time_point t0 = time_point{} + 1h;

constexpr rgb red{255, 0, 0};
constexpr rgb green{0, 255, 0};
constexpr rgb blue{0, 0, 255};
constexpr rgb yellow{255, 200, 0};
constexpr rgb white{255, 255, 255};
constexpr rgb black{};

/// Returns the frame described by one letter per LED.
[[nodiscard]] std::vector<rgb> leds(std::string_view text) {
  static const std::map<char, rgb> palette{
      {'R', red}, {'G', green}, {'B', blue}, {'Y', yellow}, {'W', white}, {'.', black},
  };
  std::vector<rgb> out;
  for (char c : text)
    out.push_back(palette.at(c));
  return out;
}

/// Returns the frame of `stack` at `now` on a strip of `n` LEDs.
[[nodiscard]] std::vector<rgb> frame(effect_stack& stack, time_point now, std::size_t n,
                                     double brightness = 1.0) {
  std::vector<rgb> out(n, rgb{1, 2, 3});
  stack.render(now, brightness, out);
  return out;
}

/// Returns the frame as letters (for readable failure messages); '?' for other colours.
[[nodiscard]] std::string letters(const std::vector<rgb>& xs) {
  std::string out;
  for (const auto& x : xs) {
    if (x == red)
      out += 'R';
    else if (x == green)
      out += 'G';
    else if (x == blue)
      out += 'B';
    else if (x == yellow)
      out += 'Y';
    else if (x == white)
      out += 'W';
    else if (x == black)
      out += '.';
    else
      out += '?';
  }
  return out;
}

[[nodiscard]] effect make(std::string integration, std::string event, effect_kind kind, rgb color,
                          std::uint32_t duration_ms, std::int32_t priority,
                          std::optional<std::string> zone = std::nullopt) {
  effect x;
  x.integration_id = std::move(integration);
  x.event_type = std::move(event);
  x.kind = kind;
  x.color = color;
  x.duration_ms = duration_ms;
  x.priority = priority;
  x.zone = std::move(zone);
  return x;
}

[[nodiscard]] effect gauge(std::string integration, std::string event, rgb color, double fraction,
                           std::optional<std::string> zone) {
  auto x = make(std::move(integration), std::move(event), effect_kind::gauge, color, 0, 50,
                std::move(zone));
  x.fraction = fraction;
  return x;
}

[[nodiscard]] effect off(std::string integration, std::optional<std::string> zone) {
  return make(std::move(integration), "off", effect_kind::off, white, 1000, 50, std::move(zone));
}

} // namespace

TEST_CASE("zones: resolve_zone and led_range::covers") {
  std::vector<zone> zones{zone{"health", 0, 30, false}, zone{"ammo", 30, 30, true}};
  CHECK(resolve_zone(std::nullopt, zones) == led_range{});
  CHECK(resolve_zone(std::string{"ammo"}, zones) == led_range{30, 30, true});
  CHECK_FALSE(resolve_zone(std::string{"mana"}, zones).has_value());
  CHECK_FALSE(resolve_zone(std::string{"health"}, {}).has_value());
  const led_range whole{};
  CHECK(whole.covers(led_range{30, 30, true}));
  CHECK(whole.covers(whole));
  CHECK_FALSE((led_range{0, 30, false}).covers(whole));
  CHECK((led_range{0, 30, false}).covers(led_range{10, 20, true}));
  CHECK_FALSE((led_range{0, 30, false}).covers(led_range{10, 21, false}));
  CHECK_FALSE((led_range{5, 30, false}).covers(led_range{4, 2, false}));
}

TEST_CASE("zones: overlapping zones, exact frame") {
  effect_stack stack;
  stack.set_zones({zone{"left", 0, 6, false}, zone{"right", 4, 6, false}});
  REQUIRE(stack.play(make("gi_a", "team", effect_kind::solid, red, 0, 50, "left"), t0));
  CHECK(letters(frame(stack, t0, 10)) == "RRRRRR....");
  // Same priority, newer: takes the overlap (LEDs 4 and 5).
  REQUIRE(stack.play(make("gi_b", "team", effect_kind::solid, blue, 0, 50, "right"), t0 + 1ms));
  CHECK(letters(frame(stack, t0 + 1ms, 10)) == "RRRRBBBBBB");
  // A lower-priority whole-strip colour shows only where nothing else covers: nowhere.
  REQUIRE(stack.play(make("gi_a", "base", effect_kind::solid, green, 0, 40), t0 + 2ms));
  CHECK(frame(stack, t0 + 2ms, 10) == leds("RRRRBBBBBB"));
  // Higher priority wins the overlap although older.
  REQUIRE(stack.play(make("gi_a", "team", effect_kind::solid, red, 0, 70, "left"), t0 + 3ms));
  CHECK(frame(stack, t0 + 3ms, 10) == leds("RRRRRRBBBB"));
  // `off` in one zone: the whole-strip colour of that integration stays and shows there.
  REQUIRE(stack.play(off("gi_b", "right"), t0 + 4ms));
  CHECK(frame(stack, t0 + 4ms, 10) == leds("RRRRRRGGGG"));
  REQUIRE(stack.play(off("gi_a", "left"), t0 + 5ms));
  CHECK(frame(stack, t0 + 5ms, 10) == leds("GGGGGGGGGG"));
  // Nothing of gi_b is left in "right"; `off` there changes nothing.
  CHECK_FALSE(stack.play(off("gi_b", "right"), t0 + 6ms));
}

TEST_CASE("zones: a whole-strip flash over two zone gauges, and what shows after it") {
  effect_stack stack;
  stack.set_zones({zone{"health", 0, 10, false}, zone{"ammo", 10, 10, true}});
  REQUIRE(stack.play(gauge("gi_cs", "health_changed", green, 0.5, "health"), t0));
  REQUIRE(stack.play(gauge("gi_cs", "ammo_changed", yellow, 0.3, "ammo"), t0));
  // The gauges' unlit parts are black; ammo fills from its last LED (reverse).
  CHECK(letters(frame(stack, t0, 20)) == "GGGGG............YYY");
  // A kill flash over the whole strip, higher priority: every LED, at full then decaying.
  REQUIRE(stack.play(make("gi_cs", "kill", effect_kind::flash, white, 300, 90), t0 + 100ms));
  CHECK(frame(stack, t0 + 100ms, 20) == std::vector<rgb>(20, white));
  // (1 - 150/300)^2 = 0.25: 255 × 0.25 = 63.75 → 64.
  CHECK(frame(stack, t0 + 250ms, 20) == std::vector<rgb>(20, rgb{64, 64, 64}));
  // The gauges keep following new values under the flash (sticky replacement per zone).
  REQUIRE(stack.play(gauge("gi_cs", "health_changed", green, 0.8, "health"), t0 + 260ms));
  // (1 - 160/300)^2 × 255 = 55.53 → 56.
  CHECK(frame(stack, t0 + 260ms, 20) == std::vector<rgb>(20, rgb{56, 56, 56}));
  CHECK(stack.size() == 3);
  // The flash ends at 400 ms: both gauges show again, health with its new value.
  // At 399 ms the flash is dark ((1/300)² × 255 rounds to 0) but still covers the strip.
  CHECK(letters(frame(stack, t0 + 399ms, 20)) == std::string(20, '.'));
  CHECK(letters(frame(stack, t0 + 400ms, 20)) == "GGGGGGGG.........YYY");
  auto active = stack.active(t0 + 300ms);
  REQUIRE(active.size() == 3);
  CHECK(active[0] == active_effect{"gi_cs", "kill", effect_kind::flash, 90, 100, std::nullopt});
  // Same priority: the newer gauge (health, replaced at 260 ms) lists first.
  CHECK(
      active[1]
      == active_effect{"gi_cs", "health_changed", effect_kind::gauge, 50, std::nullopt, "health"});
  CHECK(active[2]
        == active_effect{"gi_cs", "ammo_changed", effect_kind::gauge, 50, std::nullopt, "ammo"});
  stack.expire(t0 + 400ms);
  CHECK(stack.size() == 2);
}

TEST_CASE("zones: reverse runs wipe, gauge and countdown from the zone's last LED") {
  effect_stack stack;
  stack.set_zones({zone{"fwd", 0, 5, false}, zone{"rev", 5, 5, true}});
  stack.play(make("gi_a", "w1", effect_kind::wipe, red, 1000, 50, "fwd"), t0);
  stack.play(make("gi_b", "w2", effect_kind::wipe, blue, 1000, 50, "rev"), t0);
  // Wipe fills over min(d, 500 ms): ceil(5 × 0.2) = 1, ceil(5 × 0.6) = 3, then all 5.
  CHECK(letters(frame(stack, t0 + 100ms, 10)) == "R........B");
  CHECK(letters(frame(stack, t0 + 300ms, 10)) == "RRR....BBB");
  CHECK(letters(frame(stack, t0 + 600ms, 10)) == "RRRRRBBBBB");
  effect_stack gauges;
  gauges.set_zones({zone{"rev", 2, 6, true}});
  gauges.play(gauge("gi_a", "g", green, 0.5, "rev"), t0);
  CHECK(letters(frame(gauges, t0, 10)) == ".....GGG..");
  gauges.play(gauge("gi_a", "g", green, 1.0, "rev"), t0 + 1ms);
  CHECK(letters(frame(gauges, t0 + 1ms, 10)) == "..GGGGGG..");
  gauges.play(gauge("gi_a", "g", green, 0.0, "rev"), t0 + 2ms);
  CHECK(letters(frame(gauges, t0 + 2ms, 10)) == "..........");
  // Countdown of 1000 ms in a reversed zone of 4: ceil(4 × (1 - t/d)) LEDs from the end.
  effect_stack countdown;
  countdown.set_zones({zone{"bomb", 6, 4, true}});
  countdown.play(make("gi_a", "bomb", effect_kind::countdown, red, 1000, 80, "bomb"), t0);
  auto at = [&](std::chrono::milliseconds t) {
    auto out = frame(countdown, t0 + t, 10);
    std::string lit;
    for (const auto& x : out)
      lit += x == black ? '.' : 'x';
    return lit;
  };
  // At t = 500 ms the period is 550 ms and sin²(π·500/550) > 0, so lit LEDs are not black.
  CHECK(at(500ms) == "........xx");
  CHECK(at(800ms) == ".........x");
}

TEST_CASE("zones: sticky effects replace per (integration, zone), off per zone or all") {
  effect_stack stack;
  stack.set_zones({zone{"health", 0, 4, false}, zone{"ammo", 4, 4, false}});
  stack.play(gauge("gi_a", "health_changed", green, 0.5, "health"), t0);
  stack.play(gauge("gi_a", "ammo_changed", yellow, 1.0, "ammo"), t0);
  stack.play(make("gi_a", "team", effect_kind::solid, blue, 0, 10), t0);
  stack.play(gauge("gi_b", "health_changed", red, 1.0, "health"), t0);
  CHECK(stack.size() == 4);
  CHECK(letters(frame(stack, t0, 8)) == "RRRRYYYY");
  // A new sticky in gi_a's health zone replaces only gi_a's health gauge.
  stack.play(gauge("gi_a", "health_changed", green, 0.25, "health"), t0 + 1ms);
  CHECK(stack.size() == 4);
  CHECK(letters(frame(stack, t0 + 1ms, 8)) == "G...YYYY");
  // A whole-strip sticky replaces only the whole-strip sticky.
  stack.play(make("gi_a", "team", effect_kind::solid, red, 0, 10), t0 + 2ms);
  CHECK(stack.size() == 4);
  // off in "ammo": gi_a's ammo gauge goes, its whole-strip colour shows there.
  CHECK(stack.play(off("gi_a", "ammo"), t0 + 3ms));
  CHECK(stack.size() == 3);
  CHECK(letters(frame(stack, t0 + 3ms, 8)) == "G...RRRR");
  // off without a zone clears every effect of gi_a; gi_b stays.
  CHECK(stack.play(off("gi_a", std::nullopt), t0 + 4ms));
  CHECK(stack.size() == 1);
  CHECK(letters(frame(stack, t0 + 4ms, 8)) == "RRRR....");
}

TEST_CASE("zones: a zone the device lacks plays nothing, changed zones move or drop effects") {
  effect_stack stack;
  CHECK_FALSE(stack.play(make("gi_a", "x", effect_kind::solid, red, 0, 50, "health"), t0));
  CHECK(stack.empty());
  stack.set_zones({zone{"health", 0, 2, false}, zone{"ammo", 2, 2, false}});
  REQUIRE(stack.play(make("gi_a", "x", effect_kind::solid, red, 0, 50, "health"), t0));
  REQUIRE(stack.play(make("gi_a", "y", effect_kind::solid, blue, 0, 50, "ammo"), t0));
  CHECK(letters(frame(stack, t0, 6)) == "RRBB..");
  // The device's zones change: health moves, ammo is gone.
  CHECK(stack.set_zones({zone{"health", 3, 3, true}}) == 1);
  CHECK(stack.size() == 1);
  CHECK(letters(frame(stack, t0, 6)) == "...RRR");
  // A zone beyond the strip (a stale config) is clipped, never written past the end.
  stack.set_zones({zone{"health", 4, 10, false}});
  CHECK(letters(frame(stack, t0, 6)) == "....RR");
}

TEST_CASE("zones: a timed effect drops older timed ones only where it covers them") {
  effect_stack stack;
  stack.set_zones({zone{"a", 0, 3, false}, zone{"b", 3, 3, false}});
  stack.play(make("gi_a", "f1", effect_kind::flash, red, 300, 50, "a"), t0);
  // Same integration, another zone: the first flash still shows in "a".
  stack.play(make("gi_a", "f2", effect_kind::flash, blue, 300, 50, "b"), t0 + 10ms);
  CHECK(stack.size() == 2);
  // A whole-strip flash that ends later covers both: they can never show again.
  stack.play(make("gi_a", "f3", effect_kind::flash, white, 300, 50), t0 + 20ms);
  CHECK(stack.size() == 1);
  // A zone flash does not drop a whole-strip one.
  stack.play(make("gi_a", "f4", effect_kind::flash, red, 300, 50, "a"), t0 + 30ms);
  CHECK(stack.size() == 2);
}

TEST_CASE("zones: with no zones the frame is exactly the v1 top effect") {
  effect_stack stack;
  stack.play(make("gi_a", "team", effect_kind::solid, blue, 0, 10), t0);
  stack.play(make("gi_a", "kill", effect_kind::flash, red, 300, 90), t0 + 100ms);
  for (auto t : {100ms, 175ms, 250ms, 399ms, 400ms, 1000ms}) {
    CAPTURE(t.count());
    std::vector<rgb> expected(12);
    const auto* top = stack.top(t0 + t);
    REQUIRE(top != nullptr);
    render(top->fx, top->elapsed_ms(t0 + t), 0.5, expected);
    CHECK(frame(stack, t0 + t, 12, 0.5) == expected);
  }
  CHECK(frame(stack, t0, 0).empty());
}

TEST_CASE("zones: a zone at the strip's end over multi-packet protocols, to the byte") {
  // 600 LEDs: DDP 480 + 120, DNRGB 489 + 111, E1.31 170 + 170 + 170 + 90. The zone holds the
  // last 10 LEDs, reversed, with a 0.4 gauge: round(10 × 0.4) = 4 lit, LEDs 599..596.
  // A second zone straddles the first packet boundary of every protocol: LEDs 165-494.
  effect_stack stack;
  stack.set_zones({zone{"tail", 590, 10, true}, zone{"span", 165, 330, false}});
  stack.play(gauge("gi_a", "ammo_changed", rgb{10, 20, 30}, 0.4, "tail"), t0);
  stack.play(make("gi_a", "team", effect_kind::solid, rgb{1, 2, 3}, 0, 50, "span"), t0);
  std::vector<rgb> pixels(600);
  stack.render(t0, 1.0, pixels);
  std::vector<rgb> expected(600);
  for (std::size_t i = 165; i < 495; ++i)
    expected[i] = rgb{1, 2, 3};
  for (std::size_t i = 596; i < 600; ++i)
    expected[i] = rgb{10, 20, 30};
  REQUIRE(pixels == expected);
  // The bytes every protocol carries for LED i: R, G, B of expected[i].
  auto payload = [&](std::size_t first, std::size_t count) {
    std::vector<std::uint8_t> out;
    for (std::size_t i = first; i < first + count; ++i) {
      out.push_back(expected[i].r);
      out.push_back(expected[i].g);
      out.push_back(expected[i].b);
    }
    return out;
  };
  auto body = [](const datagram& x, std::size_t header) {
    return std::vector<std::uint8_t>(x.begin() + static_cast<std::ptrdiff_t>(header), x.end());
  };
  auto head = [](const datagram& x, std::size_t n) {
    return std::vector<std::uint8_t>(x.begin(), x.begin() + static_cast<std::ptrdiff_t>(n));
  };
  encoder_options options;
  SUBCASE("DDP") {
    encoder enc{led_protocol::ddp, 1, options};
    auto packets = enc.encode(pixels);
    REQUIRE(packets.size() == 2);
    CHECK(head(packets[0], 10)
          == std::vector<std::uint8_t>{0x40, 1, 0x0B, 1, 0, 0, 0, 0, 0x05, 0xA0});
    CHECK(body(packets[0], 10) == payload(0, 480));
    // Offset 1440 = 0x05A0, length 360 = 0x0168, PUSH on the last.
    CHECK(head(packets[1], 10)
          == std::vector<std::uint8_t>{0x41, 1, 0x0B, 1, 0, 0, 0x05, 0xA0, 0x01, 0x68});
    CHECK(body(packets[1], 10) == payload(480, 120));
    CHECK(std::vector<std::uint8_t>(packets[1].end() - 12, packets[1].end())
          == std::vector<std::uint8_t>{10, 20, 30, 10, 20, 30, 10, 20, 30, 10, 20, 30});
  }
  SUBCASE("DNRGB") {
    encoder enc{led_protocol::dnrgb, 1, options};
    auto packets = enc.encode(pixels);
    REQUIRE(packets.size() == 2);
    CHECK(head(packets[0], 4) == std::vector<std::uint8_t>{4, 2, 0, 0});
    CHECK(body(packets[0], 4) == payload(0, 489));
    // Start index 489 = 0x01E9.
    CHECK(head(packets[1], 4) == std::vector<std::uint8_t>{4, 2, 0x01, 0xE9});
    CHECK(body(packets[1], 4) == payload(489, 111));
  }
  SUBCASE("E1.31") {
    encoder enc{led_protocol::e131, 7, options};
    auto packets = enc.encode(pixels);
    REQUIRE(packets.size() == 4);
    const std::size_t counts[] = {170, 170, 170, 90};
    std::size_t first = 0;
    for (std::size_t u = 0; u < 4; ++u) {
      CAPTURE(u);
      CHECK(packets[u].size() == 126 + 3 * counts[u]);
      // Universe (7 + u) at bytes 113-114, property value count 3k + 1 at 123-124.
      CHECK(packets[u][113] == 0);
      CHECK(packets[u][114] == 7 + u);
      auto values = 3 * counts[u] + 1;
      CHECK(packets[u][123] == static_cast<std::uint8_t>(values >> 8));
      CHECK(packets[u][124] == static_cast<std::uint8_t>(values & 0xFF));
      CHECK(body(packets[u], 126) == payload(first, counts[u]));
      first += counts[u];
    }
  }
}
