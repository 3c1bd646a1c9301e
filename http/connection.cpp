#include "http/connection.hpp"

#include "common/log.hpp"
#include "common/security.hpp"
#include "http/acceptor.hpp"
#include "http/event_loop.hpp"

#include <caf/io/receive_policy.hpp>
#include <caf/io/system_messages.hpp>
#include <caf/send.hpp>

#include <algorithm>
#include <cerrno>
#include <exception>
#include <sys/socket.h>

namespace gamelight::http {

namespace {

using clock_type = std::chrono::steady_clock;
namespace limits = connection_limits;

std::string join(const std::vector<std::string>& xs) {
  std::string result;
  for (auto& x : xs) {
    if (!result.empty())
      result += ", ";
    result += x;
  }
  return result;
}

/// Returns whether a request presents the key: `Authorization: Bearer` or `X-API-Key`.
bool presents_key(const request& req, const std::string& key) {
  constexpr std::string_view bearer = "Bearer ";
  if (auto authorization = req.header("Authorization"); authorization != nullptr) {
    std::string_view text = *authorization;
    if (text.size() > bearer.size() && text.substr(0, bearer.size()) == bearer
        && constant_time_equal(text.substr(bearer.size()), key))
      return true;
  }
  if (auto header = req.header("X-API-Key"); header != nullptr && constant_time_equal(*header, key))
    return true;
  return false;
}

/// A handler that answers with a fixed problem.
handler_fn refuse_with(problem p) {
  return [p = std::move(p)](const context&, exchange& x) {
    x.respond(problem_response(p));
  };
}

/// The answer to a body over its route's limit: 413, or 404 for an unknown
/// integration (api.md's order); a known integration counts it as rejected.
handler_fn refuse_too_large(const endpoint& route) {
  auto limit = route.body_limit;
  if (!route.is_ingestion)
    return refuse_with(problems::too_large(limit));
  return [limit](const context& ctx, exchange& x) {
    ask(
        x, ctx.actors.registry,
        [respond = x.respond, limit](bool known) {
          respond(problem_response(known ? problems::too_large(limit)
                                         : problems::not_found("Game integration not found")));
        },
        atom::rejected::value, x.params[0]);
  };
}

problem header_problem(std::string detail) {
  problem p;
  p.status = 431;
  p.detail = std::move(detail);
  return p;
}

bool has_body(const head_info& info) {
  return info.chunked || info.content_length > 0;
}

/// Counts something at the acceptor (anonymously: see acceptor.cpp).
template <class Atom>
void tell_acceptor(const connection_state& st, Atom what) {
  if (auto acceptor = caf::actor_cast<caf::actor>(st.acceptor))
    caf::anon_send(acceptor, what);
}

// -- answers ------------------------------------------------------------------

void arm_timer(connection_broker self);
void pump(connection_broker self);
void update_reading(connection_broker self);

/// Ends the broker and closes the socket, unless a reading change is not applied yet
/// (see `update_reading`): then the close waits for `settled`.
void end_connection(connection_broker self) {
  auto& st = self->state;
  st.closed = true;
  if (st.reading_change_pending) {
    st.close_deferred = true;
    return;
  }
  self->close(st.hdl);
  self->quit();
}

/// Resets the connection and ends the broker: what CAF still holds is dropped (its
/// next write fails at once, so it lets go of the socket and its buffers).
void abort_now(connection_broker self) {
  auto& st = self->state;
  if (st.closed)
    return;
  linger no_linger{1, 0};
  ::setsockopt(st.fd, SOL_SOCKET, SO_LINGER, &no_linger, sizeof no_linger);
  ::shutdown(st.fd, SHUT_RDWR);
  end_connection(self);
}

/// Closes the socket once what was written went out, and ends the broker. While CAF
/// holds answer bytes the connection waits for them in `flushing` (CAF would otherwise
/// keep them, and the socket, for as long as the peer neither reads nor resets).
void close_now(connection_broker self) {
  auto& st = self->state;
  if (st.closed)
    return;
  if (st.caf_holds_output) {
    if (st.stage != connection_state::phase::flushing) {
      // Answers still to come are not written any more.
      st.queue.clear();
      st.stage = connection_state::phase::flushing;
      st.write_progress = clock_type::now();
      update_reading(self);
      arm_timer(self);
    }
    return;
  }
  end_connection(self);
}

/// Sends bytes in order: straight to the socket while CAF holds none of this
/// connection's (one `send`, instead of a write buffer, an EPOLLOUT round through the
/// multiplexer and two `epoll_ctl`), and what the kernel does not take through CAF's
/// write buffer, with acknowledgements so `unsent` stays exact.
void send_bytes(connection_broker self, const char* data, std::size_t size) {
  auto& st = self->state;
  if (st.closed || size == 0)
    return;
  if (!st.caf_holds_output) {
    auto n = ::send(st.fd, data, size, MSG_NOSIGNAL | MSG_DONTWAIT);
    if (n < 0) {
      if (errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR) {
        // The peer is gone; nothing more can be written.
        abort_now(self);
        return;
      }
      n = 0;
    }
    auto sent = static_cast<std::size_t>(n);
    if (sent == size)
      return;
    data += sent;
    size -= sent;
    st.caf_holds_output = true;
    st.write_progress = clock_type::now();
    self->ack_writes(st.hdl, true);
  }
  self->write(st.hdl, size, data);
  self->flush(st.hdl);
  st.unsent += size;
}

/// CAF wrote some of what it held.
void on_transferred(connection_broker self, std::size_t remaining) {
  auto& st = self->state;
  st.unsent = remaining;
  st.write_progress = clock_type::now();
  if (remaining == 0 && st.caf_holds_output) {
    st.caf_holds_output = false;
    self->ack_writes(st.hdl, false);
  }
  if (st.stage == connection_state::phase::flushing) {
    if (!st.caf_holds_output)
      close_now(self);
  } else if (st.stage == connection_state::phase::open) {
    pump(self);
  }
}

/// Writes every answer that is next in order; closes or lingers after one that says so.
void write_ready(connection_broker self) {
  auto& st = self->state;
  bool close = false;
  bool linger = false;
  // Every answer that is ready goes out in one send.
  st.out.clear();
  while (!st.queue.empty() && st.queue.front().answer) {
    auto& next = st.queue.front();
    if (next.answer->stream) {
      // Nothing after a stream is served; what the producer sent so far follows the head.
      serialize(*next.answer, next.head_only, next.close_after, st.out);
      st.out += st.stream_backlog;
      st.stream_backlog.clear();
      st.queue.clear();
      st.stage = connection_state::phase::streaming;
      send_bytes(self, st.out.data(), st.out.size());
      if (st.stream_done)
        close_now(self);
      return;
    }
    serialize(*next.answer, next.head_only, next.close_after, st.out);
    close = next.close_after;
    linger = next.linger;
    st.queue.pop_front();
    if (close) {
      st.queue.clear();
      break;
    }
  }
  send_bytes(self, st.out.data(), st.out.size());
  if (!close || st.closed)
    return;
  if (!linger) {
    close_now(self);
    return;
  }
  st.stage = connection_state::phase::lingering;
  st.linger_until = clock_type::now() + limits::linger_time;
  arm_timer(self);
}

/// Puts an answer in its place; answers that are next go out at once.
void complete(connection_broker self, std::uint64_t seq, response answer) {
  auto& st = self->state;
  if (st.closed || st.queue.empty() || seq < st.queue.front().seq)
    return;
  auto index = seq - st.queue.front().seq;
  if (index >= st.queue.size() || st.queue[index].answer)
    return;
  st.queue[index].answer = std::move(answer);
  if (index == 0) {
    write_ready(self);
    pump(self);
  }
}

/// Queues a request's place and runs its handler.
void dispatch(connection_broker self, const handler_fn& handle, request req, path_params params,
              bool close_after, bool linger) {
  auto& st = self->state;
  auto seq = st.next_seq++;
  close_after = close_after || !req.keep_alive;
  st.queue.push_back(pending_answer{seq, std::nullopt, req.method == "HEAD", close_after, linger,
                                    clock_type::now()});
  if (close_after)
    st.stage = connection_state::phase::closing;
  exchange x{std::move(req), std::move(params), self, &st.acceptor, [self, seq](response answer) {
               complete(self, seq, std::move(answer));
             }};
  try {
    handle(*st.ctx, x);
  } catch (const std::exception& e) {
    auto id = random_hex(16);
    log::error("http request ", id, " (", x.req.method, " ", x.req.path, ") failed: ", e.what());
    x.respond(problem_response(problems::internal(id)));
  }
}

/// Disconnects a stream's reader that let too much pile up unsent.
bool drop_if_slow(connection_broker self) {
  auto& st = self->state;
  if (st.unsent + st.stream_backlog.size() <= limits::max_stream_unsent)
    return false;
  tell_acceptor(st, atom::slow::value);
  abort_now(self);
  return true;
}

/// Writes (or, before the head is out, keeps) a chunk of a streaming response.
void on_chunk(connection_broker self, const std::string& data) {
  auto& st = self->state;
  if (st.closed)
    return;
  if (st.stage != connection_state::phase::streaming) {
    st.stream_backlog += data;
    drop_if_slow(self);
    return;
  }
  send_bytes(self, data.data(), data.size());
  drop_if_slow(self);
}

void on_stream_done(connection_broker self) {
  auto& st = self->state;
  if (st.stage == connection_state::phase::streaming)
    close_now(self);
  else
    st.stream_done = true;
}

// -- reading ------------------------------------------------------------------

/// Decides what to do with a request from its head alone.
head_decision decide(connection_broker self, const head_info& info) {
  auto& st = self->state;
  auto& ctx = *st.ctx;
  auto& head = info.head;
  auto& verdict = st.current;
  verdict = connection_state::verdict{};
  // An answer decided before the body, that closes the connection: its body is not
  // read (drained for a while unless the client waits for 100-continue).
  auto refuse_and_close = [&](handler_fn handle) {
    verdict.refusal = std::move(handle);
    verdict.close_after = true;
    verdict.linger = !info.expects_continue;
    return head_decision{0, false, true};
  };
  // An answer decided before the body: a small body is read and dropped to keep the
  // connection in step; a large one, or one the client waits to send, is not read.
  auto refuse = [&](handler_fn handle) {
    if (!has_body(info)) {
      verdict.refusal = std::move(handle);
      return head_decision{};
    }
    if (info.expects_continue
        || (!info.chunked && info.content_length > limits::max_discarded_body))
      return refuse_and_close(std::move(handle));
    verdict.refusal = std::move(handle);
    return head_decision{limits::max_discarded_body, true, false};
  };
  auto found = ctx.routes.lookup(head.method, head.path);
  if (found.found == nullptr) {
    if (found.allowed.empty())
      return refuse(refuse_with(problems::not_found("Not Found")));
    auto p = problems::method_not_allowed();
    p.headers.emplace_back("Allow", join(found.allowed));
    return refuse(refuse_with(std::move(p)));
  }
  auto& route = found.found->handler;
  verdict.route = &route;
  verdict.params = std::move(found.params);
  if (route.needs_key && !ctx.options.api_key.empty() && !presents_key(head, ctx.options.api_key)) {
    bool sent = head.header("Authorization") != nullptr || head.header("X-API-Key") != nullptr;
    return refuse(
        refuse_with(problems::unauthorized(sent ? "Invalid API key" : "Not authenticated", true)));
  }
  if (auto type = head.header("Content-Type");
      type != nullptr && type->find("multipart/form-data") != std::string::npos) {
    problem p;
    p.status = 415;
    p.detail = "multipart bodies are not accepted; send JSON";
    return refuse_and_close(refuse_with(std::move(p)));
  }
  if (!info.chunked && info.content_length > route.body_limit)
    return refuse_and_close(refuse_too_large(route));
  verdict.route_handle = &route.handle;
  if (info.expects_continue && has_body(info) && st.queue.empty()) {
    constexpr std::string_view go_on = "HTTP/1.1 100 Continue\r\n\r\n";
    send_bytes(self, go_on.data(), go_on.size());
  }
  return head_decision{route.body_limit, false, false};
}

bool can_parse(const connection_state& st) {
  return !st.closed && st.stage == connection_state::phase::open
         && st.queue.size() < limits::max_in_flight && st.unsent < limits::max_unsent;
}

/// Reads from the socket only while requests can be parsed (or input is drained).
///
/// CAF 0.17.6 applies `halt` and `trigger` at the end of an event loop round and squashes
/// the two when both come in one round: a `trigger` after a `halt` whose removal is still
/// pending is ignored (the stream still holds its reader), so reading stays off for good;
/// after a `trigger` then a `halt` the stream keeps a reference to the connection's socket
/// servant that nothing releases (the servant and its buffers then outlive the
/// connection: the leak LeakSanitizer reported). So one change is in flight at a time:
/// the next, or a close, waits for `settled`, which comes in a later round (see
/// event_loop.hpp).
void update_reading(connection_broker self) {
  auto& st = self->state;
  if (st.closed || st.reading_change_pending)
    return;
  bool want = st.stage == connection_state::phase::open
                  ? can_parse(st) && st.held_input.empty()
                  : st.stage != connection_state::phase::flushing;
  if (want == st.reading)
    return;
  if (want)
    self->trigger(st.hdl);
  else
    self->halt(st.hdl);
  st.reading = want;
  st.reading_change_pending = true;
  send_settled_next_round(self);
}

/// The last reading change has been applied: the next may go, or a deferred close.
void on_settled(connection_broker self) {
  auto& st = self->state;
  st.reading_change_pending = false;
  if (st.close_deferred) {
    st.close_deferred = false;
    self->close(st.hdl);
    self->quit();
    return;
  }
  update_reading(self);
}

/// Parses as many requests as the bounds allow; keeps the rest in `held_input`.
void parse(connection_broker self, const char* data, std::size_t size) {
  auto& st = self->state;
  auto now = clock_type::now();
  while (size > 0 && st.stage == connection_state::phase::open) {
    if (!can_parse(st)) {
      st.held_input.append(data, size);
      return;
    }
    if (!st.parser->in_progress())
      st.request_started = now;
    auto [status, consumed] = st.parser->feed(data, size);
    data += consumed;
    size -= consumed;
    auto take = [&] {
      auto req = st.parser->take();
      req.local_port = st.ctx->port;
      req.received = now;
      return req;
    };
    auto refuse_head = [&](handler_fn handle, bool linger) {
      dispatch(self, handle, take(), {}, true, linger);
    };
    switch (status) {
      case parse_status::need_more:
        return;
      case parse_status::complete: {
        auto verdict = std::move(st.current);
        dispatch(self, verdict.handler(), take(), std::move(verdict.params), verdict.close_after,
                 verdict.linger);
        break;
      }
      case parse_status::stopped: {
        auto verdict = std::move(st.current);
        dispatch(self, verdict.handler(), take(), std::move(verdict.params), true, verdict.linger);
        return;
      }
      case parse_status::body_too_large: {
        auto verdict = std::move(st.current);
        // A body that was to be dropped keeps the answer decided from its head.
        auto handle
            = st.parser->body_discarded() ? verdict.handler() : refuse_too_large(*verdict.route);
        dispatch(self, handle, take(), std::move(verdict.params), true, true);
        return;
      }
      case parse_status::too_many_headers:
        refuse_head(
            refuse_with(header_problem("too many request headers (limit "
                                       + std::to_string(request_parser::max_headers) + ")")),
            true);
        return;
      case parse_status::line_too_long:
        refuse_head(
            refuse_with(header_problem("request line or header line longer than "
                                       + std::to_string(request_parser::max_line) + " bytes")),
            true);
        return;
      case parse_status::malformed:
        refuse_head(refuse_with(problems::bad_request("malformed HTTP request")), true);
        return;
    }
  }
}

/// Parses held input once the bounds allow it again, and resumes reading.
void pump(connection_broker self) {
  auto& st = self->state;
  if (!st.held_input.empty() && can_parse(st)) {
    std::string input;
    input.swap(st.held_input);
    parse(self, input.data(), input.size());
  }
  update_reading(self);
}

void on_data(connection_broker self, const std::vector<char>& buf) {
  auto& st = self->state;
  st.last_activity = clock_type::now();
  if (st.stage != connection_state::phase::open) {
    st.lingered_bytes += buf.size();
    if (st.lingered_bytes > limits::max_lingering_bytes)
      close_now(self);
    return;
  }
  if (!st.held_input.empty() || !can_parse(st))
    st.held_input.append(buf.data(), buf.size());
  else
    parse(self, buf.data(), buf.size());
  update_reading(self);
  arm_timer(self);
}

// -- time ---------------------------------------------------------------------

/// Returns the next moment something may be due, if anything is watched.
std::optional<clock_type::time_point> next_due(const connection_state& st) {
  auto& opts = st.ctx->options;
  std::optional<clock_type::time_point> due;
  auto consider = [&due](clock_type::time_point t) {
    if (!due || t < *due)
      due = t;
  };
  switch (st.stage) {
    case connection_state::phase::lingering:
      consider(st.linger_until);
      break;
    case connection_state::phase::streaming:
      break;
    case connection_state::phase::flushing:
      consider(st.write_progress + limits::max_write_stall);
      break;
    case connection_state::phase::open:
      if (st.parser->in_progress())
        consider(st.request_started + opts.read_timeout);
      else if (st.queue.empty())
        consider(st.last_activity + opts.keep_alive_timeout);
      [[fallthrough]];
    case connection_state::phase::closing:
      for (auto& p : st.queue)
        if (!p.answer) {
          consider(p.asked + opts.actor_timeout);
          break;
        }
      break;
  }
  return due;
}

void arm_timer(connection_broker self) {
  auto& st = self->state;
  if (st.timer_armed || st.closed)
    return;
  auto due = next_due(st);
  if (!due)
    return;
  auto delay
      = std::max(*due - clock_type::now(), clock_type::duration{std::chrono::milliseconds{1}});
  st.timer_armed = true;
  // Anonymous: a message the broker sends itself would name it as the sender, and one
  // that arrives after the broker ended would then keep it alive forever (the sender
  // reference sits in its own mailbox). Without a sender, nothing is left behind.
  caf::delayed_anon_send(caf::actor_cast<caf::actor>(self), delay, atom::tick::value);
}

/// Enforces every deadline that passed, then watches the next one.
void tick(connection_broker self) {
  auto& st = self->state;
  st.timer_armed = false;
  auto now = clock_type::now();
  auto& opts = st.ctx->options;
  if (st.stage == connection_state::phase::flushing) {
    // The reader took nothing for `max_write_stall`: cut it off.
    if (now >= st.write_progress + limits::max_write_stall) {
      abort_now(self);
      return;
    }
    arm_timer(self);
    return;
  }
  if (st.stage == connection_state::phase::lingering) {
    if (now >= st.linger_until) {
      close_now(self);
      return;
    }
  } else if (st.stage == connection_state::phase::open) {
    if (st.parser->in_progress() && now >= st.request_started + opts.read_timeout) {
      tell_acceptor(st, atom::dropped::value);
      close_now(self);
      return;
    }
    if (!st.parser->in_progress() && st.queue.empty()
        && now >= st.last_activity + opts.keep_alive_timeout) {
      close_now(self);
      return;
    }
  }
  // Requests whose actor did not answer in time get their 503 now.
  for (auto& p : st.queue)
    if (!p.answer && now >= p.asked + opts.actor_timeout)
      p.answer = no_answer();
  write_ready(self);
  if (st.closed)
    return;
  pump(self);
  arm_timer(self);
}

} // namespace

caf::behavior connection(connection_broker self, caf::io::connection_handle hdl,
                         std::shared_ptr<const context> ctx, caf::actor_addr acceptor) {
  auto& st = self->state;
  st.ctx = std::move(ctx);
  st.acceptor = std::move(acceptor);
  st.hdl = hdl;
  st.fd = static_cast<int>(hdl.id());
  st.last_activity = clock_type::now();
  st.parser = std::make_unique<request_parser>(
      [self](const head_info& info) { return decide(self, info); });
  self->configure_read(hdl, caf::io::receive_policy::at_most(limits::read_size));
  arm_timer(self);
  // The acceptor's stop (or any exit request) closes the socket in a later round than
  // this one (CAF's default handler would close it at once): the exit can come in the
  // connection's first run, the round that started its reading, and a start and a
  // close in one round leak the socket (see update_reading). Only on exit, so a
  // connection's start costs no extra message.
  self->set_exit_handler([self](caf::exit_msg&) {
    auto& st = self->state;
    if (st.closed)
      return;
    if (!st.reading_change_pending) {
      st.reading_change_pending = true;
      send_settled_next_round(self);
    }
    end_connection(self);
  });
  return {
      [self](const caf::io::new_data_msg& msg) { on_data(self, msg.buf); },
      [self](const caf::io::data_transferred_msg& msg) { on_transferred(self, msg.remaining); },
      [self](atom::chunk, const std::string& data) { on_chunk(self, data); },
      [self](atom::chunk, const std::shared_ptr<const std::string>& data) {
        on_chunk(self, *data);
      },
      [self](atom::done) { on_stream_done(self); },
      [self](const caf::io::connection_closed_msg&) {
        self->state.closed = true;
        self->quit();
      },
      [](const caf::io::connection_passivated_msg&) {},
      [self](atom::tick) { tick(self); },
      [self](atom::settled) { on_settled(self); },
  };
}

} // namespace gamelight::http
