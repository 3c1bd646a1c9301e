#include "adapters/games/game_adapter.hpp"
#include "validation/validation.hpp"

#include <string>

// The OpenAPI 3.1 document of api.md. Arrays are always spelled `json::array(...)`:
// nlohmann reads a braced list of two-element lists starting with a string as an object.

namespace gamelight::validation {

namespace {

json ref(std::string_view kind, std::string_view name) {
  return json{{"$ref", "#/components/" + std::string{kind} + "/" + std::string{name}}};
}

json schema_ref(std::string_view name) {
  return ref("schemas", name);
}

json response_ref(std::string_view name) {
  return ref("responses", name);
}

json json_content(json schema) {
  return json{{"application/json", {{"schema", std::move(schema)}}}};
}

json json_response(std::string_view description, json schema) {
  return json{{"description", description}, {"content", json_content(std::move(schema))}};
}

json integer(std::int64_t min, std::int64_t max) {
  return json{{"type", "integer"}, {"minimum", min}, {"maximum", max}};
}

json string(std::size_t min, std::size_t max) {
  return json{{"type", "string"}, {"minLength", min}, {"maxLength", max}};
}

json timestamp() {
  return json{{"type", "string"},
              {"format", "date-time"},
              {"description", "RFC 3339 UTC with milliseconds"},
              {"examples", json::array({"2026-11-26T14:03:07.123Z"})}};
}

json nullable_timestamp() {
  return json{{"type", json::array({"string", "null"})},
              {"format", "date-time"},
              {"description", "RFC 3339 UTC with milliseconds; null before the first one"}};
}

json string_enum(const std::vector<std::string>& values) {
  auto list = json::array();
  for (const auto& v : values)
    list.push_back(v);
  return json{{"type", "string"}, {"enum", std::move(list)}};
}

std::vector<std::string> effect_names() {
  std::vector<std::string> result;
  for (auto i = static_cast<int>(effect_kind::solid); i <= static_cast<int>(effect_kind::off); ++i)
    result.emplace_back(to_string(static_cast<effect_kind>(i)));
  return result;
}

std::vector<std::string> adapter_names() {
  std::vector<std::string> result;
  for (const auto* adapter : games::all_adapters())
    result.emplace_back(adapter->adapter_type());
  return result;
}

// -- schemas --------------------------------------------------------------------

json color_schema() {
  return json{
      {"type", "array"}, {"items", integer(0, 255)},   {"minItems", 3},
      {"maxItems", 3},   {"description", "[R, G, B]"}, {"default", json::array({255, 255, 255})}};
}

json mapping_properties() {
  json p = json::object();
  p["event_type"] = json{{"type", "string"},
                         {"description", "One of the adapter's supported_events (for generic: "
                                         "one of adapter_config.events, or any name matching "
                                         "^[a-z0-9_.-]{1,64}$)"}};
  p["effect"] = string_enum(effect_names());
  p["color"] = color_schema();
  p["duration_ms"] = integer(0, 600000);
  p["duration_ms"]["default"] = 1000;
  p["duration_ms"]["description"]
      = "0 = stays until replaced or cleared; flash, fade and countdown need at least 1";
  p["intensity"] = json{{"type", "number"}, {"minimum", 0.0}, {"maximum", 1.0}, {"default", 1.0}};
  p["priority"] = integer(0, 100);
  p["priority"]["default"] = 50;
  p["priority"]["description"] = "Higher wins";
  p["zone"] = json{{"type", json::array({"string", "null"})},
                   {"pattern", zone_pattern},
                   {"default", nullptr},
                   {"description", "A zone of the device (see Device.zones), or null for the "
                                   "whole strip. On a device without a zone of that name the "
                                   "mapping plays nothing; a name no device has yet is accepted."}};
  return p;
}

json zone_schema() {
  json p = json::object();
  p["name"] = json{
      {"type", "string"}, {"pattern", zone_pattern}, {"description", "Unique within the device"}};
  p["start"] = integer(0, 4095);
  p["start"]["description"] = "First LED of the zone (0-based)";
  p["length"] = integer(1, 4096);
  p["length"]["description"] = "start + length must not exceed the device's led_count (422)";
  p["reverse"] = json{{"type", "boolean"},
                      {"default", false},
                      {"description", "Effects run from the zone's last LED towards its first"}};
  return json{{"type", "object"},
              {"properties", std::move(p)},
              {"required", json::array({"name", "start", "length"})},
              {"additionalProperties", false}};
}

json event_mapping_schema(bool input) {
  json s = json{{"type", "object"}, {"properties", mapping_properties()}};
  s["required"] = input ? json::array({"event_type", "effect"})
                        : json::array({"event_type", "effect", "color", "duration_ms", "intensity",
                                       "priority", "zone"});
  s["additionalProperties"] = false;
  return s;
}

json adapter_config_schema(bool input) {
  return json{
      {"type", "object"},
      {"description",
       input
           ? "Valid against the adapter's config_schema (GET /api/v1/game-adapters); unknown keys "
             "are rejected. A secret (writeOnly field) sent as \"********\" keeps the stored value "
             "on PUT and is refused on create."
           : "The adapter's options; secrets (writeOnly fields) are shown as \"********\"."}};
}

json tags_schema() {
  return json{{"type", "array"},
              {"items", string(1, 50)},
              {"maxItems", 32},
              {"uniqueItems", true},
              {"default", json::array()}};
}

json integration_input(bool create) {
  json p = json::object();
  p["name"] = string(1, 100);
  p["name"]["description"] = "Trimmed; unique among integrations ignoring case (409)";
  p["adapter_type"] = string_enum(adapter_names());
  p["enabled"] = json{{"type", "boolean"}, {"default", true}};
  p["adapter_config"] = adapter_config_schema(true);
  p["adapter_config"]["default"] = json::object();
  p["event_mappings"] = json{{"type", "array"},
                             {"items", schema_ref("EventMappingInput")},
                             {"maxItems", max_event_mappings},
                             {"default", json::array()}};
  p["description"] = json{{"type", "string"}, {"maxLength", 1000}, {"default", ""}};
  p["tags"] = tags_schema();
  json s = json{{"type", "object"}, {"properties", std::move(p)}};
  if (create) {
    s["required"] = json::array({"name", "adapter_type"});
  } else {
    s["description"] = "Partial update: every field is optional and a present field replaces "
                       "the stored one (adapter_config and event_mappings as a whole). The "
                       "merged result must be valid for the resulting adapter_type. id, "
                       "created_at and updated_at are refused (422).";
    for (auto& property : s["properties"])
      property.erase("default");
  }
  s["additionalProperties"] = false;
  return s;
}

json integration_schema() {
  json p = json::object();
  p["id"] = json{{"type", "string"},
                 {"pattern", "^gi_[0-9a-f]{8}$"},
                 {"examples", json::array({"gi_3f9a0c1e"})}};
  p["name"] = string(1, 100);
  p["adapter_type"] = string_enum(adapter_names());
  p["enabled"] = json{{"type", "boolean"}};
  p["adapter_config"] = adapter_config_schema(false);
  p["event_mappings"] = json{{"type", "array"}, {"items", schema_ref("EventMapping")}};
  p["description"] = json{{"type", "string"}, {"maxLength", 1000}};
  p["tags"] = json{{"type", "array"}, {"items", string(1, 50)}};
  p["created_at"] = timestamp();
  p["updated_at"] = timestamp();
  auto required = json::array();
  for (const auto& [name, _] : p.items())
    required.push_back(name);
  return json{{"type", "object"}, {"properties", std::move(p)}, {"required", std::move(required)}};
}

json device_properties(bool input) {
  json p = json::object();
  p["name"] = string(1, 100);
  p["name"]["description"] = "Trimmed; unique among devices ignoring case (409)";
  p["host"] = string(1, 253);
  p["host"]["description"] = "IPv4 or IPv6 literal, or a hostname";
  p["port"] = integer(1, 65535);
  p["port"]["description"] = input ? "Defaults to the protocol's port on create (ddp 4048, dnrgb "
                                     "21324, e131 5568); kept on PUT unless sent"
                                   : "UDP port";
  p["protocol"] = string_enum({"ddp", "dnrgb", "e131"});
  p["universe"] = integer(1, 63999);
  p["universe"]["description"] = "First E1.31 universe (used by e131 only)";
  p["led_count"] = integer(1, 4096);
  p["fps"] = integer(1, 120);
  p["brightness"] = json{{"type", "number"}, {"minimum", 0.0}, {"maximum", 1.0}};
  p["enabled"] = json{{"type", "boolean"}};
  p["integration_ids"] = json{
      {"type", "array"},
      {"items", json{{"type", "string"}, {"pattern", "^gi_[0-9a-f]{8}$"}}},
      {"uniqueItems", true},
      {"description", "Existing integration ids (422 otherwise); their events drive this device"}};
  p["zones"] = json{
      {"type", "array"},
      {"items", schema_ref("Zone")},
      {"maxItems", max_zones},
      {"description",
       "Named parts of the strip; they may overlap. Each LED shows the highest-priority active "
       "effect whose range (its zone, or the whole strip) covers it, ties going to the newest. "
       "A zone beyond led_count is a 422 at its loc, or at led_count when a PUT shrinks the "
       "strip below a stored zone."}};
  if (input) {
    p["zones"]["default"] = json::array();
    p["protocol"]["default"] = "ddp";
    p["universe"]["default"] = 1;
    p["fps"]["default"] = 40;
    p["brightness"]["default"] = 1.0;
    p["enabled"]["default"] = true;
    p["integration_ids"]["default"] = json::array();
  }
  return p;
}

json device_input(bool create) {
  json s = json{{"type", "object"}, {"properties", device_properties(true)}};
  if (create) {
    s["required"] = json::array({"name", "host", "led_count"});
  } else {
    s["description"] = "Partial update: every field is optional and a present field replaces "
                       "the stored one. id, created_at and updated_at are refused (422).";
    for (auto& property : s["properties"])
      property.erase("default");
  }
  s["additionalProperties"] = false;
  return s;
}

json device_schema() {
  json p = json::object();
  p["id"] = json{{"type", "string"},
                 {"pattern", "^dev_[0-9a-f]{8}$"},
                 {"examples", json::array({"dev_a1b2c3d4"})}};
  // Keep the properties alive while iterating (items() only refers to them).
  const json properties = device_properties(false);
  for (const auto& [name, sub] : properties.items())
    p[name] = sub;
  p["created_at"] = timestamp();
  p["updated_at"] = timestamp();
  auto required = json::array();
  for (const auto& [name, _] : p.items())
    required.push_back(name);
  return json{{"type", "object"}, {"properties", std::move(p)}, {"required", std::move(required)}};
}

json list_schema(std::string_view key, std::string_view item) {
  json p = json::object();
  p[std::string{key}] = json{{"type", "array"}, {"items", schema_ref(item)}};
  p["count"] = json{{"type", "integer"}, {"minimum", 0}};
  return json{
      {"type", "object"}, {"properties", std::move(p)}, {"required", json::array({key, "count"})}};
}

json object_schema(json properties, json required) {
  return json{
      {"type", "object"}, {"properties", std::move(properties)}, {"required", std::move(required)}};
}

json schemas() {
  json s = json::object();
  s["EventMapping"] = event_mapping_schema(false);
  s["EventMappingInput"] = event_mapping_schema(true);
  s["Integration"] = integration_schema();
  s["IntegrationCreate"] = integration_input(true);
  s["IntegrationUpdate"] = integration_input(false);
  s["IntegrationList"] = list_schema("integrations", "Integration");
  s["IntegrationStatus"] = object_schema(
      json{{"integration_id", json{{"type", "string"}}},
           {"enabled", json{{"type", "boolean"}}},
           {"connected", json{{"type", "boolean"},
                              {"description", "An accepted payload arrived within the connected "
                                              "window (default 30 s)"}}},
           {"last_payload_at", nullable_timestamp()},
           {"last_event_at", nullable_timestamp()},
           {"payload_count", json{{"type", "integer"}, {"minimum", 0}}},
           {"event_count", json{{"type", "integer"}, {"minimum", 0}}},
           {"rejected_count", json{{"type", "integer"}, {"minimum", 0}}},
           {"events_by_type",
            json{{"type", "object"},
                 {"additionalProperties", json{{"type", "integer"}, {"minimum", 0}}}}}},
      json::array({"integration_id", "enabled", "connected", "last_payload_at", "last_event_at",
                   "payload_count", "event_count", "rejected_count", "events_by_type"}));
  s["RecentEvent"] = object_schema(
      json{{"seq", json{{"type", "integer"},
                        {"minimum", 1},
                        {"description", "Daemon-wide event number since start (as in streams)"}}},
           {"event_type", json{{"type", "string"}}},
           {"timestamp", timestamp()},
           {"data", json{{"type", "object"}, {"description", "The values behind the event"}}}},
      json::array({"seq", "event_type", "timestamp", "data"}));
  s["RecentEventList"] = object_schema(json{{"integration_id", json{{"type", "string"}}},
                                            {"events", json{{"type", "array"},
                                                            {"items", schema_ref("RecentEvent")},
                                                            {"description", "Newest first"}}},
                                            {"count", json{{"type", "integer"}, {"minimum", 0}}}},
                                       json::array({"integration_id", "events", "count"}));
  s["GenericEvent"]
      = json{{"type", "object"},
             {"properties",
              json{{"event_type", json{{"type", "string"}, {"pattern", "^[a-z0-9_.-]{1,64}$"}}},
                   {"data", json{{"type", "object"}}}}},
             {"required", json::array({"event_type"})}};
  s["GenericPayload"] = json{
      {"description", "The generic adapter's payload: one event, or a list of at most 64"},
      {"oneOf",
       json::array({schema_ref("GenericEvent"),
                    json{{"type", "object"},
                         {"properties", json{{"events", json{{"type", "array"},
                                                             {"items", schema_ref("GenericEvent")},
                                                             {"maxItems", 64}}}}},
                         {"required", json::array({"events"})}}})}};
  s["GameStatePayload"]
      = json{{"type", "object"},
             {"description", "A CS2 or Dota 2 Game State Integration payload as the game sends it; "
                             "auth.token must equal adapter_config.token"}};
  s["IngestResult"] = json{
      {"type", "object"},
      {"properties",
       json{{"accepted", json{{"type", "boolean"}}},
            {"events", json{{"type", "array"},
                            {"items", json{{"type", "string"}}},
                            {"description", "The events fired, in order"}}},
            {"reason", json{{"type", "string"},
                            {"description", "Why nothing happened (\"integration disabled\")"}}}}},
      {"required", json::array({"accepted"})}};
  s["SupportedEvent"] = object_schema(
      json{{"event_type", json{{"type", "string"}}}, {"description", json{{"type", "string"}}}},
      json::array({"event_type", "description"}));
  s["GameAdapter"] = object_schema(
      json{{"adapter_type", json{{"type", "string"}}},
           {"display_name", json{{"type", "string"}}},
           {"description", json{{"type", "string"}}},
           {"auth", string_enum({"body_token", "header_token"})},
           {"supported_events", json{{"type", "array"}, {"items", schema_ref("SupportedEvent")}}},
           {"config_schema",
            json{{"type", "object"},
                 {"description", "JSON Schema (draft 2020-12 subset) of adapter_config"}}}},
      json::array({"adapter_type", "display_name", "description", "auth", "supported_events",
                   "config_schema"}));
  s["GameAdapterList"] = list_schema("adapters", "GameAdapter");
  s["Device"] = device_schema();
  s["DeviceCreate"] = device_input(true);
  s["DeviceUpdate"] = device_input(false);
  s["DeviceList"] = list_schema("devices", "Device");
  s["Zone"] = zone_schema();
  s["ActiveEffect"] = object_schema(
      json{{"integration_id", json{{"type", "string"}}},
           {"event_type", json{{"type", "string"}}},
           {"effect", string_enum(effect_names())},
           {"priority", integer(0, 100)},
           {"remaining_ms", json{{"type", json::array({"integer", "null"})},
                                 {"description", "null for sticky effects"}}},
           {"zone", json{{"type", json::array({"string", "null"})},
                         {"description", "The zone it plays in; null for the whole strip"}}}},
      json::array({"integration_id", "event_type", "effect", "priority", "remaining_ms", "zone"}));
  s["ProbeRequest"] = json{
      {"type", "object"},
      {"properties", json{{"host", json{{"type", "string"},
                                        {"minLength", 1},
                                        {"maxLength", 253},
                                        {"description", "IPv4 or IPv6 literal, or a hostname"}}},
                          {"port", json{{"type", "integer"},
                                        {"minimum", 1},
                                        {"maximum", 65535},
                                        {"default", 80},
                                        {"description", "The WLED web server's port"}}}}},
      {"required", json::array({"host"})},
      {"additionalProperties", false}};
  s["ProbeResult"] = json{
      {"type", "object"},
      {"description", "What GET /json/info of the WLED answered, or why it could not be read"},
      {"properties",
       json{{"reachable", json{{"type", "boolean"}}},
            {"name", json{{"type", "string"}, {"description", "WLED's info.name"}}},
            {"version", json{{"type", "string"}, {"description", "WLED's info.ver"}}},
            {"led_count", json{{"type", "integer"}, {"description", "WLED's info.leds.count"}}},
            {"mac", json{{"type", "string"}, {"description", "WLED's info.mac, as written"}}},
            {"detail",
             json{{"type", "string"},
                  {"description", "Why the device is not reachable (refused, timed out, not a "
                                  "WLED answer, malformed JSON, over 64 KiB, ...)"}}}}},
      {"required", json::array({"reachable"})},
      {"oneOf",
       json::array({json{{"properties", json{{"reachable", json{{"const", true}}}}},
                         {"required", json::array({"name", "version", "led_count", "mac"})}},
                    json{{"properties", json{{"reachable", json{{"const", false}}}}},
                         {"required", json::array({"detail"})}}})}};
  s["DeviceStatus"] = object_schema(
      json{{"frames_sent", json{{"type", "integer"}, {"minimum", 0}}},
           {"last_frame_at", nullable_timestamp()},
           {"send_errors", json{{"type", "integer"}, {"minimum", 0}}},
           {"active_effects", json{{"type", "array"}, {"items", schema_ref("ActiveEffect")}}}},
      json::array({"frames_sent", "last_frame_at", "send_errors", "active_effects"}));
  {
    auto p = mapping_properties();
    p.erase("event_type");
    p["effect"]["default"] = "flash";
    p["priority"]["default"] = 100;
    s["DeviceTest"] = json{{"type", "object"},
                           {"description", "Optional; without a body a 1 s white flash plays"},
                           {"properties", std::move(p)},
                           {"additionalProperties", false}};
  }
  s["DeviceTestResult"]
      = object_schema(json{{"played", string_enum(effect_names())}}, json::array({"played"}));
  s["MappingTest"]
      = json{{"type", "object"},
             {"properties",
              json{{"event_type", json{{"type", "string"},
                                       {"minLength", 1},
                                       {"maxLength", 64},
                                       {"description", "One of the adapter's supported events"}}},
                   {"data", json{{"type", "object"},
                                 {"default", json::object()},
                                 {"description", "The event's data (gauge reads fraction)"}}}}},
             {"required", json::array({"event_type"})},
             {"additionalProperties", false}};
  s["MappingTestResult"] = object_schema(
      json{{"played",
            json{{"type", "array"},
                 {"description", "One item per (mapping, device) played, in mapping order"},
                 {"items",
                  object_schema(json{{"device_id", json{{"type", "string"}}},
                                     {"effect", string_enum(effect_names())},
                                     {"zone", json{{"type", json::array({"string", "null"})}}}},
                                json::array({"device_id", "effect", "zone"}))}}}},
      json::array({"played"}));
  s["Health"] = object_schema(json{{"status", string_enum({"ok"})},
                                   {"version", json{{"type", "string"}}},
                                   {"uptime_s", json{{"type", "integer"}, {"minimum", 0}}}},
                              json::array({"status", "version", "uptime_s"}));
  s["RestoreResult"] = object_schema(json{{"restored", json{{"type", "boolean"}}},
                                          {"integrations", json{{"type", "integer"}}},
                                          {"devices", json{{"type", "integer"}}}},
                                     json::array({"restored", "integrations", "devices"}));
  s["HTTPError"]
      = object_schema(json{{"detail", json{{"type", "string"}}}}, json::array({"detail"}));
  s["Reference"] = object_schema(json{{"type", json{{"type", "string"}}},
                                      {"id", json{{"type", "string"}}},
                                      {"name", json{{"type", "string"}}}},
                                 json::array({"type", "id", "name"}));
  s["ConflictError"] = object_schema(
      json{{"detail",
            json{{"oneOf",
                  json::array(
                      {json{{"type", "string"}},
                       object_schema(json{{"message", json{{"type", "string"}}},
                                          {"references", json{{"type", "array"},
                                                              {"items", schema_ref("Reference")}}}},
                                     json::array({"message", "references"}))})}}}},
      json::array({"detail"}));
  s["ValidationError"] = object_schema(
      json{{"loc", json{{"type", "array"},
                        {"items", json{{"anyOf", json::array({json{{"type", "string"}},
                                                              json{{"type", "integer"}}})}}}}},
           {"msg", json{{"type", "string"}}},
           {"type", json{{"type", "string"}}}},
      json::array({"loc", "msg", "type"}));
  s["HTTPValidationError"] = object_schema(
      json{{"detail", json{{"type", "array"}, {"items", schema_ref("ValidationError")}}}},
      json::array({"detail"}));
  s["InternalError"] = object_schema(
      json{{"detail", json{{"type", "string"}}}, {"request_id", json{{"type", "string"}}}},
      json::array({"detail", "request_id"}));
  return s;
}

// -- responses and parameters ---------------------------------------------------

json responses() {
  json r = json::object();
  r["BadRequest"]
      = json_response("Malformed JSON, or content the route cannot use", schema_ref("HTTPError"));
  r["Unauthorized"] = json_response("Missing or wrong API key", schema_ref("HTTPError"));
  r["Unauthorized"]["headers"] = json{
      {"WWW-Authenticate", json{{"schema", json{{"type", "string"}}}, {"description", "Bearer"}}}};
  r["NotFound"] = json_response("Unknown id", schema_ref("HTTPError"));
  r["Conflict"] = json_response("Name already taken, or the entity is still referenced",
                                schema_ref("ConflictError"));
  r["PayloadTooLarge"] = json_response("Body over the route's limit", schema_ref("HTTPError"));
  r["ValidationError"] = json_response("Validation failed; every failing field is listed",
                                       schema_ref("HTTPValidationError"));
  r["InternalError"] = json_response("A bug; logged under request_id", schema_ref("InternalError"));
  r["ServiceUnavailable"] = json_response(
      "A passing fault: the database refused a read or write (disk full, read-only, I/O error, "
      "locked) or the daemon's components did not answer in time. Nothing was changed; retry "
      "after Retry-After seconds, no restart needed.",
      schema_ref("HTTPError"));
  r["ServiceUnavailable"]["headers"] = json{
      {"Retry-After", json{{"schema", json{{"type", "integer"}}}, {"description", "Seconds"}}}};
  return r;
}

json id_parameter(std::string_view description, std::string_view pattern) {
  return json{{"name", "id"},
              {"in", "path"},
              {"required", true},
              {"description", description},
              {"schema", json{{"type", "string"}, {"pattern", pattern}}}};
}

json parameters() {
  json p = json::object();
  p["IntegrationId"] = id_parameter("Game integration id", "^gi_[0-9a-f]{8}$");
  p["DeviceId"] = id_parameter("Device id", "^dev_[0-9a-f]{8}$");
  return p;
}

// -- operations -----------------------------------------------------------------

/// Builds one operation; `secured` adds the API key requirement and its 401.
struct operation {
  json op = json::object();

