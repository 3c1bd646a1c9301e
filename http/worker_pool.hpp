#pragma once

/// The threads that serve HTTP connections.
///
/// cpp-httplib hands every accepted connection to a task queue, and the task keeps
/// its thread for the connection's whole keep-alive life. With a fixed pool, idle
/// keep-alive clients (or one that trickles a request byte by byte) would make new
/// clients wait for a free thread, health checks included. This pool starts a thread
/// whenever no worker is free, up to `max_threads`; threads beyond `min_threads` end
/// after `idle_timeout` without work. Connections beyond `max_threads` wait in the
/// queue, and beyond that in the listen backlog.

#include <httplib.h>

#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <deque>
#include <functional>
#include <list>
#include <mutex>
#include <thread>

namespace gamelight::http {

class worker_pool final : public httplib::TaskQueue {
public:
  worker_pool(std::size_t min_threads, std::size_t max_threads,
              std::chrono::milliseconds idle_timeout);
  ~worker_pool() override;

  worker_pool(const worker_pool&) = delete;
  worker_pool& operator=(const worker_pool&) = delete;

  void enqueue(std::function<void()> job) override;

  /// Lets queued jobs finish, then joins every thread.
  void shutdown() override;

  /// Threads alive now (for tests and metrics).
  std::size_t threads() const;

private:
  using thread_list = std::list<std::thread>;

  /// Starts one more worker; the caller holds `mutex_`.
  void start_thread();

  /// Joins the threads that ended on their own; the caller holds `mutex_`.
  void reap_finished();

  void work(thread_list::iterator self, bool permanent);

  const std::size_t min_threads_;
  const std::size_t max_threads_;
  const std::chrono::milliseconds idle_timeout_;
  mutable std::mutex mutex_;
  std::condition_variable wake_;
  std::deque<std::function<void()>> jobs_;
  thread_list threads_;
  /// Threads that left their loop and only wait to be joined.
  std::list<std::thread> finished_;
  /// Workers running a job.
  std::size_t busy_ = 0;
  bool stopping_ = false;
};

} // namespace gamelight::http
