#pragma once

/// DDP (Distributed Display Protocol) encoder, as WLED receives it on UDP port 4048
/// (notes/domain.md §4b).
///
/// Each datagram: a 10-byte header, then R, G, B bytes.
/// | byte | value |
/// |---|---|
/// | 0 | `0x40` (version 1), `| 0x01` (PUSH) on the frame's last datagram |
/// | 1 | sequence number 1-15, the same for every datagram of a frame, cycling per frame |
/// | 2 | `0x0B`: RGB, 8 bits per channel |
/// | 3 | destination id 1 (default output device) |
/// | 4-7 | byte offset of the payload in the frame, big-endian |
/// | 8-9 | payload length in bytes, big-endian |
/// At most 480 pixels (1440 bytes) per datagram.

#include "adapters/led/frame.hpp"

#include <cstddef>
#include <cstdint>
#include <span>

namespace gamelight::led {

class ddp_encoder {
public:
  static constexpr std::size_t header_size = 10;
  static constexpr std::size_t max_pixels = 480;
  static constexpr std::uint8_t flag_version1 = 0x40;
  static constexpr std::uint8_t flag_push = 0x01;
  static constexpr std::uint8_t type_rgb8 = 0x0B;
  static constexpr std::uint8_t destination_display = 1;

  /// Encodes one frame; the result stays valid until the next call.
  [[nodiscard]] std::span<const datagram> encode(frame_view frame);

  /// Returns the sequence number of the last encoded frame (0 before the first).
  [[nodiscard]] std::uint8_t sequence() const noexcept {
    return sequence_;
  }

private:
  std::uint8_t sequence_ = 0;
  packet_buffer out_;
};

} // namespace gamelight::led
