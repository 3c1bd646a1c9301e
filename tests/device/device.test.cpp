#include "actors/device.hpp"

#include "tests/fixtures/deterministic.hpp"
#include "tests/led/udp_receiver.hpp"

#include <doctest/doctest.h>

#include <chrono>
#include <thread>

using namespace gamelight;
using namespace std::chrono_literals;
using gamelight::testing::udp_receiver;

namespace {

using bytes = std::vector<std::uint8_t>;

constexpr rgb red{255, 0, 0};
constexpr rgb white{255, 255, 255};

[[nodiscard]] led::effect make(std::string integration, std::string event, effect_kind kind,
                               std::uint32_t duration_ms, std::int32_t priority,
                               rgb color = white) {
  led::effect x;
  x.integration_id = std::move(integration);
  x.event_type = std::move(event);
  x.kind = kind;
  x.color = color;
  x.duration_ms = duration_ms;
  x.priority = priority;
  return x;
}

/// Returns the DDP payload of `n` LEDs of one colour.
[[nodiscard]] bytes ddp_colour(const bytes& packet) {
  return bytes(packet.begin() + 10, packet.end());
}

[[nodiscard]] bytes repeat(rgb c, std::size_t n) {
  bytes out;
  for (std::size_t i = 0; i < n; ++i) {
    out.push_back(c.r);
    out.push_back(c.g);
    out.push_back(c.b);
  }
  return out;
}

struct fixture : gamelight::testing::deterministic {
  udp_receiver wled;
  device config;
  device_options options;
  device_actor aut;

  fixture() {
    config.id = "dev_0000000a";
    config.name = "Desk strip";
    config.host = wled.host();
    config.port = wled.port();
    config.protocol = led_protocol::ddp;
    config.led_count = 3;
    config.fps = 40;
    options.e131_cid = "000102030405060708090a0b0c0d0e0f";
  }

  void start() {
    aut = spawn(device_behavior, config, options);
    run();
  }

  void play(led::effect fx) {
    caf::anon_send(aut, atom::play::value, std::move(fx));
    run();
  }

  void configure(device next) {
    caf::anon_send(aut, atom::configure::value, std::move(next));
    run();
  }

  [[nodiscard]] json status() {
    auto answer = ask<outcome<json>>(aut, atom::status::value);
    REQUIRE(answer);
    REQUIRE(static_cast<bool>(*answer));
    return **answer;
  }

  /// Advances one frame interval (25 ms at 40 fps) `n` times, collecting the datagrams
  /// sent at each step.
  std::vector<std::vector<bytes>> step(std::size_t n, caf::timespan interval = 25ms) {
    std::vector<std::vector<bytes>> out;
    for (std::size_t i = 0; i < n; ++i) {
      advance_time(interval);
      out.push_back(wled.drain());
    }
    return out;
  }
};

} // namespace

TEST_CASE_FIXTURE(fixture, "an idle device sends nothing") {
  start();
  step(10);
  CHECK(wled.drain().empty());
  CHECK_FALSE(has_pending_timeout());
  auto s = status();
  CHECK(s["device_id"] == "dev_0000000a");
  CHECK(s["frames_sent"] == 0);
  CHECK(s["last_frame_at"].is_null());
  CHECK(s["send_errors"] == 0);
  CHECK(s["active_effects"] == json::array());
}

