#pragma once

/// Internal helpers of the validation library: pydantic-style field checks that
/// append to a list of `field_error`s. Not included by public headers.

#include "common/json.hpp"
#include "common/problem.hpp"

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace gamelight::validation::detail {

/// Returns `loc` with `key` appended.
template <class Key>
[[nodiscard]] json at(const json& loc, Key&& key) {
  json result = loc;
  result.push_back(std::forward<Key>(key));
  return result;
}

/// Returns the number of Unicode code points in valid UTF-8 text.
[[nodiscard]] std::size_t code_points(std::string_view text) noexcept;

/// Returns `text` without leading and trailing ASCII whitespace.
[[nodiscard]] std::string_view trim(std::string_view text) noexcept;

/// Returns whether `name` matches `zone_pattern` (`^[a-z0-9_-]{1,32}$`).
[[nodiscard]] bool valid_zone_name(std::string_view name) noexcept;

/// Returns "'a', 'b' or 'c'" (pydantic's way of listing allowed values).
[[nodiscard]] std::string quoted_alternatives(const std::vector<std::string>& values);

/// Returns a JSON number as text the way a client wrote it (0, 1.0, 255).
[[nodiscard]] std::string number_text(const json& number);

/// Appends errors for one request body. Every check returns the validated value, or
/// nullopt after appending the error(s) it found.
class checker {
public:
  explicit checker(std::vector<field_error>& errors) : errors_(errors) {}

  void add(json loc, std::string msg, std::string type);

  /// Adds `missing` / "Field required".
  void missing(const json& loc);

  /// Adds `extra_forbidden` / "Extra inputs are not permitted".
  void extra(const json& loc);

  /// Adds `extra_forbidden` for a server-made field (id, timestamps).
  void read_only(const json& loc);

  /// Adds the pydantic type error for `expected` ("string", "integer", "number",
  /// "boolean", "object", "array", "null").
  void type_error(const json& loc, std::string_view expected);

  /// Checks a string of `min`..`max` code points, trimmed first when `trimmed`.
  std::optional<std::string> string(const json& value, const json& loc, std::size_t min,
                                    std::size_t max, bool trimmed = false);

  /// Checks a JSON integer (not a float, not a boolean) within `min`..`max`.
  std::optional<std::int64_t> integer(const json& value, const json& loc, std::int64_t min,
                                      std::int64_t max);

  /// Checks a JSON number (integer or float, finite, not a boolean) within `min`..`max`;
  /// `min_text`/`max_text` are the bounds as shown in messages.
  std::optional<double> number(const json& value, const json& loc, double min, double max,
                               std::string_view min_text, std::string_view max_text);

  /// Checks a JSON boolean.
  std::optional<bool> boolean(const json& value, const json& loc);

  /// Checks that `value` is one of `allowed`.
  std::optional<std::string> one_of(const json& value, const json& loc,
                                    const std::vector<std::string>& allowed);

  /// Checks a JSON array of at most `max` items; returns whether it is an array
  /// (items are still worth checking when it is too long).
  bool array(const json& value, const json& loc, std::size_t max);

  /// Checks a JSON object.
  bool object(const json& value, const json& loc);

  /// Returns how many errors were added so far.
  [[nodiscard]] std::size_t count() const noexcept {
    return errors_.size();
  }

private:
  std::vector<field_error>& errors_;
};

/// Returns whether `value` is a JSON integer (signed or unsigned, not a float/bool).
[[nodiscard]] inline bool is_integer(const json& value) noexcept {
  return value.is_number_integer();
}

/// Returns an integer JSON value as int64, saturating unsigned values above INT64_MAX.
[[nodiscard]] std::int64_t saturated_int(const json& value) noexcept;

/// Returns the compact JSON text of a value; never throws (invalid UTF-8 is replaced).
[[nodiscard]] std::string dump_compact(const json& value);

} // namespace gamelight::validation::detail
