/// Costs of the live streams (issue 11) of a running gamelightd, measured from outside.
///
/// `--mode=fanout --pid=P`: creates `--integrations` `generic` integrations, then runs
/// `--rounds` interleaved pairs of rounds, one with `--clients` readers of
/// `GET /api/v1/events/stream` open and one without. In a round, `--senders` keep-alive
/// connections POST one event per payload,
/// `{"event_type":"tick","data":{"k":<index>,"t":<send time, ns>}}`, paced so that every
/// integration gets `--rate` payloads a second for `--seconds` (a sender that falls
/// behind sends at once, so the rate reached is reported). Each reader is a raw socket
/// (one epoll loop reads them all) and checks, per integration, that it received every
/// accepted payload exactly once, in order (`k` and `seq` grow). Prints per round the
/// rate reached, the daemon's CPU (utime+stime of /proc/P/stat) per payload, the POST
/// round trip p50/p99, and with readers the event -> SSE latency (reception - `t`)
/// p50/p99; then the medians, and the median of each round's ratio with / without.
///
/// `--mode=frames --pid=P`: creates a `--leds` device aimed at a UDP socket of this
/// program (drained, never answered), plays a `pulse` on it for ten minutes, then
/// measures the daemon's CPU over `--seconds` with each number of watchers in
/// `--watchers` (readers of `.../frames/stream?fps=--fps`), interleaved, `--rounds` times;
/// prints the medians and the CPU per watcher.
///
/// `--mode=floor`: the fan-out's writes alone, without gamelightd, as the floor to compare
/// the daemon's cost with: one thread of this program writes to `--clients` loopback TCP
/// connections (read by the same epoll reader as the streams) what the daemon would send
/// them for `--integrations` x `--rate` payloads a second during `--seconds`: one SSE
/// message of the same shape per payload and reader, each connection's text sent every
/// `--batch-ms` (10 by default; run.sh gives what the daemon uses for that many streams). Prints
/// that thread's CPU per payload and checks every reader got everything.
///
/// Deletes what it created at the end.

#include "bench/common/measure.hpp"

#include <httplib.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <arpa/inet.h>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <iostream>
#include <map>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <optional>
#include <sstream>
#include <string>
#include <string_view>
#include <sys/epoll.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <thread>
#include <unistd.h>
#include <unordered_map>
#include <vector>

namespace {

using gamelight::bench::cpu_seconds;
using gamelight::bench::own_cpu_seconds;
using gamelight::bench::percentile;
using gamelight::bench::process_cpu;
using json = nlohmann::json;
using clock_type = std::chrono::steady_clock;

struct options {
  std::string mode = "fanout";
  std::string host = "127.0.0.1";
  int port = 8420;
  int pid = 0;
  int integrations = 100;
  int rate = 64;
  int clients = 50;
  int senders = 8;
  double seconds = 10;
  int rounds = 3;
  int leds = 600;
  int fps = 30;
  std::vector<int> watchers = {0, 1, 10};
  /// Floor mode: how often each connection's text is sent.
  int batch_ms = 10;
};

std::vector<int> int_list(const std::string& text) {
  std::vector<int> out;
  std::istringstream in{text};
  for (std::string x; std::getline(in, x, ',');)
    out.push_back(std::stoi(x));
  return out;
}

options parse(int argc, char** argv) {
  options o;
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    auto value = [&](const char* name) {
      return gamelight::bench::arg_value(argv[i], name);
    };
    if (auto v = value("mode"))
      o.mode = v;
    else if (auto v = value("port"))
      o.port = std::stoi(v);
    else if (auto v = value("pid"))
      o.pid = std::stoi(v);
    else if (auto v = value("integrations"))
      o.integrations = std::max(1, std::stoi(v));
    else if (auto v = value("rate"))
      o.rate = std::max(1, std::stoi(v));
    else if (auto v = value("clients"))
      o.clients = std::max(0, std::stoi(v));
    else if (auto v = value("senders"))
      o.senders = std::max(1, std::stoi(v));
    else if (auto v = value("seconds"))
      o.seconds = std::stod(v);
    else if (auto v = value("rounds"))
      o.rounds = std::max(1, std::stoi(v));
    else if (auto v = value("leds"))
      o.leds = std::stoi(v);
    else if (auto v = value("fps"))
      o.fps = std::stoi(v);
    else if (auto v = value("batch-ms"))
      o.batch_ms = std::max(1, std::stoi(v));
    else if (auto v = value("watchers"))
      o.watchers = int_list(v);
    else {
      std::cerr << "unknown argument " << a << '\n';
      std::exit(2);
    }
  }
  return o;
}

