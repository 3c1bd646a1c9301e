#pragma once

/// A non-blocking UDP transport for one LED target (IPv4 or IPv6). Encoders know nothing
/// of sockets; this knows nothing of protocols.

#include <atomic>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <sys/socket.h>

namespace gamelight::led {

/// A resolved socket address.
struct endpoint {
  sockaddr_storage address{};
  socklen_t size = 0;

  [[nodiscard]] int family() const noexcept {
    return address.ss_family;
  }
};

/// The outcome of a name lookup: an endpoint or an error text.
struct resolve_result {
  std::optional<endpoint> target;
  std::string error;
};

/// Returns whether `host` is an IPv4 or IPv6 literal (brackets allowed around IPv6).
[[nodiscard]] bool is_ip_literal(const std::string& host);

/// Resolves `host:port` for UDP (first address returned by getaddrinfo). IP literals never
/// block; with `numeric_only` unset a hostname is looked up and the call may block for as
/// long as the system resolver takes.
[[nodiscard]] resolve_result resolve(const std::string& host, std::uint16_t port,
                                     bool numeric_only = false);

/// Sends datagrams to one target without ever blocking; errors are counted, never thrown.
///
/// IP literals take effect in `open`. A hostname is looked up on a short-lived background
/// thread (getaddrinfo can block for seconds), so the owner's thread never waits for DNS;
/// until the answer arrives, `send` fails and counts an error. A failed lookup, and send
/// errors towards a hostname, trigger a new lookup, at most once per back-off interval
/// (1 s, doubling up to 60 s, reset after a lookup succeeds).
class udp_sender {
public:
  using clock = std::chrono::steady_clock;

  static constexpr clock::duration min_backoff = std::chrono::seconds{1};
  static constexpr clock::duration max_backoff = std::chrono::seconds{60};

  udp_sender() noexcept = default;
  ~udp_sender();
  udp_sender(udp_sender&& other) noexcept;
  udp_sender& operator=(udp_sender&& other) noexcept;
  udp_sender(const udp_sender&) = delete;
  udp_sender& operator=(const udp_sender&) = delete;

  /// Points the sender at `host:port`, closing any previous socket. Counters stay.
  void open(std::string host, std::uint16_t port);

  /// Closes the socket and forgets the target.
  void close() noexcept;

  /// Sends one datagram without blocking. Returns false, and counts an error, when it did
  /// not reach the kernel: no address yet, socket error, full send buffer, or an ICMP
  /// "port unreachable" the kernel reports for an earlier datagram.
  bool send(std::span<const std::uint8_t> data) noexcept;

  /// Returns whether a socket is open towards a resolved address.
  [[nodiscard]] bool ready() const noexcept {
    return fd_ >= 0;
  }

  /// Returns the number of datagrams sent.
  [[nodiscard]] std::uint64_t sent() const noexcept {
    return sent_;
  }

  /// Returns the number of datagrams that could not be sent.
  [[nodiscard]] std::uint64_t errors() const noexcept {
    return errors_;
  }

  /// Returns a text for the last error ("" when the last send succeeded).
  [[nodiscard]] std::string last_error() const;

  [[nodiscard]] const std::string& host() const noexcept {
    return host_;
  }

  [[nodiscard]] std::uint16_t port() const noexcept {
    return port_;
  }

private:
  /// A background lookup shared with its thread.
  struct lookup {
    std::atomic<bool> done{false};
    resolve_result result;
  };

  /// Starts a background lookup of the hostname target unless one is running or the
  /// back-off interval has not passed.
  void start_lookup(clock::time_point now) noexcept;

  /// Adopts a finished background lookup, if any.
  void poll_lookup(clock::time_point now) noexcept;

  /// Opens a socket connected to `target`; on failure records the error.
  void connect_to(const endpoint& target) noexcept;

  void close_socket() noexcept;

  int fd_ = -1;
  std::string host_;
  std::uint16_t port_ = 0;
  bool hostname_ = false;
  std::shared_ptr<lookup> pending_;
  clock::time_point next_lookup_{};
  clock::duration backoff_ = min_backoff;
  std::uint64_t sent_ = 0;
  std::uint64_t errors_ = 0;
  /// errno of the last failed send (0 when none).
  int last_errno_ = 0;
  /// The last lookup or connect failure, when that is why sending fails.
  std::string setup_error_;
};

} // namespace gamelight::led
