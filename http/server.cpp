#include "http/server.hpp"

#include "common/log.hpp"
#include "common/security.hpp"
#include "http/bridge.hpp"
#include "http/routes.hpp"
#include "http/worker_pool.hpp"
#include "validation/validation.hpp"

#include <httplib.h>

#include <charconv>
#include <exception>
#include <optional>
#include <sys/socket.h>
#include <thread>

namespace gamelight::http {

namespace {

/// Listen backlog; httplib's default of 5 overflows under a LAN party's load.
constexpr int listen_backlog = 1024;

/// How long a worker beyond the ready ones waits for a new connection before it ends.
constexpr std::chrono::seconds idle_worker_timeout{30};

/// Most request headers accepted (api.md); more is 431.
constexpr std::size_t max_request_headers = 100;

/// Entries httplib adds to every request's headers itself.
constexpr std::size_t added_headers = 4; // LOCAL_ADDR, LOCAL_PORT, REMOTE_ADDR, REMOTE_PORT

/// Returns the Content-Length a request announces, or nullopt without a valid one.
std::optional<std::uint64_t> announced_length(const httplib::Request& request) {
  if (!request.has_header("Content-Length"))
    return std::nullopt;
  auto text = request.get_header_value("Content-Length");
  std::uint64_t value = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc{} || end != text.data() + text.size())
    return std::nullopt;
  return value;
}

/// Bodies over a route's limit but announced at most this large are read and thrown
/// away, so a client that sends its whole body before it reads gets its 413; larger
/// ones are answered at once and the connection closed.
constexpr std::uint64_t max_drained_body = 8 * 1024 * 1024;

/// HTTP/1.1: a request has a body when it announces a length above 0 or chunked coding.
bool has_body(const httplib::Request& request) {
  return announced_length(request).value_or(0) > 0
         || request.get_header_value("Transfer-Encoding").find("chunked") != std::string::npos;
}

/// What reading a streamed body gave.
enum class body_read { complete, too_large, too_large_unread, broken };

/// Reads a body through httplib's content reader, stopping once it exceeds `limit`:
/// neither a false Content-Length nor a chunked body can make the worker buffer more.
body_read read_body(const httplib::Request& request, const httplib::ContentReader& read,
                    std::size_t limit, std::string& body) {
  auto length = announced_length(request);
  if (length && *length > limit) {
    if (*length > max_drained_body)
      return body_read::too_large_unread;
    bool drained = read([](const char*, std::size_t) { return true; });
    return drained ? body_read::too_large : body_read::too_large_unread;
  }
  if (!has_body(request))
    return body_read::complete;
  bool over = false;
  bool ok = read([&](const char* data, std::size_t size) {
    if (body.size() + size > limit) {
      over = true;
      return false;
    }
    body.append(data, size);
    return true;
  });
  if (over)
    return body_read::too_large_unread;
  return ok ? body_read::complete : body_read::broken;
}

/// What is left of a streamed request body once its answer is decided.
enum class leftover_body {
  none,    ///< read completely (or there was none)
  unread,  ///< not touched: can be read and thrown away to keep the connection usable
  unusable ///< partly read or refused unread: the connection cannot go on
};

/// Reads and throws away a body nobody needed (a 401, 404, ... answered before it),
/// so the next request on the connection starts where it should. Refuses (false) once
/// more than `max_drained_body` would have to be read.
bool discard_body(const httplib::Request& request, const httplib::ContentReader& read) {
  if (!has_body(request))
    return true;
  if (auto length = announced_length(request); length && *length > max_drained_body)
    return false;
  std::uint64_t seen = 0;
  return read([&](const char*, std::size_t size) {
    seen += size;
    return seen <= max_drained_body;
  });
}

/// Makes httplib close the connection right after this answer. httplib 0.11 keeps a
/// connection open whatever the response's `Connection` header says, and would parse
/// the rest of an unread body as the next request; it does end the connection when a
/// content provider reports failure, so the body goes out through one that does so
/// after writing all of it.
void close_after(httplib::Response& response) {
  response.set_header("Connection", "close");
  auto body = std::make_shared<const std::string>(std::move(response.body));
  response.body.clear();
  auto type = response.get_header_value("Content-Type");
  response.headers.erase("Content-Type");
  response.set_content_provider(
      body->size(), type, [body](std::size_t offset, std::size_t length, httplib::DataSink& sink) {
        sink.write(body->data() + offset, length);
        return false;
      });
}

std::string join(const std::vector<std::string>& xs) {
  std::string result;
  for (auto& x : xs) {
    if (!result.empty())
      result += ", ";
    result += x;
  }
  return result;
}

/// Returns the key a request presents: `Authorization: Bearer` or `X-API-Key`.
bool presents_key(const httplib::Request& request, const std::string& key) {
  auto authorization = request.get_header_value("Authorization");
  constexpr std::string_view bearer = "Bearer ";
  if (authorization.size() > bearer.size()
      && std::string_view{authorization}.substr(0, bearer.size()) == bearer
      && constant_time_equal(std::string_view{authorization}.substr(bearer.size()), key))
    return true;
  if (request.has_header("X-API-Key")
      && constant_time_equal(request.get_header_value("X-API-Key"), key))
    return true;
  return false;
}

/// Returns the reason phrase of the statuses httplib produces on its own.
const char* reason_phrase(int status) {
  switch (status) {
    case 400:
      return "Bad Request";
    case 408:
      return "Request Timeout";
    case 414:
      return "URI Too Long";
    case 416:
      return "Range Not Satisfiable";
    case 431:
      return "Request Header Fields Too Large";
    case 503:
      return "Service Unavailable";
    default:
      return "Internal Server Error";
  }
}

} // namespace

