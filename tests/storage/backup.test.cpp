#include "storage/database.hpp"
#include "storage/schema.hpp"
#include "tests/storage/fixture.hpp"

#include <doctest/doctest.h>

using namespace gamelight;
using namespace gamelight::storage;
using namespace gamelight::storage::test;

namespace {

constexpr std::string_view magic{"SQLite format 3\0", 16};

/// A live database file with two integrations and a device, in a fresh directory.
struct populated {
  temp_dir dir;
  std::string path = dir.file("gamelight.db");
  std::unique_ptr<database> db = open_db(path);
  integration a = add(*db, sample_integration("A"));
  integration b = add(*db, sample_integration("B"));
  device strip = add(*db, sample_device("Strip", {b.id, a.id}));

  /// The files a live database leaves in its directory.
  [[nodiscard]] static std::vector<std::string> live_files() {
    return {"gamelight.db", "gamelight.db-shm", "gamelight.db-wal"};
  }
};

/// Returns the bytes of a SQLite file built by `build` on a raw connection.
template <class F>
std::string make_file(F build) {
  temp_dir dir;
  auto path = dir.file("made.db");
  {
    auto db = raw(path);
    build(db);
  }
  return read_bytes(path);
}

/// Requires that `restore(bytes)` is refused with exactly `detail`, and that the live rows
/// and the directory are as before.
void require_refused(populated& live, const std::string& bytes, const std::string& detail) {
  auto integrations = all_integrations(*live.db);
  auto devices = all_devices(*live.db);
  auto result = live.db->restore(bytes);
  REQUIRE_FALSE(result);
  CHECK_EQ(result.error().status, 400);
  CHECK_EQ(result.error().detail.get<std::string>(), detail);
  CHECK_EQ(all_integrations(*live.db), integrations);
  CHECK_EQ(all_devices(*live.db), devices);
  CHECK_EQ(live.dir.entries(), populated::live_files());
  CHECK_EQ(live.db->user_version(), 3);
}

} // namespace

TEST_CASE("a backup reopens as a valid database with the same rows") {
  populated live;
  auto bytes = live.db->backup();
  REQUIRE(bytes);
  REQUIRE(bytes->size() >= 100);
  CHECK_EQ(bytes->substr(0, 16), magic);
  CHECK_EQ(live.dir.entries(), populated::live_files());
  temp_dir other;
  auto path = other.file("copy.db");
  write_bytes(path, *bytes);
  {
    auto check = raw(path);
    CHECK_EQ(check.execAndGet("PRAGMA integrity_check").getString(), "ok");
    CHECK_EQ(check.execAndGet("PRAGMA user_version").getInt(), 3);
    CHECK_EQ(check.execAndGet("PRAGMA journal_mode").getString(), "delete");
    CHECK_FALSE(schema_mismatch(check, 3).has_value());
  }
  auto copy = open_db(path);
  CHECK_EQ(all_integrations(*copy), all_integrations(*live.db));
  CHECK_EQ(all_devices(*copy), all_devices(*live.db));
}

TEST_CASE("a backup of an in-memory database works") {
  auto db = open_db(":memory:");
  auto x = add(*db, sample_integration("A"));
  auto bytes = db->backup();
  REQUIRE(bytes);
  auto copy = open_db(":memory:");
  auto counts = copy->restore(*bytes);
  REQUIRE(counts);
  CHECK_EQ(counts->integrations, 1u);
  CHECK_EQ(all_integrations(*copy), std::vector<integration>{x});
}

TEST_CASE("a backup is a consistent snapshot while another connection writes") {
  populated live;
  auto writer = raw(live.path);
  SQLite::Transaction pending{writer, SQLite::TransactionBehavior::IMMEDIATE};
  writer.exec("DELETE FROM device_integrations");
  writer.exec("DELETE FROM devices");
  writer.exec(R"(INSERT INTO integrations VALUES ('gi_0000abcd', 'Late', 'late', 'cs2', 1, '{}',
    '[]', '', '[]', 1, 1))");
  auto during = live.db->backup();
  REQUIRE(during);
  pending.commit();
  auto after = live.db->backup();
  REQUIRE(after);
  auto check = open_db(":memory:");
  REQUIRE(check->restore(*during));
  CHECK_EQ(names(all_integrations(*check)).size(), 2u);
  CHECK_EQ(all_devices(*check), std::vector<device>{live.strip});
  REQUIRE(check->restore(*after));
  CHECK_EQ(all_integrations(*check).size(), 3u);
  CHECK(all_devices(*check).empty());
}

