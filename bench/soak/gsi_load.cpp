/// Soak load for a running gamelightd: many CS2 games posting GSI payloads at a fixed
/// rate while WLED devices render, sampled in fixed windows.
///
/// Setup (over the REST API at `--url`): binds `--devices` UDP sinks on 127.0.0.1,
/// creates `--integrations` CS2 integrations (each with its own token and a set of event
/// mappings: sticky `solid`/`pulse` on the round phases, a 40 s `countdown` on the bomb,
/// flashes, fades, strobes and gauges on the rest) and `--devices` DDP devices pointing at
/// the sinks, each driven by every integration whose index is equal to its own modulo the
/// device count.
///
/// Load: one keep-alive connection per integration, all driven by one epoll loop. Each
/// integration posts the CS2 fixtures (`cs2_*.json` in `--fixtures`, sorted, with its own
/// token) in a cycle, at `--rate` per second on an absolute schedule (timerfd, phases
/// spread over the period). A send that cannot start on time (the previous answer is
/// still pending) goes as soon as that answer arrives; a slot more than a second behind
/// is skipped and counted as missed. Latency is send start -> last byte of the answer.
/// An answer not complete within `--timeout-ms` counts as a timeout and the connection is
/// reopened; a connection closed or reset before its answer is complete counts as an
/// error and is reopened (one that the server closes after an answer, e.g. at its
/// keep-alive request limit, is reopened quietly).
///
/// Sampling: every `--window` seconds, one CSV row (`--csv`) and one line on stdout with
/// the daemon's VmRSS and CPU % (utime+stime delta of `--pid`), the generator's own CPU %,
/// the load average, the window's requests, answers by class, timeouts, errors, missed and
/// late sends, latency p50/p99/max, events named in the answers, the deltas of the
/// daemon's `/metrics` counters (accepted payloads, rejections, frames, send errors) and
/// what the sinks received (DDP frames = datagrams with the push flag, datagrams, bytes).
/// After `--seconds` it stops, prints a summary (first vs last window) and exits 0 when no
/// request failed and the sinks got frames in every window, 1 otherwise.

#include <httplib.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <arpa/inet.h>
#include <atomic>
#include <cerrno>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fcntl.h>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <memory>
#include <mutex>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sstream>
#include <stdexcept>
#include <string>
#include <string_view>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <sys/timerfd.h>
#include <thread>
#include <time.h>
#include <unistd.h>
#include <vector>

