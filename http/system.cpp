#include "common/process_stats.hpp"
#include "common/time.hpp"
#include "http/acceptor.hpp"
#include "http/routes.hpp"

#include <cstdio>
#include <memory>
#include <sstream>

namespace gamelight::http {

namespace {

void health(const context& ctx, exchange& x) {
  json body = json::object();
  body["status"] = "ok";
  body["version"] = ctx.options.version;
  body["uptime_s"] = std::chrono::duration_cast<std::chrono::seconds>(
                         std::chrono::steady_clock::now() - ctx.started)
                         .count();
  x.respond(json_response(200, body));
}

void openapi(const context& ctx, exchange& x) {
  response result;
  result.set_content(ctx.openapi, "application/json");
  x.respond(std::move(result));
}

/// Returns "20261126T140307Z" for the backup's file name.
std::string compact_timestamp() {
  auto text = format_rfc3339(now_unix_ms());
  std::string result;
  for (auto c : text.substr(0, 19))
    if (c != '-' && c != ':')
      result += c;
  return result + "Z";
}

void backup(const context& ctx, exchange& x) {
  ask(
      x, ctx.actors.store,
      [respond = x.respond](outcome<std::string>& answer) {
        if (!answer) {
          respond(problem_response(answer.error()));
          return;
        }
        response result;
        result.set_header("Content-Disposition",
                          "attachment; filename=\"gamelight-" + compact_timestamp() + ".db\"");
        result.set_content(std::move(*answer), "application/vnd.sqlite3");
        respond(std::move(result));
      },
      atom::backup::value);
}

void restore(const context& ctx, exchange& x) {
  if (x.req.body.empty()) {
    x.respond(problem_response(problems::bad_request("invalid backup: the body is empty")));
    return;
  }
  auto bytes = std::make_shared<const std::string>(std::move(x.req.body));
  ask_outcome(x, 200, ctx.actors.store, atom::restore::value, std::move(bytes));
}

/// Escapes a Prometheus label value.
std::string label(std::string_view value) {
  std::string result;
  for (auto c : value) {
    if (c == '\\' || c == '"')
      result += '\\';
    if (c == '\n') {
      result += "\\n";
      continue;
    }
    result += c;
  }
  return result;
}

std::string format_double(double x) {
  char buf[32];
  std::snprintf(buf, sizeof(buf), "%.9g", x);
  return buf;
}

/// What a /metrics scrape gathers from the actors before it renders.
struct scrape {
  std::size_t integration_count = 0;
  std::size_t device_count = 0;
  std::vector<integration_metrics> samples;
  std::vector<json> devices;
  ingress_metrics ingress;
  std::optional<mqtt_metrics> mqtt;
  /// Replies still awaited; the page is rendered when this reaches 0.
  std::size_t waiting = 0;
};

std::string render_metrics(const context& ctx, const scrape& sc);

/// Asks every live actor for its figures (all at once, so the scrape waits for the
/// slowest only) and renders the page when the last reply, or failure, is in.
void metrics(const context& ctx, exchange& x) {
  ask(
      x, ctx.actors.registry,
      [&ctx, self = x.self, respond = x.respond,
       acceptor = caf::actor_cast<caf::actor>(*x.acceptor)](metrics_targets& targets) {
        auto sc = std::make_shared<scrape>();
        sc->integration_count = targets.integrations.size();
        sc->device_count = targets.devices.size();
        sc->mqtt = targets.mqtt;
        sc->waiting = targets.integrations.size() + targets.devices.size() + 1;
        auto done = [&ctx, sc, respond] {
          if (--sc->waiting > 0)
            return;
          response result;
          result.set_content(render_metrics(ctx, *sc), "text/plain; version=0.0.4; charset=utf-8");
          respond(std::move(result));
        };
        for (auto& actor : targets.integrations)
          self->request(actor, caf::infinite, atom::metrics::value)
              .then(
                  [sc, done](integration_metrics& m) {
                    sc->samples.push_back(std::move(m));
                    done();
                  },
                  [done](caf::error&) { done(); });
        for (auto& actor : targets.devices)
          self->request(actor, caf::infinite, atom::status::value)
              .then(
                  [sc, done](outcome<json>& status) {
                    if (status)
                      sc->devices.push_back(std::move(*status));
                    done();
                  },
                  [done](caf::error&) { done(); });
        self->request(acceptor, caf::infinite, atom::metrics::value)
            .then(
                [sc, done](ingress_metrics& m) {
                  sc->ingress = m;
                  done();
                },
                [done](caf::error&) { done(); });
      },
      atom::metrics::value);
}

std::string render_metrics(const context& ctx, const scrape& sc) {
  const auto& samples = sc.samples;
  const auto& devices = sc.devices;
  std::ostringstream out;
  auto family = [&out](const char* name, const char* type, const char* help) {
    out << "# HELP " << name << ' ' << help << "\n# TYPE " << name << ' ' << type << '\n';
  };
  family("gamelight_uptime_seconds", "gauge", "Seconds since the daemon started.");
  out << "gamelight_uptime_seconds "
      << std::chrono::duration_cast<std::chrono::seconds>(std::chrono::steady_clock::now()
                                                          - ctx.started)
             .count()
      << '\n';
  family("gamelight_integrations", "gauge", "Configured game integrations.");
  out << "gamelight_integrations " << sc.integration_count << '\n';
  family("gamelight_devices", "gauge", "Configured LED devices.");
  out << "gamelight_devices " << sc.device_count << '\n';
  family("gamelight_payloads_total", "counter", "Accepted game payloads.");
  for (auto& s : samples)
    out << "gamelight_payloads_total{integration=\"" << label(s.integration_id) << "\"} "
        << s.payloads << '\n';
  family("gamelight_payloads_rejected_total", "counter", "Refused game payloads by reason.");
  for (auto& s : samples) {
    auto row = [&](const char* reason, std::uint64_t n) {
      out << "gamelight_payloads_rejected_total{integration=\"" << label(s.integration_id)
          << "\",reason=\"" << reason << "\"} " << n << '\n';
    };
    row("malformed", s.rejected_malformed);
    row("unauthorized", s.rejected_unauthorized);
    row("invalid", s.rejected_invalid);
    row("too_large", s.rejected_too_large);
  }
  family("gamelight_events_total", "counter", "Detected game events by type.");
  for (auto& s : samples)
    for (auto& [type, n] : s.events_by_type)
      out << "gamelight_events_total{integration=\"" << label(s.integration_id)
          << "\",event_type=\"" << label(type) << "\"} " << n << '\n';
  family("gamelight_ingest_latency_seconds", "histogram",
         "Time from receiving a payload to its answer, all integrations.");
  std::array<std::uint64_t, latency_buckets.size() + 1> buckets{};
  double sum = 0;
  for (auto& s : samples) {
    for (std::size_t i = 0; i < buckets.size(); ++i)
      buckets[i] += s.latency_counts[i];
    sum += s.latency_sum_seconds;
  }
  for (std::size_t i = 0; i < latency_buckets.size(); ++i)
    out << "gamelight_ingest_latency_seconds_bucket{le=\"" << format_double(latency_buckets[i])
        << "\"} " << buckets[i] << '\n';
  out << "gamelight_ingest_latency_seconds_bucket{le=\"+Inf\"} " << buckets.back() << '\n';
  out << "gamelight_ingest_latency_seconds_sum " << format_double(sum) << '\n';
  out << "gamelight_ingest_latency_seconds_count " << buckets.back() << '\n';
  family("gamelight_integration_mailbox_depth", "gauge",
         "Messages waiting for an integration actor (its backlog of payloads).");
  for (auto& s : samples)
    out << "gamelight_integration_mailbox_depth{integration=\"" << label(s.integration_id) << "\"} "
        << s.mailbox_depth << '\n';
  family("gamelight_device_frames_total", "counter", "Frames sent to LED devices.");
  for (auto& d : devices)
    out << "gamelight_device_frames_total{device=\"" << label(d.value("device_id", "")) << "\"} "
        << d.value("frames_sent", 0) << '\n';
  family("gamelight_device_send_errors_total", "counter", "Failed UDP sends to LED devices.");
  for (auto& d : devices)
    out << "gamelight_device_send_errors_total{device=\"" << label(d.value("device_id", ""))
        << "\"} " << d.value("send_errors", 0) << '\n';
  if (sc.mqtt) {
    family("gamelight_mqtt_connected", "gauge", "Whether the MQTT broker connection is up.");
    out << "gamelight_mqtt_connected " << (sc.mqtt->connected ? 1 : 0) << '\n';
    family("gamelight_mqtt_dropped_total", "counter",
           "MQTT messages dropped (broker down or outgoing queue full).");
    out << "gamelight_mqtt_dropped_total " << sc.mqtt->dropped << '\n';
  }
  if (auto process = read_process_stats()) {
    auto gauge = [&](const char* name, const char* type, const char* help, auto value) {
      family(name, type, help);
      out << name << ' ' << value << '\n';
    };
    gauge("process_cpu_seconds_total", "counter", "User and system CPU time in seconds.",
          format_double(process->cpu_seconds));
    gauge("process_resident_memory_bytes", "gauge", "Resident memory in bytes.",
          process->resident_bytes);
    gauge("process_virtual_memory_bytes", "gauge", "Virtual memory in bytes.",
          process->virtual_bytes);
    gauge("process_start_time_seconds", "gauge", "Start time of the process, Unix seconds.",
          format_double(process->start_time_seconds));
    gauge("process_open_fds", "gauge", "Open file descriptors.", process->open_fds);
    gauge("process_max_fds", "gauge", "Limit of open file descriptors.", process->max_fds);
    gauge("process_threads", "gauge", "Threads of the process.", process->threads);
    gauge("gamelight_heap_in_use_bytes", "gauge",
          "Bytes malloc has handed out and not yet got back.", process->heap_in_use_bytes);
    gauge("gamelight_heap_mapped_bytes", "gauge",
          "Bytes malloc holds from the kernel (arenas and large blocks).",
          process->heap_mapped_bytes);
  }
  family("gamelight_http_connections", "gauge", "Open HTTP connections.");
  out << "gamelight_http_connections " << sc.ingress.open << '\n';
  family("gamelight_http_connections_accepted_total", "counter", "HTTP connections accepted.");
  out << "gamelight_http_connections_accepted_total " << sc.ingress.accepted << '\n';
  family("gamelight_http_connections_refused_total", "counter",
         "HTTP connections closed at once because max-connections were open.");
  out << "gamelight_http_connections_refused_total " << sc.ingress.refused << '\n';
  family("gamelight_http_requests_dropped_total", "counter",
         "HTTP connections closed because a request was not complete within read-timeout.");
  out << "gamelight_http_requests_dropped_total " << sc.ingress.deadline_drops << '\n';
  family("gamelight_http_slow_stream_drops_total", "counter",
         "Streams closed because their reader fell more than 1 MiB behind.");
  out << "gamelight_http_slow_stream_drops_total " << sc.ingress.slow_stream_drops << '\n';
  family("gamelight_stream_clients", "gauge", "Open live streams (event and frame streams).");
  out << "gamelight_stream_clients " << sc.ingress.streams << '\n';
  family("gamelight_stream_disconnects_total", "counter",
         "Live streams that ended: reason slow (the reader fell more than 1 MiB behind), "
         "closed (the client left, or the daemon ended the stream), refused (max-streams).");
  auto slow = sc.ingress.slow_stream_drops;
  auto closed = sc.ingress.streams_ended - std::min(slow, sc.ingress.streams_ended);
  out << "gamelight_stream_disconnects_total{reason=\"closed\"} " << closed << '\n';
  out << "gamelight_stream_disconnects_total{reason=\"refused\"} " << sc.ingress.streams_refused
      << '\n';
  out << "gamelight_stream_disconnects_total{reason=\"slow\"} " << slow << '\n';
  return out.str();
}

} // namespace

void add_system_routes(route_table& routes, const server_options& options) {
  routes.add("GET", "/api/v1/health", open_endpoint(health));
  routes.add("GET", "/api/v1/system/backup", endpoint{backup});
  routes.add("POST", "/api/v1/system/restore", endpoint{restore, options.restore_body_limit});
  routes.add("GET", "/openapi.json", open_endpoint(openapi));
  routes.add("GET", "/metrics", open_endpoint(metrics));
}

} // namespace gamelight::http
