#include "common/time.hpp"
#include "validation/detail.hpp"
#include "validation/validation.hpp"

#include <algorithm>
#include <arpa/inet.h>
#include <array>
#include <optional>
#include <utility>

namespace gamelight::validation {

namespace {

using detail::at;
using detail::checker;
using detail::valid_zone_name;

constexpr std::array<std::string_view, 11> device_fields = {
    "name", "host",       "port",    "protocol",        "universe", "led_count",
    "fps",  "brightness", "enabled", "integration_ids", "zones",
};

constexpr std::array<std::string_view, 4> zone_fields = {"name", "start", "length", "reverse"};

constexpr std::array<std::string_view, 2> probe_fields = {"host", "port"};

constexpr std::array<std::string_view, 3> server_fields = {"id", "created_at", "updated_at"};

template <std::size_t N>
bool contains(const std::array<std::string_view, N>& names, std::string_view name) {
  for (auto x : names)
    if (x == name)
      return true;
  return false;
}

bool is_alnum(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

bool is_digit(char c) {
  return c >= '0' && c <= '9';
}

bool is_hex_lower(char c) {
  return is_digit(c) || (c >= 'a' && c <= 'f');
}

/// Returns whether `host` is a hostname of LDH labels (RFC 1123), last label not numeric.
bool valid_hostname(std::string_view host) {
  if (!host.empty() && host.back() == '.')
    host.remove_suffix(1);
  if (host.empty())
    return false;
  std::string_view last;
  while (!host.empty()) {
    auto dot = host.find('.');
    auto label = host.substr(0, dot);
    if (label.empty() || label.size() > 63 || label.front() == '-' || label.back() == '-')
      return false;
    for (char c : label)
      if (!is_alnum(c) && c != '-')
        return false;
    last = label;
    host = dot == std::string_view::npos ? std::string_view{} : host.substr(dot + 1);
    if (dot != std::string_view::npos && host.empty())
      return false; // "a..b" or a double trailing dot
  }
  // "256.1.1.1" is neither an IPv4 address nor a hostname.
  for (char c : last)
    if (!is_digit(c))
      return true;
  return false;
}

bool valid_integration_id(std::string_view id) {
  if (id.size() != 11 || id.substr(0, 3) != "gi_")
    return false;
  for (char c : id.substr(3))
    if (!is_hex_lower(c))
      return false;
  return true;
}

const std::vector<std::string>& protocol_names() {
  static const std::vector<std::string> names = {
      std::string{to_string(led_protocol::ddp)},
      std::string{to_string(led_protocol::dnrgb)},
      std::string{to_string(led_protocol::e131)},
  };
  return names;
}

/// Checks one item of `zones`; returns it when valid.
std::optional<zone> check_zone(const json& item, const json& loc, checker& check) {
  if (!check.object(item, loc))
    return std::nullopt;
  auto errors_before = check.count();
  zone result;
  if (auto it = item.find("name"); it == item.end()) {
    check.missing(at(loc, "name"));
  } else if (!it->is_string()) {
    check.type_error(at(loc, "name"), "string");
  } else if (const auto& name = it->get_ref<const std::string&>(); !valid_zone_name(name)) {
    check.add(at(loc, "name"), std::string{"String should match pattern '"} + zone_pattern + "'",
              "string_pattern_mismatch");
  } else {
    result.name = name;
  }
  if (auto it = item.find("start"); it == item.end())
    check.missing(at(loc, "start"));
  else if (auto x = check.integer(*it, at(loc, "start"), 0, 4095))
    result.start = static_cast<std::uint32_t>(*x);
  if (auto it = item.find("length"); it == item.end())
    check.missing(at(loc, "length"));
  else if (auto x = check.integer(*it, at(loc, "length"), 1, 4096))
    result.length = static_cast<std::uint32_t>(*x);
  if (auto it = item.find("reverse"); it != item.end()) {
    if (auto x = check.boolean(*it, at(loc, "reverse")))
      result.reverse = *x;
  }
  for (const auto& [key, value] : item.items())
    if (!contains(zone_fields, key))
      check.extra(at(loc, key));
  if (check.count() != errors_before)
    return std::nullopt;
  return result;
}

/// Checks `zones` when sent (replacing `result.zones` when every item is valid), then that
/// each valid zone fits the resulting `led_count` (skipped when `led_count` itself failed).
/// A zone that does not fit is reported at its own `loc` when `zones` was sent, else at
/// `led_count` (a PUT that shrinks the strip below a stored zone).
void check_zones(const json* value, const json& root, checker& check, device& result,
                 bool led_count_ok) {
  auto where = at(root, "zones");
  // The valid zones with their index in the body.
  std::vector<std::pair<std::size_t, zone>> valid;
  bool all_valid = true;
  if (value != nullptr) {
    auto errors_before = check.count();
    if (check.array(*value, where, max_zones)) {
      for (std::size_t i = 0; i < value->size(); ++i) {
        auto z = check_zone((*value)[i], at(where, i), check);
        if (!z)
          continue;
        auto same_name = [&](const auto& x) {
          return x.second.name == z->name;
        };
        if (std::any_of(valid.begin(), valid.end(), same_name)) {
          check.add(at(at(where, i), "name"), "Value error, duplicate zone name '" + z->name + "'",
                    "value_error");
          continue;
        }
        valid.emplace_back(i, std::move(*z));
      }
    }
    all_valid = check.count() == errors_before;
  } else {
    for (std::size_t i = 0; i < result.zones.size(); ++i)
      valid.emplace_back(i, result.zones[i]);
  }
  if (led_count_ok) {
    for (const auto& [i, z] : valid) {
      auto end = static_cast<std::uint64_t>(z.start) + z.length;
      if (end <= result.led_count)
        continue;
      auto msg = "Value error, zone '" + z.name + "' ends at LED " + std::to_string(end)
                 + ", beyond led_count " + std::to_string(result.led_count);
      if (value != nullptr)
        check.add(at(where, i), std::move(msg), "value_error");
      else
        check.add(at(root, "led_count"), std::move(msg), "value_error");
    }
  }
  if (value != nullptr && all_valid) {
    result.zones.clear();
    for (auto& [i, z] : valid)
      result.zones.push_back(std::move(z));
  }
}

outcome<device> check_device(const json& body, const device* current) {
  const json root = json::array({"body"});
  if (!body.is_object())
    return problems::validation(root, "Input should be a valid dictionary", "dict_type");
  std::vector<field_error> errors;
  checker check{errors};
  device result = current != nullptr ? *current : device{};
  auto find = [&](std::string_view key) -> const json* {
    auto it = body.find(key);
    return it == body.end() ? nullptr : &*it;
  };
  auto require = [&](const char* key) {
    if (current == nullptr)
      check.missing(at(root, key));
  };
  if (const auto* v = find("name")) {
    if (auto x = check.string(*v, at(root, "name"), 1, 100, true))
      result.name = std::move(*x);
  } else {
    require("name");
  }
  if (const auto* v = find("host")) {
    auto where = at(root, "host");
    if (auto x = check.string(*v, where, 1, 253)) {
      if (valid_host(*x))
        result.host = std::move(*x);
      else
        check.add(where,
                  "Value error, host must be an IPv4 or IPv6 address or a hostname (letters, "
                  "digits, '-' and '.')",
                  "value_error");
    }
  } else {
    require("host");
  }
  bool port_sent = false;
  if (const auto* v = find("port")) {
    port_sent = true;
    if (auto x = check.integer(*v, at(root, "port"), 1, 65535))
      result.port = static_cast<std::uint16_t>(*x);
  }
  if (const auto* v = find("protocol")) {
    if (auto x = check.one_of(*v, at(root, "protocol"), protocol_names()))
      result.protocol = *parse_led_protocol(*x);
  }
  // Only a create fills in the protocol's port; a PUT keeps the stored one.
  if (current == nullptr && !port_sent)
    result.port = default_port(result.protocol);
  if (const auto* v = find("universe")) {
    if (auto x = check.integer(*v, at(root, "universe"), 1, 63999))
      result.universe = static_cast<std::uint16_t>(*x);
  }
  bool led_count_ok = true;
  if (const auto* v = find("led_count")) {
    if (auto x = check.integer(*v, at(root, "led_count"), 1, 4096))
      result.led_count = static_cast<std::uint32_t>(*x);
    else
      led_count_ok = false;
  } else {
    require("led_count");
  }
  if (const auto* v = find("fps")) {
    if (auto x = check.integer(*v, at(root, "fps"), 1, 120))
      result.fps = static_cast<std::uint32_t>(*x);
  }
  if (const auto* v = find("brightness")) {
    if (auto x = check.number(*v, at(root, "brightness"), 0.0, 1.0, "0.0", "1.0"))
      result.brightness = *x;
  }
  if (const auto* v = find("enabled")) {
    if (auto x = check.boolean(*v, at(root, "enabled")))
      result.enabled = *x;
  }
  if (const auto* v = find("integration_ids")) {
    auto where = at(root, "integration_ids");
    if (check.array(*v, where, static_cast<std::size_t>(-1))) {
      std::vector<std::string> ids;
      for (std::size_t i = 0; i < v->size(); ++i) {
        const auto& item = (*v)[i];
        if (!item.is_string()) {
          check.type_error(at(where, i), "string");
          continue;
        }
        const auto& id = item.get_ref<const std::string&>();
        if (!valid_integration_id(id)) {
          check.add(at(where, i), "String should match pattern '^gi_[0-9a-f]{8}$'",
                    "string_pattern_mismatch");
          continue;
        }
        if (std::find(ids.begin(), ids.end(), id) != ids.end()) {
          check.add(at(where, i), "Value error, duplicate integration id '" + id + "'",
                    "value_error");
          continue;
        }
        ids.push_back(id);
      }
      result.integration_ids = std::move(ids);
    }
  }
  check_zones(find("zones"), root, check, result, led_count_ok);
  for (const auto& [key, value] : body.items()) {
    if (contains(device_fields, key))
      continue;
    if (contains(server_fields, key))
      check.read_only(at(root, key));
    else
      check.extra(at(root, key));
  }
  if (!errors.empty())
    return problems::validation(std::move(errors));
  return result;
}

} // namespace

bool valid_host(std::string_view host) noexcept {
  if (host.empty() || host.size() > 253)
    return false;
  try {
    std::string text{host};
    if (text.find(':') != std::string::npos) {
      in6_addr v6{};
      return inet_pton(AF_INET6, text.c_str(), &v6) == 1;
    }
    in_addr v4{};
    if (inet_pton(AF_INET, text.c_str(), &v4) == 1)
      return true;
    return valid_hostname(host);
  } catch (...) {
    return false;
  }
}

outcome<device> device_from_create(const json& body) {
  try {
    return check_device(body, nullptr);
  } catch (const std::exception& e) {
    return problems::validation(json::array({"body"}), std::string{"Value error, "} + e.what(),
                                "value_error");
  }
}

outcome<device> device_from_update(const device& current, const json& body) {
  try {
    return check_device(body, &current);
  } catch (const std::exception& e) {
    return problems::validation(json::array({"body"}), std::string{"Value error, "} + e.what(),
                                "value_error");
  }
}

json to_json(const zone& x) {
  json result = json::object();
  result["name"] = x.name;
  result["start"] = x.start;
  result["length"] = x.length;
  result["reverse"] = x.reverse;
  return result;
}

std::optional<problem> check_test_zone(const device& target,
                                       const std::optional<std::string>& zone) {
  if (!zone)
    return std::nullopt;
  for (const auto& z : target.zones)
    if (z.name == *zone)
      return std::nullopt;
  return problems::validation(json::array({"body", "zone"}),
                              "Value error, device has no zone '" + *zone + "'", "value_error");
}

outcome<probe_request> probe_request_from_body(const json& body) {
  const json root = json::array({"body"});
  if (!body.is_object())
    return problems::validation(root, "Input should be a valid dictionary", "dict_type");
  std::vector<field_error> errors;
  checker check{errors};
  probe_request result;
  try {
    if (auto it = body.find("host"); it == body.end()) {
      check.missing(at(root, "host"));
    } else if (auto x = check.string(*it, at(root, "host"), 1, 253)) {
      if (valid_host(*x))
        result.host = std::move(*x);
      else
        check.add(at(root, "host"),
                  "Value error, host must be an IPv4 or IPv6 address or a hostname (letters, "
                  "digits, '-' and '.')",
                  "value_error");
    }
    if (auto it = body.find("port"); it != body.end()) {
      if (auto x = check.integer(*it, at(root, "port"), 1, 65535))
        result.port = static_cast<std::uint16_t>(*x);
    }
    for (const auto& [key, value] : body.items())
      if (!contains(probe_fields, key))
        check.extra(at(root, key));
  } catch (const std::exception& e) {
    return problems::validation(root, std::string{"Value error, "} + e.what(), "value_error");
  }
  if (!errors.empty())
    return problems::validation(std::move(errors));
  return result;
}

json to_json(const device& x) {
  json result = json::object();
  result["id"] = x.id;
  result["name"] = x.name;
  result["host"] = x.host;
  result["port"] = x.port;
  result["protocol"] = to_string(x.protocol);
  result["universe"] = x.universe;
  result["led_count"] = x.led_count;
  result["fps"] = x.fps;
  result["brightness"] = x.brightness;
  result["enabled"] = x.enabled;
  result["integration_ids"] = x.integration_ids;
  auto zones = json::array();
  for (const auto& z : x.zones)
    zones.push_back(to_json(z));
  result["zones"] = std::move(zones);
  result["created_at"] = format_rfc3339(x.created_at);
  result["updated_at"] = format_rfc3339(x.updated_at);
  return result;
}

} // namespace gamelight::validation
