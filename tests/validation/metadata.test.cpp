#include "tests/validation/helpers.hpp"
#include "validation/validation.hpp"

#include <doctest/doctest.h>

#include <functional>
#include <map>
#include <set>
#include <string>

using namespace gamelight;
using namespace gamelight::validation;
using gamelight::validation::test::j;

namespace {

std::vector<std::string> keys_of(const json& object) {
  std::vector<std::string> result;
  for (const auto& [key, value] : object.items())
    result.push_back(key);
  return result;
}

/// Calls `f` on every object inside `doc`.
void each_object(const json& doc, const std::function<void(const json&)>& f) {
  if (doc.is_object()) {
    f(doc);
    for (const auto& x : doc)
      each_object(x, f);
  } else if (doc.is_array()) {
    for (const auto& x : doc)
      each_object(x, f);
  }
}

} // namespace

TEST_CASE("adapters_document") {
  auto doc = adapters_document();
  CHECK(keys_of(doc) == std::vector<std::string>{"adapters", "count"});
  CHECK(doc["count"] == 3);
  REQUIRE(doc["adapters"].size() == 3);
  std::vector<std::string> types;
  for (const auto& a : doc["adapters"]) {
    CHECK(keys_of(a)
          == std::vector<std::string>{"adapter_type", "display_name", "description", "auth",
                                      "supported_events", "config_schema"});
    types.push_back(a["adapter_type"].get<std::string>());
    CHECK(a["display_name"].is_string());
    CHECK(a["description"].is_string());
    CHECK(a["config_schema"]["type"] == "object");
    CHECK(a["config_schema"]["additionalProperties"] == false);
    CHECK(a["config_schema"]["properties"]["token"]["writeOnly"] == true);
    for (const auto& e : a["supported_events"]) {
      CHECK(keys_of(e) == std::vector<std::string>{"event_type", "description"});
      CHECK(e["event_type"].is_string());
    }
  }
  CHECK(types == std::vector<std::string>{"cs2", "dota2", "generic"});
  const auto& cs2 = doc["adapters"][0];
  CHECK(cs2["display_name"] == "Counter-Strike 2");
  CHECK(cs2["auth"] == "body_token");
  CHECK(cs2["config_schema"]["required"] == j(R"(["token"])"));
  REQUIRE(cs2["supported_events"].size() == 19);
  CHECK(cs2["supported_events"][0]["event_type"] == "round_freezetime");
  CHECK(cs2["supported_events"][2]["event_type"] == "bomb_planted");
  CHECK(cs2["supported_events"][17]["event_type"] == "match_over");
  CHECK(cs2["supported_events"][18]["event_type"] == "ammo_changed");
  CHECK(doc["adapters"][1]["supported_events"].size() == 11);
  CHECK(doc["adapters"][1]["supported_events"][10]["event_type"] == "mana_changed");
  CHECK(doc["adapters"][1]["auth"] == "body_token");
  CHECK(doc["adapters"][2]["auth"] == "header_token");
  CHECK(doc["adapters"][2]["supported_events"] == json::array());
}

TEST_CASE("openapi_document: every route with its methods") {
  auto doc = openapi_document("1.2.3");
  CHECK(doc["openapi"] == "3.1.0");
  CHECK(doc["info"]["version"] == "1.2.3");
  CHECK(doc["info"]["title"].is_string());
  const std::map<std::string, std::set<std::string>> expected = {
      {"/api/v1/game-integrations", {"get", "post"}},
      {"/api/v1/game-integrations/{id}", {"get", "put", "delete"}},
      {"/api/v1/game-integrations/{id}/event", {"post"}},
      {"/api/v1/game-integrations/{id}/status", {"get"}},
      {"/api/v1/game-integrations/{id}/events", {"get"}},
      {"/api/v1/game-integrations/{id}/setup", {"get"}},
      {"/api/v1/game-integrations/{id}/test", {"post"}},
      {"/api/v1/events/stream", {"get"}},
      {"/api/v1/game-adapters", {"get"}},
      {"/api/v1/devices", {"get", "post"}},
      {"/api/v1/devices/{id}", {"get", "put", "delete"}},
      {"/api/v1/devices/{id}/status", {"get"}},
      {"/api/v1/devices/{id}/test", {"post"}},
      {"/api/v1/devices/{id}/frames/stream", {"get"}},
      {"/api/v1/devices/probe", {"post"}},
      {"/api/v1/health", {"get"}},
      {"/api/v1/system/backup", {"get"}},
      {"/api/v1/system/restore", {"post"}},
      {"/metrics", {"get"}},
  };
  std::map<std::string, std::set<std::string>> actual;
  for (const auto& [path, item] : doc["paths"].items())
    for (const auto& [method, op] : item.items())
      actual[path].insert(method);
  CHECK(actual == expected);
  CHECK_FALSE(doc["paths"].contains("/openapi.json"));
}

