#pragma once

/// A fake WLED web server for tests: cpp-httplib's server on an ephemeral loopback port,
/// in its own thread, stopped and joined when the guard goes out of scope.

#include <doctest/doctest.h>
#include <httplib.h>

#include <chrono>
#include <cstdint>
#include <functional>
#include <mutex>
#include <string>
#include <thread>
#include <utility>
#include <vector>

namespace gamelight::testing {

/// What a WLED 0.14 answers on /json/info (abridged; the fields a probe reads are real).
inline const std::string wled_info_body
    = R"({"ver":"0.14.4","vid":2405180,"leds":{"count":120,"pwr":0,"fps":0,"maxpwr":850,)"
      R"("maxseg":32,"seglc":[1],"lc":1,"rgbw":false,"wv":0,"cct":0},"str":false,)"
      R"("name":"WLED-Desk","udpport":21324,"live":false,"lm":"","lip":"","ws":0,)"
      R"("fxcount":187,"palcount":71,"wifi":{"bssid":"00:00:00:00:00:00","rssi":-57,)"
      R"("signal":86,"channel":6},"arch":"esp32","core":"v3.3.6-16-gcc5440f6a2",)"
      R"("freeheap":160000,"uptime":12345,"opt":79,"brand":"WLED","product":"FOSS",)"
      R"("mac":"a4cf12fdaeb4","ip":"192.168.1.50"})";

/// A fake WLED web server on an ephemeral loopback port, stopped and joined on scope exit.
/// Records the path of every request it gets.
class fake_wled {
public:
  explicit fake_wled(const std::function<void(httplib::Server&)>& routes) {
    // Recorded before routing, so a request is listed before its answer is sent.
    server_.set_pre_routing_handler([this](const httplib::Request& req, httplib::Response&) {
      std::lock_guard<std::mutex> guard{mutex_};
      paths_.push_back(req.method + " " + req.path);
      return httplib::Server::HandlerResponse::Unhandled;
    });
    routes(server_);
    port_ = server_.bind_to_any_port("127.0.0.1");
    REQUIRE(port_ > 0);
    thread_ = std::thread{[this] {
      server_.listen_after_bind();
    }};
    // `stop` only stops a running server: wait until it runs.
    for (int i = 0; i < 5000 && !server_.is_running(); ++i)
      std::this_thread::sleep_for(std::chrono::milliseconds{1});
    REQUIRE(server_.is_running());
  }

  fake_wled(const fake_wled&) = delete;
  fake_wled& operator=(const fake_wled&) = delete;

  ~fake_wled() {
    server_.stop();
    thread_.join();
  }

  [[nodiscard]] std::uint16_t port() const {
    return static_cast<std::uint16_t>(port_);
  }

  [[nodiscard]] std::vector<std::string> paths() {
    std::lock_guard<std::mutex> guard{mutex_};
    return paths_;
  }

private:
  httplib::Server server_;
  int port_ = 0;
  std::thread thread_;
  std::mutex mutex_;
  std::vector<std::string> paths_;
};

/// Serves `body` with `status` on /json/info.
[[nodiscard]] inline std::function<void(httplib::Server&)> info(std::string body,
                                                                int status = 200) {
  return [body = std::move(body), status](httplib::Server& s) {
    s.Get("/json/info", [body, status](const httplib::Request&, httplib::Response& res) {
      res.status = status;
      res.set_content(body, "application/json");
    });
  };
}

} // namespace gamelight::testing
