/// Event -> light latency of a running gamelightd, measured from outside.
///
/// Default mode: against the daemon at `--url`, creates a `generic` integration that maps
/// event `hit` to a short `flash` in a distinct colour and a DDP device (60 LEDs) on
/// 127.0.0.1 whose port is this program's own UDP socket. Then, `--events` times: takes
/// the time, POSTs `{"event_type":"hit"}` over one keep-alive connection and waits for
/// the first datagram whose pixels carry the mapped colour. Latency = send start -> the
/// kernel's receive timestamp of that datagram (SO_TIMESTAMPNS, CLOCK_REALTIME), so it
/// does not include this program's own wake-up. The flash lasts 5 ms, less than a frame
/// interval at 120 fps: the device renders one frame at once, finds the flash over at its
/// next tick, goes idle and sends nothing more; before every event the program waits
/// `--settle-ms` (default two frame intervals + 1 ms) so that each event meets an idle
/// device and measures the idle -> lit path. (A 1 ms flash was too short: on a loaded
/// machine the device actor sometimes ran its first tick after the flash had ended and
/// sent nothing.) For reference it also times `GET /api/v1/health` on the same connection
/// (the HTTP floor). Deletes the device and the integration at the end.
///
/// Sink mode (`--sink=N`): binds N UDP ports on 127.0.0.1, prints `ports: P1 ... PN` on
/// stdout, drains whatever arrives for `--seconds` and prints the counts (used by
/// render_cpu.sh as the devices' targets).

#include <httplib.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <arpa/inet.h>
#include <array>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <iostream>
#include <memory>
#include <netinet/in.h>
#include <optional>
#include <poll.h>
#include <stdexcept>
#include <string>
#include <string_view>
#include <sys/socket.h>
#include <thread>
#include <time.h>
#include <unistd.h>
#include <vector>

namespace {

using json = nlohmann::json;

constexpr std::size_t ddp_header_size = 10;
constexpr std::array<int, 3> mapped_color{240, 16, 128};
constexpr int flash_ms = 5;

struct options {
  std::string url;
  std::string api_key;
  int events = 10000;
  int warmup = 200;
  int fps = 120;
  int led_count = 60;
  /// < 0: two frame intervals + 1 ms.
  double settle_ms = -1.0;
  int sink = 0;
  int seconds = 10;
};

[[noreturn]] void usage() {
  std::cerr << "usage: gamelight_event_to_light --url=http://127.0.0.1:PORT [--events=N] "
               "[--warmup=N] [--fps=N] [--settle-ms=X] [--api-key=KEY]\n"
               "       gamelight_event_to_light --sink=N [--seconds=S]\n";
  std::exit(2);
}

options parse_options(int argc, char** argv) {
  options result;
  for (int i = 1; i < argc; ++i) {
    std::string_view arg{argv[i]};
    auto eq = arg.find('=');
    if (arg.substr(0, 2) != "--" || eq == std::string_view::npos)
      usage();
    auto key = arg.substr(2, eq - 2);
    std::string value{arg.substr(eq + 1)};
    if (key == "url")
      result.url = value;
    else if (key == "api-key")
      result.api_key = value;
    else if (key == "events")
      result.events = std::stoi(value);
    else if (key == "warmup")
      result.warmup = std::stoi(value);
    else if (key == "fps")
      result.fps = std::stoi(value);
    else if (key == "settle-ms")
      result.settle_ms = std::stod(value);
    else if (key == "sink")
      result.sink = std::stoi(value);
    else if (key == "seconds")
      result.seconds = std::stoi(value);
    else
      usage();
  }
  if (result.sink <= 0 && result.url.empty())
    usage();
  if (result.events < 1 || result.fps < 1 || result.fps > 120 || result.seconds < 1)
    usage();
  return result;
}

[[nodiscard]] std::int64_t realtime_ns() noexcept {
  timespec ts{};
  ::clock_gettime(CLOCK_REALTIME, &ts);
  return static_cast<std::int64_t>(ts.tv_sec) * 1'000'000'000 + ts.tv_nsec;
}

/// A UDP socket on an ephemeral 127.0.0.1 port.
class udp_socket {
public:
  explicit udp_socket(bool timestamps) {
    fd_ = ::socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    if (fd_ < 0)
      throw std::runtime_error("socket failed");
    int size = 4 * 1024 * 1024;
    ::setsockopt(fd_, SOL_SOCKET, SO_RCVBUF, &size, sizeof(size));
    int on = 1;
    if (timestamps && ::setsockopt(fd_, SOL_SOCKET, SO_TIMESTAMPNS, &on, sizeof(on)) != 0)
      throw std::runtime_error("SO_TIMESTAMPNS failed");
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t len = sizeof(addr);
    if (::bind(fd_, reinterpret_cast<sockaddr*>(&addr), len) != 0
        || ::getsockname(fd_, reinterpret_cast<sockaddr*>(&addr), &len) != 0) {
      ::close(fd_);
      throw std::runtime_error("bind failed");
    }
    port_ = ntohs(addr.sin_port);
  }

