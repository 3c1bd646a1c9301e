#include "validation/detail.hpp"
#include "validation/validation.hpp"

#include <string>

namespace gamelight::validation {

namespace {

/// Returns "line L, column C" of the byte at `offset` (both 1-based).
std::string position(std::string_view text, std::size_t offset) {
  if (offset > text.size())
    offset = text.size();
  std::size_t line = 1;
  std::size_t column = 1;
  for (std::size_t i = 0; i < offset; ++i) {
    if (text[i] == '\n') {
      ++line;
      column = 1;
    } else if ((static_cast<unsigned char>(text[i]) & 0xC0) != 0x80) {
      ++column;
    }
  }
  return "line " + std::to_string(line) + ", column " + std::to_string(column);
}

/// Returns the useful part of a nlohmann parse error message: without the exception
/// prefix, its own position (we compute ours) and the echoed token (which may be a
/// piece of a secret).
std::string describe(const json::parse_error& e) {
  std::string what = e.what();
  // "[json.exception.parse_error.101] parse error at line 1, column 5: syntax error ..."
  if (auto column = what.find("column "); column != std::string::npos) {
    if (auto colon = what.find(": ", column); colon != std::string::npos)
      what.erase(0, colon + 2);
  } else if (auto bracket = what.find("] "); bracket != std::string::npos) {
    what.erase(0, bracket + 2);
  }
  if (auto last = what.find("; last read:"); last != std::string::npos)
    what.erase(last);
  return what;
}

} // namespace

bool nesting_exceeds(std::string_view text, std::size_t max_depth) noexcept {
  std::size_t depth = 0;
  bool in_string = false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (in_string) {
      if (c == '\\')
        ++i; // skip the escaped character (a quote or another backslash)
      else if (c == '"')
        in_string = false;
      continue;
    }
    switch (c) {
      case '"':
        in_string = true;
        break;
      case '[':
      case '{':
        if (++depth > max_depth)
          return true;
        break;
      case ']':
      case '}':
        // Unbalanced closers are the parser's business; never wrap around.
        if (depth > 0)
          --depth;
        break;
      default:
        break;
    }
  }
  return false;
}

std::size_t find_invalid_utf8(std::string_view text) noexcept {
  const auto* s = reinterpret_cast<const unsigned char*>(text.data());
  const std::size_t n = text.size();
  std::size_t i = 0;
  while (i < n) {
    unsigned char c = s[i];
    if (c < 0x80) {
      ++i;
      continue;
    }
    std::size_t len = 0;
    unsigned char lo = 0x80;
    unsigned char hi = 0xBF;
    if (c >= 0xC2 && c <= 0xDF) {
      len = 2;
    } else if (c >= 0xE0 && c <= 0xEF) {
      len = 3;
      if (c == 0xE0)
        lo = 0xA0; // no overlong forms
      else if (c == 0xED)
        hi = 0x9F; // no UTF-16 surrogates
    } else if (c >= 0xF0 && c <= 0xF4) {
      len = 4;
      if (c == 0xF0)
        lo = 0x90; // no overlong forms
      else if (c == 0xF4)
        hi = 0x8F; // nothing above U+10FFFF
    } else {
      return i;
    }
    if (i + len > n)
      return i;
    if (s[i + 1] < lo || s[i + 1] > hi)
      return i;
    for (std::size_t k = 2; k < len; ++k)
      if (s[i + k] < 0x80 || s[i + k] > 0xBF)
        return i;
    i += len;
  }
  return std::string_view::npos;
}

outcome<json> parse_body(std::string_view body, std::size_t max_depth) {
  if (detail::trim(body).empty())
    return problems::malformed_json("empty body");
  if (auto bad = find_invalid_utf8(body); bad != std::string_view::npos)
    return problems::malformed_json("invalid UTF-8 at " + position(body, bad) + " (byte "
                                    + std::to_string(bad) + ")");
  if (nesting_exceeds(body, max_depth))
    return problems::validation(
        json::array({"body"}),
        "JSON nesting is deeper than " + std::to_string(max_depth) + " levels", "too_deep");
  try {
    return json::parse(body.begin(), body.end(), nullptr, true, false);
  } catch (const json::parse_error& e) {
    // `byte` is the 1-based index of the last character read.
    auto offset = e.byte > 0 ? e.byte - 1 : 0;
    return problems::malformed_json(describe(e) + " at " + position(body, offset));
  } catch (const std::exception& e) {
    return problems::malformed_json(e.what());
  } catch (...) {
    return problems::malformed_json("unreadable body");
  }
}

} // namespace gamelight::validation
