// Render and encode one 600-LED frame per protocol: the per-frame work of a device actor.

#include "adapters/led/effects.hpp"
#include "adapters/led/encoder.hpp"
#include "adapters/led/layering.hpp"

#include <benchmark/benchmark.h>

#include <chrono>
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

void ddp(benchmark::State& state) {
  render_and_encode(state, led_protocol::ddp);
}

void dnrgb(benchmark::State& state) {
  render_and_encode(state, led_protocol::dnrgb);
}

void e131(benchmark::State& state) {
  render_and_encode(state, led_protocol::e131);
}

} // namespace

BENCHMARK(render_only)->Name("render/600");
BENCHMARK(ddp)->Name("render_encode/ddp/600");
BENCHMARK(dnrgb)->Name("render_encode/dnrgb/600");
BENCHMARK(e131)->Name("render_encode/e131/600");

BENCHMARK_MAIN();
