/// The daemon (the real gamelightd binary) against a real Mosquitto broker, checked
/// with a real MQTT client: every topic's exact payload and retain flag.

#include "tests/mqtt/broker.hpp"

#include "mqtt/topics.hpp"
#include "tests/http/fixture.hpp"
#include "tests/http/process.hpp"

using namespace gamelight;
using namespace gamelight::test;
using namespace std::chrono_literals;

namespace {

/// A daemon connected to `b`, with an HTTP client for it.
struct daemon_under_test {
  temp_dir dir;
  daemon_process process;
  int port = 0;
  std::unique_ptr<httplib::Client> http;

  explicit daemon_under_test(const std::string& mqtt_url, std::vector<std::string> extra = {},
                             std::vector<std::string> env = {})
      : process(args(dir, mqtt_url, std::move(extra)), std::move(env)) {
    auto bound = process.wait_listening();
    REQUIRE(bound);
    port = *bound;
    http = std::make_unique<httplib::Client>("127.0.0.1", port);
  }

  static std::vector<std::string> args(const temp_dir& dir, const std::string& url,
                                       std::vector<std::string> extra) {
    std::vector<std::string> result{"--port=0", "--data-dir=" + dir.path.string(),
                                    "--mqtt-url=" + url, "--log-level=warning"};
    result.insert(result.end(), extra.begin(), extra.end());
    return result;
  }

  /// Creates a generic integration; returns its object.
  json create(const std::string& name, const std::string& events = R"(["boss_defeated"])") {
    json body = json::object();
    body["name"] = name;
    body["adapter_type"] = "generic";
    body["adapter_config"] = json::object({{"events", json::parse(events)}});
    auto res = http->Post("/api/v1/game-integrations", body.dump(), "application/json");
    REQUIRE(res);
    REQUIRE_EQ(res->status, 201);
    return body_of(res);
  }

  /// Posts one generic payload; returns the HTTP status.
  int post(const std::string& id, const std::string& body) {
    auto res = http->Post("/api/v1/game-integrations/" + id + "/event", body, "application/json");
    REQUIRE(res);
    return res->status;
  }

  /// Returns the value of one metrics line, or -1.
  long long metric(const std::string& name) {
    auto res = http->Get("/metrics");
    REQUIRE(res);
    std::istringstream lines{res->body};
    std::string line;
    while (std::getline(lines, line))
      if (line.rfind(name + " ", 0) == 0)
        return std::stoll(line.substr(name.size() + 1));
    return -1;
  }

  /// Polls /metrics until `name` shows `value`: the MQTT actor reports its link to the
  /// registry after the broker already passed on what the daemon published, so a
  /// subscriber can see "online" before /metrics does.
  long long metric_becomes(const std::string& name, long long value) {
    auto deadline = std::chrono::steady_clock::now() + 10s;
    auto current = metric(name);
    while (current != value && std::chrono::steady_clock::now() < deadline) {
      std::this_thread::sleep_for(20ms);
      current = metric(name);
    }
    return current;
  }
};

std::string state_of(bool enabled, bool connected, long events, long payloads,
                     const std::string& last_type = "", const std::string& last_at = "") {
  return std::string{R"({"enabled":)"} + (enabled ? "true" : "false") + R"(,"connected":)"
         + (connected ? "true" : "false") + R"(,"last_event_type":)"
         + (last_type.empty() ? "null" : "\"" + last_type + "\"") + R"(,"last_event_at":)"
         + (last_at.empty() ? "null" : "\"" + last_at + "\"") + R"(,"event_count":)"
         + std::to_string(events) + R"(,"payload_count":)" + std::to_string(payloads) + "}";
}

auto payload_is(std::string expected) {
  return [expected = std::move(expected)](const received& x) {
    return x.payload == expected;
  };
}

} // namespace

