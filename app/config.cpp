#include "app/config.hpp"

#include "app/defaults.hpp"
#include "common/log.hpp"
#include "mqtt/topics.hpp"

#include <arpa/inet.h>
#include <charconv>
#include <fstream>
#include <functional>
#include <sstream>

namespace gamelight {

namespace {

/// One option: its name (CLI `--name=value`, INI `name = value`), help and parser.
struct option {
  const char* name;
  const char* help;
  /// Whether the option may appear on the command line (the API key may not:
  /// command lines are visible to every local user).
  bool on_command_line;
  std::function<std::optional<std::string>(daemon_config&, const std::string&)> set;
};

template <class T>
std::optional<std::string> parse_int(const std::string& name, const std::string& text, T& out,
                                     long long min, long long max) {
  long long value = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc{} || end != text.data() + text.size() || text.empty() || value < min
      || value > max)
    return name + " must be an integer between " + std::to_string(min) + " and "
           + std::to_string(max) + ", got '" + text + "'";
  out = static_cast<T>(value);
  return std::nullopt;
}

/// Returns whether a topic prefix is usable: not empty, no wildcards, no `/` at its ends.
bool valid_topic_prefix(const std::string& x) {
  return !x.empty() && x.find_first_of("+#") == std::string::npos && x.front() != '/'
         && x.back() != '/';
}

const std::vector<option>& options() {
  static const std::vector<option> table = {
      {"bind", "address to listen on (non-loopback needs an API key)", true,
       [](daemon_config& c, const std::string& v) -> std::optional<std::string> {
         if (v.empty())
           return "bind must not be empty";
         c.bind = v;
         return std::nullopt;
       }},
      {"port", "TCP port; 0 picks a free one", true,
       [](daemon_config& c, const std::string& v) {
         return parse_int("port", v, c.port, 0, 65535);
       }},
      {"data-dir", "folder of the SQLite database", true,
       [](daemon_config& c, const std::string& v) -> std::optional<std::string> {
         if (v.empty())
           return "data-dir must not be empty";
         c.data_dir = v;
         return std::nullopt;
       }},
      {"log-level", "error, warning, info or debug", true,
       [](daemon_config& c, const std::string& v) -> std::optional<std::string> {
         if (!log::parse_level(v))
           return "log-level must be error, warning, info or debug, got '" + v + "'";
         c.log_level = v;
         return std::nullopt;
       }},
      {"api-key", "API key for /api/v1 (config file or GAMELIGHT_API_KEY only)", false,
       [](daemon_config& c, const std::string& v) -> std::optional<std::string> {
         c.api_key = v;
         return std::nullopt;
       }},
      {"public-url", "base URL games use to reach the daemon (for setup files)", true,
       [](daemon_config& c, const std::string& v) -> std::optional<std::string> {
         c.public_url = v;
         return std::nullopt;
       }},
      {"http-threads", "ignored (kept so old config files start): HTTP is event-driven now", true,
       [](daemon_config& c, const std::string& v) {
         return parse_int("http-threads", v, c.http_threads, 1, 4096);
       }},
      {"max-connections", "connections open at once (beyond, new ones are closed at once)", true,
       [](daemon_config& c, const std::string& v) {
         return parse_int("max-connections", v, c.max_connections, 1, 1048576);
       }},
      {"max-streams", "live streams (events and frames) open at once (beyond: 503)", true,
       [](daemon_config& c, const std::string& v) {
         return parse_int("max-streams", v, c.max_streams, 1, 65536);
       }},
      {"connected-window", "seconds a payload keeps an integration 'connected'", true,
       [](daemon_config& c, const std::string& v) {
         return parse_int("connected-window", v, c.connected_window_s, 1, 3600);
       }},
      {"actor-timeout-ms", "milliseconds a request waits for the daemon's actors (then 503)", true,
       [](daemon_config& c, const std::string& v) {
         return parse_int("actor-timeout-ms", v, c.actor_timeout_ms, 10, 600000);
       }},
      {"dnrgb-timeout", "seconds WLED stays in realtime mode after the last DNRGB packet", true,
       [](daemon_config& c, const std::string& v) {
         return parse_int("dnrgb-timeout", v, c.dnrgb_timeout_s, 1, 255);
       }},
      {"keep-alive-timeout", "seconds an idle keep-alive connection stays open", true,
       [](daemon_config& c, const std::string& v) {
         return parse_int("keep-alive-timeout", v, c.keep_alive_timeout_s, 1, 3600);
       }},
      {"read-timeout", "seconds a request may take to arrive completely", true,
       [](daemon_config& c, const std::string& v) {
         return parse_int("read-timeout", v, c.read_timeout_s, 1, 3600);
       }},
      {"scheduler-threads", "actor scheduler threads (0: one per core)", true,
       [](daemon_config& c, const std::string& v) {
         return parse_int("scheduler-threads", v, c.scheduler_threads, 0, 256);
       }},
      {"mqtt-url", "MQTT broker, mqtt://HOST:PORT or mqtts://HOST:PORT (empty: MQTT off)", true,
       [](daemon_config& c, const std::string& v) -> std::optional<std::string> {
         if (!v.empty() && !mqtt::parse_broker_url(v))
           return "mqtt-url must be mqtt://HOST:PORT or mqtts://HOST:PORT, got '" + v + "'";
         c.mqtt_url = v;
         return std::nullopt;
       }},
      {"mqtt-username", "MQTT user name (empty: none)", true,
       [](daemon_config& c, const std::string& v) -> std::optional<std::string> {
         c.mqtt_username = v;
         return std::nullopt;
       }},
      {"mqtt-password", "MQTT password (config file or GAMELIGHT_MQTT_PASSWORD only)", false,
       [](daemon_config& c, const std::string& v) -> std::optional<std::string> {
         c.mqtt_password = v;
         return std::nullopt;
       }},
      {"mqtt-prefix", "first segment of gamelight's MQTT topics", true,
       [](daemon_config& c, const std::string& v) -> std::optional<std::string> {
         if (!valid_topic_prefix(v))
           return "mqtt-prefix must be a non-empty topic without +, # or a trailing /";
         c.mqtt_prefix = v;
         return std::nullopt;
       }},
      {"mqtt-discovery-prefix", "Home Assistant discovery prefix (empty: no discovery)", true,
       [](daemon_config& c, const std::string& v) -> std::optional<std::string> {
         if (!v.empty() && !valid_topic_prefix(v))
           return "mqtt-discovery-prefix must be empty or a topic without +, # or a trailing /";
         c.mqtt_discovery_prefix = v;
         return std::nullopt;
       }},
      {"mqtt-client-id", "MQTT client id (one per daemon on a broker)", true,
       [](daemon_config& c, const std::string& v) -> std::optional<std::string> {
         if (v.empty() || v.size() > 128)
           return "mqtt-client-id must be 1-128 characters";
         c.mqtt_client_id = v;
         return std::nullopt;
       }},
  };
  return table;
}

const option* find_option(const std::string& name) {
  for (auto& o : options())
    if (name == o.name)
      return &o;
  return nullptr;
}

std::string trim(const std::string& x) {
  auto first = x.find_first_not_of(" \t\r");
  if (first == std::string::npos)
    return {};
  auto last = x.find_last_not_of(" \t\r");
  return x.substr(first, last - first + 1);
}

/// Reads `name = value` lines; `#` and `;` start comments, `[section]` lines are
/// accepted and ignored, values may be quoted.
std::optional<std::string> read_file(const std::string& path, daemon_config& out) {
  std::ifstream in{path};
  if (!in)
    return "cannot read config file '" + path + "'";
  std::string line;
  int number = 0;
  while (std::getline(in, line)) {
    ++number;
    auto text = trim(line);
    if (text.empty() || text[0] == '#' || text[0] == ';' || text[0] == '[')
      continue;
    auto eq = text.find('=');
    auto where = path + ":" + std::to_string(number) + ": ";
    if (eq == std::string::npos)
      return where + "expected 'name = value'";
    auto name = trim(text.substr(0, eq));
    auto value = trim(text.substr(eq + 1));
    if (value.size() >= 2 && (value.front() == '"' || value.front() == '\'')
        && value.back() == value.front())
      value = value.substr(1, value.size() - 2);
    auto opt = find_option(name);
    if (opt == nullptr)
      return where + "unknown option '" + name + "'";
    if (auto err = opt->set(out, value))
      return where + *err;
  }
  return std::nullopt;
}

} // namespace

