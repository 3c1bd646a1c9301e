#pragma once

/// Matches request paths against the route table by segments, so the server can
/// tell an unknown route (404) from a known route with a wrong method (405).

#include <array>
#include <cstddef>
#include <functional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace gamelight::http {

/// The path parameters of a matched route, in pattern order.
using path_params = std::vector<std::string>;

/// Most segments a route pattern may have; a longer path matches no route.
inline constexpr std::size_t max_path_segments = 16;

/// The segments of a path, split once per lookup.
struct path_segments {
  std::array<std::string_view, max_path_segments> items;
  std::size_t size = 0;
};

/// Splits a path that starts with '/' into its segments ("/a//b/" gives "a", "", "b",
/// ""). Returns false for a path that does not start with '/' or has more than
/// `max_path_segments` segments.
bool split_path(std::string_view path, path_segments& out);

/// A route: method, pattern with `{name}` segments, and a payload. `Handler` is the
/// server's handler type.
template <class Handler>
struct route {
  std::string method;
  std::string pattern;
  Handler handler;
  /// The pattern's segments as offsets into `pattern` (views would not survive a move
  /// of a short pattern), and which of them are `{name}` parameters.
  struct segment {
    std::size_t offset = 0;
    std::size_t size = 0;
    bool is_param = false;
  };
  std::vector<segment> segments;

  /// Returns whether the split path matches, and appends its parameters to `params`.
  /// A parameter matches one non-empty segment.
  bool match(const path_segments& path, path_params& params) const {
    if (path.size != segments.size())
      return false;
    for (std::size_t i = 0; i < segments.size(); ++i) {
      auto& s = segments[i];
      if (s.is_param ? path.items[i].empty()
                     : path.items[i] != std::string_view{pattern}.substr(s.offset, s.size))
        return false;
    }
    for (std::size_t i = 0; i < segments.size(); ++i)
      if (segments[i].is_param)
        params.emplace_back(path.items[i]);
    return true;
  }
};

/// The result of looking up a request.
template <class Handler>
struct lookup_result {
  /// The matching route, or nullptr.
  const route<Handler>* found = nullptr;
  path_params params;
  /// Methods the path allows when the method did not match (for 405 and `Allow`).
  std::vector<std::string> allowed;
};

/// An ordered list of routes; the first match wins. Patterns are split into segments
/// once, when added, and a path once per lookup.
template <class Handler>
class router {
public:
  void add(std::string method, std::string pattern, Handler handler) {
    route<Handler> r{std::move(method), std::move(pattern), std::move(handler), {}};
    path_segments split;
    if (!split_path(r.pattern, split))
      throw std::invalid_argument("invalid route pattern: " + r.pattern);
    for (std::size_t i = 0; i < split.size; ++i) {
      auto text = split.items[i];
      auto offset = static_cast<std::size_t>(text.data() - r.pattern.data());
      bool is_param = text.size() > 1 && text.front() == '{';
      r.segments.push_back({offset, text.size(), is_param});
    }
    routes_.push_back(std::move(r));
  }

  [[nodiscard]] lookup_result<Handler> lookup(std::string_view method,
                                              std::string_view path) const {
    lookup_result<Handler> result;
    path_segments split;
    if (!split_path(path, split))
      return result;
    for (auto& r : routes_) {
      if (r.segments.size() != split.size)
        continue;
      result.params.clear();
      if (!r.match(split, result.params))
        continue;
      if (r.method == method || (method == "HEAD" && r.method == "GET")) {
        result.found = &r;
        return result;
      }
      result.allowed.push_back(r.method);
    }
    result.params.clear();
    return result;
  }

  [[nodiscard]] const std::vector<route<Handler>>& routes() const noexcept {
    return routes_;
  }

private:
  std::vector<route<Handler>> routes_;
};

} // namespace gamelight::http