namespace {

using json = nlohmann::json;
using clock_type = std::chrono::steady_clock;

constexpr std::string_view fixture_token = "wled-gsi-7f3c9a12e4b8";
constexpr std::int64_t max_behind_ns = 1'000'000'000;

struct options {
  std::string host = "127.0.0.1";
  int port = 0;
  std::string fixtures = "tests/data";
  int integrations = 100;
  int rate = 64;
  int devices = 20;
  int leds = 600;
  int fps = 60;
  int seconds = 120;
  int window = 10;
  int timeout_ms = 2000;
  int pid = 0;
  std::string csv;
};

[[noreturn]] void usage() {
  std::cerr << "usage: gamelight_gsi_load --url=http://127.0.0.1:PORT --pid=DAEMON_PID "
               "[--fixtures=DIR] [--integrations=N] [--rate=HZ] [--devices=N] [--leds=N] "
               "[--fps=N] [--seconds=S] [--window=S] [--timeout-ms=MS] [--csv=FILE]\n";
  std::exit(2);
}

options parse_options(int argc, char** argv) {
  options o;
  for (int i = 1; i < argc; ++i) {
    std::string_view arg{argv[i]};
    auto eq = arg.find('=');
    if (arg.substr(0, 2) != "--" || eq == std::string_view::npos)
      usage();
    auto key = arg.substr(2, eq - 2);
    std::string value{arg.substr(eq + 1)};
    if (key == "url") {
      constexpr std::string_view scheme = "http://";
      if (value.compare(0, scheme.size(), scheme) != 0)
        usage();
      auto rest = value.substr(scheme.size());
      auto colon = rest.rfind(':');
      if (colon == std::string::npos)
        usage();
      o.host = rest.substr(0, colon);
      o.port = std::stoi(rest.substr(colon + 1));
    } else if (key == "pid")
      o.pid = std::stoi(value);
    else if (key == "fixtures")
      o.fixtures = value;
    else if (key == "integrations")
      o.integrations = std::stoi(value);
    else if (key == "rate")
      o.rate = std::stoi(value);
    else if (key == "devices")
      o.devices = std::stoi(value);
    else if (key == "leds")
      o.leds = std::stoi(value);
    else if (key == "fps")
      o.fps = std::stoi(value);
    else if (key == "seconds")
      o.seconds = std::stoi(value);
    else if (key == "window")
      o.window = std::stoi(value);
    else if (key == "timeout-ms")
      o.timeout_ms = std::stoi(value);
    else if (key == "csv")
      o.csv = value;
    else
      usage();
  }
  if (o.port <= 0 || o.pid <= 0 || o.integrations < 1 || o.rate < 1 || o.rate > 1000
      || o.devices < 1 || o.leds < 1 || o.fps < 1 || o.seconds < 1 || o.window < 1
      || o.timeout_ms < 1)
    usage();
  return o;
}

[[nodiscard]] std::int64_t now_ns() noexcept {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(clock_type::now().time_since_epoch())
      .count();
}

// -- daemon and machine readings --------------------------------------------------------

/// utime + stime of a process in clock ticks, or -1.
[[nodiscard]] long long cpu_ticks(const std::string& stat_path) {
  std::ifstream in{stat_path};
  std::string text;
  std::getline(in, text);
  auto close = text.rfind(')');
  if (close == std::string::npos)
    return -1;
  std::istringstream fields{text.substr(close + 2)};
  std::string field;
  long long utime = 0;
  long long stime = 0;
  // Fields after the command: state is field 3, utime 14, stime 15.
  for (int i = 3; i <= 15 && fields >> field; ++i) {
    if (i == 14)
      utime = std::stoll(field);
    else if (i == 15)
      stime = std::stoll(field);
  }
  return utime + stime;
}

/// A `Key:   N kB`-style value from /proc/PID/status, or -1.
[[nodiscard]] long long status_value(int pid, std::string_view key) {
  std::ifstream in{"/proc/" + std::to_string(pid) + "/status"};
  std::string line;
  while (std::getline(in, line))
    if (line.compare(0, key.size(), key) == 0 && line.size() > key.size()
        && line[key.size()] == ':')
      return std::stoll(line.substr(key.size() + 1));
  return -1;
}

[[nodiscard]] double load_average() {
  std::ifstream in{"/proc/loadavg"};
  double one = -1;
  in >> one;
  return one;
}

/// Sums of the `/metrics` counters the soak watches.
struct metric_sums {
  bool ok = false;
  double payloads = 0;
  double rejected = 0;
  double events = 0;
  double frames = 0;
  double send_errors = 0;
  double ingest_seconds = 0;
  double ingest_count = 0;
  /// Gauges: the allocator's bytes in use and held from the kernel.
  double heap_in_use = 0;
  double heap_mapped = 0;
};

[[nodiscard]] metric_sums scrape(httplib::Client& client) {
  metric_sums m;
  auto res = client.Get("/metrics");
  if (!res || res->status != 200)
    return m;
  std::istringstream in{res->body};
  std::string line;
  auto family_of = [](const std::string& l) {
    return l.substr(0, l.find_first_of("{ "));
  };
  while (std::getline(in, line)) {
    if (line.empty() || line[0] == '#')
      continue;
    auto space = line.rfind(' ');
    if (space == std::string::npos)
      continue;
    double value = std::strtod(line.c_str() + space + 1, nullptr);
    auto family = family_of(line);
    if (family == "gamelight_payloads_total")
      m.payloads += value;
    else if (family == "gamelight_payloads_rejected_total")
      m.rejected += value;
    else if (family == "gamelight_events_total")
      m.events += value;
    else if (family == "gamelight_device_frames_total")
      m.frames += value;
    else if (family == "gamelight_device_send_errors_total")
      m.send_errors += value;
    else if (family == "gamelight_ingest_latency_seconds_sum")
      m.ingest_seconds += value;
    else if (family == "gamelight_ingest_latency_seconds_count")
      m.ingest_count += value;
    else if (family == "gamelight_heap_in_use_bytes")
      m.heap_in_use = value;
    else if (family == "gamelight_heap_mapped_bytes")
      m.heap_mapped = value;
  }
  m.ok = true;
  return m;
}

// -- UDP sinks ---------------------------------------------------------------------------

struct sink_counts {
  std::atomic<std::uint64_t> frames{0};
  std::atomic<std::uint64_t> datagrams{0};
  std::atomic<std::uint64_t> bytes{0};
};

class udp_sinks {
public:
  explicit udp_sinks(int n) {
    for (int i = 0; i < n; ++i) {
      int fd = ::socket(AF_INET, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
      if (fd < 0)
        throw std::runtime_error{"socket failed"};
      int size = 1 << 20;
      ::setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &size, sizeof size);
      sockaddr_in addr{};
      addr.sin_family = AF_INET;
      addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
      if (::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0)
        throw std::runtime_error{"bind failed"};
      socklen_t len = sizeof addr;
      ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len);
      fds_.push_back(pollfd{fd, POLLIN, 0});
      ports_.push_back(ntohs(addr.sin_port));
    }
  }
  udp_sinks(const udp_sinks&) = delete;
  udp_sinks& operator=(const udp_sinks&) = delete;
  ~udp_sinks() {
    for (auto& p : fds_)
      ::close(p.fd);
  }

  [[nodiscard]] const std::vector<unsigned>& ports() const noexcept {
    return ports_;
  }

  /// Drains every socket until `stop` is set.
  void run(const std::atomic<bool>& stop, sink_counts& counts) {
    std::vector<std::uint8_t> buf(65536);
    while (!stop.load(std::memory_order_relaxed)) {
      if (::poll(fds_.data(), fds_.size(), 100) <= 0)
        continue;
      for (auto& p : fds_) {
        if ((p.revents & POLLIN) == 0)
          continue;
        ssize_t n = 0;
        while ((n = ::recv(p.fd, buf.data(), buf.size(), MSG_DONTWAIT)) >= 0) {
          counts.datagrams.fetch_add(1, std::memory_order_relaxed);
          counts.bytes.fetch_add(static_cast<std::uint64_t>(n), std::memory_order_relaxed);
          // DDP: the push flag (bit 0 of the first byte) marks a frame's last packet.
          if (n > 0 && (buf[0] & 0x01) != 0)
            counts.frames.fetch_add(1, std::memory_order_relaxed);
        }
      }
    }
  }

private:
  std::vector<pollfd> fds_;
  std::vector<unsigned> ports_;
};