double median(std::vector<double> xs) {
  if (xs.empty())
    return 0;
  std::sort(xs.begin(), xs.end());
  auto n = xs.size();
  return n % 2 == 1 ? xs[n / 2] : (xs[n / 2 - 1] + xs[n / 2]) / 2;
}

std::int64_t now_ns() {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(clock_type::now().time_since_epoch())
      .count();
}

/// Parses the unsigned integer at the start of `s`.
std::uint64_t leading_number(std::string_view s) {
  std::uint64_t n = 0;
  for (char c : s) {
    if (c < '0' || c > '9')
      break;
    n = n * 10 + static_cast<std::uint64_t>(c - '0');
  }
  return n;
}

/// Returns the number after `"key":` in `s` (0 when absent).
std::uint64_t number_after(std::string_view s, std::string_view key) {
  auto at = s.find(key);
  return at == std::string_view::npos ? 0 : leading_number(s.substr(at + key.size()));
}

/// Opens a raw connection and sends a GET for `target`; returns the socket (or -1).
int open_stream(const options& o, const std::string& target) {
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  if (fd < 0)
    return -1;
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<std::uint16_t>(o.port));
  ::inet_pton(AF_INET, o.host.c_str(), &addr.sin_addr);
  if (::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
    ::close(fd);
    return -1;
  }
  auto request
      = "GET " + target + " HTTP/1.1\r\nHost: " + o.host + "\r\nAccept: text/event-stream\r\n\r\n";
  if (::send(fd, request.data(), request.size(), MSG_NOSIGNAL)
      != static_cast<ssize_t>(request.size())) {
    ::close(fd);
    return -1;
  }
  return fd;
}

/// What one SSE reader saw.
struct reader {
  int fd = -1;
  std::string buffer;
  bool head_done = false;
  bool head_ok = false;
  bool preamble = false;
  bool closed = false;
  std::uint64_t game_events = 0;
  std::uint64_t status_events = 0;
  std::uint64_t frames = 0;
  std::uint64_t bytes = 0;
  /// Per integration index: events seen, the last `k` and `seq`.
  std::vector<std::uint64_t> count;
  std::vector<std::int64_t> last_k;
  std::vector<std::uint64_t> last_seq;
  std::uint64_t out_of_order = 0;
  std::uint64_t unknown = 0;
  std::vector<std::string> problems;
};

/// Reads the SSE messages of a set of readers in one epoll loop.
class stream_readers {
public:
  stream_readers(const std::unordered_map<std::string, int>* index, std::size_t integrations)
      : index_{index}, integrations_{integrations}, epoll_{::epoll_create1(0)} {}

  ~stream_readers() {
    close_all();
    ::close(epoll_);
  }

  bool add(int fd) {
    if (fd < 0)
      return false;
    auto r = std::make_unique<reader>();
    r->fd = fd;
    r->count.assign(integrations_, 0);
    r->last_k.assign(integrations_, -1);
    r->last_seq.assign(integrations_, 0);
    epoll_event ev{};
    ev.events = EPOLLIN;
    ev.data.u64 = readers_.size();
    ::epoll_ctl(epoll_, EPOLL_CTL_ADD, fd, &ev);
    readers_.push_back(std::move(r));
    return true;
  }

  /// Reads what is there, waiting at most `timeout_ms` for something.
  void poll(int timeout_ms) {
    epoll_event events[64];
    int n = ::epoll_wait(epoll_, events, 64, timeout_ms);
    if (n <= 0)
      return;
    for (int i = 0; i < n; ++i)
      read_some(*readers_[events[i].data.u64], now_ns());
  }

  void close_all() {
    for (auto& r : readers_)
      if (r->fd >= 0) {
        ::close(r->fd);
        r->fd = -1;
      }
  }

