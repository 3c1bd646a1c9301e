#include "actors/registry.hpp"

#include "common/log.hpp"
#include "validation/validation.hpp"

#include <caf/event_based_actor.hpp>
#include <caf/exit_reason.hpp>

#include <algorithm>
#include <set>
#include <tuple>

namespace gamelight {

namespace {

using self_pointer = registry_actor::stateful_pointer<registry_state>;

const char* integration_not_found = R"({"detail":"Game integration not found"})";

bool contains(const std::vector<std::string>& ids, const std::string& id) {
  return std::find(ids.begin(), ids.end(), id) != ids.end();
}

/// Returns whether a change must start the integration from a fresh baseline.
bool needs_new_baseline(const integration& before, const integration& after) {
  return (!before.enabled && after.enabled) || before.adapter_type != after.adapter_type
         || before.adapter_config != after.adapter_config;
}

void spawn_integration(self_pointer self, const integration& config) {
  auto& st = self->state;
  auto actor = self->spawn(integration_io_behavior, config, st.integration_opts);
  self->send(actor, atom::targets::value, st.targets_of(config.id));
  st.integrations[config.id] = registry_state::integration_entry{config, actor};
  st.publish_directory();
}

void stop_integration(self_pointer self, const std::string& id) {
  auto& st = self->state;
  if (auto i = st.integrations.find(id); i != st.integrations.end()) {
    self->send_exit(i->second.actor, caf::exit_reason::user_shutdown);
    st.integrations.erase(i);
    st.publish_directory();
  }
}

void stop_device(self_pointer self, const std::string& id) {
  auto& st = self->state;
  if (auto i = st.devices.find(id); i != st.devices.end()) {
    self->send_exit(i->second.actor, caf::exit_reason::user_shutdown);
    st.devices.erase(i);
  }
}

/// Tells the given integrations which devices they drive now.
void refresh_targets(self_pointer self, const std::set<std::string>& integration_ids) {
  auto& st = self->state;
  for (auto& id : integration_ids)
    if (auto i = st.integrations.find(id); i != st.integrations.end())
      self->send(i->second.actor, atom::targets::value, st.targets_of(id));
}

/// Tells the event bus (MQTT discovery) about a committed integration change.
template <class... Ts>
void tell_bus(self_pointer self, const Ts&... xs) {
  if (auto& bus = self->state.integration_opts.bus)
    self->send(bus, xs...);
}

void upsert_integration(self_pointer self, integration config) {
  tell_bus(self, atom::upsert::value, config);
  auto& st = self->state;
  auto i = st.integrations.find(config.id);
  if (i == st.integrations.end()) {
    spawn_integration(self, config);
    return;
  }
  if (needs_new_baseline(i->second.config, config)) {
    auto id = config.id;
    stop_integration(self, id);
    spawn_integration(self, config);
    return;
  }
  i->second.config = config;
  self->send(i->second.actor, atom::configure::value, std::move(config));
}

void upsert_device(self_pointer self, device config) {
  auto& st = self->state;
  std::set<std::string> affected(config.integration_ids.begin(), config.integration_ids.end());
  auto i = st.devices.find(config.id);
  if (i == st.devices.end()) {
    auto actor = self->spawn(device_io_behavior, config, st.device_opts);
    st.devices[config.id] = registry_state::device_entry{config, actor};
  } else {
    // Effects of integrations that no longer drive this device end now.
    for (auto& old_id : i->second.config.integration_ids) {
      affected.insert(old_id);
      if (!config.enabled || !contains(config.integration_ids, old_id))
        self->send(i->second.actor, atom::clear::value, old_id);
    }
    i->second.config = config;
    self->send(i->second.actor, atom::configure::value, config);
  }
  refresh_targets(self, affected);
}

void reset_all(self_pointer self, std::vector<integration>& integrations,
               std::vector<device>& devices) {
  auto& st = self->state;
  for (auto& [id, entry] : st.integrations)
    if (std::none_of(integrations.begin(), integrations.end(),
                     [&](const integration& x) { return x.id == id; }))
      tell_bus(self, atom::erase::value, id);
  for (auto& config : integrations)
    tell_bus(self, atom::upsert::value, config);
  while (!st.integrations.empty())
    stop_integration(self, st.integrations.begin()->first);
  while (!st.devices.empty())
    stop_device(self, st.devices.begin()->first);
  for (auto& config : devices) {
    auto actor = self->spawn(device_io_behavior, config, st.device_opts);
    st.devices[config.id] = registry_state::device_entry{config, actor};
  }
  for (auto& config : integrations)
    spawn_integration(self, config);
  log::info("registry runs ", st.integrations.size(), " integration(s) and ", st.devices.size(),
            " device(s)");
}

/// Plays the mappings of `event` on the integration's devices, mapping by mapping, each
/// on its devices in the order the API lists them; a device without the mapping's zone
/// plays nothing and is not listed.
outcome<json> test_mapping(self_pointer self, const std::string& id, const game_event& event) {
  auto& st = self->state;
  auto i = st.integrations.find(id);
  if (i == st.integrations.end())
    return problems::not_found("Game integration not found");
  auto& config = i->second.config;
  if (auto refused = validation::check_test_event_type(config, event.event_type))
    return std::move(*refused);
  auto targets = st.target_entries_of(id);
  std::sort(targets.begin(), targets.end(), [](auto* a, auto* b) {
    return std::tie(a->config.created_at, a->config.id)
           < std::tie(b->config.created_at, b->config.id);
  });
  json played = json::array();
  for (auto& mapping : config.event_mappings) {
    if (mapping.event_type != event.event_type)
      continue;
    auto effect = led::make_effect(mapping, event, config.id);
    for (auto* target : targets) {
      auto& zones = target->config.zones;
      if (mapping.zone && std::none_of(zones.begin(), zones.end(), [&](const zone& z) {
            return z.name == *mapping.zone;
          }))
        continue;
      self->send(target->actor, atom::play::value, effect);
      json item = json::object();
      item["device_id"] = target->config.id;
      item["effect"] = std::string{to_string(mapping.effect)};
      item["zone"] = mapping.zone ? json(*mapping.zone) : json(nullptr);
      played.push_back(std::move(item));
    }
  }
  json body = json::object();
  body["played"] = std::move(played);
  return body;
}

} // namespace

void registry_state::publish_directory() const {
  if (!directory)
    return;
  auto next = std::make_shared<integration_directory::map>();
  for (auto& [id, entry] : integrations)
    next->emplace(id, entry.actor);
  directory->publish(std::move(next));
}

std::vector<const registry_state::device_entry*>
registry_state::target_entries_of(const std::string& integration_id) const {
  std::vector<const device_entry*> result;
  for (auto& [id, entry] : devices)
    if (entry.config.enabled && contains(entry.config.integration_ids, integration_id))
      result.push_back(&entry);
  return result;
}

std::vector<device_actor> registry_state::targets_of(const std::string& integration_id) const {
  std::vector<device_actor> result;
  for (auto* entry : target_entries_of(integration_id))
    result.push_back(entry->actor);
  return result;
}

registry_actor::behavior_type registry(self_pointer self, integration_options integration_opts,
                                       device_options device_opts,
                                       std::shared_ptr<integration_directory> directory) {
  self->state.integration_opts = integration_opts;
  self->state.device_opts = device_opts;
  self->state.directory = std::move(directory);
  // An exit request stops every child first, while the state is still alive.
  self->set_exit_handler([self](caf::exit_msg& msg) {
    for (auto& [id, entry] : self->state.integrations)
      self->send_exit(entry.actor, msg.reason);
    for (auto& [id, entry] : self->state.devices)
      self->send_exit(entry.actor, msg.reason);
    self->state.integrations.clear();
    self->state.publish_directory();
    self->quit(msg.reason);
  });
  return {
      [self](atom::ingest, const std::string& id,
             ingest_request& request) -> caf::result<ingest_reply> {
        auto& st = self->state;
        auto i = st.integrations.find(id);
        if (i == st.integrations.end())
          return ingest_reply{404, integration_not_found};
        // Moved out first: CAF 0.17.6's delegate garbles an argument that still refers into
        // the message being handled (the receiver saw an unprintable message).
        ingest_request forwarded = std::move(request);
        return self->delegate(i->second.actor, atom::ingest::value, std::move(forwarded));
      },
      [self](atom::rejected, const std::string& id) {
        auto i = self->state.integrations.find(id);
        if (i == self->state.integrations.end())
          return false;
        self->send(i->second.actor, atom::rejected::value);
        return true;
      },
      [self](atom::status, atom::integ, const std::string& id) -> caf::result<outcome<json>> {
        auto& st = self->state;
        if (auto i = st.integrations.find(id); i != st.integrations.end())
          return self->delegate(i->second.actor, atom::status::value);
        return outcome<json>{problems::not_found("Game integration not found")};
      },
      [self](atom::events, const std::string& id, std::size_t limit) -> caf::result<outcome<json>> {
        auto& st = self->state;
        if (auto i = st.integrations.find(id); i != st.integrations.end())
          return self->delegate(i->second.actor, atom::events::value, limit);
        return outcome<json>{problems::not_found("Game integration not found")};
      },
      [self](atom::status, atom::dev, const std::string& id) -> caf::result<outcome<json>> {
        auto& st = self->state;
        if (auto i = st.devices.find(id); i != st.devices.end())
          return self->delegate(i->second.actor, atom::status::value);
        return outcome<json>{problems::not_found("Device not found")};
      },
      [self](atom::test, const std::string& id, led::effect& effect) {
        auto& st = self->state;
        auto i = st.devices.find(id);
        if (i == st.devices.end())
          return outcome<json>{problems::not_found("Device not found")};
        if (auto refused = validation::check_test_zone(i->second.config, effect.zone))
          return outcome<json>{std::move(*refused)};
        json body = json::object();
        body["played"] = std::string{to_string(effect.kind)};
        self->send(i->second.actor, atom::play::value, std::move(effect));
        return outcome<json>{std::move(body)};
      },
      [self](atom::test, atom::integ, const std::string& id, const game_event& event) {
        return test_mapping(self, id, event);
      },
      [self](atom::lookup, atom::integ, const std::vector<std::string>& ids) {
        using answer = outcome<std::vector<integration_actor>>;
        auto& st = self->state;
        std::vector<integration_actor> result;
        if (ids.empty())
          for (auto& [id, entry] : st.integrations)
            result.push_back(entry.actor);
        for (auto& id : ids) {
          auto i = st.integrations.find(id);
          if (i == st.integrations.end())
            return answer{problems::not_found("Game integration not found")};
          result.push_back(i->second.actor);
        }
        return answer{std::move(result)};
      },
      [self](atom::lookup, atom::dev, const std::string& id) {
        auto& st = self->state;
        if (auto i = st.devices.find(id); i != st.devices.end())
          return outcome<device_actor>{i->second.actor};
        return outcome<device_actor>{problems::not_found("Device not found")};
      },
      [self](atom::metrics) {
        metrics_targets result;
        for (auto& [id, entry] : self->state.integrations)
          result.integrations.push_back(entry.actor);
        for (auto& [id, entry] : self->state.devices)
          result.devices.push_back(entry.actor);
        result.mqtt = self->state.mqtt;
        return result;
      },
      [self](atom::metrics, const mqtt_metrics& x) { self->state.mqtt = x; },
      [self](atom::upsert, integration& config) { upsert_integration(self, std::move(config)); },
      [self](atom::upsert, device& config) { upsert_device(self, std::move(config)); },
      [self](atom::erase, const std::string& id) {
        auto& st = self->state;
        if (auto i = st.devices.find(id); i != st.devices.end()) {
          std::set<std::string> affected(i->second.config.integration_ids.begin(),
                                         i->second.config.integration_ids.end());
          stop_device(self, id);
          refresh_targets(self, affected);
          return;
        }
        if (self->state.integrations.count(id) != 0)
          tell_bus(self, atom::erase::value, id);
        stop_integration(self, id);
      },
      [self](atom::reset, std::vector<integration>& integrations, std::vector<device>& devices) {
        reset_all(self, integrations, devices);
      },
      [](atom::ack, outcome<json>& result) { return std::move(result); },
  };
}

} // namespace gamelight
