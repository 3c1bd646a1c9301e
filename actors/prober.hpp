#pragma once

/// The PROBER actor: runs WLED probes (api.md v1.1, "WLED probe") off the scheduler. A
/// probe blocks on the network for up to its timeout, so spawn it `caf::detached`.

#include "actors/interfaces.hpp"

#include <caf/typed_event_based_actor.hpp>

#include <chrono>

namespace gamelight {

/// The state of the prober: only its settings.
struct prober_state {
  static inline constexpr const char* name = "prober";

  /// How long one probe may take.
  std::chrono::milliseconds timeout{2000};
};

/// Spawnable behavior of the prober:
/// `sys.spawn<caf::detached>(prober, std::chrono::milliseconds{2000})`. Probes run one after
/// the other, each bounded by `timeout`.
prober_actor::behavior_type prober(prober_actor::stateful_pointer<prober_state> self,
                                   std::chrono::milliseconds timeout);

} // namespace gamelight