  std::vector<std::unique_ptr<reader>>& all() {
    return readers_;
  }
  std::vector<double>& latencies_us() {
    return latencies_;
  }

private:
  void read_some(reader& r, std::int64_t now) {
    char chunk[65536];
    auto got = ::recv(r.fd, chunk, sizeof chunk, MSG_DONTWAIT);
    if (got == 0 || (got < 0 && errno != EAGAIN && errno != EINTR)) {
      if (!r.closed)
        r.problems.push_back("the daemon closed the stream");
      r.closed = true;
      ::epoll_ctl(epoll_, EPOLL_CTL_DEL, r.fd, nullptr);
      return;
    }
    if (got < 0)
      return;
    r.bytes += static_cast<std::uint64_t>(got);
    r.buffer.append(chunk, static_cast<std::size_t>(got));
    std::size_t start = 0;
    if (!r.head_done) {
      auto end = r.buffer.find("\r\n\r\n");
      if (end == std::string::npos)
        return;
      r.head_done = true;
      r.head_ok = r.buffer.rfind("HTTP/1.1 200", 0) == 0;
      if (!r.head_ok)
        r.problems.push_back("answer: " + r.buffer.substr(0, r.buffer.find("\r\n")));
      start = end + 4;
    }
    for (;;) {
      auto end = r.buffer.find("\n\n", start);
      if (end == std::string::npos)
        break;
      message(r, std::string_view{r.buffer}.substr(start, end - start), now);
      start = end + 2;
    }
    r.buffer.erase(0, start);
  }

  void message(reader& r, std::string_view m, std::int64_t now) {
    if (m.rfind("retry:", 0) == 0) {
      r.preamble = true;
      return;
    }
    if (m.rfind("event: frame", 0) == 0) {
      ++r.frames;
      return;
    }
    if (m.rfind("event: status", 0) == 0) {
      ++r.status_events;
      return;
    }
    if (m.rfind("id: ", 0) != 0 || index_ == nullptr)
      return; // `: ping`
    ++r.game_events;
    auto seq = leading_number(m.substr(4));
    static constexpr std::string_view id_key = "\"integration_id\":\"";
    auto at = m.find(id_key);
    if (at == std::string_view::npos) {
      ++r.unknown;
      return;
    }
    auto id_start = at + id_key.size();
    auto id = std::string{m.substr(id_start, m.find('"', id_start) - id_start)};
    auto i = index_->find(id);
    if (i == index_->end()) {
      ++r.unknown;
      return;
    }
    auto data_at = m.find("\"data\":", id_start);
    auto data = data_at == std::string_view::npos ? std::string_view{} : m.substr(data_at);
    auto k = static_cast<std::int64_t>(number_after(data, "\"k\":"));
    auto t = static_cast<std::int64_t>(number_after(data, "\"t\":"));
    auto n = static_cast<std::size_t>(i->second);
    if (k <= r.last_k[n] || seq <= r.last_seq[n]) {
      ++r.out_of_order;
      if (r.problems.size() < 5)
        r.problems.push_back("integration " + id + ": k " + std::to_string(k) + " after "
                             + std::to_string(r.last_k[n]) + ", seq " + std::to_string(seq)
                             + " after " + std::to_string(r.last_seq[n]));
    }
    r.last_k[n] = k;
    r.last_seq[n] = seq;
    ++r.count[n];
    latencies_.push_back(static_cast<double>(now - t) / 1e3);
  }

  const std::unordered_map<std::string, int>* index_;
  std::size_t integrations_;
  int epoll_;
  std::vector<std::unique_ptr<reader>> readers_;
  std::vector<double> latencies_;
};

/// Opens `n` streams at `target` and waits for each one's `retry:` line.
bool open_readers(const options& o, stream_readers& readers, int n, const std::string& target) {
  for (int i = 0; i < n; ++i)
    if (!readers.add(open_stream(o, target))) {
      std::cerr << "cannot open stream " << i << '\n';
      return false;
    }
  auto deadline = clock_type::now() + std::chrono::seconds{10};
  while (clock_type::now() < deadline) {
    readers.poll(50);
    auto ready = std::all_of(readers.all().begin(), readers.all().end(),
                             [](auto& r) { return r->preamble; });
    if (ready)
      return true;
  }
  for (auto& r : readers.all())
    for (auto& p : r->problems)
      std::cerr << "stream: " << p << '\n';
  std::cerr << "not every stream started\n";
  return false;
}

