/// gamelightd: wires the store, registry and HTTP server together and runs until
/// SIGINT or SIGTERM.

#include "actors/event_bus.hpp"
#include "actors/mqtt.hpp"
#include "actors/prober.hpp"
#include "actors/registry.hpp"
#include "actors/store.hpp"
#include "app/config.hpp"
#include "common/log.hpp"
#include "common/security.hpp"
#include "http/server.hpp"
#include "mqtt/topics.hpp"
#include "storage/database.hpp"

#include <caf/actor_system.hpp>
#include <caf/actor_system_config.hpp>
#include <caf/exit_reason.hpp>
#include <caf/io/middleman.hpp>
#include <caf/send.hpp>

#include <algorithm>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sys/resource.h>

#include "probe/wled_probe.hpp"

#ifndef GAMELIGHT_VERSION
#define GAMELIGHT_VERSION "0.0.0"
#endif

namespace {

using namespace gamelight;

/// Returns the E1.31 source id of this daemon: random once, then kept in the data
/// folder so receivers see the same source across restarts.
std::string load_or_create_cid(const std::filesystem::path& data_dir) {
  auto path = data_dir / "e131-cid";
  std::ifstream in{path};
  std::string cid;
  if (in && std::getline(in, cid) && cid.size() == 32)
    return cid;
  cid = random_hex(32);
  std::ofstream out{path};
  out << cid << '\n';
  return cid;
}

/// Raises the soft limit of open files to the hard one: every connection is a
/// descriptor, and an event-driven server can hold many more than the default 1024.
void raise_file_limit() {
  rlimit limit{};
  if (::getrlimit(RLIMIT_NOFILE, &limit) != 0 || limit.rlim_cur == limit.rlim_max)
    return;
  limit.rlim_cur = limit.rlim_max;
  if (::setrlimit(RLIMIT_NOFILE, &limit) != 0)
    log::warning("gamelightd could not raise its open-file limit");
}

int run(const daemon_config& config) {
  log::set_level(*log::parse_level(config.log_level));
  raise_file_limit();
  std::error_code ec;
  std::filesystem::create_directories(config.data_dir, ec);
  if (ec) {
    log::error("gamelightd cannot create data folder ", config.data_dir, ": ", ec.message());
    return EXIT_FAILURE;
  }
  auto db_path = (std::filesystem::path{config.data_dir} / "gamelight.db").string();
  auto db = storage::database::open(db_path);
  if (!db) {
    log::error("gamelightd cannot open database ", db_path, ": ", db.error().detail.dump());
    return EXIT_FAILURE;
  }
  log::info("gamelightd opened database ", db_path);
  // A lock held by another program is reported as a database 503 well before the HTTP wait
  // for the store gives up, so a write never lands after its client was told 503.
  auto actor_timeout = std::chrono::milliseconds{config.actor_timeout_ms};
  (*db)->set_busy_timeout(std::min(storage::database::default_busy_timeout, actor_timeout / 2));

  caf::actor_system_config cfg;
  if (config.scheduler_threads > 0)
    cfg.set("scheduler.max-threads", config.scheduler_threads);
  // deps.md: the default work-stealing scheduler polls while idle (a third of a
  // core; still 1 % with moderate polling off). The sharing policy parks idle
  // workers on a condition variable: 0 ticks of CPU over 20 s idle here.
  cfg.set("scheduler.policy", caf::atom("sharing"));
  // The network layer, whose event loop runs the HTTP front end's brokers.
  cfg.load<caf::io::middleman>();
  // One read per readiness event: a request fits in one read (8 KiB), and CAF's default
  // (up to 50) costs every request a second `recvfrom` that only finds the socket empty;
  // a larger body takes one event loop round per read instead.
  cfg.set("middleman.max-consecutive-reads", 1);
  caf::actor_system sys{cfg};

  integration_options integration_opts;
  integration_opts.connected_window = std::chrono::seconds{config.connected_window_s};
  device_options device_opts;
  device_opts.dnrgb_timeout_s = static_cast<std::uint8_t>(config.dnrgb_timeout_s);
  device_opts.e131_cid = load_or_create_cid(config.data_dir);
  // Integrations publish recorded events and `connected` flips here, the registry
  // publishes committed integration changes; the MQTT actor (and later SSE) subscribe.
  auto bus_handle = sys.spawn(event_bus_io, event_bus_options{});
  integration_opts.bus = bus_handle;
  auto directory = std::make_shared<integration_directory>();
  auto registry_handle = sys.spawn(registry, integration_opts, device_opts, directory);
  std::shared_ptr<storage::database> shared_db = std::move(*db);
  auto store_handle = sys.spawn<caf::detached>(store, shared_db, registry_handle);
  // WLED probes block on the network (up to 2 s each): a detached actor of their own.
  // POST /api/v1/devices/probe asks it with the validated host and port.
  auto prober_handle = sys.spawn<caf::detached>(prober, probe::default_timeout);
  // MQTT is off unless mqtt-url is set. The actor runs detached: stopping its client
  // joins libmosquitto's network thread.
  mqtt_actor mqtt_handle;
  if (!config.mqtt_url.empty()) {
    mqtt_options mqtt_opts;
    mqtt_opts.broker = *mqtt::parse_broker_url(config.mqtt_url);
    mqtt_opts.username = config.mqtt_username;
    mqtt_opts.password = config.mqtt_password;
    mqtt_opts.client_id = config.mqtt_client_id;
    mqtt_opts.naming = mqtt::naming{config.mqtt_prefix, config.mqtt_discovery_prefix};
    mqtt_handle = sys.spawn<caf::detached>(mqtt_behavior, mqtt_opts, bus_handle, store_handle,
                                           registry_handle);
  }

  http::server_options http_opts;
  http_opts.bind = config.bind;
  http_opts.port = config.port;
  http_opts.max_connections = config.max_connections;
  http_opts.max_streams = config.max_streams;
  http_opts.api_key = config.api_key;
  http_opts.public_url = config.public_url;
  http_opts.actor_timeout = actor_timeout;
  http_opts.keep_alive_timeout = std::chrono::seconds{config.keep_alive_timeout_s};
  http_opts.read_timeout = std::chrono::seconds{config.read_timeout_s};
  http_opts.version = GAMELIGHT_VERSION;
  http::server server{
      sys, http_opts,
      http::server_actors{store_handle, registry_handle, directory, prober_handle, bus_handle}};
  auto port = server.bind();
  int exit_code = EXIT_SUCCESS;
  if (!port) {
    log::error("gamelightd cannot listen on ", config.bind, ":", config.port,
               " (address in use or not available)");
    exit_code = EXIT_FAILURE;
  } else {
    auto host = config.bind.find(':') != std::string::npos ? "[" + config.bind + "]" : config.bind;
    // Tests and scripts read this exact line.
    std::fprintf(stderr, "listening on http://%s:%u\n", host.c_str(), unsigned{*port});
    std::fflush(stderr);
    // SIGINT and SIGTERM are blocked in every thread; wait for one here.
    sigset_t signals;
    sigemptyset(&signals);
    sigaddset(&signals, SIGINT);
    sigaddset(&signals, SIGTERM);
    int received = 0;
    sigwait(&signals, &received);
    log::info("gamelightd received signal ", received, ", shutting down");
    server.stop();
  }
  // Stop accepting first (above), then the actors; the store closes the database last.
  caf::anon_send_exit(prober_handle, caf::exit_reason::user_shutdown);
  // MQTT first, so `offline` goes out while everything else still runs.
  if (mqtt_handle)
    caf::anon_send_exit(mqtt_handle, caf::exit_reason::user_shutdown);
  caf::anon_send_exit(registry_handle, caf::exit_reason::user_shutdown);
  caf::anon_send_exit(store_handle, caf::exit_reason::user_shutdown);
  caf::anon_send_exit(bus_handle, caf::exit_reason::user_shutdown);
  http::drop_pending_timers(sys);
  return exit_code;
}

} // namespace

int main(int argc, char** argv) {
  // Block the shutdown signals before any thread starts, so only sigwait sees them.
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGINT);
  sigaddset(&signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);
  std::signal(SIGPIPE, SIG_IGN);
  // Past a file-size limit a write fails with EFBIG, which the store reports as a 503,
  // instead of killing the daemon.
  std::signal(SIGXFSZ, SIG_IGN);

  auto config = default_config();
  std::vector<std::string> args(argv + 1, argv + argc);
  if (auto err = load_config(args, std::getenv("GAMELIGHT_API_KEY"), config,
                             std::getenv("GAMELIGHT_MQTT_PASSWORD"))) {
    std::fprintf(stderr, "gamelightd: %s\n", err->c_str());
    return 2;
  }
  if (config.show_help) {
    std::cout << help_text();
    return EXIT_SUCCESS;
  }
  if (config.show_version) {
    std::cout << "gamelightd " << GAMELIGHT_VERSION << '\n';
    return EXIT_SUCCESS;
  }
  if (auto err = validate(config)) {
    std::fprintf(stderr, "gamelightd: %s\n", err->c_str());
    return 2;
  }
  return run(config);
}