daemon_config default_config() {
  daemon_config x;
  x.bind = defaults::bind;
  x.port = defaults::port;
  x.data_dir = defaults::data_dir;
  x.log_level = defaults::log_level;
  x.http_threads = defaults::http_threads;
  x.max_connections = defaults::max_connections;
  x.max_streams = defaults::max_streams;
  x.connected_window_s = defaults::connected_window_s;
  x.actor_timeout_ms = defaults::actor_timeout_ms;
  x.dnrgb_timeout_s = defaults::dnrgb_timeout_s;
  x.keep_alive_timeout_s = defaults::keep_alive_timeout_s;
  x.read_timeout_s = defaults::read_timeout_s;
  x.scheduler_threads = defaults::scheduler_threads;
  x.mqtt_url = defaults::mqtt_url;
  x.mqtt_prefix = defaults::mqtt_prefix;
  x.mqtt_discovery_prefix = defaults::mqtt_discovery_prefix;
  x.mqtt_client_id = defaults::mqtt_client_id;
  return x;
}

std::optional<std::string> load_config(const std::vector<std::string>& args,
                                       const char* env_api_key, daemon_config& out,
                                       const char* env_mqtt_password) {
  // Split `--name=value` and `--name value` first; the config file applies before
  // the command line so that flags override it.
  std::vector<std::pair<std::string, std::string>> flags;
  for (std::size_t i = 0; i < args.size(); ++i) {
    auto& arg = args[i];
    if (arg == "--help" || arg == "-h") {
      out.show_help = true;
      continue;
    }
    if (arg == "--version") {
      out.show_version = true;
      continue;
    }
    if (arg.rfind("--", 0) != 0)
      return "unexpected argument '" + arg + "' (see --help)";
    auto eq = arg.find('=');
    auto name = arg.substr(2, eq == std::string::npos ? std::string::npos : eq - 2);
    std::string value;
    if (eq != std::string::npos) {
      value = arg.substr(eq + 1);
    } else if (i + 1 < args.size()) {
      value = args[++i];
    } else {
      return "option --" + name + " needs a value";
    }
    if (name == "config") {
      out.config_file = value;
      continue;
    }
    auto opt = find_option(name);
    if (opt == nullptr)
      return "unknown option --" + name + " (see --help)";
    if (!opt->on_command_line)
      return "--" + name + " is not accepted on the command line; use the config file or "
             + (name == "api-key" ? "GAMELIGHT_API_KEY" : "GAMELIGHT_MQTT_PASSWORD");
    flags.emplace_back(name, value);
  }
  if (out.show_help || out.show_version)
    return std::nullopt;
  if (!out.config_file.empty())
    if (auto err = read_file(out.config_file, out))
      return err;
  if (env_api_key != nullptr && *env_api_key != '\0')
    out.api_key = env_api_key;
  if (env_mqtt_password != nullptr && *env_mqtt_password != '\0')
    out.mqtt_password = env_mqtt_password;
  for (auto& [name, value] : flags)
    if (auto err = find_option(name)->set(out, value))
      return err;
  return std::nullopt;
}

