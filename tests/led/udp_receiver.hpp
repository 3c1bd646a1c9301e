#pragma once

/// A fake WLED for tests: a UDP socket bound to an ephemeral loopback port that collects
/// the datagrams it receives. Shared by the LED and device tests.

#include <arpa/inet.h>
#include <chrono>
#include <cstdint>
#include <netinet/in.h>
#include <optional>
#include <poll.h>
#include <stdexcept>
#include <string>
#include <sys/socket.h>
#include <unistd.h>
#include <vector>

namespace gamelight::testing {

class udp_receiver {
public:
  using bytes = std::vector<std::uint8_t>;

  /// Binds 127.0.0.1 (or ::1 with `family` AF_INET6) on an ephemeral port.
  explicit udp_receiver(int family = AF_INET) {
    fd_ = ::socket(family, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    if (fd_ < 0)
      throw std::runtime_error("socket failed");
    int size = 4 * 1024 * 1024;
    ::setsockopt(fd_, SOL_SOCKET, SO_RCVBUF, &size, sizeof(size));
    sockaddr_storage addr{};
    socklen_t len = 0;
    if (family == AF_INET6) {
      auto* a = reinterpret_cast<sockaddr_in6*>(&addr);
      a->sin6_family = AF_INET6;
      a->sin6_addr = in6addr_loopback;
      len = sizeof(sockaddr_in6);
    } else {
      auto* a = reinterpret_cast<sockaddr_in*>(&addr);
      a->sin_family = AF_INET;
      a->sin_addr.s_addr = htonl(INADDR_LOOPBACK);
      len = sizeof(sockaddr_in);
    }
    if (::bind(fd_, reinterpret_cast<sockaddr*>(&addr), len) != 0) {
      ::close(fd_);
      throw std::runtime_error("bind failed");
    }
    if (::getsockname(fd_, reinterpret_cast<sockaddr*>(&addr), &len) != 0) {
      ::close(fd_);
      throw std::runtime_error("getsockname failed");
    }
    port_ = family == AF_INET6 ? ntohs(reinterpret_cast<sockaddr_in6*>(&addr)->sin6_port)
                               : ntohs(reinterpret_cast<sockaddr_in*>(&addr)->sin_port);
    host_ = family == AF_INET6 ? "::1" : "127.0.0.1";
  }

  ~udp_receiver() {
    close();
  }

  udp_receiver(const udp_receiver&) = delete;
  udp_receiver& operator=(const udp_receiver&) = delete;

  [[nodiscard]] std::uint16_t port() const noexcept {
    return port_;
  }

  [[nodiscard]] const std::string& host() const noexcept {
    return host_;
  }

  /// Closes the socket: the port is then closed (ICMP port unreachable).
  void close() noexcept {
    if (fd_ >= 0) {
      ::close(fd_);
      fd_ = -1;
    }
  }

  /// Waits up to `timeout` for one datagram.
  [[nodiscard]] std::optional<bytes> receive(std::chrono::milliseconds timeout
                                             = std::chrono::milliseconds{1000}) {
    pollfd p{fd_, POLLIN, 0};
    if (::poll(&p, 1, static_cast<int>(timeout.count())) <= 0)
      return std::nullopt;
    bytes buf(65536);
    auto n = ::recv(fd_, buf.data(), buf.size(), 0);
    if (n < 0)
      return std::nullopt;
    buf.resize(static_cast<std::size_t>(n));
    return buf;
  }

  /// Returns every datagram that is already queued (loopback delivers synchronously).
  [[nodiscard]] std::vector<bytes> drain() {
    std::vector<bytes> out;
    while (auto x = receive(std::chrono::milliseconds{0}))
      out.push_back(std::move(*x));
    return out;
  }

private:
  int fd_ = -1;
  std::uint16_t port_ = 0;
  std::string host_;
};

} // namespace gamelight::testing
