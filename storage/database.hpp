#pragma once

/// The SQLite database of game integrations and devices: open and migrate, CRUD,
/// online backup and validated restore. No actors: the store actor owns one instance.

#include "common/model.hpp"
#include "common/problem.hpp"

#include <chrono>
#include <cstddef>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace SQLite {
class Database;
} // namespace SQLite

namespace gamelight::storage {

/// Filters of `list_integrations`; the present ones must all match.
struct integration_filter {
  std::optional<std::string> adapter_type;
  /// Matches integrations whose tags contain this exact string.
  std::optional<std::string> tag;
  std::optional<bool> enabled;
};

/// How many rows a restore brought in.
struct restore_counts {
  std::size_t integrations = 0;
  std::size_t devices = 0;
};

/// One SQLite database (a file, or ":memory:").
///
/// Every write runs in an IMMEDIATE transaction and returns only after the commit. Every
/// SQLite failure becomes a 503 problem ("service unavailable: database error: ..."), with
/// the transaction rolled back; the object stays usable afterwards. Names are unique
/// ignoring case through a stored key (see `name_key` in "storage/codec.hpp"): surrounding
/// ASCII whitespace is ignored and only ASCII letters are folded.
///
/// Not thread-safe: one owner (the store actor) calls it.
class database {
public:
  /// The schema this code reads and writes (v1: integrations, v2: devices, v3: device
  /// zones).
  static constexpr int schema_version = 3;

  /// How long a statement waits for a lock held by another connection by default.
  static constexpr std::chrono::milliseconds default_busy_timeout{5000};

  /// Opens or creates the file (":memory:" works), sets the pragmas (WAL for files,
  /// synchronous=FULL, foreign_keys=ON, busy timeout) and migrates forward to
  /// `schema_version`. Fails with 503 when the file cannot be opened, holds a newer schema
  /// or is a SQLite file of something else. Removes temporary files that an interrupted
  /// backup or restore left next to the file.
  [[nodiscard]] static outcome<std::unique_ptr<database>> open(const std::string& path);

  ~database();

  database(const database&) = delete;
  database& operator=(const database&) = delete;

  /// Returns `PRAGMA user_version`, or -1 when it cannot be read.
  [[nodiscard]] int user_version();

  /// Changes how long a statement waits for a lock held by another connection.
  void set_busy_timeout(std::chrono::milliseconds timeout);

  /// Returns the integrations that pass every present filter, by `created_at`, then `id`.
  [[nodiscard]] outcome<std::vector<integration>> list_integrations(const integration_filter& f
                                                                    = {});

  /// 404 "Game integration not found".
  [[nodiscard]] outcome<integration> get_integration(const std::string& id);

  /// Stores a new integration with a fresh id ("gi_" + 8 hex) and `created_at` =
  /// `updated_at` = now, and returns it as stored. 409 when the name is taken.
  [[nodiscard]] outcome<integration> insert_integration(integration x);

  /// Replaces every field of integration `x.id` except `created_at`; `updated_at` becomes
  /// now (and always moves forward, by at least 1 ms). 404; 409 when another integration
  /// has the name (renaming an integration to its own name in another case is allowed).
  [[nodiscard]] outcome<integration> update_integration(integration x);

  /// Deletes an integration. 404; 409 with the referencing devices when any device lists it.
  [[nodiscard]] outcome<done> remove_integration(const std::string& id);

  /// Returns every device by `created_at`, then `id`.
  [[nodiscard]] outcome<std::vector<device>> list_devices();

  /// 404 "Device not found".
  [[nodiscard]] outcome<device> get_device(const std::string& id);

  /// Stores a new device with a fresh id ("dev_" + 8 hex). 422 listing every
  /// `integration_ids` entry that names no integration (checked first); 409 when the name
  /// is taken.
  [[nodiscard]] outcome<device> insert_device(device x);

  /// Replaces every field of device `x.id` except `created_at`, like `update_integration`.
  /// Checks in this order: 404, 422 (unknown integration ids), 409 (name).
  [[nodiscard]] outcome<device> update_device(device x);

  /// Deletes a device. 404.
  [[nodiscard]] outcome<done> remove_device(const std::string& id);

  /// Returns the devices that list integration `id`, by `created_at`, then `id`. 404 when
  /// the integration does not exist.
  [[nodiscard]] outcome<std::vector<reference>> references_to_integration(const std::string& id);

  /// Returns the bytes of a consistent snapshot of the whole database (a SQLite file in
  /// rollback-journal mode), taken with the online backup API.
  [[nodiscard]] outcome<std::string> backup();

  /// Replaces the whole database with the backup file `file_bytes` after validating a copy
  /// of it (header, integrity check, schema version and tables, rows) and migrating the copy
  /// forward. The swap is one transaction. 400 "invalid backup: <why>" for a refused file;
  /// the live data is then unchanged.
  [[nodiscard]] outcome<restore_counts> restore(const std::string& file_bytes);

private:
  database(std::unique_ptr<SQLite::Database> db, std::string path);

  /// Name prefixes of the temporary files of `backup` and `restore`.
  static constexpr std::string_view backup_temp_prefix = "gamelight-backup";
  static constexpr std::string_view restore_temp_prefix = "gamelight-restore";

  /// Returns where temporary files go: the database's directory, or the system's
  /// temporary directory for in-memory databases.
  [[nodiscard]] std::string temp_directory() const;

  /// Returns whether this is an in-memory (or temporary) database without a file.
  [[nodiscard]] bool in_memory() const;

  std::unique_ptr<SQLite::Database> db_;
  std::string path_;
};

} // namespace gamelight::storage