// -- setup -------------------------------------------------------------------------------

[[nodiscard]] std::string token_of(int i) {
  char buf[40];
  std::snprintf(buf, sizeof buf, "soak-token-%04d-c0ffee", i);
  return buf;
}

[[nodiscard]] json mappings_for(int i) {
  auto hue = [i](int shift) {
    return json::array({(i * 37 + shift) % 256, (i * 91 + shift) % 256, (i * 53 + shift) % 256});
  };
  auto m = [](const char* event, const char* effect, json color, int duration_ms, int priority) {
    return json{{"event_type", event},
                {"effect", effect},
                {"color", std::move(color)},
                {"duration_ms", duration_ms},
                {"priority", priority}};
  };
  return json::array({
      m("round_freezetime", "solid", hue(0), 0, 10),
      m("round_live", "pulse", hue(64), 0, 10),
      m("bomb_planted", "countdown", json::array({255, 0, 0}), 40000, 80),
      m("bomb_defused", "wipe", json::array({0, 80, 255}), 1000, 85),
      m("bomb_exploded", "flash", json::array({255, 120, 0}), 800, 85),
      m("round_won", "wipe", json::array({0, 255, 0}), 1500, 70),
      m("round_lost", "fade", json::array({255, 0, 0}), 1500, 70),
      m("damage_taken", "strobe", json::array({255, 40, 40}), 200, 60),
      m("health_changed", "gauge", json::array({0, 255, 60}), 1000, 40),
      m("death", "fade", json::array({120, 0, 0}), 1000, 88),
      m("kill", "flash", json::array({255, 255, 255}), 300, 90),
      m("headshot", "flash", json::array({255, 255, 0}), 150, 95),
      m("flashed", "fade", json::array({255, 255, 255}), 800, 75),
  });
}

struct created {
  std::vector<std::string> integrations;
  std::vector<std::string> devices;
};

/// Creates the integrations and devices.
created set_up(const options& o, const std::vector<unsigned>& sink_ports) {
  httplib::Client client{o.host, o.port};
  client.set_connection_timeout(std::chrono::seconds{5});
  client.set_read_timeout(std::chrono::seconds{10});
  auto post = [&client](const std::string& path, const json& body) {
    auto res = client.Post(path.c_str(), body.dump(), "application/json");
    if (!res || res->status != 201)
      throw std::runtime_error{
          "POST " + path + " failed: "
          + (res ? std::to_string(res->status) + " " + res->body : std::string{"no answer"})};
    return json::parse(res->body).at("id").get<std::string>();
  };
  created result;
  auto& ids = result.integrations;
  for (int i = 0; i < o.integrations; ++i)
    ids.push_back(
        post("/api/v1/game-integrations", json{{"name", "soak cs2 " + std::to_string(i)},
                                               {"adapter_type", "cs2"},
                                               {"adapter_config", {{"token", token_of(i)}}},
                                               {"event_mappings", mappings_for(i)}}));
  for (int d = 0; d < o.devices; ++d) {
    json subscribed = json::array();
    for (int i = d; i < o.integrations; i += o.devices)
      subscribed.push_back(ids[static_cast<std::size_t>(i)]);
    result.devices.push_back(
        post("/api/v1/devices", json{{"name", "soak strip " + std::to_string(d)},
                                     {"host", "127.0.0.1"},
                                     {"port", sink_ports[static_cast<std::size_t>(d)]},
                                     {"protocol", "ddp"},
                                     {"led_count", o.leds},
                                     {"fps", o.fps},
                                     {"integration_ids", std::move(subscribed)}}));
  }
  return result;
}

/// The CS2 fixtures in name order, each as read.
[[nodiscard]] std::vector<std::string> load_fixtures(const std::string& dir) {
  std::vector<std::filesystem::path> paths;
  for (auto& entry : std::filesystem::directory_iterator{dir}) {
    auto name = entry.path().filename().string();
    if (name.rfind("cs2_", 0) == 0 && entry.path().extension() == ".json")
      paths.push_back(entry.path());
  }
  std::sort(paths.begin(), paths.end());
  std::vector<std::string> bodies;
  for (auto& p : paths) {
    std::ifstream in{p, std::ios::binary};
    std::ostringstream text;
    text << in.rdbuf();
    if (text.str().find(fixture_token) == std::string::npos)
      throw std::runtime_error{"fixture without the known token: " + p.string()};
    bodies.push_back(text.str());
  }
  if (bodies.empty())
    throw std::runtime_error{"no cs2_*.json in " + dir};
  return bodies;
}

// -- window statistics -------------------------------------------------------------------