TEST_CASE("restoring a good backup replaces the data") {
  populated live;
  auto snapshot_integrations = all_integrations(*live.db);
  auto snapshot_devices = all_devices(*live.db);
  auto bytes = live.db->backup();
  REQUIRE(bytes);
  REQUIRE(live.db->remove_device(live.strip.id));
  REQUIRE(live.db->remove_integration(live.a.id));
  add(*live.db, sample_integration("C"));
  add(*live.db, sample_integration("D"));
  auto renamed = live.b;
  renamed.name = "B2";
  REQUIRE(live.db->update_integration(renamed));

  auto counts = live.db->restore(*bytes);
  REQUIRE(counts);
  CHECK_EQ(counts->integrations, 2u);
  CHECK_EQ(counts->devices, 1u);
  CHECK_EQ(all_integrations(*live.db), snapshot_integrations);
  CHECK_EQ(all_devices(*live.db), snapshot_devices);
  CHECK_EQ(live.db->user_version(), 3);
  CHECK_EQ(live.dir.entries(), populated::live_files());
  {
    auto check = raw(live.path);
    CHECK_EQ(check.execAndGet("PRAGMA journal_mode").getString(), "wal");
  }
  // Still fully usable, constraints included.
  CHECK_EQ(body(live.db->insert_integration(sample_integration("a"))),
           R"({"detail":"Game integration with name 'a' already exists"})");
  add(*live.db, sample_integration("E"));
  CHECK_EQ(live.db->remove_integration(live.a.id).error().status, 409);
  // And a reopen sees the same.
  live.db.reset();
  auto reopened = open_db(live.path);
  CHECK_EQ(all_integrations(*reopened).size(), 3u);
  CHECK_EQ(all_devices(*reopened), snapshot_devices);
}

TEST_CASE("restoring bytes that are not SQLite is refused") {
  populated live;
  require_refused(live, "", "invalid backup: not a SQLite database file");
  require_refused(live, "hello world, this is not a database",
                  "invalid backup: not a SQLite database file");
  require_refused(live, std::string(8192, '\0'), "invalid backup: not a SQLite database file");
  require_refused(live, std::string{magic}, "invalid backup: truncated file (16 bytes)");
}

TEST_CASE("restoring a truncated backup is refused") {
  populated live;
  auto bytes = live.db->backup();
  REQUIRE(bytes);
  REQUIRE(bytes->size() % 4096 == 0);
  REQUIRE(bytes->size() >= 3 * 4096);
  auto pages = bytes->size() - 4096;
  require_refused(live, bytes->substr(0, pages),
                  "invalid backup: truncated file (" + std::to_string(pages) + " bytes, expected "
                      + std::to_string(bytes->size()) + ")");
  require_refused(live, bytes->substr(0, 1000),
                  "invalid backup: truncated file (1000 bytes, expected "
                      + std::to_string(bytes->size()) + ")");
}

TEST_CASE("restoring a backup with a newer schema version is refused") {
  populated live;
  auto bytes = make_file([](SQLite::Database& db) {
    migrate(db, 2);
    db.exec("PRAGMA user_version = 99");
  });
  require_refused(live, bytes, "invalid backup: schema version 99 is newer than this daemon's (3)");
}

