#pragma once

/// Helpers shared by the storage implementation files. Not part of the public API and
/// never included by a public header.

#include "common/json.hpp"
#include "common/log.hpp"
#include "common/model.hpp"
#include "common/problem.hpp"
#include "storage/codec.hpp"
#include "storage/database.hpp"

#include <SQLiteCpp/SQLiteCpp.h>

#include <chrono>
#include <initializer_list>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace gamelight::storage::internal {

/// Returns the 503 problem for a failed SQLite call.
[[nodiscard]] inline problem database_error(std::string_view what) {
  return problems::unavailable("database error: " + std::string{what});
}

/// Runs `f` (which returns an `outcome`) and turns every SQLite failure, and every stored
/// value that cannot be decoded, into a 503 problem. Transactions inside `f` roll back as
/// the exception unwinds them, a failed COMMIT included (SQLite::Transaction's destructor
/// issues ROLLBACK), so the connection is usable for the next call.
template <class F>
auto guarded(std::string_view operation, F&& f) -> decltype(f()) {
  try {
    return f();
  } catch (const SQLite::Exception& e) {
    // SQLite's text names the failure, never a bound value (no secrets).
    log::error("storage failed to ", operation, ": ", e.what(), " (SQLite code ",
               e.getExtendedErrorCode(), ")");
    return database_error(e.what());
  } catch (const corrupt_data& e) {
    log::error("storage failed to ", operation, ": ", e.what());
    return database_error(e.what());
  } catch (const json::exception& e) {
    log::error("storage failed to ", operation, ": ", e.what());
    return database_error(e.what());
  }
}

/// Opens a read-write connection to `path` (created when missing unless `create` is false).
[[nodiscard]] std::unique_ptr<SQLite::Database> connect(const std::string& path, bool create,
                                                        std::chrono::milliseconds busy_timeout);

/// A file name that is removed, along with its SQLite side files (-wal, -shm, -journal),
/// when this object goes away.
class temp_file {
public:
  /// Picks a fresh name `.<prefix>-<random>.tmp` inside `directory`.
  temp_file(const std::string& directory, std::string_view prefix);

  ~temp_file();

  temp_file(const temp_file&) = delete;
  temp_file& operator=(const temp_file&) = delete;

  [[nodiscard]] const std::string& path() const noexcept {
    return path_;
  }

private:
  std::string path_;
};

/// Removes the temporary files (and their side files) that `temp_file`s with these
/// prefixes left in `directory` when the process died before destroying them.
void remove_stale_temp_files(const std::string& directory,
                             std::initializer_list<std::string_view> prefixes);

/// Returns the integrations that pass the filter, by `created_at`, then `id`. Throws.
[[nodiscard]] std::vector<integration> load_integrations(SQLite::Database& db,
                                                         const integration_filter& filter);

/// Returns the devices (only the one with `id` when given), by `created_at`, then `id`.
/// Throws.
[[nodiscard]] std::vector<device> load_devices(SQLite::Database& db,
                                               const std::optional<std::string>& id);

/// Returns the number of rows of `table` (a name from the schema, never user input). Throws.
[[nodiscard]] std::size_t count_rows(SQLite::Database& db, std::string_view table);

} // namespace gamelight::storage::internal
