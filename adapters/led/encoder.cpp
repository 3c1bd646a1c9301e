#include "adapters/led/encoder.hpp"

namespace gamelight::led {

namespace {

[[nodiscard]] std::variant<ddp_encoder, dnrgb_encoder, e131_encoder>
make_impl(led_protocol protocol, std::uint16_t universe, const encoder_options& options) {
  switch (protocol) {
    case led_protocol::ddp:
      return ddp_encoder{};
    case led_protocol::dnrgb:
      return dnrgb_encoder{options.dnrgb_timeout_s};
    case led_protocol::e131:
      return e131_encoder{options.cid, options.source_name, universe, options.e131_priority};
  }
  return ddp_encoder{};
}

} // namespace

encoder::encoder(led_protocol protocol, std::uint16_t universe, const encoder_options& options)
    : impl_(make_impl(protocol, universe, options)) {}

std::span<const datagram> encoder::encode(frame_view frame) {
  return std::visit([&](auto& x) { return x.encode(frame); }, impl_);
}

std::span<const datagram> encoder::terminate() {
  if (auto* x = std::get_if<e131_encoder>(&impl_))
    return x->terminate();
  return {};
}

led_protocol encoder::protocol() const noexcept {
  switch (impl_.index()) {
    case 1:
      return led_protocol::dnrgb;
    case 2:
      return led_protocol::e131;
    default:
      return led_protocol::ddp;
  }
}

} // namespace gamelight::led