TEST_CASE_FIXTURE(fixture, "a flash shows over a sticky colour, which comes back until off") {
  start();
  play(make("gi_a", "team_ct", effect_kind::solid, 0, 10, red));
  // The first frame goes out at once.
  auto first = wled.drain();
  REQUIRE(first.size() == 1);
  CHECK(ddp_colour(first[0]) == repeat(red, 3));
  auto frames = step(2);
  CHECK(ddp_colour(frames[0].at(0)) == repeat(red, 3));
  CHECK(ddp_colour(frames[1].at(0)) == repeat(red, 3));
  // At +50 ms: a 300 ms white flash, priority 90. It shows from the next tick (+75 ms).
  play(make("gi_a", "kill", effect_kind::flash, 300, 90));
  CHECK(wled.drain().empty());
  frames = step(12); // +75 ms ... +350 ms
  // Elapsed 25 ms: (1 - 25/300)^2 = 0.8403 -> 214.
  CHECK(ddp_colour(frames[0].at(0)) == repeat(rgb{214, 214, 214}, 3));
  // Elapsed 150 ms: 0.25 -> 64.
  CHECK(ddp_colour(frames[5].at(0)) == repeat(rgb{64, 64, 64}, 3));
  // Elapsed 275 ms: 0.00694 -> 2.
  CHECK(ddp_colour(frames[10].at(0)) == repeat(rgb{2, 2, 2}, 3));
  // Elapsed 300 ms: the flash has ended, the team colour is back.
  CHECK(ddp_colour(frames[11].at(0)) == repeat(red, 3));
  auto s = status();
  REQUIRE(s["active_effects"].size() == 1);
  CHECK(s["active_effects"][0]["event_type"] == "team_ct");
  CHECK(s["active_effects"][0]["remaining_ms"].is_null());
  // `off` clears gi_a: nothing is sent any more.
  play(make("gi_a", "round_over", effect_kind::off, 1000, 50));
  frames = step(10);
  for (auto& x : frames)
    CHECK(x.empty());
  CHECK_FALSE(has_pending_timeout());
  s = status();
  CHECK(s["active_effects"] == json::array());
  CHECK(s["frames_sent"] == 1 + 2 + 12);
}

TEST_CASE_FIXTURE(fixture, "frames go out only while an effect runs") {
  start();
  play(make("gi_a", "damage", effect_kind::fade, 100, 50, red));
  CHECK(wled.drain().size() == 1); // t = 0
  auto frames = step(8);
  // t = 25, 50, 75: frames; t = 100: ended, idle.
  CHECK(frames[0].size() == 1);
  CHECK(frames[1].size() == 1);
  CHECK(frames[2].size() == 1);
  for (std::size_t i = 3; i < frames.size(); ++i)
    CHECK(frames[i].empty());
  CHECK(ddp_colour(frames[1][0]) == repeat(rgb{128, 0, 0}, 3));
  CHECK_FALSE(has_pending_timeout());
  auto s = status();
  CHECK(s["frames_sent"] == 4);
  CHECK(s["last_frame_at"].is_string());
  CHECK(s["last_frame_at"].get<std::string>().size() == 24);
  // A new effect wakes the device again.
  play(make("gi_a", "damage", effect_kind::fade, 100, 50, red));
  CHECK(wled.drain().size() == 1);
}

TEST_CASE_FIXTURE(fixture, "the frame rate follows fps") {
  config.fps = 10;
  start();
  play(make("gi_a", "team", effect_kind::solid, 1000, 50, red));
  CHECK(wled.drain().size() == 1);
  // Steps of 25 ms for 1.1 s: a frame every 4th step (100 ms), none after 1 s.
  auto frames = step(44);
  std::size_t total = 0;
  for (std::size_t i = 0; i < frames.size(); ++i) {
    CAPTURE(i);
    auto elapsed = 25 * (i + 1);
    auto expected = (elapsed % 100 == 0 && elapsed < 1000) ? 1u : 0u;
    CHECK(frames[i].size() == expected);
    total += frames[i].size();
  }
  CHECK(total == 9);
  CHECK(status()["frames_sent"] == 10);
}

TEST_CASE_FIXTURE(fixture, "one big clock step fires one tick only") {
  start();
  play(make("gi_a", "team", effect_kind::solid, 0, 50, red));
  (void)wled.drain();
  advance_time(1s);
  CHECK(wled.drain().size() == 1);
  // The grid restarts from there: the next frame is one interval later.
  auto frames = step(2);
  CHECK(frames[0].size() == 1);
  CHECK(frames[1].size() == 1);
}

