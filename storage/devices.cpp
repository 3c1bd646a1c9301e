#include "common/security.hpp"
#include "common/time.hpp"
#include "storage/database.hpp"
#include "storage/internal/sqlite.hpp"

#include <SQLiteCpp/SQLiteCpp.h>

#include <algorithm>
#include <limits>

namespace gamelight::storage {

namespace {

/// Tries this many fresh ids before giving up (8 hex digits: collisions are rare).
constexpr int id_attempts = 32;

/// Returns column `i` of `row` when it lies in [lo, hi]; throws `corrupt_data` otherwise.
std::int64_t in_range(SQLite::Statement& row, int i, std::int64_t lo, std::int64_t hi) {
  auto value = row.getColumn(i).getInt64();
  if (value < lo || value > hi)
    throw corrupt_data{"stored device column '" + std::string{row.getColumnName(i)}
                       + "' is out of range"};
  return value;
}

/// Reads the device columns 0-11 and 13 of `row`.
device read_device(SQLite::Statement& row) {
  device x;
  x.id = row.getColumn(0).getString();
  x.name = row.getColumn(1).getString();
  x.host = row.getColumn(2).getString();
  x.port = static_cast<std::uint16_t>(in_range(row, 3, 0, 65535));
  auto protocol = parse_led_protocol(row.getColumn(4).getString());
  if (!protocol)
    throw corrupt_data{"stored device protocol '" + row.getColumn(4).getString() + "' is unknown"};
  x.protocol = *protocol;
  x.universe = static_cast<std::uint16_t>(in_range(row, 5, 0, 65535));
  x.led_count
      = static_cast<std::uint32_t>(in_range(row, 6, 0, std::numeric_limits<std::uint32_t>::max()));
  x.fps
      = static_cast<std::uint32_t>(in_range(row, 7, 0, std::numeric_limits<std::uint32_t>::max()));
  x.brightness = row.getColumn(8).getDouble();
  x.enabled = row.getColumn(9).getInt() != 0;
  x.created_at = row.getColumn(10).getInt64();
  x.updated_at = row.getColumn(11).getInt64();
  x.zones = decode_zones(row.getColumn(13).getString());
  return x;
}

bool device_exists(SQLite::Database& db, const std::string& id) {
  SQLite::Statement query{db, "SELECT 1 FROM devices WHERE id = ?"};
  query.bind(1, id);
  return query.executeStep();
}

/// The timestamps of a stored row.
struct stamps {
  unix_ms created_at = 0;
  unix_ms updated_at = 0;
};

std::optional<stamps> device_stamps(SQLite::Database& db, const std::string& id) {
  SQLite::Statement query{db, "SELECT created_at, updated_at FROM devices WHERE id = ?"};
  query.bind(1, id);
  if (!query.executeStep())
    return std::nullopt;
  return stamps{query.getColumn(0).getInt64(), query.getColumn(1).getInt64()};
}

/// Returns whether a device other than `self` has the name key `key`.
bool name_taken(SQLite::Database& db, const std::string& key, const std::string& self) {
  SQLite::Statement query{db, "SELECT 1 FROM devices WHERE name_key = ? AND id <> ?"};
  query.bind(1, key);
  query.bind(2, self);
  return query.executeStep();
}

/// Returns the 422 problem listing every entry of `ids` that names no integration.
std::optional<problem> unknown_integrations(SQLite::Database& db,
                                            const std::vector<std::string>& ids) {
  SQLite::Statement query{db, "SELECT 1 FROM integrations WHERE id = ?"};
  std::vector<field_error> errors;
  for (std::size_t i = 0; i < ids.size(); ++i) {
    query.reset();
    query.bind(1, ids[i]);
    if (!query.executeStep())
      errors.push_back(field_error{json::array({"body", "integration_ids", i}),
                                   "Game integration '" + ids[i] + "' not found", "value_error"});
  }
  if (errors.empty())
    return std::nullopt;
  return problems::validation(std::move(errors));
}

problem name_conflict(const std::string& name) {
  return problems::conflict("Device with name '" + name + "' already exists");
}

problem not_found() {
  return problems::not_found("Device not found");
}

/// Binds every stored column of `x` except `id` and `created_at` to the named parameters.
void bind_fields(SQLite::Statement& statement, const device& x) {
  statement.bind(":name", x.name);
  statement.bind(":name_key", name_key(x.name));
  statement.bind(":host", x.host);
  statement.bind(":port", static_cast<int>(x.port));
  statement.bind(":protocol", std::string{to_string(x.protocol)});
  statement.bind(":universe", static_cast<int>(x.universe));
  statement.bind(":led_count", static_cast<std::int64_t>(x.led_count));
  statement.bind(":fps", static_cast<std::int64_t>(x.fps));
  statement.bind(":brightness", x.brightness);
  statement.bind(":enabled", x.enabled ? 1 : 0);
  statement.bind(":zones", encode_zones(x.zones));
  statement.bind(":updated_at", static_cast<std::int64_t>(x.updated_at));
}

/// Replaces the integration list of device `id`, keeping its order.
void write_links(SQLite::Database& db, const std::string& id,
                 const std::vector<std::string>& integration_ids) {
  SQLite::Statement clear{db, "DELETE FROM device_integrations WHERE device_id = ?"};
  clear.bind(1, id);
  clear.exec();
  SQLite::Statement insert{db, "INSERT INTO device_integrations (device_id, position, "
                               "integration_id) VALUES (?, ?, ?)"};
  for (std::size_t i = 0; i < integration_ids.size(); ++i) {
    insert.reset();
    insert.bind(1, id);
    insert.bind(2, static_cast<std::int64_t>(i));
    insert.bind(3, integration_ids[i]);
    insert.exec();
  }
}

} // namespace

namespace internal {

std::vector<device> load_devices(SQLite::Database& db, const std::optional<std::string>& id) {
  std::string sql = "SELECT d.id, d.name, d.host, d.port, d.protocol, d.universe, d.led_count, "
                    "d.fps, d.brightness, d.enabled, d.created_at, d.updated_at, "
                    "di.integration_id, d.zones FROM devices d "
                    "LEFT JOIN device_integrations di ON di.device_id = d.id";
  if (id)
    sql += " WHERE d.id = :id";
  sql += " ORDER BY d.created_at, d.id, di.position";
  SQLite::Statement query{db, sql};
  if (id)
    query.bind(":id", *id);
  std::vector<device> result;
  while (query.executeStep()) {
    if (result.empty() || result.back().id != query.getColumn(0).getString())
      result.push_back(read_device(query));
    if (!query.getColumn(12).isNull())
      result.back().integration_ids.push_back(query.getColumn(12).getString());
  }
  return result;
}

} // namespace internal

outcome<std::vector<device>> database::list_devices() {
  return internal::guarded("list devices", [&]() -> outcome<std::vector<device>> {
    return internal::load_devices(*db_, std::nullopt);
  });
}

outcome<device> database::get_device(const std::string& id) {
  return internal::guarded("read a device", [&]() -> outcome<device> {
    auto found = internal::load_devices(*db_, id);
    if (found.empty())
      return not_found();
    return std::move(found.front());
  });
}

outcome<device> database::insert_device(device x) {
  return internal::guarded("insert a device", [&]() -> outcome<device> {
    SQLite::Transaction transaction{*db_, SQLite::TransactionBehavior::IMMEDIATE};
    if (auto invalid = unknown_integrations(*db_, x.integration_ids))
      return std::move(*invalid);
    if (name_taken(*db_, name_key(x.name), ""))
      return name_conflict(x.name);
    x.id.clear();
    for (int i = 0; i < id_attempts && x.id.empty(); ++i)
      if (auto id = make_id("dev_"); !device_exists(*db_, id))
        x.id = std::move(id);
    if (x.id.empty())
      return problems::unavailable("could not allocate a unique device id");
    x.created_at = x.updated_at = now_unix_ms();
    SQLite::Statement insert{*db_, "INSERT INTO devices (id, name, name_key, host, port, "
                                   "protocol, universe, led_count, fps, brightness, enabled, "
                                   "zones, created_at, updated_at) VALUES (:id, :name, "
                                   ":name_key, :host, :port, :protocol, :universe, :led_count, "
                                   ":fps, :brightness, :enabled, :zones, :created_at, "
                                   ":updated_at)"};
    insert.bind(":id", x.id);
    insert.bind(":created_at", static_cast<std::int64_t>(x.created_at));
    bind_fields(insert, x);
    insert.exec();
    write_links(*db_, x.id, x.integration_ids);
    transaction.commit();
    return std::move(x);
  });
}

outcome<device> database::update_device(device x) {
  return internal::guarded("update a device", [&]() -> outcome<device> {
    SQLite::Transaction transaction{*db_, SQLite::TransactionBehavior::IMMEDIATE};
    auto old = device_stamps(*db_, x.id);
    if (!old)
      return not_found();
    if (auto invalid = unknown_integrations(*db_, x.integration_ids))
      return std::move(*invalid);
    if (name_taken(*db_, name_key(x.name), x.id))
      return name_conflict(x.name);
    x.created_at = old->created_at;
    x.updated_at = std::max(now_unix_ms(), old->updated_at + 1);
    SQLite::Statement update{*db_, "UPDATE devices SET name = :name, name_key = :name_key, "
                                   "host = :host, port = :port, protocol = :protocol, "
                                   "universe = :universe, led_count = :led_count, fps = :fps, "
                                   "brightness = :brightness, enabled = :enabled, "
                                   "zones = :zones, updated_at = :updated_at WHERE id = :id"};
    update.bind(":id", x.id);
    bind_fields(update, x);
    update.exec();
    write_links(*db_, x.id, x.integration_ids);
    transaction.commit();
    return std::move(x);
  });
}

outcome<done> database::remove_device(const std::string& id) {
  return internal::guarded("delete a device", [&]() -> outcome<done> {
    SQLite::Transaction transaction{*db_, SQLite::TransactionBehavior::IMMEDIATE};
    if (!device_exists(*db_, id))
      return not_found();
    SQLite::Statement links{*db_, "DELETE FROM device_integrations WHERE device_id = ?"};
    links.bind(1, id);
    links.exec();
    SQLite::Statement remove{*db_, "DELETE FROM devices WHERE id = ?"};
    remove.bind(1, id);
    remove.exec();
    transaction.commit();
    return done{};
  });
}

} // namespace gamelight::storage
