#include "http/event_streams.hpp"

#include "http/routes.hpp"

#include <caf/event_based_actor.hpp>
#include <caf/send.hpp>

#include <algorithm>

namespace gamelight::http {

namespace {

using self_pointer = event_streams_actor::stateful_pointer<event_streams_state>;
using client = event_stream_client;
using time_point = caf::actor_clock::time_point;

/// How often text is handed out: `batch_interval`, or longer with so many streams that
/// the writes would exceed `writes_per_second`.
caf::timespan batch_interval(const event_streams_state& st) {
  auto spread
      = caf::timespan{std::chrono::seconds{1}} * static_cast<caf::timespan::rep>(st.clients.size())
        / static_cast<caf::timespan::rep>(std::max<std::size_t>(1, st.options.writes_per_second));
  return std::max(st.options.batch_interval, spread);
}

/// Moves the batch out of `pending`, which keeps room for one as large: the next batch
/// is likely as large, so one allocation, not a growth by doubling.
std::string take_batch(std::string& pending) {
  std::string batch;
  batch.reserve(pending.size());
  batch.swap(pending);
  return batch;
}

/// Hands a stream's own pending text to its connection, which counts as the stream
/// sending something at `now` (see the pings). (Anonymous: the connection never answers,
/// and a typed actor may not name itself to an untyped one.)
void send_own(client& c, time_point now) {
  if (c.pending.empty())
    return;
  caf::anon_send(c.connection, atom::chunk::value, take_batch(c.pending));
  c.last_sent = now;
}

/// Hands a group's pending text to every member that shares it: one text, one message
/// per member, the same bytes for each connection to write.
void hand_out(self_pointer self, stream_group& g, time_point now) {
  if (g.pending.empty())
    return;
  auto text = std::make_shared<const std::string>(take_batch(g.pending));
  for (auto& [addr, c] : self->state.clients)
    if (c.group == &g && c.shares) {
      caf::anon_send(c.connection, atom::chunk::value, text);
      c.last_sent = now;
    }
}

/// Queues text of a stream's own.
void write_own(self_pointer self, client& c, std::string_view text) {
  c.pending += text;
  if (c.pending.size() >= max_batch_bytes)
    send_own(c, self->clock().now());
  else
    self->state.dirty = true;
}

/// Queues a live message for the members of a group that share its text.
void write_group(self_pointer self, stream_group& g, std::string_view text) {
  g.pending += text;
  if (g.pending.size() >= max_batch_bytes)
    hand_out(self, g, self->clock().now());
  else
    self->state.dirty = true;
}

/// Whether a stream that writes its own text may join its group's.
bool may_share(const client& c) {
  return !c.shares && !c.replay && c.replayed.empty();
}

/// Hands every group's and every stream's pending text to the connections now; streams
/// that may share join their group from here on.
void flush(self_pointer self) {
  auto& st = self->state;
  auto now = self->clock().now();
  for (auto& g : st.groups)
    hand_out(self, g, now);
  for (auto& [addr, c] : st.clients) {
    send_own(c, now);
    if (may_share(c)) {
      c.shares = true;
      ++c.group->sharing;
      --st.solo;
    }
  }
  st.dirty = false;
  st.last_flush = now;
}

/// Flushes now when the last flush is a batch interval old, else once it is.
void flush_soon(self_pointer self) {
  auto& st = self->state;
  if (!st.dirty || st.flush_pending)
    return;
  auto now = self->clock().now();
  auto interval = batch_interval(st);
  if (!st.last_flush || now >= *st.last_flush + interval) {
    flush(self);
    return;
  }
  st.flush_pending = true;
  caf::delayed_anon_send(caf::actor_cast<caf::actor>(self), *st.last_flush + interval - now,
                         atom::flush::value);
}

/// Returns whether the replay already wrote the game event `x` (null for a status), and
/// forgets the entries of its integration that can no longer come live.
bool already_replayed(client& c, const bus_event* x) {
  if (x == nullptr || c.replayed.empty())
    return false;
  auto i = c.replayed.find(x->integration_id);
  if (i == c.replayed.end())
    return false;
  auto& seqs = i->second;
  while (!seqs.empty() && seqs.front() < x->seq)
    seqs.pop_front();
  bool found = !seqs.empty() && seqs.front() == x->seq;
  if (found)
    seqs.pop_front();
  if (seqs.empty())
    c.replayed.erase(i);
  return found;
}

/// Writes a live message to a stream that does not share its group's text, or holds it
/// back while the stream's replay is collected.
void deliver(self_pointer self, client& c, const shared_bus_event& x, const shared_text& text) {
  if (c.replay)
    c.replay->held.emplace_back(x, text);
  else if (!already_replayed(c, x.get()))
    write_own(self, c, *text);
}

/// Sends a live message (`x` null for a status) to the groups and the streams whose
/// filters it passes; its text is rendered once, when the first needs it.
template <class Passes, class Render>
void publish(self_pointer self, const shared_bus_event& x, Passes passes, Render render) {
  auto& st = self->state;
  shared_text text;
  auto rendered = [&]() -> const shared_text& {
    if (!text)
      text = std::make_shared<const std::string>(render());
    return text;
  };
  for (auto& g : st.groups)
    if (g.sharing > 0 && passes(g.filter))
      write_group(self, g, *rendered());
  if (st.solo == 0)
    return;
  for (auto& [addr, c] : st.clients)
    if (!c.shares && passes(c.group->filter))
      deliver(self, c, x, rendered());
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
  for (auto& [addr, c] : st.clients) {
    bool group_quiet = !c.shares || c.group->pending.empty();
    if (c.pending.empty() && group_quiet && now - c.last_sent >= st.options.ping_interval)
      write_own(self, c, sse::ping);
  }
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
    if (x->seq <= replay.after || !c.group->filter.passes(x->integration_id, x->event.event_type))
      continue;
    c.replayed[x->integration_id].push_back(x->seq);
    write_own(self, c, sse::game_event_message(*x));
  }
  for (auto& [x, text] : replay.held)
    if (!already_replayed(c, x.get()))
      write_own(self, c, *text);
}

/// The group of the streams with `filter`, made when it is the first.
stream_group& group_for(event_streams_state& st, sse::event_filter filter) {
  auto key = filter.normalized();
  for (auto& g : st.groups)
    if (g.filter == key)
      return g;
  auto& g = st.groups.emplace_back();
  g.filter = std::move(key);
  return g;
}

/// Forgets a stream whose connection ended, and its group once it was the last.
void close_stream(self_pointer self, const caf::actor_addr& addr) {
  auto& st = self->state;
  auto i = st.clients.find(addr);
  if (i == st.clients.end())
    return;
  auto* g = i->second.group;
  if (i->second.shares)
    --g->sharing;
  else
    --st.solo;
  st.clients.erase(i);
  if (--g->streams == 0)
    st.groups.remove_if([g](const stream_group& x) { return &x == g; });
}

void open_stream(self_pointer self, event_stream_request& request) {
  auto& st = self->state;
  auto addr = request.connection.address();
  if (st.clients.count(addr) != 0)
    return;
  auto& c = st.clients[addr];
  c.connection = std::move(request.connection);
  c.group = &group_for(st, std::move(request.filter));
  ++c.group->streams;
  ++st.solo;
  self->monitor(c.connection);
  c.last_sent = self->clock().now();
  write_own(self, c, sse::preamble);
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
    close_stream(self, msg.source);
    flush_soon(self);
  });
  return {
      [self](atom::publish, const shared_bus_event& x) {
        publish(
            self, x,
            [&x](const sse::event_filter& f) {
              return f.passes(x->integration_id, x->event.event_type);
            },
            [&x] { return sse::game_event_message(*x); });
        flush_soon(self);
      },
      [self](atom::publish, const bus_status& x) {
        auto& known = self->state.connected[x.integration_id];
        if (known == x.activity.connected)
          return;
        known = x.activity.connected;
        publish(
            self, nullptr,
            [&x](const sse::event_filter& f) { return f.passes_status(x.integration_id); },
            [&x] { return sse::status_message(x.integration_id, x.activity.connected); });
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
