#include "adapters/led/udp_sender.hpp"

#include "tests/led/udp_receiver.hpp"

#include <doctest/doctest.h>

#include <chrono>
#include <thread>

using namespace gamelight;
using namespace gamelight::led;
using gamelight::testing::udp_receiver;

namespace {

using bytes = std::vector<std::uint8_t>;

/// Sends until `sender` counts an error (the ICMP answer to a datagram shows up on a later
/// send) or `attempts` datagrams went out.
void send_until_error(udp_sender& sender, int attempts) {
  bytes payload{1, 2, 3};
  for (int i = 0; i < attempts && sender.errors() == 0; ++i) {
    sender.send(payload);
    std::this_thread::sleep_for(std::chrono::milliseconds{5});
  }
}

} // namespace

TEST_CASE("IP literals are recognized and resolved without DNS") {
  CHECK(is_ip_literal("127.0.0.1"));
  CHECK(is_ip_literal("::1"));
  CHECK(is_ip_literal("[::1]"));
  CHECK(is_ip_literal("fe80::1%lo"));
  CHECK_FALSE(is_ip_literal("wled.local"));
  CHECK_FALSE(is_ip_literal("256.1.1.1"));
  auto v4 = resolve("192.168.1.50", 4048, true);
  REQUIRE(v4.target);
  CHECK(v4.target->family() == AF_INET);
  auto v6 = resolve("[2001:db8::1]", 4048, true);
  REQUIRE(v6.target);
  CHECK(v6.target->family() == AF_INET6);
  auto name = resolve("wled.local", 4048, true);
  CHECK_FALSE(name.target);
  CHECK_FALSE(name.error.empty());
}

TEST_CASE("udp_sender delivers the exact bytes over IPv4") {
  udp_receiver wled;
  udp_sender sender;
  sender.open(wled.host(), wled.port());
  REQUIRE(sender.ready());
  bytes first{0x41, 0x01, 0x0B, 0x01, 0, 0, 0, 0, 0, 3, 255, 128, 0};
  bytes second(1450, 0xAB);
  CHECK(sender.send(first));
  CHECK(sender.send(second));
  CHECK(wled.receive() == first);
  CHECK(wled.receive() == second);
  CHECK(sender.sent() == 2);
  CHECK(sender.errors() == 0);
  CHECK(sender.last_error().empty());
}

TEST_CASE("udp_sender delivers over IPv6") {
  std::optional<udp_receiver> wled;
  try {
    wled.emplace(AF_INET6);
  } catch (const std::exception&) {
    MESSAGE("no IPv6 loopback here; skipped");
    return;
  }
  udp_sender sender;
  sender.open("[::1]", wled->port());
  REQUIRE(sender.ready());
  bytes payload{4, 2, 0, 0, 1, 2, 3};
  CHECK(sender.send(payload));
  CHECK(wled->receive() == payload);
}

TEST_CASE("udp_sender counts errors to a closed port without throwing") {
  udp_receiver wled;
  auto port = wled.port();
  wled.close();
  udp_sender sender;
  sender.open("127.0.0.1", port);
  REQUIRE(sender.ready());
  send_until_error(sender, 50);
  CHECK(sender.errors() >= 1);
  CHECK_FALSE(sender.last_error().empty());
}

TEST_CASE("udp_sender counts errors for an unresolvable host without blocking") {
  udp_sender sender;
  auto before = std::chrono::steady_clock::now();
  sender.open("no-such-host.invalid", 4048);
  CHECK_FALSE(sender.ready());
  bytes payload{1, 2, 3};
  CHECK_FALSE(sender.send(payload));
  CHECK(std::chrono::steady_clock::now() - before < std::chrono::milliseconds{500});
  CHECK(sender.errors() == 1);
  // The background lookup fails; sending keeps failing and counting. At least one more
  // send, also when the lookup failed before the first one (a fast resolver): the count
  // must not depend on how quickly the lookup thread ran.
  int tries = 0;
  do {
    std::this_thread::sleep_for(std::chrono::milliseconds{50});
    sender.send(payload);
  } while (sender.last_error().find("cannot resolve") == std::string::npos && ++tries < 200);
  CHECK(sender.last_error().find("cannot resolve") != std::string::npos);
  CHECK_FALSE(sender.ready());
  CHECK(sender.errors() >= 2);
}

TEST_CASE("udp_sender looks hostnames up in the background") {
  auto local = resolve("localhost", 0);
  if (!local.target) {
    MESSAGE("localhost does not resolve here; skipped");
    return;
  }
  udp_receiver wled(local.target->family());
  udp_sender sender;
  sender.open("localhost", wled.port());
  bytes payload{9, 8, 7};
  for (int i = 0; i < 200 && !sender.ready(); ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds{10});
    sender.send(payload);
  }
  REQUIRE(sender.ready());
  CHECK(sender.send(payload));
  CHECK(wled.receive() == payload);
}

TEST_CASE("udp_sender without a target counts errors") {
  udp_sender sender;
  bytes payload{1};
  CHECK_FALSE(sender.send(payload));
  CHECK(sender.errors() == 1);
  CHECK(sender.last_error() == "not open");
  udp_sender moved{std::move(sender)};
  CHECK(moved.errors() == 1);
}