  operation(std::string_view id, std::string_view tag, std::string_view summary, bool secured) {
    op["operationId"] = id;
    op["tags"] = json::array({tag});
    op["summary"] = summary;
    if (secured)
      op["security"] = json::array(
          {json{{"bearerAuth", json::array()}}, json{{"apiKeyHeader", json::array()}}});
    else
      op["security"] = json::array();
    op["responses"] = json::object();
    if (secured)
      respond_ref("401", "Unauthorized");
  }

  operation& describe(std::string_view text) {
    op["description"] = text;
    return *this;
  }

  operation& path_id(std::string_view parameter) {
    op["parameters"] = json::array({ref("parameters", parameter)});
    respond_ref("404", "NotFound");
    return *this;
  }

  operation& query(std::string_view name, json schema, std::string_view description) {
    if (!op.contains("parameters"))
      op["parameters"] = json::array();
    op["parameters"].push_back(json{{"name", name},
                                    {"in", "query"},
                                    {"required", false},
                                    {"description", description},
                                    {"schema", std::move(schema)}});
    return *this;
  }

  operation& json_body(std::string_view schema, bool required = true) {
    op["requestBody"] = json{{"required", required}, {"content", json_content(schema_ref(schema))}};
    respond_ref("400", "BadRequest");
    respond_ref("413", "PayloadTooLarge");
    respond_ref("422", "ValidationError");
    return *this;
  }

