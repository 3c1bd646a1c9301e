#include "storage/schema.hpp"

#include "storage/database.hpp"
#include "tests/storage/fixture.hpp"

#include <doctest/doctest.h>

using namespace gamelight;
using namespace gamelight::storage;
using namespace gamelight::storage::test;

namespace {

std::vector<std::string> tables(SQLite::Database& db) {
  std::vector<std::string> result;
  SQLite::Statement query{db, "SELECT name FROM sqlite_master WHERE type = 'table' "
                              "AND substr(name, 1, 7) <> 'sqlite_' ORDER BY name"};
  while (query.executeStep())
    result.push_back(query.getColumn(0).getString());
  return result;
}

/// Creates a file at schema version 1 holding one integration row.
void make_v1_file(const std::string& path) {
  auto db = raw(path);
  migrate(db, 1);
  db.exec(R"(INSERT INTO integrations VALUES ('gi_0000abcd', 'Old Rig', 'old rig', 'cs2', 1,
    '{"token":"abcdefgh"}',
    '[{"event_type":"kill","effect":"flash","color":[1,2,3],"duration_ms":250,"intensity":0.5,"priority":70}]',
    'from v1', '["fps"]', 1000, 2000))");
}

} // namespace

TEST_CASE("the migrations end at the schema version the code expects") {
  CHECK_EQ(latest_schema_version(), database::schema_version);
  REQUIRE_EQ(migrations().size(), 3u);
  CHECK_EQ(migrations()[0].version, 1);
  CHECK_EQ(migrations()[1].version, 2);
  CHECK_EQ(migrations()[2].version, 3);
}

TEST_CASE("opening a new file creates schema version 3 in WAL mode") {
  temp_dir dir;
  auto path = dir.file("gamelight.db");
  auto db = open_db(path);
  CHECK_EQ(db->user_version(), 3);
  auto check = raw(path);
  CHECK_EQ(check.execAndGet("PRAGMA user_version").getInt(), 3);
  CHECK_EQ(check.execAndGet("PRAGMA journal_mode").getString(), "wal");
  CHECK_EQ(tables(check),
           std::vector<std::string>{"device_integrations", "devices", "integrations"});
  CHECK_FALSE(schema_mismatch(check, 3).has_value());
}

TEST_CASE("an in-memory database works") {
  auto db = open_db(":memory:");
  CHECK_EQ(db->user_version(), 3);
  auto x = add(*db, sample_integration("Desk"));
  CHECK_EQ(all_integrations(*db), std::vector<integration>{x});
}

TEST_CASE("reopening a file keeps its data") {
  temp_dir dir;
  auto path = dir.file("gamelight.db");
  integration x;
  device d;
  {
    auto db = open_db(path);
    x = add(*db, sample_integration("Desk"));
    d = add(*db, sample_device("Strip", {x.id}));
  }
  auto db = open_db(path);
  CHECK_EQ(db->user_version(), 3);
  CHECK_EQ(all_integrations(*db), std::vector<integration>{x});
  CHECK_EQ(all_devices(*db), std::vector<device>{d});
}

TEST_CASE("a version 1 file migrates to version 3 and keeps its integrations") {
  temp_dir dir;
  auto path = dir.file("gamelight.db");
  make_v1_file(path);
  {
    auto check = raw(path);
    CHECK_EQ(tables(check), std::vector<std::string>{"integrations"});
  }
  auto db = open_db(path);
  CHECK_EQ(db->user_version(), 3);
  auto x = db->get_integration("gi_0000abcd");
  REQUIRE(x);
  CHECK_EQ(x->name, "Old Rig");
  CHECK_EQ(x->adapter_config, R"({"token":"abcdefgh"})");
  REQUIRE_EQ(x->event_mappings.size(), 1u);
  CHECK_EQ(x->event_mappings[0],
           event_mapping{"kill", effect_kind::flash, rgb{1, 2, 3}, 250, 0.5, 70, std::nullopt});
  CHECK_EQ(x->tags, std::vector<std::string>{"fps"});
  CHECK_EQ(x->created_at, 1000);
  CHECK_EQ(x->updated_at, 2000);
  auto d = add(*db, sample_device("Strip", {"gi_0000abcd"}));
  CHECK_EQ(d.integration_ids, std::vector<std::string>{"gi_0000abcd"});
  auto check = raw(path);
  CHECK_EQ(tables(check),
           std::vector<std::string>{"device_integrations", "devices", "integrations"});
  CHECK_FALSE(schema_mismatch(check, 3).has_value());
}

