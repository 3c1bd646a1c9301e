// The live streams' actors and texts under CAF's deterministic scheduler: what an event
// stream and a frame stream hand their connection, byte for byte.

#include "actors/device.hpp"
#include "actors/event_bus.hpp"
#include "actors/integration.hpp"
#include "actors/registry.hpp"
#include "http/event_streams.hpp"
#include "http/frame_stream.hpp"
#include "http/routes.hpp"
#include "http/sse.hpp"
#include "tests/fixtures/deterministic.hpp"
#include "tests/fixtures/payloads.hpp"

#include <caf/event_based_actor.hpp>
#include <caf/send.hpp>
#include <doctest/doctest.h>

#include <memory>
#include <string>
#include <vector>

using namespace gamelight;
using namespace std::chrono_literals;

namespace {

/// What a stand-in connection received.
struct received {
  std::string text;
  /// The texts it got as shared texts (several streams' connections write the same).
  std::vector<std::shared_ptr<const std::string>> shared;
  bool done = false;
};

/// Stands in for a connection broker: keeps what a stream writes.
caf::behavior fake_connection(caf::event_based_actor*, std::shared_ptr<received> out) {
  return {
      [out](atom::chunk, const std::string& x) { out->text += x; },
      [out](atom::chunk, const std::shared_ptr<const std::string>& x) {
        out->text += *x;
        out->shared.push_back(x);
      },
      [out](atom::done) { out->done = true; },
  };
}

integration generic_config(std::string id) {
  integration x;
  x.id = std::move(id);
  x.name = x.id;
  x.adapter_type = "generic";
  return x;
}

std::string event_text(std::uint64_t seq, const std::string& id, const std::string& type,
                       const std::string& timestamp, const std::string& data) {
  return "id: " + std::to_string(seq) + "\nevent: game_event\ndata: {\"seq\":" + std::to_string(seq)
         + ",\"integration_id\":\"" + id + "\",\"event_type\":\"" + type + "\",\"timestamp\":\""
         + timestamp + "\",\"data\":" + data + "}\n\n";
}

std::string status_text(const std::string& id, bool connected) {
  return "event: status\ndata: {\"integration_id\":\"" + id
         + "\",\"connected\":" + (connected ? "true" : "false") + "}\n\n";
}

struct fixture : gamelight::testing::deterministic {
  event_bus_actor bus = spawn(event_bus, event_bus_options{});
  http::event_streams_actor streams = spawn(http::event_streams, options());
  integration_options integration_opts = integration_options_with(bus);
  integration_actor a
      = spawn(integration_behavior, generic_config("gi_0000000a"), integration_opts);
  integration_actor b
      = spawn(integration_behavior, generic_config("gi_0000000b"), integration_opts);

  fixture() {
    run();
  }

  http::event_streams_options options() {
    http::event_streams_options result;
    result.bus = bus;
    return result;
  }

  static integration_options integration_options_with(const event_bus_actor& bus) {
    integration_options result;
    result.bus = bus;
    result.connected_window = 40s;
    return result;
  }

  /// Opens a stream on a stand-in connection and returns what it receives.
  std::shared_ptr<received> open(http::sse::event_filter filter,
                                 std::optional<std::uint64_t> last_id = std::nullopt,
                                 bool run_now = true) {
    return open_at(streams, std::move(filter), last_id, run_now);
  }

  /// Opens a stream of `actor` on a stand-in connection and returns what it receives.
  std::shared_ptr<received> open_at(const http::event_streams_actor& actor,
                                    http::sse::event_filter filter,
                                    std::optional<std::uint64_t> last_id = std::nullopt,
                                    bool run_now = true) {
    auto out = std::make_shared<received>();
    auto conn = spawn(fake_connection, out);
    caf::anon_send(actor, atom::open::value,
                   http::event_stream_request{conn, std::move(filter), last_id, {a, b}});
    if (run_now)
      run();
    return out;
  }

  void post(const integration_actor& whom, const std::string& body) {
    auto answer = ask<ingest_reply>(whom, atom::ingest::value, gamelight::testing::payload(body));
    REQUIRE(answer);
    REQUIRE_EQ(answer->status, 200);
  }

  /// Lets the event-streams actor hand out what it batched (`batch_interval`).
  void settle() {
    advance_time(10ms);
  }

  /// Returns the timestamp the ring of `whom` recorded for its newest event.
  std::string newest_timestamp(const integration_actor& whom) {
    auto answer = ask<outcome<json>>(whom, atom::events::value, std::size_t{1});
    REQUIRE(answer);
    REQUIRE(*answer);
    return (**answer)["events"][0]["timestamp"].get<std::string>();
  }
};

} // namespace

