#pragma once

/// The daemon-wide event sequence number (`seq` of api.md's live streams).

#include <atomic>
#include <cstdint>

namespace gamelight {

/// Hands out `seq`: 1 for the first recorded event after the daemon started, then one
/// more per event across all integrations.
///
/// Every integration actor records its events itself and must put the number into its
/// ring at once (GET .../events carries it), so a round trip to one owning actor per
/// event is not an option on the ingestion path. This counter is the one piece of state
/// the integration actors share: a single atomic that is only ever incremented
/// (`fetch_add`), never read-modify-written otherwise, shared through a `shared_ptr`
/// that the registry passes to every integration it spawns.
class event_sequence {
public:
  /// Returns the next number (the first call returns 1).
  std::uint64_t next() noexcept {
    return next_.fetch_add(1, std::memory_order_relaxed);
  }

private:
  std::atomic<std::uint64_t> next_{1};
};

} // namespace gamelight
