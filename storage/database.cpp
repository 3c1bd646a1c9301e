#include "storage/database.hpp"

#include "common/log.hpp"
#include "common/security.hpp"
#include "storage/internal/sqlite.hpp"
#include "storage/schema.hpp"

#include <SQLiteCpp/SQLiteCpp.h>

#include <algorithm>
#include <filesystem>
#include <system_error>

namespace gamelight::storage {

namespace internal {

std::unique_ptr<SQLite::Database> connect(const std::string& path, bool create,
                                          std::chrono::milliseconds busy_timeout) {
  auto flags = SQLite::OPEN_READWRITE | (create ? SQLite::OPEN_CREATE : 0);
  return std::make_unique<SQLite::Database>(path, flags, static_cast<int>(busy_timeout.count()));
}

temp_file::temp_file(const std::string& directory, std::string_view prefix) {
  // Appended rather than `"." + std::string{...}`: GCC 12 at -O3 reports a false
  // -Wrestrict on operator+(const char*, std::string&&), an error in CI's Release build.
  std::string name{"."};
  name.append(prefix).append("-").append(random_hex(16)).append(".tmp");
  path_ = (std::filesystem::path{directory} / name).string();
}

temp_file::~temp_file() {
  for (const char* suffix : {"", "-wal", "-shm", "-journal"}) {
    std::error_code ignored;
    std::filesystem::remove(path_ + suffix, ignored);
  }
}

void remove_stale_temp_files(const std::string& directory,
                             std::initializer_list<std::string_view> prefixes) {
  std::error_code ec;
  for (const auto& entry : std::filesystem::directory_iterator{directory, ec}) {
    auto name = entry.path().filename().string();
    auto ours = std::any_of(prefixes.begin(), prefixes.end(), [&](std::string_view prefix) {
      std::string start{"."};
      start.append(prefix).append("-");
      return name.starts_with(start);
    });
    if (!ours || name.find(".tmp") == std::string::npos)
      continue;
    std::error_code ignored;
    if (std::filesystem::remove(entry.path(), ignored))
      log::warning("storage removed the stale temporary file ", entry.path().string());
  }
}

std::size_t count_rows(SQLite::Database& db, std::string_view table) {
  auto sql = "SELECT count(*) FROM " + std::string{table};
  return static_cast<std::size_t>(db.execAndGet(sql).getInt64());
}

} // namespace internal

database::database(std::unique_ptr<SQLite::Database> db, std::string path)
    : db_(std::move(db)), path_(std::move(path)) {}

database::~database() = default;

outcome<std::unique_ptr<database>> database::open(const std::string& path) {
  using result = outcome<std::unique_ptr<database>>;
  return internal::guarded("open the database", [&]() -> result {
    auto db = internal::connect(path, true, default_busy_timeout);
    auto version = db->execAndGet("PRAGMA user_version").getInt();
    if (version > schema_version)
      return problems::unavailable("database schema version " + std::to_string(version)
                                   + " is newer than this daemon's ("
                                   + std::to_string(schema_version) + ")");
    if (version < 0)
      return problems::unavailable("database schema version " + std::to_string(version)
                                   + " is invalid");
    if (version == 0 && has_user_objects(*db))
      return problems::unavailable("database file '" + path
                                   + "' holds tables of another application");
    auto self = std::unique_ptr<database>{new database{std::move(db), path}};
    if (!self->in_memory()) {
      internal::remove_stale_temp_files(self->temp_directory(),
                                        {backup_temp_prefix, restore_temp_prefix});
      auto mode = self->db_->execAndGet("PRAGMA journal_mode=WAL").getString();
      if (mode != "wal")
        log::warning("storage could not enable WAL mode, journal mode is ", mode);
    }
    self->db_->exec("PRAGMA synchronous=FULL");
    self->db_->exec("PRAGMA foreign_keys=ON");
    migrate(*self->db_, schema_version);
    if (version == 0)
      log::info("storage created schema version ", schema_version, " in ", path);
    else if (version < schema_version)
      log::info("storage migrated ", path, " from schema version ", version, " to ",
                schema_version);
    return result{std::move(self)};
  });
}

int database::user_version() {
  try {
    return db_->execAndGet("PRAGMA user_version").getInt();
  } catch (const SQLite::Exception& e) {
    log::error("storage failed to read the schema version: ", e.what());
    return -1;
  }
}

void database::set_busy_timeout(std::chrono::milliseconds timeout) {
  try {
    db_->setBusyTimeout(static_cast<int>(timeout.count()));
  } catch (const SQLite::Exception& e) {
    log::error("storage failed to set the busy timeout: ", e.what());
  }
}

bool database::in_memory() const {
  return path_.empty() || path_ == ":memory:";
}

std::string database::temp_directory() const {
  if (in_memory()) {
    std::error_code ec;
    auto dir = std::filesystem::temp_directory_path(ec);
    return ec ? std::string{"."} : dir.string();
  }
  auto dir = std::filesystem::path{path_}.parent_path();
  return dir.empty() ? std::string{"."} : dir.string();
}

} // namespace gamelight::storage
