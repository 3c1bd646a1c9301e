#include "http/router.hpp"

namespace gamelight::http {

namespace {

/// Splits off the next segment of a path that starts with '/'.
bool next_segment(std::string_view& rest, std::string_view& segment) {
  if (rest.empty() || rest.front() != '/')
    return false;
  rest.remove_prefix(1);
  auto end = rest.find('/');
  segment = rest.substr(0, end);
  rest = end == std::string_view::npos ? std::string_view{} : rest.substr(end);
  return true;
}

} // namespace

bool match_path(std::string_view pattern, std::string_view path, path_params& params) {
  std::string_view pattern_segment;
  std::string_view path_segment;
  while (true) {
    bool more_pattern = next_segment(pattern, pattern_segment);
    bool more_path = next_segment(path, path_segment);
    if (!more_pattern || !more_path)
      return !more_pattern && !more_path;
    if (pattern_segment.size() > 1 && pattern_segment.front() == '{') {
      if (path_segment.empty())
        return false;
      params.emplace_back(path_segment);
    } else if (pattern_segment != path_segment) {
      return false;
    }
  }
}

} // namespace gamelight::http
