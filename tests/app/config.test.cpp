#include "app/config.hpp"

#include "common/security.hpp"

#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>

using namespace gamelight;

namespace {

/// Writes a config file into the temp dir and removes it afterwards.
struct config_file {
  std::filesystem::path path
      = std::filesystem::temp_directory_path() / ("gamelight-" + random_hex(8) + ".ini");
  explicit config_file(const std::string& text) {
    std::ofstream{path} << text;
  }
  ~config_file() {
    std::filesystem::remove(path);
  }
};

} // namespace

TEST_CASE("defaults apply without options") {
  auto config = default_config();
  REQUIRE_FALSE(load_config({}, nullptr, config));
  CHECK_EQ(config.bind, "127.0.0.1");
  CHECK_EQ(config.port, 8420);
  CHECK_EQ(config.data_dir, "data");
  CHECK_EQ(config.log_level, "info");
  CHECK_EQ(config.connected_window_s, 30);
  CHECK_EQ(config.api_key, "");
}

TEST_CASE("the config file applies and the command line overrides it") {
  config_file file{"# comment\n[gamelight]\nport = 9000\nbind = \"0.0.0.0\"\n"
                   "api-key = 'file-key-1234'\nlog-level = debug\n"};
  auto config = default_config();
  REQUIRE_FALSE(load_config({"--config=" + file.path.string(), "--port", "9100"}, nullptr, config));
  CHECK_EQ(config.port, 9100);
  CHECK_EQ(config.bind, "0.0.0.0");
  CHECK_EQ(config.api_key, "file-key-1234");
  CHECK_EQ(config.log_level, "debug");
  // The environment wins over the file.
  config = default_config();
  REQUIRE_FALSE(load_config({"--config=" + file.path.string()}, "env-key-5678", config));
  CHECK_EQ(config.api_key, "env-key-5678");
}

TEST_CASE("bad options are reported with their reason") {
  auto config = default_config();
  CHECK_EQ(load_config({"--port=70000"}, nullptr, config),
           std::optional<std::string>{"port must be an integer between 0 and 65535, got '70000'"});
  CHECK_EQ(load_config({"--colour=red"}, nullptr, config),
           std::optional<std::string>{"unknown option --colour (see --help)"});
  CHECK_EQ(
      load_config({"--log-level=loud"}, nullptr, config),
      std::optional<std::string>{"log-level must be error, warning, info or debug, got 'loud'"});
  CHECK(load_config({"--api-key=secret"}, nullptr, config).has_value());
  config_file file{"port = 80\nnonsense line\n"};
  auto err = load_config({"--config=" + file.path.string()}, nullptr, config);
  REQUIRE(err);
  CHECK(err->find(":2: expected 'name = value'") != std::string::npos);
  CHECK(load_config({"--config=/nonexistent/gamelight.ini"}, nullptr, config).has_value());
}

TEST_CASE("only loopback binds are allowed without a key") {
  CHECK(is_loopback("127.0.0.1"));
  CHECK(is_loopback("127.1.2.3"));
  CHECK(is_loopback("::1"));
  CHECK(is_loopback("localhost"));
  CHECK_FALSE(is_loopback("0.0.0.0"));
  CHECK_FALSE(is_loopback("192.168.1.10"));
  CHECK_FALSE(is_loopback("::"));
  auto config = default_config();
  config.bind = "0.0.0.0";
  CHECK(validate(config).has_value());
  config.api_key = "k";
  CHECK_FALSE(validate(config).has_value());
}

TEST_CASE("MQTT options: off by default, file, environment and checks") {
  auto config = default_config();
  REQUIRE_FALSE(load_config({}, nullptr, config));
  CHECK_EQ(config.mqtt_url, "");
  CHECK_EQ(config.mqtt_prefix, "gamelight");
  CHECK_EQ(config.mqtt_discovery_prefix, "homeassistant");
  CHECK_EQ(config.mqtt_client_id, "gamelight");
  config_file file{"mqtt-url = mqtts://broker.lan:8883\nmqtt-username = lights\n"
                   "mqtt-password = 'file-secret'\nmqtt-prefix = venue/gl\n"
                   "mqtt-discovery-prefix =\nmqtt-client-id = gl-2\n"};
  config = default_config();
  REQUIRE_FALSE(load_config({"--config=" + file.path.string()}, nullptr, config));
  CHECK_EQ(config.mqtt_url, "mqtts://broker.lan:8883");
  CHECK_EQ(config.mqtt_username, "lights");
  CHECK_EQ(config.mqtt_password, "file-secret");
  CHECK_EQ(config.mqtt_prefix, "venue/gl");
  CHECK_EQ(config.mqtt_discovery_prefix, "");
  CHECK_EQ(config.mqtt_client_id, "gl-2");
  config = default_config();
  REQUIRE_FALSE(load_config({"--config=" + file.path.string()}, nullptr, config, "env-secret"));
  CHECK_EQ(config.mqtt_password, "env-secret");
  config = default_config();
  CHECK_EQ(load_config({"--mqtt-password=x"}, nullptr, config),
           std::optional<std::string>{"--mqtt-password is not accepted on the command line; use "
                                      "the config file or GAMELIGHT_MQTT_PASSWORD"});
  CHECK_EQ(load_config({"--mqtt-url=http://x:1"}, nullptr, config),
           std::optional<std::string>{
               "mqtt-url must be mqtt://HOST:PORT or mqtts://HOST:PORT, got 'http://x:1'"});
  CHECK(load_config({"--mqtt-prefix=a/#"}, nullptr, config).has_value());
  CHECK(load_config({"--mqtt-prefix="}, nullptr, config).has_value());
  CHECK(help_text().find("--mqtt-url=VALUE") != std::string::npos);
  CHECK(help_text().find("mqtt-password (file only)") != std::string::npos);
}