TEST_CASE_FIXTURE(fixture, "an event stream writes retry, its events, connected flips and pings") {
  auto out = open({{"gi_0000000a"}, {}});
  CHECK_EQ(out->text, "retry: 2000\n\n");
  post(a, R"({"event_type": "kill", "data": {"n": 1}})");
  auto ts = newest_timestamp(a);
  post(b, R"({"event_type": "boss"})");
  post(a, R"({"event_type": "kill", "data": {"n": 2}})");
  auto ts3 = newest_timestamp(a);
  // Only gi_0000000a: its flip to connected, then its two events (seq 1 and 3).
  auto expected = std::string{"retry: 2000\n\n"} + status_text("gi_0000000a", true)
                  + event_text(1, "gi_0000000a", "kill", ts, R"({"n":1})")
                  + event_text(3, "gi_0000000a", "kill", ts3, R"({"n":2})");
  settle();
  CHECK_EQ(out->text, expected);
  // Quiet for 15 s: a ping; again 15 s later.
  advance_time(14s);
  CHECK_EQ(out->text, expected);
  advance_time(1s);
  expected += ": ping\n\n";
  CHECK_EQ(out->text, expected);
  advance_time(15s);
  expected += ": ping\n\n";
  CHECK_EQ(out->text, expected);
  // The connected window (40 s) passes: the flip off, and the ping clock restarts there.
  advance_time(10s);
  expected += status_text("gi_0000000a", false);
  CHECK_EQ(out->text, expected);
  advance_time(14s);
  CHECK_EQ(out->text, expected);
  advance_time(1s);
  CHECK_EQ(out->text, expected + ": ping\n\n");
}

TEST_CASE_FIXTURE(fixture, "event_type filters OR within the kind and AND with integration ids") {
  auto kills = open({{}, {"kill", "loot"}});
  auto a_loot = open({{"gi_0000000a"}, {"loot"}});
  post(a, R"({"events": [{"event_type": "kill"}, {"event_type": "loot"}, {"event_type": "x"}]})");
  auto ts = newest_timestamp(a);
  post(b, R"({"event_type": "loot"})");
  auto ts_b = newest_timestamp(b);
  settle();
  // Status events pass an event_type filter (it applies to game events only).
  CHECK_EQ(kills->text, std::string{"retry: 2000\n\n"} + status_text("gi_0000000a", true)
                            + event_text(1, "gi_0000000a", "kill", ts, "{}")
                            + event_text(2, "gi_0000000a", "loot", ts, "{}")
                            + status_text("gi_0000000b", true)
                            + event_text(4, "gi_0000000b", "loot", ts_b, "{}"));
  CHECK_EQ(a_loot->text, std::string{"retry: 2000\n\n"} + status_text("gi_0000000a", true)
                             + event_text(2, "gi_0000000a", "loot", ts, "{}"));
}

TEST_CASE_FIXTURE(fixture, "Last-Event-ID replays the rings in seq order, then live, each once") {
  post(a, R"({"event_type": "kill", "data": {"n": 1}})");
  post(a, R"({"event_type": "kill", "data": {"n": 2}})");
  auto ts_a = newest_timestamp(a);
  post(b, R"({"event_type": "kill", "data": {"n": 3}})");
  auto ts_b = newest_timestamp(b);
  post(a, R"({"event_type": "loot"})");
  // Opened while a payload is on its way to b: its event reaches both the ring the replay
  // reads and the live path; the stream shows it once.
  auto out = open({{}, {"kill"}}, 1, false);
  caf::anon_send(b, atom::ingest::value,
                 gamelight::testing::payload(R"({"event_type": "kill", "data": {"n": 5}})"));
  run();
  auto ts5 = newest_timestamp(b);
  post(a, R"({"event_type": "kill", "data": {"n": 6}})");
  auto ts6 = newest_timestamp(a);
  settle();
  auto expected = std::string{"retry: 2000\n\n"}
                  + event_text(2, "gi_0000000a", "kill", ts_a, R"({"n":2})")
                  + event_text(3, "gi_0000000b", "kill", ts_b, R"({"n":3})")
                  + event_text(5, "gi_0000000b", "kill", ts5, R"({"n":5})")
                  + event_text(6, "gi_0000000a", "kill", ts6, R"({"n":6})");
  CHECK_EQ(out->text, expected);
  CHECK(out->shared.empty());
  // Both integrations sent a live event after the replayed ones: no live copy of a
  // replayed event can come any more, so the stream now takes its group's text.
  post(b, R"({"event_type": "kill", "data": {"n": 7}})");
  auto ts7 = newest_timestamp(b);
  settle();
  auto seventh = event_text(7, "gi_0000000b", "kill", ts7, R"({"n":7})");
  CHECK_EQ(out->text, expected + seventh);
  REQUIRE_EQ(out->shared.size(), 1u);
  CHECK_EQ(*out->shared[0], seventh);
}

