/// Writes seed backup files for the `restore` target into the directory given as the
/// only argument: an empty database and one with integrations and devices, each with
/// the daemon's page size and again with 512-byte pages (small files mutate faster).

#include "common/json.hpp"
#include "storage/database.hpp"
#include "validation/validation.hpp"

#include <SQLiteCpp/SQLiteCpp.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <string>

namespace {

using namespace gamelight;

bool write(const std::filesystem::path& path, const std::string& bytes) {
  std::ofstream out{path, std::ios::binary | std::ios::trunc};
  out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  return static_cast<bool>(out);
}

/// Writes `db`'s backup as `<name>.db` and a 512-byte-page copy as `<name>_512.db`.
bool emit(storage::database& db, const std::filesystem::path& dir, const std::string& name) {
  auto bytes = db.backup();
  if (!bytes)
    return false;
  auto full = dir / (name + ".db");
  auto small = dir / (name + "_512.db");
  if (!write(full, *bytes) || !write(small, *bytes))
    return false;
  SQLite::Database copy{small.string(), SQLite::OPEN_READWRITE};
  copy.exec("PRAGMA page_size = 512");
  copy.exec("VACUUM");
  return true;
}

} // namespace

int main(int argc, char** argv) {
  if (argc != 2) {
    std::cerr << "usage: " << argv[0] << " <directory>\n";
    return 2;
  }
  std::filesystem::path dir{argv[1]};
  std::filesystem::create_directories(dir);
  auto db = storage::database::open(":memory:");
  if (!db || !emit(**db, dir, "empty"))
    return 1;
  for (const auto* body : {
           R"({"name": "CS2 desk rig", "adapter_type": "cs2",
             "adapter_config": {"token": "wled-gsi-7f3c9a12e4b8"},
             "event_mappings": [{"event_type": "bomb_planted", "effect": "pulse",
                                 "color": [255, 0, 0], "duration_ms": 40000}],
             "tags": ["fps"]})",
           R"({"name": "Generic", "adapter_type": "generic", "enabled": false,
             "adapter_config": {"token": "generic-token", "events": ["boss_defeated"]}})"}) {
    auto x = validation::integration_from_create(json::parse(body));
    if (!x || !(*db)->insert_integration(*x))
      return 1;
  }
  auto first = (*db)->list_integrations();
  auto dev = validation::device_from_create(
      json::parse(R"({"name": "Desk strip", "host": "192.168.1.50", "led_count": 60})"));
  if (!first || !dev)
    return 1;
  dev->integration_ids = {first->front().id};
  if (!(*db)->insert_device(*dev) || !emit(**db, dir, "rows"))
    return 1;
  return 0;
}
