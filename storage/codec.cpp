#include "storage/codec.hpp"

#include "common/json.hpp"

#include <limits>
#include <optional>

namespace gamelight::storage {

namespace {

bool is_ascii_space(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

json parse(std::string_view text, std::string_view what) {
  auto result = json::parse(text, nullptr, false);
  if (result.is_discarded())
    throw corrupt_data{"stored " + std::string{what} + " is not valid JSON"};
  return result;
}

[[noreturn]] void fail(std::size_t index, std::string_view field) {
  throw corrupt_data{"stored event mapping " + std::to_string(index) + " has an invalid '"
                     + std::string{field} + "'"};
}

/// Returns `value` when it is a JSON integer in [lo, hi]; requires `hi >= 0`.
std::optional<std::int64_t> integer_in(const json& value, std::int64_t lo, std::int64_t hi) {
  if (!value.is_number_integer())
    return std::nullopt;
  if (value.is_number_unsigned() && value.get<std::uint64_t>() > static_cast<std::uint64_t>(hi))
    return std::nullopt;
  auto result = value.get<std::int64_t>();
  if (result < lo || result > hi)
    return std::nullopt;
  return result;
}

/// Returns the integer member `key` of mapping `index` when it lies in [lo, hi].
std::int64_t member(const json& item, std::size_t index, const char* key, std::int64_t lo,
                    std::int64_t hi) {
  auto i = item.find(key);
  if (i == item.end())
    fail(index, key);
  auto result = integer_in(*i, lo, hi);
  if (!result)
    fail(index, key);
  return *result;
}

} // namespace

std::string name_key(std::string_view name) {
  while (!name.empty() && is_ascii_space(name.front()))
    name.remove_prefix(1);
  while (!name.empty() && is_ascii_space(name.back()))
    name.remove_suffix(1);
  std::string result{name};
  for (auto& c : result)
    if (c >= 'A' && c <= 'Z')
      c = static_cast<char>(c - 'A' + 'a');
  return result;
}

std::string encode_mappings(const std::vector<event_mapping>& xs) {
  auto result = json::array();
  for (const auto& x : xs) {
    json item = json::object();
    item["event_type"] = x.event_type;
    item["effect"] = std::string{to_string(x.effect)};
    item["color"] = json::array({x.color.r, x.color.g, x.color.b});
    item["duration_ms"] = x.duration_ms;
    item["intensity"] = x.intensity;
    item["priority"] = x.priority;
    if (x.zone)
      item["zone"] = *x.zone;
    else
      item["zone"] = nullptr;
    result.push_back(std::move(item));
  }
  return result.dump();
}

std::vector<event_mapping> decode_mappings(std::string_view text) {
  auto list = parse(text, "event_mappings");
  if (!list.is_array())
    throw corrupt_data{"stored event_mappings is not an array"};
  std::vector<event_mapping> result;
  result.reserve(list.size());
  for (std::size_t index = 0; index < list.size(); ++index) {
    const auto& item = list[index];
    if (!item.is_object())
      throw corrupt_data{"stored event mapping " + std::to_string(index) + " is not an object"};
    event_mapping x;
    auto event_type = item.find("event_type");
    if (event_type == item.end() || !event_type->is_string())
      fail(index, "event_type");
    x.event_type = event_type->get<std::string>();
    auto effect = item.find("effect");
    if (effect == item.end() || !effect->is_string())
      fail(index, "effect");
    auto kind = parse_effect_kind(effect->get<std::string>());
    if (!kind)
      fail(index, "effect");
    x.effect = *kind;
    auto color = item.find("color");
    if (color == item.end() || !color->is_array() || color->size() != 3)
      fail(index, "color");
    std::array<std::uint8_t, 3> channels{};
    for (std::size_t c = 0; c < 3; ++c) {
      auto channel = integer_in((*color)[c], 0, 255);
      if (!channel)
        fail(index, "color");
      channels[c] = static_cast<std::uint8_t>(*channel);
    }
    x.color = rgb{channels[0], channels[1], channels[2]};
    x.duration_ms = static_cast<std::uint32_t>(
        member(item, index, "duration_ms", 0, std::numeric_limits<std::uint32_t>::max()));
    auto intensity = item.find("intensity");
    if (intensity == item.end() || !intensity->is_number())
      fail(index, "intensity");
    x.intensity = intensity->get<double>();
    x.priority = static_cast<std::int32_t>(member(item, index, "priority",
                                                  std::numeric_limits<std::int32_t>::min(),
                                                  std::numeric_limits<std::int32_t>::max()));
    // Absent in mappings stored before zones existed: the whole strip.
    if (auto zone = item.find("zone"); zone != item.end() && !zone->is_null()) {
      if (!zone->is_string())
        fail(index, "zone");
      x.zone = zone->get<std::string>();
    }
    result.push_back(std::move(x));
  }
  return result;
}

std::string encode_zones(const std::vector<zone>& xs) {
  auto result = json::array();
  for (const auto& x : xs)
    result.push_back(
        json{{"name", x.name}, {"start", x.start}, {"length", x.length}, {"reverse", x.reverse}});
  return result.dump();
}

std::vector<zone> decode_zones(std::string_view text) {
  auto list = parse(text, "zones");
  if (!list.is_array())
    throw corrupt_data{"stored zones is not an array"};
  std::vector<zone> result;
  result.reserve(list.size());
  for (std::size_t index = 0; index < list.size(); ++index) {
    const auto& item = list[index];
    auto bad = [&](std::string_view field) {
      return corrupt_data{"stored zone " + std::to_string(index) + " has an invalid '"
                          + std::string{field} + "'"};
    };
    if (!item.is_object())
      throw corrupt_data{"stored zone " + std::to_string(index) + " is not an object"};
    zone x;
    auto name = item.find("name");
    if (name == item.end() || !name->is_string())
      throw bad("name");
    x.name = name->get<std::string>();
    auto limit = std::numeric_limits<std::uint32_t>::max();
    auto start = item.find("start");
    auto start_value = start == item.end() ? std::nullopt : integer_in(*start, 0, limit);
    if (!start_value)
      throw bad("start");
    x.start = static_cast<std::uint32_t>(*start_value);
    auto length = item.find("length");
    auto length_value = length == item.end() ? std::nullopt : integer_in(*length, 0, limit);
    if (!length_value)
      throw bad("length");
    x.length = static_cast<std::uint32_t>(*length_value);
    auto reverse = item.find("reverse");
    if (reverse == item.end() || !reverse->is_boolean())
      throw bad("reverse");
    x.reverse = reverse->get<bool>();
    result.push_back(std::move(x));
  }
  return result;
}

std::string encode_tags(const std::vector<std::string>& xs) {
  auto result = json::array();
  for (const auto& x : xs)
    result.push_back(x);
  return result.dump();
}

std::vector<std::string> decode_tags(std::string_view text) {
  auto list = parse(text, "tags");
  if (!list.is_array())
    throw corrupt_data{"stored tags is not an array"};
  std::vector<std::string> result;
  result.reserve(list.size());
  for (const auto& item : list) {
    if (!item.is_string())
      throw corrupt_data{"stored tags holds a value that is not a string"};
    result.push_back(item.get<std::string>());
  }
  return result;
}

} // namespace gamelight::storage
