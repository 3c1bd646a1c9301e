#pragma once

#include "actors/interfaces.hpp"
#include "storage/database.hpp"

#include <caf/typed_event_based_actor.hpp>

#include <memory>

namespace gamelight {

/// The state of the store: the database, which only this actor touches. The store
/// runs detached because every call blocks on SQLite.
struct store_state {
  static inline constexpr const char* name = "store";

  std::shared_ptr<storage::database> db;
  registry_actor registry;
};

/// Spawnable behavior of the store (spawn it with `caf::detached`). On start it
/// loads every integration and device and hands them to the registry.
store_actor::behavior_type store(store_actor::stateful_pointer<store_state> self,
                                 std::shared_ptr<storage::database> db, registry_actor registry);

} // namespace gamelight