httplib::Client make_client(const options& o) {
  httplib::Client c{o.host, o.port};
  c.set_keep_alive(true);
  c.set_tcp_nodelay(true);
  c.set_read_timeout(10, 0);
  return c;
}

struct round_result {
  double rate = 0;
  double cpu_us_per_payload = 0;
  double daemon_core_share = 0;
  double bench_core_share = 0;
  std::uint64_t failed = 0;
  double p50_us = 0, p99_us = 0;
  double post_p50_us = 0, post_p99_us = 0;
  bool complete = true;
};

/// One fan-out round: `clients` readers (maybe 0) while the senders post.
std::optional<round_result> fanout_round(const options& o, const std::vector<std::string>& ids,
                                         const std::unordered_map<std::string, int>& index,
                                         int clients) {
  stream_readers readers{&index, ids.size()};
  if (clients > 0 && !open_readers(o, readers, clients, "/api/v1/events/stream"))
    return std::nullopt;
  auto per_integration = static_cast<std::uint64_t>(o.seconds * o.rate);
  std::vector<std::uint64_t> accepted(ids.size(), 0);
  std::atomic<std::uint64_t> failed{0};
  std::atomic<int> senders_left{o.senders};
  std::vector<clock_type::time_point> ended(static_cast<std::size_t>(o.senders));
  std::vector<std::vector<double>> post_us(static_cast<std::size_t>(o.senders));

  auto cpu_before = process_cpu(o.pid);
  auto own_before = own_cpu_seconds();
  auto t0 = clock_type::now() + std::chrono::milliseconds{20};
  std::vector<std::thread> senders;
  for (int s = 0; s < o.senders; ++s)
    senders.emplace_back([&, s] {
      std::vector<std::size_t> mine;
      for (std::size_t i = static_cast<std::size_t>(s); i < ids.size();
           i += static_cast<std::size_t>(o.senders))
        mine.push_back(i);
      if (mine.empty()) {
        ended[static_cast<std::size_t>(s)] = clock_type::now();
        --senders_left;
        return;
      }
      auto client = make_client(o);
      std::vector<std::string> paths;
      for (auto i : mine)
        paths.push_back("/api/v1/game-integrations/" + ids[i] + "/event");
      // Payload j goes to integration j mod |mine| at t0 + (j + phase) / sender rate.
      auto sender_rate = static_cast<double>(mine.size()) * o.rate;
      auto phase = static_cast<double>(s) / o.senders;
      auto total = per_integration * mine.size();
      std::string body;
      for (std::uint64_t j = 0; j < total; ++j) {
        auto due = t0
                   + std::chrono::duration_cast<clock_type::duration>(std::chrono::duration<double>(
                       (static_cast<double>(j) + phase) / sender_rate));
        if (clock_type::now() < due)
          std::this_thread::sleep_until(due);
        auto slot = j % mine.size();
        body = R"({"event_type":"tick","data":{"k":)" + std::to_string(j / mine.size()) + R"(,"t":)"
               + std::to_string(now_ns()) + "}}";
        auto sent = clock_type::now();
        auto r = client.Post(paths[slot].c_str(), body, "application/json");
        post_us[static_cast<std::size_t>(s)].push_back(
            std::chrono::duration<double, std::micro>(clock_type::now() - sent).count());
        if (r && r->status == 200)
          ++accepted[mine[slot]];
        else
          ++failed;
      }
      ended[static_cast<std::size_t>(s)] = clock_type::now();
      --senders_left;
    });

  std::uint64_t expected = 0;
  auto all_delivered = [&] {
    for (auto& r : readers.all()) {
      if (r->closed)
        continue;
      if (r->game_events < expected)
        return false;
    }
    return true;
  };
  // Read while the senders post, then until every reader has everything (or 10 s pass).
  while (senders_left.load() > 0) {
    if (clients > 0)
      readers.poll(20);
    else
      std::this_thread::sleep_for(std::chrono::milliseconds{20});
  }
  for (auto& t : senders)
    t.join();
  for (auto n : accepted)
    expected += n;
  auto posted_until = *std::max_element(ended.begin(), ended.end());
  auto drain_deadline = clock_type::now() + std::chrono::seconds{10};
  while (clients > 0 && !all_delivered() && clock_type::now() < drain_deadline)
    readers.poll(20);
  // The same short settle in both kinds of round, so the daemon's trailing work counts.
  auto settle_until = clock_type::now() + std::chrono::milliseconds{200};
  while (clock_type::now() < settle_until)
    if (clients > 0)
      readers.poll(20);
    else
      std::this_thread::sleep_for(std::chrono::milliseconds{20});
  auto wall = std::chrono::duration<double>(clock_type::now() - t0).count();
  auto cpu_after = process_cpu(o.pid);
  auto user = cpu_after.user - cpu_before.user;
  auto system = cpu_after.system - cpu_before.system;
  auto cpu = user + system;
  auto own = own_cpu_seconds() - own_before;
  readers.close_all();

  round_result result;
  auto posting = std::chrono::duration<double>(posted_until - t0).count();
  result.rate = static_cast<double>(expected + failed) / posting;
  result.cpu_us_per_payload = cpu * 1e6 / static_cast<double>(expected + failed);
  result.daemon_core_share = cpu / wall;
  result.bench_core_share = own / wall;
  result.failed = failed;
  // Every reader must hold every accepted payload of every integration once, in order.
  std::uint64_t short_readers = 0, bad_order = 0, unknown = 0, statuses = 0;
  for (std::size_t c = 0; c < readers.all().size(); ++c) {
    auto& r = *readers.all()[c];
    statuses += r.status_events;
    unknown += r.unknown;
    bad_order += r.out_of_order;
    std::uint64_t missing = 0, extra = 0;
    for (std::size_t i = 0; i < ids.size(); ++i) {
      if (r.count[i] < accepted[i])
        missing += accepted[i] - r.count[i];
      else
        extra += r.count[i] - accepted[i];
    }
    if (missing > 0 || extra > 0 || r.out_of_order > 0 || !r.head_ok) {
      ++short_readers;
      std::printf("  client %zu: %llu events, %llu missing, %llu extra, %llu out of order%s\n", c,
                  static_cast<unsigned long long>(r.game_events),
                  static_cast<unsigned long long>(missing), static_cast<unsigned long long>(extra),
                  static_cast<unsigned long long>(r.out_of_order),
                  r.closed ? ", closed by the daemon" : "");
      for (auto& p : r.problems)
        std::printf("    %s\n", p.c_str());
    }
  }
  result.complete = short_readers == 0 && failed == 0;
  std::vector<double> posts;
  for (auto& xs : post_us)
    posts.insert(posts.end(), xs.begin(), xs.end());
  result.post_p50_us = percentile(posts, 0.5);
  result.post_p99_us = percentile(posts, 0.99);
  std::printf(
      "%2d clients: %llu payloads (%llu failed) at %.0f/s (target %d/s), daemon %.1f "
      "us/payload (user %.1f, kernel %.1f; %.0f %% of a core), POST p50 %.0f us p99 %.0f us, "
      "bench %.0f %% of a core",
      clients, static_cast<unsigned long long>(expected + failed),
      static_cast<unsigned long long>(failed.load()), result.rate,
      o.rate * static_cast<int>(ids.size()), result.cpu_us_per_payload,
      user * 1e6 / static_cast<double>(expected + failed),
      system * 1e6 / static_cast<double>(expected + failed), result.daemon_core_share * 100,
      result.post_p50_us, result.post_p99_us, result.bench_core_share * 100);
  if (clients > 0) {
    auto& lat = readers.latencies_us();
    result.p50_us = percentile(lat, 0.5);
    result.p99_us = percentile(lat, 0.99);
    std::printf(", %zu deliveries (%llu expected), event->SSE p50 %.0f us p99 %.0f us, %s",
                lat.size(), static_cast<unsigned long long>(expected * readers.all().size()),
                result.p50_us, result.p99_us,
                short_readers == 0 && unknown == 0 && bad_order == 0
                    ? "every client got every event once, in order"
                    : "MISMATCH");
    if (statuses > 0)
      std::printf(" (+%llu status events)", static_cast<unsigned long long>(statuses));
  }
  std::printf("\n");
  std::fflush(stdout);
  return result;
}

