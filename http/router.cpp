#include "http/router.hpp"

namespace gamelight::http {

bool split_path(std::string_view path, path_segments& out) {
  out.size = 0;
  if (path.empty() || path.front() != '/')
    return false;
  while (!path.empty()) {
    // `path` starts with '/' here.
    path.remove_prefix(1);
    auto end = path.find('/');
    if (out.size == max_path_segments)
      return false;
    out.items[out.size++] = path.substr(0, end);
    path = end == std::string_view::npos ? std::string_view{} : path.substr(end);
  }
  return true;
}

} // namespace gamelight::http
