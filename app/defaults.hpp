#pragma once

/// The default of every daemon option (conf/gamelight.ini.example documents them).

#include <cstddef>
#include <cstdint>

namespace gamelight::defaults {

/// Address to listen on; loopback unless an API key is configured.
inline constexpr const char* bind = "127.0.0.1";
/// TCP port of the REST API and the ingestion endpoint.
inline constexpr std::uint16_t port = 8420;
/// Folder of the SQLite database and other state.
inline constexpr const char* data_dir = "data";
/// Most verbose log level written.
inline constexpr const char* log_level = "info";
/// Ignored since the HTTP front end became event-driven; parsed so old config files start.
inline constexpr std::size_t http_threads = 16;
/// Connections open at once; beyond, new ones are accepted and closed at once. Each
/// costs a descriptor and some memory, no thread.
inline constexpr std::size_t max_connections = 16384;
/// Live streams (`/events/stream`, `/frames/stream`) open at once (api.md v1.1).
inline constexpr std::size_t max_streams = 64;
/// Seconds a payload counts towards `connected`.
inline constexpr std::int64_t connected_window_s = 30;
/// Milliseconds an HTTP request waits for an actor before the front end answers 503.
inline constexpr std::int64_t actor_timeout_ms = 5000;
/// Seconds WLED stays in realtime mode after the last DNRGB packet.
inline constexpr std::int64_t dnrgb_timeout_s = 2;
/// Seconds an idle keep-alive connection stays open.
inline constexpr std::int64_t keep_alive_timeout_s = 5;
/// Seconds a request may take to arrive completely.
inline constexpr std::int64_t read_timeout_s = 5;
/// CAF scheduler worker threads (0: one per core).
inline constexpr std::size_t scheduler_threads = 0;
/// MQTT broker URL; empty: MQTT off.
inline constexpr const char* mqtt_url = "";
/// First segment of every gamelight MQTT topic.
inline constexpr const char* mqtt_prefix = "gamelight";
/// Home Assistant's discovery prefix; empty: no discovery.
inline constexpr const char* mqtt_discovery_prefix = "homeassistant";
/// MQTT client id (unique per broker: two daemons need two ids).
inline constexpr const char* mqtt_client_id = "gamelight";

} // namespace gamelight::defaults