TEST_CASE_FIXTURE(fixture, "status lists active effects in display order") {
  start();
  play(make("gi_a", "team", effect_kind::solid, 0, 10, red));
  play(make("gi_b", "bomb_planted", effect_kind::countdown, 40000, 80, red));
  step(4);
  auto s = status();
  REQUIRE(s["active_effects"].size() == 2);
  CHECK(s["active_effects"][0]
        == json{{"integration_id", "gi_b"},
                {"event_type", "bomb_planted"},
                {"effect", "countdown"},
                {"priority", 80},
                {"remaining_ms", 39900},
                {"zone", nullptr}});
  CHECK(s["active_effects"][1]
        == json{{"integration_id", "gi_a"},
                {"event_type", "team"},
                {"effect", "solid"},
                {"priority", 10},
                {"remaining_ms", nullptr},
                {"zone", nullptr}});
  CHECK(s["frames_sent"] == 5);
  // clear removes one integration's effects; the rest still shows.
  caf::anon_send(aut, atom::clear::value, std::string{"gi_b"});
  run();
  s = status();
  REQUIRE(s["active_effects"].size() == 1);
  CHECK(s["active_effects"][0]["integration_id"] == "gi_a");
}

TEST_CASE_FIXTURE(fixture, "configure changes target, protocol, size and brightness live") {
  start();
  play(make("gi_a", "team", effect_kind::solid, 0, 10, red));
  CHECK(wled.drain().size() == 1);
  udp_receiver other;
  auto next = config;
  next.host = other.host();
  next.port = other.port();
  next.protocol = led_protocol::dnrgb;
  next.led_count = 5;
  next.brightness = 0.5;
  configure(next);
  auto frames = step(1);
  CHECK(frames[0].empty());
  auto packet = other.receive(0ms);
  REQUIRE(packet);
  bytes expected{4, 2, 0, 0};
  auto colour = repeat(rgb{128, 0, 0}, 5);
  expected.insert(expected.end(), colour.begin(), colour.end());
  CHECK(*packet == expected);
  SUBCASE("a new fps applies from the next tick") {
    next.fps = 20;
    configure(next);
    auto more = std::vector<std::size_t>{};
    for (int i = 0; i < 8; ++i) {
      advance_time(25ms);
      more.push_back(other.drain().size());
    }
    // The tick already scheduled at +50 ms, then every 50 ms.
    CHECK(more == std::vector<std::size_t>{1, 0, 1, 0, 1, 0, 1, 0});
  }
  SUBCASE("a disabled device stops and ignores effects") {
    next.enabled = false;
    configure(next);
    step(2);
    CHECK(other.drain().size() == 0);
    play(make("gi_a", "team", effect_kind::solid, 0, 10, red));
    CHECK(other.drain().empty());
    CHECK(status()["active_effects"] == json::array());
  }
}

TEST_CASE_FIXTURE(fixture, "E1.31 devices end the stream with 3 terminate packets") {
  config.protocol = led_protocol::e131;
  config.universe = 3;
  start();
  play(make("gi_a", "kill", effect_kind::flash, 50, 50, red));
  auto first = wled.drain();
  REQUIRE(first.size() == 1);
  CHECK(first[0][113] == 0);
  CHECK(first[0][114] == 3);
  CHECK(first[0][112] == 0);
  CHECK(first[0][22] == 0x00);
  CHECK(first[0][37] == 0x0F);
  auto frames = step(4);
  CHECK(frames[0].size() == 1);
  REQUIRE(frames[1].size() == 3);
  for (auto& x : frames[1])
    CHECK(x[112] == 0x40);
  CHECK(frames[2].empty());
  CHECK(status()["frames_sent"] == 2);
}

TEST_CASE_FIXTURE(fixture, "send errors to a closed port are counted, never fatal") {
  auto port = wled.port();
  wled.close();
  config.port = port;
  start();
  play(make("gi_a", "team", effect_kind::solid, 0, 10, red));
  // The kernel reports the ICMP answer on a later send.
  for (int i = 0; i < 40 && status()["send_errors"] == 0; ++i) {
    std::this_thread::sleep_for(2ms);
    step(1);
  }
  auto s = status();
  CHECK(s["send_errors"].get<std::uint64_t>() >= 1);
  // Still alive and ticking.
  CHECK(has_pending_timeout());
  CHECK(s["active_effects"].size() == 1);
}