/// What the load loop saw in one window; swapped out by the sampler.
struct window_stats {
  std::vector<std::uint32_t> latencies_us;
  std::uint64_t sent = 0;
  std::uint64_t ok = 0;
  std::uint64_t non_200 = 0;
  std::uint64_t errors = 0;
  std::uint64_t timeouts = 0;
  std::uint64_t missed = 0;
  std::uint64_t late = 0;
  std::uint64_t events = 0;
  std::uint64_t reconnects = 0;
  std::map<int, std::uint64_t> statuses;
};

[[nodiscard]] double percentile(std::vector<std::uint32_t>& v, double p) {
  if (v.empty())
    return 0;
  auto k = static_cast<std::size_t>(p / 100.0 * static_cast<double>(v.size() - 1) + 0.5);
  std::nth_element(v.begin(), v.begin() + static_cast<std::ptrdiff_t>(k), v.end());
  return v[k];
}

// -- load loop ---------------------------------------------------------------------------

enum class conn_state { idle, waiting };

struct connection {
  int fd = -1;
  conn_state state = conn_state::idle;
  std::size_t integration = 0;
  std::size_t next_fixture = 0;
  std::int64_t deadline = 0; // next scheduled send (steady ns)
  std::int64_t sent_at = 0;
  const std::string* request = nullptr;
  std::size_t written = 0;
  std::string in;
};

class load_loop {
public:
  load_loop(const options& o, const std::vector<std::string>& ids,
            const std::vector<std::string>& fixtures)
      : opts_{o}, period_ns_{1'000'000'000 / o.rate} {
    addr_.sin_family = AF_INET;
    addr_.sin_port = htons(static_cast<std::uint16_t>(o.port));
    if (::inet_pton(AF_INET, o.host.c_str(), &addr_.sin_addr) != 1)
      throw std::runtime_error{"--url needs an IPv4 address"};
    for (std::size_t i = 0; i < ids.size(); ++i) {
      std::vector<std::string> per;
      auto token = token_of(static_cast<int>(i));
      for (auto body : fixtures) {
        for (auto pos = body.find(fixture_token); pos != std::string::npos;
             pos = body.find(fixture_token, pos + token.size()))
          body.replace(pos, fixture_token.size(), token);
        per.push_back("POST /api/v1/game-integrations/" + ids[i] + "/event HTTP/1.1\r\nHost: "
                      + o.host + "\r\nContent-Type: application/json\r\nContent-Length: "
                      + std::to_string(body.size()) + "\r\n\r\n" + body);
      }
      requests_.push_back(std::move(per));
    }
    conns_.resize(ids.size());
    epoll_ = ::epoll_create1(EPOLL_CLOEXEC);
    timer_ = ::timerfd_create(CLOCK_MONOTONIC, TFD_NONBLOCK | TFD_CLOEXEC);
    epoll_event ev{};
    ev.events = EPOLLIN;
    ev.data.u64 = timer_tag;
    ::epoll_ctl(epoll_, EPOLL_CTL_ADD, timer_, &ev);
  }
  load_loop(const load_loop&) = delete;
  load_loop& operator=(const load_loop&) = delete;
  ~load_loop() {
    for (auto& c : conns_)
      if (c.fd >= 0)
        ::close(c.fd);
    ::close(timer_);
    ::close(epoll_);
  }

  /// Takes the statistics gathered since the last call.
  window_stats take() {
    std::lock_guard guard{mutex_};
    window_stats out;
    std::swap(out, stats_);
    stats_.latencies_us.reserve(out.latencies_us.capacity());
    return out;
  }

  /// Runs until `end` (steady ns) or until `stop` is set.
  void run(std::int64_t start, std::int64_t end, const std::atomic<bool>& stop) {
    for (std::size_t i = 0; i < conns_.size(); ++i) {
      auto& c = conns_[i];
      c.integration = i;
      // Spread the phases so that the sends are even over each period.
      c.deadline
          = start
            + static_cast<std::int64_t>(i) * period_ns_ / static_cast<std::int64_t>(conns_.size());
      open(c);
    }
    std::vector<epoll_event> events(conns_.size() + 1);
    while (!stop.load(std::memory_order_relaxed)) {
      auto now = now_ns();
      if (now >= end)
        break;
      std::int64_t wake = end;
      for (auto& c : conns_) {
        if (c.state == conn_state::idle) {
          if (c.deadline <= now)
            send(c, now);
          else
            wake = std::min(wake, c.deadline);
        }
        if (c.state == conn_state::waiting) {
          auto limit = c.sent_at + std::int64_t{opts_.timeout_ms} * 1'000'000;
          if (limit <= now) {
            count([](window_stats& s) { ++s.timeouts; });
            reopen(c);
            wake = std::min(wake, c.deadline);
          } else {
            wake = std::min(wake, limit);
          }
        }
      }
      arm(wake);
      int n = ::epoll_wait(epoll_, events.data(), static_cast<int>(events.size()), 1000);
      for (int k = 0; k < n; ++k) {
        if (events[static_cast<std::size_t>(k)].data.u64 == timer_tag) {
          std::uint64_t expirations = 0;
          [[maybe_unused]] auto r = ::read(timer_, &expirations, sizeof expirations);
          continue;
        }
        auto& c = conns_[events[static_cast<std::size_t>(k)].data.u64];
        if ((events[static_cast<std::size_t>(k)].events & EPOLLOUT) != 0 && c.request)
          flush(c);
        if ((events[static_cast<std::size_t>(k)].events & (EPOLLIN | EPOLLERR | EPOLLHUP)) != 0)
          receive(c);
      }
    }
  }

private:
  static constexpr std::uint64_t timer_tag = ~std::uint64_t{0};

