#include "tests/http/fixture.hpp"

#include <algorithm>
#include <utility>
#include <vector>

using namespace gamelight;
using namespace gamelight::test;

namespace {

const char* cs2_body = R"({"name": "CS2 desk rig", "adapter_type": "cs2",
  "adapter_config": {"token": "wled-gsi-7f3c9a12e4b8"},
  "event_mappings": [{"event_type": "bomb_planted", "effect": "pulse", "color": [255, 0, 0],
                      "duration_ms": 40000, "intensity": 1.0, "priority": 80}],
  "tags": ["fps"]})";

json create(httplib::Client& cli, const std::string& body) {
  auto res = cli.Post("/api/v1/game-integrations", body, json_type);
  REQUIRE(res);
  REQUIRE_MESSAGE(res->status == 201, res->body);
  return body_of(res);
}

} // namespace

TEST_CASE("an integration goes through create, read, list, update and delete") {
  daemon_fixture daemon;
  auto cli = daemon.client();
  auto res = cli.Post("/api/v1/game-integrations", cs2_body, json_type);
  REQUIRE(res);
  CHECK_EQ(res->status, 201);
  auto created = body_of(res);
  auto id = created["id"].get<std::string>();
  CHECK_EQ(res->get_header_value("Location"), "/api/v1/game-integrations/" + id);
  CHECK_EQ(res->get_header_value("Content-Type"), "application/json");
  CHECK_EQ(id.size(), 11u);
  CHECK_EQ(created["name"], "CS2 desk rig");
  CHECK_EQ(created["enabled"], true);
  CHECK_EQ(created["adapter_config"].dump(), R"({"token":"********"})");
  CHECK_EQ(created["event_mappings"].dump(),
           R"([{"event_type":"bomb_planted","effect":"pulse","color":[255,0,0],)"
           R"("duration_ms":40000,"intensity":1.0,"priority":80,"zone":null}])");
  CHECK_EQ(created["description"], "");
  CHECK_EQ(created["tags"].dump(), R"(["fps"])");
  CHECK_EQ(created["created_at"], created["updated_at"]);

  res = cli.Get("/api/v1/game-integrations/" + id);
  REQUIRE(res);
  CHECK_EQ(res->status, 200);
  CHECK_EQ(body_of(res), created);

  res = cli.Get("/api/v1/game-integrations");
  REQUIRE(res);
  CHECK_EQ(res->status, 200);
  auto listed = body_of(res);
  CHECK_EQ(listed["count"], 1);
  CHECK_EQ(listed["integrations"][0], created);

  res = cli.Put("/api/v1/game-integrations/" + id, R"({"enabled": false, "tags": []})", json_type);
  REQUIRE(res);
  CHECK_EQ(res->status, 200);
  auto updated = body_of(res);
  CHECK_EQ(updated["enabled"], false);
  CHECK_EQ(updated["tags"].dump(), "[]");
  CHECK_EQ(updated["name"], "CS2 desk rig");
  CHECK_EQ(updated["created_at"], created["created_at"]);

  res = cli.Delete("/api/v1/game-integrations/" + id);
  REQUIRE(res);
  CHECK_EQ(res->status, 204);
  CHECK_EQ(res->body, "");
  res = cli.Get("/api/v1/game-integrations/" + id);
  REQUIRE(res);
  CHECK_EQ(res->status, 404);
  CHECK_EQ(res->body, R"({"detail":"Game integration not found"})");
}

TEST_CASE("list filters combine with AND") {
  daemon_fixture daemon;
  auto cli = daemon.client();
  create(cli, cs2_body);
  create(cli, R"({"name": "Dota", "adapter_type": "dota2", "enabled": false,
                  "adapter_config": {"token": "wled-dota-51ae08c3"}, "tags": ["moba"]})");
  create(cli, R"({"name": "Script", "adapter_type": "generic", "tags": ["fps"]})");
  auto names = [&](const std::string& query) {
    auto res = cli.Get("/api/v1/game-integrations" + query);
    REQUIRE(res);
    REQUIRE_EQ(res->status, 200);
    // api.md orders by created_at, then id: creates within one millisecond come back in
    // id order. Check that order, then compare the names alphabetically.
    auto body = body_of(res);
    std::vector<std::pair<std::string, std::string>> keys;
    std::vector<std::string> found;
    for (auto& x : body["integrations"]) {
      keys.emplace_back(x["created_at"], x["id"]);
      found.push_back(x["name"]);
    }
    CHECK(std::is_sorted(keys.begin(), keys.end()));
    std::sort(found.begin(), found.end());
    std::string result;
    for (auto& name : found)
      result += (result.empty() ? "" : "|") + name;
    return result;
  };
  CHECK_EQ(names(""), "CS2 desk rig|Dota|Script");
  CHECK_EQ(names("?tag=fps"), "CS2 desk rig|Script");
  CHECK_EQ(names("?tag=fps&adapter_type=generic"), "Script");
  CHECK_EQ(names("?enabled=false"), "Dota");
  CHECK_EQ(names("?enabled=true&adapter_type=dota2"), "");
  auto res = cli.Get("/api/v1/game-integrations?enabled=yes");
  REQUIRE(res);
  CHECK_EQ(res->status, 422);
  CHECK_EQ(res->body, R"({"detail":[{"loc":["query","enabled"],"msg":"Input should be a valid )"
                      R"(boolean, unable to interpret input","type":"bool_parsing"}]})");
}