  ~udp_socket() {
    ::close(fd_);
  }

  udp_socket(const udp_socket&) = delete;
  udp_socket& operator=(const udp_socket&) = delete;

  [[nodiscard]] int fd() const noexcept {
    return fd_;
  }

  [[nodiscard]] std::uint16_t port() const noexcept {
    return port_;
  }

  /// One received datagram and the kernel's receive time (ns since the epoch).
  struct datagram {
    std::vector<std::uint8_t> bytes;
    std::int64_t received_ns = 0;
  };

  /// Waits up to `timeout_ms` for one datagram (0: only what is queued).
  [[nodiscard]] std::optional<datagram> receive(int timeout_ms) {
    pollfd p{fd_, POLLIN, 0};
    if (::poll(&p, 1, timeout_ms) <= 0)
      return std::nullopt;
    datagram result;
    result.bytes.resize(65536);
    iovec iov{result.bytes.data(), result.bytes.size()};
    alignas(cmsghdr) std::array<char, CMSG_SPACE(sizeof(timespec))> control{};
    msghdr msg{};
    msg.msg_iov = &iov;
    msg.msg_iovlen = 1;
    msg.msg_control = control.data();
    msg.msg_controllen = control.size();
    auto n = ::recvmsg(fd_, &msg, 0);
    if (n < 0)
      return std::nullopt;
    result.bytes.resize(static_cast<std::size_t>(n));
    for (auto* c = CMSG_FIRSTHDR(&msg); c != nullptr; c = CMSG_NXTHDR(&msg, c)) {
      if (c->cmsg_level == SOL_SOCKET && c->cmsg_type == SCM_TIMESTAMPNS) {
        timespec ts{};
        std::memcpy(&ts, CMSG_DATA(c), sizeof(ts));
        result.received_ns = static_cast<std::int64_t>(ts.tv_sec) * 1'000'000'000 + ts.tv_nsec;
      }
    }
    if (result.received_ns == 0)
      result.received_ns = realtime_ns();
    return result;
  }

