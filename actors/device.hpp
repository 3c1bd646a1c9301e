#pragma once

/// The DEVICE actor: one per LED target. It owns the target's effect stack, encoder and
/// UDP sender, renders frames at the device's `fps` while any effect is active and sends
/// nothing while idle (api.md, "Effects" and "Devices").

#include "actors/interfaces.hpp"
#include "actors/multiplexed.hpp"
#include "adapters/led/encoder.hpp"
#include "adapters/led/layering.hpp"
#include "adapters/led/udp_sender.hpp"
#include "common/json.hpp"
#include "common/model.hpp"

#include <caf/actor_clock.hpp>
#include <caf/replies_to.hpp>
#include <caf/typed_event_based_actor.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace gamelight {

/// Daemon-wide settings of every device actor.
struct device_options {
  /// DNRGB timeout byte: seconds WLED stays in realtime mode after the last datagram.
  std::uint8_t dnrgb_timeout_s = 2;
  /// E1.31 component identifier as 32 hex digits, stable per daemon. Anything else is
  /// reported once and replaced by all zeros.
  std::string e131_cid;
  /// E1.31 source name (at most 63 bytes are sent).
  std::string e131_source_name = "gamelight";
  /// Whether E1.31 devices send the 3 stream-terminated datagrams when going idle.
  bool e131_terminate = true;
};

/// Returns the 16 bytes of a CID written as 32 hex digits (dashes allowed, as in a UUID).
[[nodiscard]] std::optional<led::e131_cid> parse_cid(std::string_view text);

/// The state of one device actor. Handlers stay one-liners over these member functions.
struct device_state {
  static inline constexpr const char* name = "device";

  using time_point = caf::actor_clock::time_point;

  device config;
  device_options options;
  led::encoder_options encoder_opts;
  led::effect_stack stack;
  std::optional<led::encoder> encoder;
  led::udp_sender sender;
  /// The frame being rendered, one colour per LED.
  std::vector<rgb> pixels;

  /// Frames whose every datagram was handed to the kernel.
  std::uint64_t frames_sent = 0;
  /// Wall-clock time of the last such frame.
  std::optional<unix_ms> last_frame_at;

  /// Whether a frame tick is scheduled (the stack was non-empty at the last frame).
  bool ticking = false;
  /// Tick deadlines are `tick_base + tick_index / fps`: absolute, so they do not drift.
  time_point tick_base{};
  std::uint64_t tick_index = 0;
  /// The deadline of the scheduled tick; earlier `frame` messages are ignored.
  time_point next_tick{};
  /// Whether the last frame failed to send (errors are logged on change only).
  bool failing = false;
  /// Live previews watching the rendered frames; empty costs nothing.
  std::vector<frame_watcher_actor> watchers;

  /// Applies a new configuration: reopens the sender when the target changed, rebuilds
  /// the encoder when the protocol or universe changed, resizes the frame, hands the
  /// zones to the stack (effects in a zone that is gone stop).
  void apply(device next);

  /// Renders the frame at `now` (each LED: the top effect covering it) and sends it.
  void send_frame(time_point now);

  /// Sends the end-of-stream datagrams (E1.31 only) when the stack went empty.
  void send_terminate();

  /// Returns the deadline of the next tick after `now` and advances the tick counter.
  [[nodiscard]] time_point advance_deadline(time_point now);

  /// Returns the status object of api.md.
  [[nodiscard]] json status(time_point now) const;

  /// Returns the last rendered frame (`active`), or the all-black idle frame.
  [[nodiscard]] shared_device_frame preview(bool active) const;

private:
  /// Sends datagrams and updates the error state; returns whether all were sent.
  bool send_all(std::span<const led::datagram> datagrams);
};

/// Spawnable behavior of a device actor:
/// `sys.spawn(device_behavior, config, options)`.
///
/// Hostnames are looked up on a background thread by `led::udp_sender` (retried with
/// back-off); IP literals are used at once. The actor never waits for DNS.
device_actor::behavior_type device_behavior(device_actor::stateful_pointer<device_state> self,
                                            device config, device_options options);

/// A device actor scheduled on the multiplexer (see `multiplexed`), with the integrations
/// that play on it: an event's `play` and the frame it starts wake no scheduler worker.
/// Its work per frame is a render and a non-blocking `send` (microseconds).
using device_io_actor = multiplexed<caf::stateful_actor<device_state, device_actor::base>>;

/// Spawnable behavior of a device actor on the multiplexer; what the registry spawns.
device_actor::behavior_type device_io_behavior(device_io_actor* self, device config,
                                               device_options options);

} // namespace gamelight
