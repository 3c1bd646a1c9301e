#pragma once

/// A real Mosquitto broker for tests (Debian's `mosquitto` as a child process on a
/// free loopback port, configured by tests/mqtt/mosquitto.conf) and a real MQTT client
/// (libmosquitto, MQTT 5 with retain-as-published, so the retain flag a test sees is
/// the one the daemon set).

#include <doctest/doctest.h>

#include <arpa/inet.h>
#include <chrono>
#include <condition_variable>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <functional>
#include <mosquitto.h>
#include <mqtt_protocol.h>
#include <mutex>
#include <netinet/in.h>
#include <optional>
#include <signal.h>
#include <sstream>
#include <string>
#include <sys/socket.h>
#include <sys/wait.h>
#include <thread>
#include <unistd.h>
#include <vector>

namespace gamelight::test {

/// Returns a TCP port that was free on 127.0.0.1 a moment ago.
inline int free_port() {
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr));
  socklen_t len = sizeof(addr);
  ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len);
  ::close(fd);
  return ntohs(addr.sin_port);
}

/// Returns whether something accepts TCP connections on 127.0.0.1:port.
inline bool accepts(int port) {
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = htons(static_cast<std::uint16_t>(port));
  bool ok = ::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) == 0;
  ::close(fd);
  return ok;
}

/// A mosquitto process; `start` and `kill` may be repeated (same port each time).
class broker {
public:
  /// With `user`, the broker accepts only that user with `password`
  /// (tests/mqtt/mosquitto-auth.conf); else anyone (tests/mqtt/mosquitto.conf).
  explicit broker(const std::string& user = "", const std::string& password = "",
                  int port = free_port())
      : port_(port) {
    auto base
        = std::filesystem::temp_directory_path() / ("gamelight-mosquitto-" + std::to_string(port_));
    conf_path_ = base.string() + ".conf";
    auto conf = read(user.empty() ? "mosquitto.conf" : "mosquitto-auth.conf");
    conf.replace(conf.find("@PORT@"), 6, std::to_string(port_));
    if (!user.empty()) {
      passwd_path_ = base.string() + ".passwd";
      std::ofstream{passwd_path_} << user << ':' << password << '\n';
      // Hashes the plain-text file in place.
      auto command = std::string{MOSQUITTO_PASSWD_PATH} + " -U " + passwd_path_.string();
      REQUIRE_EQ(std::system(command.c_str()), 0);
      conf.replace(conf.find("@PASSWORD_FILE@"), 15, passwd_path_.string());
    }
    std::ofstream{conf_path_} << conf;
  }

  ~broker() {
    kill();
    std::error_code ec;
    std::filesystem::remove(conf_path_, ec);
    if (!passwd_path_.empty())
      std::filesystem::remove(passwd_path_, ec);
  }

  broker(const broker&) = delete;
  broker& operator=(const broker&) = delete;

  /// Starts the broker and waits until it accepts connections.
  void start() {
    pid_ = ::fork();
    if (pid_ == 0) {
      ::execl(MOSQUITTO_PATH, MOSQUITTO_PATH, "-c", conf_path_.c_str(), nullptr);
      ::_exit(127);
    }
    auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds{10};
    while (!accepts(port_) && std::chrono::steady_clock::now() < deadline)
      std::this_thread::sleep_for(std::chrono::milliseconds{10});
    REQUIRE_MESSAGE(accepts(port_), "mosquitto did not start on port ", port_);
  }

  /// Kills the broker (SIGKILL: no goodbye to anyone).
  void kill() {
    if (pid_ <= 0)
      return;
    ::kill(pid_, SIGKILL);
    ::waitpid(pid_, nullptr, 0);
    pid_ = -1;
  }

  [[nodiscard]] int port() const noexcept {
    return port_;
  }

  [[nodiscard]] std::string url() const {
    return "mqtt://127.0.0.1:" + std::to_string(port_);
  }

private:
  static std::string read(const std::string& name) {
    std::ifstream in{std::string{GAMELIGHT_MQTT_TEST_DIR} + "/" + name};
    std::stringstream text;
    text << in.rdbuf();
    return text.str();
  }

  int port_;
  pid_t pid_ = -1;
  std::filesystem::path conf_path_;
  std::filesystem::path passwd_path_;
};

/// One received message.
struct received {
  std::string topic;
  std::string payload;
  bool retain = false;
};

