// Render and encode one 600-LED frame per protocol: the per-frame work of a device actor.
// `render_encode/*` is the v1 path (the top effect over the whole strip), kept as the
// baseline; `layer_encode/*` is the device actor's path since zones (per-LED layering),
// over the whole strip and over 4 zones with 6 active effects.

#include "adapters/led/effects.hpp"
#include "adapters/led/encoder.hpp"
#include "adapters/led/layering.hpp"

#include <benchmark/benchmark.h>

#include <chrono>
#include <optional>
#include <string>
#include <vector>

using namespace gamelight;
using namespace gamelight::led;

namespace {

constexpr std::size_t leds = 600;

[[nodiscard]] effect countdown() {
  effect x;
  x.integration_id = "gi_00000001";
  x.event_type = "bomb_planted";
  x.kind = effect_kind::countdown;
  x.color = rgb{255, 40, 0};
  x.duration_ms = 40000;
  x.intensity = 0.8;
  x.priority = 80;
  return x;
}

void render_only(benchmark::State& state) {
  auto fx = countdown();
  std::vector<rgb> frame(leds);
  double t = 0;
  for (auto _ : state) {
    render(fx, t, 0.9, frame);
    benchmark::DoNotOptimize(frame.data());
    t = t < 39000 ? t + 25 : 0;
  }
  state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(leds));
}

void render_and_encode(benchmark::State& state, led_protocol protocol) {
  encoder_options opts;
  encoder enc{protocol, 1, opts};
  effect_stack stack;
  auto t0 = std::chrono::steady_clock::time_point{} + std::chrono::hours{1};
  stack.play(countdown(), t0);
  effect team;
  team.integration_id = "gi_00000001";
  team.kind = effect_kind::solid;
  team.duration_ms = 0;
  team.priority = 10;
  stack.play(team, t0);
  std::vector<rgb> frame(leds);
  auto now = t0;
  std::size_t bytes = 0;
  for (auto _ : state) {
    const auto* top = stack.top(now);
    render(top->fx, top->elapsed_ms(now), 0.9, frame);
    auto packets = enc.encode(frame);
    for (const auto& p : packets)
      bytes += p.size();
    benchmark::DoNotOptimize(packets.data());
    now += std::chrono::milliseconds{25};
    if (now > t0 + std::chrono::seconds{39})
      now = t0;
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(bytes));
  state.SetItemsProcessed(state.iterations());
}

/// Returns a sticky effect of `integration` in `zone` (none: the whole strip).
[[nodiscard]] effect sticky(std::string integration, effect_kind kind, rgb color,
                            std::int32_t priority, std::optional<std::string> zone,
                            std::optional<double> fraction = std::nullopt) {
  effect x;
  x.integration_id = std::move(integration);
  x.event_type = "bench";
  x.kind = kind;
  x.color = color;
  x.duration_ms = 0;
  x.priority = priority;
  x.zone = std::move(zone);
  x.fraction = fraction;
  return x;
}

/// Layers (per LED, `effect_stack::render`) and encodes one frame per iteration.
/// `zoned`: 4 zones of 150 LEDs (one reversed) and 6 active effects (3 gauges, the bomb
/// countdown, a hidden strobe and a whole-strip team colour under them); otherwise the
/// countdown over a whole-strip team colour, as `render_and_encode`.
void layer_and_encode(benchmark::State& state, led_protocol protocol, bool zoned) {
  encoder_options opts;
  encoder enc{protocol, 1, opts};
  effect_stack stack;
  auto t0 = std::chrono::steady_clock::time_point{} + std::chrono::hours{1};
  stack.play(sticky("gi_00000001", effect_kind::solid, rgb{0, 0, 255}, 10, std::nullopt), t0);
  if (zoned) {
    stack.set_zones({zone{"health", 0, 150, false}, zone{"ammo", 150, 150, true},
                     zone{"mana", 300, 150, false}, zone{"bomb", 450, 150, false}});
    stack.play(sticky("gi_00000001", effect_kind::gauge, rgb{0, 255, 0}, 50, "health", 0.64), t0);
    stack.play(sticky("gi_00000001", effect_kind::gauge, rgb{255, 200, 0}, 50, "ammo", 0.85), t0);
    stack.play(sticky("gi_00000002", effect_kind::gauge, rgb{0, 80, 255}, 50, "mana", 0.3), t0);
    stack.play(sticky("gi_00000003", effect_kind::strobe, rgb{255, 255, 255}, 40, "ammo"), t0);
    auto bomb = countdown();
    bomb.zone = "bomb";
    stack.play(bomb, t0);
  } else {
    stack.play(countdown(), t0);
  }
  std::vector<rgb> frame(leds);
  auto now = t0;
  std::size_t bytes = 0;
  for (auto _ : state) {
    stack.render(now, 0.9, frame);
    auto packets = enc.encode(frame);
    for (const auto& p : packets)
      bytes += p.size();
    benchmark::DoNotOptimize(packets.data());
    now += std::chrono::milliseconds{25};
    if (now > t0 + std::chrono::seconds{39})
      now = t0;
  }
  state.counters["effects"] = static_cast<double>(stack.active(t0).size());
  state.SetBytesProcessed(static_cast<std::int64_t>(bytes));
  state.SetItemsProcessed(state.iterations());
}

void ddp(benchmark::State& state) {
  render_and_encode(state, led_protocol::ddp);
}

void dnrgb(benchmark::State& state) {
  render_and_encode(state, led_protocol::dnrgb);
}

void e131(benchmark::State& state) {
  render_and_encode(state, led_protocol::e131);
}

void layered_ddp(benchmark::State& state) {
  layer_and_encode(state, led_protocol::ddp, false);
}

void layered_dnrgb(benchmark::State& state) {
  layer_and_encode(state, led_protocol::dnrgb, false);
}

void layered_e131(benchmark::State& state) {
  layer_and_encode(state, led_protocol::e131, false);
}

void zoned_ddp(benchmark::State& state) {
  layer_and_encode(state, led_protocol::ddp, true);
}

void zoned_dnrgb(benchmark::State& state) {
  layer_and_encode(state, led_protocol::dnrgb, true);
}

void zoned_e131(benchmark::State& state) {
  layer_and_encode(state, led_protocol::e131, true);
}

} // namespace

BENCHMARK(render_only)->Name("render/600");
BENCHMARK(ddp)->Name("render_encode/ddp/600");
BENCHMARK(dnrgb)->Name("render_encode/dnrgb/600");
BENCHMARK(e131)->Name("render_encode/e131/600");
BENCHMARK(layered_ddp)->Name("layer_encode/ddp/600/whole_strip");
BENCHMARK(layered_dnrgb)->Name("layer_encode/dnrgb/600/whole_strip");
BENCHMARK(layered_e131)->Name("layer_encode/e131/600/whole_strip");
BENCHMARK(zoned_ddp)->Name("layer_encode/ddp/600/4_zones_6_effects");
BENCHMARK(zoned_dnrgb)->Name("layer_encode/dnrgb/600/4_zones_6_effects");
BENCHMARK(zoned_e131)->Name("layer_encode/e131/600/4_zones_6_effects");

BENCHMARK_MAIN();
