#pragma once

/// Helpers shared by the fuzz targets: splitting one input into several payloads and
/// handing payloads to adapter sessions with exactly the memory they claim to have.

#include "adapters/games/game_adapter.hpp"
#include "common/json.hpp"
#include "common/model.hpp"

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string_view>
#include <utility>
#include <vector>

namespace gamelight::fuzz {

/// Padding behind a payload that claims room for simdjson (at least SIMDJSON_PADDING).
inline constexpr std::size_t padding = 64;

/// Splits `input` at its first NUL byte: the bytes before it and the bytes after it. An
/// input without a NUL byte is a first payload and an empty second one.
inline std::pair<std::string_view, std::string_view> split_two(std::string_view input) {
  auto pos = input.find('\0');
  if (pos == std::string_view::npos)
    return {input, {}};
  return {input.substr(0, pos), input.substr(pos + 1)};
}

/// Returns the input of `LLVMFuzzerTestOneInput` as text.
inline std::string_view as_text(const std::uint8_t* data, std::size_t size) {
  return {reinterpret_cast<const char*>(data), size};
}

/// A heap copy of one payload. With `padded`, the buffer has `padding` readable bytes
/// behind the text and says so; otherwise it has none and `capacity == size`, which makes
/// the session take its copying path. AddressSanitizer sees every byte past the end.
class owned_payload {
public:
  owned_payload(std::string_view text, bool padded)
      : size_(text.size()), capacity_(padded ? text.size() + padding : text.size()),
        bytes_(std::make_unique<char[]>(capacity_ == 0 ? 1 : capacity_)) {
    if (size_ != 0)
      std::copy(text.begin(), text.end(), bytes_.get());
    for (auto i = size_; i < capacity_; ++i)
      bytes_[i] = '\0';
  }

  [[nodiscard]] games::payload view(std::string_view header_token = {}) const {
    return games::payload{bytes_.get(), size_, capacity_, header_token};
  }

private:
  std::size_t size_;
  std::size_t capacity_;
  std::unique_ptr<char[]> bytes_;
};

/// Feeds two payloads of `input` (see `split_two`) to a fresh session of `adapter_type`
/// whose config holds `token`, then the first one again, so the diff runs in both
/// directions. The first payload is padded, the second is not.
inline void ingest_two(std::string_view adapter_type, std::string_view token,
                       std::string_view input) {
  const auto* adapter = games::find_adapter(adapter_type);
  if (adapter == nullptr)
    __builtin_trap();
  auto session = adapter->make_session(json{{"token", token}});
  auto [first, second] = split_two(input);
  owned_payload a{first, true};
  owned_payload b{second, false};
  std::vector<game_event> events;
  static_cast<void>(session->ingest(a.view(), events));
  static_cast<void>(session->ingest(b.view(), events));
  static_cast<void>(session->ingest(a.view(), events));
}

} // namespace gamelight::fuzz