struct server::impl {
  context ctx;
  route_table routes;
  httplib::Server srv;
  int listen_fd = -1;

  /// Answers a body over the route's limit: 413, or 404 for an unknown integration
  /// (api.md's order); a known integration counts it as a rejected payload.
  void refuse_too_large(const lookup_result<endpoint>& found, httplib::Response& response) {
    auto& ep = found.found->handler;
    if (ep.is_ingestion) {
      auto known = ask<bool>(ctx.actors.registry, ctx.options.actor_timeout, atom::rejected::value,
                             found.params.at(0));
      if (known && !*known) {
        send_problem(response, problems::not_found("Game integration not found"));
        return;
      }
    }
    send_problem(response, problems::too_large(ep.body_limit));
  }

  /// Gives the answers httplib produces on its own (bad request line, a body over the
  /// global limit, ...) FastAPI bodies; a too-large body gets its route's answer.
  void complete_error(const httplib::Request& request, httplib::Response& response) {
    // Our own answers have a body, or a provider for it (see close_after).
    if (!response.body.empty() || response.content_provider_)
      return;
    if (response.status == 413) {
      auto found = routes.lookup(request.method, request.path);
      if (found.found != nullptr) {
        refuse_too_large(found, response);
        return;
      }
    }
    if (response.status == 404) {
      send_problem(response, problems::not_found("Not Found"));
      return;
    }
    problem p;
    p.status = response.status;
    p.detail = reason_phrase(response.status);
    send_problem(response, p);
  }

  /// Serves a request. Methods with a body pass `read`, and the body is read only
  /// once the route, the key and the announced length allow it; what is left of it
  /// is thrown away, or the connection closed after the answer.
  void dispatch(const httplib::Request& request, httplib::Response& response,
                const httplib::ContentReader* read) {
    auto left = serve(request, response, read);
    if (left == leftover_body::unread && discard_body(request, *read))
      return;
    if (left != leftover_body::none)
      close_after(response);
  }

  /// Answers a request; returns what is left of its body.
  leftover_body serve(const httplib::Request& request, httplib::Response& response,
                      const httplib::ContentReader* read) {
    auto received = std::chrono::steady_clock::now();
    auto unread = read != nullptr ? leftover_body::unread : leftover_body::none;
    if (request.headers.size() > max_request_headers + added_headers) {
      problem p;
      p.status = 431;
      p.detail = "too many request headers (limit " + std::to_string(max_request_headers) + ")";
      send_problem(response, p);
      return unread;
    }
    auto found = routes.lookup(request.method, request.path);
    if (found.found == nullptr) {
      if (!found.allowed.empty()) {
        response.set_header("Allow", join(found.allowed));
        send_problem(response, problems::method_not_allowed());
      } else {
        send_problem(response, problems::not_found("Not Found"));
      }
      return unread;
    }
    auto& ep = found.found->handler;
    auto& key = ctx.options.api_key;
    if (ep.needs_key && !key.empty() && !presents_key(request, key)) {
      bool sent = request.has_header("Authorization") || request.has_header("X-API-Key");
      send_problem(response,
                   problems::unauthorized(sent ? "Invalid API key" : "Not authenticated", true));
      return unread;
    }
    std::string streamed;
    if (read != nullptr) {
      if (request.is_multipart_form_data()) {
        problem p;
        p.status = 415;
        p.detail = "multipart bodies are not accepted; send JSON";
        send_problem(response, p);
        return leftover_body::unusable;
      }
      switch (read_body(request, *read, ep.body_limit, streamed)) {
        case body_read::complete:
          break;
        case body_read::too_large:
          refuse_too_large(found, response);
          return leftover_body::none;
        case body_read::too_large_unread:
          refuse_too_large(found, response);
          return leftover_body::unusable;
        case body_read::broken:
          send_problem(response, problems::bad_request("request body could not be read"));
          return leftover_body::unusable;
      }
    } else if (request.body.size() > ep.body_limit) {
      refuse_too_large(found, response);
      return leftover_body::none;
    }
    exchange x{request, read != nullptr ? streamed : request.body, response,
               std::move(found.params), received};
    ep.handle(ctx, x);
    return leftover_body::none;
  }
};