TEST_CASE("MQTT: status, discovery, state and events with their exact payloads and retain flags") {
  broker b;
  b.start();
  client sub{b.port(), {"gamelight/#", "homeassistant/#"}};
  daemon_under_test d{b.url()};
  auto online = sub.wait_for("gamelight/status", 0, payload_is("online"));
  REQUIRE(online);
  CHECK(online->retain);
  auto created = d.create("Boss \"rush\"");
  std::string id = created["id"];
  // Discovery: the three entities of api.md, retained.
  auto game = sub.wait_for("homeassistant/event/gamelight_" + id + "/game/config");
  REQUIRE(game);
  CHECK(game->retain);
  std::string device = R"("device":{"identifiers":["gamelight_)" + id
                       + R"("],"name":"Boss \"rush\"","manufacturer":"gamelight",)"
                         R"("model":"Generic JSON"})";
  CHECK_EQ(game->payload, R"({"unique_id":"gamelight_)" + id
                              + R"(_game","availability_topic":"gamelight/status",)"
                                R"("state_topic":"gamelight/)"
                              + id + R"(/event","event_types":["boss_defeated"],)" + device + "}");
  auto connected
      = sub.wait_for("homeassistant/binary_sensor/gamelight_" + id + "/connected/config");
  REQUIRE(connected);
  CHECK(connected->retain);
  CHECK_EQ(connected->payload,
           R"({"unique_id":"gamelight_)" + id
               + R"(_connected","availability_topic":"gamelight/status",)"
                 R"("device_class":"connectivity","state_topic":"gamelight/)"
               + id + R"(/state","value_template":"{{ 'ON' if value_json.connected else 'OFF' }}",)"
               + device + "}");
  auto enabled = sub.wait_for("homeassistant/switch/gamelight_" + id + "/enabled/config");
  REQUIRE(enabled);
  CHECK(enabled->retain);
  CHECK_EQ(enabled->payload,
           R"({"unique_id":"gamelight_)" + id
               + R"(_enabled","availability_topic":"gamelight/status",)"
                 R"("command_topic":"gamelight/)"
               + id + R"(/enabled/set","state_topic":"gamelight/)" + id
               + R"(/state","value_template":"{{ 'ON' if value_json.enabled else 'OFF' }}",)"
               + device + "}");
  auto state = sub.wait_for("gamelight/" + id + "/state");
  REQUIRE(state);
  CHECK(state->retain);
  CHECK_EQ(state->payload, state_of(true, false, 0, 0));
  // An event: not retained, with the seq and timestamp of GET .../events.
  auto from = sub.mark();
  REQUIRE_EQ(d.post(id, R"({"event_type": "boss_defeated", "data": {"boss": "ganon"}})"), 200);
  auto ring = body_of(d.http->Get("/api/v1/game-integrations/" + id + "/events"));
  REQUIRE_EQ(ring["count"], 1);
  std::string at = ring["events"][0]["timestamp"];
  auto event = sub.wait_for("gamelight/" + id + "/event", from);
  REQUIRE(event);
  CHECK_FALSE(event->retain);
  CHECK_EQ(event->payload, R"({"seq":1,"event_type":"boss_defeated","timestamp":")" + at
                               + R"(","data":{"boss":"ganon"}})");
  CHECK_EQ(ring["events"][0]["seq"], 1);
  // The state follows within a second, with the latest counts.
  auto busy = sub.wait_for("gamelight/" + id + "/state", from,
                           payload_is(state_of(true, true, 1, 1, "boss_defeated", at)), 3s);
  REQUIRE(busy);
  CHECK(busy->retain);
  // A burst: at most one state a second, and the last one carries the final counts.
  from = sub.mark();
  for (int i = 0; i < 20; ++i)
    REQUIRE_EQ(d.post(id, R"({"event_type": "boss_defeated"})"), 200);
  ring = body_of(d.http->Get("/api/v1/game-integrations/" + id + "/events?limit=1"));
  std::string last_at = ring["events"][0]["timestamp"];
  REQUIRE(sub.wait_for("gamelight/" + id + "/state", from,
                       payload_is(state_of(true, true, 21, 21, "boss_defeated", last_at)), 3s));
  CHECK_EQ(sub.all("gamelight/" + id + "/event", from).size(), 20u);
  CHECK_LE(sub.all("gamelight/" + id + "/state", from).size(), 3u);
  CHECK_EQ(d.metric_becomes("gamelight_mqtt_connected", 1), 1);
  CHECK_EQ(d.metric("gamelight_mqtt_dropped_total"), 0);
}

