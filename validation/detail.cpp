#include "validation/detail.hpp"

#include <cmath>
#include <limits>

namespace gamelight::validation::detail {

std::size_t code_points(std::string_view text) noexcept {
  std::size_t n = 0;
  for (char c : text)
    if ((static_cast<unsigned char>(c) & 0xC0) != 0x80)
      ++n;
  return n;
}

std::string_view trim(std::string_view text) noexcept {
  constexpr std::string_view space = " \t\n\r\f\v";
  auto first = text.find_first_not_of(space);
  if (first == std::string_view::npos)
    return {};
  auto last = text.find_last_not_of(space);
  return text.substr(first, last - first + 1);
}

bool valid_zone_name(std::string_view name) noexcept {
  if (name.empty() || name.size() > 32)
    return false;
  for (char c : name)
    if (!(c >= 'a' && c <= 'z') && !(c >= '0' && c <= '9') && c != '_' && c != '-')
      return false;
  return true;
}

std::string quoted_alternatives(const std::vector<std::string>& values) {
  std::string result;
  for (std::size_t i = 0; i < values.size(); ++i) {
    if (i > 0)
      result += i + 1 == values.size() ? " or " : ", ";
    result += '\'';
    result += values[i];
    result += '\'';
  }
  return result;
}

std::string number_text(const json& number) {
  return dump_compact(number);
}

std::int64_t saturated_int(const json& value) noexcept {
  if (value.is_number_unsigned()) {
    auto u = value.get<std::uint64_t>();
    constexpr auto max = static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max());
    return u > max ? std::numeric_limits<std::int64_t>::max() : static_cast<std::int64_t>(u);
  }
  return value.get<std::int64_t>();
}

std::string dump_compact(const json& value) {
  try {
    return value.dump(-1, ' ', false, json::error_handler_t::replace);
  } catch (...) {
    return "null";
  }
}

void checker::add(json loc, std::string msg, std::string type) {
  errors_.push_back(field_error{std::move(loc), std::move(msg), std::move(type)});
}

void checker::missing(const json& loc) {
  add(loc, "Field required", "missing");
}

void checker::extra(const json& loc) {
  add(loc, "Extra inputs are not permitted", "extra_forbidden");
}

void checker::read_only(const json& loc) {
  add(loc, "Extra inputs are not permitted (read-only field, set by the server)",
      "extra_forbidden");
}

void checker::type_error(const json& loc, std::string_view expected) {
  if (expected == "string")
    add(loc, "Input should be a valid string", "string_type");
  else if (expected == "integer")
    add(loc, "Input should be a valid integer", "int_type");
  else if (expected == "number")
    add(loc, "Input should be a valid number", "float_type");
  else if (expected == "boolean")
    add(loc, "Input should be a valid boolean", "bool_type");
  else if (expected == "object")
    add(loc, "Input should be a valid dictionary", "dict_type");
  else if (expected == "array")
    add(loc, "Input should be a valid list", "list_type");
  else if (expected == "null")
    add(loc, "Input should be None", "none_required");
  else
    add(loc, "Input should be a valid " + std::string{expected}, "type_error");
}

namespace {

std::string characters(std::size_t n) {
  return std::to_string(n) + (n == 1 ? " character" : " characters");
}

std::string items(std::size_t n) {
  return std::to_string(n) + (n == 1 ? " item" : " items");
}

} // namespace

std::optional<std::string> checker::string(const json& value, const json& loc, std::size_t min,
                                           std::size_t max, bool trimmed) {
  if (!value.is_string()) {
    type_error(loc, "string");
    return std::nullopt;
  }
  std::string_view text = value.get_ref<const std::string&>();
  if (trimmed)
    text = trim(text);
  auto n = code_points(text);
  if (n < min) {
    add(loc, "String should have at least " + characters(min), "string_too_short");
    return std::nullopt;
  }
  if (n > max) {
    add(loc, "String should have at most " + characters(max), "string_too_long");
    return std::nullopt;
  }
  return std::string{text};
}

std::optional<std::int64_t> checker::integer(const json& value, const json& loc, std::int64_t min,
                                             std::int64_t max) {
  if (!is_integer(value)) {
    type_error(loc, "integer");
    return std::nullopt;
  }
  auto x = saturated_int(value);
  if (x < min) {
    add(loc, "Input should be greater than or equal to " + std::to_string(min),
        "greater_than_equal");
    return std::nullopt;
  }
  if (x > max) {
    add(loc, "Input should be less than or equal to " + std::to_string(max), "less_than_equal");
    return std::nullopt;
  }
  return x;
}

std::optional<double> checker::number(const json& value, const json& loc, double min, double max,
                                      std::string_view min_text, std::string_view max_text) {
  if (!value.is_number()) {
    type_error(loc, "number");
    return std::nullopt;
  }
  auto x = value.get<double>();
  if (!std::isfinite(x)) {
    add(loc, "Input should be a finite number", "finite_number");
    return std::nullopt;
  }
  if (x < min) {
    add(loc, "Input should be greater than or equal to " + std::string{min_text},
        "greater_than_equal");
    return std::nullopt;
  }
  if (x > max) {
    add(loc, "Input should be less than or equal to " + std::string{max_text}, "less_than_equal");
    return std::nullopt;
  }
  return x;
}

std::optional<bool> checker::boolean(const json& value, const json& loc) {
  if (!value.is_boolean()) {
    type_error(loc, "boolean");
    return std::nullopt;
  }
  return value.get<bool>();
}

std::optional<std::string> checker::one_of(const json& value, const json& loc,
                                           const std::vector<std::string>& allowed) {
  if (value.is_string()) {
    const auto& text = value.get_ref<const std::string&>();
    for (const auto& x : allowed)
      if (x == text)
        return text;
  }
  add(loc, "Input should be " + quoted_alternatives(allowed), "enum");
  return std::nullopt;
}

bool checker::array(const json& value, const json& loc, std::size_t max) {
  if (!value.is_array()) {
    type_error(loc, "array");
    return false;
  }
  if (value.size() > max)
    add(loc,
        "List should have at most " + items(max) + " after validation, not "
            + std::to_string(value.size()),
        "too_long");
  return true;
}

bool checker::object(const json& value, const json& loc) {
  if (!value.is_object()) {
    type_error(loc, "object");
    return false;
  }
  return true;
}

} // namespace gamelight::validation::detail
