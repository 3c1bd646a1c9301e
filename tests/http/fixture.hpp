#pragma once

/// Test fixtures for the HTTP layer: the real server on an ephemeral loopback port
/// with the real actors and a real SQLite file in a fresh temporary folder, and a
/// helper that runs the real `gamelightd` binary as a child process.

#include "actors/event_bus.hpp"
#include "actors/prober.hpp"
#include "actors/registry.hpp"
#include "actors/store.hpp"
#include "common/json.hpp"
#include "common/security.hpp"
#include "http/routes.hpp"
#include "http/server.hpp"
#include "storage/database.hpp"

#include <caf/actor_system.hpp>
#include <caf/actor_system_config.hpp>
#include <caf/io/middleman.hpp>
#include <caf/send.hpp>
#include <doctest/doctest.h>
#include <httplib.h>

#include <filesystem>
#include <fstream>
#include <functional>
#include <memory>
#include <optional>
#include <sstream>
#include <string>

namespace gamelight::test {

/// The Content-Type of the JSON bodies the tests send.
inline constexpr const char* json_type = "application/json";

/// A fresh folder under the system's temp dir, removed with the object.
struct temp_dir {
  std::filesystem::path path;

  temp_dir() : path(std::filesystem::temp_directory_path() / ("gamelight-test-" + random_hex(12))) {
    std::filesystem::create_directories(path);
  }

  ~temp_dir() {
    std::error_code ec;
    std::filesystem::remove_all(path, ec);
  }
};

/// Returns the content of a GSI fixture from tests/data.
inline std::string read_fixture(const std::string& name) {
  std::ifstream in{std::string{GAMELIGHT_TEST_DATA_DIR} + "/" + name + ".json"};
  REQUIRE_MESSAGE(in.good(), "missing fixture ", name);
  std::stringstream buffer;
  buffer << in.rdbuf();
  return buffer.str();
}

/// Options for `daemon_fixture`.
struct daemon_setup {
  std::string api_key;
  std::size_t crud_body_limit = 64 * 1024;
  std::chrono::seconds connected_window{30};
  std::chrono::seconds read_timeout{5};
  std::chrono::seconds keep_alive_timeout{5};
  std::size_t max_connections = 16384;
  std::size_t max_streams = 64;
  /// Routes a test adds to the server's own.
  std::function<void(http::route_table&)> extra_routes{};
};

/// The daemon's components in this process: actor system, store on a SQLite file,
/// registry, and the HTTP server on 127.0.0.1 with an ephemeral port.
class daemon_fixture {
public:
  explicit daemon_fixture(daemon_setup setup = {}) {
    start(setup);
  }

  ~daemon_fixture() {
    stop();
  }

  /// Stops everything but keeps the data folder (for restart tests).
  void stop() {
    if (!server_)
      return;
    server_->stop();
    server_.reset();
    caf::anon_send_exit(prober_, caf::exit_reason::user_shutdown);
    caf::anon_send_exit(registry_, caf::exit_reason::user_shutdown);
    caf::anon_send_exit(store_, caf::exit_reason::user_shutdown);
    caf::anon_send_exit(bus_, caf::exit_reason::user_shutdown);
    http::drop_pending_timers(*sys_);
    bus_ = nullptr;
    prober_ = nullptr;
    registry_ = nullptr;
    store_ = nullptr;
    sys_.reset();
    cfg_.reset();
  }

  /// Starts again on the same data folder.
  void restart(daemon_setup setup = {}) {
    stop();
    start(setup);
  }

  /// Returns a client for the server.
  [[nodiscard]] httplib::Client client() const {
    httplib::Client result{"127.0.0.1", port_};
    result.set_read_timeout(10, 0);
    return result;
  }

  [[nodiscard]] caf::actor_system* system() const {
    return sys_.get();
  }

  [[nodiscard]] int port() const {
    return port_;
  }

  [[nodiscard]] const std::filesystem::path& data_dir() const {
    return dir_.path;
  }

private:
  void start(const daemon_setup& setup) {
    auto db = storage::database::open((dir_.path / "gamelight.db").string());
    REQUIRE(db);
    std::shared_ptr<storage::database> shared_db = std::move(*db);
    cfg_ = std::make_unique<caf::actor_system_config>();
    cfg_->set("scheduler.max-threads", std::size_t{2});
    cfg_->set("scheduler.policy", caf::atom("sharing"));
    cfg_->load<caf::io::middleman>();
    sys_ = std::make_unique<caf::actor_system>(*cfg_);
    integration_options integration_opts;
    integration_opts.connected_window = setup.connected_window;
    bus_ = sys_->spawn(event_bus, event_bus_options{});
    integration_opts.bus = bus_;
    device_options device_opts;
    auto directory = std::make_shared<integration_directory>();
    registry_ = sys_->spawn(registry, integration_opts, device_opts, directory);
    store_ = sys_->spawn<caf::detached>(store, shared_db, registry_);
    prober_ = sys_->spawn<caf::detached>(prober, std::chrono::milliseconds{2000});
    http::server_options opts;
    opts.port = 0;
    opts.api_key = setup.api_key;
    opts.crud_body_limit = setup.crud_body_limit;
    opts.read_timeout = setup.read_timeout;
    opts.keep_alive_timeout = setup.keep_alive_timeout;
    opts.max_connections = setup.max_connections;
    opts.max_streams = setup.max_streams;
    opts.version = "test";
    server_ = std::make_unique<http::server>(
        *sys_, opts, http::server_actors{store_, registry_, directory, prober_, bus_});
    if (setup.extra_routes)
      server_->add_routes(setup.extra_routes);
    auto bound = server_->bind();
    REQUIRE(bound);
    port_ = *bound;
  }

  temp_dir dir_;
  std::unique_ptr<caf::actor_system_config> cfg_;
  std::unique_ptr<caf::actor_system> sys_;
  registry_actor registry_;
  store_actor store_;
  prober_actor prober_;
  event_bus_actor bus_;
  std::unique_ptr<http::server> server_;
  int port_ = 0;
};

/// Parses a response body, failing the test when it is not JSON.
inline json body_of(const httplib::Result& res) {
  REQUIRE(res);
  auto parsed = json::parse(res->body, nullptr, false);
  REQUIRE_MESSAGE(!parsed.is_discarded(), "not JSON: ", res->body);
  return parsed;
}

} // namespace gamelight::test