  /// Discards every queued datagram; returns how many there were.
  int drain() {
    int count = 0;
    std::array<std::uint8_t, 2048> buf{};
    while (::recv(fd_, buf.data(), buf.size(), MSG_DONTWAIT) >= 0)
      ++count;
    return count;
  }

private:
  int fd_ = -1;
  std::uint16_t port_ = 0;
};

/// Returns whether `pixel` (3 bytes) is the mapped colour scaled by some level in (0, 1]:
/// a flash has already decayed a little by the time its first frame is rendered.
[[nodiscard]] bool carries_color(const std::uint8_t* pixel) noexcept {
  if (pixel[0] == 0)
    return false;
  auto k = static_cast<double>(pixel[0]) / mapped_color[0];
  for (int c = 1; c < 3; ++c)
    if (std::abs(pixel[c] - mapped_color[c] * k) > 1.5)
      return false;
  return true;
}

/// Returns whether a DDP datagram starts at pixel 0 and its first and last pixels carry
/// the mapped colour.
[[nodiscard]] bool is_lit_frame(const std::vector<std::uint8_t>& d) noexcept {
  if (d.size() < ddp_header_size + 3 || d[4] != 0 || d[5] != 0 || d[6] != 0 || d[7] != 0)
    return false;
  return carries_color(d.data() + ddp_header_size) && carries_color(d.data() + d.size() - 3);
}

/// Nearest-rank percentile of sorted values.
[[nodiscard]] double percentile(const std::vector<double>& sorted, double p) {
  if (sorted.empty())
    return 0.0;
  auto rank = static_cast<std::size_t>(std::ceil(p / 100.0 * static_cast<double>(sorted.size())));
  return sorted[std::clamp<std::size_t>(rank, 1, sorted.size()) - 1];
}

void print_summary(std::string_view name, std::vector<double> values) {
  std::sort(values.begin(), values.end());
  double sum = 0.0;
  for (auto x : values)
    sum += x;
  std::printf("%s: count=%zu p50_us=%.1f p90_us=%.1f p99_us=%.1f max_us=%.1f mean_us=%.1f\n",
              std::string{name}.c_str(), values.size(), percentile(values, 50),
              percentile(values, 90), percentile(values, 99), values.empty() ? 0.0 : values.back(),
              values.empty() ? 0.0 : sum / static_cast<double>(values.size()));
}

// -- sink mode -----------------------------------------------------------------------

int run_sink(const options& opts) {
  std::vector<std::unique_ptr<udp_socket>> sockets;
  std::vector<pollfd> fds;
  std::printf("ports:");
  for (int i = 0; i < opts.sink; ++i) {
    sockets.push_back(std::make_unique<udp_socket>(false));
    fds.push_back(pollfd{sockets.back()->fd(), POLLIN, 0});
    std::printf(" %u", static_cast<unsigned>(sockets.back()->port()));
  }
  std::printf("\n");
  std::fflush(stdout);
  std::uint64_t datagrams = 0;
  std::uint64_t bytes = 0;
  std::array<std::uint8_t, 65536> buf{};
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds{opts.seconds};
  while (std::chrono::steady_clock::now() < deadline) {
    if (::poll(fds.data(), fds.size(), 100) <= 0)
      continue;
    for (auto& p : fds) {
      if ((p.revents & POLLIN) == 0)
        continue;
      ssize_t n = 0;
      while ((n = ::recv(p.fd, buf.data(), buf.size(), MSG_DONTWAIT)) >= 0) {
        ++datagrams;
        bytes += static_cast<std::uint64_t>(n);
      }
    }
  }
  std::printf("sink: datagrams=%llu bytes=%llu\n", static_cast<unsigned long long>(datagrams),
              static_cast<unsigned long long>(bytes));
  return 0;
}

// -- latency mode --------------------------------------------------------------------

/// The REST calls of the benchmark over one keep-alive connection.
class api {
public:
  explicit api(const options& opts) : client_{opts.url} {
    client_.set_keep_alive(true);
    // Headers and body go out in two writes: without this, Nagle holds the body until the
    // server's delayed ACK (~40 ms).
    client_.set_tcp_nodelay(true);
    client_.set_connection_timeout(std::chrono::seconds{5});
    client_.set_read_timeout(std::chrono::seconds{5});
    if (!opts.api_key.empty())
      headers_.emplace("X-API-Key", opts.api_key);
  }

  /// POSTs `body` and returns the parsed answer; throws unless the status is `expected`.
  json post(const std::string& path, const json& body, int expected) {
    auto res = client_.Post(path.c_str(), headers_, body.dump(), "application/json");
    return check(res, "POST " + path, expected);
  }

  void remove(const std::string& path) {
    auto res = client_.Delete(path.c_str(), headers_);
    if (!res || res->status != 204)
      std::cerr << "DELETE " << path << " failed: "
                << (res ? std::to_string(res->status) + " " + res->body : "no answer") << "\n";
  }

  json get(const std::string& path) {
    return check(client_.Get(path.c_str(), headers_), "GET " + path, 200);
  }

  /// The hot call: POSTs a prepared body; returns the HTTP status (0 without an answer).
  int ingest(const std::string& path, const std::string& body) {
    auto res = client_.Post(path.c_str(), headers_, body, "application/json");
    return res ? res->status : 0;
  }

private:
  static json check(const httplib::Result& res, const std::string& what, int expected) {
    if (!res)
      throw std::runtime_error(what + ": no answer (" + httplib::to_string(res.error()) + ")");
    if (res->status != expected)
      throw std::runtime_error(what + ": " + std::to_string(res->status) + " " + res->body);
    return res->body.empty() ? json{} : json::parse(res->body);
  }

