#include "http/worker_pool.hpp"

#include "common/log.hpp"

#include <algorithm>
#include <system_error>

namespace gamelight::http {

worker_pool::worker_pool(std::size_t min_threads, std::size_t max_threads,
                         std::chrono::milliseconds idle_timeout)
    : min_threads_(std::max<std::size_t>(min_threads, 1)),
      max_threads_(std::max(max_threads, std::max<std::size_t>(min_threads, 1))),
      idle_timeout_(idle_timeout) {
  std::lock_guard guard{mutex_};
  for (std::size_t i = 0; i < min_threads_; ++i)
    start_thread();
}

worker_pool::~worker_pool() {
  shutdown();
}

void worker_pool::enqueue(std::function<void()> job) {
  std::lock_guard guard{mutex_};
  reap_finished();
  jobs_.push_back(std::move(job));
  // Every queued job needs a worker that is not busy; start one if they do not cover them.
  if (jobs_.size() > threads_.size() - busy_ && threads_.size() < max_threads_)
    start_thread();
  wake_.notify_one();
}

void worker_pool::shutdown() {
  thread_list all;
  {
    std::lock_guard guard{mutex_};
    if (stopping_)
      return;
    stopping_ = true;
    wake_.notify_all();
    all.splice(all.end(), threads_);
    all.splice(all.end(), finished_);
  }
  for (auto& thread : all)
    if (thread.joinable())
      thread.join();
}

std::size_t worker_pool::threads() const {
  std::lock_guard guard{mutex_};
  return threads_.size();
}

void worker_pool::start_thread() {
  bool permanent = threads_.size() < min_threads_;
  threads_.emplace_back();
  auto self = std::prev(threads_.end());
  try {
    *self = std::thread{[this, self, permanent] {
      work(self, permanent);
    }};
  } catch (const std::system_error& e) {
    // Out of threads: the queued job waits for a busy worker instead.
    threads_.erase(self);
    log::warning("http: cannot start another worker thread: ", e.what());
  }
}

void worker_pool::reap_finished() {
  for (auto& thread : finished_)
    thread.join();
  finished_.clear();
}

void worker_pool::work(thread_list::iterator self, bool permanent) {
  std::unique_lock lock{mutex_};
  for (;;) {
    bool woken = true;
    if (permanent)
      wake_.wait(lock, [this] { return stopping_ || !jobs_.empty(); });
    else
      woken = wake_.wait_for(lock, idle_timeout_, [this] { return stopping_ || !jobs_.empty(); });
    if (jobs_.empty()) {
      if (stopping_)
        return;
      if (!woken) {
        // Idle for too long: hand our own handle over to be joined, and end.
        if (!stopping_)
          finished_.splice(finished_.end(), threads_, self);
        return;
      }
      continue;
    }
    auto job = std::move(jobs_.front());
    jobs_.pop_front();
    ++busy_;
    lock.unlock();
    job();
    lock.lock();
    --busy_;
  }
}

} // namespace gamelight::http
