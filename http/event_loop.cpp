#include "http/event_loop.hpp"

#include "http/acceptor.hpp"

#include <caf/actor_cast.hpp>
#include <caf/io/network/multiplexer.hpp>
#include <caf/send.hpp>

namespace gamelight::http {

void send_settled_next_round(caf::io::abstract_broker* self) {
  // Weak: a broker that ended meanwhile gets nothing.
  self->backend().post([addr = self->address()] {
    if (auto hdl = caf::actor_cast<caf::actor>(addr))
      caf::anon_send(hdl, atom::settled::value);
  });
}

} // namespace gamelight::http
