#include "adapters/led/dnrgb.hpp"

#include <algorithm>

namespace gamelight::led {

std::span<const datagram> dnrgb_encoder::encode(frame_view frame) {
  out_.reset();
  for (std::size_t first = 0; first < frame.size(); first += max_pixels) {
    auto count = std::min(max_pixels, frame.size() - first);
    auto& packet = out_.append(header_size + 3 * count);
    auto* p = packet.data();
    p[0] = protocol_dnrgb;
    p[1] = timeout_s_;
    put_u16(p + 2, static_cast<std::uint16_t>(first));
    put_rgb(p + header_size, frame.subspan(first, count));
  }
  return out_.view();
}

} // namespace gamelight::led