server::server(server_options options, server_actors actors) : impl_(std::make_unique<impl>()) {
  auto& ctx = impl_->ctx;
  ctx.options = std::move(options);
  ctx.actors = std::move(actors);
  ctx.openapi = validation::openapi_document(ctx.options.version).dump();
  ctx.adapters = validation::adapters_document().dump();
  ctx.started = std::chrono::steady_clock::now();
  auto& opts = ctx.options;
  add_system_routes(impl_->routes, opts);
  add_integration_routes(impl_->routes, opts);
  add_ingestion_routes(impl_->routes, opts);
  add_device_routes(impl_->routes, opts);

  auto& srv = impl_->srv;
  srv.new_task_queue = [min = opts.threads, max = opts.max_connections] {
    return new worker_pool(min, max, idle_worker_timeout);
  };
  srv.set_tcp_nodelay(true);
  srv.set_keep_alive_max_count(opts.keep_alive_max_requests);
  srv.set_keep_alive_timeout(opts.keep_alive_timeout.count());
  srv.set_read_timeout(opts.read_timeout.count(), 0);
  srv.set_write_timeout(5, 0);
  // The largest route limit; each route then enforces its own.
  srv.set_payload_max_length(
      std::max({opts.crud_body_limit, opts.ingest_body_limit, opts.restore_body_limit}));
  // SO_REUSEADDR without httplib's SO_REUSEPORT: a second daemon on the same
  // port fails to bind instead of silently sharing it.
  srv.set_socket_options([this](int fd) {
    int on = 1;
    ::setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &on, sizeof(on));
    impl_->listen_fd = fd;
  });
  auto handler = [this](const httplib::Request& request, httplib::Response& response) {
    impl_->dispatch(request, response, nullptr);
  };
  auto reading_handler = [this](const httplib::Request& request, httplib::Response& response,
                                const httplib::ContentReader& read) {
    impl_->dispatch(request, response, &read);
  };
  // One catch-all per method: the route table decides, so 404 and 405 are ours.
  // Methods with a body stream it, so each route's limit bounds what is buffered.
  srv.Get(".*", handler);
  // httplib picks the streaming variant when a request has a body, the plain one otherwise.
  srv.Post(".*", handler);
  srv.Put(".*", handler);
  srv.Delete(".*", handler);
  srv.Patch(".*", handler);
  srv.Post(".*", reading_handler);
  srv.Put(".*", reading_handler);
  srv.Delete(".*", reading_handler);
  srv.Patch(".*", reading_handler);
  srv.Options(".*", handler);
  srv.set_exception_handler([](const httplib::Request& request, httplib::Response& response,
                               std::exception_ptr ep) {
    auto id = random_hex(16);
    std::string what = "unknown exception";
    try {
      if (ep)
        std::rethrow_exception(ep);
    } catch (const std::exception& e) {
      what = e.what();
    } catch (...) {
    }
    log::error("http request ", id, " (", request.method, " ", request.path, ") failed: ", what);
    send_problem(response, problems::internal(id));
  });
  srv.set_error_handler([this](const httplib::Request& request, httplib::Response& response) {
    impl_->complete_error(request, response);
  });
}

server::~server() = default;

std::optional<std::uint16_t> server::bind() {
  auto& opts = impl_->ctx.options;
  auto& srv = impl_->srv;
  int port = opts.port;
  bool ok = false;
  if (port == 0) {
    port = srv.bind_to_any_port(opts.bind);
    ok = port > 0;
  } else {
    ok = srv.bind_to_port(opts.bind, port);
  }
  if (!ok)
    return std::nullopt;
  if (impl_->listen_fd >= 0)
    ::listen(impl_->listen_fd, listen_backlog);
  return static_cast<std::uint16_t>(port);
}

bool server::run() {
  return impl_->srv.listen_after_bind();
}

bool server::running() const {
  return impl_->srv.is_running();
}

void server::wait_until_running() const {
  while (!running())
    std::this_thread::sleep_for(std::chrono::milliseconds{1});
}

void server::stop() {
  impl_->srv.stop();
}

} // namespace gamelight::http
