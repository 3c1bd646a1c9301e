#pragma once

/// WLED UDP realtime DNRGB encoder (port 21324, notes/domain.md §4a).
///
/// Each datagram: byte 0 = 4 (DNRGB), byte 1 = timeout in seconds (how long WLED stays in
/// realtime mode after the last datagram; 255 = forever, 0 = leave at once), bytes 2-3 =
/// index of the first LED, big-endian, then R, G, B bytes. At most 489 LEDs per datagram.

#include "adapters/led/frame.hpp"

#include <cstddef>
#include <cstdint>
#include <span>

namespace gamelight::led {

class dnrgb_encoder {
public:
  static constexpr std::size_t header_size = 4;
  static constexpr std::size_t max_pixels = 489;
  static constexpr std::uint8_t protocol_dnrgb = 4;
  /// WLED's recommended realtime timeout.
  static constexpr std::uint8_t default_timeout_s = 2;

  explicit dnrgb_encoder(std::uint8_t timeout_s = default_timeout_s) noexcept
      : timeout_s_(timeout_s) {}

  /// Encodes one frame; the result stays valid until the next call.
  [[nodiscard]] std::span<const datagram> encode(frame_view frame);

  [[nodiscard]] std::uint8_t timeout_s() const noexcept {
    return timeout_s_;
  }

private:
  std::uint8_t timeout_s_;
  packet_buffer out_;
};

} // namespace gamelight::led
