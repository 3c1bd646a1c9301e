#include "adapters/games/json_reader.hpp"
#include "tests/games/test_util.hpp"

#include <doctest/doctest.h>
#include <nlohmann/json.hpp>

#include <string>
#include <vector>

using namespace gamelight;
using namespace gamelight::games;
using namespace gamelight::games::test;

namespace {

/// `text` followed by enough whitespace to be larger than the DOM fast path takes,
/// so `body_reader::read` decides it with the strict On-Demand walk. Trailing
/// whitespace changes neither validity nor content.
std::string strict_only(const std::string& text) {
  return text + std::string(detail::tape_max_bytes + 1, ' ');
}

/// Two sessions of one adapter fed the same bodies, one on the fast path and one on
/// the strict walk (see `strict_only`): outcomes and events must be identical.
class twin_sessions {
public:
  twin_sessions(std::string_view adapter_type, const json& config)
      : fast_(session(adapter_type, config)), strict_(session(adapter_type, config)) {}

  /// Ingests `text` into both and returns the (common) outcome.
  ingest_result ingest_both(const std::string& text) {
    auto fast = ingest(*fast_, text);
    auto strict = ingest(*strict_, strict_only(text));
    CHECK(std::string(status_name(fast.outcome.status))
          == std::string(status_name(strict.outcome.status)));
    CHECK(fast.outcome.detail == strict.outcome.detail);
    CHECK(describe(fast.events) == describe(strict.events));
    CHECK(fast.events == strict.events);
    return fast;
  }

private:
  std::unique_ptr<adapter_session> fast_;
  std::unique_ptr<adapter_session> strict_;
};

/// Feeds every fixture of `names` in order and, before each, every one-byte mutation
/// of it at every `stride`-th position, to both twins.
void compare_paths(std::string_view adapter_type, const char* token,
                   const std::vector<const char*>& names, std::size_t stride) {
  twin_sessions twins(adapter_type, json{{"token", token}});
  const std::string replacements = std::string("}]{[,:\"\\ x0-9.eE") + '\x01' + '\xff';
  std::size_t accepted = 0;
  std::size_t malformed = 0;
  for (const char* name : names) {
    const std::string text = fixture(name);
    for (std::size_t i = 0; i < text.size(); i += stride) {
      for (char c : replacements) {
        if (text[i] == c)
          continue;
        std::string mutated = text;
        mutated[i] = c;
        INFO(name << ", position " << i << ", byte " << int(static_cast<unsigned char>(c)));
        const auto status = twins.ingest_both(mutated).outcome.status;
        CHECK((status == ingest_status::malformed) == !nlohmann::json::accept(mutated));
        accepted += status == ingest_status::ok;
        malformed += status == ingest_status::malformed;
      }
    }
    INFO(name);
    CHECK(twins.ingest_both(text).outcome.status == ingest_status::ok);
  }
  // Both kinds of outcome were exercised.
  CHECK(accepted > 0);
  CHECK(malformed > 0);
}

} // namespace

TEST_CASE("fast path: cs2 outcomes and events equal the strict walk's") {
  compare_paths("cs2", cs2_token,
                {"cs2_01_freezetime_start", "cs2_02_round_live", "cs2_03_damage_taken_low_health",
                 "cs2_04_kill_headshot", "cs2_05_flashed", "cs2_06_bomb_planted",
                 "cs2_07_player_died", "cs2_08_dead_spectating_teammate",
                 "cs2_09_bomb_defused_round_over_ct_win",
                 "cs2_10_next_round_freezetime_self_again"},
                11);
}

TEST_CASE("fast path: dota2 outcomes and events equal the strict walk's") {
  compare_paths("dota2", dota2_token,
                {"dota2_01_hero_low_health", "dota2_02_hero_died", "dota2_03_respawned_level_up"},
                7);
}

TEST_CASE("fast path: integer fields take exactly the numbers the strict walk takes") {
  struct number_case {
    const char* token;
    const char* detail; // empty: accepted
  };
  const std::vector<number_case> cases = {
      {"0", ""},
      {"-0", ""},
      {"100", ""},
      {"9223372036854775807", ""},
      {"-9223372036854775808", ""},
      {"1.0", "player.state.health must be an integer"},
      {"-0.0", "player.state.health must be an integer"},
      {"1e2", "player.state.health must be an integer"},
      {"1e-400", "player.state.health must be an integer"},
      {"9223372036854775808", "player.state.health must be an integer in range"},
      {"18446744073709551615", "player.state.health must be an integer in range"},
      {"18446744073709551616", "player.state.health must be an integer in range"},
      {"-9223372036854775809", "player.state.health must be an integer in range"},
      {"123456789012345678901234567890", "player.state.health must be an integer in range"},
  };
  const std::string text = fixture_json("cs2_02_round_live").dump();
  const std::string from = "\"health\":100";
  for (const auto& c : cases) {
    INFO("health " << c.token);
    twin_sessions twins("cs2", json{{"token", cs2_token}});
    std::string body = text;
    body.replace(body.find(from), from.size(), std::string("\"health\":") + c.token);
    auto r = twins.ingest_both(body);
    CHECK(r.outcome.detail == c.detail);
  }
}

TEST_CASE("fast path: escaped keys and strings, duplicate keys, wrong block types") {
  twin_sessions twins("cs2", json{{"token", cs2_token}});
  CHECK(twins.ingest_both(fixture("cs2_02_round_live")).outcome.status == ingest_status::ok);
  // Escaped keys match; the last duplicate wins; the first problem is reported.
  auto p = fixture_json("cs2_03_damage_taken_low_health");
  std::string text = p.dump();
  const std::string health = "\"health\":18";
  text.replace(text.find(health), health.size(), "\"he\\u0061lth\":50,\"health\":18");
  auto r = twins.ingest_both(text);
  CHECK(r.outcome.status == ingest_status::ok);
  CHECK(r.events.size() == 3);
  for (const char* bad : {R"("round": [1], "round": {"phase": 1})", R"("auth": 5)",
                          R"("map": "x", "player": {"state": true})"}) {
    INFO("members " << bad);
    std::string body = R"({"provider": {"steamid": "1"}, )" + std::string(bad)
                       + R"(, "auth": {"token": "wled-gsi-7f3c9a12e4b8"}})";
    (void)twins.ingest_both(body);
  }
}

TEST_CASE("fast path: a body without padding behind it is copied, not over-read") {
  auto s = session("cs2", json{{"token", cs2_token}});
  CHECK(accept(*s, fixture("cs2_01_freezetime_start")).empty());
  const std::string text = fixture("cs2_02_round_live");
  std::vector<char> exact(text.begin(), text.end()); // capacity == size
  std::vector<game_event> events;
  auto outcome = s->ingest(payload{exact.data(), exact.size(), exact.size(), {}}, events);
  CHECK(outcome.status == ingest_status::ok);
  CHECK(describe(events) == describe({ev("round_live", R"({"round":7})")}));
}
