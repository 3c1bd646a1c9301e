/// MQTT costs of a running gamelightd, measured from outside.
///
/// `--mode=latency`: creates a `generic` integration, subscribes to its event topic on
/// the broker at `--broker-port` (libmosquitto, QoS 0), then `--events` times takes the
/// time, POSTs one event over a keep-alive connection and waits for the MQTT message
/// carrying it. Latency = POST start -> message handed to this subscriber. Prints
/// p50/p90/p99/max, and the POST round trip alone for reference.
///
/// `--mode=load --pid=P`: creates a `generic` integration and POSTs `--events` payloads
/// (one event in every `--event-every`, default each) as fast as one connection allows;
/// prints the daemon's CPU
/// (utime+stime from /proc/P/stat) per payload over the run.
///
/// Deletes the integration at the end.

#include "bench/common/measure.hpp"

#include <httplib.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <iostream>
#include <mosquitto.h>
#include <mutex>
#include <string>
#include <thread>
#include <unistd.h>
#include <vector>

namespace {

using gamelight::bench::cpu_seconds;
using json = nlohmann::json;
using clock_type = std::chrono::steady_clock;

struct options {
  std::string mode = "latency";
  std::string host = "127.0.0.1";
  int port = 8420;
  int broker_port = 1883;
  int events = 2000;
  int pid = 0;
  /// Load mode: one payload in this many carries an event (the others carry none).
  int event_every = 1;
  std::string prefix = "gamelight";
};

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
    else if (auto v = value("broker-port"))
      o.broker_port = std::stoi(v);
    else if (auto v = value("events"))
      o.events = std::stoi(v);
    else if (auto v = value("event-every"))
      o.event_every = std::max(1, std::stoi(v));
    else if (auto v = value("pid"))
      o.pid = std::stoi(v);
    else if (auto v = value("prefix"))
      o.prefix = v;
    else {
      std::cerr << "unknown argument " << a << '\n';
      std::exit(2);
    }
  }
  return o;
}

void report(const char* what, std::vector<double> us) {
  using gamelight::bench::percentile;
  std::printf("%s: n=%zu p50=%.0f us p90=%.0f us p99=%.0f us max=%.0f us\n", what, us.size(),
              percentile(us, 0.5), percentile(us, 0.9), percentile(us, 0.99),
              *std::max_element(us.begin(), us.end()));
}

/// Received event seqs, shared with libmosquitto's thread.
struct inbox {
  std::mutex mutex;
  std::condition_variable changed;
  std::vector<std::pair<std::uint64_t, clock_type::time_point>> seen;
  bool subscribed = false;
};

} // namespace

int main(int argc, char** argv) {
  auto o = parse(argc, argv);
  httplib::Client http{o.host, o.port};
  http.set_tcp_nodelay(true);
  json create = {{"name", "mqtt-bench-" + std::to_string(::getpid())}, {"adapter_type", "generic"}};
  auto res = http.Post("/api/v1/game-integrations", create.dump(), "application/json");
  if (!res || res->status != 201) {
    std::cerr << "cannot create the integration\n";
    return 1;
  }
  std::string id = json::parse(res->body)["id"];
  auto path = "/api/v1/game-integrations/" + id + "/event";
  const std::string body = R"({"event_type": "hit", "data": {"n": 1}})";
  int status = 0;
  if (o.mode == "load") {
    auto before = cpu_seconds(o.pid);
    auto started = clock_type::now();
    const std::string quiet = R"({"events": []})";
    for (int i = 0; i < o.events; ++i) {
      auto r = http.Post(path, i % o.event_every == 0 ? body : quiet, "application/json");
      if (!r || r->status != 200) {
        std::cerr << "POST failed\n";
        status = 1;
        break;
      }
    }
    auto wall = std::chrono::duration<double>(clock_type::now() - started).count();
    auto cpu = cpu_seconds(o.pid) - before;
    std::printf("load: %d payloads (1 in %d with an event) in %.2f s (%.0f/s), daemon CPU "
                "%.1f us/payload\n",
                o.events, o.event_every, wall, o.events / wall, cpu * 1e6 / o.events);
  } else {
    mosquitto_lib_init();
    inbox box;
    auto m = mosquitto_new(nullptr, true, &box);
    mosquitto_int_option(m, MOSQ_OPT_TCP_NODELAY, 1);
    mosquitto_message_callback_set(m, [](mosquitto*, void* p, const mosquitto_message* msg) {
      auto now = clock_type::now();
      auto b = static_cast<inbox*>(p);
      auto parsed = json::parse(std::string(static_cast<const char*>(msg->payload),
                                            static_cast<std::size_t>(msg->payloadlen)),
                                nullptr, false);
      if (parsed.is_discarded())
        return;
      std::lock_guard<std::mutex> guard{b->mutex};
      b->seen.emplace_back(parsed["seq"].get<std::uint64_t>(), now);
      b->changed.notify_all();
    });
    mosquitto_subscribe_callback_set(m, [](mosquitto*, void* p, int, int, const int*) {
      auto b = static_cast<inbox*>(p);
      std::lock_guard<std::mutex> guard{b->mutex};
      b->subscribed = true;
      b->changed.notify_all();
    });
    if (mosquitto_connect(m, "127.0.0.1", o.broker_port, 30) != MOSQ_ERR_SUCCESS) {
      std::cerr << "cannot reach the broker\n";
      return 1;
    }
    auto topic = o.prefix + "/" + id + "/event";
    mosquitto_subscribe(m, nullptr, topic.c_str(), 0);
    mosquitto_loop_start(m);
    {
      std::unique_lock<std::mutex> lock{box.mutex};
      if (!box.changed.wait_for(lock, std::chrono::seconds{5}, [&] { return box.subscribed; })) {
        std::cerr << "no SUBACK from the broker\n";
        return 1;
      }
    }
    std::vector<double> end_to_end;
    std::vector<double> post_only;
    for (int i = 0; i < o.events; ++i) {
      std::size_t seen_before;
      {
        std::lock_guard<std::mutex> guard{box.mutex};
        seen_before = box.seen.size();
      }
      auto t0 = clock_type::now();
      auto r = http.Post(path, body, "application/json");
      auto t1 = clock_type::now();
      if (!r || r->status != 200) {
        std::cerr << "POST failed\n";
        return 1;
      }
      std::unique_lock<std::mutex> lock{box.mutex};
      if (!box.changed.wait_for(lock, std::chrono::seconds{2},
                                [&] { return box.seen.size() > seen_before; })) {
        std::cerr << "event " << i << " never arrived\n";
        status = 1;
        break;
      }
      end_to_end.push_back(
          std::chrono::duration<double, std::micro>(box.seen[seen_before].second - t0).count());
      post_only.push_back(std::chrono::duration<double, std::micro>(t1 - t0).count());
    }
    if (!end_to_end.empty()) {
      report("event -> MQTT subscriber", end_to_end);
      report("POST round trip (reference)", post_only);
    }
    mosquitto_disconnect(m);
    mosquitto_loop_stop(m, false);
    mosquitto_destroy(m);
  }
  http.Delete("/api/v1/game-integrations/" + id);
  return status;
}
