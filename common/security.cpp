#include "common/security.hpp"

#include <random>

namespace gamelight {

bool constant_time_equal(std::string_view a, std::string_view b) noexcept {
  // Walk the longer input in full so timing reveals nothing but the lengths.
  auto n = a.size() > b.size() ? a.size() : b.size();
  unsigned char diff = a.size() == b.size() ? 0 : 1;
  for (std::size_t i = 0; i < n; ++i) {
    auto x = i < a.size() ? static_cast<unsigned char>(a[i]) : 0;
    auto y = i < b.size() ? static_cast<unsigned char>(b[i]) : 0;
    diff |= static_cast<unsigned char>(x ^ y);
  }
  return diff == 0;
}

std::string random_hex(std::size_t n) {
  static constexpr char digits[] = "0123456789abcdef";
  thread_local std::mt19937_64 engine{std::random_device{}()};
  std::string result;
  result.reserve(n);
  for (std::size_t i = 0; i < n; ++i)
    result.push_back(digits[engine() & 0xF]);
  return result;
}

std::string make_id(std::string_view prefix) {
  std::string result{prefix};
  result += random_hex(8);
  return result;
}

} // namespace gamelight