TEST_CASE("a version 2 file migrates to version 3: devices get no zones, mappings no zone") {
  temp_dir dir;
  auto path = dir.file("gamelight.db");
  make_v1_file(path);
  {
    auto db = raw(path);
    migrate(db, 2);
    db.exec(R"(INSERT INTO devices VALUES ('dev_0000beef', 'Old Strip', 'old strip',
      '192.168.1.60', 4048, 'ddp', 1, 90, 40, 1.0, 1, 3000, 4000))");
    db.exec("INSERT INTO device_integrations VALUES ('dev_0000beef', 0, 'gi_0000abcd')");
  }
  auto db = open_db(path);
  CHECK_EQ(db->user_version(), 3);
  auto d = db->get_device("dev_0000beef");
  REQUIRE(d);
  CHECK_EQ(d->name, "Old Strip");
  CHECK_EQ(d->led_count, 90u);
  CHECK(d->zones.empty());
  CHECK_EQ(d->integration_ids, std::vector<std::string>{"gi_0000abcd"});
  CHECK_EQ(d->updated_at, 4000);
  auto x = db->get_integration("gi_0000abcd");
  REQUIRE(x);
  REQUIRE_EQ(x->event_mappings.size(), 1u);
  CHECK_FALSE(x->event_mappings[0].zone.has_value());
  // The migrated row takes zones like a new one.
  d->zones = {zone{"health", 0, 45, false}, zone{"ammo", 45, 45, true}};
  auto updated = db->update_device(*d);
  REQUIRE(updated);
  CHECK_EQ(db->get_device("dev_0000beef")->zones, d->zones);
  auto check = raw(path);
  CHECK_EQ(check.execAndGet("SELECT zones FROM devices").getString(),
           R"([{"name":"health","start":0,"length":45,"reverse":false},)"
           R"({"name":"ammo","start":45,"length":45,"reverse":true}])");
  CHECK_FALSE(schema_mismatch(check, 3).has_value());
}

TEST_CASE("a file with a newer schema is refused and left alone") {
  temp_dir dir;
  auto path = dir.file("gamelight.db");
  {
    auto db = raw(path);
    migrate(db, 3);
    db.exec("PRAGMA user_version = 4");
  }
  auto db = database::open(path);
  REQUIRE_FALSE(db);
  CHECK_EQ(db.error().status, 503);
  CHECK_EQ(
      body(db),
      R"x({"detail":"service unavailable: database schema version 4 is newer than this daemon's (3)"})x");
  auto check = raw(path);
  CHECK_EQ(check.execAndGet("PRAGMA user_version").getInt(), 4);
}

TEST_CASE("a SQLite file of another application is refused") {
  temp_dir dir;
  auto path = dir.file("other.db");
  {
    auto db = raw(path);
    db.exec("CREATE TABLE notes (id INTEGER PRIMARY KEY, text TEXT)");
  }
  auto db = database::open(path);
  REQUIRE_FALSE(db);
  CHECK_EQ(db.error().status, 503);
  CHECK_EQ(db.error().detail.get<std::string>(),
           "service unavailable: database file '" + path + "' holds tables of another application");
  auto check = raw(path);
  CHECK_EQ(tables(check), std::vector<std::string>{"notes"});
}

TEST_CASE("a file that cannot be opened is a 503") {
  temp_dir dir;
  auto db = database::open(dir.file("missing/gamelight.db"));
  REQUIRE_FALSE(db);
  CHECK_EQ(db.error().status, 503);
  CHECK_EQ(body(db),
           R"({"detail":"service unavailable: database error: unable to open database file"})");
}

TEST_CASE("a file that is not SQLite is a 503 at open") {
  temp_dir dir;
  auto path = dir.file("gamelight.db");
  write_bytes(path, std::string(4096, 'x'));
  auto db = database::open(path);
  REQUIRE_FALSE(db);
  CHECK_EQ(db.error().status, 503);
  CHECK_EQ(body(db), R"({"detail":"service unavailable: database error: file is not a database"})");
}

TEST_CASE("schema_mismatch names what differs") {
  SQLite::Database db{":memory:", SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE};
  migrate(db, 1);
  CHECK_FALSE(schema_mismatch(db, 1).has_value());
  CHECK_EQ(schema_mismatch(db, 2).value_or(""), "missing table 'device_integrations'");
  db.exec("CREATE TABLE extra (x INTEGER)");
  CHECK_EQ(schema_mismatch(db, 1).value_or(""), "unexpected table 'extra'");
  db.exec("DROP TABLE extra");
  db.exec("DROP INDEX integrations_by_created");
  CHECK_EQ(schema_mismatch(db, 1).value_or(""), "missing index 'integrations_by_created'");
  SQLite::Database other{":memory:", SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE};
  other.exec("CREATE TABLE integrations (id TEXT PRIMARY KEY, name TEXT)");
  other.exec("CREATE INDEX integrations_by_created ON integrations (id)");
  CHECK_EQ(schema_mismatch(other, 1).value_or(""),
           "table 'integrations' has columns (id, name), expected (id, name, name_key, "
           "adapter_type, enabled, adapter_config, event_mappings, description, tags, "
           "created_at, updated_at)");
}

TEST_CASE("opening removes temporary files left by an interrupted backup or restore") {
  temp_dir dir;
  for (const char* name :
       {".gamelight-restore-0123456789abcdef.tmp", ".gamelight-restore-0123456789abcdef.tmp-wal",
        ".gamelight-backup-fedcba9876543210.tmp", ".gamelight-other.tmp", "notes.txt"})
    write_bytes(dir.file(name), "x");
  auto db = open_db(dir.file("gamelight.db"));
  CHECK_EQ(dir.entries(),
           (std::vector<std::string>{".gamelight-other.tmp", "gamelight.db", "gamelight.db-shm",
                                     "gamelight.db-wal", "notes.txt"}));
}
