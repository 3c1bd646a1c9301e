#pragma once

/// E1.31 (streaming ACN, sACN) data packet encoder, as WLED receives it on UDP port 5568
/// (ANSI E1.31-2016; notes/domain.md §4).
///
/// One datagram per universe of 170 RGB pixels (510 DMX channels); the frame spreads over
/// consecutive universes starting at the device's `universe` (universes past 63999 are
/// not sent). Layout of a datagram carrying `k` channels (offsets in bytes, big-endian):
/// | offset | field | value |
/// |---|---|---|
/// | 0-1 | preamble size | `0x0010` |
/// | 2-3 | post-amble size | `0x0000` |
/// | 4-15 | ACN packet identifier | `"ASC-E1.17\0\0\0"` |
/// | 16-17 | root flags and length | `0x7000 | (126 + k - 16)` |
/// | 18-21 | root vector | `0x00000004` (E1.31 data) |
/// | 22-37 | CID | the sender's 16-byte component id |
/// | 38-39 | framing flags and length | `0x7000 | (126 + k - 38)` |
/// | 40-43 | framing vector | `0x00000002` (data packet) |
/// | 44-107 | source name | UTF-8, NUL-padded, at most 63 bytes |
/// | 108 | priority | 100 |
/// | 109-110 | synchronization address | 0 |
/// | 111 | sequence number | per universe, +1 per datagram, wraps at 255 |
/// | 112 | options | `0x40` on stream-terminated datagrams, else 0 |
/// | 113-114 | universe | |
/// | 115-116 | DMP flags and length | `0x7000 | (126 + k - 115)` |
/// | 117 | DMP vector | `0x02` (set property) |
/// | 118 | address and data type | `0xA1` |
/// | 119-120 | first property address | `0x0000` |
/// | 121-122 | address increment | `0x0001` |
/// | 123-124 | property value count | `k + 1` |
/// | 125 | DMX start code | `0x00` |
/// | 126.. | channel data | R, G, B per pixel |

#include "adapters/led/frame.hpp"

#include <array>
#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace gamelight::led {

/// A 16-byte E1.31 component identifier (a UUID); keep it stable per daemon.
using e131_cid = std::array<std::uint8_t, 16>;

class e131_encoder {
public:
  static constexpr std::size_t header_size = 126;
  static constexpr std::size_t max_pixels = 170;
  static constexpr std::size_t source_name_size = 64;
  static constexpr std::uint16_t max_universe = 63999;
  static constexpr std::uint8_t default_priority = 100;
  static constexpr std::uint8_t option_stream_terminated = 0x40;
  /// Number of stream-terminated datagrams per universe when a stream ends.
  static constexpr int terminate_repeats = 3;

  /// @param first_universe the universe of pixels 0-169 (1-63999).
  e131_encoder(e131_cid cid, std::string_view source_name, std::uint16_t first_universe,
               std::uint8_t priority = default_priority);

  /// Encodes one frame; the result stays valid until the next call.
  [[nodiscard]] std::span<const datagram> encode(frame_view frame);

  /// Returns the stream-terminated datagrams (3 per universe of the last frame, black
  /// data) that tell receivers the stream ends; empty before the first frame.
  [[nodiscard]] std::span<const datagram> terminate();

  /// Returns the next sequence number of the `index`-th universe of the frame.
  [[nodiscard]] std::uint8_t next_sequence(std::size_t index) const noexcept {
    return index < sequence_.size() ? sequence_[index] : 0;
  }

private:
  /// Appends one datagram for universe number `index` (counted from the first).
  void append(std::size_t index, frame_view pixels, std::uint8_t options);

  std::array<std::uint8_t, source_name_size> source_name_{};
  e131_cid cid_;
  std::uint16_t first_universe_;
  std::uint8_t priority_;
  /// Next sequence number per universe of the frame.
  std::vector<std::uint8_t> sequence_;
  /// LED count of the last encoded frame.
  std::size_t last_size_ = 0;
  /// Black pixels for the stream-terminated datagrams.
  std::vector<rgb> black_;
  packet_buffer out_;
};

} // namespace gamelight::led
