#include "storage/schema.hpp"

#include <SQLiteCpp/SQLiteCpp.h>

#include <array>
#include <map>
#include <string>
#include <vector>

namespace gamelight::storage {

namespace {

// Version 1: game integrations. JSON values are stored as text; `name_key` is the
// case-folded name that makes names unique ignoring case.
constexpr std::array<std::string_view, 2> v1 = {
    R"(CREATE TABLE integrations (
  id TEXT NOT NULL PRIMARY KEY,
  name TEXT NOT NULL,
  name_key TEXT NOT NULL UNIQUE,
  adapter_type TEXT NOT NULL,
  enabled INTEGER NOT NULL CHECK (enabled IN (0, 1)),
  adapter_config TEXT NOT NULL,
  event_mappings TEXT NOT NULL,
  description TEXT NOT NULL,
  tags TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
) STRICT)",
    "CREATE INDEX integrations_by_created ON integrations (created_at, id)",
};

// Version 2: devices, and the ordered list of integrations that drive each device.
constexpr std::array<std::string_view, 4> v2 = {
    R"(CREATE TABLE devices (
  id TEXT NOT NULL PRIMARY KEY,
  name TEXT NOT NULL,
  name_key TEXT NOT NULL UNIQUE,
  host TEXT NOT NULL,
  port INTEGER NOT NULL,
  protocol TEXT NOT NULL,
  universe INTEGER NOT NULL,
  led_count INTEGER NOT NULL,
  fps INTEGER NOT NULL,
  brightness REAL NOT NULL,
  enabled INTEGER NOT NULL CHECK (enabled IN (0, 1)),
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
) STRICT)",
    "CREATE INDEX devices_by_created ON devices (created_at, id)",
    R"(CREATE TABLE device_integrations (
  device_id TEXT NOT NULL REFERENCES devices (id) ON DELETE CASCADE,
  position INTEGER NOT NULL,
  integration_id TEXT NOT NULL REFERENCES integrations (id) ON DELETE RESTRICT,
  PRIMARY KEY (device_id, position)
) STRICT)",
    "CREATE INDEX device_integrations_by_integration ON device_integrations (integration_id)",
};

// Version 3: device zones as JSON text (`[]` for every device stored before). Event
// mappings are JSON text already; the ones stored before have no `zone` and play on the
// whole strip.
constexpr std::array<std::string_view, 1> v3 = {
    "ALTER TABLE devices ADD COLUMN zones TEXT NOT NULL DEFAULT '[]'",
};

const std::array<migration, 3> all_migrations = {
    migration{1, v1},
    migration{2, v2},
    migration{3, v3},
};

/// One schema object as recorded in `sqlite_master`.
struct schema_object {
  std::string type;
  std::string table;
  std::string sql;
};

/// Returns the user objects of `db` by name.
std::map<std::string, schema_object> user_objects(SQLite::Database& db) {
  std::map<std::string, schema_object> result;
  SQLite::Statement query{db, "SELECT type, name, tbl_name, coalesce(sql, '') FROM sqlite_master "
                              "WHERE substr(name, 1, 7) <> 'sqlite_'"};
  while (query.executeStep())
    result[query.getColumn(1).getString()]
        = schema_object{query.getColumn(0).getString(), query.getColumn(2).getString(),
                        query.getColumn(3).getString()};
  return result;
}

/// Returns the columns of a table as "name type [NOT NULL] [DEFAULT x] [PK n]" lines.
std::vector<std::string> columns(SQLite::Database& db, const std::string& table) {
  std::vector<std::string> result;
  SQLite::Statement query{db, "SELECT name, type, \"notnull\", dflt_value, pk "
                              "FROM pragma_table_info(?) ORDER BY cid"};
  query.bind(1, table);
  while (query.executeStep()) {
    auto line = query.getColumn(0).getString() + " " + query.getColumn(1).getString();
    if (query.getColumn(2).getInt() != 0)
      line += " NOT NULL";
    if (!query.getColumn(3).isNull())
      line += " DEFAULT " + query.getColumn(3).getString();
    if (auto pk = query.getColumn(4).getInt(); pk != 0)
      line += " PK " + std::to_string(pk);
    result.push_back(std::move(line));
  }
  return result;
}

std::string column_names(SQLite::Database& db, const std::string& table) {
  std::string result;
  SQLite::Statement query{db, "SELECT name FROM pragma_table_info(?) ORDER BY cid"};
  query.bind(1, table);
  while (query.executeStep()) {
    if (!result.empty())
      result += ", ";
    result += query.getColumn(0).getString();
  }
  return result;
}

} // namespace

std::span<const migration> migrations() {
  return all_migrations;
}

int latest_schema_version() {
  return all_migrations.back().version;
}

void migrate(SQLite::Database& db, int target) {
  auto current = db.execAndGet("PRAGMA user_version").getInt();
  for (const auto& step : all_migrations) {
    if (step.version <= current || step.version > target)
      continue;
    SQLite::Transaction transaction{db, SQLite::TransactionBehavior::IMMEDIATE};
    for (auto statement : step.statements)
      db.exec(std::string{statement});
    db.exec("PRAGMA user_version = " + std::to_string(step.version));
    transaction.commit();
  }
}

std::optional<std::string> schema_mismatch(SQLite::Database& db, int version) {
  SQLite::Database reference{":memory:", SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE};
  migrate(reference, version);
  auto expected = user_objects(reference);
  auto actual = user_objects(db);
  for (const auto& [name, object] : actual)
    if (!expected.contains(name))
      return "unexpected " + object.type + " '" + name + "'";
  for (const auto& [name, object] : expected) {
    auto i = actual.find(name);
    if (i == actual.end())
      return "missing " + object.type + " '" + name + "'";
    if (i->second.type != object.type)
      return "'" + name + "' is a " + i->second.type + ", expected a " + object.type;
    if (object.type == "table" && columns(db, name) != columns(reference, name))
      return "table '" + name + "' has columns (" + column_names(db, name) + "), expected ("
             + column_names(reference, name) + ")";
    if (i->second.table != object.table || i->second.sql != object.sql)
      return object.type + " '" + name + "' differs from the schema version "
             + std::to_string(version) + " definition";
  }
  return std::nullopt;
}

bool has_user_objects(SQLite::Database& db) {
  return !user_objects(db).empty();
}

} // namespace gamelight::storage