TEST_CASE_FIXTURE(fixture, "streams with the same filters share one text, a new one joins after "
                           "its first batch") {
  auto first = open({{}, {"kill"}});
  post(a, R"({"event_type": "kill", "data": {"n": 1}})");
  auto ts1 = newest_timestamp(a);
  // Opened while the batch with seq 1 waits: it starts with the events after it opened.
  // Its filter is the first's, spelled differently.
  auto second = open({{}, {"kill", "kill"}});
  post(a, R"({"event_type": "kill", "data": {"n": 2}})");
  auto ts2 = newest_timestamp(a);
  settle();
  auto e1 = event_text(1, "gi_0000000a", "kill", ts1, R"({"n":1})");
  auto e2 = event_text(2, "gi_0000000a", "kill", ts2, R"({"n":2})");
  CHECK_EQ(first->text, "retry: 2000\n\n" + status_text("gi_0000000a", true) + e1 + e2);
  CHECK_EQ(second->text, "retry: 2000\n\n" + e2);
  post(a, R"({"event_type": "kill", "data": {"n": 3}})");
  auto ts3 = newest_timestamp(a);
  settle();
  auto e3 = event_text(3, "gi_0000000a", "kill", ts3, R"({"n":3})");
  CHECK_EQ(first->text, "retry: 2000\n\n" + status_text("gi_0000000a", true) + e1 + e2 + e3);
  CHECK_EQ(second->text, "retry: 2000\n\n" + e2 + e3);
  // One text, written by both connections.
  REQUIRE_FALSE(first->shared.empty());
  REQUIRE_EQ(second->shared.size(), 1u);
  CHECK_EQ(first->shared.back(), second->shared.back());
  CHECK_EQ(*second->shared.back(), e3);
}

TEST_CASE_FIXTURE(fixture, "with many streams open the batches grow to keep the writes bounded") {
  // 100 writes a second in all: two streams get a batch every 20 ms (one: every 10 ms).
  auto opts = options();
  opts.writes_per_second = 100;
  auto slow = spawn(http::event_streams, opts);
  run();
  auto one = open_at(slow, {});
  auto two = open_at(slow, {});
  post(a, R"({"event_type": "kill"})");
  auto ts = newest_timestamp(a);
  auto expected = "retry: 2000\n\n" + status_text("gi_0000000a", true)
                  + event_text(1, "gi_0000000a", "kill", ts, "{}");
  advance_time(10ms);
  CHECK_EQ(one->text, "retry: 2000\n\n");
  advance_time(10ms);
  CHECK_EQ(one->text, expected);
  CHECK_EQ(two->text, expected);
}

TEST_CASE_FIXTURE(fixture, "a stream whose connection ended gets nothing more") {
  auto out = std::make_shared<received>();
  auto conn = spawn(fake_connection, out);
  caf::anon_send(streams, atom::open::value, http::event_stream_request{conn, {}, {}, {}});
  run();
  caf::anon_send_exit(conn, caf::exit_reason::user_shutdown);
  run();
  post(a, R"({"event_type": "kill"})");
  CHECK_EQ(out->text, "retry: 2000\n\n");
  // No ping timer is left for a stream that is gone (40 s: the connected window too).
  advance_time(40s);
  CHECK_EQ(out->text, "retry: 2000\n\n");
  CHECK_FALSE(has_pending_timeout());
}

namespace {

device preview_device() {
  device x;
  x.id = "dev_00000001";
  x.name = "desk";
  x.host = "127.0.0.1";
  x.port = 9;
  x.led_count = 2;
  x.fps = 30;
  x.brightness = 1.0;
  return x;
}

shared_device_frame frame_of(bool active, std::vector<std::uint8_t> rgb) {
  return std::make_shared<const device_frame>(device_frame{active, std::move(rgb)});
}

} // namespace

