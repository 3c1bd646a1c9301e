#include "storage/database.hpp"
#include "tests/storage/fixture.hpp"

#include <doctest/doctest.h>

#include <chrono>
#include <csignal>
#include <filesystem>
#include <sys/resource.h>

using namespace gamelight;
using namespace gamelight::storage;
using namespace gamelight::storage::test;
using namespace std::chrono_literals;

namespace {

/// Makes every write to a regular file at an offset past `limit` bytes fail with EFBIG for
/// this process, as long as the object lives (RLIMIT_FSIZE). This is a real write fault that
/// even root gets, unlike permission bits. SIGXFSZ is ignored meanwhile, so the failing
/// write() returns an error instead of killing the process.
class file_size_limit {
public:
  explicit file_size_limit(rlim_t limit) {
    REQUIRE_EQ(getrlimit(RLIMIT_FSIZE, &saved_), 0);
    old_handler_ = std::signal(SIGXFSZ, SIG_IGN);
    auto lowered = saved_;
    lowered.rlim_cur = limit;
    REQUIRE_EQ(setrlimit(RLIMIT_FSIZE, &lowered), 0);
  }

  ~file_size_limit() {
    setrlimit(RLIMIT_FSIZE, &saved_);
    std::signal(SIGXFSZ, old_handler_);
  }

  file_size_limit(const file_size_limit&) = delete;
  file_size_limit& operator=(const file_size_limit&) = delete;

private:
  rlimit saved_{};
  void (*old_handler_)(int) = nullptr;
};

bool is_database_error(const problem& p) {
  return p.status == 503
         && p.detail.get<std::string>().starts_with("service unavailable: database error: ");
}

} // namespace

TEST_CASE("a write fault is a 503, writes nothing and the database recovers") {
  temp_dir dir;
  auto path = dir.file("gamelight.db");
  auto db = open_db(path);
  auto a = add(*db, sample_integration("A"));
  auto strip = add(*db, sample_device("Strip", {a.id}));
  auto bytes = db->backup();
  REQUIRE(bytes);
  {
    file_size_limit limit{1};
    auto inserted = db->insert_integration(sample_integration("B"));
    REQUIRE_FALSE(inserted);
    CHECK_EQ(body(inserted), R"({"detail":"service unavailable: database error: disk I/O error"})");
    auto changed = a;
    changed.name = "A2";
    auto updated = db->update_integration(changed);
    REQUIRE_FALSE(updated);
    CHECK(is_database_error(updated.error()));
    auto removed = db->remove_device(strip.id);
    REQUIRE_FALSE(removed);
    CHECK(is_database_error(removed.error()));
    auto device_insert = db->insert_device(sample_device("Shelf", {a.id}));
    REQUIRE_FALSE(device_insert);
    CHECK(is_database_error(device_insert.error()));
    auto backup = db->backup();
    REQUIRE_FALSE(backup);
    CHECK(is_database_error(backup.error()));
    auto restored = db->restore(*bytes);
    REQUIRE_FALSE(restored);
    CHECK(is_database_error(restored.error()));
    // Reads still work.
    CHECK_EQ(all_integrations(*db), std::vector<integration>{a});
  }
  CHECK_EQ(all_integrations(*db), std::vector<integration>{a});
  CHECK_EQ(all_devices(*db), std::vector<device>{strip});
  CHECK_EQ(dir.entries(),
           (std::vector<std::string>{"gamelight.db", "gamelight.db-shm", "gamelight.db-wal"}));
  auto b = add(*db, sample_integration("B"));
  auto changed = a;
  changed.name = "A2";
  REQUIRE(db->update_integration(changed));
  REQUIRE(db->backup());
  db.reset();
  auto reopened = open_db(path);
  CHECK_EQ(names(all_integrations(*reopened)).size(), 2u);
  auto got = reopened->get_integration(b.id);
  REQUIRE(got);
  CHECK_EQ(*got, b);
  CHECK_EQ(all_devices(*reopened), std::vector<device>{strip});
}