TEST_CASE("MQTT: enabled/set is a real update, discovery and state follow") {
  broker b;
  b.start();
  client sub{b.port(), {"gamelight/#", "homeassistant/#"}};
  daemon_under_test d{b.url()};
  auto created = d.create("switchable");
  std::string id = created["id"];
  REQUIRE(sub.wait_for("gamelight/" + id + "/state", 0, payload_is(state_of(true, false, 0, 0))));
  auto from = sub.mark();
  sub.publish("gamelight/" + id + "/enabled/set", "OFF");
  REQUIRE(
      sub.wait_for("gamelight/" + id + "/state", from, payload_is(state_of(false, false, 0, 0))));
  CHECK(sub.wait_for("homeassistant/switch/gamelight_" + id + "/enabled/config", from));
  auto stored = body_of(d.http->Get("/api/v1/game-integrations/" + id));
  CHECK_EQ(stored["enabled"], false);
  CHECK_NE(stored["updated_at"], created["updated_at"]);
  auto answer = d.http->Post("/api/v1/game-integrations/" + id + "/event",
                             R"({"event_type": "boss_defeated"})", "application/json");
  CHECK_EQ(body_of(answer)["accepted"], false);
  from = sub.mark();
  sub.publish("gamelight/" + id + "/enabled/set", "maybe");
  sub.publish("gamelight/" + id + "/enabled/set", "ON");
  REQUIRE(
      sub.wait_for("gamelight/" + id + "/state", from, payload_is(state_of(true, false, 0, 0))));
  CHECK_EQ(body_of(d.http->Get("/api/v1/game-integrations/" + id))["enabled"], true);
}

TEST_CASE("MQTT: Home Assistant's birth message brings discovery back, delete clears it") {
  broker b;
  b.start();
  client sub{b.port(), {"gamelight/#", "homeassistant/#"}};
  daemon_under_test d{b.url()};
  std::string id = d.create("born")["id"];
  auto config_topic = "homeassistant/event/gamelight_" + id + "/game/config";
  REQUIRE(sub.wait_for(config_topic));
  auto from = sub.mark();
  sub.publish("homeassistant/status", "online");
  auto again = sub.wait_for(config_topic, from);
  REQUIRE(again);
  CHECK(again->retain);
  CHECK(sub.wait_for("homeassistant/binary_sensor/gamelight_" + id + "/connected/config", from));
  CHECK(sub.wait_for("homeassistant/switch/gamelight_" + id + "/enabled/config", from));
  // Delete: empty retained payloads on the three configs and the state.
  from = sub.mark();
  REQUIRE_EQ(d.http->Delete("/api/v1/game-integrations/" + id)->status, 204);
  for (auto topic :
       {config_topic, "homeassistant/binary_sensor/gamelight_" + id + "/connected/config",
        "homeassistant/switch/gamelight_" + id + "/enabled/config", "gamelight/" + id + "/state"}) {
    auto cleared = sub.wait_for(topic, from, payload_is(""));
    REQUIRE_MESSAGE(cleared, topic);
    CHECK(cleared->retain);
  }
  // A new subscriber finds nothing retained for it any more.
  client late{b.port(), {"gamelight/" + id + "/#", "homeassistant/+/gamelight_" + id + "/#"}};
  CHECK_FALSE(late.wait_for(config_topic, 0, {}, 300ms));
}

TEST_CASE("MQTT: the Last Will says offline after kill -9, a clean stop says offline too") {
  broker b;
  b.start();
  client sub{b.port(), {"gamelight/status"}};
  {
    daemon_under_test d{b.url()};
    REQUIRE(sub.wait_for("gamelight/status", 0, payload_is("online")));
    auto from = sub.mark();
    d.process.signal(SIGKILL);
    CHECK_EQ(d.process.wait(), 128 + SIGKILL);
    auto will = sub.wait_for("gamelight/status", from, payload_is("offline"));
    REQUIRE(will);
    CHECK(will->retain);
  }
  auto from = sub.mark();
  daemon_under_test d{b.url()};
  REQUIRE(sub.wait_for("gamelight/status", from, payload_is("online")));
  from = sub.mark();
  d.process.signal(SIGTERM);
  CHECK_EQ(d.process.wait(), 0);
  auto bye = sub.wait_for("gamelight/status", from, payload_is("offline"));
  REQUIRE(bye);
  CHECK(bye->retain);
}

