#include "common/json.hpp"
#include "storage/database.hpp"
#include "storage/internal/sqlite.hpp"
#include "storage/schema.hpp"

#include <SQLiteCpp/Backup.h>
#include <SQLiteCpp/SQLiteCpp.h>

#include <algorithm>
#include <cstdint>
#include <fstream>
#include <iterator>
#include <sqlite3.h>

namespace gamelight::storage {

namespace {

/// The first 16 bytes of every SQLite 3 database file.
constexpr std::string_view sqlite_magic{"SQLite format 3\0", 16};

std::uint32_t big_endian(std::string_view bytes, std::size_t offset, std::size_t n) {
  std::uint32_t result = 0;
  for (std::size_t i = 0; i < n; ++i)
    result = (result << 8) | static_cast<unsigned char>(bytes[offset + i]);
  return result;
}

/// Returns why the 100-byte database header of `bytes` rules the file out, if it does.
std::optional<std::string> header_problem(std::string_view bytes) {
  if (bytes.size() < sqlite_magic.size() || bytes.substr(0, sqlite_magic.size()) != sqlite_magic)
    return "not a SQLite database file";
  if (bytes.size() < 100)
    return "truncated file (" + std::to_string(bytes.size()) + " bytes)";
  std::size_t page_size = big_endian(bytes, 16, 2);
  if (page_size == 1)
    page_size = 65536;
  if (page_size < 512 || page_size > 65536 || (page_size & (page_size - 1)) != 0)
    return "corrupt header (page size " + std::to_string(page_size) + ")";
  // The page count at offset 28 is valid when the change counter (24) matches the
  // "version-valid-for" number (92).
  auto pages = big_endian(bytes, 28, 4);
  auto expected = static_cast<std::size_t>(pages) * page_size;
  if (pages != 0 && big_endian(bytes, 24, 4) == big_endian(bytes, 92, 4) && bytes.size() < expected)
    return "truncated file (" + std::to_string(bytes.size()) + " bytes, expected "
           + std::to_string(expected) + ")";
  if (bytes.size() % page_size != 0)
    return "truncated file (" + std::to_string(bytes.size()) + " bytes is not a whole number of "
           + std::to_string(page_size) + "-byte pages)";
  return std::nullopt;
}

/// Returns whether a failure lies with this machine (disk, memory, locks) rather than with
/// the file being restored.
bool server_fault(const SQLite::Exception& e) {
  if (e.getExtendedErrorCode() == SQLITE_IOERR_SHORT_READ)
    return false;
  switch (e.getErrorCode() & 0xff) {
    case SQLITE_FULL:
    case SQLITE_IOERR:
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
    case SQLITE_NOMEM:
    case SQLITE_READONLY:
    case SQLITE_CANTOPEN:
    case SQLITE_PERM:
      return true;
    default:
      return false;
  }
}

bool write_file(const std::string& path, std::string_view bytes) {
  std::ofstream out{path, std::ios::binary | std::ios::trunc};
  out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  out.close();
  return !out.fail();
}

std::optional<std::string> read_file(const std::string& path) {
  std::ifstream in{path, std::ios::binary};
  if (!in)
    return std::nullopt;
  std::string result{std::istreambuf_iterator<char>{in}, std::istreambuf_iterator<char>{}};
  if (in.bad())
    return std::nullopt;
  return result;
}

/// Returns why the rows of a copy (already at `database::schema_version`) cannot be served.
/// Throws `SQLite::Exception`.
std::optional<std::string> row_problem(SQLite::Database& copy) {
  try {
    for (const auto& x : internal::load_integrations(copy, {})) {
      auto config = json::parse(x.adapter_config, nullptr, false);
      if (!config.is_object())
        return "integration '" + x.id + "' has an adapter_config that is not a JSON object";
    }
    static_cast<void>(internal::load_devices(copy, std::nullopt));
  } catch (const corrupt_data& e) {
    return e.what();
  }
  for (const char* table : {"integrations", "devices"}) {
    SQLite::Statement names{copy, std::string{"SELECT id, name, name_key FROM "} + table};
    while (names.executeStep())
      if (names.getColumn(2).getString() != name_key(names.getColumn(1).getString()))
        return std::string{table} + " row '" + names.getColumn(0).getString()
               + "' has an inconsistent name_key";
  }
  return std::nullopt;
}

/// Validates the copy and brings it to `database::schema_version` with the live database's
/// page size. Returns why the file is refused. Throws `SQLite::Exception`.
std::optional<std::string> prepare_copy(SQLite::Database& copy, SQLite::Database& live) {
  SQLite::Statement check{copy, "PRAGMA integrity_check"};
  if (!check.executeStep())
    return "integrity check returned nothing";
  if (auto verdict = check.getColumn(0).getString(); verdict != "ok") {
    std::replace(verdict.begin(), verdict.end(), '\n', ' ');
    return "integrity check failed: " + verdict;
  }
  check.reset();
  if (auto encoding = copy.execAndGet("PRAGMA encoding").getString(); encoding != "UTF-8")
    return "text encoding " + encoding + " is not supported";
  auto version = copy.execAndGet("PRAGMA user_version").getInt();
  if (version < 1)
    return "not a gamelight database (schema version " + std::to_string(version) + ")";
  if (version > database::schema_version)
    return "schema version " + std::to_string(version) + " is newer than this daemon's ("
           + std::to_string(database::schema_version) + ")";
  if (auto why = schema_mismatch(copy, version))
    return "schema version " + std::to_string(version) + ": " + *why;
  SQLite::Statement foreign_keys{copy, "PRAGMA foreign_key_check"};
  if (foreign_keys.executeStep())
    return "foreign key check failed in table '" + foreign_keys.getColumn(0).getString() + "'";
  foreign_keys.reset();
  // The copy becomes a plain rollback-journal file: it may carry the WAL flag of the
  // database it was taken from.
  static_cast<void>(copy.execAndGet("PRAGMA journal_mode=DELETE"));
  migrate(copy, database::schema_version);
  // The backup API cannot copy into a WAL database with a different page size.
  auto page_size = live.execAndGet("PRAGMA page_size").getInt();
  if (copy.execAndGet("PRAGMA page_size").getInt() != page_size) {
    copy.exec("PRAGMA page_size = " + std::to_string(page_size));
    copy.exec("VACUUM");
  }
  return row_problem(copy);
}

} // namespace

outcome<std::string> database::backup() {
  return internal::guarded("back up the database", [&]() -> outcome<std::string> {
    internal::temp_file file{temp_directory(), backup_temp_prefix};
    {
      auto copy = internal::connect(file.path(), true, default_busy_timeout);
      SQLite::Backup step{*copy, *db_};
      if (auto rc = step.executeStep(-1); rc != SQLITE_DONE)
        return internal::database_error(std::string{"backup did not finish: "}
                                        + sqlite3_errstr(rc));
      static_cast<void>(copy->execAndGet("PRAGMA journal_mode=DELETE"));
    }
    auto bytes = read_file(file.path());
    if (!bytes) {
      log::error("storage failed to read the temporary file ", file.path());
      return internal::database_error("cannot read a temporary file");
    }
    return std::move(*bytes);
  });
}

outcome<restore_counts> database::restore(const std::string& file_bytes) {
  auto refuse = [](const std::string& why) {
    log::warning("storage refused a backup: ", why);
    return problems::bad_request("invalid backup: " + why);
  };
  // The header is checked on the bytes, which are exactly the copy's content, so a file
  // that is not even SQLite never reaches the disk.
  if (auto why = header_problem(file_bytes))
    return refuse(*why);
  internal::temp_file file{temp_directory(), restore_temp_prefix};
  if (!write_file(file.path(), file_bytes)) {
    log::error("storage failed to write the temporary file ", file.path());
    return internal::database_error("cannot write a temporary file");
  }
  std::unique_ptr<SQLite::Database> copy;
  try {
    copy = internal::connect(file.path(), false, default_busy_timeout);
    if (auto why = prepare_copy(*copy, *db_))
      return refuse(*why);
  } catch (const SQLite::Exception& e) {
    if (server_fault(e)) {
      log::error("storage failed to check a backup: ", e.what());
      return internal::database_error(e.what());
    }
    return refuse(e.what());
  }
  return internal::guarded("restore the database", [&]() -> outcome<restore_counts> {
    {
      SQLite::Backup step{*db_, *copy};
      if (auto rc = step.executeStep(-1); rc != SQLITE_DONE)
        return internal::database_error(std::string{"restore did not finish: "}
                                        + sqlite3_errstr(rc));
    }
    restore_counts result;
    result.integrations = internal::count_rows(*db_, "integrations");
    result.devices = internal::count_rows(*db_, "devices");
    log::info("storage restored a backup with ", result.integrations, " integration(s) and ",
              result.devices, " device(s)");
    return result;
  });
}

} // namespace gamelight::storage
