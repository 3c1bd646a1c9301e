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
#include <filesystem>
#include <future>
#include <netinet/in.h>
#include <poll.h>
#include <set>
#include <string>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

using namespace gamelight;

/// The brokers of the front end against CAF 0.17.6's event loop: the loop applies a
/// round's socket changes at its end and squashes the start and the removal of one
/// socket made in the same round into nothing, which leaks the socket. These tests make
/// such a round happen on purpose by holding the loop's thread while messages queue up.

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

/// The descriptors of this process that are sockets.
std::set<int> open_sockets() {
  std::set<int> result;
  for (auto& entry : std::filesystem::directory_iterator{"/proc/self/fd"}) {
    auto fd = std::stoi(entry.path().filename().string());
    struct stat info {};
    if (::fstat(fd, &info) == 0 && S_ISSOCK(info.st_mode))
      result.insert(fd);
  }
  return result;
}

/// Runs `fun` on the loop's thread in a round of its own and waits for it: what the
/// rounds before it left to apply is applied by then.
template <class F>
void in_next_round(caf::io::network::multiplexer& loop, F fun) {
  std::promise<void> done;
  auto finished = done.get_future();
  loop.post([fun = std::move(fun), done = std::move(done)]() mutable {
    fun();
    done.set_value();
  });
  finished.wait();
}

/// Holds the loop's thread from construction until `open` (or destruction), with no
/// event pending on its pipe: epoll reports a level-triggered descriptor it reported
/// last time first again (before any that became ready since), so the gate is posted
/// from the loop's own thread two rounds after the post that went through the pipe, and
/// what becomes ready while the loop waits at the gate is reported in that order.
class loop_gate {
public:
  explicit loop_gate(caf::io::network::multiplexer& loop) {
    std::promise<void> held;
    auto holding = held.get_future();
    auto gate = [held = std::move(held), opened = opened_.get_future()]() mutable {
      held.set_value();
      opened.wait();
    };
    loop.post([&loop, gate = std::move(gate)]() mutable {
      loop.post([&loop, gate = std::move(gate)]() mutable { loop.post(std::move(gate)); });
    });
    holding.wait();
  }

  loop_gate(const loop_gate&) = delete;
  loop_gate& operator=(const loop_gate&) = delete;

  ~loop_gate() {
    open();
  }

  void open() {
    if (!open_) {
      open_ = true;
      opened_.set_value();
    }
  }

private:
  std::promise<void> opened_;
  bool open_ = false;
};

struct loop_fixture {
  loop_fixture() : sys{configured(cfg)}, loop{sys.middleman().backend()} {}

  static caf::actor_system_config& configured(caf::actor_system_config& cfg) {
    cfg.set("scheduler.max-threads", std::size_t{2});
    cfg.load<caf::io::middleman>();
    return cfg;
  }

  /// Waits until `hdl` is down; the 30 s bound only turns a hang into a failure.
  bool wait_down(caf::scoped_actor& self, const caf::actor& hdl) {
    bool down = false;
    self->receive([&](const caf::down_msg& msg) { down = msg.source == hdl.address(); },
                  caf::after(std::chrono::seconds{30}) >> [] {});
    return down;
  }

  /// Each test's own (declared before the system, which keeps a reference to it).
  caf::actor_system_config cfg;
  caf::actor_system sys;
  caf::io::network::multiplexer& loop;
};

} // namespace

TEST_CASE_FIXTURE(loop_fixture,
                  "the acceptor releases its listening socket when stopped in the same round "
                  "it starts") {
  auto doorman = loop.new_tcp_doorman(0, "127.0.0.1", true);
  REQUIRE(doorman);
  auto fd = static_cast<int>((*doorman)->hdl().id());
  auto port = (*doorman)->port();
  REQUIRE(bound_to(fd, port));
  caf::scoped_actor self{sys};
  caf::actor acceptor;
  {
    // The acceptor's start and the exit request both sit in its mailbox when it first
    // runs: one round starts the doorman and closes it.
    loop_gate gate{loop};
    acceptor = sys.middleman().spawn_broker(http::acceptor, std::make_shared<http::context>(),
                                            std::move(*doorman));
    self->monitor(acceptor);
    self->send_exit(acceptor, caf::exit_reason::user_shutdown);
  }
  CHECK(wait_down(self, acceptor));
  bool released = false;
  in_next_round(loop, [&] { released = !bound_to(fd, port); });
  CHECK(released);
}

TEST_CASE_FIXTURE(loop_fixture,
                  "a connection stopped in the same round it starts reading releases its socket") {
  auto doorman = loop.new_tcp_doorman(0, "127.0.0.1", true);
  REQUIRE(doorman);
  auto port = (*doorman)->port();
  caf::scoped_actor self{sys};
  auto acceptor = sys.middleman().spawn_broker(http::acceptor, std::make_shared<http::context>(),
                                               std::move(*doorman));
  self->monitor(acceptor);
  // The acceptor runs and its listening socket is polled.
  self->request(acceptor, caf::infinite, atom::metrics::value)
      .receive([](const http::ingress_metrics&) {}, [](const caf::error&) {});
  in_next_round(loop, [] {});
  auto before = open_sockets();
  int client = -1;
  {
    // The connection is in the listening socket's backlog before the exit request is in
    // the pipe, so the loop's next round reports both, in that order: the acceptor
    // forks a connection, then stops and sends it an exit request, which the
    // connection then finds in its mailbox when it first runs and starts reading.
    loop_gate gate{loop};
    client = ::socket(AF_INET, SOCK_STREAM, 0);
    REQUIRE(client >= 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(port);
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    REQUIRE(::connect(client, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0);
    self->send_exit(acceptor, caf::exit_reason::user_shutdown);
  }
  // The acceptor ends only once its connections have.
  CHECK(wait_down(self, acceptor));
  // The connection was accepted and closed (a reset would mean the listening socket
  // closed with the connection still in its backlog: not the case under test).
  pollfd readable{client, POLLIN, 0};
  REQUIRE(::poll(&readable, 1, 30000) == 1);
  char byte = 0;
  REQUIRE_EQ(::recv(client, &byte, 1, 0), 0);
  ::close(client);
  // No socket is left but those from before (the listening one is gone too).
  std::set<int> left;
  in_next_round(loop, [&] { left = open_sockets(); });
  std::set<int> added;
  for (auto fd : left)
    if (before.count(fd) == 0)
      added.insert(fd);
  CHECK_EQ(added.size(), 0);
}