/// A subscriber that records everything it receives, for tests to wait on.
class client {
public:
  client(int port, std::vector<std::string> subscriptions, const std::string& user = "",
         const std::string& password = "")
      : subscriptions_(std::move(subscriptions)) {
    mosquitto_lib_init();
    handle_ = mosquitto_new(nullptr, true, this);
    REQUIRE(handle_ != nullptr);
    if (!user.empty())
      mosquitto_username_pw_set(handle_, user.c_str(), password.c_str());
    mosquitto_int_option(handle_, MOSQ_OPT_PROTOCOL_VERSION, MQTT_PROTOCOL_V5);
    mosquitto_connect_callback_set(handle_, [](mosquitto* m, void* self, int rc) {
      if (rc != 0)
        return;
      for (auto& s : static_cast<client*>(self)->subscriptions_)
        mosquitto_subscribe_v5(m, nullptr, s.c_str(), 1, MQTT_SUB_OPT_RETAIN_AS_PUBLISHED, nullptr);
    });
    mosquitto_subscribe_callback_set(handle_, [](mosquitto*, void* self, int, int, const int*) {
      auto c = static_cast<client*>(self);
      std::lock_guard<std::mutex> guard{c->mutex_};
      ++c->subscribed_;
      c->changed_.notify_all();
    });
    mosquitto_message_callback_set(handle_,
                                   [](mosquitto*, void* self, const mosquitto_message* msg) {
                                     auto c = static_cast<client*>(self);
                                     received x;
                                     x.topic = msg->topic;
                                     if (msg->payloadlen > 0)
                                       x.payload.assign(static_cast<const char*>(msg->payload),
                                                        static_cast<std::size_t>(msg->payloadlen));
                                     x.retain = msg->retain;
                                     std::lock_guard<std::mutex> guard{c->mutex_};
                                     c->messages_.push_back(std::move(x));
                                     c->changed_.notify_all();
                                   });
    REQUIRE_EQ(mosquitto_connect(handle_, "127.0.0.1", port, 30), MOSQ_ERR_SUCCESS);
    REQUIRE_EQ(mosquitto_loop_start(handle_), MOSQ_ERR_SUCCESS);
    std::unique_lock<std::mutex> lock{mutex_};
    REQUIRE(changed_.wait_for(lock, std::chrono::seconds{10},
                              [this] { return subscribed_ >= subscriptions_.size(); }));
  }

  ~client() {
    mosquitto_disconnect(handle_);
    mosquitto_loop_stop(handle_, false);
    mosquitto_destroy(handle_);
  }

  client(const client&) = delete;
  client& operator=(const client&) = delete;

  /// Returns how many messages arrived so far (a starting point for `wait_for`).
  std::size_t mark() {
    std::lock_guard<std::mutex> guard{mutex_};
    return messages_.size();
  }

  /// Waits until a message on `topic` from index `from` on satisfies `pred`.
  std::optional<received> wait_for(const std::string& topic, std::size_t from = 0,
                                   const std::function<bool(const received&)>& pred = {},
                                   std::chrono::milliseconds timeout = std::chrono::seconds{10}) {
    std::unique_lock<std::mutex> lock{mutex_};
    std::optional<received> found;
    changed_.wait_for(lock, timeout, [&] {
      for (auto i = from; i < messages_.size(); ++i)
        if (messages_[i].topic == topic && (!pred || pred(messages_[i]))) {
          found = messages_[i];
          return true;
        }
      return false;
    });
    return found;
  }

  /// Returns every message on `topic` from index `from` on.
  std::vector<received> all(const std::string& topic, std::size_t from = 0) {
    std::lock_guard<std::mutex> guard{mutex_};
    std::vector<received> result;
    for (auto i = from; i < messages_.size(); ++i)
      if (messages_[i].topic == topic)
        result.push_back(messages_[i]);
    return result;
  }

  void publish(const std::string& topic, const std::string& payload, bool retain = false) {
    REQUIRE_EQ(mosquitto_publish(handle_, nullptr, topic.c_str(), static_cast<int>(payload.size()),
                                 payload.data(), 1, retain),
               MOSQ_ERR_SUCCESS);
  }

private:
  mosquitto* handle_ = nullptr;
  std::vector<std::string> subscriptions_;
  std::mutex mutex_;
  std::condition_variable changed_;
  std::size_t subscribed_ = 0;
  std::vector<received> messages_;
};

} // namespace gamelight::test
