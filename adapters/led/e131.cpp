#include "adapters/led/e131.hpp"

#include <algorithm>
#include <cstring>

namespace gamelight::led {

namespace {

constexpr std::array<std::uint8_t, 12> acn_packet_identifier
    = {0x41, 0x53, 0x43, 0x2d, 0x45, 0x31, 0x2e, 0x31, 0x37, 0x00, 0x00, 0x00};

constexpr std::uint32_t vector_root_e131_data = 0x00000004;
constexpr std::uint32_t vector_e131_data_packet = 0x00000002;
constexpr std::uint8_t vector_dmp_set_property = 0x02;
constexpr std::uint8_t dmp_address_and_data_type = 0xA1;
constexpr std::uint16_t flags_mask = 0x7000;

/// Returns how many universes a frame of `n` pixels uses.
[[nodiscard]] std::size_t universes_for(std::size_t n) noexcept {
  return (n + e131_encoder::max_pixels - 1) / e131_encoder::max_pixels;
}

} // namespace

e131_encoder::e131_encoder(e131_cid cid, std::string_view source_name, std::uint16_t first_universe,
                           std::uint8_t priority)
    : cid_(cid), first_universe_(first_universe), priority_(priority) {
  // Keep at least one NUL at the end of the name field.
  auto name_size = std::min(source_name.size(), source_name_size - 1);
  std::memcpy(source_name_.data(), source_name.data(), name_size);
}

void e131_encoder::append(std::size_t index, frame_view pixels, std::uint8_t options) {
  auto channels = 3 * pixels.size();
  auto size = header_size + channels;
  auto& packet = out_.append(size);
  auto* p = packet.data();
  // Root layer.
  put_u16(p + 0, 0x0010);
  put_u16(p + 2, 0x0000);
  std::memcpy(p + 4, acn_packet_identifier.data(), acn_packet_identifier.size());
  put_u16(p + 16, static_cast<std::uint16_t>(flags_mask | (size - 16)));
  put_u32(p + 18, vector_root_e131_data);
  std::memcpy(p + 22, cid_.data(), cid_.size());
  // Framing layer.
  put_u16(p + 38, static_cast<std::uint16_t>(flags_mask | (size - 38)));
  put_u32(p + 40, vector_e131_data_packet);
  std::memcpy(p + 44, source_name_.data(), source_name_.size());
  p[108] = priority_;
  put_u16(p + 109, 0);
  p[111] = sequence_[index]++;
  p[112] = options;
  put_u16(p + 113, static_cast<std::uint16_t>(first_universe_ + index));
  // DMP layer.
  put_u16(p + 115, static_cast<std::uint16_t>(flags_mask | (size - 115)));
  p[117] = vector_dmp_set_property;
  p[118] = dmp_address_and_data_type;
  put_u16(p + 119, 0x0000);
  put_u16(p + 121, 0x0001);
  put_u16(p + 123, static_cast<std::uint16_t>(channels + 1));
  p[125] = 0x00;
  put_rgb(p + header_size, pixels);
}

std::span<const datagram> e131_encoder::encode(frame_view frame) {
  out_.reset();
  auto universes = universes_for(frame.size());
  // Universes past the protocol's last one cannot be addressed.
  auto addressable = first_universe_ <= max_universe
                         ? static_cast<std::size_t>(max_universe - first_universe_ + 1)
                         : 0;
  universes = std::min(universes, addressable);
  if (sequence_.size() < universes)
    sequence_.resize(universes, 0);
  for (std::size_t index = 0; index < universes; ++index) {
    auto first = index * max_pixels;
    auto count = std::min(max_pixels, frame.size() - first);
    append(index, frame.subspan(first, count), 0);
  }
  last_size_ = std::min(frame.size(), universes * max_pixels);
  return out_.view();
}

std::span<const datagram> e131_encoder::terminate() {
  out_.reset();
  black_.assign(last_size_, rgb{});
  frame_view frame{black_};
  auto universes = universes_for(frame.size());
  for (int repeat = 0; repeat < terminate_repeats; ++repeat) {
    for (std::size_t index = 0; index < universes; ++index) {
      auto first = index * max_pixels;
      auto count = std::min(max_pixels, frame.size() - first);
      append(index, frame.subspan(first, count), option_stream_terminated);
    }
  }
  return out_.view();
}

} // namespace gamelight::led
