#include "http/worker_pool.hpp"

#include <doctest/doctest.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <thread>

using namespace std::chrono_literals;
using gamelight::http::worker_pool;

namespace {

/// Jobs that block until released, counting how many run at once.
struct gate {
  std::mutex mutex;
  std::condition_variable changed;
  bool open = false;
  int running = 0;
  int finished = 0;

  auto job() {
    return [this] {
      std::unique_lock lock{mutex};
      ++running;
      changed.notify_all();
      changed.wait(lock, [this] { return open; });
      --running;
      ++finished;
      changed.notify_all();
    };
  }

  /// Waits (at most 10 s) until `pred` holds; returns whether it did.
  template <class Pred>
  bool wait_until(Pred pred) {
    std::unique_lock lock{mutex};
    return changed.wait_for(lock, 10s, [&] { return pred(*this); });
  }

  void release() {
    std::lock_guard lock{mutex};
    open = true;
    changed.notify_all();
  }
};

} // namespace

TEST_CASE("worker_pool: a busy pool starts a thread for each new job up to its maximum") {
  worker_pool pool{1, 4, 10s};
  CHECK(pool.threads() == 1);
  gate g;
  for (int i = 0; i < 6; ++i)
    pool.enqueue(g.job());
  // Four jobs run at once; the other two wait for a free worker.
  REQUIRE(g.wait_until([](gate& x) { return x.running == 4; }));
  CHECK(pool.threads() == 4);
  g.release();
  REQUIRE(g.wait_until([](gate& x) { return x.finished == 6; }));
  CHECK(pool.threads() == 4);
}

TEST_CASE("worker_pool: an idle worker takes the next job instead of a new thread") {
  worker_pool pool{2, 8, 10s};
  gate g;
  g.release();
  for (int i = 0; i < 20; ++i) {
    pool.enqueue(g.job());
    REQUIRE(g.wait_until([i](gate& x) { return x.finished == i + 1; }));
  }
  CHECK(pool.threads() == 2);
}

TEST_CASE("worker_pool: extra threads end after the idle timeout, the ready ones stay") {
  worker_pool pool{1, 4, 20ms};
  gate g;
  for (int i = 0; i < 3; ++i)
    pool.enqueue(g.job());
  REQUIRE(g.wait_until([](gate& x) { return x.running == 3; }));
  CHECK(pool.threads() == 3);
  g.release();
  REQUIRE(g.wait_until([](gate& x) { return x.finished == 3; }));
  auto deadline = std::chrono::steady_clock::now() + 10s;
  while (pool.threads() > 1 && std::chrono::steady_clock::now() < deadline)
    std::this_thread::sleep_for(5ms);
  CHECK(pool.threads() == 1);
  // The pool still works after shrinking, and grows again.
  gate again;
  for (int i = 0; i < 2; ++i)
    pool.enqueue(again.job());
  REQUIRE(again.wait_until([](gate& x) { return x.running == 2; }));
  again.release();
  REQUIRE(again.wait_until([](gate& x) { return x.finished == 2; }));
}

TEST_CASE("worker_pool: shutdown runs the queued jobs and joins every thread") {
  std::atomic<int> done{0};
  {
    worker_pool pool{1, 1, 10s};
    for (int i = 0; i < 5; ++i)
      pool.enqueue([&done] { ++done; });
    pool.shutdown();
    CHECK(done == 5);
    CHECK(pool.threads() == 0);
  }
  CHECK(done == 5);
}
