#include "actors/integration.hpp"

#include "adapters/led/effects.hpp"
#include "common/log.hpp"
#include "common/time.hpp"

namespace gamelight {

namespace {

/// Renders `{"accepted": true, "events": [...]}`. Event names need no escaping:
/// every adapter restricts them to `[a-z0-9_.-]`.
std::string accepted_body(const std::vector<game_event>& events) {
  std::string body = R"({"accepted":true,"events":[)";
  for (std::size_t i = 0; i < events.size(); ++i) {
    if (i > 0)
      body += ',';
    body += '"';
    body += events[i].event_type;
    body += '"';
  }
  body += "]}";
  return body;
}

ingest_reply refusal(int status, const std::string& detail, bool as_validation_list) {
  json body = json::object();
  if (as_validation_list) {
    json item = json::object();
    item["loc"] = json::array({"body"});
    item["msg"] = detail;
    item["type"] = "value_error";
    body["detail"] = json::array({std::move(item)});
  } else {
    body["detail"] = detail;
  }
  return ingest_reply{status, body.dump()};
}

json timestamp_or_null(const std::optional<unix_ms>& t) {
  return t ? json(format_rfc3339(*t)) : json(nullptr);
}

} // namespace

std::uint64_t integration_state::rejected_count() const {
  return rejected_malformed + rejected_unauthorized + rejected_invalid + rejected_too_large;
}

const recorded_event& integration_state::record(const game_event& event, unix_ms now) {
  ++event_count;
  auto i = events_by_type.find(event.event_type);
  if (i == events_by_type.end())
    events_by_type.emplace(event.event_type, 1);
  else
    ++i->second;
  last_event_at = now;
  if (ring.size() == options.ring_size)
    ring.pop_back();
  ring.push_front(recorded_event{event, now, options.sequence->next()});
  return ring.front();
}

integration_activity integration_state::activity() const {
  integration_activity result;
  result.connected = connected;
  result.payload_count = payload_count;
  result.event_count = event_count;
  if (!ring.empty())
    result.last_event_type = ring.front().event.event_type;
  result.last_event_at = last_event_at;
  return result;
}

void integration_state::observe_latency(std::chrono::steady_clock::duration d) {
  auto seconds = std::chrono::duration<double>(d).count();
  latency_sum_seconds += seconds;
  std::size_t bucket = 0;
  while (bucket < latency_buckets.size() && seconds > latency_buckets[bucket])
    ++bucket;
  ++latency_counts[bucket];
}

json integration_state::status(caf::actor_clock::time_point now) const {
  json result = json::object();
  result["integration_id"] = config.id;
  result["enabled"] = config.enabled;
  result["connected"]
      = last_payload_seen.has_value() && now - *last_payload_seen < options.connected_window;
  result["last_payload_at"] = timestamp_or_null(last_payload_at);
  result["last_event_at"] = timestamp_or_null(last_event_at);
  result["payload_count"] = payload_count;
  result["event_count"] = event_count;
  result["rejected_count"] = rejected_count();
  json by_type = json::object();
  for (auto& [type, count] : events_by_type)
    by_type[type] = count;
  result["events_by_type"] = std::move(by_type);
  return result;
}

json integration_state::recent_events(std::size_t limit) const {
  json list = json::array();
  for (std::size_t i = 0; i < ring.size() && i < limit; ++i) {
    auto& entry = ring[i];
    json item = json::object();
    item["seq"] = entry.seq;
    item["event_type"] = entry.event.event_type;
    item["timestamp"] = format_rfc3339(entry.timestamp);
    item["data"] = json::parse(entry.event.data, nullptr, false);
    list.push_back(std::move(item));
  }
  json result = json::object();
  result["integration_id"] = config.id;
  result["count"] = list.size();
  result["events"] = std::move(list);
  return result;
}

std::vector<shared_bus_event> integration_state::events_after(std::uint64_t after) const {
  std::vector<shared_bus_event> result;
  // The ring holds the newest first.
  for (auto i = ring.rbegin(); i != ring.rend(); ++i)
    if (i->seq > after)
      result.push_back(std::make_shared<const bus_event>(
          bus_event{i->seq, config.id, i->event, i->timestamp, integration_activity{}}));
  return result;
}

integration_metrics integration_state::metrics() const {
  integration_metrics result;
  result.integration_id = config.id;
  result.payloads = payload_count;
  result.rejected_malformed = rejected_malformed;
  result.rejected_unauthorized = rejected_unauthorized;
  result.rejected_invalid = rejected_invalid;
  result.rejected_too_large = rejected_too_large;
  result.events_by_type.assign(events_by_type.begin(), events_by_type.end());
  // Prometheus buckets are cumulative.
  std::uint64_t running = 0;
  for (std::size_t i = 0; i < latency_counts.size(); ++i) {
    running += latency_counts[i];
    result.latency_counts[i] = running;
  }
  result.latency_sum_seconds = latency_sum_seconds;
  return result;
}

namespace {

using self_pointer = integration_actor::stateful_pointer<integration_state>;

/// Tells the event bus this integration's `connected` and counters.
void publish_status(self_pointer self) {
  auto& st = self->state;
  if (st.options.bus)
    self->send(st.options.bus, atom::publish::value, bus_status{st.config.id, st.activity()});
}

/// Notes an accepted payload: `connected` turns true, and one check is scheduled for
/// when the window would pass (not one per payload).
void saw_payload(self_pointer self) {
  auto& st = self->state;
  st.last_payload_seen = self->clock().now();
  if (!st.connected) {
    st.connected = true;
    publish_status(self);
  }
  if (!st.window_pending) {
    st.window_pending = true;
    self->delayed_send(caf::actor_cast<integration_actor>(self), st.options.connected_window,
                       atom::window::value);
  }
}

/// Flips `connected` off once the window passed without a payload, or checks again
/// when the window of the latest payload ends.
void check_window(self_pointer self) {
  auto& st = self->state;
  st.window_pending = false;
  if (!st.last_payload_seen)
    return;
  auto elapsed = self->clock().now() - *st.last_payload_seen;
  if (elapsed >= st.options.connected_window) {
    if (st.connected) {
      st.connected = false;
      publish_status(self);
    }
    return;
  }
  st.window_pending = true;
  self->delayed_send(caf::actor_cast<integration_actor>(self),
                     st.options.connected_window - elapsed, atom::window::value);
}

} // namespace

integration_actor::behavior_type
integration_behavior(integration_actor::stateful_pointer<integration_state> self,
                     integration config, integration_options options) {
  auto& st = self->state;
  if (auto adapter = games::find_adapter(config.adapter_type))
    st.session = adapter->make_session(json::parse(config.adapter_config, nullptr, false));
  else
    log::error("integration ", config.id, " has unknown adapter type ", config.adapter_type);
  st.config = std::move(config);
  st.options = std::move(options);
  // A fresh actor means fresh counters: subscribers reset what they show.
  publish_status(self);
  return {
      [self](atom::ingest, ingest_request& request) -> ingest_reply {
        auto& st = self->state;
        if (st.session == nullptr)
          return ingest_reply{503, R"({"detail":"integration misconfigured"})"};
        if (!st.config.enabled)
          return ingest_reply{200, R"({"accepted":false,"reason":"integration disabled"})"};
        st.scratch.clear();
        games::payload input{request.buffer->data(), request.size, request.buffer->size(),
                             request.header_token};
        auto outcome = st.session->ingest(input, st.scratch);
        ingest_reply answer;
        switch (outcome.status) {
          case games::ingest_status::malformed:
            ++st.rejected_malformed;
            answer = refusal(400, outcome.detail, false);
            break;
          case games::ingest_status::unauthorized:
            ++st.rejected_unauthorized;
            answer = refusal(401, outcome.detail, false);
            break;
          case games::ingest_status::invalid:
            ++st.rejected_invalid;
            answer = refusal(422, outcome.detail, true);
            break;
          case games::ingest_status::ok: {
            auto now = now_unix_ms();
            ++st.payload_count;
            st.last_payload_at = now;
            saw_payload(self);
            for (auto& event : st.scratch) {
              auto& recorded = st.record(event, now);
              if (st.options.bus)
                self->send(st.options.bus, atom::publish::value,
                           std::make_shared<const bus_event>(
                               bus_event{recorded.seq, st.config.id, event, now, st.activity()}));
              // Two mappings for one event play in mapping order (the later is newer).
              for (auto& mapping : st.config.event_mappings) {
                if (mapping.event_type != event.event_type)
                  continue;
                auto effect = led::make_effect(mapping, event, st.config.id);
                for (auto& target : st.targets)
                  self->send(target, atom::play::value, effect);
              }
            }
            answer = ingest_reply{200, accepted_body(st.scratch)};
            break;
          }
        }
        st.observe_latency(std::chrono::steady_clock::now() - request.received);
        return answer;
      },
      [self](atom::rejected) { ++self->state.rejected_too_large; },
      [self](atom::configure, integration& update) { self->state.config = std::move(update); },
      [self](atom::targets, std::vector<device_actor>& targets) {
        self->state.targets = std::move(targets);
      },
      [self](atom::status) { return outcome<json>{self->state.status(self->clock().now())}; },
      [self](atom::events, std::size_t limit) {
        return outcome<json>{self->state.recent_events(limit)};
      },
      [self](atom::events, atom::replay, std::uint64_t after) {
        return self->state.events_after(after);
      },
      [self](atom::metrics) {
        auto result = self->state.metrics();
        result.mailbox_depth = self->mailbox().size();
        return result;
      },
      [self](atom::window) { check_window(self); },
  };
}

integration_actor::behavior_type integration_io_behavior(integration_io_actor* self,
                                                         integration config,
                                                         integration_options options) {
  return integration_behavior(self, std::move(config), std::move(options));
}

} // namespace gamelight
