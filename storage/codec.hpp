#pragma once

/// Conversions between model values and their stored text forms.

#include "common/model.hpp"

#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace gamelight::storage {

/// Thrown when a stored value cannot be decoded (a corrupt or foreign row).
class corrupt_data : public std::runtime_error {
public:
  using std::runtime_error::runtime_error;
};

/// Returns the key that makes names unique ignoring case: the name without leading and
/// trailing ASCII whitespace, with ASCII letters lower-cased. Only ASCII is folded:
/// "ÄRGER" and "ärger" are different names.
[[nodiscard]] std::string name_key(std::string_view name);

/// Returns the mappings as a JSON array of `{"event_type", "effect", "color": [r, g, b],
/// "duration_ms", "intensity", "priority", "zone"}` objects (the API shape).
[[nodiscard]] std::string encode_mappings(const std::vector<event_mapping>& xs);

/// Parses the text written by `encode_mappings`; a mapping without `zone` (stored before
/// zones existed) plays on the whole strip. Throws `corrupt_data`.
[[nodiscard]] std::vector<event_mapping> decode_mappings(std::string_view text);

/// Returns the zones as a JSON array of `{"name", "start", "length", "reverse"}` objects.
[[nodiscard]] std::string encode_zones(const std::vector<zone>& xs);

/// Parses the text written by `encode_zones`. Throws `corrupt_data`.
[[nodiscard]] std::vector<zone> decode_zones(std::string_view text);

/// Returns the tags as a JSON array of strings.
[[nodiscard]] std::string encode_tags(const std::vector<std::string>& xs);

/// Parses the text written by `encode_tags`. Throws `corrupt_data`.
[[nodiscard]] std::vector<std::string> decode_tags(std::string_view text);

} // namespace gamelight::storage
