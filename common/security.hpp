#pragma once

/// Secrets: constant-time comparison and random identifiers.

#include <string>
#include <string_view>

namespace gamelight {

/// Returns whether `a == b`, taking time that depends only on the lengths.
bool constant_time_equal(std::string_view a, std::string_view b) noexcept;

/// Returns `prefix` followed by 8 random lowercase hex digits, e.g. "gi_3f9a0c1e".
std::string make_id(std::string_view prefix);

/// Returns `n` random lowercase hex digits from the system's entropy source.
std::string random_hex(std::size_t n);

} // namespace gamelight
