#pragma once

/// A FRAME STREAM actor: one per open `GET /api/v1/devices/{id}/frames/stream`. It
/// watches the device's rendered frames and writes the changed ones to its connection
/// as SSE, at most `fps` a second (the newest frame wins a slot). It ends with its
/// connection; when the device ends, it ends the stream.

#include "actors/interfaces.hpp"

#include <caf/actor.hpp>
#include <caf/actor_clock.hpp>
#include <caf/typed_event_based_actor.hpp>

#include <cstdint>
#include <optional>

namespace gamelight::atom {

/// A frame stream's next slot is due.
using slot = caf::atom_constant<caf::atom("slot")>;

} // namespace gamelight::atom

namespace gamelight::http {

using frame_stream_actor = frame_watcher_actor::extend<
    // INTERNAL: the next slot for a frame is due.
    caf::reacts_to<atom::slot>>;

struct frame_stream_state {
  static inline constexpr const char* name = "frame-stream";

  caf::actor connection;
  device_actor source;
  /// The shortest time between two frames written (1 s / fps).
  caf::timespan interval{};
  /// When the last frame was written; nullopt before the first.
  std::optional<caf::actor_clock::time_point> last_written;
  /// The last frame written, to skip unchanged ones.
  shared_device_frame shown;
  /// The newest frame not written yet (waiting for its slot).
  shared_device_frame waiting;
  bool slot_pending = false;
};

/// Spawnable behavior: `sys.spawn(frame_stream, connection, device, fps)`.
frame_stream_actor::behavior_type
frame_stream(frame_stream_actor::stateful_pointer<frame_stream_state> self, caf::actor connection,
             device_actor source, std::uint32_t fps);

} // namespace gamelight::http
