#pragma once

/// The dashboard's files (the `ui/` folder), compiled into the binary by
/// `cmake/embed_assets.cmake`: the daemon serves them without looking up any path, so
/// an installed or freshly built daemon has them, offline.

#include <span>
#include <string_view>

namespace gamelight::ui {

/// One embedded file.
struct asset {
  /// The file name inside `ui/` ("app.js").
  std::string_view name;
  /// The Content-Type it is served with.
  std::string_view content_type;
  std::string_view body;
  /// A strong ETag (quoted) made from the file's SHA-256.
  std::string_view etag;
};

/// Returns every embedded file, ordered by name.
[[nodiscard]] std::span<const asset> assets() noexcept;

/// Returns the embedded file of that name, or nullptr.
[[nodiscard]] inline const asset* find_asset(std::string_view name) noexcept {
  for (auto& a : assets())
    if (a.name == name)
      return &a;
  return nullptr;
}

} // namespace gamelight::ui
