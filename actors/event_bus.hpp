#pragma once

#include "actors/interfaces.hpp"
#include "actors/multiplexed.hpp"

#include <caf/typed_event_based_actor.hpp>

#include <map>
#include <string>
#include <vector>

namespace gamelight {

/// The state of the event bus: its subscribers, and the latest configuration and
/// status of every integration, so a subscriber that arrives late starts complete.
struct event_bus_state {
  static inline constexpr const char* name = "event-bus";

  std::vector<event_subscriber_actor> subscribers;
  std::map<std::string, integration, std::less<>> configs;
  std::map<std::string, bus_status, std::less<>> statuses;

  /// Sends a message to every subscriber.
  template <class... Ts>
  void broadcast(event_bus_actor::pointer self, const Ts&... xs) const {
    for (auto& subscriber : subscribers)
      self->send(subscriber, xs...);
  }
};

/// Settings of the event bus. Empty for now; the parameter also keeps CAF 0.17.6 from
/// dereferencing a null `shared_ptr<std::tuple<>>` when it spawns a behavior that takes
/// nothing but `self` (UBSan: "reference binding to null pointer" in init_fun_factory).
struct event_bus_options {};

/// Spawnable behavior of the event bus.
event_bus_actor::behavior_type event_bus(event_bus_actor::stateful_pointer<event_bus_state> self,
                                         event_bus_options options);

/// The event bus scheduled on the multiplexer (see `multiplexed`), next to the
/// integrations that publish to it: an accepted event wakes no scheduler worker unless
/// a subscriber runs on one.
using event_bus_io_actor = multiplexed<caf::stateful_actor<event_bus_state, event_bus_actor::base>>;

/// Spawnable behavior of the event bus on the multiplexer; what the daemon spawns.
event_bus_actor::behavior_type event_bus_io(event_bus_io_actor* self, event_bus_options options);

} // namespace gamelight
