/// Parse + diff cost per payload: a cs2/dota2 session fed two fixtures in
/// alternation (so events fire every time), and the generic adapter.
///
/// Usage: gamelight_games_bench [--benchmark_filter=...]

#include "adapters/games/cs2/snapshot.hpp"
#include "adapters/games/game_adapter.hpp"

#include <benchmark/benchmark.h>

#include <fstream>
#include <sstream>
#include <string>
#include <vector>

namespace {

using namespace gamelight;
using namespace gamelight::games;

/// A fixture body with simdjson padding behind it.
struct padded_body {
  explicit padded_body(const std::string& name) {
    std::ifstream in(std::string(GAMELIGHT_FIXTURE_DIR) + "/" + name + ".json", std::ios::binary);
    std::ostringstream buf;
    buf << in.rdbuf();
    text = buf.str();
    text.reserve(text.size() + 64);
  }
  [[nodiscard]] payload view() const {
    return payload{text.data(), text.size(), text.capacity(), {}};
  }
  std::string text;
};

void alternate(benchmark::State& state, std::string_view adapter_type, const json& config,
               const char* first, const char* second) {
  const padded_body a(first);
  const padded_body b(second);
  auto session = find_adapter(adapter_type)->make_session(config);
  std::vector<game_event> events;
  events.reserve(16);
  std::size_t bytes = 0;
  std::size_t fired = 0;
  bool flip = false;
  for (auto _ : state) {
    const padded_body& body = flip ? b : a;
    flip = !flip;
    events.clear();
    auto outcome = session->ingest(body.view(), events);
    benchmark::DoNotOptimize(outcome);
    if (outcome.status != ingest_status::ok) {
      state.SkipWithError(outcome.detail.c_str());
      break;
    }
    bytes += body.text.size();
    fired += events.size();
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(bytes));
  state.counters["events/payload"]
      = benchmark::Counter(static_cast<double>(fired) / static_cast<double>(state.iterations()));
}

void cs2_damage(benchmark::State& state) {
  // 02 <-> 03: round_live/damage_taken/health_low/health_changed or health_changed back.
  alternate(state, "cs2", json{{"token", "wled-gsi-7f3c9a12e4b8"}}, "cs2_02_round_live",
            "cs2_03_damage_taken_low_health");
}
BENCHMARK(cs2_damage);

void cs2_teammate(benchmark::State& state) {
  // 07 <-> 08: self (dead) and spectated teammate.
  alternate(state, "cs2", json{{"token", "wled-gsi-7f3c9a12e4b8"}}, "cs2_07_player_died",
            "cs2_08_dead_spectating_teammate");
}
BENCHMARK(cs2_teammate);

void cs2_round_end(benchmark::State& state) {
  // 09 <-> 10 (2.4 and 2.6 KB).
  alternate(state, "cs2", json{{"token", "wled-gsi-7f3c9a12e4b8"}},
            "cs2_09_bomb_defused_round_over_ct_win", "cs2_10_next_round_freezetime_self_again");
}
BENCHMARK(cs2_round_end);

void dota2_death(benchmark::State& state) {
  alternate(state, "dota2", json{{"token", "wled-dota-51ae08c3"}}, "dota2_02_hero_died",
            "dota2_03_respawned_level_up");
}
BENCHMARK(dota2_death);

void cs2_parse_only(benchmark::State& state) {
  const padded_body body("cs2_10_next_round_freezetime_self_again");
  detail::body_reader reader;
  for (auto _ : state) {
    auto parsed = cs2::parse(reader, body.view());
    benchmark::DoNotOptimize(parsed);
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * body.text.size()));
}
BENCHMARK(cs2_parse_only);

void cs2_malformed(benchmark::State& state) {
  // A truncated body: the DOM parser refuses it, then the strict walk decides (and
  // words the 400 detail), so a refused body costs both.
  padded_body body("cs2_10_next_round_freezetime_self_again");
  body.text.resize(body.text.rfind('}'));
  auto session = find_adapter("cs2")->make_session(json{{"token", "wled-gsi-7f3c9a12e4b8"}});
  std::vector<game_event> events;
  for (auto _ : state) {
    auto outcome = session->ingest(body.view(), events);
    benchmark::DoNotOptimize(outcome);
    if (outcome.status != ingest_status::malformed) {
      state.SkipWithError("not malformed");
      break;
    }
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * body.text.size()));
}
BENCHMARK(cs2_malformed);

void generic_list(benchmark::State& state) {
  std::string text = R"({"events": [)";
  for (int i = 0; i < 8; ++i)
    text += std::string(i ? "," : "")
            + R"({"event_type": "hit", "data": {"fraction": 0.5, "who": "boss", "n": [1, 2]}})";
  text += "]}";
  text.reserve(text.size() + 64);
  auto session = find_adapter("generic")->make_session(json::object());
  std::vector<game_event> events;
  for (auto _ : state) {
    events.clear();
    auto outcome = session->ingest(payload{text.data(), text.size(), text.capacity(), {}}, events);
    benchmark::DoNotOptimize(outcome);
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * text.size()));
}
BENCHMARK(generic_list);

} // namespace

BENCHMARK_MAIN();
