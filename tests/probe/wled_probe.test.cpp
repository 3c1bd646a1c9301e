#include "probe/wled_probe.hpp"

#include "tests/probe/fake_wled.hpp"

#include <doctest/doctest.h>
#include <httplib.h>

#include <arpa/inet.h>
#include <chrono>
#include <functional>
#include <mutex>
#include <netinet/in.h>
#include <string>
#include <sys/socket.h>
#include <thread>
#include <unistd.h>
#include <vector>

using namespace gamelight;
using namespace gamelight::probe;
using namespace std::chrono_literals;
using gamelight::testing::fake_wled;
using gamelight::testing::info;
using gamelight::testing::wled_info_body;

namespace {

/// A TCP socket bound to an ephemeral loopback port; `listen` makes connections to it
/// complete (and then wait forever: nothing accepts), otherwise they are refused.
class raw_socket {
public:
  explicit raw_socket(bool listening) {
    fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
    REQUIRE(fd_ >= 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    REQUIRE(::bind(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) == 0);
    socklen_t size = sizeof(addr);
    REQUIRE(::getsockname(fd_, reinterpret_cast<sockaddr*>(&addr), &size) == 0);
    port_ = ntohs(addr.sin_port);
    if (listening)
      REQUIRE(::listen(fd_, 8) == 0);
  }

  raw_socket(const raw_socket&) = delete;
  raw_socket& operator=(const raw_socket&) = delete;

  ~raw_socket() {
    ::close(fd_);
  }

  [[nodiscard]] int fd() const {
    return fd_;
  }

  [[nodiscard]] std::uint16_t port() const {
    return port_;
  }

private:
  int fd_ = -1;
  std::uint16_t port_ = 0;
};

[[nodiscard]] std::string detail_of(const json& x) {
  REQUIRE(x.contains("detail"));
  CHECK(x["reachable"] == false);
  CHECK(x.size() == 2);
  return x["detail"].get<std::string>();
}

} // namespace

TEST_CASE("probe: a WLED answers its name, version, LED count and MAC") {
  fake_wled wled{info(wled_info_body)};
  auto x = probe_wled("127.0.0.1", wled.port());
  CHECK(x.dump()
        == R"({"reachable":true,"name":"WLED-Desk","version":"0.14.4","led_count":120,)"
           R"("mac":"a4cf12fdaeb4"})");
  // One fixed URL, one request.
  CHECK(wled.paths() == std::vector<std::string>{"GET /json/info"});
}

TEST_CASE("probe: a refused connection") {
  raw_socket closed{false};
  auto started = std::chrono::steady_clock::now();
  auto x = probe_wled("127.0.0.1", closed.port());
  CHECK(detail_of(x)
        == "connection refused or host unreachable: 127.0.0.1:" + std::to_string(closed.port()));
  CHECK(std::chrono::steady_clock::now() - started < 1s);
}

TEST_CASE("probe: a device that accepts but never answers times out") {
  raw_socket silent{true};
  auto started = std::chrono::steady_clock::now();
  auto x = probe_wled("127.0.0.1", silent.port(), 300ms);
  auto took = std::chrono::steady_clock::now() - started;
  CHECK(detail_of(x)
        == "timed out: 127.0.0.1:" + std::to_string(silent.port())
               + " did not answer within 300 ms");
  CHECK(took >= 290ms);
  CHECK(took < 2s);
}

TEST_CASE("probe: a device that answers too slowly times out") {
  fake_wled wled{[](httplib::Server& s) {
    s.Get("/json/info", [](const httplib::Request&, httplib::Response& res) {
      // Headers at once, then the body a byte at a time past the deadline.
      res.set_chunked_content_provider("application/json",
                                       [](std::size_t offset, httplib::DataSink& sink) {
                                         std::this_thread::sleep_for(100ms);
                                         if (offset > 8) {
                                           sink.done();
                                           return true;
                                         }
                                         return sink.write(" ", 1);
                                       });
    });
  }};
  auto x = probe_wled("127.0.0.1", wled.port(), 250ms);
  CHECK(detail_of(x).rfind("timed out: ", 0) == 0);
}

TEST_CASE("probe: answers that are not WLED's") {
  SUBCASE("no such route (404)") {
    fake_wled wled{[](httplib::Server&) {
    }};
    CHECK(detail_of(probe_wled("127.0.0.1", wled.port()))
          == "not a WLED answer: HTTP 404 for /json/info");
  }
  SUBCASE("a redirect is not followed") {
    fake_wled wled{[](httplib::Server& s) {
      s.Get("/json/info", [](const httplib::Request&, httplib::Response& res) {
        res.set_redirect("/elsewhere");
      });
      s.Get("/elsewhere", [](const httplib::Request&, httplib::Response& res) {
        res.set_content(wled_info_body, "application/json");
      });
    }};
    CHECK(detail_of(probe_wled("127.0.0.1", wled.port()))
          == "not a WLED answer: HTTP 302 for /json/info");
    CHECK(wled.paths() == std::vector<std::string>{"GET /json/info"});
  }
  SUBCASE("JSON without WLED's fields") {
    fake_wled wled{info(R"({"name":"router","ver":3,"leds":{"count":1.5}})")};
    CHECK(detail_of(probe_wled("127.0.0.1", wled.port()))
          == "not a WLED answer: no string ver, integer leds.count, string mac");
  }
  SUBCASE("JSON that is not an object") {
    fake_wled wled{info(R"(["WLED"])")};
    CHECK(detail_of(probe_wled("127.0.0.1", wled.port()))
          == "not a WLED answer: the JSON is not an object");
  }
  SUBCASE("not HTTP at all") {
    raw_socket garbage{true};
    std::thread peer{[&] {
      auto fd = ::accept(garbage.fd(), nullptr, nullptr);
      if (fd < 0)
        return;
      char buffer[512];
      static_cast<void>(::recv(fd, buffer, sizeof(buffer), 0));
      const char reply[] = "SSH-2.0-OpenSSH_9.2\r\n";
      static_cast<void>(::send(fd, reply, sizeof(reply) - 1, 0));
      ::close(fd);
    }};
    auto x = probe_wled("127.0.0.1", garbage.port());
    peer.join();
    CHECK(detail_of(x)
          == "not a WLED answer: no valid HTTP response from 127.0.0.1:"
                 + std::to_string(garbage.port()));
  }
}

TEST_CASE("probe: malformed JSON") {
  fake_wled wled{info(R"({"name":"WLED-Desk","ver":)")};
  CHECK(detail_of(probe_wled("127.0.0.1", wled.port()))
        == "malformed JSON in the answer (at byte 27)");
  fake_wled empty{info("")};
  CHECK(detail_of(probe_wled("127.0.0.1", empty.port()))
        == "malformed JSON in the answer (at byte 1)");
}

TEST_CASE("probe: the body is capped at 64 KiB") {
  // Exactly 64 KiB of valid WLED JSON is accepted.
  auto padded = wled_info_body;
  padded.insert(padded.size() - 1, max_body_bytes - padded.size(), ' ');
  REQUIRE(padded.size() == max_body_bytes);
  {
    fake_wled wled{info(padded)};
    CHECK(probe_wled("127.0.0.1", wled.port())["reachable"] == true);
  }
  // One byte more, with Content-Length: refused before the body is read.
  padded.insert(padded.size() - 1, " ");
  {
    fake_wled wled{info(padded)};
    CHECK(detail_of(probe_wled("127.0.0.1", wled.port())) == "answer too large (over 65536 bytes)");
  }
  // Without Content-Length (chunked): refused once past the cap.
  fake_wled chunked{[](httplib::Server& s) {
    s.Get("/json/info", [](const httplib::Request&, httplib::Response& res) {
      res.set_chunked_content_provider("application/json",
                                       [](std::size_t offset, httplib::DataSink& sink) {
                                         if (offset >= 1024 * 1024) {
                                           sink.done();
                                           return true;
                                         }
                                         std::string block(4096, ' ');
                                         return sink.write(block.data(), block.size());
                                       });
    });
  }};
  CHECK(detail_of(probe_wled("127.0.0.1", chunked.port()))
        == "answer too large (over 65536 bytes)");
}

TEST_CASE("probe: parse_info reads exactly WLED's fields") {
  std::string detail;
  auto x = parse_info(wled_info_body, detail);
  REQUIRE(x.has_value());
  CHECK(*x == wled_info{"WLED-Desk", "0.14.4", 120, "a4cf12fdaeb4"});
  CHECK_FALSE(parse_info(R"({"name":"a","ver":"1","leds":{"count":"5"},"mac":"m"})", detail));
  CHECK(detail == "not a WLED answer: no integer leds.count");
  CHECK_FALSE(parse_info(R"({"name":"a","ver":"1","leds":[],"mac":"m"})", detail));
  CHECK(detail == "not a WLED answer: no integer leds.count");
  CHECK_FALSE(parse_info("{}", detail));
  CHECK(detail == "not a WLED answer: no string name, string ver, integer leds.count, string mac");
  CHECK_FALSE(parse_info("nope", detail));
  CHECK(detail == "malformed JSON in the answer (at byte 2)");
  // The MAC is passed on as WLED wrote it.
  auto odd = parse_info(R"({"name":"n","ver":"v","leds":{"count":0},"mac":"AA:BB"})", detail);
  REQUIRE(odd.has_value());
  CHECK(odd->mac == "AA:BB");
  CHECK(odd->led_count == 0);
}
