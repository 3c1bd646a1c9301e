#pragma once

/// A raw TCP client for the HTTP tests: it sends exactly the bytes a test gives and
/// reads what the server answers, for clients httplib would never be.

#include <doctest/doctest.h>

#include <arpa/inet.h>
#include <cerrno>
#include <chrono>
#include <netinet/in.h>
#include <poll.h>
#include <string>
#include <string_view>
#include <sys/socket.h>
#include <unistd.h>

namespace gamelight::test {

using namespace std::chrono_literals;

/// A raw TCP connection to the server, for clients httplib would never be.
class raw_socket {
public:
  /// Connects to 127.0.0.1:`port`; a non-zero `receive_buffer` shrinks the kernel's
  /// receive buffer first (a reader that holds little makes a backlog grow fast).
  explicit raw_socket(int port, int receive_buffer = 0) : fd_(::socket(AF_INET, SOCK_STREAM, 0)) {
    REQUIRE(fd_ >= 0);
    if (receive_buffer > 0)
      REQUIRE(::setsockopt(fd_, SOL_SOCKET, SO_RCVBUF, &receive_buffer, sizeof(receive_buffer))
              == 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(static_cast<std::uint16_t>(port));
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    REQUIRE(::connect(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) == 0);
  }

  ~raw_socket() {
    if (fd_ >= 0)
      ::close(fd_);
  }

  raw_socket(const raw_socket&) = delete;
  raw_socket& operator=(const raw_socket&) = delete;

  /// Sends everything; returns false once the server closed the connection.
  bool send(std::string_view data) {
    while (!data.empty()) {
      auto n = ::send(fd_, data.data(), data.size(), MSG_NOSIGNAL);
      if (n <= 0)
        return false;
      data.remove_prefix(static_cast<std::size_t>(n));
    }
    return true;
  }

  /// Sends what the kernel takes without waiting; returns the bytes taken (0 when the
  /// socket's buffers are full), or -1 once the server closed the connection.
  long send_some(std::string_view data) {
    auto n = ::send(fd_, data.data(), data.size(), MSG_NOSIGNAL | MSG_DONTWAIT);
    if (n < 0)
      return (errno == EAGAIN || errno == EWOULDBLOCK) ? 0 : -1;
    return n;
  }

  /// Reads until `done(received)` holds, the peer closes, or `timeout` passes.
  template <class Done>
  std::string receive(std::chrono::milliseconds timeout, Done done) {
    std::string received;
    auto deadline = std::chrono::steady_clock::now() + timeout;
    closed_ = false;
    while (!done(received)) {
      auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
          deadline - std::chrono::steady_clock::now());
      if (left <= 0ms)
        break;
      pollfd p{fd_, POLLIN, 0};
      if (::poll(&p, 1, static_cast<int>(left.count())) <= 0)
        break;
      char buffer[8192];
      auto n = ::recv(fd_, buffer, sizeof(buffer), 0);
      if (n <= 0) {
        closed_ = true;
        break;
      }
      received.append(buffer, static_cast<std::size_t>(n));
    }
    return received;
  }

  /// Reads one whole response (headers and a Content-Length body).
  std::string response(std::chrono::milliseconds timeout = 10s) {
    return receive(timeout, [](const std::string& x) {
      auto end = x.find("\r\n\r\n");
      if (end == std::string::npos)
        return false;
      auto at = x.find("Content-Length: ");
      if (at == std::string::npos || at > end)
        return true;
      auto length = std::stoul(x.substr(at + 16));
      return x.size() >= end + 4 + length;
    });
  }

  /// Waits until the server closes the connection; returns whether it did in time.
  bool closed_within(std::chrono::milliseconds timeout) {
    receive(timeout, [](const std::string&) { return false; });
    return closed_;
  }

private:
  int fd_;
  bool closed_ = false;
};

} // namespace gamelight::test
