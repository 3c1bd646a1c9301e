#include "common/security.hpp"
#include "common/time.hpp"
#include "storage/database.hpp"
#include "storage/internal/sqlite.hpp"

#include <SQLiteCpp/SQLiteCpp.h>

#include <algorithm>

namespace gamelight::storage {

namespace {

constexpr const char* select_integrations
    = "SELECT id, name, adapter_type, enabled, adapter_config, event_mappings, description, "
      "tags, created_at, updated_at FROM integrations";

/// Tries this many fresh ids before giving up (8 hex digits: collisions are rare).
constexpr int id_attempts = 32;

integration read_integration(SQLite::Statement& row) {
  integration x;
  x.id = row.getColumn(0).getString();
  x.name = row.getColumn(1).getString();
  x.adapter_type = row.getColumn(2).getString();
  x.enabled = row.getColumn(3).getInt() != 0;
  x.adapter_config = row.getColumn(4).getString();
  x.event_mappings = decode_mappings(row.getColumn(5).getString());
  x.description = row.getColumn(6).getString();
  x.tags = decode_tags(row.getColumn(7).getString());
  x.created_at = row.getColumn(8).getInt64();
  x.updated_at = row.getColumn(9).getInt64();
  return x;
}

std::optional<integration> find_integration(SQLite::Database& db, const std::string& id) {
  SQLite::Statement query{db, std::string{select_integrations} + " WHERE id = ?"};
  query.bind(1, id);
  if (!query.executeStep())
    return std::nullopt;
  return read_integration(query);
}

/// The timestamps of a stored row.
struct stamps {
  unix_ms created_at = 0;
  unix_ms updated_at = 0;
};

/// Reads only the timestamps, so that an update can replace a row that no longer decodes.
std::optional<stamps> integration_stamps(SQLite::Database& db, const std::string& id) {
  SQLite::Statement query{db, "SELECT created_at, updated_at FROM integrations WHERE id = ?"};
  query.bind(1, id);
  if (!query.executeStep())
    return std::nullopt;
  return stamps{query.getColumn(0).getInt64(), query.getColumn(1).getInt64()};
}

bool integration_exists(SQLite::Database& db, const std::string& id) {
  SQLite::Statement query{db, "SELECT 1 FROM integrations WHERE id = ?"};
  query.bind(1, id);
  return query.executeStep();
}

/// Returns whether an integration other than `self` has the name key `key`.
bool name_taken(SQLite::Database& db, const std::string& key, const std::string& self) {
  SQLite::Statement query{db, "SELECT 1 FROM integrations WHERE name_key = ? AND id <> ?"};
  query.bind(1, key);
  query.bind(2, self);
  return query.executeStep();
}

problem name_conflict(const std::string& name) {
  return problems::conflict("Game integration with name '" + name + "' already exists");
}

problem not_found() {
  return problems::not_found("Game integration not found");
}

std::vector<reference> referencing_devices(SQLite::Database& db, const std::string& id) {
  SQLite::Statement query{db, "SELECT DISTINCT d.id, d.name, d.created_at FROM devices d "
                              "JOIN device_integrations di ON di.device_id = d.id "
                              "WHERE di.integration_id = ? ORDER BY d.created_at, d.id"};
  query.bind(1, id);
  std::vector<reference> result;
  while (query.executeStep())
    result.push_back(
        reference{"device", query.getColumn(0).getString(), query.getColumn(1).getString()});
  return result;
}

/// Binds every stored column of `x` except `id` and `created_at` to the named parameters.
void bind_fields(SQLite::Statement& statement, const integration& x) {
  statement.bind(":name", x.name);
  statement.bind(":name_key", name_key(x.name));
  statement.bind(":adapter_type", x.adapter_type);
  statement.bind(":enabled", x.enabled ? 1 : 0);
  statement.bind(":adapter_config", x.adapter_config);
  statement.bind(":event_mappings", encode_mappings(x.event_mappings));
  statement.bind(":description", x.description);
  statement.bind(":tags", encode_tags(x.tags));
  statement.bind(":updated_at", static_cast<std::int64_t>(x.updated_at));
}

} // namespace

namespace internal {

std::vector<integration> load_integrations(SQLite::Database& db, const integration_filter& filter) {
  std::string sql = select_integrations;
  std::vector<std::string> conditions;
  if (filter.adapter_type)
    conditions.emplace_back("adapter_type = :adapter_type");
  if (filter.tag)
    conditions.emplace_back("EXISTS (SELECT 1 FROM json_each(integrations.tags) "
                            "WHERE json_each.value = :tag)");
  if (filter.enabled)
    conditions.emplace_back("enabled = :enabled");
  for (std::size_t i = 0; i < conditions.size(); ++i)
    sql += (i == 0 ? " WHERE " : " AND ") + conditions[i];
  sql += " ORDER BY created_at, id";
  SQLite::Statement query{db, sql};
  if (filter.adapter_type)
    query.bind(":adapter_type", *filter.adapter_type);
  if (filter.tag)
    query.bind(":tag", *filter.tag);
  if (filter.enabled)
    query.bind(":enabled", *filter.enabled ? 1 : 0);
  std::vector<integration> result;
  while (query.executeStep())
    result.push_back(read_integration(query));
  return result;
}

} // namespace internal

outcome<std::vector<integration>> database::list_integrations(const integration_filter& f) {
  return internal::guarded("list integrations", [&]() -> outcome<std::vector<integration>> {
    return internal::load_integrations(*db_, f);
  });
}

outcome<integration> database::get_integration(const std::string& id) {
  return internal::guarded("read an integration", [&]() -> outcome<integration> {
    if (auto x = find_integration(*db_, id))
      return std::move(*x);
    return not_found();
  });
}

outcome<integration> database::insert_integration(integration x) {
  return internal::guarded("insert an integration", [&]() -> outcome<integration> {
    SQLite::Transaction transaction{*db_, SQLite::TransactionBehavior::IMMEDIATE};
    if (name_taken(*db_, name_key(x.name), ""))
      return name_conflict(x.name);
    x.id.clear();
    for (int i = 0; i < id_attempts && x.id.empty(); ++i)
      if (auto id = make_id("gi_"); !integration_exists(*db_, id))
        x.id = std::move(id);
    if (x.id.empty())
      return problems::unavailable("could not allocate a unique integration id");
    x.created_at = x.updated_at = now_unix_ms();
    SQLite::Statement insert{*db_, "INSERT INTO integrations (id, name, name_key, adapter_type, "
                                   "enabled, adapter_config, event_mappings, description, tags, "
                                   "created_at, updated_at) VALUES (:id, :name, :name_key, "
                                   ":adapter_type, :enabled, :adapter_config, :event_mappings, "
                                   ":description, :tags, :created_at, :updated_at)"};
    insert.bind(":id", x.id);
    insert.bind(":created_at", static_cast<std::int64_t>(x.created_at));
    bind_fields(insert, x);
    insert.exec();
    transaction.commit();
    return std::move(x);
  });
}

outcome<integration> database::update_integration(integration x) {
  return internal::guarded("update an integration", [&]() -> outcome<integration> {
    SQLite::Transaction transaction{*db_, SQLite::TransactionBehavior::IMMEDIATE};
    auto old = integration_stamps(*db_, x.id);
    if (!old)
      return not_found();
    if (name_taken(*db_, name_key(x.name), x.id))
      return name_conflict(x.name);
    x.created_at = old->created_at;
    x.updated_at = std::max(now_unix_ms(), old->updated_at + 1);
    SQLite::Statement update{*db_, "UPDATE integrations SET name = :name, name_key = :name_key, "
                                   "adapter_type = :adapter_type, enabled = :enabled, "
                                   "adapter_config = :adapter_config, "
                                   "event_mappings = :event_mappings, "
                                   "description = :description, tags = :tags, "
                                   "updated_at = :updated_at WHERE id = :id"};
    update.bind(":id", x.id);
    bind_fields(update, x);
    update.exec();
    transaction.commit();
    return std::move(x);
  });
}

outcome<done> database::remove_integration(const std::string& id) {
  return internal::guarded("delete an integration", [&]() -> outcome<done> {
    SQLite::Transaction transaction{*db_, SQLite::TransactionBehavior::IMMEDIATE};
    if (!integration_exists(*db_, id))
      return not_found();
    if (auto refs = referencing_devices(*db_, id); !refs.empty()) {
      auto list = json::array();
      for (const auto& ref : refs)
        list.push_back(json{{"type", ref.type}, {"id", ref.id}, {"name", ref.name}});
      auto result = problems::conflict("");
      result.detail = json::object();
      result.detail["message"]
          = "Game integration is referenced by " + std::to_string(refs.size()) + " device(s)";
      result.detail["references"] = std::move(list);
      return result;
    }
    SQLite::Statement remove{*db_, "DELETE FROM integrations WHERE id = ?"};
    remove.bind(1, id);
    remove.exec();
    transaction.commit();
    return done{};
  });
}

outcome<std::vector<reference>> database::references_to_integration(const std::string& id) {
  return internal::guarded("list references", [&]() -> outcome<std::vector<reference>> {
    SQLite::Transaction transaction{*db_, SQLite::TransactionBehavior::DEFERRED};
    if (!integration_exists(*db_, id))
      return not_found();
    auto result = referencing_devices(*db_, id);
    transaction.commit();
    return result;
  });
}

} // namespace gamelight::storage