TEST_CASE("MQTT: broker down at start, killed mid-match and restarted") {
  broker b;
  // Down at start: ingestion answers (a payload held up by the broker would be a 503
  // after actor-timeout) and what cannot go out is counted. No wall-clock bound here:
  // a busy machine must not fail the test; bench/mqtt measures the speed.
  daemon_under_test d{b.url()};
  std::string id = d.create("resilient")["id"];
  for (int i = 0; i < 50; ++i)
    REQUIRE_EQ(d.post(id, R"({"event_type": "boss_defeated"})"), 200);
  CHECK_EQ(d.metric("gamelight_mqtt_connected"), 0);
  // The dropped count reaches /metrics (within the state interval; generous for a busy
  // machine).
  auto deadline = std::chrono::steady_clock::now() + 10s;
  while (d.metric("gamelight_mqtt_dropped_total") < 50
         && std::chrono::steady_clock::now() < deadline)
    std::this_thread::sleep_for(50ms);
  CHECK_GE(d.metric("gamelight_mqtt_dropped_total"), 50);
  // The broker comes up: status, discovery and the current state arrive (back-off ≤ 30 s).
  b.start();
  client sub{b.port(), {"gamelight/#", "homeassistant/#"}};
  REQUIRE(sub.wait_for("gamelight/status", 0, payload_is("online"), 35s));
  REQUIRE(sub.wait_for("homeassistant/event/gamelight_" + id + "/game/config"));
  auto state = sub.wait_for("gamelight/" + id + "/state");
  REQUIRE(state);
  CHECK_NE(state->payload.find(R"("event_count":50,"payload_count":50)"), std::string::npos);
  CHECK_EQ(d.metric_becomes("gamelight_mqtt_connected", 1), 1);
  // Killed mid-match: the Will says offline, ingestion goes on.
  b.kill();
  for (int i = 0; i < 50; ++i)
    REQUIRE_EQ(d.post(id, R"({"event_type": "boss_defeated"})"), 200);
  // Restarted (it lost every retained message): everything is published again.
  b.start();
  client fresh{b.port(), {"gamelight/#", "homeassistant/#"}};
  REQUIRE(fresh.wait_for("gamelight/status", 0, payload_is("online"), 10s));
  REQUIRE(fresh.wait_for("homeassistant/switch/gamelight_" + id + "/enabled/config"));
  REQUIRE(fresh.wait_for("gamelight/" + id + "/state", 0, [](const received& x) {
    return x.payload.find(R"("event_count":100,"payload_count":100)") != std::string::npos;
  }));
  auto from = fresh.mark();
  REQUIRE_EQ(d.post(id, R"({"event_type": "boss_defeated", "data": {"n": 101}})"), 200);
  auto event = fresh.wait_for("gamelight/" + id + "/event", from);
  REQUIRE(event);
  CHECK_NE(event->payload.find(R"("seq":101,)"), std::string::npos);
}

TEST_CASE("MQTT: user name from the options, password from GAMELIGHT_MQTT_PASSWORD") {
  broker b{"lights", "s3cret-pass"};
  b.start();
  client sub{b.port(), {"gamelight/status"}, "lights", "s3cret-pass"};
  {
    // A wrong password: the broker refuses, the daemon keeps running and says so.
    daemon_under_test d{b.url(), {"--mqtt-username=lights"}, {"GAMELIGHT_MQTT_PASSWORD=wrong"}};
    CHECK_FALSE(sub.wait_for("gamelight/status", 0, payload_is("online"), 1500ms));
    CHECK_EQ(d.metric("gamelight_mqtt_connected"), 0);
    CHECK_EQ(d.http->Get("/api/v1/health")->status, 200);
  }
  daemon_under_test d{b.url(), {"--mqtt-username=lights"}, {"GAMELIGHT_MQTT_PASSWORD=s3cret-pass"}};
  REQUIRE(sub.wait_for("gamelight/status", 0, payload_is("online")));
  CHECK_EQ(d.metric_becomes("gamelight_mqtt_connected", 1), 1);
}
