#include "actors/mqtt.hpp"

#include "common/log.hpp"

#include <caf/actor_cast.hpp>
#include <caf/exit_reason.hpp>

#include <algorithm>

namespace gamelight {

namespace {

using self_pointer = mqtt_actor::stateful_pointer<mqtt_state>;

/// Tells the registry the samples for /metrics when they changed.
void report_metrics(self_pointer self) {
  auto& st = self->state;
  auto now = st.metrics();
  if (st.reported == now)
    return;
  st.reported = now;
  self->send(st.registry, atom::metrics::value, now);
}

void schedule_flush(self_pointer self) {
  auto& st = self->state;
  if (st.flush_pending)
    return;
  st.flush_pending = true;
  self->delayed_send(caf::actor_cast<mqtt_actor>(self), st.options.state_interval,
                     atom::flush::value);
}

/// Publishes an integration's state now if no state went out within the interval,
/// else at the next flush (at most one state message per interval while events arrive).
void state_changed(self_pointer self, const std::string& id) {
  auto& st = self->state;
  auto i = st.integrations.find(id);
  if (i == st.integrations.end())
    return;
  if (st.flush_pending) {
    i->second.dirty = true;
    return;
  }
  st.publish_state(id, i->second);
  schedule_flush(self);
}

void flush(self_pointer self) {
  auto& st = self->state;
  st.flush_pending = false;
  bool any = false;
  for (auto& [id, x] : st.integrations)
    if (x.dirty) {
      st.publish_state(id, x);
      any = true;
    }
  // Keep the interval running while states keep changing.
  if (any)
    schedule_flush(self);
  report_metrics(self);
}

void linked(self_pointer self, bool up) {
  auto& st = self->state;
  if (up) {
    st.connected = true;
    st.pending = 0;
    log::info("mqtt connected to ", st.options.broker.host, ":", st.options.broker.port);
    st.client->subscribe(mqtt::enabled_set_filter(st.options.naming));
    if (!st.options.naming.discovery_prefix.empty())
      st.client->subscribe(mqtt::ha_status_topic(st.options.naming));
    st.publish(mqtt::status_topic(st.options.naming), "online", true);
    st.publish_all();
  } else if (st.connected) {
    st.connected = false;
    // What was queued but not written is lost with the connection.
    st.dropped += st.pending;
    st.pending = 0;
    log::warning("mqtt lost the connection to ", st.options.broker.host, ":",
                 st.options.broker.port, "; reconnecting");
  }
  report_metrics(self);
}

void command(self_pointer self, const std::string& topic, const std::string& payload) {
  auto& st = self->state;
  auto& naming = st.options.naming;
  if (!naming.discovery_prefix.empty() && topic == mqtt::ha_status_topic(naming)) {
    // Home Assistant's birth message: it may have lost every entity.
    if (payload == "online")
      st.publish_all();
    return;
  }
  auto id = mqtt::integration_of_enabled_set(naming, topic);
  if (!id)
    return;
  auto value = mqtt::parse_switch(payload);
  auto i = st.integrations.find(*id);
  if (!value || i == st.integrations.end() || !i->second.config) {
    log::warning("mqtt ignores '", payload.substr(0, 16), "' on ", topic);
    return;
  }
  // Exactly a PUT {"enabled": ...}: stored, updated_at moves, and the registry's
  // upsert brings discovery and state back here.
  json body = json::object();
  body["enabled"] = *value;
  self->request(st.store, caf::infinite, atom::update::value, atom::integ::value, *id,
                shared_json{std::make_shared<const json>(std::move(body))})
      .then(
          [id = *id](outcome<json>& result) {
            if (!result)
              log::warning("mqtt could not set enabled of ", id, ": ",
                           result.error().detail.dump());
          },
          [id = *id](caf::error&) { log::warning("mqtt got no answer from the store for ", id); });
}

} // namespace

bool mqtt_state::publish(const std::string& topic, const std::string& payload, bool retained) {
  if (!connected || client == nullptr || pending >= options.max_pending
      || !client->publish(topic, payload, retained ? 1 : 0, retained)) {
    ++dropped;
    return false;
  }
  ++pending;
  return true;
}

void mqtt_state::publish_state(const std::string& id, entry& x) {
  x.dirty = false;
  if (!x.config)
    return;
  if (!connected) {
    // Published again on reconnect; counted like any message that could not go out.
    ++dropped;
    return;
  }
  mqtt::entity_state state;
  state.enabled = x.config->enabled;
  state.connected = x.activity.connected;
  state.last_event_type = x.activity.last_event_type;
  state.last_event_at = x.activity.last_event_at;
  state.event_count = x.activity.event_count;
  state.payload_count = x.activity.payload_count;
  publish(mqtt::state_topic(options.naming, id), mqtt::state_payload(state), true);
}

void mqtt_state::publish_discovery(const integration& config) {
  for (auto& m : mqtt::discovery_messages(options.naming, config))
    publish(m.topic, m.payload, true);
}

void mqtt_state::publish_all() {
  for (auto& [id, x] : integrations)
    if (x.config) {
      publish_discovery(*x.config);
      publish_state(id, x);
    }
}

void mqtt_state::clear_retained(const std::string& id) {
  for (auto& topic : mqtt::discovery_topics(options.naming, id))
    publish(topic, "", true);
  publish(mqtt::state_topic(options.naming, id), "", true);
}

mqtt_actor::behavior_type mqtt_behavior(self_pointer self, mqtt_options options,
                                        event_bus_actor bus, store_actor store,
                                        registry_actor registry) {
  auto& st = self->state;
  st.options = std::move(options);
  st.store = std::move(store);
  st.registry = std::move(registry);
  st.client = std::make_unique<mqtt_client>(st.options, caf::actor_cast<mqtt_actor>(self));
  report_metrics(self);
  self->request(bus, caf::infinite, atom::subscribe::value,
                caf::actor_cast<event_subscriber_actor>(self))
      .then([](atom::ok) {},
            [](caf::error&) { log::error("mqtt could not subscribe to the event bus"); });
  // On shutdown: `offline` while still connected, then a clean disconnect (no Will).
  self->set_exit_handler([self](caf::exit_msg& msg) {
    auto& st = self->state;
    st.publish(mqtt::status_topic(st.options.naming), "offline", true);
    st.client->stop();
    self->quit(msg.reason);
  });
  return {
      [self](atom::publish, const shared_bus_event& x) {
        auto& st = self->state;
        auto& entry = st.integrations[x->integration_id];
        entry.activity = x->activity;
        // While the broker is away an event costs a count, not a JSON rendering.
        if (st.connected)
          st.publish(mqtt::event_topic(st.options.naming, x->integration_id),
                     mqtt::event_payload(x->seq, x->event.event_type, x->timestamp, x->event.data),
                     false);
        else
          ++st.dropped;
        state_changed(self, x->integration_id);
        // Keeps the dropped count in /metrics current while events arrive.
        schedule_flush(self);
      },
      [self](atom::publish, const bus_status& x) {
        auto& st = self->state;
        auto& entry = st.integrations[x.integration_id];
        entry.activity = x.activity;
        st.publish_state(x.integration_id, entry);
      },
      [self](atom::upsert, const integration& x) {
        auto& st = self->state;
        auto& entry = st.integrations[x.id];
        entry.config = x;
        st.publish_discovery(x);
        st.publish_state(x.id, entry);
      },
      [self](atom::erase, const std::string& id) {
        auto& st = self->state;
        st.clear_retained(id);
        st.integrations.erase(id);
      },
      [self](atom::link, bool up) { linked(self, up); },
      [self](atom::command, const std::string& topic, const std::string& payload) {
        command(self, topic, payload);
      },
      [self](atom::sent, std::uint64_t n) {
        auto& st = self->state;
        st.pending -= std::min<std::size_t>(st.pending, n);
      },
      [self](atom::flush) { flush(self); },
  };
}

} // namespace gamelight
