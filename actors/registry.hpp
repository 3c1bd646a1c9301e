#pragma once

#include "actors/device.hpp"
#include "actors/directory.hpp"
#include "actors/integration.hpp"
#include "actors/interfaces.hpp"

#include <caf/typed_event_based_actor.hpp>

#include <map>
#include <optional>
#include <string>

namespace gamelight {

/// The state of the registry: every configured integration and device with the
/// actor that runs it. Only the registry spawns, reconfigures and stops them.
struct registry_state {
  static inline constexpr const char* name = "registry";

  struct integration_entry {
    integration config;
    integration_actor actor;
  };

  struct device_entry {
    device config;
    device_actor actor;
  };

  integration_options integration_opts;
  device_options device_opts;
  std::map<std::string, integration_entry, std::less<>> integrations;
  std::map<std::string, device_entry, std::less<>> devices;
  /// Where HTTP threads look up integration actors; republished on every change.
  std::shared_ptr<integration_directory> directory;
  /// The MQTT actor's last samples for /metrics; nullopt while MQTT is off.
  std::optional<mqtt_metrics> mqtt;

  /// Publishes the current integration actors to `directory`.
  void publish_directory() const;

  /// Returns the enabled devices subscribed to an integration, by device id.
  [[nodiscard]] std::vector<const device_entry*>
  target_entries_of(const std::string& integration_id) const;

  /// Returns the actors of `target_entries_of`.
  [[nodiscard]] std::vector<device_actor> targets_of(const std::string& integration_id) const;
};

/// Spawnable behavior of the registry.
registry_actor::behavior_type registry(registry_actor::stateful_pointer<registry_state> self,
                                       integration_options integration_opts,
                                       device_options device_opts,
                                       std::shared_ptr<integration_directory> directory);

} // namespace gamelight
