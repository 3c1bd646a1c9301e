#pragma once

/// One device's encoder: picks DDP, DNRGB or E1.31 from the device's protocol and keeps
/// that protocol's per-device state (sequence numbers). The device actor owns one.

#include "adapters/led/ddp.hpp"
#include "adapters/led/dnrgb.hpp"
#include "adapters/led/e131.hpp"
#include "adapters/led/frame.hpp"
#include "common/model.hpp"

#include <cstdint>
#include <span>
#include <string>
#include <variant>

namespace gamelight::led {

/// Daemon-wide encoder settings.
struct encoder_options {
  /// DNRGB timeout byte: seconds WLED stays in realtime mode after the last datagram.
  std::uint8_t dnrgb_timeout_s = dnrgb_encoder::default_timeout_s;
  /// E1.31 component identifier; stable per daemon.
  e131_cid cid{};
  /// E1.31 source name (at most 63 bytes are sent).
  std::string source_name = "gamelight";
  /// E1.31 priority (0-200).
  std::uint8_t e131_priority = e131_encoder::default_priority;
};

class encoder {
public:
  /// @param universe first E1.31 universe (ignored by the other protocols).
  encoder(led_protocol protocol, std::uint16_t universe, const encoder_options& options);

  /// Encodes one frame; the result stays valid until the next call.
  [[nodiscard]] std::span<const datagram> encode(frame_view frame);

  /// Returns what to send when the stream ends: E1.31's stream-terminated datagrams,
  /// nothing for DDP and DNRGB (WLED leaves realtime mode after its timeout).
  [[nodiscard]] std::span<const datagram> terminate();

  [[nodiscard]] led_protocol protocol() const noexcept;

private:
  std::variant<ddp_encoder, dnrgb_encoder, e131_encoder> impl_;
};

} // namespace gamelight::led
