#include "http/acceptor.hpp"

#include <caf/actor_system.hpp>
#include <caf/actor_system_config.hpp>
#include <caf/exit_reason.hpp>
#include <caf/io/middleman.hpp>
#include <caf/io/network/multiplexer.hpp>
#include <caf/scoped_actor.hpp>
#include <doctest/doctest.h>

#include <arpa/inet.h>
#include <chrono>
#include <future>
#include <netinet/in.h>
#include <sys/socket.h>

using namespace gamelight;

namespace {

/// Returns whether `fd` is an open socket bound to `port` on loopback: a listening
/// socket that nothing released. A descriptor closed and reused meanwhile by another
/// socket or file does not count.
bool bound_to(int fd, std::uint16_t port) {
  sockaddr_in addr{};
  socklen_t size = sizeof addr;
  if (::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &size) != 0)
    return false;
  return addr.sin_family == AF_INET && ntohs(addr.sin_port) == port;
}

/// Runs `fun` on the multiplexer's thread in a round of its own and waits for it: what
/// the rounds before it left to apply is applied then.
template <class F>
void in_next_round(caf::io::network::multiplexer& loop, F fun) {
  std::promise<void> done;
  loop.post([&] {
    fun();
    done.set_value();
  });
  done.get_future().wait();
}

} // namespace

TEST_CASE("the acceptor releases its listening socket when stopped in the same round it starts") {
  caf::actor_system_config cfg;
  cfg.set("scheduler.max-threads", std::size_t{2});
  cfg.load<caf::io::middleman>();
  caf::actor_system sys{cfg};
  auto& loop = sys.middleman().backend();
  auto doorman = loop.new_tcp_doorman(0, "127.0.0.1", true);
  REQUIRE(doorman);
  auto fd = static_cast<int>((*doorman)->hdl().id());
  auto port = (*doorman)->port();
  REQUIRE(bound_to(fd, port));
  // The multiplexer's thread waits at the gate, so the acceptor's start and the exit
  // request both sit in its mailbox when it first runs: one round starts the doorman
  // and closes it. CAF 0.17.6 squashed the two into nothing there and the doorman kept
  // itself, and its socket, for good.
  std::promise<void> gate;
  std::promise<void> at_gate;
  loop.post([&] {
    at_gate.set_value();
    gate.get_future().wait();
  });
  at_gate.get_future().wait();
  auto acceptor = sys.middleman().spawn_broker(http::acceptor, std::make_shared<http::context>(),
                                               std::move(*doorman));
  caf::scoped_actor self{sys};
  self->monitor(acceptor);
  self->send_exit(acceptor, caf::exit_reason::user_shutdown);
  gate.set_value();
  bool down = false;
  // The 30 s bound only turns a hang into a failure.
  self->receive([&](const caf::down_msg& msg) { down = msg.source == acceptor.address(); },
                caf::after(std::chrono::seconds{30}) >> [] {});
  CHECK(down);
  bool released = false;
  in_next_round(loop, [&] { released = !bound_to(fd, port); });
  CHECK(released);
}
