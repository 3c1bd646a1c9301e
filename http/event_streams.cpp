#include "http/event_streams.hpp"

#include "http/routes.hpp"

#include <caf/event_based_actor.hpp>
#include <caf/send.hpp>

#include <algorithm>

namespace gamelight::http {

namespace {

using self_pointer = event_streams_actor::stateful_pointer<event_streams_state>;
using client = event_stream_client;

/// Hands what a stream has pending to its connection, which counts as the stream sending
/// something at `now` (see the pings). (Anonymous: the connection never answers, and a
/// typed actor may not name itself to an untyped one.)
void send_pending(client& c, caf::actor_clock::time_point now) {
  if (c.pending.empty())
    return;
  auto size = c.pending.size();
  caf::anon_send(c.connection, atom::chunk::value, std::move(c.pending));
  // The next batch is likely as large: one allocation, not a growth by doubling.
  c.pending = std::string{};
  c.pending.reserve(size);
  c.last_sent = now;
}

/// Queues a message for a stream's connection.
void write(self_pointer self, client& c, std::string_view text) {
  c.pending += text;
  if (c.pending.size() >= max_batch_bytes)
    send_pending(c, self->clock().now());
  else
    self->state.dirty = true;
}

/// Hands every stream's pending text to its connection now.
void flush(self_pointer self) {
  auto& st = self->state;
  auto now = self->clock().now();
  for (auto& [addr, c] : st.clients)
    send_pending(c, now);
  st.dirty = false;
  st.last_flush = now;
}

/// Flushes now when the last flush is `batch_interval` old, else once it is.
void flush_soon(self_pointer self) {
  auto& st = self->state;
  if (!st.dirty || st.flush_pending)
    return;
  auto now = self->clock().now();
  if (!st.last_flush || now >= *st.last_flush + st.options.batch_interval) {
    flush(self);
    return;
  }
  st.flush_pending = true;
  caf::delayed_anon_send(caf::actor_cast<caf::actor>(self),
                         *st.last_flush + st.options.batch_interval - now, atom::flush::value);
}

/// Returns whether the replay already wrote the game event `seq` (and forgets it).
bool already_replayed(client& c, std::uint64_t seq) {
  auto& xs = c.replayed;
  auto i = std::lower_bound(xs.begin(), xs.end(), seq);
  if (seq == 0 || i == xs.end() || *i != seq)
    return false;
  xs.erase(i);
  return true;
}

/// Writes a live message (`seq` 0 for a status), or holds it back while the stream's
/// replay is collected.
void deliver(self_pointer self, client& c, std::uint64_t seq, const shared_text& text) {
  if (c.replay)
    c.replay->held.emplace_back(seq, text);
  else if (!already_replayed(c, seq))
    write(self, c, *text);
}

/// Checks again when the quietest stream is due a ping (at most one check pending).
void schedule_ping(self_pointer self) {
  auto& st = self->state;
  if (st.ping_pending || st.clients.empty())
    return;
  auto oldest = std::min_element(st.clients.begin(), st.clients.end(), [](auto& a, auto& b) {
                  return a.second.last_sent < b.second.last_sent;
                })->second.last_sent;
  auto delay = std::max(oldest + st.options.ping_interval - self->clock().now(),
                        caf::timespan{std::chrono::milliseconds{1}});
  st.ping_pending = true;
  // Anonymous, so a late tick never keeps this actor alive through its own mailbox.
  caf::delayed_anon_send(caf::actor_cast<caf::actor>(self), delay, atom::ping::value);
}

void ping(self_pointer self) {
  auto& st = self->state;
  st.ping_pending = false;
  auto now = self->clock().now();
  for (auto& [addr, c] : st.clients)
    if (c.pending.empty() && now - c.last_sent >= st.options.ping_interval)
      write(self, c, sse::ping);
  schedule_ping(self);
}

/// Writes the replayed events in `seq` order, then the live messages held back that the
/// replay did not already carry.
void finish_replay(self_pointer self, client& c) {
  auto replay = std::move(*c.replay);
  c.replay.reset();
  auto& found = replay.found;
  std::sort(found.begin(), found.end(), [](auto& a, auto& b) { return a->seq < b->seq; });
  for (auto& x : found) {
    if (x->seq <= replay.after || !c.filter.passes(x->integration_id, x->event.event_type))
      continue;
    c.replayed.push_back(x->seq);
    write(self, c, sse::game_event_message(*x));
  }
  for (auto& [seq, text] : replay.held)
    if (!already_replayed(c, seq))
      write(self, c, *text);
}

void open_stream(self_pointer self, event_stream_request& request) {
  auto& st = self->state;
  auto addr = request.connection.address();
  auto& c = st.clients[addr];
  c.connection = std::move(request.connection);
  c.filter = std::move(request.filter);
  self->monitor(c.connection);
  c.last_sent = self->clock().now();
  write(self, c, sse::preamble);
  schedule_ping(self);
  if (!request.last_event_id)
    return;
  auto after = *request.last_event_id;
  c.replay.emplace();
  c.replay->after = after;
  c.replay->waiting = request.sources.size();
  if (request.sources.empty()) {
    finish_replay(self, c);
    return;
  }
  // Every ring answers (an actor that ended counts as an empty ring); the stream may be
  // gone by then, so each answer looks it up again.
  auto on_answer = [self, addr](std::vector<shared_bus_event>* events) {
    auto i = self->state.clients.find(addr);
    if (i == self->state.clients.end() || !i->second.replay)
      return;
    auto& replay = *i->second.replay;
    if (events != nullptr)
      replay.found.insert(replay.found.end(), events->begin(), events->end());
    if (--replay.waiting == 0)
      finish_replay(self, i->second);
    flush_soon(self);
  };
  for (auto& source : request.sources)
    self->request(source, caf::infinite, atom::events::value, atom::replay::value, after)
        .then([on_answer](std::vector<shared_bus_event>& events) { on_answer(&events); },
              [on_answer](caf::error&) { on_answer(nullptr); });
}

} // namespace

event_streams_actor::behavior_type event_streams(self_pointer self, event_streams_options options) {
  self->state.options = std::move(options);
  if (auto& bus = self->state.options.bus)
    self->request(bus, caf::infinite, atom::subscribe::value,
                  caf::actor_cast<event_subscriber_actor>(self))
        .then([](atom::ok) {});
  self->set_down_handler([self](caf::down_msg& msg) {
    self->state.clients.erase(msg.source);
    flush_soon(self);
  });
  return {
      [self](atom::publish, const shared_bus_event& x) {
        shared_text text;
        for (auto& [addr, c] : self->state.clients) {
          if (!c.filter.passes(x->integration_id, x->event.event_type))
            continue;
          if (!text)
            text = std::make_shared<const std::string>(sse::game_event_message(*x));
          deliver(self, c, x->seq, text);
        }
        flush_soon(self);
      },
      [self](atom::publish, const bus_status& x) {
        auto& known = self->state.connected[x.integration_id];
        if (known == x.activity.connected)
          return;
        known = x.activity.connected;
        shared_text text;
        for (auto& [addr, c] : self->state.clients) {
          if (!c.filter.passes_status(x.integration_id))
            continue;
          if (!text)
            text = std::make_shared<const std::string>(
                sse::status_message(x.integration_id, x.activity.connected));
          deliver(self, c, 0, text);
        }
        flush_soon(self);
      },
      [self](atom::upsert, const integration&) { flush_soon(self); },
      [self](atom::erase, const std::string& id) {
        self->state.connected.erase(id);
        flush_soon(self);
      },
      [self](atom::open, event_stream_request& request) {
        open_stream(self, request);
        flush_soon(self);
      },
      [self](atom::ping) {
        ping(self);
        flush_soon(self);
      },
      [self](atom::flush) {
        self->state.flush_pending = false;
        flush(self);
      },
  };
}

event_streams_actor::behavior_type event_streams_io(event_streams_io_actor* self,
                                                    event_streams_options options) {
  return event_streams(self, std::move(options));
}

} // namespace gamelight::http
