#pragma once

/// An HTTP request as the front end hands it to a route, and the response a route
/// gives back. Plain values: no sockets, no actors.

#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace gamelight::http {

/// A header or query parameter: name and value.
using field = std::pair<std::string, std::string>;

/// Returns whether two header names are equal, ignoring ASCII case.
[[nodiscard]] bool same_name(std::string_view a, std::string_view b) noexcept;

/// One received request.
struct request {
  std::string method;
  /// The request target as sent ("/api/v1/x?limit=5").
  std::string target;
  /// The path of the target, percent-decoded.
  std::string path;
  /// The query parameters in order, percent-decoded ('+' is a space).
  std::vector<field> query;
  /// The headers in order, names as sent.
  std::vector<field> headers;
  std::string body;
  /// Whether the connection may serve another request after this one.
  bool keep_alive = true;
  /// The port the connection was accepted on.
  std::uint16_t local_port = 0;
  /// When the whole request had arrived.
  std::chrono::steady_clock::time_point received;

  /// Returns the first header of that name (any case), or nullptr.
  [[nodiscard]] const std::string* header(std::string_view name) const noexcept;

  /// Returns the first query parameter of that name, or nullptr.
  [[nodiscard]] const std::string* param(std::string_view name) const noexcept;
};

/// One response; the front end adds Content-Length and Connection.
struct response {
  int status = 200;
  /// Headers besides Content-Type, Content-Length and Connection.
  std::vector<field> headers;
  std::string content_type;
  std::string body;
  /// The head of a stream: no Content-Length; the body is what the connection's
  /// `atom::chunk` messages carry, until `atom::done` or a close.
  bool stream = false;

  void set_header(std::string name, std::string value) {
    headers.emplace_back(std::move(name), std::move(value));
  }

  void set_content(std::string text, std::string type) {
    body = std::move(text);
    content_type = std::move(type);
  }
};

/// Returns the reason phrase of a status ("Not Found").
[[nodiscard]] const char* reason_phrase(int status) noexcept;

/// Appends the bytes of `r` to `out`: status line, headers, blank line and, unless
/// `head_only`, the body. `close` adds `Connection: close` (a stream always closes).
void serialize(const response& r, bool head_only, bool close, std::string& out);

/// Decodes %XX escapes (and '+' as a space when `plus_is_space`); malformed escapes
/// stay as they are.
[[nodiscard]] std::string percent_decode(std::string_view text, bool plus_is_space);

/// Splits "a=1&b=two" into decoded fields.
[[nodiscard]] std::vector<field> parse_query(std::string_view text);

} // namespace gamelight::http
