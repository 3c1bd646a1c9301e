#include "mqtt/topics.hpp"

#include "adapters/games/game_adapter.hpp"
#include "common/time.hpp"

#include <algorithm>
#include <charconv>

namespace gamelight::mqtt {

namespace {

json timestamp_or_null(const std::optional<unix_ms>& t) {
  return t ? json(format_rfc3339(*t)) : json(nullptr);
}

/// Returns the `device` block shared by the three entities of an integration.
json device_block(const integration& x) {
  json device = json::object();
  device["identifiers"] = json::array({"gamelight_" + x.id});
  device["name"] = x.name;
  device["manufacturer"] = "gamelight";
  auto adapter = games::find_adapter(x.adapter_type);
  device["model"] = adapter != nullptr ? std::string{adapter->display_name()} : x.adapter_type;
  return device;
}

/// Returns the keys every entity starts with.
json entity(const naming& n, const integration& x, const char* object) {
  json config = json::object();
  config["unique_id"] = "gamelight_" + x.id + "_" + object;
  config["availability_topic"] = status_topic(n);
  return config;
}

std::string config_topic(const naming& n, const char* component, std::string_view id,
                         const char* object) {
  return n.discovery_prefix + "/" + component + "/gamelight_" + std::string{id} + "/" + object
         + "/config";
}

} // namespace

std::optional<broker_url> parse_broker_url(std::string_view text) {
  broker_url result;
  if (text.starts_with("mqtt://")) {
    text.remove_prefix(7);
  } else if (text.starts_with("mqtts://")) {
    text.remove_prefix(8);
    result.tls = true;
    result.port = 8883;
  } else {
    return std::nullopt;
  }
  std::string_view host;
  std::string_view rest;
  if (text.starts_with('[')) {
    auto close = text.find(']');
    if (close == std::string_view::npos)
      return std::nullopt;
    host = text.substr(1, close - 1);
    rest = text.substr(close + 1);
  } else {
    auto colon = text.find(':');
    host = text.substr(0, colon);
    rest = colon == std::string_view::npos ? std::string_view{} : text.substr(colon);
  }
  if (host.empty() || host.find_first_of("/?#@ ") != std::string_view::npos)
    return std::nullopt;
  result.host = std::string{host};
  if (rest.empty())
    return result;
  if (!rest.starts_with(':') || rest.size() == 1)
    return std::nullopt;
  rest.remove_prefix(1);
  unsigned port = 0;
  auto [end, ec] = std::from_chars(rest.data(), rest.data() + rest.size(), port);
  if (ec != std::errc{} || end != rest.data() + rest.size() || port == 0 || port > 65535)
    return std::nullopt;
  result.port = static_cast<std::uint16_t>(port);
  return result;
}

std::string status_topic(const naming& n) {
  return n.prefix + "/status";
}

std::string event_topic(const naming& n, std::string_view integration_id) {
  return n.prefix + "/" + std::string{integration_id} + "/event";
}

std::string state_topic(const naming& n, std::string_view integration_id) {
  return n.prefix + "/" + std::string{integration_id} + "/state";
}

std::string enabled_set_topic(const naming& n, std::string_view integration_id) {
  return n.prefix + "/" + std::string{integration_id} + "/enabled/set";
}

std::string enabled_set_filter(const naming& n) {
  return n.prefix + "/+/enabled/set";
}

std::string ha_status_topic(const naming& n) {
  return n.discovery_prefix + "/status";
}

std::optional<std::string> integration_of_enabled_set(const naming& n, std::string_view topic) {
  auto head = n.prefix + "/";
  constexpr std::string_view tail = "/enabled/set";
  if (!topic.starts_with(head) || !topic.ends_with(tail)
      || topic.size() <= head.size() + tail.size())
    return std::nullopt;
  auto id = topic.substr(head.size(), topic.size() - head.size() - tail.size());
  if (id.find('/') != std::string_view::npos)
    return std::nullopt;
  return std::string{id};
}

std::optional<bool> parse_switch(std::string_view payload) {
  if (payload == "ON")
    return true;
  if (payload == "OFF")
    return false;
  return std::nullopt;
}

std::string event_payload(std::uint64_t seq, std::string_view event_type, unix_ms timestamp,
                          std::string_view data) {
  json body = json::object();
  body["seq"] = seq;
  body["event_type"] = event_type;
  body["timestamp"] = format_rfc3339(timestamp);
  auto parsed = json::parse(data, nullptr, false);
  body["data"] = parsed.is_discarded() ? json::object() : std::move(parsed);
  return body.dump();
}

std::string state_payload(const entity_state& x) {
  json body = json::object();
  body["enabled"] = x.enabled;
  body["connected"] = x.connected;
  body["last_event_type"] = x.last_event_type ? json(*x.last_event_type) : json(nullptr);
  body["last_event_at"] = timestamp_or_null(x.last_event_at);
  body["event_count"] = x.event_count;
  body["payload_count"] = x.payload_count;
  return body.dump();
}

std::vector<std::string> announced_event_types(const integration& x) {
  std::vector<std::string> result;
  auto adapter = games::find_adapter(x.adapter_type);
  if (adapter != nullptr)
    for (auto& e : adapter->supported_events())
      result.emplace_back(e.event_type);
  if (!result.empty())
    return result;
  auto config = json::parse(x.adapter_config, nullptr, false);
  if (config.is_object())
    if (auto it = config.find("events"); it != config.end() && it->is_array()) {
      for (auto& name : *it)
        if (name.is_string())
          result.push_back(name.get<std::string>());
      return result;
    }
  for (auto& m : x.event_mappings)
    if (std::find(result.begin(), result.end(), m.event_type) == result.end())
      result.push_back(m.event_type);
  return result;
}

std::vector<message> discovery_messages(const naming& n, const integration& x) {
  std::vector<message> result;
  if (n.discovery_prefix.empty())
    return result;
  auto state = state_topic(n, x.id);
  auto game = entity(n, x, "game");
  game["state_topic"] = event_topic(n, x.id);
  game["event_types"] = announced_event_types(x);
  game["device"] = device_block(x);
  result.push_back({config_topic(n, "event", x.id, "game"), game.dump()});
  auto connected = entity(n, x, "connected");
  connected["device_class"] = "connectivity";
  connected["state_topic"] = state;
  connected["value_template"] = "{{ 'ON' if value_json.connected else 'OFF' }}";
  connected["device"] = device_block(x);
  result.push_back({config_topic(n, "binary_sensor", x.id, "connected"), connected.dump()});
  auto enabled = entity(n, x, "enabled");
  enabled["command_topic"] = enabled_set_topic(n, x.id);
  enabled["state_topic"] = state;
  enabled["value_template"] = "{{ 'ON' if value_json.enabled else 'OFF' }}";
  enabled["device"] = device_block(x);
  result.push_back({config_topic(n, "switch", x.id, "enabled"), enabled.dump()});
  return result;
}

std::vector<std::string> discovery_topics(const naming& n, std::string_view integration_id) {
  if (n.discovery_prefix.empty())
    return {};
  return {config_topic(n, "event", integration_id, "game"),
          config_topic(n, "binary_sensor", integration_id, "connected"),
          config_topic(n, "switch", integration_id, "enabled")};
}

std::chrono::seconds next_backoff(std::chrono::seconds current) {
  if (current < first_backoff)
    return first_backoff;
  return std::min(current * 2, max_backoff);
}

} // namespace gamelight::mqtt
