#pragma once

/// The one adapter over the HTTP/1.1 request parser library (Debian's http_parser,
/// the parser Node.js used for a decade: C, no allocation, fed any split of the
/// bytes). Everything above sees only `request_parser`, so the library can be
/// replaced without touching the connection or the routes.
///
/// The parser enforces the limits of api.md itself: at most `max_headers` header
/// lines, no line (request line included) over `max_line` bytes, and the body limit
/// its owner sets once a head is complete, for Content-Length and chunked bodies
/// alike, without buffering more than that limit.

#include "http/message.hpp"

#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>

namespace gamelight::http {

/// What the owner decides once a request's head is complete.
struct head_decision {
  /// Most body bytes to accept; more ends parsing with `body_too_large`.
  std::size_t body_limit = 0;
  /// Read the body but keep none of it (an answer decided from the head alone).
  bool discard_body = false;
  /// Stop here: the owner answers without the body and closes the connection.
  bool stop = false;
};

/// The facts of a complete head the owner decides on.
struct head_info {
  const request& head;
  /// The announced Content-Length, 0 without one.
  std::uint64_t content_length = 0;
  bool chunked = false;
  bool expects_continue = false;
};

/// What feeding bytes gave.
enum class parse_status {
  /// Every byte was consumed; the current request is not complete yet.
  need_more,
  /// A request is complete (`take` it); bytes after it were not consumed yet.
  complete,
  /// The owner's head decision said stop.
  stopped,
  /// More than `max_headers` header lines.
  too_many_headers,
  /// A request or header line over `max_line` bytes.
  line_too_long,
  /// The body went over the limit of the head decision.
  body_too_large,
  /// Not HTTP/1.x.
  malformed,
};

class request_parser {
public:
  static constexpr std::size_t max_headers = 100;
  static constexpr std::size_t max_line = 8 * 1024;
  /// Spare capacity reserved after a body of known length, so its consumer can pad it
  /// (simdjson reads up to 64 bytes past the end) without copying it.
  static constexpr std::size_t body_spare = 64;
  /// Header lines reserved per request; most clients send fewer.
  static constexpr std::size_t usual_headers = 8;

  using decide_fn = std::function<head_decision(const head_info&)>;

  explicit request_parser(decide_fn decide);
  ~request_parser();

  request_parser(const request_parser&) = delete;
  request_parser& operator=(const request_parser&) = delete;

  /// Parses up to `size` bytes; returns what happened and how many were consumed.
  /// After `complete`, feed the rest again; after any other status but
  /// `need_more` the parser is done (the connection closes).
  std::pair<parse_status, std::size_t> feed(const char* data, std::size_t size);

  /// Returns whether a request has begun (a byte of it arrived) but is not complete.
  [[nodiscard]] bool in_progress() const noexcept;

  /// Returns the request being parsed (the head, once complete).
  [[nodiscard]] const request& current() const noexcept;

  /// Whether the body of the complete request was discarded (see `head_decision`).
  [[nodiscard]] bool body_discarded() const noexcept;

  /// Moves the complete request out and gets ready for the next.
  [[nodiscard]] request take();

  /// Returns the library's name for the last parse error (for logs and 400 details).
  [[nodiscard]] const char* error_name() const noexcept;

private:
  struct impl;
  std::unique_ptr<impl> impl_;
};

} // namespace gamelight::http