TEST_CASE_FIXTURE(fixture, "an unresolvable host counts errors without stalling") {
  config.host = "no-such-host.invalid";
  start();
  play(make("gi_a", "team", effect_kind::solid, 0, 10, red));
  step(3);
  auto s = status();
  CHECK(s["send_errors"] == 4);
  CHECK(s["frames_sent"] == 0);
  CHECK(s["last_frame_at"].is_null());
}

TEST_CASE("parse_cid reads 32 hex digits") {
  auto cid = parse_cid("00010203-0405-0607-0809-0A0B0C0D0E0F");
  REQUIRE(cid);
  CHECK((*cid)[0] == 0x00);
  CHECK((*cid)[10] == 0x0A);
  CHECK((*cid)[15] == 0x0F);
  CHECK_FALSE(parse_cid(""));
  CHECK_FALSE(parse_cid("0001"));
  CHECK_FALSE(parse_cid("000102030405060708090a0b0c0d0e0f00"));
  CHECK_FALSE(parse_cid("zz0102030405060708090a0b0c0d0e0f"));
}

TEST_CASE_FIXTURE(fixture, "zones: gauges side by side, a flash over both, zone in status") {
  config.led_count = 6;
  config.zones = {zone{"health", 0, 3, false}, zone{"ammo", 3, 3, true}};
  start();
  auto health = make("gi_a", "health_changed", effect_kind::gauge, 0, 50, rgb{0, 255, 0});
  health.fraction = 2.0 / 3.0;
  health.zone = "health";
  auto ammo = make("gi_a", "ammo_changed", effect_kind::gauge, 0, 50, rgb{255, 200, 0});
  ammo.fraction = 1.0 / 3.0;
  ammo.zone = "ammo";
  play(health);
  auto first = wled.drain();
  REQUIRE(first.size() == 1);
  CHECK(ddp_colour(first[0]) == bytes{0, 255, 0, 0, 255, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0});
  play(ammo);
  step(1);
  auto frames = step(1);
  REQUIRE(frames[0].size() == 1);
  // Ammo fills from its last LED (reverse): LED 5.
  CHECK(ddp_colour(frames[0][0])
        == bytes{0, 255, 0, 0, 255, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 255, 200, 0});
  // A whole-strip flash over both, then they show again.
  play(make("gi_a", "kill", effect_kind::flash, 100, 90));
  frames = step(1);
  REQUIRE(frames[0].size() == 1);
  // 25 ms in: (1 - 25/100)² × 255 = 143.4 → 143 on every LED.
  CHECK(ddp_colour(frames[0][0]) == repeat(rgb{143, 143, 143}, 6));
  frames = step(4);
  REQUIRE(frames[3].size() == 1);
  CHECK(ddp_colour(frames[3][0])
        == bytes{0, 255, 0, 0, 255, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 255, 200, 0});
  auto s = status();
  REQUIRE(s["active_effects"].size() == 2);
  CHECK(s["active_effects"][0]["zone"] == "ammo");
  CHECK(s["active_effects"][1]["zone"] == "health");
  // An effect for a zone the device lacks plays nothing.
  auto mana = make("gi_a", "mana_changed", effect_kind::solid, 0, 99, red);
  mana.zone = "mana";
  play(mana);
  CHECK(status()["active_effects"].size() == 2);
  // off in one zone.
  auto off = make("gi_a", "off", effect_kind::off, 1000, 50);
  off.zone = "ammo";
  play(off);
  s = status();
  REQUIRE(s["active_effects"].size() == 1);
  CHECK(s["active_effects"][0]["zone"] == "health");
  // The zones change: health moves to the end, reversed; the gauge follows it.
  auto next = config;
  next.zones = {zone{"health", 3, 3, true}};
  configure(next);
  (void)wled.drain();
  frames = step(1);
  REQUIRE(frames[0].size() == 1);
  CHECK(ddp_colour(frames[0][0])
        == bytes{0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 255, 0, 0, 255, 0});
  // Its zone removed: the gauge stops and the device falls idle.
  next.zones.clear();
  configure(next);
  step(2);
  CHECK(status()["active_effects"] == json::array());
  (void)wled.drain();
  step(3);
  CHECK(wled.drain().empty());
}