TEST_CASE("restoring a SQLite file with other tables is refused") {
  populated live;
  require_refused(live, make_file([](SQLite::Database& db) {
                    db.exec("CREATE TABLE notes (id INTEGER PRIMARY KEY, text TEXT)");
                  }),
                  "invalid backup: not a gamelight database (schema version 0)");
  require_refused(live, make_file([](SQLite::Database& db) {
                    db.exec("CREATE TABLE notes (id INTEGER PRIMARY KEY, text TEXT)");
                    db.exec("PRAGMA user_version = 2");
                  }),
                  "invalid backup: schema version 2: unexpected table 'notes'");
  require_refused(live, make_file([](SQLite::Database& db) {
                    migrate(db, 1);
                    db.exec("PRAGMA user_version = 2");
                  }),
                  "invalid backup: schema version 2: missing table 'device_integrations'");
  require_refused(live, make_file([](SQLite::Database& db) {
                    migrate(db, 2);
                    db.exec("ALTER TABLE devices DROP COLUMN universe");
                  }),
                  "invalid backup: schema version 2: table 'devices' has columns (id, name, "
                  "name_key, host, port, protocol, led_count, fps, brightness, enabled, "
                  "created_at, updated_at), expected (id, name, name_key, host, port, protocol, "
                  "universe, led_count, fps, brightness, enabled, created_at, updated_at)");
  require_refused(live, make_file([](SQLite::Database& db) {
                    migrate(db, 2);
                    db.exec("CREATE TRIGGER sneaky AFTER INSERT ON devices BEGIN "
                            "DELETE FROM integrations; END");
                  }),
                  "invalid backup: schema version 2: unexpected trigger 'sneaky'");
}

TEST_CASE("restoring a backup with rows that cannot be served is refused") {
  populated live;
  require_refused(live, make_file([](SQLite::Database& db) {
                    migrate(db, 2);
                    db.exec(R"(INSERT INTO integrations VALUES ('gi_0000abcd', 'X', 'x', 'cs2', 1,
                      '{}', 'not json', '', '[]', 1, 1))");
                  }),
                  "invalid backup: stored event_mappings is not valid JSON");
  require_refused(live, make_file([](SQLite::Database& db) {
                    migrate(db, 2);
                    db.exec(R"(INSERT INTO integrations VALUES ('gi_0000abcd', 'X', 'x', 'cs2', 1,
                      '[1]', '[]', '', '[]', 1, 1))");
                  }),
                  "invalid backup: integration 'gi_0000abcd' has an adapter_config that is not "
                  "a JSON object");
  require_refused(live, make_file([](SQLite::Database& db) {
                    migrate(db, 2);
                    db.exec(R"(INSERT INTO integrations VALUES ('gi_0000abcd', 'X', 'other', 'cs2',
                      1, '{}', '[]', '', '[]', 1, 1))");
                  }),
                  "invalid backup: integrations row 'gi_0000abcd' has an inconsistent name_key");
  require_refused(live, make_file([](SQLite::Database& db) {
                    migrate(db, 2);
                    db.exec(R"(INSERT INTO devices VALUES ('dev_0000abcd', 'X', 'x', 'h', 1,
                      'artnet', 1, 1, 1, 1.0, 1, 1, 1))");
                  }),
                  "invalid backup: stored device protocol 'artnet' is unknown");
  require_refused(live, make_file([](SQLite::Database& db) {
                    migrate(db, 2);
                    db.exec(R"(INSERT INTO devices VALUES ('dev_0000abcd', 'X', 'x', 'h', 1,
                      'ddp', 1, 1, 1, 1.0, 1, 1, 1))");
                    db.exec("INSERT INTO device_integrations VALUES ('dev_0000abcd', 0, "
                            "'gi_missing')");
                  }),
                  "invalid backup: foreign key check failed in table 'device_integrations'");
}

TEST_CASE("restoring a corrupt file is refused") {
  populated live;
  auto bytes = live.db->backup();
  REQUIRE(bytes);
  REQUIRE(bytes->size() >= 2 * 4096);
  // Overwrite page 2 (the root of the first table) with garbage.
  auto corrupt = *bytes;
  for (std::size_t i = 4096; i < 2 * 4096; ++i)
    corrupt[i] = static_cast<char>(0xA5);
  auto integrations = all_integrations(*live.db);
  auto result = live.db->restore(corrupt);
  REQUIRE_FALSE(result);
  CHECK_EQ(result.error().status, 400);
  auto detail = result.error().detail.get<std::string>();
  CHECK(detail.starts_with("invalid backup: integrity check failed: "));
  CHECK_EQ(detail.find('\n'), std::string::npos);
  CHECK_EQ(all_integrations(*live.db), integrations);
  CHECK_EQ(live.dir.entries(), populated::live_files());
}

