#include "mqtt/topics.hpp"

#include <doctest/doctest.h>

using namespace gamelight;
using namespace gamelight::mqtt;
using namespace std::chrono_literals;

namespace {

integration cs2_rig() {
  integration x;
  x.id = "gi_3f9a0c1e";
  x.name = "CS2 desk rig";
  x.adapter_type = "cs2";
  return x;
}

} // namespace

TEST_CASE("broker URLs") {
  CHECK_EQ(parse_broker_url("mqtt://127.0.0.1:1883"), broker_url{false, "127.0.0.1", 1883});
  CHECK_EQ(parse_broker_url("mqtts://broker.lan:8884"), broker_url{true, "broker.lan", 8884});
  CHECK_EQ(parse_broker_url("mqtt://broker.lan"), broker_url{false, "broker.lan", 1883});
  CHECK_EQ(parse_broker_url("mqtts://broker.lan"), broker_url{true, "broker.lan", 8883});
  CHECK_EQ(parse_broker_url("mqtt://[::1]:1884"), broker_url{false, "::1", 1884});
  CHECK_FALSE(parse_broker_url("http://broker.lan:1883"));
  CHECK_FALSE(parse_broker_url("mqtt://"));
  CHECK_FALSE(parse_broker_url("mqtt://host:"));
  CHECK_FALSE(parse_broker_url("mqtt://host:0"));
  CHECK_FALSE(parse_broker_url("mqtt://host:65536"));
  CHECK_FALSE(parse_broker_url("mqtt://host:12x"));
  CHECK_FALSE(parse_broker_url("mqtt://host/path"));
  CHECK_FALSE(parse_broker_url("mqtt://user@host"));
}

TEST_CASE("topic names") {
  naming n;
  CHECK_EQ(status_topic(n), "gamelight/status");
  CHECK_EQ(event_topic(n, "gi_3f9a0c1e"), "gamelight/gi_3f9a0c1e/event");
  CHECK_EQ(state_topic(n, "gi_3f9a0c1e"), "gamelight/gi_3f9a0c1e/state");
  CHECK_EQ(enabled_set_topic(n, "gi_3f9a0c1e"), "gamelight/gi_3f9a0c1e/enabled/set");
  CHECK_EQ(enabled_set_filter(n), "gamelight/+/enabled/set");
  CHECK_EQ(ha_status_topic(n), "homeassistant/status");
  CHECK_EQ(integration_of_enabled_set(n, "gamelight/gi_3f9a0c1e/enabled/set"), "gi_3f9a0c1e");
  CHECK_FALSE(integration_of_enabled_set(n, "gamelight//enabled/set"));
  CHECK_FALSE(integration_of_enabled_set(n, "gamelight/a/b/enabled/set"));
  CHECK_FALSE(integration_of_enabled_set(n, "other/gi_1/enabled/set"));
  CHECK_FALSE(integration_of_enabled_set(n, "gamelight/gi_1/state"));
  CHECK_EQ(parse_switch("ON"), true);
  CHECK_EQ(parse_switch("OFF"), false);
  CHECK_FALSE(parse_switch("on"));
  CHECK_FALSE(parse_switch(""));
}

TEST_CASE("event payload") {
  CHECK_EQ(event_payload(1234, "kill", 1764165787123, R"({"round_kills":1,"headshot":true})"),
           R"({"seq":1234,"event_type":"kill","timestamp":"2025-11-26T14:03:07.123Z",)"
           R"("data":{"round_kills":1,"headshot":true}})");
  CHECK_EQ(event_payload(1, "boss", 0, "{}"),
           R"({"seq":1,"event_type":"boss","timestamp":"1970-01-01T00:00:00.000Z","data":{}})");
}

TEST_CASE("state payload") {
  entity_state fresh;
  CHECK_EQ(state_payload(fresh), R"({"enabled":true,"connected":false,"last_event_type":null,)"
                                 R"("last_event_at":null,"event_count":0,"payload_count":0})");
  entity_state busy{false, true, "kill", 1764165787123, 3, 12};
  CHECK_EQ(state_payload(busy),
           R"({"enabled":false,"connected":true,"last_event_type":"kill",)"
           R"("last_event_at":"2025-11-26T14:03:07.123Z","event_count":3,"payload_count":12})");
}

