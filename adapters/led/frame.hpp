#pragma once

/// Frames and datagrams shared by the encoders and the UDP sender.

#include "common/model.hpp"

#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

namespace gamelight::led {

/// One frame: a colour per LED, LED 0 first.
using frame_view = std::span<const rgb>;

/// One UDP payload.
using datagram = std::vector<std::uint8_t>;

/// The datagrams of one encoded frame. Encoders reuse it frame after frame, so after the
/// first frame of a given size encoding allocates nothing.
class packet_buffer {
public:
  /// Forgets the previous frame's datagrams (keeps their storage).
  void reset() noexcept {
    size_ = 0;
  }

  /// Appends a datagram of `bytes` bytes (contents unspecified) and returns it.
  [[nodiscard]] datagram& append(std::size_t bytes) {
    if (size_ == packets_.size())
      packets_.emplace_back();
    auto& result = packets_[size_++];
    result.resize(bytes);
    return result;
  }

  /// Returns the datagrams appended since the last `reset`.
  [[nodiscard]] std::span<const datagram> view() const noexcept {
    return {packets_.data(), size_};
  }

private:
  std::vector<datagram> packets_;
  std::size_t size_ = 0;
};

/// Writes `x` big-endian at `out[0..1]`.
inline void put_u16(std::uint8_t* out, std::uint16_t x) noexcept {
  out[0] = static_cast<std::uint8_t>(x >> 8);
  out[1] = static_cast<std::uint8_t>(x);
}

/// Writes `x` big-endian at `out[0..3]`.
inline void put_u32(std::uint8_t* out, std::uint32_t x) noexcept {
  out[0] = static_cast<std::uint8_t>(x >> 24);
  out[1] = static_cast<std::uint8_t>(x >> 16);
  out[2] = static_cast<std::uint8_t>(x >> 8);
  out[3] = static_cast<std::uint8_t>(x);
}

/// Copies `pixels` as R, G, B bytes to `out`.
inline void put_rgb(std::uint8_t* out, frame_view pixels) noexcept {
  for (const auto& px : pixels) {
    *out++ = px.r;
    *out++ = px.g;
    *out++ = px.b;
  }
}

} // namespace gamelight::led
