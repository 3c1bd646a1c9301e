#pragma once

/// The daemon's options: defaults, then the config file, then the environment
/// (GAMELIGHT_API_KEY, GAMELIGHT_MQTT_PASSWORD), then the command line.

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace gamelight {

struct daemon_config {
  std::string config_file;
  std::string bind;
  std::uint16_t port = 0;
  std::string data_dir;
  std::string log_level;
  /// Never logged.
  std::string api_key;
  std::string public_url;
  std::size_t http_threads = 0;
  std::size_t max_connections = 0;
  std::size_t max_streams = 0;
  std::int64_t connected_window_s = 0;
  std::int64_t actor_timeout_ms = 0;
  std::int64_t dnrgb_timeout_s = 0;
  std::int64_t keep_alive_timeout_s = 0;
  std::int64_t read_timeout_s = 0;
  std::size_t scheduler_threads = 0;
  /// Empty: MQTT off. `mqtt://HOST:PORT` or `mqtts://HOST:PORT`.
  std::string mqtt_url;
  std::string mqtt_username;
  /// Never logged.
  std::string mqtt_password;
  std::string mqtt_prefix;
  /// Empty: no Home Assistant discovery.
  std::string mqtt_discovery_prefix;
  std::string mqtt_client_id;
  bool show_help = false;
  bool show_version = false;
};

/// Returns the configuration with every default filled in.
daemon_config default_config();

/// Reads the command line, the config file it names (`--config=FILE`) and the
/// environment. Returns an error message on failure.
std::optional<std::string> load_config(const std::vector<std::string>& args,
                                       const char* env_api_key, daemon_config& out,
                                       const char* env_mqtt_password = nullptr);

/// Checks the combination of options; returns an error message if it is unsafe or invalid.
std::optional<std::string> validate(const daemon_config& x);

/// Returns whether an address is a loopback address ("127.0.0.1", "::1", "localhost").
bool is_loopback(const std::string& address);

/// Returns the text of `--help`.
std::string help_text();

} // namespace gamelight