TEST_CASE("a commit cut short by a full disk leaves no trace and the next one succeeds") {
  temp_dir dir;
  auto path = dir.file("gamelight.db");
  auto db = open_db(path);
  auto a = add(*db, sample_integration("A"));
  auto wal = std::filesystem::file_size(path + "-wal");
  {
    // Room for one more WAL frame (page + 24-byte header) but not for the whole commit.
    file_size_limit limit{wal + 4096 + 100};
    auto inserted = db->insert_integration(sample_integration("B"));
    REQUIRE_FALSE(inserted);
    CHECK(is_database_error(inserted.error()));
    CHECK_EQ(all_integrations(*db), std::vector<integration>{a});
  }
  // Another connection, as after a crash, sees only the committed state.
  {
    auto other = raw(path);
    CHECK_EQ(other.execAndGet("PRAGMA integrity_check").getString(), "ok");
    CHECK_EQ(other.execAndGet("SELECT count(*) FROM integrations").getInt(), 1);
  }
  auto b = add(*db, sample_integration("B"));
  db.reset();
  auto reopened = open_db(path);
  CHECK_EQ(all_integrations(*reopened), (std::vector<integration>{a, b}));
}

TEST_CASE("a database locked by another connection is a 503 until it is released") {
  temp_dir dir;
  auto path = dir.file("gamelight.db");
  auto db = open_db(path);
  auto a = add(*db, sample_integration("A"));
  db->set_busy_timeout(50ms);
  auto other = raw(path);
  {
    SQLite::Transaction lock{other, SQLite::TransactionBehavior::EXCLUSIVE};
    auto inserted = db->insert_integration(sample_integration("B"));
    REQUIRE_FALSE(inserted);
    CHECK_EQ(body(inserted),
             R"({"detail":"service unavailable: database error: database is locked"})");
    auto removed = db->remove_integration(a.id);
    REQUIRE_FALSE(removed);
    CHECK_EQ(removed.error().status, 503);
    auto restored = db->restore(*db->backup());
    REQUIRE_FALSE(restored);
    CHECK_EQ(restored.error().status, 503);
    // WAL readers are not blocked by the writer.
    CHECK_EQ(all_integrations(*db), std::vector<integration>{a});
  }
  auto b = add(*db, sample_integration("B"));
  CHECK_EQ(all_integrations(*db).size(), 2u);
  REQUIRE(db->remove_integration(b.id));
}

TEST_CASE("a stored value that cannot be decoded is a 503") {
  temp_dir dir;
  auto path = dir.file("gamelight.db");
  auto db = open_db(path);
  auto a = add(*db, sample_integration("A"));
  {
    auto other = raw(path);
    other.exec("UPDATE integrations SET tags = '{\"not\":\"a list\"}'");
  }
  CHECK_EQ(body(db->get_integration(a.id)),
           R"({"detail":"service unavailable: database error: stored tags is not an array"})");
  CHECK_EQ(body(db->list_integrations()),
           R"({"detail":"service unavailable: database error: stored tags is not an array"})");
  auto fixed = a;
  fixed.tags = {"ok"};
  REQUIRE(db->update_integration(fixed));
  auto got = db->get_integration(a.id);
  REQUIRE(got);
  CHECK_EQ(got->tags, std::vector<std::string>{"ok"});
}

TEST_CASE("updated_at moves forward even when the wall clock went back") {
  temp_dir dir;
  auto path = dir.file("gamelight.db");
  auto db = open_db(path);
  auto a = add(*db, sample_integration("A"));
  auto strip = add(*db, sample_device("Strip", {a.id}));
  // Rows written while the clock ran a day ahead; the clock has been set back since.
  constexpr unix_ms ahead = 24 * 3600 * 1000;
  {
    auto other = raw(path);
    other.exec("UPDATE integrations SET updated_at = updated_at + " + std::to_string(ahead));
    other.exec("UPDATE devices SET updated_at = updated_at + " + std::to_string(ahead));
  }
  auto changed = a;
  changed.name = "A2";
  auto updated = db->update_integration(changed);
  REQUIRE(updated);
  CHECK_EQ(updated->updated_at, a.updated_at + ahead + 1);
  CHECK_EQ(updated->created_at, a.created_at);
  auto moved = strip;
  moved.name = "Strip 2";
  auto device_updated = db->update_device(moved);
  REQUIRE(device_updated);
  CHECK_EQ(device_updated->updated_at, strip.updated_at + ahead + 1);
}
