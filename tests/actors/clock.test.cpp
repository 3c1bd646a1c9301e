#include "actors/device.hpp"
#include "actors/integration.hpp"
#include "actors/messages.hpp"
#include "adapters/led/layering.hpp"
#include "adapters/led/udp_sender.hpp"
#include "common/time.hpp"

#include <caf/actor_clock.hpp>
#include <doctest/doctest.h>

#include <chrono>
#include <type_traits>

using namespace gamelight;
using namespace std::chrono_literals;

// Every duration the daemon measures runs on a monotonic clock, so setting the wall clock
// back (NTP step, manual change) cannot stretch or cut effects, frame ticks, the connected
// window, latency samples or the resolver back-off. Wall time is only displayed.
static_assert(caf::actor_clock::clock_type::is_steady, "actor clock: ticks, effects, windows");
static_assert(led::effect_stack::time_point::clock::is_steady, "effect layering");
static_assert(led::udp_sender::clock::is_steady, "resolver back-off");
static_assert(decltype(ingest_request::received)::clock::is_steady, "latency histogram");
static_assert(decltype(integration_state::last_payload_seen)::value_type::clock::is_steady,
              "connected window");
static_assert(std::is_same_v<device_state::time_point, caf::actor_clock::time_point>,
              "device frame grid");

TEST_CASE("connected follows monotonic time, whatever the wall-clock timestamps say") {
  integration_state st;
  st.options.connected_window = 30s;
  auto seen = caf::actor_clock::time_point{} + 1000h;
  st.last_payload_seen = seen;
  // The payload was stamped before the wall clock was set back by a day: its displayed
  // timestamp now lies in the future, which changes nothing.
  constexpr unix_ms day = 24 * 3600 * 1000;
  auto stamped = now_unix_ms() + day;
  st.last_payload_at = stamped;
  auto at_29s = st.status(seen + 29s);
  CHECK_EQ(at_29s["connected"], true);
  CHECK_EQ(at_29s["last_payload_at"], format_rfc3339(stamped));
  CHECK_EQ(st.status(seen + 30s)["connected"], false);
}