TEST_CASE("announced event types") {
  auto cs2 = cs2_rig();
  auto types = announced_event_types(cs2);
  REQUIRE_FALSE(types.empty());
  CHECK_EQ(types.front(), "round_freezetime");
  CHECK(std::find(types.begin(), types.end(), "bomb_planted") != types.end());
  integration generic;
  generic.adapter_type = "generic";
  generic.adapter_config = R"({"events":["boss_defeated","level_up"]})";
  CHECK_EQ(announced_event_types(generic), std::vector<std::string>{"boss_defeated", "level_up"});
  generic.adapter_config = "{}";
  event_mapping a;
  a.event_type = "b";
  event_mapping b;
  b.event_type = "a";
  generic.event_mappings = {a, b, a};
  CHECK_EQ(announced_event_types(generic), std::vector<std::string>{"b", "a"});
}

TEST_CASE("discovery messages") {
  naming n;
  integration generic;
  generic.id = "gi_0000beef";
  generic.name = "Boss \"rush\"";
  generic.adapter_type = "generic";
  generic.adapter_config = R"({"events":["boss_defeated"]})";
  auto messages = discovery_messages(n, generic);
  REQUIRE_EQ(messages.size(), 3u);
  std::string device
      = R"("device":{"identifiers":["gamelight_gi_0000beef"],"name":"Boss \"rush\"",)"
        R"("manufacturer":"gamelight","model":"Generic JSON"})";
  CHECK_EQ(messages[0].topic, "homeassistant/event/gamelight_gi_0000beef/game/config");
  CHECK_EQ(messages[0].payload,
           R"({"unique_id":"gamelight_gi_0000beef_game",)"
           R"("availability_topic":"gamelight/status","state_topic":"gamelight/gi_0000beef/event",)"
           R"("event_types":["boss_defeated"],)"
               + device + "}");
  CHECK_EQ(messages[1].topic, "homeassistant/binary_sensor/gamelight_gi_0000beef/connected/config");
  CHECK_EQ(messages[1].payload,
           R"({"unique_id":"gamelight_gi_0000beef_connected",)"
           R"("availability_topic":"gamelight/status","device_class":"connectivity",)"
           R"("state_topic":"gamelight/gi_0000beef/state",)"
           R"("value_template":"{{ 'ON' if value_json.connected else 'OFF' }}",)"
               + device + "}");
  CHECK_EQ(messages[2].topic, "homeassistant/switch/gamelight_gi_0000beef/enabled/config");
  CHECK_EQ(messages[2].payload, R"({"unique_id":"gamelight_gi_0000beef_enabled",)"
                                R"("availability_topic":"gamelight/status",)"
                                R"("command_topic":"gamelight/gi_0000beef/enabled/set",)"
                                R"("state_topic":"gamelight/gi_0000beef/state",)"
                                R"("value_template":"{{ 'ON' if value_json.enabled else 'OFF' }}",)"
                                    + device + "}");
  CHECK_EQ(discovery_topics(n, "gi_0000beef"),
           std::vector<std::string>{messages[0].topic, messages[1].topic, messages[2].topic});
  auto cs2 = discovery_messages(naming{"venue", "ha"}, cs2_rig());
  REQUIRE_EQ(cs2.size(), 3u);
  CHECK_EQ(cs2[0].topic, "ha/event/gamelight_gi_3f9a0c1e/game/config");
  CHECK(cs2[0].payload.find(R"("model":"Counter-Strike 2")") != std::string::npos);
  CHECK(cs2[0].payload.find(R"("availability_topic":"venue/status")") != std::string::npos);
  CHECK(discovery_messages(naming{"gamelight", ""}, cs2_rig()).empty());
  CHECK(discovery_topics(naming{"gamelight", ""}, "gi_1").empty());
}

TEST_CASE("reconnect back-off doubles from 1 s to 30 s") {
  std::vector<std::chrono::seconds> delays{first_backoff};
  while (delays.size() < 8)
    delays.push_back(next_backoff(delays.back()));
  CHECK_EQ(delays, std::vector<std::chrono::seconds>{1s, 2s, 4s, 8s, 16s, 30s, 30s, 30s});
}
