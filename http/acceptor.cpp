#include "http/acceptor.hpp"

#include "common/log.hpp"
#include "http/connection.hpp"
#include "http/event_loop.hpp"

#include <caf/exit_reason.hpp>
#include <caf/io/system_messages.hpp>
#include <caf/send.hpp>

namespace gamelight::http {

namespace {

using self_pointer = caf::io::stateful_broker<acceptor_state>*;

void accept(self_pointer self, caf::io::connection_handle hdl) {
  auto& st = self->state;
  if (st.stopping) {
    self->close(hdl);
    return;
  }
  if (st.connections.size() >= st.ctx->options.max_connections) {
    // Accepted and closed at once: a client learns now, not after a backlog timeout.
    ++st.figures.refused;
    self->close(hdl);
    return;
  }
  ++st.figures.accepted;
  auto child = self->fork(connection, hdl, st.ctx, self->address());
  self->monitor(child);
  st.connections.insert(child.address());
}

/// Closes the listening socket and ends every connection; the acceptor quits once the
/// last one is down. Exits go out anonymously: one naming the acceptor could sit in the
/// mailbox of a connection that just ended and keep both alive.
void stop(self_pointer self) {
  auto& st = self->state;
  self->close_all();
  for (auto& addr : st.connections)
    if (auto child = caf::actor_cast<caf::actor>(addr))
      child->enqueue(nullptr, caf::make_message_id(),
                     caf::make_message(caf::exit_msg{child->address(), *st.stopping}), nullptr);
  if (st.connections.empty())
    self->quit(*st.stopping);
}

} // namespace

caf::behavior acceptor(self_pointer self, std::shared_ptr<const context> ctx,
                       caf::io::doorman_ptr doorman) {
  self->state.ctx = std::move(ctx);
  self->add_doorman(std::move(doorman));
  send_settled_next_round(self);
  // Stopping the server ends every connection with it; the acceptor ends last, so a
  // caller that waits for it knows no broker of the front end is left. A stop that
  // comes before the doorman's start was applied waits for it (see event_loop.hpp).
  self->set_exit_handler([self](caf::exit_msg& msg) {
    auto& st = self->state;
    if (st.stopping)
      return;
    st.stopping = msg.reason;
    if (st.started)
      stop(self);
  });
  self->set_down_handler([self](caf::down_msg& msg) {
    auto& st = self->state;
    st.connections.erase(msg.source);
    if (st.streams.erase(msg.source) != 0)
      ++st.figures.streams_ended;
    if (st.stopping && st.connections.empty())
      self->quit(*st.stopping);
  });
  return {
      [self](atom::settled) {
        auto& st = self->state;
        st.started = true;
        if (st.stopping)
          stop(self);
      },
      [self](const caf::io::new_connection_msg& msg) { accept(self, msg.handle); },
      [self](atom::dropped) { ++self->state.figures.deadline_drops; },
      [self](atom::slow) { ++self->state.figures.slow_stream_drops; },
      [self](atom::stream) {
        // The slot is the asking connection's until it ends.
        auto& st = self->state;
        auto sender = caf::actor_cast<caf::actor_addr>(self->current_sender());
        if (st.streams.size() >= st.ctx->options.max_streams || !st.connections.count(sender)) {
          ++st.figures.streams_refused;
          return false;
        }
        st.streams.insert(sender);
        return true;
      },
      [self](atom::metrics) {
        auto figures = self->state.figures;
        figures.open = self->state.connections.size();
        figures.streams = self->state.streams.size();
        return figures;
      },
      [self](const caf::io::acceptor_closed_msg&) {
        log::error("http acceptor lost its listening socket");
        self->quit();
      },
  };
}

} // namespace gamelight::http
