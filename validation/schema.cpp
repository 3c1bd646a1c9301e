#include "validation/detail.hpp"
#include "validation/validation.hpp"

#include <algorithm>
#include <regex>

namespace gamelight::validation {

namespace {

using detail::at;
using detail::checker;

bool has_type(const json& value, std::string_view type) {
  if (type == "string")
    return value.is_string();
  if (type == "integer")
    return value.is_number_integer();
  if (type == "number")
    return value.is_number();
  if (type == "boolean")
    return value.is_boolean();
  if (type == "object")
    return value.is_object();
  if (type == "array")
    return value.is_array();
  if (type == "null")
    return value.is_null();
  return true; // unknown type names constrain nothing
}

/// Returns whether `value` satisfies the schema's `type`; reports the first listed
/// type otherwise.
bool check_type(const json& value, const json& schema, const json& loc, checker& check) {
  auto it = schema.find("type");
  if (it == schema.end())
    return true;
  if (it->is_string()) {
    const auto& type = it->get_ref<const std::string&>();
    if (has_type(value, type))
      return true;
    check.type_error(loc, type);
    return false;
  }
  if (it->is_array() && !it->empty()) {
    for (const auto& type : *it)
      if (type.is_string() && has_type(value, type.get_ref<const std::string&>()))
        return true;
    if (it->front().is_string())
      check.type_error(loc, it->front().get_ref<const std::string&>());
    return false;
  }
  return true;
}

/// Returns whether two values are of the same JSON kind, telling integers from floats
/// (nlohmann also tells signed from unsigned integers, which JSON does not).
bool same_kind(const json& x, const json& y) {
  if (x.is_number_integer() || y.is_number_integer())
    return x.is_number_integer() && y.is_number_integer();
  return x.type() == y.type();
}

std::string enum_text(const json& x) {
  if (x.is_string())
    return x.get<std::string>();
  return detail::dump_compact(x);
}

std::optional<std::size_t> size_keyword(const json& schema, const char* key) {
  auto it = schema.find(key);
  if (it == schema.end() || !it->is_number_integer())
    return std::nullopt;
  auto x = detail::saturated_int(*it);
  return x < 0 ? std::size_t{0} : static_cast<std::size_t>(x);
}

void check_string(const json& value, const json& schema, const json& loc, checker& check) {
  const auto& text = value.get_ref<const std::string&>();
  auto n = detail::code_points(text);
  if (auto min = size_keyword(schema, "minLength"); min && n < *min) {
    check.add(loc,
              "String should have at least " + std::to_string(*min)
                  + (*min == 1 ? " character" : " characters"),
              "string_too_short");
    return;
  }
  if (auto max = size_keyword(schema, "maxLength"); max && n > *max) {
    check.add(loc,
              "String should have at most " + std::to_string(*max)
                  + (*max == 1 ? " character" : " characters"),
              "string_too_long");
    return;
  }
  if (auto it = schema.find("pattern"); it != schema.end() && it->is_string()) {
    const auto& pattern = it->get_ref<const std::string&>();
    bool matches = true;
    try {
      // JSON Schema patterns are not anchored implicitly: search, not match.
      matches = std::regex_search(text, std::regex{pattern, std::regex::ECMAScript});
    } catch (...) {
      matches = true; // a broken schema pattern constrains nothing
    }
    if (!matches)
      check.add(loc, "String should match pattern '" + pattern + "'", "string_pattern_mismatch");
  }
}

void check_number(const json& value, const json& schema, const json& loc, checker& check) {
  auto x = value.get<double>();
  if (auto it = schema.find("minimum"); it != schema.end() && it->is_number()) {
    if (x < it->get<double>()) {
      check.add(loc, "Input should be greater than or equal to " + detail::number_text(*it),
                "greater_than_equal");
      return;
    }
  }
  if (auto it = schema.find("maximum"); it != schema.end() && it->is_number()) {
    if (x > it->get<double>()) {
      check.add(loc, "Input should be less than or equal to " + detail::number_text(*it),
                "less_than_equal");
      return;
    }
  }
  if (auto it = schema.find("exclusiveMinimum"); it != schema.end() && it->is_number()) {
    if (!(x > it->get<double>())) {
      check.add(loc, "Input should be greater than " + detail::number_text(*it), "greater_than");
      return;
    }
  }
  if (auto it = schema.find("exclusiveMaximum"); it != schema.end() && it->is_number()) {
    if (!(x < it->get<double>()))
      check.add(loc, "Input should be less than " + detail::number_text(*it), "less_than");
  }
}

void check_array(const json& value, const json& schema, const json& loc, checker& check,
                 std::vector<field_error>& errors) {
  auto n = value.size();
  if (auto min = size_keyword(schema, "minItems"); min && n < *min)
    check.add(loc,
              "List should have at least " + std::to_string(*min) + (*min == 1 ? " item" : " items")
                  + " after validation, not " + std::to_string(n),
              "too_short");
  if (auto max = size_keyword(schema, "maxItems"); max && n > *max)
    check.add(loc,
              "List should have at most " + std::to_string(*max) + (*max == 1 ? " item" : " items")
                  + " after validation, not " + std::to_string(n),
              "too_long");
  if (auto it = schema.find("items"); it != schema.end() && it->is_object())
    for (std::size_t i = 0; i < n; ++i)
      validate_schema(value[i], *it, at(loc, i), errors);
  if (auto it = schema.find("uniqueItems");
      it != schema.end() && it->is_boolean() && it->get<bool>()) {
    // Quadratic, but arrays here are small (the body limit bounds them anyway).
    for (std::size_t i = 1; i < n; ++i)
      for (std::size_t j = 0; j < i; ++j)
        if (value[i] == value[j]) {
          check.add(at(loc, i), "Value error, duplicate item", "value_error");
          break;
        }
  }
}

void check_object(const json& value, const json& schema, const json& loc, checker& check,
                  std::vector<field_error>& errors) {
  static const json no_properties = json::object();
  const json* properties = &no_properties;
  if (auto it = schema.find("properties"); it != schema.end() && it->is_object())
    properties = &*it;
  std::vector<std::string> required;
  if (auto it = schema.find("required"); it != schema.end() && it->is_array())
    for (const auto& name : *it)
      if (name.is_string())
        required.push_back(name.get<std::string>());
  // Declared properties first, in schema order (pydantic reports by field order).
  for (const auto& [name, sub] : properties->items()) {
    if (auto it = value.find(name); it != value.end())
      validate_schema(*it, sub, at(loc, name), errors);
    else if (std::find(required.begin(), required.end(), name) != required.end())
      check.missing(at(loc, name));
  }
  // Required names without a declaration.
  for (const auto& name : required)
    if (!properties->contains(name) && !value.contains(name))
      check.missing(at(loc, name));
  // Then undeclared keys, in body order.
  auto additional = schema.find("additionalProperties");
  for (const auto& [name, sub] : value.items()) {
    if (properties->contains(name))
      continue;
    if (additional == schema.end())
      continue;
    if (additional->is_boolean()) {
      if (!additional->get<bool>())
        check.extra(at(loc, name));
    } else if (additional->is_object()) {
      validate_schema(sub, *additional, at(loc, name), errors);
    }
  }
}

} // namespace

void validate_schema(const json& value, const json& schema, json loc,
                     std::vector<field_error>& errors) {
  if (!schema.is_object())
    return; // `true` or a malformed schema constrains nothing
  checker check{errors};
  try {
    if (!check_type(value, schema, loc, check))
      return;
    if (auto it = schema.find("enum"); it != schema.end() && it->is_array()) {
      bool found = false;
      std::vector<std::string> alternatives;
      for (const auto& x : *it) {
        // Strict: `1 == 1.0` and `true == 1` do not count as equal here.
        if (x == value && same_kind(x, value))
          found = true;
        alternatives.push_back(enum_text(x));
      }
      if (!found) {
        check.add(loc, "Input should be " + detail::quoted_alternatives(alternatives), "enum");
        return;
      }
    }
    if (value.is_string())
      check_string(value, schema, loc, check);
    else if (value.is_number())
      check_number(value, schema, loc, check);
    else if (value.is_array())
      check_array(value, schema, loc, check, errors);
    else if (value.is_object())
      check_object(value, schema, loc, check, errors);
  } catch (const std::exception& e) {
    check.add(std::move(loc), std::string{"Value error, "} + e.what(), "value_error");
  }
}

} // namespace gamelight::validation