/// See `--mode=floor` above.
int floor_writes(const options& o) {
  int listener = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  ::inet_pton(AF_INET, "127.0.0.1", &addr.sin_addr);
  socklen_t len = sizeof addr;
  if (::bind(listener, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0
      || ::listen(listener, 256) != 0
      || ::getsockname(listener, reinterpret_cast<sockaddr*>(&addr), &len) != 0) {
    std::cerr << "cannot listen\n";
    return 1;
  }
  std::vector<std::string> ids;
  std::unordered_map<std::string, int> index;
  for (int i = 0; i < o.integrations; ++i) {
    char id[16];
    std::snprintf(id, sizeof id, "gi_%08x", static_cast<unsigned>(i));
    ids.emplace_back(id);
    index.emplace(id, i);
  }
  options local = o;
  local.host = "127.0.0.1";
  local.port = ntohs(addr.sin_port);
  stream_readers readers{&index, ids.size()};
  std::vector<int> writers;
  for (int c = 0; c < o.clients; ++c) {
    readers.add(open_stream(local, "/floor"));
    int fd = ::accept(listener, nullptr, nullptr);
    int one = 1;
    ::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    writers.push_back(fd);
  }
  ::close(listener);
  auto per_integration = static_cast<std::uint64_t>(o.seconds * o.rate);
  auto total = per_integration * ids.size();
  double cpu = 0;
  std::atomic<bool> done{false};
  std::thread writer([&] {
    char discard[4096];
    const std::string head
        = "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\n\r\nretry: 2000\n\n";
    std::vector<std::string> pending(writers.size(), head);
    auto send_all = [&] {
      for (std::size_t c = 0; c < writers.size(); ++c) {
        // The reader's GET is read and dropped, as a server would.
        while (::recv(writers[c], discard, sizeof discard, MSG_DONTWAIT) > 0) {
        }
        std::size_t off = 0;
        while (off < pending[c].size()) {
          auto n
              = ::send(writers[c], pending[c].data() + off, pending[c].size() - off, MSG_NOSIGNAL);
          if (n <= 0)
            break;
          off += static_cast<std::size_t>(n);
        }
        pending[c].clear();
      }
    };
    auto cpu_before = own_cpu_seconds(RUSAGE_THREAD);
    auto t0 = clock_type::now();
    auto per_second = static_cast<double>(o.rate) * static_cast<double>(ids.size());
    std::uint64_t j = 0;
    std::string text;
    for (auto tick = t0; j < total; tick += std::chrono::milliseconds{o.batch_ms}) {
      std::this_thread::sleep_until(tick);
      auto due = std::min<std::uint64_t>(
          total, static_cast<std::uint64_t>(
                     std::chrono::duration<double>(clock_type::now() - t0).count() * per_second));
      for (; j < due; ++j) {
        auto i = j % ids.size();
        auto seq = std::to_string(j + 1);
        text = "id: " + seq + "\nevent: game_event\ndata: {\"seq\":" + seq
               + ",\"integration_id\":\"" + ids[i]
               + "\",\"event_type\":\"tick\",\"timestamp\":\"2026-12-07T04:00:00.000Z\",\"data\":{"
                 "\"k\":"
               + std::to_string(j / ids.size()) + ",\"t\":" + std::to_string(now_ns()) + "}}\n\n";
        for (auto& p : pending)
          p += text;
      }
      send_all();
    }
    cpu = own_cpu_seconds(RUSAGE_THREAD) - cpu_before;
    done = true;
  });
  auto deadline = clock_type::now() + std::chrono::seconds{static_cast<long>(o.seconds) + 20};
  auto delivered = [&] {
    return std::all_of(readers.all().begin(), readers.all().end(),
                       [&](auto& r) { return r->game_events >= total; });
  };
  while ((!done || !delivered()) && clock_type::now() < deadline)
    readers.poll(20);
  writer.join();
  std::uint64_t short_readers = 0;
  for (auto& r : readers.all())
    if (r->game_events != total || r->out_of_order > 0 || r->unknown > 0 || !r->head_ok)
      ++short_readers;
  auto& lat = readers.latencies_us();
  std::printf("floor: %d clients, %llu payloads at %d/s, writer thread %.1f us/payload, "
              "write -> read p50 %.0f us p99 %.0f us, %s\n",
              o.clients, static_cast<unsigned long long>(total), o.rate * o.integrations,
              cpu * 1e6 / static_cast<double>(total), percentile(lat, 0.5), percentile(lat, 0.99),
              short_readers == 0 ? "every client got every event once, in order" : "MISMATCH");
  for (int fd : writers)
    ::close(fd);
  return short_readers == 0 ? 0 : 1;
}

int fanout(const options& o, httplib::Client& http) {
  std::vector<std::string> ids;
  std::unordered_map<std::string, int> index;
  int status = 0;
  for (int i = 0; i < o.integrations; ++i) {
    json create = {{"name", "stream-bench-" + std::to_string(::getpid()) + "-" + std::to_string(i)},
                   {"adapter_type", "generic"}};
    auto res = http.Post("/api/v1/game-integrations", create.dump(), "application/json");
    if (!res || res->status != 201) {
      std::cerr << "cannot create integration " << i << '\n';
      status = 1;
      break;
    }
    ids.push_back(json::parse(res->body)["id"]);
    index[ids.back()] = i;
  }
  std::vector<double> cpu_with, cpu_without, rate_with, rate_without, p50, p99;
  std::vector<double> post50_with, post50_without, post99_with, post99_without;
  std::vector<double> pair_ratios;
  for (int round = 1; round <= o.rounds && status == 0; ++round) {
    // Alternate which kind goes first, so neither always follows the other.
    for (int kind = 0; kind < 2 && status == 0; ++kind) {
      bool with = (kind == 0) == (round % 2 == 1);
      std::printf("round %d, ", round);
      auto r = fanout_round(o, ids, index, with ? o.clients : 0);
      if (!r) {
        status = 1;
        break;
      }
      if (!r->complete)
        status = 1;
      (with ? cpu_with : cpu_without).push_back(r->cpu_us_per_payload);
      (with ? rate_with : rate_without).push_back(r->rate);
      (with ? post50_with : post50_without).push_back(r->post_p50_us);
      (with ? post99_with : post99_without).push_back(r->post_p99_us);
      if (with) {
        p50.push_back(r->p50_us);
        p99.push_back(r->p99_us);
      }
    }
    if (cpu_with.size() == static_cast<std::size_t>(round)
        && cpu_without.size() == static_cast<std::size_t>(round))
      pair_ratios.push_back(cpu_with.back() / cpu_without.back());
  }
  if (!cpu_with.empty() && !cpu_without.empty()) {
    auto a = median(cpu_with), b = median(cpu_without);
    std::printf("median: %d clients %.1f us/payload at %.0f/s, 0 clients %.1f us/payload at "
                "%.0f/s, ratio %.2f; event->SSE p50 %.0f us, p99 %.0f us\n",
                o.clients, a, median(rate_with), b, median(rate_without), a / b, median(p50),
                median(p99));
    std::printf("median POST round trip: %d clients p50 %.0f us p99 %.0f us, 0 clients p50 %.0f "
                "us p99 %.0f us\n",
                o.clients, median(post50_with), median(post99_with), median(post50_without),
                median(post99_without));
    // The two rounds of a pair ran back to back, under the same load from elsewhere: their
    // ratio drifts less than the ratio of the medians on a shared machine.
    if (!pair_ratios.empty())
      std::printf("median of the %zu paired ratios (with / without, same round): %.2f\n",
                  pair_ratios.size(), median(pair_ratios));
  }
  for (auto& id : ids)
    http.Delete("/api/v1/game-integrations/" + id);
  return status;
}

int frames(const options& o, httplib::Client& http) {
  // The device's UDP target: a socket of ours that a thread drains.
  int udp = ::socket(AF_INET, SOCK_DGRAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  ::inet_pton(AF_INET, "127.0.0.1", &addr.sin_addr);
  ::bind(udp, reinterpret_cast<sockaddr*>(&addr), sizeof addr);
  socklen_t len = sizeof addr;
  ::getsockname(udp, reinterpret_cast<sockaddr*>(&addr), &len);
  timeval tv{0, 100000};
  ::setsockopt(udp, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
  std::atomic<bool> draining{true};
  std::atomic<std::uint64_t> packets{0};
  std::thread drain{[&] {
    char buf[65536];
    while (draining)
      if (::recv(udp, buf, sizeof buf, 0) > 0)
        ++packets;
  }};
  auto finish = [&](int status, const std::string& device) {
    if (!device.empty())
      http.Delete("/api/v1/devices/" + device);
    draining = false;
    drain.join();
    ::close(udp);
    return status;
  };

  json create = {{"name", "stream-bench-" + std::to_string(::getpid())},
                 {"host", "127.0.0.1"},
                 {"port", ntohs(addr.sin_port)},
                 {"protocol", "ddp"},
                 {"led_count", o.leds}};
  auto res = http.Post("/api/v1/devices", create.dump(), "application/json");
  if (!res || res->status != 201) {
    std::cerr << "cannot create the device\n";
    return finish(1, "");
  }
  std::string id = json::parse(res->body)["id"];
  json play = {{"effect", "pulse"}, {"color", {255, 120, 30}}, {"duration_ms", 600000}};
  res = http.Post("/api/v1/devices/" + id + "/test", play.dump(), "application/json");
  if (!res || res->status != 202) {
    std::cerr << "cannot play the test effect\n";
    return finish(1, id);
  }
  std::this_thread::sleep_for(std::chrono::milliseconds{500});
  auto target = "/api/v1/devices/" + id + "/frames/stream?fps=" + std::to_string(o.fps);
  std::map<int, std::vector<double>> shares;
  for (int round = 1; round <= o.rounds; ++round) {
    for (auto w : o.watchers) {
      stream_readers readers{nullptr, 0};
      if (w > 0 && !open_readers(o, readers, w, target))
        return finish(1, id);
      // Let the streams settle, then measure.
      auto warm = clock_type::now() + std::chrono::milliseconds{500};
      while (clock_type::now() < warm)
        readers.poll(20);
      std::uint64_t frames_before = 0;
      for (auto& r : readers.all())
        frames_before += r->frames;
      auto packets_before = packets.load();
      auto cpu_before = cpu_seconds(o.pid);
      auto own_before = own_cpu_seconds();
      auto t0 = clock_type::now();
      auto until = t0
                   + std::chrono::duration_cast<clock_type::duration>(
                       std::chrono::duration<double>(o.seconds));
      while (clock_type::now() < until)
        if (w > 0)
          readers.poll(20);
        else
          std::this_thread::sleep_for(std::chrono::milliseconds{20});
      auto wall = std::chrono::duration<double>(clock_type::now() - t0).count();
      auto cpu = cpu_seconds(o.pid) - cpu_before;
      auto own = own_cpu_seconds() - own_before;
      std::uint64_t frames_seen = 0;
      bool closed = false;
      for (auto& r : readers.all()) {
        frames_seen += r->frames;
        closed = closed || r->closed || !r->head_ok;
      }
      frames_seen -= frames_before;
      readers.close_all();
      shares[w].push_back(cpu / wall);
      std::printf("round %d, %2d watchers: daemon %.2f %% of a core, %.1f frames/s per watcher, "
                  "%.1f UDP packets/s to the device, bench %.1f %% of a core%s\n",
                  round, w, cpu / wall * 100,
                  w > 0 ? static_cast<double>(frames_seen) / w / wall : 0.0,
                  static_cast<double>(packets.load() - packets_before) / wall, own / wall * 100,
                  closed ? " (a stream ended early)" : "");
      std::fflush(stdout);
    }
  }
  auto base = median(shares[o.watchers.front()]);
  std::printf("median: ");
  for (auto w : o.watchers) {
    auto m = median(shares[w]);
    std::printf("%d watchers %.2f %%", w, m * 100);
    if (w > 0 && w != o.watchers.front())
      std::printf(" (+%.2f %% per watcher)", (m - base) * 100 / w);
    std::printf("; ");
  }
  std::printf("of a core\n");
  return finish(0, id);
}

} // namespace

int main(int argc, char** argv) {
  auto o = parse(argc, argv);
  if (o.mode == "floor")
    return floor_writes(o);
  if (o.pid <= 0) {
    std::cerr << "--pid=<daemon pid> is required\n";
    return 2;
  }
  auto http = make_client(o);
  if (o.mode == "fanout")
    return fanout(o, http);
  if (o.mode == "frames")
    return frames(o, http);
  std::cerr << "unknown mode " << o.mode << '\n';
  return 2;
}
