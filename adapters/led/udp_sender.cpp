#include "adapters/led/udp_sender.hpp"

#include <arpa/inet.h>
#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <resolv.h>
#include <system_error>
#include <thread>
#include <unistd.h>
#include <utility>

namespace gamelight::led {

namespace {

/// Strips the brackets of "[::1]".
[[nodiscard]] std::string strip_brackets(const std::string& host) {
  if (host.size() >= 2 && host.front() == '[' && host.back() == ']')
    return host.substr(1, host.size() - 2);
  return host;
}

[[nodiscard]] std::string errno_text(int code) {
  return std::error_code{code, std::system_category()}.message();
}

} // namespace

bool is_ip_literal(const std::string& host) {
  auto name = strip_brackets(host);
  // Cut an IPv6 zone ("fe80::1%eth0") before asking inet_pton.
  auto address = name.substr(0, name.find('%'));
  in6_addr v6{};
  in_addr v4{};
  return inet_pton(AF_INET, address.c_str(), &v4) == 1
         || inet_pton(AF_INET6, address.c_str(), &v6) == 1;
}

resolve_result resolve(const std::string& host, std::uint16_t port, bool numeric_only) {
  resolve_result result;
  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_DGRAM;
  hints.ai_protocol = IPPROTO_UDP;
  hints.ai_flags = AI_NUMERICSERV | (numeric_only ? AI_NUMERICHOST : 0);
  addrinfo* list = nullptr;
  auto name = strip_brackets(host);
  auto service = std::to_string(port);
  auto rc = ::getaddrinfo(name.c_str(), service.c_str(), &hints, &list);
  if (rc != 0) {
    result.error = "cannot resolve " + host + ": " + ::gai_strerror(rc);
    return result;
  }
  for (auto* x = list; x != nullptr; x = x->ai_next) {
    if (x->ai_addrlen > sizeof(sockaddr_storage))
      continue;
    endpoint target;
    std::memcpy(&target.address, x->ai_addr, x->ai_addrlen);
    target.size = x->ai_addrlen;
    result.target = target;
    break;
  }
  ::freeaddrinfo(list);
  if (!result.target)
    result.error = "cannot resolve " + host + ": no usable address";
  return result;
}

udp_sender::~udp_sender() {
  close_socket();
}

udp_sender::udp_sender(udp_sender&& other) noexcept
    : fd_(std::exchange(other.fd_, -1)), host_(std::move(other.host_)), port_(other.port_),
      hostname_(other.hostname_), pending_(std::move(other.pending_)),
      next_lookup_(other.next_lookup_), backoff_(other.backoff_), sent_(other.sent_),
      errors_(other.errors_), last_errno_(other.last_errno_),
      setup_error_(std::move(other.setup_error_)) {}

udp_sender& udp_sender::operator=(udp_sender&& other) noexcept {
  if (this != &other) {
    close_socket();
    fd_ = std::exchange(other.fd_, -1);
    host_ = std::move(other.host_);
    port_ = other.port_;
    hostname_ = other.hostname_;
    pending_ = std::move(other.pending_);
    next_lookup_ = other.next_lookup_;
    backoff_ = other.backoff_;
    sent_ = other.sent_;
    errors_ = other.errors_;
    last_errno_ = other.last_errno_;
    setup_error_ = std::move(other.setup_error_);
  }
  return *this;
}

void udp_sender::close_socket() noexcept {
  if (fd_ >= 0) {
    ::close(fd_);
    fd_ = -1;
  }
}

void udp_sender::close() noexcept {
  close_socket();
  // A running lookup finishes on its own; its result is dropped with the last reference.
  pending_.reset();
  host_.clear();
  port_ = 0;
  hostname_ = false;
}

void udp_sender::open(std::string host, std::uint16_t port) {
  close();
  host_ = std::move(host);
  port_ = port;
  last_errno_ = 0;
  setup_error_.clear();
  backoff_ = min_backoff;
  next_lookup_ = {};
  hostname_ = !is_ip_literal(host_);
  if (!hostname_) {
    auto result = resolve(host_, port_, true);
    if (result.target)
      connect_to(*result.target);
    else
      setup_error_ = result.error;
    return;
  }
  setup_error_ = "resolving " + host_;
  start_lookup(clock::now());
}

void udp_sender::start_lookup(clock::time_point now) noexcept {
  if (!hostname_ || pending_ || now < next_lookup_)
    return;
  next_lookup_ = now + backoff_;
  try {
    auto state = std::make_shared<lookup>();
    std::thread{[state, host = host_, port = port_] {
      state->result = resolve(host, port, false);
      state->done.store(true, std::memory_order_release);
      // The thread's resolver state holds a copy of each name server's address that glibc
      // frees only once the thread has ended, after LeakSanitizer stopped looking at the
      // thread: a daemon (or test) exiting in that instant was reported leaking 28 bytes.
      // Freed here instead, while the thread still runs.
      res_nclose(&_res);
    }}.detach();
    pending_ = std::move(state);
  } catch (const std::exception& e) {
    setup_error_ = std::string{"cannot start lookup: "} + e.what();
  }
}

void udp_sender::poll_lookup(clock::time_point now) noexcept {
  if (pending_ && pending_->done.load(std::memory_order_acquire)) {
    auto state = std::move(pending_);
    if (state->result.target) {
      backoff_ = min_backoff;
      close_socket();
      connect_to(*state->result.target);
    } else {
      backoff_ = std::min(backoff_ * 2, max_backoff);
      try {
        setup_error_ = state->result.error;
      } catch (...) {
        // Keep the previous text when memory runs out.
      }
    }
  }
  if (fd_ < 0)
    start_lookup(now);
}

void udp_sender::connect_to(const endpoint& target) noexcept {
  auto fd = ::socket(target.family(), SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
  if (fd < 0) {
    setup_error_ = "cannot open socket: " + errno_text(errno);
    return;
  }
  // A connected UDP socket lets the kernel report ICMP errors (port unreachable) on a
  // later send, which is how a dead target shows up in the error count.
  if (::connect(fd, reinterpret_cast<const sockaddr*>(&target.address), target.size) != 0) {
    setup_error_ = "cannot connect socket: " + errno_text(errno);
    ::close(fd);
    return;
  }
  fd_ = fd;
  setup_error_.clear();
}

bool udp_sender::send(std::span<const std::uint8_t> data) noexcept {
  if (hostname_)
    poll_lookup(clock::now());
  if (fd_ < 0) {
    ++errors_;
    return false;
  }
  auto rc = ::send(fd_, data.data(), data.size(), MSG_DONTWAIT | MSG_NOSIGNAL);
  if (rc < 0) {
    last_errno_ = errno;
    ++errors_;
    // The name may point elsewhere now; look it up again (rate-limited).
    if (hostname_)
      start_lookup(clock::now());
    return false;
  }
  last_errno_ = 0;
  ++sent_;
  return true;
}

std::string udp_sender::last_error() const {
  if (fd_ < 0)
    return setup_error_.empty() ? std::string{"not open"} : setup_error_;
  if (last_errno_ != 0)
    return errno_text(last_errno_);
  return {};
}

} // namespace gamelight::led