TEST_CASE_FIXTURE(gamelight::testing::deterministic,
                  "a frame stream writes changed frames at most fps times a second") {
  auto dev = spawn(device_behavior, preview_device(), device_options{});
  auto out = std::make_shared<received>();
  auto conn = spawn(fake_connection, out);
  auto aut = spawn(http::frame_stream, caf::actor{conn}, dev, std::uint32_t{10});
  run();
  // At once: retry, then the idle device's frame (2 LEDs, all black).
  std::string expected
      = "retry: 2000\n\n"
        "event: frame\ndata: {\"active\":false,\"led_count\":2,\"rgb\":\"AAAAAAAA\"}\n\n";
  CHECK_EQ(out->text, expected);
  // Two frames within the 100 ms slot: only the newer is written, when the slot opens.
  caf::anon_send(aut, atom::frame::value, frame_of(true, {255, 0, 0, 0, 0, 255}));
  run();
  advance_time(50ms);
  caf::anon_send(aut, atom::frame::value, frame_of(true, {0, 255, 0, 0, 0, 255}));
  run();
  CHECK_EQ(out->text, expected);
  advance_time(50ms);
  expected += "event: frame\ndata: {\"active\":true,\"led_count\":2,\"rgb\":\"AP8AAAD/\"}\n\n";
  CHECK_EQ(out->text, expected);
  // An unchanged frame is not written again, even when its slot is free.
  advance_time(200ms);
  caf::anon_send(aut, atom::frame::value, frame_of(true, {0, 255, 0, 0, 0, 255}));
  run();
  CHECK_EQ(out->text, expected);
  // The idle frame, at once since the slot is free.
  caf::anon_send(aut, atom::frame::value, frame_of(false, {0, 0, 0, 0, 0, 0}));
  run();
  expected += "event: frame\ndata: {\"active\":false,\"led_count\":2,\"rgb\":\"AAAAAAAA\"}\n\n";
  CHECK_EQ(out->text, expected);
  CHECK_FALSE(out->done);
  // The device ends (deleted): the stream ends.
  caf::anon_send_exit(dev, caf::exit_reason::user_shutdown);
  run();
  CHECK(out->done);
}

TEST_CASE_FIXTURE(gamelight::testing::deterministic,
                  "a device shows its watchers each rendered frame and the idle frame") {
  auto dev = spawn(device_behavior, preview_device(), device_options{});
  auto out = std::make_shared<received>();
  auto conn = spawn(fake_connection, out);
  spawn(http::frame_stream, caf::actor{conn}, dev, std::uint32_t{30});
  run();
  event_mapping mapping;
  mapping.event_type = "test";
  mapping.effect = effect_kind::solid;
  mapping.color = rgb{10, 20, 30};
  mapping.duration_ms = 100;
  game_event event;
  event.event_type = "test";
  caf::anon_send(dev, atom::play::value, led::make_effect(mapping, event, ""));
  run();
  // Solid 10,20,30 on both LEDs for 100 ms, then idle.
  advance_by(10ms, 20);
  CHECK_EQ(out->text,
           "retry: 2000\n\n"
           "event: frame\ndata: {\"active\":false,\"led_count\":2,\"rgb\":\"AAAAAAAA\"}\n\n"
           "event: frame\ndata: {\"active\":true,\"led_count\":2,\"rgb\":\"ChQeChQe\"}\n\n"
           "event: frame\ndata: {\"active\":false,\"led_count\":2,\"rgb\":\"AAAAAAAA\"}\n\n");
}

TEST_CASE("base64 is RFC 4648's, with padding") {
  auto encode = [](std::string_view text) {
    std::vector<std::uint8_t> bytes(text.begin(), text.end());
    return http::sse::base64(bytes);
  };
  CHECK_EQ(encode(""), "");
  CHECK_EQ(encode("f"), "Zg==");
  CHECK_EQ(encode("fo"), "Zm8=");
  CHECK_EQ(encode("foo"), "Zm9v");
  CHECK_EQ(encode("foob"), "Zm9vYg==");
  CHECK_EQ(encode("fooba"), "Zm9vYmE=");
  CHECK_EQ(encode("foobar"), "Zm9vYmFy");
  CHECK_EQ(http::sse::base64(std::vector<std::uint8_t>{255, 254, 253}), "//79");
}

TEST_CASE("Last-Event-ID is read only as a plain decimal number") {
  http::request req;
  CHECK_FALSE(http::sse::last_event_id(req));
  req.headers = {{"last-event-id", "42"}};
  CHECK_EQ(http::sse::last_event_id(req), std::optional<std::uint64_t>{42});
  for (auto bad : {"", "-1", "4x", " 4", "0x10", "99999999999999999999999"}) {
    req.headers = {{"Last-Event-ID", bad}};
    CHECK_FALSE(http::sse::last_event_id(req));
  }
}

TEST_CASE_FIXTURE(gamelight::testing::deterministic,
                  "a frame stream ends when the registry deletes its device") {
  auto reg = spawn(registry, integration_options{}, device_options{},
                   std::make_shared<integration_directory>());
  caf::anon_send(reg, atom::reset::value, std::vector<integration>{},
                 std::vector<device>{preview_device()});
  run();
  auto found = ask<outcome<device_actor>>(reg, atom::lookup::value, atom::dev::value,
                                          std::string{"dev_00000001"});
  REQUIRE(found);
  REQUIRE(*found);
  auto out = std::make_shared<received>();
  auto conn = spawn(fake_connection, out);
  spawn(http::frame_stream, caf::actor{conn}, **found, std::uint32_t{30});
  run();
  caf::anon_send(reg, atom::erase::value, std::string{"dev_00000001"});
  run();
  CHECK(out->done);
}
