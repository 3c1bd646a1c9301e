/// The text of one event-stream message (`sse::game_event_message`), rendered once per
/// game event whatever the number of readers: a cs2-sized `data` and a generic tick.
///
/// Usage: gamelight_sse_bench [--benchmark_filter=...]

#include "http/sse.hpp"

#include <benchmark/benchmark.h>

namespace {

using namespace gamelight;

bus_event make_event(std::string event_type, std::string data) {
  bus_event x;
  x.seq = 1234567;
  x.integration_id = "3f6c1a52-9d4e-4b7a-8f10-2c5e6d7a8b9c";
  x.event.event_type = std::move(event_type);
  x.event.data = std::move(data);
  x.timestamp = 1795701787123;
  return x;
}

void render(benchmark::State& state, const bus_event& x) {
  std::size_t bytes = 0;
  for (auto _ : state) {
    auto text = http::sse::game_event_message(x);
    bytes += text.size();
    benchmark::DoNotOptimize(text);
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(bytes));
}

void kill_event(benchmark::State& state) {
  static const auto x = make_event(
      "kill", R"({"weapon":"weapon_ak47","headshot":true,"round_kills":2,"team":"T"})");
  render(state, x);
}

void tick_event(benchmark::State& state) {
  static const auto x = make_event("tick", R"({"k":41,"t":1795701787123456789})");
  render(state, x);
}

} // namespace

BENCHMARK(kill_event)->Name("sse/game_event_message/kill");
BENCHMARK(tick_event)->Name("sse/game_event_message/tick");
BENCHMARK_MAIN();
