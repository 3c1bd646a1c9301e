#pragma once

/// Shared helpers of the storage tests: a fresh directory per test, sample values and a
/// second raw SQLite connection for setting up and inspecting files.

#include "common/security.hpp"
#include "storage/database.hpp"

#include <SQLiteCpp/SQLiteCpp.h>
#include <doctest/doctest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <memory>
#include <string>
#include <vector>

namespace gamelight::storage::test {

/// A fresh, empty directory that is deleted with everything in it.
class temp_dir {
public:
  temp_dir()
      : path_(std::filesystem::temp_directory_path()
              / ("gamelight-storage-test-" + random_hex(12))) {
    std::filesystem::create_directories(path_);
  }

  ~temp_dir() {
    std::error_code ignored;
    std::filesystem::remove_all(path_, ignored);
  }

  temp_dir(const temp_dir&) = delete;
  temp_dir& operator=(const temp_dir&) = delete;

  /// Returns the path of `name` inside the directory.
  [[nodiscard]] std::string file(const std::string& name) const {
    return (path_ / name).string();
  }

  /// Returns the names of the directory's entries, sorted.
  [[nodiscard]] std::vector<std::string> entries() const {
    std::vector<std::string> result;
    for (const auto& entry : std::filesystem::directory_iterator{path_})
      result.push_back(entry.path().filename().string());
    std::sort(result.begin(), result.end());
    return result;
  }

private:
  std::filesystem::path path_;
};

/// Opens (or creates) a database and requires success.
inline std::unique_ptr<database> open_db(const std::string& path) {
  auto db = database::open(path);
  REQUIRE_MESSAGE(db, (db ? std::string{} : db.error().body().dump()));
  return std::move(*db);
}

/// A second, raw read-write connection (creates the file when missing).
inline SQLite::Database raw(const std::string& path) {
  return SQLite::Database{path, SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE, 1000};
}

/// An integration with every field set to a non-default value.
inline integration sample_integration(std::string name) {
  integration x;
  x.name = std::move(name);
  x.adapter_type = "cs2";
  x.enabled = true;
  x.adapter_config = R"({"token":"secret-token"})";
  x.event_mappings = {
      event_mapping{"bomb_planted", effect_kind::countdown, rgb{255, 0, 0}, 40000, 0.75, 80,
                    std::nullopt},
      event_mapping{"kill", effect_kind::flash, rgb{0, 128, 255}, 300, 1.0, 60, "ammo"},
  };
  x.description = "desk rig";
  x.tags = {"fps", "lan"};
  return x;
}

/// A device with every field set to a non-default value.
inline device sample_device(std::string name, std::vector<std::string> integration_ids = {}) {
  device x;
  x.name = std::move(name);
  x.host = "192.168.1.50";
  x.port = 21324;
  x.protocol = led_protocol::dnrgb;
  x.universe = 7;
  x.led_count = 60;
  x.fps = 30;
  x.brightness = 0.5;
  x.enabled = false;
  x.integration_ids = std::move(integration_ids);
  x.zones = {zone{"health", 0, 30, false}, zone{"ammo", 30, 30, true}};
  return x;
}

/// Inserts and requires success.
inline integration add(database& db, integration x) {
  auto result = db.insert_integration(std::move(x));
  REQUIRE_MESSAGE(result, (result ? std::string{} : result.error().body().dump()));
  return *result;
}

/// Inserts and requires success.
inline device add(database& db, device x) {
  auto result = db.insert_device(std::move(x));
  REQUIRE_MESSAGE(result, (result ? std::string{} : result.error().body().dump()));
  return *result;
}

/// Returns every integration, requiring success.
inline std::vector<integration> all_integrations(database& db) {
  auto result = db.list_integrations();
  REQUIRE_MESSAGE(result, (result ? std::string{} : result.error().body().dump()));
  return *result;
}

/// Returns every device, requiring success.
inline std::vector<device> all_devices(database& db) {
  auto result = db.list_devices();
  REQUIRE_MESSAGE(result, (result ? std::string{} : result.error().body().dump()));
  return *result;
}

/// Returns the names of `xs`, in order.
template <class T>
std::vector<std::string> names(const std::vector<T>& xs) {
  std::vector<std::string> result;
  for (const auto& x : xs)
    result.push_back(x.name);
  return result;
}

/// Sets `created_at` of a row behind the library's back (to make the order deterministic).
inline void set_created_at(const std::string& path, const std::string& table, const std::string& id,
                           std::int64_t value) {
  auto db = raw(path);
  SQLite::Statement update{db, "UPDATE " + table + " SET created_at = ? WHERE id = ?"};
  update.bind(1, value);
  update.bind(2, id);
  REQUIRE_EQ(update.exec(), 1);
}

inline std::string read_bytes(const std::string& path) {
  std::ifstream in{path, std::ios::binary};
  REQUIRE(in);
  return {std::istreambuf_iterator<char>{in}, std::istreambuf_iterator<char>{}};
}

inline void write_bytes(const std::string& path, const std::string& bytes) {
  std::ofstream out{path, std::ios::binary | std::ios::trunc};
  out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  out.close();
  REQUIRE_FALSE(out.fail());
}

/// Returns the body of a failed outcome as compact JSON.
template <class T>
std::string body(const outcome<T>& x) {
  REQUIRE_FALSE(x);
  return x.error().body().dump();
}

} // namespace gamelight::storage::test
