#pragma once

/// The integration actors by id, as the registry last published them, so HTTP worker
/// threads can hand a game payload straight to its integration actor instead of
/// through the registry (one actor activation and often one thread wake-up less per
/// payload). The registry is the only writer; readers take an immutable snapshot,
/// and a snapshot is never changed once published.

#include "actors/interfaces.hpp"

#include <atomic>
#include <memory>
#include <string>
#include <unordered_map>

namespace gamelight {

class integration_directory {
public:
  using map = std::unordered_map<std::string, integration_actor>;

  /// Returns the current snapshot (never null).
  [[nodiscard]] std::shared_ptr<const map> snapshot() const noexcept {
    return current_.load(std::memory_order_acquire);
  }

  /// Replaces the snapshot; only the registry calls this.
  void publish(std::shared_ptr<const map> next) noexcept {
    current_.store(std::move(next), std::memory_order_release);
  }

private:
  std::atomic<std::shared_ptr<const map>> current_{std::make_shared<const map>()};
};

} // namespace gamelight
