#pragma once

/// The database schema: forward-only migrations keyed by `PRAGMA user_version`, and the
/// check that a file holds exactly the tables of a given version.

#include <optional>
#include <span>
#include <string>
#include <string_view>

namespace SQLite {
class Database;
} // namespace SQLite

namespace gamelight::storage {

/// The statements that take a database from `version - 1` to `version`.
struct migration {
  int version = 0;
  std::span<const std::string_view> statements;
};

/// Returns every migration in ascending version order, starting at version 1.
[[nodiscard]] std::span<const migration> migrations();

/// Returns the newest schema version the migrations produce.
[[nodiscard]] int latest_schema_version();

/// Applies the migrations after the file's `user_version` up to `target`, each in its own
/// IMMEDIATE transaction that also sets `user_version`. Throws `SQLite::Exception`.
void migrate(SQLite::Database& db, int target);

/// Returns why `db` does not hold exactly the tables, columns, indexes and triggers that the
/// migrations produce for `version` (objects named `sqlite_*` are SQLite's own and ignored),
/// or nothing when it does. Throws `SQLite::Exception`.
[[nodiscard]] std::optional<std::string> schema_mismatch(SQLite::Database& db, int version);

/// Returns whether the database has user objects (tables, indexes, views, triggers).
[[nodiscard]] bool has_user_objects(SQLite::Database& db);

} // namespace gamelight::storage