  httplib::Client client_;
  httplib::Headers headers_;
};

int run_latency(const options& opts) {
  udp_socket socket{true};
  api http{opts};
  auto tag = std::to_string(::getpid()) + "-" + std::to_string(realtime_ns() % 1'000'000);
  auto integration = http.post("/api/v1/game-integrations",
                               {{"name", "event-to-light " + tag},
                                {"adapter_type", "generic"},
                                {"adapter_config", {{"events", {"hit"}}}},
                                {"event_mappings",
                                 {{{"event_type", "hit"},
                                   {"effect", "flash"},
                                   {"color", mapped_color},
                                   {"duration_ms", flash_ms},
                                   {"priority", 90}}}}},
                               201);
  auto integration_id = integration.at("id").get<std::string>();
  std::string device_id;
  int status = 0;
  try {
    auto device = http.post("/api/v1/devices",
                            {{"name", "event-to-light " + tag},
                             {"host", "127.0.0.1"},
                             {"port", socket.port()},
                             {"protocol", "ddp"},
                             {"led_count", opts.led_count},
                             {"fps", opts.fps},
                             {"integration_ids", {integration_id}}},
                            201);
    device_id = device.at("id").get<std::string>();
    auto path = "/api/v1/game-integrations/" + integration_id + "/event";
    const std::string body = R"({"event_type":"hit"})";
    auto settle = std::chrono::duration<double, std::milli>{
        opts.settle_ms >= 0 ? opts.settle_ms : 2000.0 / opts.fps + 1.0};

    // The HTTP floor: a route that does not touch the actors.
    std::vector<double> health_us;
    for (int i = 0; i < std::min(opts.events, 2000); ++i) {
      auto t0 = realtime_ns();
      http.get("/api/v1/health");
      health_us.push_back(static_cast<double>(realtime_ns() - t0) / 1000.0);
    }

    std::vector<double> latency_us;
    std::vector<double> response_us;
    latency_us.reserve(static_cast<std::size_t>(opts.events));
    response_us.reserve(static_cast<std::size_t>(opts.events));
    int missed = 0;
    int unlit = 0;
    int extra = 0;
    int light_before_answer = 0;
    auto started = std::chrono::steady_clock::now();
    for (int i = 0; i < opts.warmup + opts.events; ++i) {
      std::this_thread::sleep_for(settle);
      auto stray = socket.drain();
      auto t0 = realtime_ns();
      auto code = http.ingest(path, body);
      auto t1 = realtime_ns();
      if (code != 200)
        throw std::runtime_error("ingestion answered " + std::to_string(code));
      std::optional<std::int64_t> lit_at;
      auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds{1};
      while (!lit_at && std::chrono::steady_clock::now() < deadline) {
        auto d = socket.receive(100);
        if (!d)
          continue;
        if (is_lit_frame(d->bytes))
          lit_at = d->received_ns;
        else if (i >= opts.warmup)
          ++unlit;
      }
      if (i < opts.warmup)
        continue;
      extra += stray;
      if (!lit_at) {
        ++missed;
        continue;
      }
      latency_us.push_back(static_cast<double>(*lit_at - t0) / 1000.0);
      response_us.push_back(static_cast<double>(t1 - t0) / 1000.0);
      if (*lit_at <= t1)
        ++light_before_answer;
    }
    auto elapsed = std::chrono::duration<double>(std::chrono::steady_clock::now() - started);

    auto device_status = http.get("/api/v1/devices/" + device_id + "/status");
    std::printf("event_to_light: device fps=%d leds=%d protocol=ddp, flash %d ms, settle %.2f ms "
                "before each event (idle -> lit path), warmup %d, %.1f s\n",
                opts.fps, opts.led_count, flash_ms, settle.count(), opts.warmup, elapsed.count());
    print_summary("event_to_light", latency_us);
    print_summary("http_round_trip", response_us);
    print_summary("health_round_trip", health_us);
    std::printf("checks: missed=%d non_matching_datagrams=%d datagrams_between_events=%d "
                "light_before_http_answer=%d/%zu device_frames_sent=%s\n",
                missed, unlit, extra, light_before_answer, latency_us.size(),
                device_status.at("frames_sent").dump().c_str());
    auto p99 = latency_us.empty()
                   ? 0.0
                   : (std::sort(latency_us.begin(), latency_us.end()), percentile(latency_us, 99));
    auto p50 = percentile(latency_us, 50);
    std::printf("targets: p99 < 2000 us %s, p50 < 500 us %s\n", p99 < 2000 ? "met" : "MISSED",
                p50 < 500 ? "met" : "MISSED");
    if (missed > 0)
      status = 1;
  } catch (const std::exception& e) {
    std::cerr << "error: " << e.what() << "\n";
    status = 1;
  }
  if (!device_id.empty())
    http.remove("/api/v1/devices/" + device_id);
  http.remove("/api/v1/game-integrations/" + integration_id);
  return status;
}

} // namespace

int main(int argc, char** argv) {
  auto opts = parse_options(argc, argv);
  try {
    return opts.sink > 0 ? run_sink(opts) : run_latency(opts);
  } catch (const std::exception& e) {
    std::cerr << "error: " << e.what() << "\n";
    return 1;
  }
}
