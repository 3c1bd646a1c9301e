#include "http/server.hpp"

#include "common/log.hpp"
#include "common/security.hpp"
#include "http/bridge.hpp"
#include "http/routes.hpp"
#include "validation/validation.hpp"

#include <httplib.h>

#include <exception>
#include <sys/socket.h>
#include <thread>

namespace gamelight::http {

namespace {

/// Listen backlog; httplib's default of 5 overflows under a LAN party's load.
constexpr int listen_backlog = 1024;

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

  void dispatch(const httplib::Request& request, httplib::Response& response) {
    auto received = std::chrono::steady_clock::now();
    auto found = routes.lookup(request.method, request.path);
    if (found.found == nullptr) {
      if (!found.allowed.empty()) {
        response.set_header("Allow", join(found.allowed));
        send_problem(response, problems::method_not_allowed());
      } else {
        send_problem(response, problems::not_found("Not Found"));
      }
      return;
    }
    auto& ep = found.found->handler;
    auto& key = ctx.options.api_key;
    if (ep.needs_key && !key.empty() && !presents_key(request, key)) {
      bool sent = request.has_header("Authorization") || request.has_header("X-API-Key");
      send_problem(response,
                   problems::unauthorized(sent ? "Invalid API key" : "Not authenticated", true));
      return;
    }
    if (request.body.size() > ep.body_limit) {
      if (ep.is_ingestion) {
        auto known = ask<bool>(ctx.actors.registry, ctx.options.actor_timeout,
                               atom::rejected::value, found.params.at(0));
        if (known && !*known) {
          send_problem(response, problems::not_found("Game integration not found"));
          return;
        }
      }
      send_problem(response, problems::too_large(ep.body_limit));
      return;
    }
    exchange x{request, response, std::move(found.params), received};
    ep.handle(ctx, x);
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
  auto threads = opts.threads;
  srv.new_task_queue = [threads] {
    return new httplib::ThreadPool(threads);
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
    impl_->dispatch(request, response);
  };
  // One catch-all per method: the route table decides, so 404 and 405 are ours.
  srv.Get(".*", handler);
  srv.Post(".*", handler);
  srv.Put(".*", handler);
  srv.Delete(".*", handler);
  srv.Patch(".*", handler);
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
  // httplib answers some failures itself (bad request line, body over the global
  // limit) with an empty body; give them FastAPI bodies.
  auto restore_limit = opts.restore_body_limit;
  srv.set_error_handler([restore_limit](const httplib::Request&, httplib::Response& response) {
    if (!response.body.empty())
      return;
    switch (response.status) {
      case 413:
        send_problem(response, problems::too_large(restore_limit));
        break;
      case 404:
        send_problem(response, problems::not_found("Not Found"));
        break;
      default: {
        problem p;
        p.status = response.status;
        p.detail = reason_phrase(response.status);
        send_problem(response, p);
      }
    }
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