TEST_CASE("names are unique ignoring case") {
  daemon_fixture daemon;
  auto cli = daemon.client();
  auto first = create(cli, cs2_body);
  auto res = cli.Post("/api/v1/game-integrations",
                      R"({"name": "cs2 DESK rig", "adapter_type": "generic"})", json_type);
  REQUIRE(res);
  CHECK_EQ(res->status, 409);
  CHECK_EQ(res->body, R"({"detail":"Game integration with name 'cs2 DESK rig' already exists"})");
  auto second = create(cli, R"({"name": "Other", "adapter_type": "generic"})");
  res = cli.Put("/api/v1/game-integrations/" + second["id"].get<std::string>(),
                R"({"name": "CS2 DESK RIG"})", json_type);
  REQUIRE(res);
  CHECK_EQ(res->status, 409);
  // Renaming an integration to its own name in another case is allowed.
  res = cli.Put("/api/v1/game-integrations/" + first["id"].get<std::string>(),
                R"({"name": "cs2 desk RIG"})", json_type);
  REQUIRE(res);
  CHECK_EQ(res->status, 200);
}

TEST_CASE("bad bodies get 4xx JSON answers and change nothing") {
  daemon_fixture daemon;
  auto cli = daemon.client();
  auto post = [&](const std::string& body) {
    auto res = cli.Post("/api/v1/game-integrations", body, json_type);
    REQUIRE(res);
    return res;
  };
  auto res = post("{\"name\": ");
  CHECK_EQ(res->status, 400);
  CHECK(body_of(res)["detail"].get<std::string>().rfind("malformed JSON: ", 0) == 0);
  res = post("");
  CHECK_EQ(res->status, 400);
  res = post("\"a string\"");
  CHECK_EQ(res->status, 422);
  CHECK_EQ(res->body, R"({"detail":[{"loc":["body"],"msg":"Input should be a valid dictionary",)"
                      R"("type":"dict_type"}]})");
  // 100 000 levels do not fit in a CRUD body (64 KiB); 30 000 do, and are refused as too deep.
  res = post(std::string(100000, '[') + std::string(100000, ']'));
  CHECK_EQ(res->status, 413);
  res = post(std::string(30000, '[') + std::string(30000, ']'));
  CHECK_EQ(res->status, 422);
  CHECK_EQ(body_of(res)["detail"][0]["type"], "too_deep");
  res = post("{\"name\": \"\xff\xfe\", \"adapter_type\": \"generic\"}");
  CHECK_EQ(res->status, 400);
  res = post(R"({"name": "x", "adapter_type": "cs2", "adapter_config": {"token": 5},
                 "enabled": "true", "surprise": 1})");
  CHECK_EQ(res->status, 422);
  auto detail = body_of(res)["detail"];
  std::string locs;
  for (auto& e : detail)
    locs += e["loc"].dump();
  CHECK_EQ(locs, R"(["body","enabled"]["body","adapter_config","token"]["body","surprise"])");
  res = post(R"({"name": "big", "adapter_type": "generic", "description": ")"
             + std::string(70 * 1024, 'x') + "\"}");
  CHECK_EQ(res->status, 413);
  CHECK_EQ(res->body, R"x({"detail":"payload too large (limit 65536 bytes)"})x");
  res = cli.Get("/api/v1/game-integrations");
  REQUIRE(res);
  CHECK_EQ(body_of(res)["count"], 0);
}