TEST_CASE("restoring a version 1 backup migrates it forward") {
  populated live;
  auto bytes = make_file([](SQLite::Database& db) {
    migrate(db, 1);
    db.exec(R"(INSERT INTO integrations VALUES ('gi_0000abcd', 'Old', 'old', 'cs2', 1,
      '{"token":"abcdefgh"}', '[]', 'v1', '["x"]', 10, 20))");
  });
  auto counts = live.db->restore(bytes);
  REQUIRE(counts);
  CHECK_EQ(counts->integrations, 1u);
  CHECK_EQ(counts->devices, 0u);
  CHECK_EQ(live.db->user_version(), 3);
  CHECK_EQ(names(all_integrations(*live.db)), std::vector<std::string>{"Old"});
  CHECK(all_devices(*live.db).empty());
  auto d = add(*live.db, sample_device("Strip", {"gi_0000abcd"}));
  CHECK_EQ(d.integration_ids, std::vector<std::string>{"gi_0000abcd"});
  CHECK_EQ(live.dir.entries(), populated::live_files());
}

TEST_CASE("restoring a version 2 backup (before zones) migrates it forward") {
  populated live;
  auto bytes = make_file([](SQLite::Database& db) {
    migrate(db, 2);
    db.exec(R"(INSERT INTO integrations VALUES ('gi_0000abcd', 'Old', 'old', 'cs2', 1,
      '{"token":"abcdefgh"}',
      '[{"event_type":"kill","effect":"flash","color":[1,2,3],"duration_ms":250,"intensity":0.5,"priority":70}]',
      'v2', '[]', 10, 20))");
    db.exec(R"(INSERT INTO devices VALUES ('dev_0000beef', 'Old Strip', 'old strip',
      '192.168.1.60', 4048, 'ddp', 1, 90, 40, 1.0, 1, 30, 40))");
    db.exec("INSERT INTO device_integrations VALUES ('dev_0000beef', 0, 'gi_0000abcd')");
  });
  auto counts = live.db->restore(bytes);
  REQUIRE_MESSAGE(counts, (counts ? std::string{} : counts.error().body().dump()));
  CHECK_EQ(counts->integrations, 1u);
  CHECK_EQ(counts->devices, 1u);
  CHECK_EQ(live.db->user_version(), 3);
  auto devices = all_devices(*live.db);
  REQUIRE_EQ(devices.size(), 1u);
  CHECK_EQ(devices[0].id, "dev_0000beef");
  CHECK(devices[0].zones.empty());
  CHECK_EQ(devices[0].integration_ids, std::vector<std::string>{"gi_0000abcd"});
  auto integrations = all_integrations(*live.db);
  REQUIRE_EQ(integrations.size(), 1u);
  REQUIRE_EQ(integrations[0].event_mappings.size(), 1u);
  CHECK_FALSE(integrations[0].event_mappings[0].zone.has_value());
  // A backup of the migrated data restores as it is.
  auto again = live.db->backup();
  REQUIRE(again);
  REQUIRE(live.db->restore(*again));
  CHECK_EQ(all_devices(*live.db), devices);
  CHECK_EQ(live.dir.entries(), populated::live_files());
}

TEST_CASE("restoring a backup with another page size works in WAL mode") {
  populated live;
  auto bytes = make_file([](SQLite::Database& db) {
    db.exec("PRAGMA page_size = 1024");
    migrate(db, 2);
    db.exec(R"(INSERT INTO integrations VALUES ('gi_0000abcd', 'Small', 'small', 'cs2', 1,
      '{}', '[]', '', '[]', 1, 1))");
  });
  REQUIRE_EQ(bytes.size() % 1024, 0u);
  REQUIRE_NE(bytes.size() % 4096, 0u);
  auto counts = live.db->restore(bytes);
  REQUIRE_MESSAGE(counts, (counts ? std::string{} : counts.error().body().dump()));
  CHECK_EQ(counts->integrations, 1u);
  CHECK_EQ(names(all_integrations(*live.db)), std::vector<std::string>{"Small"});
  auto check = raw(live.path);
  CHECK_EQ(check.execAndGet("PRAGMA page_size").getInt(), 4096);
  CHECK_EQ(check.execAndGet("PRAGMA journal_mode").getString(), "wal");
}