  operation& respond(std::string_view status, json response) {
    op["responses"][std::string{status}] = std::move(response);
    return *this;
  }

  operation& respond_ref(std::string_view status, std::string_view name) {
    op["responses"][std::string{status}] = response_ref(name);
    return *this;
  }

  /// Adds 500, and 503 unless the operation never waits for the store or the actors.
  json done(bool may_be_unavailable = true) {
    respond_ref("500", "InternalError");
    if (may_be_unavailable)
      respond_ref("503", "ServiceUnavailable");
    return std::move(op);
  }
};

void integration_paths(json& paths) {
  const std::string base = "/api/v1/game-integrations";
  json collection = json::object();
  collection["get"]
      = operation{"listGameIntegrations", "game-integrations", "List game integrations", true}
            .describe("Ordered by created_at, then id. Filters combine with AND.")
            .query("adapter_type", string_enum(adapter_names()),
                   "Only integrations of this adapter")
            .query("tag", json{{"type", "string"}}, "Only integrations carrying this tag")
            .query("enabled", json{{"type", "boolean"}},
                   "Only enabled (true) or disabled (false) integrations")
            .respond("200", json_response("The integrations", schema_ref("IntegrationList")))
            .respond_ref("422", "ValidationError")
            .done();
  auto created = json_response("Created", schema_ref("Integration"));
  created["headers"] = json{{"Location", json{{"schema", json{{"type", "string"}}},
                                              {"description", "URL of the new integration"}}}};
  collection["post"]
      = operation{"createGameIntegration", "game-integrations", "Create a game integration", true}
            .json_body("IntegrationCreate")
            .respond("201", created)
            .respond_ref("409", "Conflict")
            .done();
  paths[base] = std::move(collection);

  json item = json::object();
  item["get"] = operation{"getGameIntegration", "game-integrations", "Get a game integration", true}
                    .path_id("IntegrationId")
                    .respond("200", json_response("The integration", schema_ref("Integration")))
                    .done();
  item["put"]
      = operation{"updateGameIntegration", "game-integrations",
                  "Update a game integration (partial)", true}
            .path_id("IntegrationId")
            .json_body("IntegrationUpdate")
            .respond("200", json_response("The updated integration", schema_ref("Integration")))
            .respond_ref("409", "Conflict")
            .done();
  item["delete"]
      = operation{"deleteGameIntegration", "game-integrations", "Delete a game integration", true}
            .describe("409 while devices still refer to it, with the references.")
            .path_id("IntegrationId")
            .respond("204", json{{"description", "Deleted"}})
            .respond_ref("409", "Conflict")
            .done();
  paths[base + "/{id}"] = std::move(item);

  auto ingest
      = operation{"ingestGameEvent", "ingestion", "Post a game payload (ingestion)", false}
            .describe("No API key: the adapter's own auth applies (cs2/dota2: auth.token in the "
                      "body; generic: X-Game-Token or Authorization: Bearer when a token is set). "
                      "Up to 1 MiB. Order: 404, 413, disabled (accepted: false), 400, 401, 422.")
            .path_id("IntegrationId")
            .respond("200", json_response("Accepted, or ignored when the integration is disabled",
                                          schema_ref("IngestResult")))
            .respond_ref("400", "BadRequest")
            .respond("401", json_response("Adapter auth failed", schema_ref("HTTPError")))
            .respond_ref("413", "PayloadTooLarge")
            .respond_ref("422", "ValidationError")
            .done();
  // The ingestion route has a header instead of query parameters.
  ingest["parameters"]
      = json::array({ref("parameters", "IntegrationId"),
                     json{{"name", "X-Game-Token"},
                          {"in", "header"},
                          {"required", false},
                          {"description", "The generic adapter's token (when one is configured)"},
                          {"schema", json{{"type", "string"}}}}});
  ingest["requestBody"] = json{
      {"required", true},
      {"content", json_content(json{{"anyOf", json::array({schema_ref("GameStatePayload"),
                                                           schema_ref("GenericPayload")})}})}};
  paths[base + "/{id}/event"] = json{{"post", std::move(ingest)}};

  paths[base + "/{id}/status"] = json{
      {"get", operation{"getGameIntegrationStatus", "game-integrations",
                        "Ingestion status and counters", true}
                  .path_id("IntegrationId")
                  .respond("200", json_response("The status", schema_ref("IntegrationStatus")))
                  .done()}};
  auto limit = integer(1, 100);
  limit["default"] = 50;
  paths[base + "/{id}/events"] = json{
      {"get", operation{"listGameIntegrationEvents", "game-integrations", "Recent events", true}
                  .path_id("IntegrationId")
                  .query("limit", limit, "How many events, newest first")
                  .respond("200", json_response("The recent events", schema_ref("RecentEventList")))
                  .respond_ref("422", "ValidationError")
                  .done()}};
  paths[base + "/{id}/setup"] = json{
      {"get",
       operation{"getGameIntegrationSetup", "game-integrations", "Game-side setup file", true}
           .describe("CS2/Dota 2: the gamestate_integration_*.cfg to drop into the game's cfg "
                     "folder (carries the real token). generic: a ready curl command.")
           .path_id("IntegrationId")
           .respond("200", json{{"description", "The setup file"},
                                {"content",
                                 json{{"text/plain", json{{"schema", json{{"type", "string"}}}}}}}})
           .done()}};
  paths[base + "/{id}/test"]
      = json{{"post",
              operation{"testGameIntegrationMapping", "game-integrations",
                        "Play an event's mappings on the integration's devices", true}
                  .describe("Plays as an ingested event would, whether or not the integration is "
                            "enabled, and records nothing (no payload, event, ring, stream or MQTT "
                            "message).")
                  .path_id("IntegrationId")
                  .json_body("MappingTest")
                  .respond("202", json_response("Played", schema_ref("MappingTestResult")))
                  .respond_ref("422", "ValidationError")
                  .done()}};
  auto stream_of = [](std::string_view what) {
    return json{
        {"description", what},
        {"content", json{{"text/event-stream", json{{"schema", json{{"type", "string"}}}}}}}};
  };
  auto repeated_string = json{{"type", "string"}};
  paths["/api/v1/events/stream"] = json{
      {"get",
       operation{"streamEvents", "streams", "Live game events (Server-Sent Events)", true}
           .describe("retry: 2000, then `game_event` (id = seq) and `status` events, `: ping` "
                     "after 15 s of silence. Header Last-Event-ID replays the rings first. A "
                     "reader more than 1 MiB behind is disconnected; beyond max-streams, 503.")
           .query("integration_id", repeated_string, "Only these integrations (repeatable)")
           .query("event_type", repeated_string, "Only these game events (repeatable)")
           .respond("200", stream_of("The stream, kept open"))
           .done()}};
  paths["/api/v1/game-adapters"] = json{
      {"get", operation{"listGameAdapters", "game-adapters", "List the game adapters", true}
                  .respond("200", json_response("The adapters", schema_ref("GameAdapterList")))
                  .done()}};
}

void device_paths(json& paths) {
  const std::string base = "/api/v1/devices";
  json collection = json::object();
  collection["get"] = operation{"listDevices", "devices", "List devices", true}
                          .respond("200", json_response("The devices", schema_ref("DeviceList")))
                          .done();
  auto created = json_response("Created", schema_ref("Device"));
  created["headers"] = json{{"Location", json{{"schema", json{{"type", "string"}}},
                                              {"description", "URL of the new device"}}}};
  collection["post"] = operation{"createDevice", "devices", "Create a device", true}
                           .json_body("DeviceCreate")
                           .respond("201", created)
                           .respond_ref("409", "Conflict")
                           .done();
  paths[base] = std::move(collection);
  json item = json::object();
  item["get"] = operation{"getDevice", "devices", "Get a device", true}
                    .path_id("DeviceId")
                    .respond("200", json_response("The device", schema_ref("Device")))
                    .done();
  item["put"] = operation{"updateDevice", "devices", "Update a device (partial)", true}
                    .path_id("DeviceId")
                    .json_body("DeviceUpdate")
                    .respond("200", json_response("The updated device", schema_ref("Device")))
                    .respond_ref("409", "Conflict")
                    .done();
  item["delete"] = operation{"deleteDevice", "devices", "Delete a device", true}
                       .path_id("DeviceId")
                       .respond("204", json{{"description", "Deleted"}})
                       .done();
  paths[base + "/{id}"] = std::move(item);
  paths[base + "/{id}/status"] = json{
      {"get", operation{"getDeviceStatus", "devices", "Output status and active effects", true}
                  .path_id("DeviceId")
                  .respond("200", json_response("The status", schema_ref("DeviceStatus")))
                  .done()}};
  paths[base + "/{id}/test"]
      = json{{"post", operation{"testDevice", "devices", "Play a test effect", true}
                          .path_id("DeviceId")
                          .json_body("DeviceTest", false)
                          .respond("202", json_response("Playing", schema_ref("DeviceTestResult")))
                          .done()}};
  auto fps = integer(1, 30);
  fps["default"] = 15;
  paths[base + "/{id}/frames/stream"] = json{
      {"get",
       operation{"streamDeviceFrames", "streams", "Live rendered frames (Server-Sent Events)", true}
           .describe("`frame` events: {active, led_count, rgb: base64 of 3 bytes per LED after "
                     "brightness}, only when the frame changed, at most fps a second; one "
                     "inactive all-black frame when the device falls idle.")
           .path_id("DeviceId")
           .query("fps", fps, "Most frames a second")
           .respond("200", json{{"description", "The stream, kept open"},
                                {"content", json{{"text/event-stream",
                                                  json{{"schema", json{{"type", "string"}}}}}}}})
           .respond_ref("422", "ValidationError")
           .done()}};
  paths[base + "/probe"] = json{
      {"post",
       operation{"probeDevice", "devices", "Read a WLED's facts from its JSON API", true}
           .describe("Fetches only http://HOST:PORT/json/info, follows no redirect, reads at "
                     "most 64 KiB and gives up after 2 s. A device that does not answer, or "
                     "whose answer is not WLED's, is still a 200 with reachable false and a "
                     "detail.")
           .json_body("ProbeRequest")
           .respond("200", json_response("What the device said", schema_ref("ProbeResult")))
           .done()}};
}

void system_paths(json& paths) {
  paths["/api/v1/health"]
      = json{{"get", operation{"getHealth", "system", "Liveness", false}
                         .respond("200", json_response("Running", schema_ref("Health")))
                         .done(false)}};
  paths["/api/v1/system/backup"] = json{
      {"get",
       operation{"getBackup", "system", "Download a database backup", true}
           .describe("A consistent online snapshot of the whole database (SQLite backup API).")
           .respond("200",
                    json{{"description", "The SQLite database file"},
                         {"headers",
                          json{{"Content-Disposition",
                                json{{"schema", json{{"type", "string"}}},
                                     {"description",
                                      "attachment; filename=\"gamelight-<timestamp>.db\""}}}}},
                         {"content", json{{"application/vnd.sqlite3",
                                           json{{"schema", json{{"type", "string"},
                                                                {"contentMediaType",
                                                                 "application/vnd.sqlite3"}}}}}}}})
           .done()}};
  json binary = json{{"type", "string"}, {"contentMediaType", "application/octet-stream"}};
  auto restore
      = operation{"restoreBackup", "system", "Restore a database backup", true}
            .describe(
                "Not SQLite, a failed integrity_check, or an unknown or newer schema is a 400 "
                "and the current data stays as it was. On success the restored data is "
                "served at once. Up to 64 MiB.")
            .respond("200", json_response("Restored", schema_ref("RestoreResult")))
            .respond_ref("400", "BadRequest")
            .respond_ref("413", "PayloadTooLarge")
            .done();
  restore["requestBody"]
      = json{{"required", true},
             {"content", json{{"application/vnd.sqlite3", json{{"schema", binary}}},
                              {"application/octet-stream", json{{"schema", binary}}}}}};
  paths["/api/v1/system/restore"] = json{{"post", std::move(restore)}};
  paths["/metrics"] = json{
      {"get",
       operation{"getMetrics", "system", "Prometheus metrics", false}
           .describe("Ingest counters and latency histogram, events by type, frames sent, errors.")
           .respond("200", json{{"description", "Prometheus text exposition format"},
                                {"content", json{{"text/plain; version=0.0.4",
                                                  json{{"schema", json{{"type", "string"}}}}}}}})
           .done()}};
}

} // namespace

json openapi_document(std::string_view version) {
  json doc = json::object();
  doc["openapi"] = "3.1.0";
  doc["info"] = json{{"title", "gamelight"},
                     {"version", version},
                     {"description",
                      "Turns game events into WLED light effects. Errors use FastAPI's shapes: "
                      "{\"detail\": ...}; a 422 lists every failing field."}};
  doc["jsonSchemaDialect"] = "https://spec.openapis.org/oas/3.1/dialect/base";
  doc["tags"] = json::array({json{{"name", "game-integrations"}}, json{{"name", "ingestion"}},
                             json{{"name", "game-adapters"}}, json{{"name", "devices"}},
                             json{{"name", "streams"}}, json{{"name", "system"}}});
  json paths = json::object();
  integration_paths(paths);
  device_paths(paths);
  system_paths(paths);
  doc["paths"] = std::move(paths);
  json components = json::object();
  components["schemas"] = schemas();
  components["responses"] = responses();
  components["parameters"] = parameters();
  components["securitySchemes"] = json{
      {"bearerAuth", json{{"type", "http"}, {"scheme", "bearer"}, {"description", "The API key"}}},
      {"apiKeyHeader", json{{"type", "apiKey"},
                            {"in", "header"},
                            {"name", "X-API-Key"},
                            {"description", "The API key"}}}};
  doc["components"] = std::move(components);
  return doc;
}

} // namespace gamelight::validation
