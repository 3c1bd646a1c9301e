#include "adapters/games/game_adapter.hpp"
#include "common/time.hpp"
#include "validation/detail.hpp"
#include "validation/validation.hpp"

#include <array>
#include <cmath>
#include <cstdint>
#include <limits>

namespace gamelight::validation {

namespace {

using detail::at;
using detail::checker;
using detail::valid_zone_name;

constexpr std::array<std::string_view, 7> integration_fields = {
    "name", "adapter_type", "enabled", "adapter_config", "event_mappings", "description", "tags",
};

constexpr std::array<std::string_view, 3> server_fields = {"id", "created_at", "updated_at"};

constexpr std::array<std::string_view, 7> mapping_fields = {
    "event_type", "effect", "color", "duration_ms", "intensity", "priority", "zone",
};

template <std::size_t N>
bool contains(const std::array<std::string_view, N>& names, std::string_view name) {
  for (auto x : names)
    if (x == name)
      return true;
  return false;
}

const std::vector<std::string>& effect_names() {
  static const std::vector<std::string> names = [] {
    std::vector<std::string> result;
    for (auto i = static_cast<int>(effect_kind::solid); i <= static_cast<int>(effect_kind::off);
         ++i)
      result.emplace_back(to_string(static_cast<effect_kind>(i)));
    return result;
  }();
  return names;
}

std::vector<std::string> adapter_names() {
  std::vector<std::string> result;
  for (const auto* adapter : games::all_adapters())
    result.emplace_back(adapter->adapter_type());
  return result;
}

/// Returns the stored adapter_config text as JSON ({} if it is unreadable).
json parse_config(const std::string& text) {
  try {
    auto result = json::parse(text);
    if (result.is_object())
      return result;
  } catch (...) {
    // Fall through: stored data is validated on the way in, so this is a bug.
  }
  return json::object();
}

bool is_secret(const json& property_schema) {
  if (!property_schema.is_object())
    return false;
  auto it = property_schema.find("writeOnly");
  return it != property_schema.end() && it->is_boolean() && it->get<bool>();
}

/// Replaces each secret sent as the mask by the stored value (`stored` may be null);
/// reports masks without a stored value, and every mask when `on_create`.
void resolve_masks(json& config, const json& schema, const json* stored, const json& loc,
                   checker& check, bool on_create) {
  if (!config.is_object() || !schema.is_object())
    return;
  auto properties = schema.find("properties");
  if (properties == schema.end() || !properties->is_object())
    return;
  for (const auto& [name, sub] : properties->items()) {
    auto it = config.find(name);
    if (it == config.end())
      continue;
    const json* stored_value = nullptr;
    if (stored != nullptr && stored->is_object())
      if (auto s = stored->find(name); s != stored->end())
        stored_value = &*s;
    if (is_secret(sub) && it->is_string() && it->get_ref<const std::string&>() == secret_mask) {
      if (on_create)
        check.add(at(loc, name),
                  "Value error, '********' is the mask of a secret, not a value: send the real "
                  "secret",
                  "value_error");
      else if (stored_value == nullptr)
        check.add(at(loc, name),
                  "Value error, '********' keeps the stored secret, but there is none: send the "
                  "real secret",
                  "value_error");
      else
        *it = *stored_value;
    } else if (it->is_object()) {
      resolve_masks(*it, sub, stored_value, at(loc, name), check, on_create);
    }
  }
}

bool accepts(const games::game_adapter& adapter, std::string_view event_type, const json& config) {
  try {
    return adapter.accepts_event_type(event_type, config);
  } catch (...) {
    return false;
  }
}

void reject_event_type(checker& check, const json& loc, const games::game_adapter& adapter,
                       const std::string& event_type, const json& config) {
  auto events = adapter.supported_events();
  if (!events.empty()) {
    std::vector<std::string> names;
    for (const auto& e : events)
      names.emplace_back(e.event_type);
    check.add(loc, "Input should be " + detail::quoted_alternatives(names), "enum");
    return;
  }
  std::string why;
  if (config.contains("events"))
    why = "it is not listed in adapter_config.events";
  else
    why = "event names must match ^[a-z0-9_.-]{1,64}$";
  check.add(loc,
            "Value error, event type '" + event_type + "' is not accepted by adapter '"
                + std::string{adapter.adapter_type()} + "': " + why,
            "value_error");
}

/// What an event mapping (or a device test effect) is checked against.
struct mapping_rules {
  /// The adapter whose events `event_type` must be; null: only the type is checked.
  const games::game_adapter* adapter = nullptr;
  /// The (valid) adapter_config the adapter decides with.
  const json* config = nullptr;
  /// False for test effects, which have no event_type.
  bool with_event_type = true;
  effect_kind default_effect = effect_kind::solid;
  bool effect_required = true;
  std::int32_t default_priority = 50;
};

std::optional<event_mapping> check_mapping(const json& item, const json& loc, checker& check,
                                           const mapping_rules& rules) {
  if (!check.object(item, loc))
    return std::nullopt;
  auto errors_before = check.count();
  event_mapping result;
  result.effect = rules.default_effect;
  result.priority = rules.default_priority;
  if (rules.with_event_type) {
    auto where = at(loc, "event_type");
    if (auto it = item.find("event_type"); it == item.end()) {
      check.missing(where);
    } else if (!it->is_string()) {
      check.type_error(where, "string");
    } else {
      result.event_type = it->get<std::string>();
      if (rules.adapter != nullptr) {
        static const json empty = json::object();
        const json& config = rules.config != nullptr ? *rules.config : empty;
        if (!accepts(*rules.adapter, result.event_type, config))
          reject_event_type(check, where, *rules.adapter, result.event_type, config);
      }
    }
  }
  bool effect_ok = true;
  if (auto it = item.find("effect"); it == item.end()) {
    if (rules.effect_required) {
      check.missing(at(loc, "effect"));
      effect_ok = false;
    }
  } else if (auto name = check.one_of(*it, at(loc, "effect"), effect_names())) {
    result.effect = *parse_effect_kind(*name);
  } else {
    effect_ok = false;
  }
  if (auto it = item.find("color"); it != item.end()) {
    auto where = at(loc, "color");
    if (!it->is_array()) {
      check.type_error(where, "array");
    } else {
      auto n = it->size();
      if (n < 3)
        check.add(where,
                  "Tuple should have at least 3 items after validation, not " + std::to_string(n),
                  "too_short");
      else if (n > 3)
        check.add(where,
                  "Tuple should have at most 3 items after validation, not " + std::to_string(n),
                  "too_long");
      std::array<std::uint8_t, 3> rgb_values{};
      for (std::size_t k = 0; k < n; ++k)
        if (auto v = check.integer((*it)[k], at(where, k), 0, 255); v && k < 3)
          rgb_values[k] = static_cast<std::uint8_t>(*v);
      result.color = rgb{rgb_values[0], rgb_values[1], rgb_values[2]};
    }
  }
  if (auto it = item.find("duration_ms"); it != item.end()) {
    if (auto v = check.integer(*it, at(loc, "duration_ms"), 0, 600000))
      result.duration_ms = static_cast<std::uint32_t>(*v);
  }
  if (effect_ok && result.duration_ms == 0
      && (result.effect == effect_kind::flash || result.effect == effect_kind::fade
          || result.effect == effect_kind::countdown))
    check.add(at(loc, "duration_ms"),
              "Input should be greater than or equal to 1 for effect '"
                  + std::string{to_string(result.effect)} + "'",
              "greater_than_equal");
  if (auto it = item.find("intensity"); it != item.end()) {
    if (auto v = check.number(*it, at(loc, "intensity"), 0.0, 1.0, "0.0", "1.0"))
      result.intensity = *v;
  }
  if (auto it = item.find("priority"); it != item.end()) {
    if (auto v = check.integer(*it, at(loc, "priority"), 0, 100))
      result.priority = static_cast<std::int32_t>(*v);
  }
  // A zone no device has yet is fine: devices change independently of mappings.
  if (auto it = item.find("zone"); it != item.end() && !it->is_null()) {
    auto where = at(loc, "zone");
    if (!it->is_string())
      check.type_error(where, "string");
    else if (!valid_zone_name(it->get_ref<const std::string&>()))
      check.add(where, std::string{"String should match pattern '"} + zone_pattern + "'",
                "string_pattern_mismatch");
    else
      result.zone = it->get<std::string>();
  }
  for (const auto& [key, value] : item.items()) {
    if (contains(mapping_fields, key) && (rules.with_event_type || key != "event_type"))
      continue;
    check.extra(at(loc, key));
  }
  if (check.count() != errors_before)
    return std::nullopt;
  return result;
}

outcome<integration> check_integration(const json& body, const integration* current) {
  const json root = json::array({"body"});
  if (!body.is_object())
    return problems::validation(root, "Input should be a valid dictionary", "dict_type");
  std::vector<field_error> errors;
  checker check{errors};
  integration result = current != nullptr ? *current : integration{};
  // -- name
  if (auto it = body.find("name"); it != body.end()) {
    if (auto v = check.string(*it, at(root, "name"), 1, 100, true))
      result.name = std::move(*v);
  } else if (current == nullptr) {
    check.missing(at(root, "name"));
  }
  // -- adapter_type
  const games::game_adapter* adapter = nullptr;
  {
    auto where = at(root, "adapter_type");
    if (auto it = body.find("adapter_type"); it != body.end()) {
      if (!it->is_string()) {
        check.type_error(where, "string");
      } else if (adapter = games::find_adapter(it->get_ref<const std::string&>());
                 adapter == nullptr) {
        check.add(where, "Input should be " + detail::quoted_alternatives(adapter_names()), "enum");
      } else {
        result.adapter_type = it->get<std::string>();
      }
    } else if (current == nullptr) {
      check.missing(where);
    } else if (adapter = games::find_adapter(current->adapter_type); adapter == nullptr) {
      check.add(where, "Input should be " + detail::quoted_alternatives(adapter_names()), "enum");
    }
  }
  // -- enabled
  if (auto it = body.find("enabled"); it != body.end()) {
    if (auto v = check.boolean(*it, at(root, "enabled")))
      result.enabled = *v;
  }
  // -- adapter_config: the sent object replaces the stored one; masks keep secrets.
  json config = json::object();
  bool config_ok = true;
  {
    auto where = at(root, "adapter_config");
    auto errors_before = check.count();
    if (auto it = body.find("adapter_config"); it != body.end()) {
      if (!check.object(*it, where)) {
        config_ok = false;
      } else {
        config = *it;
        if (adapter != nullptr) {
          json stored;
          if (current != nullptr)
            stored = parse_config(current->adapter_config);
          resolve_masks(config, adapter->config_schema(), current != nullptr ? &stored : nullptr,
                        where, check, current == nullptr);
        }
      }
    } else if (current != nullptr) {
      config = parse_config(current->adapter_config);
    }
    if (config_ok && adapter != nullptr)
      validate_schema(config, adapter->config_schema(), where, errors);
    config_ok = config_ok && check.count() == errors_before;
    result.adapter_config = detail::dump_compact(config);
  }
  // -- event_mappings, checked against the resulting adapter and config
  {
    static const json empty = json::object();
    mapping_rules rules;
    rules.adapter = adapter;
    // With an invalid config, still check what the adapter decides without one.
    rules.config = config_ok ? &config : &empty;
    auto where = at(root, "event_mappings");
    if (auto it = body.find("event_mappings"); it != body.end()) {
      if (check.array(*it, where, max_event_mappings)) {
        result.event_mappings.clear();
        for (std::size_t i = 0; i < it->size(); ++i)
          if (auto m = check_mapping((*it)[i], at(where, i), check, rules))
            result.event_mappings.push_back(std::move(*m));
      }
    } else if (current != nullptr && adapter != nullptr) {
      for (std::size_t i = 0; i < current->event_mappings.size(); ++i) {
        const auto& type = current->event_mappings[i].event_type;
        if (!accepts(*adapter, type, *rules.config))
          reject_event_type(check, at(at(where, i), "event_type"), *adapter, type, *rules.config);
      }
    }
  }
  // -- description
  if (auto it = body.find("description"); it != body.end()) {
    if (auto v = check.string(*it, at(root, "description"), 0, 1000))
      result.description = std::move(*v);
  }
  // -- tags
  if (auto it = body.find("tags"); it != body.end()) {
    auto where = at(root, "tags");
    if (check.array(*it, where, max_tags)) {
      std::vector<std::string> tags;
      for (std::size_t i = 0; i < it->size(); ++i) {
        auto v = check.string((*it)[i], at(where, i), 1, 50);
        if (!v)
          continue;
        if (std::find(tags.begin(), tags.end(), *v) != tags.end()) {
          check.add(at(where, i), "Value error, duplicate tag '" + *v + "'", "value_error");
          continue;
        }
        tags.push_back(std::move(*v));
      }
      result.tags = std::move(tags);
    }
  }
  // -- anything else
  for (const auto& [key, value] : body.items()) {
    if (contains(integration_fields, key))
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

outcome<integration> integration_from_create(const json& body) {
  try {
    return check_integration(body, nullptr);
  } catch (const std::exception& e) {
    return problems::validation(json::array({"body"}), std::string{"Value error, "} + e.what(),
                                "value_error");
  }
}

outcome<integration> integration_from_update(const integration& current, const json& body) {
  try {
    return check_integration(body, &current);
  } catch (const std::exception& e) {
    return problems::validation(json::array({"body"}), std::string{"Value error, "} + e.what(),
                                "value_error");
  }
}

json mask_secrets(const json& config, const json& schema) {
  json result = config;
  if (!result.is_object() || !schema.is_object())
    return result;
  auto properties = schema.find("properties");
  if (properties == schema.end() || !properties->is_object())
    return result;
  for (const auto& [name, sub] : properties->items()) {
    auto it = result.find(name);
    if (it == result.end())
      continue;
    if (is_secret(sub))
      *it = secret_mask;
    else if (it->is_object())
      *it = mask_secrets(*it, sub);
  }
  return result;
}

json to_json(const event_mapping& x) {
  json result = json::object();
  result["event_type"] = x.event_type;
  result["effect"] = to_string(x.effect);
  result["color"] = json::array({x.color.r, x.color.g, x.color.b});
  result["duration_ms"] = x.duration_ms;
  result["intensity"] = x.intensity;
  result["priority"] = x.priority;
  if (x.zone)
    result["zone"] = *x.zone;
  else
    result["zone"] = nullptr;
  return result;
}

json to_json(const integration& x) {
  json config = parse_config(x.adapter_config);
  if (const auto* adapter = games::find_adapter(x.adapter_type); adapter != nullptr) {
    config = mask_secrets(config, adapter->config_schema());
  } else {
    // Unknown adapter (a bug): without a schema, hide every value rather than leak one.
    for (auto& value : config)
      value = secret_mask;
  }
  json result = json::object();
  result["id"] = x.id;
  result["name"] = x.name;
  result["adapter_type"] = x.adapter_type;
  result["enabled"] = x.enabled;
  result["adapter_config"] = std::move(config);
  auto mappings = json::array();
  for (const auto& m : x.event_mappings)
    mappings.push_back(to_json(m));
  result["event_mappings"] = std::move(mappings);
  result["description"] = x.description;
  result["tags"] = x.tags;
  result["created_at"] = format_rfc3339(x.created_at);
  result["updated_at"] = format_rfc3339(x.updated_at);
  return result;
}

outcome<event_mapping> test_effect_from_body(const json& body) {
  mapping_rules rules;
  rules.with_event_type = false;
  rules.default_effect = effect_kind::flash;
  rules.effect_required = false;
  rules.default_priority = 100;
  if (body.is_null()) {
    event_mapping result;
    result.event_type = "test";
    result.effect = rules.default_effect;
    result.priority = rules.default_priority;
    return result;
  }
  std::vector<field_error> errors;
  checker check{errors};
  try {
    auto result = check_mapping(body, json::array({"body"}), check, rules);
    if (!result)
      return problems::validation(std::move(errors));
    result->event_type = "test";
    return *result;
  } catch (const std::exception& e) {
    return problems::validation(json::array({"body"}), std::string{"Value error, "} + e.what(),
                                "value_error");
  }
}

outcome<game_event> mapping_test_from_body(const json& body) {
  const json root = json::array({"body"});
  if (!body.is_object())
    return problems::validation(root, "Input should be a valid dictionary", "dict_type");
  std::vector<field_error> errors;
  checker check{errors};
  game_event result;
  try {
    if (auto it = body.find("event_type"); it == body.end()) {
      check.missing(at(root, "event_type"));
    } else if (auto x = check.string(*it, at(root, "event_type"), 1, 64)) {
      result.event_type = std::move(*x);
    }
    if (auto it = body.find("data"); it != body.end() && check.object(*it, at(root, "data"))) {
      result.data = it->dump();
      // The numbers effects read, taken as an adapter would take them from a payload.
      if (auto f = it->find("fraction"); f != it->end() && f->is_number())
        result.fraction = f->get<double>();
      if (auto c = it->find("countdown_ms"); c != it->end() && c->is_number()) {
        auto ms = c->get<double>();
        if (std::isfinite(ms) && ms >= 0
            && ms <= static_cast<double>(std::numeric_limits<std::uint32_t>::max()))
          result.countdown_ms = static_cast<std::uint32_t>(std::llround(ms));
      }
    }
    for (const auto& [key, value] : body.items())
      if (key != "event_type" && key != "data")
        check.extra(at(root, key));
  } catch (const std::exception& e) {
    return problems::validation(root, std::string{"Value error, "} + e.what(), "value_error");
  }
  if (!errors.empty())
    return problems::validation(std::move(errors));
  return result;
}

std::optional<problem> check_test_event_type(const integration& target,
                                             const std::string& event_type) {
  auto adapter = games::find_adapter(target.adapter_type);
  if (adapter == nullptr)
    return problems::not_found("Game adapter not found");
  auto config = json::parse(target.adapter_config, nullptr, false);
  if (accepts(*adapter, event_type, config))
    return std::nullopt;
  std::vector<field_error> errors;
  checker check{errors};
  reject_event_type(check, json::array({"body", "event_type"}), *adapter, event_type, config);
  return problems::validation(std::move(errors));
}

} // namespace gamelight::validation
