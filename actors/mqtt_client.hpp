#pragma once

/// The daemon's one libmosquitto client and the thread that runs its network loop.
/// Not an actor: the MQTT actor owns it, calls `publish`/`subscribe` (thread-safe in
/// libmosquitto's threaded mode) and hears about everything else as messages.

#include "actors/interfaces.hpp"
#include "mqtt/topics.hpp"

#include <caf/timespan.hpp>
#include <caf/weak_intrusive_ptr.hpp>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <mutex>
#include <string>
#include <thread>

struct mosquitto;
struct mosquitto_message;

namespace gamelight {

/// Settings of the MQTT actor, read from the daemon's options.
struct mqtt_options {
  mqtt::broker_url broker;
  /// Empty: no user name.
  std::string username;
  /// Never logged.
  std::string password;
  std::string client_id = "gamelight";
  mqtt::naming naming;
  /// Messages handed to libmosquitto and not yet written out; beyond this, new
  /// messages are dropped (and counted), so memory stays bounded whatever the broker does.
  std::size_t max_pending = 1000;
  std::chrono::seconds keepalive{30};
  /// Least time between two state messages of one integration while events arrive.
  caf::timespan state_interval = std::chrono::seconds{1};
};

/// One libmosquitto client and its network thread.
///
/// The thread connects, runs `mosquitto_loop` while connected and reconnects after
/// 1 s, doubling up to 30 s (`mqtt::next_backoff`), until `stop`. libmosquitto's own
/// `mosquitto_loop_start` thread reconnects too, but its "exponential" back-off grows
/// as (n+1)² and failed attempts are invisible to callbacks, so the daemon runs the same
/// loop with api.md's back-off. Library callbacks run on this thread and only
/// `anon_send` to the owner; the back-off delay is touched by this thread only.
class mqtt_client {
public:
  /// Creates the client (Last Will `offline` on `<prefix>/status`) and starts the
  /// network thread. `owner` hears `link`, `command` and `sent` (batched per loop pass).
  mqtt_client(const mqtt_options& options, const mqtt_actor& owner);

  ~mqtt_client();

  mqtt_client(const mqtt_client&) = delete;
  mqtt_client& operator=(const mqtt_client&) = delete;

  /// Queues one message; returns false when libmosquitto refused it.
  bool publish(const std::string& topic, const std::string& payload, int qos, bool retain);

  /// Subscribes (QoS 1); returns false when libmosquitto refused.
  bool subscribe(const std::string& pattern);

  /// Disconnects cleanly (the broker drops the Last Will), after writing what is
  /// queued, and joins the network thread. Idempotent.
  void stop();

private:
  void run();
  void wait(std::chrono::seconds delay);
  void report_written();

  template <class... Ts>
  void tell(Ts&&... xs) const;

  static void on_connect(mosquitto*, void* self, int rc);
  static void on_disconnect(mosquitto*, void* self, int rc);
  static void on_publish(mosquitto*, void* self, int mid);
  static void on_message(mosquitto*, void* self, const mosquitto_message* msg);

  mqtt_options options_;
  mosquitto* handle_ = nullptr;
  /// Weak, so the client never keeps its owner alive.
  caf::weak_actor_ptr owner_;
  std::atomic<bool> stopping_{false};
  /// Only for waking the back-off wait on `stop`.
  std::mutex mutex_;
  std::condition_variable wake_;
  /// Network thread only: the delay before the next attempt.
  std::chrono::seconds backoff_ = mqtt::first_backoff;
  /// Network thread only: messages written since the owner last heard; reported once
  /// per loop pass (one message to the actor for a whole burst, not one per message).
  std::uint64_t written_ = 0;
  std::thread thread_;
};

} // namespace gamelight
