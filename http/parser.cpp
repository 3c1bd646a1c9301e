#include "http/parser.hpp"

#include <climits>
#include <http_parser.h>
#include <mutex>

namespace gamelight::http {

namespace {

/// The whole head may hold `max_headers` lines of `max_line` bytes, plus the request
/// line; the library's own guard (80 KiB by default) would refuse legal heads.
constexpr std::uint32_t max_head_bytes
    = (request_parser::max_headers + 2) * request_parser::max_line;

/// A callback's way to stop the library (any non-zero return).
constexpr int stop_parsing = 1;

} // namespace

struct request_parser::impl {
  http_parser parser{};
  http_parser_settings settings{};
  decide_fn decide;
  request current;
  bool begun = false;
  bool complete = false;
  bool head_done = false;
  bool discard = false;
  bool last_was_value = false;
  std::size_t header_lines = 0;
  std::size_t line_length = 0;
  std::size_t body_limit = 0;
  std::size_t body_bytes = 0;
  parse_status failure = parse_status::malformed;

  explicit impl(decide_fn fn) : decide(std::move(fn)) {
    static std::once_flag once;
    std::call_once(once, [] { http_parser_set_max_header_size(max_head_bytes); });
    http_parser_init(&parser, HTTP_REQUEST);
    parser.data = this;
    http_parser_settings_init(&settings);
    settings.on_message_begin = [](http_parser* p) {
      return self(p).begin();
    };
    settings.on_url = [](http_parser* p, const char* at, std::size_t n) {
      return self(p).url(at, n);
    };
    settings.on_header_field = [](http_parser* p, const char* at, std::size_t n) {
      return self(p).header_field(at, n);
    };
    settings.on_header_value = [](http_parser* p, const char* at, std::size_t n) {
      return self(p).header_value(at, n);
    };
    settings.on_headers_complete = [](http_parser* p) {
      return self(p).headers_complete();
    };
    settings.on_body = [](http_parser* p, const char* at, std::size_t n) {
      return self(p).body(at, n);
    };
    settings.on_message_complete = [](http_parser* p) {
      return self(p).message_complete();
    };
  }

  static impl& self(http_parser* p) {
    return *static_cast<impl*>(p->data);
  }

  int fail(parse_status why) {
    failure = why;
    return stop_parsing;
  }

  /// Stops the library from `on_headers_complete`, where 1 and 2 mean "no body".
  int fail_head(parse_status why) {
    failure = why;
    return -1;
  }

  int begin() {
    current = request{};
    current.headers.reserve(usual_headers);
    begun = true;
    complete = false;
    head_done = false;
    discard = false;
    last_was_value = false;
    header_lines = 0;
    line_length = 0;
    body_limit = 0;
    body_bytes = 0;
    return 0;
  }

  int url(const char* at, std::size_t n) {
    current.target.append(at, n);
    // The request line also holds the method, two spaces and "HTTP/1.1".
    if (current.target.size() + 16 > max_line)
      return fail(parse_status::line_too_long);
    return 0;
  }

  /// Counts a new header (or trailer) line and checks its length as it grows.
  int header_field(const char* at, std::size_t n) {
    if (last_was_value || line_length == 0) {
      if (++header_lines > max_headers)
        return fail(parse_status::too_many_headers);
      line_length = 0;
      if (!head_done)
        current.headers.emplace_back();
    }
    last_was_value = false;
    line_length += n;
    if (line_length + 2 > max_line)
      return fail(parse_status::line_too_long);
    if (!head_done)
      current.headers.back().first.append(at, n);
    return 0;
  }

  int header_value(const char* at, std::size_t n) {
    last_was_value = true;
    line_length += n;
    if (line_length + 2 > max_line)
      return fail(parse_status::line_too_long);
    if (!head_done)
      current.headers.back().second.append(at, n);
    return 0;
  }

  int headers_complete() {
    head_done = true;
    // Trailers of a chunked body start counting afresh.
    line_length = 0;
    header_lines = 0;
    last_was_value = false;
    current.method = http_method_str(static_cast<http_method>(parser.method));
    std::string_view target = current.target;
    auto question = target.find('?');
    current.path = percent_decode(target.substr(0, question), false);
    if (question != std::string_view::npos)
      current.query = parse_query(target.substr(question + 1));
    current.keep_alive = http_should_keep_alive(&parser) != 0 && parser.upgrade == 0;
    head_info info{current};
    info.chunked = (parser.flags & F_CHUNKED) != 0;
    info.content_length
        = (info.chunked || parser.content_length == ULLONG_MAX) ? 0 : parser.content_length;
    if (auto expect = current.header("Expect"); expect != nullptr)
      info.expects_continue = same_name(*expect, "100-continue");
    auto decision = decide(info);
    if (decision.stop)
      return fail_head(parse_status::stopped);
    body_limit = decision.body_limit;
    discard = decision.discard_body;
    if (!info.chunked && info.content_length > body_limit)
      return fail_head(parse_status::body_too_large);
    if (!discard && !info.chunked && info.content_length > 0)
      current.body.reserve(info.content_length + body_spare);
    return 0;
  }

  int body(const char* at, std::size_t n) {
    body_bytes += n;
    if (body_bytes > body_limit)
      return fail(parse_status::body_too_large);
    if (!discard)
      current.body.append(at, n);
    return 0;
  }

  int message_complete() {
    complete = true;
    current.keep_alive = current.keep_alive && http_should_keep_alive(&parser) != 0;
    // Hand the request over before the next pipelined one starts.
    http_parser_pause(&parser, 1);
    return 0;
  }
};

request_parser::request_parser(decide_fn decide)
    : impl_(std::make_unique<impl>(std::move(decide))) {}

request_parser::~request_parser() = default;

std::pair<parse_status, std::size_t> request_parser::feed(const char* data, std::size_t size) {
  auto& p = impl_->parser;
  if (HTTP_PARSER_ERRNO(&p) == HPE_PAUSED)
    http_parser_pause(&p, 0);
  auto consumed = http_parser_execute(&p, &impl_->settings, data, size);
  auto err = static_cast<http_errno>(HTTP_PARSER_ERRNO(&p));
  if (impl_->complete && (err == HPE_OK || err == HPE_PAUSED))
    return {parse_status::complete, consumed};
  switch (err) {
    case HPE_OK:
      return {parse_status::need_more, consumed};
    case HPE_CB_url:
    case HPE_CB_header_field:
    case HPE_CB_header_value:
    case HPE_CB_headers_complete:
    case HPE_CB_body:
      return {impl_->failure, consumed};
    case HPE_HEADER_OVERFLOW:
      return {parse_status::line_too_long, consumed};
    default:
      return {parse_status::malformed, consumed};
  }
}

bool request_parser::in_progress() const noexcept {
  return impl_->begun && !impl_->complete;
}

const request& request_parser::current() const noexcept {
  return impl_->current;
}

bool request_parser::body_discarded() const noexcept {
  return impl_->discard;
}

request request_parser::take() {
  auto result = std::move(impl_->current);
  impl_->current = request{};
  impl_->begun = false;
  impl_->complete = false;
  return result;
}

const char* request_parser::error_name() const noexcept {
  return http_errno_name(static_cast<http_errno>(HTTP_PARSER_ERRNO(&impl_->parser)));
}

} // namespace gamelight::http