  template <class F>
  void count(F&& f) {
    std::lock_guard guard{mutex_};
    f(stats_);
  }

  void arm(std::int64_t at) {
    itimerspec spec{};
    spec.it_value.tv_sec = static_cast<time_t>(at / 1'000'000'000);
    spec.it_value.tv_nsec = static_cast<long>(at % 1'000'000'000);
    // steady_clock is CLOCK_MONOTONIC on Linux, so its epoch is the timer's.
    ::timerfd_settime(timer_, TFD_TIMER_ABSTIME, &spec, nullptr);
  }

  void open(connection& c) {
    c.fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (c.fd < 0)
      throw std::runtime_error{"socket failed"};
    int on = 1;
    ::setsockopt(c.fd, IPPROTO_TCP, TCP_NODELAY, &on, sizeof on);
    // A blocking connect on loopback returns at once; the socket is made non-blocking after.
    if (::connect(c.fd, reinterpret_cast<const sockaddr*>(&addr_), sizeof addr_) != 0) {
      count([](window_stats& s) { ++s.errors; });
      ::close(c.fd);
      c.fd = -1;
      return;
    }
    ::fcntl(c.fd, F_SETFL, O_NONBLOCK);
    epoll_event ev{};
    ev.events = EPOLLIN;
    ev.data.u64 = static_cast<std::uint64_t>(&c - conns_.data());
    ::epoll_ctl(epoll_, EPOLL_CTL_ADD, c.fd, &ev);
    c.state = conn_state::idle;
    c.in.clear();
  }

  void reopen(connection& c) {
    if (c.fd >= 0) {
      ::epoll_ctl(epoll_, EPOLL_CTL_DEL, c.fd, nullptr);
      ::close(c.fd);
      c.fd = -1;
    }
    c.state = conn_state::idle;
    c.request = nullptr;
    count([](window_stats& s) { ++s.reconnects; });
    // The deadline already moved on when the request went out.
    open(c);
  }

  /// Moves the deadline to the next slot; skips slots that are too far behind.
  void advance(connection& c, std::int64_t now) {
    c.deadline += period_ns_;
    if (now - c.deadline > max_behind_ns) {
      auto skipped = (now - c.deadline) / period_ns_;
      c.deadline += skipped * period_ns_;
      count([skipped](window_stats& s) { s.missed += static_cast<std::uint64_t>(skipped); });
    }
  }

  void send(connection& c, std::int64_t now) {
    if (c.fd < 0) {
      open(c);
      if (c.fd < 0) {
        advance(c, now);
        return;
      }
    }
    auto& per = requests_[c.integration];
    c.request = &per[c.next_fixture];
    c.next_fixture = (c.next_fixture + 1) % per.size();
    c.written = 0;
    c.in.clear();
    c.state = conn_state::waiting;
    c.sent_at = now;
    bool late = now - c.deadline > period_ns_;
    count([late](window_stats& s) {
      ++s.sent;
      if (late)
        ++s.late;
    });
    advance(c, now);
    flush(c);
  }

  void flush(connection& c) {
    while (c.written < c.request->size()) {
      auto n = ::send(c.fd, c.request->data() + c.written, c.request->size() - c.written,
                      MSG_NOSIGNAL);
      if (n < 0) {
        if (errno == EAGAIN || errno == EWOULDBLOCK) {
          watch(c, EPOLLIN | EPOLLOUT);
          return;
        }
        count([](window_stats& s) { ++s.errors; });
        reopen(c);
        return;
      }
      c.written += static_cast<std::size_t>(n);
    }
    watch(c, EPOLLIN);
  }

  void watch(connection& c, std::uint32_t what) {
    epoll_event ev{};
    ev.events = what;
    ev.data.u64 = static_cast<std::uint64_t>(&c - conns_.data());
    ::epoll_ctl(epoll_, EPOLL_CTL_MOD, c.fd, &ev);
  }

  void receive(connection& c) {
    char buf[16384];
    bool closed = false;
    for (;;) {
      auto n = ::recv(c.fd, buf, sizeof buf, 0);
      if (n > 0) {
        c.in.append(buf, static_cast<std::size_t>(n));
        continue;
      }
      closed = n == 0 || (errno != EAGAIN && errno != EWOULDBLOCK);
      break;
    }
    // The server may write its last answer (`Connection: close`) and close at once, so
    // the FIN can arrive with the answer: take the answer first, then look at the close.
    bool close_after = false;
    if (c.state == conn_state::waiting)
      take_answer(c, close_after);
    if (!closed && !close_after)
      return;
    // Closed or reset with no complete answer while one was due: an error.
    if (c.state == conn_state::waiting)
      count([](window_stats& s) { ++s.errors; });
    reopen(c);
  }

  /// Counts the answer in `c.in` when it is complete and makes the connection idle.
  void take_answer(connection& c, bool& close_after) {
    auto head_end = c.in.find("\r\n\r\n");
    if (head_end == std::string::npos)
      return;
    std::string_view head{c.in.data(), head_end};
    std::size_t length = 0;
    std::size_t line = head.find("\r\n");
    while (line != std::string_view::npos && line < head.size()) {
      auto next = head.find("\r\n", line + 2);
      auto field
          = head.substr(line + 2, (next == std::string_view::npos ? head.size() : next) - line - 2);
      auto colon = field.find(':');
      if (colon != std::string_view::npos) {
        std::string name{field.substr(0, colon)};
        std::transform(name.begin(), name.end(), name.begin(),
                       [](unsigned char ch) { return static_cast<char>(std::tolower(ch)); });
        auto value = field.substr(colon + 1);
        while (!value.empty() && value.front() == ' ')
          value.remove_prefix(1);
        if (name == "content-length")
          length = std::strtoull(std::string{value}.c_str(), nullptr, 10);
        else if (name == "connection" && (value == "close" || value == "Close"))
          close_after = true;
      }
      line = next;
    }
    if (c.in.size() < head_end + 4 + length)
      return;
    auto done = now_ns();
    int status = head.size() > 12 ? std::atoi(std::string{head.substr(9, 3)}.c_str()) : 0;
    std::string_view body{c.in.data() + head_end + 4, length};
    std::uint64_t fired = 0;
    if (auto at = body.find("\"events\""); at != std::string_view::npos) {
      auto open_bracket = body.find('[', at);
      auto close_bracket = body.find(']', at);
      if (open_bracket != std::string_view::npos && close_bracket != std::string_view::npos)
        fired = static_cast<std::uint64_t>(
                    std::count(body.begin() + static_cast<std::ptrdiff_t>(open_bracket),
                               body.begin() + static_cast<std::ptrdiff_t>(close_bracket), '"'))
                / 2;
    }
    auto latency_us = static_cast<std::uint32_t>(
        std::min<std::int64_t>((done - c.sent_at) / 1000, std::int64_t{UINT32_MAX}));
    count([&](window_stats& s) {
      s.latencies_us.push_back(latency_us);
      if (status == 200)
        ++s.ok;
      else {
        ++s.non_200;
        ++s.statuses[status];
      }
      s.events += fired;
    });
    c.in.erase(0, head_end + 4 + length);
    c.state = conn_state::idle;
    c.request = nullptr;
  }

  const options& opts_;
  std::int64_t period_ns_;
  sockaddr_in addr_{};
  std::vector<std::vector<std::string>> requests_;
  std::vector<connection> conns_;
  int epoll_ = -1;
  int timer_ = -1;
  std::mutex mutex_;
  window_stats stats_;
};

// -- sampling ----------------------------------------------------------------------------

struct sample {
  double t_s = 0;
  long long rss_kb = 0;
  long long rss_anon_kb = 0;
  double cpu_pct = 0;
  long long threads = 0;
  double gen_cpu_pct = 0;
  double load1 = 0;
  window_stats w;
  double p50 = 0;
  double p99 = 0;
  double max = 0;
  metric_sums metrics_delta;
  /// Mean time from receiving a payload to its answer inside the daemon (its histogram).
  double server_mean_us = 0;
  std::uint64_t sink_frames = 0;
  std::uint64_t sink_datagrams = 0;
  std::uint64_t sink_bytes = 0;
  double heap_in_use_kb = -1;
  double heap_mapped_kb = -1;
};

constexpr const char* csv_header
    = "t_s,rss_kb,rss_anon_kb,cpu_pct,threads,gen_cpu_pct,load1,sent,ok,non_200,errors,timeouts,"
      "missed,late,"
      "p50_us,p99_us,max_us,server_mean_us,events_in_answers,metrics_payloads,metrics_rejected,"
      "metrics_events,"
      "metrics_frames,metrics_send_errors,sink_frames,sink_datagrams,sink_bytes,reconnects,"
      "heap_in_use_kb,heap_mapped_kb,statuses";

[[nodiscard]] std::string csv_row(const sample& s) {
  std::string statuses;
  for (auto& [code, n] : s.w.statuses) {
    if (!statuses.empty())
      statuses.push_back(' ');
    statuses.append(std::to_string(code)).push_back(':');
    statuses.append(std::to_string(n));
  }
  char buf[512];
  std::snprintf(
      buf, sizeof buf,
      "%.1f,%lld,%lld,%.2f,%lld,%.2f,%.2f,%llu,%llu,%llu,%llu,%llu,%llu,%llu,%.0f,%.0f,"
      "%.0f,%.0f,%llu,%.0f,%.0f,%.0f,%.0f,%.0f,%llu,%llu,%llu,%llu,%.0f,%.0f,",
      s.t_s, s.rss_kb, s.rss_anon_kb, s.cpu_pct, s.threads, s.gen_cpu_pct, s.load1,
      static_cast<unsigned long long>(s.w.sent), static_cast<unsigned long long>(s.w.ok),
      static_cast<unsigned long long>(s.w.non_200), static_cast<unsigned long long>(s.w.errors),
      static_cast<unsigned long long>(s.w.timeouts), static_cast<unsigned long long>(s.w.missed),
      static_cast<unsigned long long>(s.w.late), s.p50, s.p99, s.max, s.server_mean_us,
      static_cast<unsigned long long>(s.w.events), s.metrics_delta.payloads,
      s.metrics_delta.rejected, s.metrics_delta.events, s.metrics_delta.frames,
      s.metrics_delta.send_errors, static_cast<unsigned long long>(s.sink_frames),
      static_cast<unsigned long long>(s.sink_datagrams),
      static_cast<unsigned long long>(s.sink_bytes),
      static_cast<unsigned long long>(s.w.reconnects), s.heap_in_use_kb, s.heap_mapped_kb);
  return buf + statuses;
}

int run(const options& o) {
  auto fixtures = load_fixtures(o.fixtures);
  udp_sinks sinks{o.devices};
  auto made = set_up(o, sinks.ports());
  auto& ids = made.integrations;
  std::printf("setup: %d cs2 integrations x %d Hz (%zu fixtures in a cycle), %d ddp devices x %d "
              "LEDs at %d fps, %d s, %d s windows\n",
              o.integrations, o.rate, fixtures.size(), o.devices, o.leds, o.fps, o.seconds,
              o.window);
  std::fflush(stdout);

  std::FILE* csv = o.csv.empty() ? nullptr : std::fopen(o.csv.c_str(), "w");
  if (!o.csv.empty() && csv == nullptr)
    throw std::runtime_error{"cannot write " + o.csv};
  if (csv) {
    std::fprintf(csv, "%s\n", csv_header);
    std::fflush(csv);
  }

  std::atomic<bool> stop{false};
  sink_counts sunk;
  std::thread sink_thread{[&] {
    sinks.run(stop, sunk);
  }};
  load_loop loop{o, ids, fixtures};
  auto start = now_ns() + 100'000'000;
  auto end = start + std::int64_t{o.seconds} * 1'000'000'000;
  std::thread load_thread{[&] {
    loop.run(start, end, stop);
  }};

  httplib::Client metrics_client{o.host, o.port};
  metrics_client.set_connection_timeout(std::chrono::seconds{5});
  metrics_client.set_read_timeout(std::chrono::seconds{5});
  auto stat_path = "/proc/" + std::to_string(o.pid) + "/stat";
  auto hz = static_cast<double>(::sysconf(_SC_CLK_TCK));

  auto prev_metrics = scrape(metrics_client);
  auto prev_ticks = cpu_ticks(stat_path);
  auto prev_gen_ticks = cpu_ticks("/proc/self/stat");
  std::uint64_t prev_frames = 0;
  std::uint64_t prev_datagrams = 0;
  std::uint64_t prev_bytes = 0;
  auto prev_t = now_ns();
  std::vector<sample> samples;
  auto windows = (o.seconds + o.window - 1) / o.window;
  for (int k = 1; k <= windows; ++k) {
    auto at = std::min(start + std::int64_t{k} * o.window * 1'000'000'000, end);
    std::this_thread::sleep_until(clock_type::time_point{std::chrono::nanoseconds{at}});
    sample s;
    auto t = now_ns();
    auto ticks = cpu_ticks(stat_path);
    auto gen_ticks = cpu_ticks("/proc/self/stat");
    s.w = loop.take();
    auto frames = sunk.frames.load();
    auto datagrams = sunk.datagrams.load();
    auto bytes = sunk.bytes.load();
    if (ticks < 0) {
      std::fprintf(stderr, "daemon %d is gone\n", o.pid);
      stop = true;
      break;
    }
    auto elapsed_s = static_cast<double>(t - prev_t) / 1e9;
    s.t_s = static_cast<double>(t - start) / 1e9;
    s.rss_kb = status_value(o.pid, "VmRSS");
    s.rss_anon_kb = status_value(o.pid, "RssAnon");
    s.threads = status_value(o.pid, "Threads");
    s.cpu_pct = 100.0 * static_cast<double>(ticks - prev_ticks) / hz / elapsed_s;
    s.gen_cpu_pct = 100.0 * static_cast<double>(gen_ticks - prev_gen_ticks) / hz / elapsed_s;
    s.load1 = load_average();
    s.p50 = percentile(s.w.latencies_us, 50);
    s.p99 = percentile(s.w.latencies_us, 99);
    s.max = s.w.latencies_us.empty()
                ? 0
                : *std::max_element(s.w.latencies_us.begin(), s.w.latencies_us.end());
    s.sink_frames = frames - prev_frames;
    s.sink_datagrams = datagrams - prev_datagrams;
    s.sink_bytes = bytes - prev_bytes;
    auto m = scrape(metrics_client);
    if (m.ok && prev_metrics.ok) {
      s.metrics_delta.ok = true;
      s.metrics_delta.payloads = m.payloads - prev_metrics.payloads;
      s.metrics_delta.rejected = m.rejected - prev_metrics.rejected;
      s.metrics_delta.events = m.events - prev_metrics.events;
      s.metrics_delta.frames = m.frames - prev_metrics.frames;
      s.metrics_delta.send_errors = m.send_errors - prev_metrics.send_errors;
      auto count = m.ingest_count - prev_metrics.ingest_count;
      s.server_mean_us
          = count > 0 ? 1e6 * (m.ingest_seconds - prev_metrics.ingest_seconds) / count : 0;
    } else {
      s.metrics_delta.payloads = s.metrics_delta.rejected = s.metrics_delta.events = -1;
      s.metrics_delta.frames = s.metrics_delta.send_errors = -1;
    }
    if (m.ok) {
      s.heap_in_use_kb = m.heap_in_use / 1024;
      s.heap_mapped_kb = m.heap_mapped / 1024;
      prev_metrics = m;
    }
    prev_ticks = ticks;
    prev_gen_ticks = gen_ticks;
    prev_frames = frames;
    prev_datagrams = datagrams;
    prev_bytes = bytes;
    prev_t = t;
    std::printf(
        "t=%6.0fs rss=%lldkB anon=%lldkB heap=%.0f/%.0fkB threads=%lld cpu=%5.1f%% gen=%4.1f%% "
        "load=%.2f "
        "sent=%llu ok=%llu non200=%llu err=%llu timeout=%llu reconnects=%llu missed=%llu late=%llu "
        "p50=%.0fus p99=%.0fus max=%.0fus server_mean=%.0fus events=%llu rejected=%.0f "
        "send_err=%.0f frames=%llu/%.0f\n",
        s.t_s, s.rss_kb, s.rss_anon_kb, s.heap_in_use_kb, s.heap_mapped_kb, s.threads, s.cpu_pct,
        s.gen_cpu_pct, s.load1, static_cast<unsigned long long>(s.w.sent),
        static_cast<unsigned long long>(s.w.ok), static_cast<unsigned long long>(s.w.non_200),
        static_cast<unsigned long long>(s.w.errors), static_cast<unsigned long long>(s.w.timeouts),
        static_cast<unsigned long long>(s.w.reconnects),
        static_cast<unsigned long long>(s.w.missed), static_cast<unsigned long long>(s.w.late),
        s.p50, s.p99, s.max, s.server_mean_us, static_cast<unsigned long long>(s.w.events),
        s.metrics_delta.rejected, s.metrics_delta.send_errors,
        static_cast<unsigned long long>(s.sink_frames), s.metrics_delta.frames);
    std::fflush(stdout);
    if (csv) {
      std::fprintf(csv, "%s\n", csv_row(s).c_str());
      std::fflush(csv);
    }
    samples.push_back(std::move(s));
  }
  stop = true;
  load_thread.join();
  // Devices go before the sinks close, so that the daemon's last frames find a socket.
  for (auto& id : made.devices)
    metrics_client.Delete(("/api/v1/devices/" + id).c_str());
  sink_thread.join();
  if (csv)
    std::fclose(csv);
  if (samples.empty())
    return 1;

  std::uint64_t sent = 0;
  std::uint64_t ok = 0;
  std::uint64_t failed = 0;
  std::uint64_t missed = 0;
  std::uint64_t late = 0;
  std::uint64_t events = 0;
  double rejected = 0;
  double send_errors = 0;
  std::uint64_t sink_frames = 0;
  bool frames_every_window = true;
  double worst_p99 = 0;
  double worst_max = 0;
  long long rss_min = samples.front().rss_kb;
  long long rss_max = rss_min;
  for (auto& s : samples) {
    sent += s.w.sent;
    ok += s.w.ok;
    failed += s.w.non_200 + s.w.errors + s.w.timeouts;
    missed += s.w.missed;
    late += s.w.late;
    events += s.w.events;
    rejected += std::max(0.0, s.metrics_delta.rejected);
    send_errors += std::max(0.0, s.metrics_delta.send_errors);
    sink_frames += s.sink_frames;
    frames_every_window = frames_every_window && s.sink_frames > 0;
    worst_p99 = std::max(worst_p99, s.p99);
    worst_max = std::max(worst_max, s.max);
    rss_min = std::min(rss_min, s.rss_kb);
    rss_max = std::max(rss_max, s.rss_kb);
  }
  auto& first = samples.front();
  auto& last = samples.back();
  std::printf("summary: windows=%zu first/last rss=%lld/%lld kB (min %lld, max %lld) "
              "cpu=%.1f/%.1f%% p50=%.0f/%.0f us p99=%.0f/%.0f us (worst p99 %.0f, max %.0f)\n",
              samples.size(), first.rss_kb, last.rss_kb, rss_min, rss_max, first.cpu_pct,
              last.cpu_pct, first.p50, last.p50, first.p99, last.p99, worst_p99, worst_max);
  std::printf("summary: sent=%llu ok=%llu failed=%llu (non-200, errors, timeouts) missed=%llu "
              "late=%llu events=%llu rejected=%.0f send_errors=%.0f sink_frames=%llu\n",
              static_cast<unsigned long long>(sent), static_cast<unsigned long long>(ok),
              static_cast<unsigned long long>(failed), static_cast<unsigned long long>(missed),
              static_cast<unsigned long long>(late), static_cast<unsigned long long>(events),
              rejected, send_errors, static_cast<unsigned long long>(sink_frames));
  return failed == 0 && rejected == 0 && send_errors == 0 && frames_every_window ? 0 : 1;
}

} // namespace

int main(int argc, char** argv) {
  try {
    return run(parse_options(argc, argv));
  } catch (const std::exception& e) {
    std::cerr << "gamelight_gsi_load: " << e.what() << '\n';
    return 2;
  }
}
