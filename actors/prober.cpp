#include "actors/prober.hpp"

#include <string>

#include "probe/wled_probe.hpp"

namespace gamelight {

prober_actor::behavior_type prober(prober_actor::stateful_pointer<prober_state> self,
                                   std::chrono::milliseconds timeout) {
  self->state.timeout = timeout;
  return {
      [self](atom::probe, const std::string& host, std::uint16_t port) -> json {
        return probe::probe_wled(host, port, self->state.timeout);
      },
  };
}

} // namespace gamelight
