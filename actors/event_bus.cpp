#include "actors/event_bus.hpp"

#include <caf/event_based_actor.hpp>

#include <algorithm>

namespace gamelight {

namespace {

using self_pointer = event_bus_actor::stateful_pointer<event_bus_state>;

void remove_subscriber(self_pointer self, const caf::actor_addr& addr) {
  auto& xs = self->state.subscribers;
  xs.erase(std::remove_if(xs.begin(), xs.end(), [&](const auto& x) { return x.address() == addr; }),
           xs.end());
}

} // namespace

event_bus_actor::behavior_type event_bus(self_pointer self, event_bus_options) {
  self->set_down_handler([self](caf::down_msg& msg) { remove_subscriber(self, msg.source); });
  return {
      [self](atom::publish, const shared_bus_event& x) {
        auto& st = self->state;
        st.statuses[x->integration_id] = bus_status{x->integration_id, x->activity};
        st.broadcast(self, atom::publish::value, x);
      },
      [self](atom::publish, const bus_status& x) {
        auto& st = self->state;
        st.statuses[x.integration_id] = x;
        st.broadcast(self, atom::publish::value, x);
      },
      [self](atom::upsert, const integration& x) {
        auto& st = self->state;
        st.configs[x.id] = x;
        st.broadcast(self, atom::upsert::value, x);
      },
      [self](atom::erase, const std::string& id) {
        auto& st = self->state;
        st.configs.erase(id);
        st.statuses.erase(id);
        st.broadcast(self, atom::erase::value, id);
      },
      [self](atom::subscribe, event_subscriber_actor& subscriber) {
        auto& st = self->state;
        for (auto& [id, config] : st.configs) {
          self->send(subscriber, atom::upsert::value, config);
          if (auto i = st.statuses.find(id); i != st.statuses.end())
            self->send(subscriber, atom::publish::value, i->second);
        }
        self->monitor(subscriber);
        st.subscribers.push_back(std::move(subscriber));
        return atom::ok::value;
      },
      [self](atom::unsubscribe, const event_subscriber_actor& subscriber) {
        self->demonitor(subscriber.address());
        remove_subscriber(self, subscriber.address());
      },
  };
}

event_bus_actor::behavior_type event_bus_io(event_bus_io_actor* self, event_bus_options options) {
  return event_bus(self, options);
}

} // namespace gamelight
