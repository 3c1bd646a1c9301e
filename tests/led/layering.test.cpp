#include "adapters/led/layering.hpp"

#include <doctest/doctest.h>

#include <chrono>

using namespace gamelight;
using namespace gamelight::led;
using namespace std::chrono_literals;

namespace {

using time_point = effect_stack::time_point;

const time_point t0 = time_point{} + 1h;

[[nodiscard]] effect make(std::string integration, std::string event, effect_kind kind,
                          std::uint32_t duration_ms, std::int32_t priority) {
  effect x;
  x.integration_id = std::move(integration);
  x.event_type = std::move(event);
  x.kind = kind;
  x.duration_ms = duration_ms;
  x.priority = priority;
  return x;
}

/// Returns the event type shown at `now`, or "" when nothing shows.
[[nodiscard]] std::string shown(const effect_stack& stack, time_point now) {
  auto* x = stack.top(now);
  return x ? x->fx.event_type : std::string{};
}

} // namespace

TEST_CASE("an empty stack shows nothing") {
  effect_stack stack;
  CHECK(stack.empty());
  CHECK(stack.top(t0) == nullptr);
  CHECK(stack.active(t0).empty());
  CHECK(stack.expire(t0) == 0);
}

TEST_CASE("a short flash shows over a sticky colour, which comes back") {
  effect_stack stack;
  CHECK(stack.play(make("gi_a", "team_ct", effect_kind::solid, 0, 10), t0));
  CHECK(shown(stack, t0 + 50ms) == "team_ct");
  CHECK(stack.play(make("gi_a", "kill", effect_kind::flash, 300, 90), t0 + 100ms));
  CHECK(shown(stack, t0 + 100ms) == "kill");
  CHECK(shown(stack, t0 + 399ms) == "kill");
  CHECK(shown(stack, t0 + 400ms) == "team_ct");
  CHECK(stack.top(t0 + 399ms)->elapsed_ms(t0 + 399ms) == doctest::Approx(299.0));
  CHECK(stack.size() == 2);
  CHECK(stack.expire(t0 + 400ms) == 1);
  CHECK(stack.size() == 1);
  CHECK(shown(stack, t0 + 10h) == "team_ct");
}

TEST_CASE("priority wins, ties go to the newest") {
  effect_stack stack;
  stack.play(make("gi_a", "high", effect_kind::solid, 1000, 80), t0);
  stack.play(make("gi_b", "low", effect_kind::solid, 2000, 20), t0 + 10ms);
  CHECK(shown(stack, t0 + 20ms) == "high");
  stack.play(make("gi_b", "tie", effect_kind::solid, 500, 80), t0 + 30ms);
  CHECK(shown(stack, t0 + 40ms) == "tie");
  CHECK(shown(stack, t0 + 530ms) == "high");
  CHECK(shown(stack, t0 + 1000ms) == "low");
  CHECK(shown(stack, t0 + 2010ms) == "");
  stack.expire(t0 + 2010ms);
  CHECK(stack.empty());
}

TEST_CASE("off clears only its integration") {
  effect_stack stack;
  stack.play(make("gi_a", "team", effect_kind::solid, 0, 10), t0);
  stack.play(make("gi_a", "kill", effect_kind::flash, 1000, 90), t0);
  stack.play(make("gi_b", "other", effect_kind::solid, 0, 5), t0);
  CHECK(stack.play(make("gi_a", "round_over", effect_kind::off, 1000, 50), t0 + 10ms));
  CHECK(stack.size() == 1);
  CHECK(shown(stack, t0 + 20ms) == "other");
  // Nothing left of gi_a: a second off changes nothing.
  CHECK_FALSE(stack.play(make("gi_a", "round_over", effect_kind::off, 1000, 50), t0 + 20ms));
  CHECK(stack.clear("gi_b") == 1);
  CHECK(stack.empty());
}

TEST_CASE("a sticky effect replaces its integration's previous sticky effect") {
  effect_stack stack;
  stack.play(make("gi_a", "team_ct", effect_kind::solid, 0, 10), t0);
  stack.play(make("gi_b", "ambient", effect_kind::pulse, 0, 5), t0);
  stack.play(make("gi_a", "kill", effect_kind::flash, 1000, 90), t0);
  stack.play(make("gi_a", "team_t", effect_kind::solid, 0, 10), t0 + 10ms);
  CHECK(stack.size() == 4 - 1);
  auto active = stack.active(t0 + 10ms);
  REQUIRE(active.size() == 3);
  CHECK(active[0].event_type == "kill");
  CHECK(active[1].event_type == "team_t");
  CHECK(active[2].event_type == "ambient");
}

TEST_CASE("a sticky gauge follows each new fraction") {
  effect_stack stack;
  auto g = make("gi_a", "health_changed", effect_kind::gauge, 0, 30);
  g.fraction = 0.8;
  stack.play(g, t0);
  g.fraction = 0.3;
  stack.play(g, t0 + 10ms);
  REQUIRE(stack.size() == 1);
  CHECK(stack.top(t0 + 20ms)->fx.fraction == 0.3);
  SUBCASE("a gauge event without fraction changes nothing") {
    g.fraction.reset();
    CHECK_FALSE(stack.play(g, t0 + 30ms));
    CHECK(stack.top(t0 + 40ms)->fx.fraction == 0.3);
  }
  SUBCASE("degenerate effects change nothing") {
    CHECK_FALSE(stack.play(make("gi_a", "x", effect_kind::flash, 0, 99), t0));
    CHECK(stack.size() == 1);
  }
}

TEST_CASE("retriggered flashes do not pile up") {
  effect_stack stack;
  for (int i = 0; i < 1000; ++i)
    stack.play(make("gi_a", "kill", effect_kind::flash, 300, 90), t0 + i * 1ms);
  CHECK(stack.size() == 1);
  CHECK(stack.top(t0 + 1000ms)->fx.event_type == "kill");
  SUBCASE("a longer, older flash survives a shorter newer one") {
    effect_stack s2;
    s2.play(make("gi_a", "long", effect_kind::flash, 1000, 90), t0);
    s2.play(make("gi_a", "short", effect_kind::flash, 100, 90), t0 + 10ms);
    CHECK(s2.size() == 2);
    CHECK(shown(s2, t0 + 50ms) == "short");
    CHECK(shown(s2, t0 + 200ms) == "long");
  }
  SUBCASE("the number of layers is bounded") {
    effect_stack s3;
    for (std::size_t i = 0; i < effect_stack::max_layers + 10; ++i)
      s3.play(make("gi_" + std::to_string(i), "kill", effect_kind::flash, 1000, 50), t0);
    CHECK(s3.size() == effect_stack::max_layers);
  }
}

TEST_CASE("active lists effects in display order with their remaining time") {
  effect_stack stack;
  stack.play(make("gi_a", "team", effect_kind::solid, 0, 10), t0);
  stack.play(make("gi_b", "bomb_planted", effect_kind::countdown, 40000, 80), t0);
  auto active = stack.active(t0 + 1500ms + 300us);
  REQUIRE(active.size() == 2);
  CHECK(active[0]
        == active_effect{"gi_b", "bomb_planted", effect_kind::countdown, 80, 38500, std::nullopt});
  CHECK(active[1]
        == active_effect{"gi_a", "team", effect_kind::solid, 10, std::nullopt, std::nullopt});
  CHECK(stack.active(t0 + 40s).size() == 1);
}
