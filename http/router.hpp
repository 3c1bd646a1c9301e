#pragma once

/// Matches request paths against the route table by segments, so the server can
/// tell an unknown route (404) from a known route with a wrong method (405).

#include <cstddef>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

namespace gamelight::http {

/// The path parameters of a matched route, in pattern order.
using path_params = std::vector<std::string>;

/// A route: method, pattern with `{name}` segments, and a payload. `Handler` is the
/// server's handler type.
template <class Handler>
struct route {
  std::string method;
  std::string pattern;
  Handler handler;
};

/// Returns whether `path` matches `pattern` ("/api/v1/devices/{id}") and collects the
/// parameters. A parameter matches one non-empty segment.
bool match_path(std::string_view pattern, std::string_view path, path_params& params);

/// The result of looking up a request.
template <class Handler>
struct lookup_result {
  /// The matching route, or nullptr.
  const route<Handler>* found = nullptr;
  path_params params;
  /// Methods the path allows when the method did not match (for 405 and `Allow`).
  std::vector<std::string> allowed;
};

/// An ordered list of routes; the first match wins.
template <class Handler>
class router {
public:
  void add(std::string method, std::string pattern, Handler handler) {
    routes_.push_back(route<Handler>{std::move(method), std::move(pattern), std::move(handler)});
  }

  [[nodiscard]] lookup_result<Handler> lookup(std::string_view method,
                                              std::string_view path) const {
    lookup_result<Handler> result;
    path_params params;
    for (auto& r : routes_) {
      params.clear();
      if (!match_path(r.pattern, path, params))
        continue;
      if (r.method == method || (method == "HEAD" && r.method == "GET")) {
        result.found = &r;
        result.params = std::move(params);
        return result;
      }
      result.allowed.push_back(r.method);
    }
    return result;
  }

  [[nodiscard]] const std::vector<route<Handler>>& routes() const noexcept {
    return routes_;
  }

private:
  std::vector<route<Handler>> routes_;
};

} // namespace gamelight::http
