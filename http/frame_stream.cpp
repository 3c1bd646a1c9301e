#include "http/frame_stream.hpp"

#include "http/routes.hpp"
#include "http/sse.hpp"

#include <caf/event_based_actor.hpp>
#include <caf/send.hpp>

namespace gamelight::http {

namespace {

using self_pointer = frame_stream_actor::stateful_pointer<frame_stream_state>;

bool same(const shared_device_frame& a, const shared_device_frame& b) {
  return a && b && a->active == b->active && a->rgb == b->rgb;
}

void write_waiting(self_pointer self) {
  auto& st = self->state;
  auto frame = std::move(st.waiting);
  st.waiting.reset();
  if (!frame || same(frame, st.shown))
    return;
  caf::anon_send(st.connection, atom::chunk::value,
                 sse::frame_message(frame->active, frame->rgb.size() / 3, frame->rgb));
  st.shown = std::move(frame);
  st.last_written = self->clock().now();
}

/// Writes the frame now when its slot is free, else keeps it (replacing an older one)
/// for the next slot.
void on_frame(self_pointer self, shared_device_frame frame) {
  auto& st = self->state;
  st.waiting = std::move(frame);
  auto now = self->clock().now();
  if (!st.last_written || now >= *st.last_written + st.interval) {
    write_waiting(self);
    return;
  }
  if (st.slot_pending)
    return;
  st.slot_pending = true;
  // Anonymous, so a late slot never keeps this actor alive through its own mailbox.
  caf::delayed_anon_send(caf::actor_cast<caf::actor>(self), *st.last_written + st.interval - now,
                         atom::slot::value);
}

} // namespace

frame_stream_actor::behavior_type frame_stream(self_pointer self, caf::actor connection,
                                               device_actor source, std::uint32_t fps) {
  auto& st = self->state;
  st.connection = std::move(connection);
  st.source = std::move(source);
  st.interval = caf::timespan{std::chrono::seconds{1}} / std::max<std::uint32_t>(fps, 1);
  self->monitor(st.connection);
  self->monitor(st.source);
  self->set_down_handler([self](caf::down_msg& msg) {
    // The device ended (deleted, or replaced by a restore): the stream ends with it.
    if (msg.source == self->state.source.address())
      caf::anon_send(self->state.connection, atom::done::value);
    self->quit();
  });
  caf::anon_send(st.connection, atom::chunk::value, std::string{sse::preamble});
  self->send(st.source, atom::subscribe::value, caf::actor_cast<frame_watcher_actor>(self));
  return {
      [self](atom::frame, shared_device_frame& frame) { on_frame(self, std::move(frame)); },
      [self](atom::slot) {
        self->state.slot_pending = false;
        write_waiting(self);
      },
  };
}

} // namespace gamelight::http
