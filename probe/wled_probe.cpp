#include "probe/wled_probe.hpp"

#include <httplib.h>

#include <charconv>
#include <exception>
#include <limits>
#include <netdb.h>
#include <sys/socket.h>
#include <sys/types.h>
#include <utility>

namespace gamelight::probe {

namespace {

using std::chrono::steady_clock;

/// The only URL a probe fetches.
constexpr const char* info_path = "/json/info";

[[nodiscard]] json unreachable(std::string detail) {
  json result = json::object();
  result["reachable"] = false;
  result["detail"] = std::move(detail);
  return result;
}

/// Returns "host:port", with brackets around an IPv6 literal.
[[nodiscard]] std::string endpoint(const std::string& host, std::uint16_t port) {
  auto text = host.find(':') != std::string::npos ? "[" + host + "]" : host;
  return text + ":" + std::to_string(port);
}

/// Returns whether `host` resolves to an address (told apart from a refused connection,
/// which httplib reports the same way).
[[nodiscard]] bool resolves(const std::string& host) {
  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  addrinfo* found = nullptr;
  auto rc = getaddrinfo(host.c_str(), nullptr, &hints, &found);
  if (found != nullptr)
    freeaddrinfo(found);
  return rc == 0;
}

[[nodiscard]] std::string too_large() {
  return "answer too large (over " + std::to_string(max_body_bytes) + " bytes)";
}

[[nodiscard]] std::int64_t elapsed_ms(steady_clock::time_point start) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(steady_clock::now() - start).count();
}

} // namespace

std::optional<wled_info> parse_info(std::string_view body, std::string& detail) {
  json doc;
  try {
    doc = json::parse(body);
  } catch (const json::parse_error& e) {
    // The device's text is not echoed back: only where it went wrong.
    detail = "malformed JSON in the answer (at byte " + std::to_string(e.byte) + ")";
    return std::nullopt;
  }
  if (!doc.is_object()) {
    detail = "not a WLED answer: the JSON is not an object";
    return std::nullopt;
  }
  auto string_field = [&](const char* key) -> const std::string* {
    auto it = doc.find(key);
    if (it == doc.end() || !it->is_string())
      return nullptr;
    return &it->get_ref<const std::string&>();
  };
  const auto* name = string_field("name");
  const auto* ver = string_field("ver");
  const auto* mac = string_field("mac");
  const json* count = nullptr;
  if (auto leds = doc.find("leds"); leds != doc.end() && leds->is_object())
    if (auto c = leds->find("count"); c != leds->end() && c->is_number_integer())
      count = &*c;
  std::string missing;
  auto note = [&](bool ok, const char* what) {
    if (ok)
      return;
    missing += missing.empty() ? "" : ", ";
    missing += what;
  };
  note(name != nullptr, "string name");
  note(ver != nullptr, "string ver");
  note(count != nullptr, "integer leds.count");
  note(mac != nullptr, "string mac");
  if (!missing.empty()) {
    detail = "not a WLED answer: no " + missing;
    return std::nullopt;
  }
  std::int64_t led_count = 0;
  constexpr auto int64_max = std::numeric_limits<std::int64_t>::max();
  if (count->is_number_unsigned()
      && count->get<std::uint64_t>() > static_cast<std::uint64_t>(int64_max))
    led_count = int64_max;
  else
    led_count = count->get<std::int64_t>();
  return wled_info{*name, *ver, led_count, *mac};
}

json probe_wled(const std::string& host, std::uint16_t port, std::chrono::milliseconds timeout) {
  try {
    const auto where = endpoint(host, port);
    if (!resolves(host))
      return unreachable("cannot resolve host '" + host + "'");
    httplib::Client cli{host, port};
    cli.set_connection_timeout(timeout);
    cli.set_read_timeout(timeout);
    cli.set_write_timeout(timeout);
    cli.set_follow_location(false);
    // The cap is on the bytes the device sends: ask for no compression.
    cli.set_decompress(false);
    cli.set_keep_alive(false);
    std::string body;
    int status = 0;
    bool over_limit = false;
    bool late = false;
    const auto start = steady_clock::now();
    const auto deadline = start + timeout;
    auto on_response = [&](const httplib::Response& response) {
      status = response.status;
      if (status != 200)
        return false;
      // A declared length over the cap is refused before any of the body is read.
      if (response.has_header("Content-Length")) {
        auto text = response.get_header_value("Content-Length");
        std::uint64_t length = 0;
        auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), length);
        if (ec == std::errc::result_out_of_range
            || (ec == std::errc{} && length > max_body_bytes)) {
          over_limit = true;
          return false;
        }
      }
      return true;
    };
    auto on_data = [&](const char* data, std::size_t size) {
      if (body.size() + size > max_body_bytes) {
        over_limit = true;
        return false;
      }
      if (steady_clock::now() > deadline) {
        late = true;
        return false;
      }
      body.append(data, size);
      return true;
    };
    auto result = cli.Get(info_path, httplib::Headers{{"Accept", "application/json"}}, on_response,
                          on_data);
    if (over_limit)
      return unreachable(too_large());
    if (status != 0 && status != 200)
      return unreachable("not a WLED answer: HTTP " + std::to_string(status) + " for " + info_path);
    if (late)
      return unreachable("timed out: " + where + " did not answer within "
                         + std::to_string(timeout.count()) + " ms");
    if (!result) {
      switch (result.error()) {
        case httplib::Error::Connection:
          return unreachable("connection refused or host unreachable: " + where);
        case httplib::Error::ConnectionTimeout:
          return unreachable("timed out: could not connect to " + where + " within "
                             + std::to_string(timeout.count()) + " ms");
        case httplib::Error::Read:
          if (elapsed_ms(start) >= timeout.count())
            return unreachable("timed out: " + where + " did not answer within "
                               + std::to_string(timeout.count()) + " ms");
          return unreachable("not a WLED answer: no valid HTTP response from " + where);
        default:
          return unreachable("probe failed: " + httplib::to_string(result.error()));
      }
    }
    std::string detail;
    auto info = parse_info(body, detail);
    if (!info)
      return unreachable(std::move(detail));
    json answer = json::object();
    answer["reachable"] = true;
    answer["name"] = info->name;
    answer["version"] = info->version;
    answer["led_count"] = info->led_count;
    answer["mac"] = info->mac;
    return answer;
  } catch (const std::exception& e) {
    return unreachable(std::string{"probe failed: "} + e.what());
  } catch (...) {
    return unreachable("probe failed");
  }
}

} // namespace gamelight::probe