TEST_CASE("openapi_document: zones, mapping zone and the WLED probe") {
  auto doc = openapi_document("1.2.3");
  const auto& s = doc["components"]["schemas"];
  CHECK(s["Zone"]["required"] == json::array({"name", "start", "length"}));
  CHECK(s["Zone"]["properties"]["name"]["pattern"] == "^[a-z0-9_-]{1,32}$");
  CHECK(s["Zone"]["additionalProperties"] == false);
  for (const char* name : {"Device", "DeviceCreate", "DeviceUpdate"}) {
    CAPTURE(name);
    CHECK(s[name]["properties"]["zones"]["items"]["$ref"] == "#/components/schemas/Zone");
    CHECK(s[name]["properties"]["zones"]["maxItems"] == 32);
  }
  CHECK(s["DeviceCreate"]["properties"]["zones"]["default"] == json::array());
  for (const char* name : {"EventMapping", "EventMappingInput", "DeviceTest"}) {
    CAPTURE(name);
    CHECK(s[name]["properties"]["zone"]["pattern"] == "^[a-z0-9_-]{1,32}$");
  }
  CHECK(s["ActiveEffect"]["properties"].contains("zone"));
  const auto& probe = doc["paths"]["/api/v1/devices/probe"]["post"];
  CHECK(probe["requestBody"]["content"]["application/json"]["schema"]["$ref"]
        == "#/components/schemas/ProbeRequest");
  CHECK(probe["responses"]["200"]["content"]["application/json"]["schema"]["$ref"]
        == "#/components/schemas/ProbeResult");
  CHECK(s["ProbeRequest"]["required"] == json::array({"host"}));
  CHECK(s["ProbeRequest"]["properties"]["port"]["default"] == 80);
}

