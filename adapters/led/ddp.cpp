#include "adapters/led/ddp.hpp"

#include <algorithm>

namespace gamelight::led {

std::span<const datagram> ddp_encoder::encode(frame_view frame) {
  out_.reset();
  sequence_ = static_cast<std::uint8_t>(sequence_ % 15 + 1);
  for (std::size_t first = 0; first < frame.size(); first += max_pixels) {
    auto count = std::min(max_pixels, frame.size() - first);
    auto last = first + count == frame.size();
    auto& packet = out_.append(header_size + 3 * count);
    auto* p = packet.data();
    p[0] = static_cast<std::uint8_t>(flag_version1 | (last ? flag_push : 0));
    p[1] = sequence_;
    p[2] = type_rgb8;
    p[3] = destination_display;
    put_u32(p + 4, static_cast<std::uint32_t>(3 * first));
    put_u16(p + 8, static_cast<std::uint16_t>(3 * count));
    put_rgb(p + header_size, frame.subspan(first, count));
  }
  return out_.view();
}

} // namespace gamelight::led
