#include "http/acceptor.hpp"

#include "common/log.hpp"
#include "http/connection.hpp"

#include <caf/exit_reason.hpp>
#include <caf/io/system_messages.hpp>

namespace gamelight::http {

namespace {

using self_pointer = caf::io::stateful_broker<acceptor_state>*;

void accept(self_pointer self, caf::io::connection_handle hdl) {
  auto& st = self->state;
  if (st.connections.size() >= st.ctx->options.max_connections) {
    // Accepted and closed at once: a client learns now, not after a backlog timeout.
    ++st.figures.refused;
    self->close(hdl);
    return;
  }
  ++st.figures.accepted;
  auto child = self->fork(connection, hdl, st.ctx, caf::actor_cast<caf::actor>(self));
  self->monitor(child);
  st.connections.insert(child.address());
}

} // namespace

caf::behavior acceptor(self_pointer self, std::shared_ptr<const context> ctx,
                       caf::io::doorman_ptr doorman) {
  self->state.ctx = std::move(ctx);
  self->add_doorman(std::move(doorman));
  // Stopping the server ends every connection with it.
  self->set_exit_handler([self](caf::exit_msg& msg) {
    for (auto& addr : self->state.connections)
      if (auto child = caf::actor_cast<caf::actor>(addr))
        self->send_exit(child, msg.reason);
    self->state.connections.clear();
    self->quit(msg.reason);
  });
  self->set_down_handler([self](caf::down_msg& msg) { self->state.connections.erase(msg.source); });
  return {
      [self](const caf::io::new_connection_msg& msg) { accept(self, msg.handle); },
      [self](atom::dropped) { ++self->state.figures.deadline_drops; },
      [self](atom::slow) { ++self->state.figures.slow_stream_drops; },
      [self](atom::metrics) {
        auto figures = self->state.figures;
        figures.open = self->state.connections.size();
        return figures;
      },
      [self](const caf::io::acceptor_closed_msg&) {
        log::error("http acceptor lost its listening socket");
        self->quit();
      },
  };
}

} // namespace gamelight::http
