#include "http/acceptor.hpp"
#include "http/frame_stream.hpp"
#include "http/routes.hpp"
#include "http/sse.hpp"

#include <caf/actor_system.hpp>
#include <caf/exit_reason.hpp>
#include <caf/send.hpp>

namespace gamelight::http {

namespace {

/// The head of every live stream.
response stream_head() {
  response head;
  head.stream = true;
  head.content_type = "text/event-stream";
  head.set_header("Cache-Control", "no-cache");
  return head;
}

/// The 503 beyond `max-streams` (with `Retry-After`, as every 503).
response too_many_streams() {
  return problem_response(problems::unavailable("too many streams open; retry later"));
}

/// Takes one of the `max-streams` slots for this connection, then calls `start` (or
/// answers 503 when none is free). The slot is released when the connection ends.
template <class Start>
void with_stream_slot(caf::io::broker* self, const caf::actor& acceptor, const responder& respond,
                      Start start) {
  self->request(acceptor, caf::infinite, atom::stream::value)
      .then(
          [respond, start = std::move(start)](bool granted) mutable {
            if (granted)
              start();
            else
              respond(too_many_streams());
          },
          [respond](caf::error&) { respond(no_answer()); });
}

void event_stream(const context& ctx, exchange& x) {
  if (!ctx.event_streams) {
    x.respond(no_answer());
    return;
  }
  auto filter = sse::filter_of(x.req);
  auto last_id = sse::last_event_id(x.req);
  ask(
      x, ctx.actors.registry,
      [&ctx, respond = x.respond, self = x.self,
       acceptor = caf::actor_cast<caf::actor>(*x.acceptor), filter,
       last_id](outcome<std::vector<integration_actor>>& sources) mutable {
        if (!sources) {
          respond(problem_response(sources.error()));
          return;
        }
        with_stream_slot(self, acceptor, respond,
                         [&ctx, respond, self, filter = std::move(filter), last_id,
                          sources = std::move(*sources)]() mutable {
                           respond(stream_head());
                           event_stream_request request{caf::actor_cast<caf::actor>(self),
                                                        std::move(filter), last_id,
                                                        std::move(sources)};
                           self->send(ctx.event_streams, atom::open::value, std::move(request));
                         });
      },
      atom::lookup::value, atom::integ::value, filter.integration_ids);
}

void frame_stream_route(const context& ctx, exchange& x) {
  auto fps = query_int(x, "fps", 1, 30, 15);
  if (!fps)
    return;
  ask(
      x, ctx.actors.registry,
      [respond = x.respond, self = x.self, acceptor = caf::actor_cast<caf::actor>(*x.acceptor),
       fps = static_cast<std::uint32_t>(*fps)](outcome<device_actor>& source) {
        if (!source) {
          respond(problem_response(source.error()));
          return;
        }
        with_stream_slot(self, acceptor, respond,
                         [respond, self, fps, source = std::move(*source)] {
                           respond(stream_head());
                           auto producer = self->system().spawn(
                               frame_stream, caf::actor_cast<caf::actor>(self), source, fps);
                           // The connection owns its producer (the device holds it only while the
                           // device lives, and an actor nobody holds is killed), and it ends with
                           // the connection.
                           self->attach_functor([producer](const caf::error&) {
                             caf::anon_send_exit(producer, caf::exit_reason::user_shutdown);
                           });
                         });
      },
      atom::lookup::value, atom::dev::value, x.params[0]);
}

} // namespace

void add_stream_routes(route_table& routes, const server_options&) {
  routes.add("GET", "/api/v1/events/stream", endpoint{event_stream});
  routes.add("GET", "/api/v1/devices/{id}/frames/stream", endpoint{frame_stream_route});
}

} // namespace gamelight::http