bool is_loopback(const std::string& address) {
  if (address == "localhost")
    return true;
  in_addr v4{};
  if (::inet_pton(AF_INET, address.c_str(), &v4) == 1)
    return (ntohl(v4.s_addr) >> 24) == 127;
  in6_addr v6{};
  if (::inet_pton(AF_INET6, address.c_str(), &v6) == 1)
    return IN6_IS_ADDR_LOOPBACK(&v6) != 0;
  return false;
}

std::optional<std::string> validate(const daemon_config& x) {
  if (x.api_key.empty() && !is_loopback(x.bind))
    return "refusing to listen on " + x.bind
           + " without an API key: set api-key in the config file or GAMELIGHT_API_KEY, "
             "or bind a loopback address";
  return std::nullopt;
}

std::string help_text() {
  std::ostringstream out;
  out << "usage: gamelightd [--config=FILE] [--OPTION=VALUE ...]\n\n"
      << "Turns game events into LED effects on WLED devices.\n\n"
      << "  --config=FILE            read options from FILE (name = value lines)\n";
  for (auto& o : options()) {
    std::string flag = std::string{"  --"} + o.name + "=VALUE";
    if (!o.on_command_line)
      flag = std::string{"  "} + o.name + " (file only)";
    out << flag;
    for (auto n = flag.size(); n < 27; ++n)
      out << ' ';
    if (flag.size() >= 27)
      out << "  ";
    out << o.help << '\n';
  }
  out << "  --help                   print this text\n"
      << "  --version                print the version\n\n"
      << "Environment: GAMELIGHT_API_KEY sets the API key, GAMELIGHT_MQTT_PASSWORD the MQTT\n"
      << "password.\n"
      << "Command-line options override the config file.\n";
  return out.str();
}

} // namespace gamelight
