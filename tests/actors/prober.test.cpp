#include "actors/prober.hpp"

#include "tests/probe/fake_wled.hpp"

#include <caf/actor_system.hpp>
#include <caf/actor_system_config.hpp>
#include <caf/exit_reason.hpp>
#include <caf/scoped_actor.hpp>
#include <doctest/doctest.h>

#include <chrono>
#include <string>

using namespace gamelight;
using namespace std::chrono_literals;

namespace {

/// Asks the prober and waits for its answer (a real, threaded actor system: the prober is
/// spawned detached, as in the daemon).
json ask(caf::actor_system& sys, const prober_actor& aut, const std::string& host,
         std::uint16_t port) {
  caf::scoped_actor self{sys};
  json result;
  self->request(aut, caf::infinite, atom::probe::value, host, port)
      .receive([&](json& x) { result = std::move(x); },
               [&](const caf::error& e) { FAIL("prober failed: " << sys.render(e)); });
  return result;
}

} // namespace

TEST_CASE("prober: a detached actor answers probes with the probe route's body") {
  caf::actor_system_config cfg;
  caf::actor_system sys{cfg};
  auto aut = sys.spawn<caf::detached>(prober, std::chrono::milliseconds{2000});
  {
    testing::fake_wled wled{testing::info(testing::wled_info_body)};
    CHECK(ask(sys, aut, "127.0.0.1", wled.port()).dump()
          == R"({"reachable":true,"name":"WLED-Desk","version":"0.14.4","led_count":120,)"
             R"("mac":"a4cf12fdaeb4"})");
    CHECK(wled.paths() == std::vector<std::string>{"GET /json/info"});
  }
  testing::fake_wled missing{[](httplib::Server&) {
  }};
  auto x = ask(sys, aut, "127.0.0.1", missing.port());
  CHECK(x == json{{"reachable", false}, {"detail", "not a WLED answer: HTTP 404 for /json/info"}});
  caf::anon_send_exit(aut, caf::exit_reason::user_shutdown);
}
