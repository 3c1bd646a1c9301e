#include "actors/event_bus.hpp"

#include "actors/integration.hpp"
#include "actors/registry.hpp"
#include "tests/fixtures/deterministic.hpp"
#include "tests/fixtures/payloads.hpp"

#include <caf/send.hpp>
#include <doctest/doctest.h>

#include <variant>

using namespace gamelight;
using namespace std::chrono_literals;

namespace {

/// What a subscriber saw, in order.
using seen = std::variant<shared_bus_event, bus_status, integration, std::string>;

struct listener_state {
  static inline constexpr const char* name = "listener";
};

event_subscriber_actor::behavior_type
listener(event_subscriber_actor::stateful_pointer<listener_state>,
         std::shared_ptr<std::vector<seen>> log) {
  return {
      [log](atom::publish, const shared_bus_event& x) { log->emplace_back(x); },
      [log](atom::publish, const bus_status& x) { log->emplace_back(x); },
      [log](atom::upsert, const integration& x) { log->emplace_back(x); },
      [log](atom::erase, const std::string& x) { log->emplace_back(x); },
  };
}

integration generic_config(std::string id) {
  integration x;
  x.id = std::move(id);
  x.name = x.id;
  x.adapter_type = "generic";
  return x;
}

struct fixture : gamelight::testing::deterministic {
  std::shared_ptr<std::vector<seen>> log = std::make_shared<std::vector<seen>>();
  event_bus_actor bus = spawn(event_bus, event_bus_options{});

  void subscribe_listener() {
    auto sub = spawn(listener, log);
    caf::anon_send(bus, atom::subscribe::value, sub);
    run();
  }

  /// Sends a generic payload and returns the answer body.
  template <class Handle>
  std::string post(const Handle& aut, const std::string& body) {
    auto answer = ask<ingest_reply>(aut, atom::ingest::value, gamelight::testing::payload(body));
    REQUIRE(answer);
    return answer->body;
  }

  template <class T>
  std::vector<T> only() const {
    std::vector<T> result;
    for (auto& x : *log)
      if (auto p = std::get_if<T>(&x))
        result.push_back(*p);
    return result;
  }
};

} // namespace

TEST_CASE_FIXTURE(fixture, "events carry one daemon-wide seq, also in the ring") {
  subscribe_listener();
  integration_options opts;
  opts.bus = bus;
  auto a = spawn(integration_behavior, generic_config("gi_0000000a"), opts);
  auto b = spawn(integration_behavior, generic_config("gi_0000000b"), opts);
  run();
  post(a, R"({"event_type": "kill", "data": {"n": 1}})");
  post(b, R"({"events": [{"event_type": "boss"}, {"event_type": "loot"}]})");
  post(a, R"({"event_type": "kill", "data": {"n": 2}})");
  auto events = only<shared_bus_event>();
  REQUIRE_EQ(events.size(), 4u);
  for (std::size_t i = 0; i < events.size(); ++i)
    CHECK_EQ(events[i]->seq, i + 1);
  CHECK_EQ(events[0]->integration_id, "gi_0000000a");
  CHECK_EQ(events[0]->event.data, R"({"n":1})");
  CHECK_EQ(events[2]->event.event_type, "loot");
  CHECK_EQ(events[3]->activity.event_count, 2u);
  CHECK_EQ(events[3]->activity.payload_count, 2u);
  CHECK_EQ(events[3]->activity.last_event_type, "kill");
  CHECK(events[3]->activity.connected);
  // GET .../events items carry the same seq.
  auto answer = ask<outcome<json>>(a, atom::events::value, std::size_t{10});
  REQUIRE(answer);
  auto& ring = *answer;
  REQUIRE(ring);
  auto newest = (*ring)["events"][0];
  CHECK_EQ(newest.dump(), R"({"seq":4,"event_type":"kill","timestamp":")"
                              + newest["timestamp"].get<std::string>() + R"(","data":{"n":2}})");
  CHECK_EQ((*ring)["events"][1]["seq"], 1);
}

TEST_CASE_FIXTURE(fixture, "connected flips on with a payload and off when the window passes") {
  subscribe_listener();
  integration_options opts;
  opts.bus = bus;
  opts.connected_window = 30s;
  auto aut = spawn(integration_behavior, generic_config("gi_0000000c"), opts);
  run();
  // A fresh actor announces fresh counters.
  auto statuses = only<bus_status>();
  REQUIRE_EQ(statuses.size(), 1u);
  CHECK_FALSE(statuses[0].activity.connected);
  for (int i = 0; i < 5; ++i) {
    post(aut, R"({"events": []})");
    advance_time(10s);
  }
  // One flip on; payloads every 10 s keep it on, with a single check pending.
  statuses = only<bus_status>();
  REQUIRE_EQ(statuses.size(), 2u);
  CHECK(statuses[1].activity.connected);
  CHECK_EQ(statuses[1].activity.payload_count, 1u);
  // The last payload was 10 s ago: off 30 s after it, not before.
  advance_time(19s);
  CHECK_EQ(only<bus_status>().size(), 2u);
  advance_time(1s);
  statuses = only<bus_status>();
  REQUIRE_EQ(statuses.size(), 3u);
  CHECK_FALSE(statuses[2].activity.connected);
  CHECK_EQ(statuses[2].activity.payload_count, 5u);
  CHECK_FALSE(has_pending_timeout());
  // A payload after silence flips it on again.
  post(aut, R"({"events": []})");
  CHECK(only<bus_status>().back().activity.connected);
}

TEST_CASE_FIXTURE(fixture,
                  "the registry publishes changes, late subscribers get the current view") {
  integration_options opts;
  opts.bus = bus;
  auto aut = spawn(registry, opts, device_options{}, std::make_shared<integration_directory>());
  caf::anon_send(aut, atom::reset::value, std::vector<integration>{generic_config("gi_00000001")},
                 std::vector<device>{});
  run();
  auto renamed = generic_config("gi_00000001");
  renamed.name = "renamed";
  caf::anon_send(aut, atom::upsert::value, renamed);
  caf::anon_send(aut, atom::upsert::value, generic_config("gi_00000002"));
  run();
  subscribe_listener();
  auto configs = only<integration>();
  REQUIRE_EQ(configs.size(), 2u);
  CHECK_EQ(configs[0].name, "renamed");
  CHECK_EQ(configs[1].id, "gi_00000002");
  CHECK_EQ(only<bus_status>().size(), 2u);
  caf::anon_send(aut, atom::erase::value, std::string{"gi_00000001"});
  run();
  CHECK_EQ(only<std::string>(), std::vector<std::string>{"gi_00000001"});
  // A restore that drops an integration erases it too.
  caf::anon_send(aut, atom::reset::value, std::vector<integration>{}, std::vector<device>{});
  run();
  CHECK_EQ(only<std::string>(), std::vector<std::string>{"gi_00000001", "gi_00000002"});
}
