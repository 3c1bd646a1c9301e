#pragma once

#include "actors/interfaces.hpp"
#include "actors/mqtt_client.hpp"

#include <caf/typed_event_based_actor.hpp>

#include <map>
#include <memory>
#include <optional>
#include <string>

namespace gamelight {

/// The state of the MQTT actor: the broker connection and what it last heard of each
/// integration, so it can (re)publish discovery and states at any time.
struct mqtt_state {
  static inline constexpr const char* name = "mqtt";

  /// What the actor knows of one integration.
  struct entry {
    /// Null until the registry's upsert arrived.
    std::optional<integration> config;
    integration_activity activity;
    /// A state message is owed at the next flush.
    bool dirty = false;
  };

  mqtt_options options;
  std::unique_ptr<mqtt_client> client;
  store_actor store;
  registry_actor registry;
  /// Whether the broker accepted the connection and it is still up.
  bool connected = false;
  /// Messages handed to the client that it has not written yet.
  std::size_t pending = 0;
  std::uint64_t dropped = 0;
  /// Whether an `atom::flush` is scheduled.
  bool flush_pending = false;
  /// What the registry last heard for /metrics.
  std::optional<mqtt_metrics> reported;
  std::map<std::string, entry, std::less<>> integrations;

  /// Hands one message to the client, or counts it as dropped (down, queue full).
  bool publish(const std::string& topic, const std::string& payload, bool retained);

  /// Publishes the retained state of one integration (known config only).
  void publish_state(const std::string& id, entry& x);

  /// Publishes the retained discovery configs of one integration.
  void publish_discovery(const integration& config);

  /// Publishes discovery and state of every known integration.
  void publish_all();

  /// Publishes empty retained payloads on an integration's config and state topics.
  void clear_retained(const std::string& id);

  /// Returns the samples for /metrics.
  [[nodiscard]] mqtt_metrics metrics() const {
    return {connected, dropped};
  }
};

/// Spawnable behavior of the MQTT actor (spawn it `caf::detached`: stopping its
/// client joins the network thread). Subscribes to the event bus on start;
/// `enabled/set` commands go to the store as a PUT would.
mqtt_actor::behavior_type mqtt_behavior(mqtt_actor::stateful_pointer<mqtt_state> self,
                                        mqtt_options options, event_bus_actor bus,
                                        store_actor store, registry_actor registry);

} // namespace gamelight