TEST_CASE("openapi_document: security, responses and unique operation ids") {
  auto doc = openapi_document("0.1.0");
  const auto& schemes = doc["components"]["securitySchemes"];
  CHECK(schemes["bearerAuth"] == j(R"({"type": "http", "scheme": "bearer",
                                       "description": "The API key"})"));
  CHECK(schemes["apiKeyHeader"]["type"] == "apiKey");
  CHECK(schemes["apiKeyHeader"]["in"] == "header");
  CHECK(schemes["apiKeyHeader"]["name"] == "X-API-Key");
  const std::set<std::string> open
      = {"/api/v1/health", "/api/v1/game-integrations/{id}/event", "/metrics"};
  std::set<std::string> operation_ids;
  for (const auto& [path, item] : doc["paths"].items()) {
    for (const auto& [method, op] : item.items()) {
      CAPTURE(path);
      CAPTURE(method);
      CHECK(operation_ids.insert(op["operationId"].get<std::string>()).second);
      REQUIRE(op["security"].is_array());
      if (open.count(path) != 0) {
        CHECK(op["security"].empty());
        // Ingestion answers 401 for the adapter's own auth, without WWW-Authenticate.
        if (path != "/api/v1/game-integrations/{id}/event")
          CHECK_FALSE(op["responses"].contains("401"));
      } else {
        CHECK(op["security"].size() == 2);
        CHECK(op["responses"]["401"] == j(R"({"$ref": "#/components/responses/Unauthorized"})"));
      }
      CHECK(op["responses"].contains("500"));
      if (path != "/api/v1/health")
        CHECK(op["responses"]["503"]
              == j(R"({"$ref": "#/components/responses/ServiceUnavailable"})"));
      // Every operation has a success answer.
      bool success = false;
      for (const auto& [status, response] : op["responses"].items())
        success = success || status[0] == '2';
      CHECK(success);
      if (path.find("{id}") != std::string::npos) {
        CHECK(op["responses"].contains("404"));
        CHECK(op["parameters"].is_array());
      }
      if (method == "post" || method == "put")
        CHECK(op.contains("requestBody"));
    }
  }
  const auto& paths = doc["paths"];
  CHECK(paths["/api/v1/game-integrations"]["post"]["responses"].contains("201"));
  CHECK(paths["/api/v1/game-integrations"]["post"]["responses"].contains("409"));
  CHECK(paths["/api/v1/game-integrations"]["post"]["responses"]["422"]
        == j(R"({"$ref": "#/components/responses/ValidationError"})"));
  CHECK(paths["/api/v1/game-integrations/{id}"]["delete"]["responses"].contains("204"));
  CHECK(paths["/api/v1/devices/{id}/test"]["post"]["responses"].contains("202"));
  CHECK(
      paths["/api/v1/game-integrations/{id}/setup"]["get"]["responses"]["200"]["content"].contains(
          "text/plain"));
  CHECK(paths["/api/v1/system/backup"]["get"]["responses"]["200"]["content"].contains(
      "application/vnd.sqlite3"));
  CHECK(paths["/api/v1/system/restore"]["post"]["requestBody"]["content"].contains(
      "application/octet-stream"));
  auto limit = paths["/api/v1/game-integrations/{id}/events"]["get"]["parameters"][1];
  CHECK(limit["name"] == "limit");
  CHECK(limit["schema"] == j(R"({"type": "integer", "minimum": 1, "maximum": 100,
                                 "default": 50})"));
  std::set<std::string> filters;
  for (const auto& p : paths["/api/v1/game-integrations"]["get"]["parameters"])
    filters.insert(p["name"].get<std::string>());
  CHECK(filters == std::set<std::string>{"adapter_type", "tag", "enabled"});
}

TEST_CASE("openapi_document: components, and every $ref resolves") {
  auto doc = openapi_document("0.1.0");
  const auto& schemas = doc["components"]["schemas"];
  for (auto name : {"Integration",       "IntegrationCreate",  "IntegrationUpdate",
                    "IntegrationList",   "EventMapping",       "EventMappingInput",
                    "IntegrationStatus", "RecentEventList",    "IngestResult",
                    "GameAdapter",       "GameAdapterList",    "Device",
                    "DeviceCreate",      "DeviceUpdate",       "DeviceList",
                    "DeviceStatus",      "DeviceTest",         "Health",
                    "RestoreResult",     "HTTPError",          "ConflictError",
                    "ValidationError",   "HTTPValidationError"}) {
    CAPTURE(name);
    CHECK(schemas.contains(name));
  }
  CHECK(keys_of(schemas["Integration"]["properties"])
        == std::vector<std::string>{"id", "name", "adapter_type", "enabled", "adapter_config",
                                    "event_mappings", "description", "tags", "created_at",
                                    "updated_at"});
  CHECK(keys_of(schemas["Device"]["properties"])
        == std::vector<std::string>{"id", "name", "host", "port", "protocol", "universe",
                                    "led_count", "fps", "brightness", "enabled", "integration_ids",
                                    "zones", "created_at", "updated_at"});
  CHECK(schemas["IntegrationCreate"]["required"] == j(R"(["name", "adapter_type"])"));
  CHECK_FALSE(schemas["IntegrationUpdate"].contains("required"));
  CHECK(schemas["IntegrationCreate"]["additionalProperties"] == false);
  CHECK(schemas["DeviceCreate"]["required"] == j(R"(["name", "host", "led_count"])"));
  CHECK(schemas["EventMappingInput"]["properties"]["effect"]["enum"]
        == j(R"(["solid","flash","fade","pulse","strobe","wipe","gauge","countdown","off"])"));
  CHECK(schemas["HTTPValidationError"]["properties"]["detail"]["items"]
        == j(R"({"$ref": "#/components/schemas/ValidationError"})"));
  std::size_t refs = 0;
  each_object(doc, [&](const json& object) {
    auto it = object.find("$ref");
    if (it == object.end())
      return;
    ++refs;
    auto target = it->get<std::string>();
    REQUIRE(target.rfind("#/components/", 0) == 0);
    auto rest = target.substr(13);
    auto slash = rest.find('/');
    auto kind = rest.substr(0, slash);
    auto name = rest.substr(slash + 1);
    CAPTURE(target);
    CHECK(doc["components"][kind].contains(name));
  });
  CHECK(refs > 50);
  // Valid JSON text, no NaN/Inf or invalid UTF-8 (dump would throw).
  CHECK_NOTHROW((void)doc.dump());
}
