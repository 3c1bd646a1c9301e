#include "actors/mqtt_client.hpp"

#include "common/log.hpp"

#include <caf/actor_cast.hpp>
#include <caf/send.hpp>

#include <mosquitto.h>

namespace gamelight {

namespace {

void init_library() {
  static std::once_flag once;
  std::call_once(once, [] { mosquitto_lib_init(); });
}

mqtt_client& client_of(void* self) {
  return *static_cast<mqtt_client*>(self);
}

} // namespace

template <class... Ts>
void mqtt_client::tell(Ts&&... xs) const {
  if (auto strong = owner_.lock())
    caf::anon_send(caf::actor_cast<mqtt_actor>(strong), std::forward<Ts>(xs)...);
}

mqtt_client::mqtt_client(const mqtt_options& options, const mqtt_actor& owner)
    : options_(options), owner_(caf::actor_cast<caf::weak_actor_ptr>(owner)) {
  init_library();
  handle_ = mosquitto_new(options_.client_id.c_str(), true, this);
  if (handle_ == nullptr) {
    log::error("mqtt failed to create a libmosquitto client");
    return;
  }
  // Publishing from the actor's thread only queues; this thread writes.
  mosquitto_threaded_set(handle_, true);
  mosquitto_int_option(handle_, MOSQ_OPT_TCP_NODELAY, 1);
  mosquitto_connect_callback_set(handle_, &mqtt_client::on_connect);
  mosquitto_disconnect_callback_set(handle_, &mqtt_client::on_disconnect);
  mosquitto_publish_callback_set(handle_, &mqtt_client::on_publish);
  mosquitto_message_callback_set(handle_, &mqtt_client::on_message);
  auto will = mqtt::status_topic(options_.naming);
  mosquitto_will_set(handle_, will.c_str(), 7, "offline", 1, true);
  if (!options_.username.empty())
    mosquitto_username_pw_set(handle_, options_.username.c_str(),
                              options_.password.empty() ? nullptr : options_.password.c_str());
  if (options_.broker.tls)
    mosquitto_int_option(handle_, MOSQ_OPT_TLS_USE_OS_CERTS, 1);
  thread_ = std::thread{[this] {
    run();
  }};
}

mqtt_client::~mqtt_client() {
  stop();
  if (handle_ != nullptr)
    mosquitto_destroy(handle_);
}

bool mqtt_client::publish(const std::string& topic, const std::string& payload, int qos,
                          bool retain) {
  if (handle_ == nullptr)
    return false;
  return mosquitto_publish(handle_, nullptr, topic.c_str(), static_cast<int>(payload.size()),
                           payload.data(), qos, retain)
         == MOSQ_ERR_SUCCESS;
}

bool mqtt_client::subscribe(const std::string& pattern) {
  if (handle_ == nullptr)
    return false;
  return mosquitto_subscribe(handle_, nullptr, pattern.c_str(), 1) == MOSQ_ERR_SUCCESS;
}

void mqtt_client::stop() {
  if (!thread_.joinable())
    return;
  {
    std::lock_guard<std::mutex> guard{mutex_};
    stopping_ = true;
  }
  wake_.notify_all();
  // Queued behind whatever was published before, so those go out first.
  mosquitto_disconnect(handle_);
  thread_.join();
}

void mqtt_client::wait(std::chrono::seconds delay) {
  std::unique_lock<std::mutex> lock{mutex_};
  wake_.wait_for(lock, delay, [this] { return stopping_.load(); });
}

void mqtt_client::run() {
  if (handle_ == nullptr)
    return;
  auto& broker = options_.broker;
  auto keepalive = static_cast<int>(options_.keepalive.count());
  bool first = true;
  while (!stopping_) {
    auto rc = first ? mosquitto_connect_async(handle_, broker.host.c_str(), broker.port, keepalive)
                    : mosquitto_reconnect_async(handle_);
    first = false;
    if (rc == MOSQ_ERR_SUCCESS) {
      std::chrono::steady_clock::time_point give_up{};
      while (mosquitto_loop(handle_, 1000, 1) == MOSQ_ERR_SUCCESS) {
        report_written();
        // After `stop`, keep looping until the DISCONNECT is written (which ends
        // the loop), for at most 2 s.
        if (!stopping_)
          continue;
        auto now = std::chrono::steady_clock::now();
        if (give_up == std::chrono::steady_clock::time_point{})
          give_up = now + std::chrono::seconds{2};
        else if (now > give_up)
          break;
      }
    } else {
      log::debug("mqtt cannot reach ", broker.host, ":", broker.port, ": ", mosquitto_strerror(rc));
    }
    report_written();
    if (stopping_)
      break;
    auto delay = backoff_;
    backoff_ = mqtt::next_backoff(backoff_);
    log::debug("mqtt reconnects in ", delay.count(), " s");
    wait(delay);
  }
}

void mqtt_client::on_connect(mosquitto*, void* self, int rc) {
  auto& client = client_of(self);
  if (rc != 0) {
    log::warning("mqtt broker refused the connection: ", mosquitto_connack_string(rc));
    return;
  }
  client.backoff_ = mqtt::first_backoff;
  client.tell(atom::link::value, true);
}

void mqtt_client::on_disconnect(mosquitto*, void* self, int) {
  client_of(self).tell(atom::link::value, false);
}

void mqtt_client::report_written() {
  if (written_ == 0)
    return;
  tell(atom::sent::value, written_);
  written_ = 0;
}

void mqtt_client::on_publish(mosquitto*, void* self, int) {
  ++client_of(self).written_;
}

void mqtt_client::on_message(mosquitto*, void* self, const mosquitto_message* msg) {
  if (msg == nullptr || msg->topic == nullptr)
    return;
  std::string payload;
  if (msg->payload != nullptr && msg->payloadlen > 0)
    payload.assign(static_cast<const char*>(msg->payload),
                   static_cast<std::size_t>(msg->payloadlen));
  client_of(self).tell(atom::command::value, std::string{msg->topic}, std::move(payload));
}

} // namespace gamelight