TEST_CASE("unknown routes are 404 and wrong methods 405, as JSON") {
  daemon_fixture daemon;
  auto cli = daemon.client();
  auto res = cli.Get("/api/v1/nothing-here");
  REQUIRE(res);
  CHECK_EQ(res->status, 404);
  CHECK_EQ(res->body, R"({"detail":"Not Found"})");
  res = cli.Patch("/api/v1/health", "{}", json_type);
  REQUIRE(res);
  CHECK_EQ(res->status, 405);
  CHECK_EQ(res->body, R"({"detail":"Method Not Allowed"})");
  CHECK_EQ(res->get_header_value("Allow"), "GET");
  res = cli.Delete("/api/v1/game-integrations");
  REQUIRE(res);
  CHECK_EQ(res->status, 405);
  CHECK_EQ(res->get_header_value("Allow"), "GET, POST");
  res = cli.Get("/api/v1/game-integrations/gi_00000000");
  REQUIRE(res);
  CHECK_EQ(res->status, 404);
  CHECK_EQ(res->body, R"({"detail":"Game integration not found"})");
  res = cli.Put("/api/v1/game-integrations/gi_00000000", R"({"name": "x"})", json_type);
  REQUIRE(res);
  CHECK_EQ(res->status, 404);
  res = cli.Delete("/api/v1/game-integrations/gi_00000000");
  REQUIRE(res);
  CHECK_EQ(res->status, 404);
}

TEST_CASE("with an API key, every /api/v1 route but health and ingestion needs it") {
  daemon_fixture daemon{daemon_setup{"s3cret-key-123"}};
  auto cli = daemon.client();
  auto res = cli.Get("/api/v1/game-integrations");
  REQUIRE(res);
  CHECK_EQ(res->status, 401);
  CHECK_EQ(res->get_header_value("WWW-Authenticate"), "Bearer");
  CHECK_EQ(res->body, R"({"detail":"Not authenticated"})");
  res = cli.Get("/api/v1/game-integrations", {{"Authorization", "Bearer wrong"}});
  REQUIRE(res);
  CHECK_EQ(res->status, 401);
  CHECK_EQ(res->body, R"({"detail":"Invalid API key"})");
  res = cli.Get("/api/v1/game-integrations", {{"X-API-Key", "s3cret-key-12"}});
  REQUIRE(res);
  CHECK_EQ(res->status, 401);
  res = cli.Get("/api/v1/game-integrations", {{"Authorization", "Bearer s3cret-key-123"}});
  REQUIRE(res);
  CHECK_EQ(res->status, 200);
  res = cli.Get("/api/v1/game-integrations", {{"X-API-Key", "s3cret-key-123"}});
  REQUIRE(res);
  CHECK_EQ(res->status, 200);
  res = cli.Get("/api/v1/health");
  REQUIRE(res);
  CHECK_EQ(res->status, 200);
  // Route matching comes first: unknown routes and wrong methods ignore the key.
  res = cli.Get("/api/v1/nothing-here");
  REQUIRE(res);
  CHECK_EQ(res->status, 404);
  res = cli.Patch("/api/v1/game-integrations", "{}", json_type);
  REQUIRE(res);
  CHECK_EQ(res->status, 405);
  res = cli.Post("/api/v1/game-integrations/gi_00000000/event", "{}", json_type);
  REQUIRE(res);
  CHECK_EQ(res->status, 404);
}

TEST_CASE("configs survive a restart") {
  daemon_fixture daemon;
  auto cli = daemon.client();
  auto created = create(cli, cs2_body);
  daemon.restart();
  auto cli2 = daemon.client();
  auto res = cli2.Get("/api/v1/game-integrations/" + created["id"].get<std::string>());
  REQUIRE(res);
  CHECK_EQ(res->status, 200);
  CHECK_EQ(body_of(res), created);
}

TEST_CASE("health, adapters and openapi answer") {
  daemon_fixture daemon;
  auto cli = daemon.client();
  auto res = cli.Get("/api/v1/health");
  REQUIRE(res);
  CHECK_EQ(res->status, 200);
  auto health = body_of(res);
  CHECK_EQ(health["status"], "ok");
  CHECK_EQ(health["version"], "test");
  CHECK(health["uptime_s"].is_number_integer());
  res = cli.Get("/api/v1/game-adapters");
  REQUIRE(res);
  CHECK_EQ(res->status, 200);
  auto adapters = body_of(res);
  CHECK_EQ(adapters["count"], 3);
  CHECK_EQ(adapters["adapters"][0]["adapter_type"], "cs2");
  CHECK_EQ(adapters["adapters"][1]["adapter_type"], "dota2");
  CHECK_EQ(adapters["adapters"][2]["adapter_type"], "generic");
  res = cli.Get("/openapi.json");
  REQUIRE(res);
  CHECK_EQ(res->status, 200);
  auto doc = body_of(res);
  CHECK_EQ(doc["openapi"].get<std::string>().substr(0, 3), "3.1");
  CHECK(doc["paths"].contains("/api/v1/game-integrations/{id}/event"));
}
