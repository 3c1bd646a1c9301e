#include "tests/validation/helpers.hpp"
#include "validation/validation.hpp"

#include <doctest/doctest.h>

#include <string>

using namespace gamelight;
using namespace gamelight::validation;
using gamelight::validation::test::check_single_error;
using gamelight::validation::test::errors_of;
using gamelight::validation::test::has_error;
using gamelight::validation::test::j;

namespace {

/// A valid cs2 create body; tests change one field at a time.
json cs2_body() {
  return j(R"({"name": "CS2 desk rig", "adapter_type": "cs2",
               "adapter_config": {"token": "s3cret-token"}})");
}

json with(json body, const std::string& key, json value) {
  body[key] = std::move(value);
  return body;
}

json with_mapping(json mapping) {
  auto body = cs2_body();
  body["event_mappings"] = json::array({std::move(mapping)});
  return body;
}

json loc(std::string_view text) {
  return j(text);
}

integration stored_cs2() {
  auto x = integration_from_create(j(R"({
    "name": "CS2 desk rig", "adapter_type": "cs2",
    "adapter_config": {"token": "s3cret-token", "health_low_threshold": 20},
    "event_mappings": [{"event_type": "bomb_planted", "effect": "countdown",
                        "color": [255, 0, 0], "duration_ms": 40000, "priority": 80}],
    "tags": ["fps"]})"));
  REQUIRE(x);
  x->id = "gi_3f9a0c1e";
  x->created_at = 1795701787123;
  x->updated_at = 1795701787123;
  return *x;
}

} // namespace

// -- create: good bodies ----------------------------------------------------------

TEST_CASE("integration create: minimal body gets every default") {
  auto x = integration_from_create(cs2_body());
  REQUIRE(x);
  CHECK(x->id.empty());
  CHECK(x->created_at == 0);
  CHECK(x->updated_at == 0);
  CHECK(x->name == "CS2 desk rig");
  CHECK(x->adapter_type == "cs2");
  CHECK(x->enabled);
  CHECK(x->adapter_config == R"({"token":"s3cret-token"})");
  CHECK(x->event_mappings.empty());
  CHECK(x->description.empty());
  CHECK(x->tags.empty());
  // adapter_config defaults to {} where the adapter allows it.
  auto g = integration_from_create(j(R"({"name": "g", "adapter_type": "generic"})"));
  REQUIRE(g);
  CHECK(g->adapter_config == "{}");
}

TEST_CASE("integration create: the api.md example") {
  auto x = integration_from_create(j(R"({
    "name": "CS2 desk rig", "adapter_type": "cs2", "enabled": false,
    "adapter_config": {"token": "s3cret-token"},
    "event_mappings": [
      {"event_type": "bomb_planted", "effect": "pulse", "color": [255, 0, 0],
       "duration_ms": 40000, "intensity": 1.0, "priority": 80}],
    "description": "desk", "tags": ["fps"]})"));
  REQUIRE(x);
  CHECK_FALSE(x->enabled);
  REQUIRE(x->event_mappings.size() == 1);
  const auto& m = x->event_mappings[0];
  CHECK(m.event_type == "bomb_planted");
  CHECK(m.effect == effect_kind::pulse);
  CHECK(m.color == rgb{255, 0, 0});
  CHECK(m.duration_ms == 40000);
  CHECK(m.intensity == 1.0);
  CHECK(m.priority == 80);
  CHECK(x->description == "desk");
  CHECK(x->tags == std::vector<std::string>{"fps"});
}

TEST_CASE("integration create: mapping defaults") {
  auto x = integration_from_create(with_mapping(j(R"({"event_type": "kill", "effect": "flash"})")));
  REQUIRE(x);
  REQUIRE(x->event_mappings.size() == 1);
  const auto& m = x->event_mappings[0];
  CHECK(m.color == rgb{255, 255, 255});
  CHECK(m.duration_ms == 1000);
  CHECK(m.intensity == 1.0);
  CHECK(m.priority == 50);
}

TEST_CASE("integration create: name is trimmed, 1-100 code points") {
  auto x = integration_from_create(with(cs2_body(), "name", "  rig \t"));
  REQUIRE(x);
  CHECK(x->name == "rig");
  CHECK(integration_from_create(with(cs2_body(), "name", std::string(100, 'n'))));
  std::string accents;
  for (int i = 0; i < 100; ++i)
    accents += "\xc3\xa9";
  CHECK(integration_from_create(with(cs2_body(), "name", accents)));
  CHECK(integration_from_create(with(cs2_body(), "name", "  " + std::string(100, 'n') + "  ")));
}

TEST_CASE("integration create: key order of adapter_config is kept") {
  auto x = integration_from_create(with(
      cs2_body(), "adapter_config", j(R"({"health_low_threshold": 25, "token": "s3cret-token"})")));
  REQUIRE(x);
  CHECK(x->adapter_config == R"({"health_low_threshold":25,"token":"s3cret-token"})");
}

TEST_CASE("integration create: every effect and boundary values") {
  for (auto effect :
       {"solid", "flash", "fade", "pulse", "strobe", "wipe", "gauge", "countdown", "off"}) {
    CAPTURE(effect);
    auto x = integration_from_create(with_mapping(json{{"event_type", "health_changed"},
                                                       {"effect", effect},
                                                       {"color", json::array({0, 128, 255})},
                                                       {"duration_ms", 600000},
                                                       {"intensity", 0},
                                                       {"priority", 100}}));
    REQUIRE(x);
    CHECK(to_string(x->event_mappings[0].effect) == effect);
  }
  for (auto effect : {"solid", "pulse", "strobe", "wipe", "gauge", "off"}) {
    CAPTURE(effect);
    CHECK(integration_from_create(
        with_mapping(json{{"event_type", "kill"}, {"effect", effect}, {"duration_ms", 0}})));
  }
  for (auto effect : {"flash", "fade", "countdown"})
    CHECK(integration_from_create(
        with_mapping(json{{"event_type", "kill"}, {"effect", effect}, {"duration_ms", 1}})));
  CHECK(integration_from_create(with_mapping(
      j(R"({"event_type": "kill", "effect": "solid", "intensity": 0.25, "priority": 0})"))));
}

TEST_CASE("integration create: 64 mappings, 32 tags, 1000-char description pass") {
  auto body = cs2_body();
  body["event_mappings"] = json::array();
  for (int i = 0; i < 64; ++i)
    body["event_mappings"].push_back(j(R"({"event_type": "kill", "effect": "flash"})"));
  body["tags"] = json::array();
  for (int i = 0; i < 32; ++i)
    body["tags"].push_back("t" + std::to_string(i));
  body["tags"][0] = std::string(50, 't');
  body["description"] = std::string(1000, 'd');
  auto x = integration_from_create(body);
  REQUIRE(x);
  CHECK(x->event_mappings.size() == 64);
  CHECK(x->tags.size() == 32);
}

TEST_CASE("integration create: adapters and their configs") {
  CHECK(integration_from_create(j(R"({"name": "d", "adapter_type": "dota2",
    "adapter_config": {"token": "12345678", "health_low_threshold": 99},
    "event_mappings": [{"event_type": "level_up", "effect": "wipe"}]})")));
  CHECK(integration_from_create(j(R"({"name": "g", "adapter_type": "generic",
    "adapter_config": {"token": "12345678", "events": ["boss_defeated", "lap.done"]},
    "event_mappings": [{"event_type": "lap.done", "effect": "strobe"}]})")));
  // Without `events`, any name of the pattern.
  CHECK(integration_from_create(j(R"({"name": "g", "adapter_type": "generic",
    "event_mappings": [{"event_type": "anything-1.x_y", "effect": "solid"}]})")));
}

// -- create: bad bodies, one field at a time -------------------------------------

TEST_CASE("integration create: body that is not an object") {
  for (auto text : {"[]", "\"x\"", "null", "5", "true"}) {
    CAPTURE(text);
    auto x = integration_from_create(j(text));
    auto errors = errors_of(x);
    CHECK(errors == j(R"([{"loc": ["body"], "msg": "Input should be a valid dictionary",
                           "type": "dict_type"}])"));
  }
}

TEST_CASE("integration create: top-level rows") {
  struct row {
    const char* key;
    json value;
    const char* loc;
    const char* type;
  };
  const row rows[] = {
      {"name", "", R"(["body","name"])", "string_too_short"},
      {"name", "   ", R"(["body","name"])", "string_too_short"},
      {"name", std::string(101, 'n'), R"(["body","name"])", "string_too_long"},
      {"name", 5, R"(["body","name"])", "string_type"},
      {"name", nullptr, R"(["body","name"])", "string_type"},
      {"adapter_type", "quake", R"(["body","adapter_type"])", "enum"},
      {"adapter_type", "CS2", R"(["body","adapter_type"])", "enum"},
      {"adapter_type", 2, R"(["body","adapter_type"])", "string_type"},
      {"enabled", "true", R"(["body","enabled"])", "bool_type"},
      {"enabled", 1, R"(["body","enabled"])", "bool_type"},
      {"enabled", nullptr, R"(["body","enabled"])", "bool_type"},
      {"adapter_config", json::array(), R"(["body","adapter_config"])", "dict_type"},
      {"adapter_config", "token", R"(["body","adapter_config"])", "dict_type"},
      {"event_mappings", json::object(), R"(["body","event_mappings"])", "list_type"},
      {"event_mappings", "kill", R"(["body","event_mappings"])", "list_type"},
      {"description", std::string(1001, 'd'), R"(["body","description"])", "string_too_long"},
      {"description", 5, R"(["body","description"])", "string_type"},
      {"tags", "fps", R"(["body","tags"])", "list_type"},
      {"tags", json::array({""}), R"(["body","tags",0])", "string_too_short"},
      {"tags", json::array({std::string(51, 't')}), R"(["body","tags",0])", "string_too_long"},
      {"tags", json::array({"a", 1}), R"(["body","tags",1])", "string_type"},
      {"tags", json::array({"fps", "moba", "fps"}), R"(["body","tags",2])", "value_error"},
      {"id", "gi_3f9a0c1e", R"(["body","id"])", "extra_forbidden"},
      {"created_at", "2026-11-26T14:03:07.123Z", R"(["body","created_at"])", "extra_forbidden"},
      {"updated_at", "2026-11-26T14:03:07.123Z", R"(["body","updated_at"])", "extra_forbidden"},
      {"colour", "red", R"(["body","colour"])", "extra_forbidden"},
  };
  for (const auto& r : rows) {
    CAPTURE(r.key);
    CAPTURE(r.value.dump());
    check_single_error(integration_from_create(with(cs2_body(), r.key, r.value)), loc(r.loc),
                       r.type);
  }
  // Too many tags.
  auto tags = json::array();
  for (int i = 0; i < 33; ++i)
    tags.push_back("t" + std::to_string(i));
  check_single_error(integration_from_create(with(cs2_body(), "tags", tags)),
                     loc(R"(["body","tags"])"), "too_long");
}

TEST_CASE("integration create: required fields") {
  auto errors = errors_of(integration_from_create(json::object()));
  CHECK(errors.size() == 2);
  CHECK(has_error(errors, loc(R"(["body","name"])"), "missing"));
  CHECK(has_error(errors, loc(R"(["body","adapter_type"])"), "missing"));
  CHECK(errors[0]["msg"] == "Field required");
  // cs2 needs its token.
  check_single_error(integration_from_create(j(R"({"name": "x", "adapter_type": "cs2"})")),
                     loc(R"(["body","adapter_config","token"])"), "missing");
}

TEST_CASE("integration create: adapter_config rows (cs2 schema)") {
  struct row {
    const char* config;
    const char* loc;
    const char* type;
  };
  const row rows[] = {
      {R"({})", R"(["body","adapter_config","token"])", "missing"},
      {R"({"token": "1234567"})", R"(["body","adapter_config","token"])", "string_too_short"},
      {R"({"token": 12345678})", R"(["body","adapter_config","token"])", "string_type"},
      {R"({"token": "12345678", "health_low_threshold": 0})",
       R"(["body","adapter_config","health_low_threshold"])", "greater_than_equal"},
      {R"({"token": "12345678", "health_low_threshold": 100})",
       R"(["body","adapter_config","health_low_threshold"])", "less_than_equal"},
      {R"({"token": "12345678", "health_low_threshold": 30.0})",
       R"(["body","adapter_config","health_low_threshold"])", "int_type"},
      {R"({"token": "12345678", "health_low_threshold": "30"})",
       R"(["body","adapter_config","health_low_threshold"])", "int_type"},
      {R"({"token": "12345678", "events": []})", R"(["body","adapter_config","events"])",
       "extra_forbidden"},
  };
  for (const auto& r : rows) {
    CAPTURE(r.config);
    check_single_error(integration_from_create(with(cs2_body(), "adapter_config", j(r.config))),
                       loc(r.loc), r.type);
  }
  check_single_error(integration_from_create(with(cs2_body(), "adapter_config",
                                                  json{{"token", std::string(129, 't')}})),
                     loc(R"(["body","adapter_config","token"])"), "string_too_long");
}

TEST_CASE("integration create: adapter_config rows (generic schema)") {
  auto generic = [](const char* config) {
    return integration_from_create(
        json{{"name", "g"}, {"adapter_type", "generic"}, {"adapter_config", j(config)}});
  };
  CHECK(generic(R"({})"));
  CHECK(generic(R"({"events": []})"));
  check_single_error(generic(R"({"events": "boss"})"), loc(R"(["body","adapter_config","events"])"),
                     "list_type");
  check_single_error(generic(R"({"events": ["Boss Defeated"]})"),
                     loc(R"(["body","adapter_config","events",0])"), "string_pattern_mismatch");
  check_single_error(generic(R"({"events": ["a", "a"]})"),
                     loc(R"(["body","adapter_config","events",1])"), "value_error");
  check_single_error(generic(R"({"token": "short"})"), loc(R"(["body","adapter_config","token"])"),
                     "string_too_short");
  check_single_error(generic(R"({"health_low_threshold": 30})"),
                     loc(R"(["body","adapter_config","health_low_threshold"])"), "extra_forbidden");
}

TEST_CASE("integration create: event mapping rows") {
  struct row {
    const char* mapping;
    const char* loc;
    const char* type;
  };
  const row rows[] = {
      {R"("kill")", R"(["body","event_mappings",0])", "dict_type"},
      {R"({"effect": "flash"})", R"(["body","event_mappings",0,"event_type"])", "missing"},
      {R"({"event_type": "kill"})", R"(["body","event_mappings",0,"effect"])", "missing"},
      {R"({"event_type": 5, "effect": "flash"})", R"(["body","event_mappings",0,"event_type"])",
       "string_type"},
      {R"({"event_type": "boss_defeated", "effect": "flash"})",
       R"(["body","event_mappings",0,"event_type"])", "enum"},
      {R"({"event_type": "daytime", "effect": "flash"})",
       R"(["body","event_mappings",0,"event_type"])", "enum"},
      {R"({"event_type": "kill", "effect": "rainbow"})", R"(["body","event_mappings",0,"effect"])",
       "enum"},
      {R"({"event_type": "kill", "effect": "FLASH"})", R"(["body","event_mappings",0,"effect"])",
       "enum"},
      {R"({"event_type": "kill", "effect": 1})", R"(["body","event_mappings",0,"effect"])", "enum"},
      {R"({"event_type": "kill", "effect": "solid", "color": "red"})",
       R"(["body","event_mappings",0,"color"])", "list_type"},
      {R"({"event_type": "kill", "effect": "solid", "color": [255, 0]})",
       R"(["body","event_mappings",0,"color"])", "too_short"},
      {R"({"event_type": "kill", "effect": "solid", "color": [1, 2, 3, 4]})",
       R"(["body","event_mappings",0,"color"])", "too_long"},
      {R"({"event_type": "kill", "effect": "solid", "color": [256, 0, 0]})",
       R"(["body","event_mappings",0,"color",0])", "less_than_equal"},
      {R"({"event_type": "kill", "effect": "solid", "color": [0, -1, 0]})",
       R"(["body","event_mappings",0,"color",1])", "greater_than_equal"},
      {R"({"event_type": "kill", "effect": "solid", "color": [0, 0, 1.5]})",
       R"(["body","event_mappings",0,"color",2])", "int_type"},
      {R"({"event_type": "kill", "effect": "solid", "color": [0, 0, 255.0]})",
       R"(["body","event_mappings",0,"color",2])", "int_type"},
      {R"({"event_type": "kill", "effect": "solid", "color": [0, "0", 0]})",
       R"(["body","event_mappings",0,"color",1])", "int_type"},
      {R"({"event_type": "kill", "effect": "solid", "duration_ms": -1})",
       R"(["body","event_mappings",0,"duration_ms"])", "greater_than_equal"},
      {R"({"event_type": "kill", "effect": "solid", "duration_ms": 600001})",
       R"(["body","event_mappings",0,"duration_ms"])", "less_than_equal"},
      {R"({"event_type": "kill", "effect": "solid", "duration_ms": 1000.0})",
       R"(["body","event_mappings",0,"duration_ms"])", "int_type"},
      {R"({"event_type": "kill", "effect": "solid", "duration_ms": "1000"})",
       R"(["body","event_mappings",0,"duration_ms"])", "int_type"},
      {R"({"event_type": "kill", "effect": "flash", "duration_ms": 0})",
       R"(["body","event_mappings",0,"duration_ms"])", "greater_than_equal"},
      {R"({"event_type": "kill", "effect": "fade", "duration_ms": 0})",
       R"(["body","event_mappings",0,"duration_ms"])", "greater_than_equal"},
      {R"({"event_type": "bomb_planted", "effect": "countdown", "duration_ms": 0})",
       R"(["body","event_mappings",0,"duration_ms"])", "greater_than_equal"},
      {R"({"event_type": "kill", "effect": "solid", "intensity": 1.5})",
       R"(["body","event_mappings",0,"intensity"])", "less_than_equal"},
      {R"({"event_type": "kill", "effect": "solid", "intensity": 2})",
       R"(["body","event_mappings",0,"intensity"])", "less_than_equal"},
      {R"({"event_type": "kill", "effect": "solid", "intensity": -0.1})",
       R"(["body","event_mappings",0,"intensity"])", "greater_than_equal"},
      {R"({"event_type": "kill", "effect": "solid", "intensity": "1"})",
       R"(["body","event_mappings",0,"intensity"])", "float_type"},
      {R"({"event_type": "kill", "effect": "solid", "intensity": true})",
       R"(["body","event_mappings",0,"intensity"])", "float_type"},
      {R"({"event_type": "kill", "effect": "solid", "priority": 101})",
       R"(["body","event_mappings",0,"priority"])", "less_than_equal"},
      {R"({"event_type": "kill", "effect": "solid", "priority": -1})",
       R"(["body","event_mappings",0,"priority"])", "greater_than_equal"},
      {R"({"event_type": "kill", "effect": "solid", "priority": 50.5})",
       R"(["body","event_mappings",0,"priority"])", "int_type"},
      {R"({"event_type": "kill", "effect": "solid", "priority": true})",
       R"(["body","event_mappings",0,"priority"])", "int_type"},
      {R"({"event_type": "kill", "effect": "solid", "priority": null})",
       R"(["body","event_mappings",0,"priority"])", "int_type"},
      {R"({"event_type": "kill", "effect": "solid", "colour": [1, 2, 3]})",
       R"(["body","event_mappings",0,"colour"])", "extra_forbidden"},
  };
  for (const auto& r : rows) {
    CAPTURE(r.mapping);
    check_single_error(integration_from_create(with_mapping(j(r.mapping))), loc(r.loc), r.type);
  }
  // More than 64 mappings.
  auto body = cs2_body();
  body["event_mappings"] = json::array();
  for (int i = 0; i < 65; ++i)
    body["event_mappings"].push_back(j(R"({"event_type": "kill", "effect": "flash"})"));
  check_single_error(integration_from_create(body), loc(R"(["body","event_mappings"])"),
                     "too_long");
}

TEST_CASE("integration create: generic event types follow adapter_config.events") {
  auto generic = [](const char* config, const char* event_type) {
    return integration_from_create(json{
        {"name", "g"},
        {"adapter_type", "generic"},
        {"adapter_config", j(config)},
        {"event_mappings", json::array({json{{"event_type", event_type}, {"effect", "flash"}}})}});
  };
  CHECK(generic(R"({})", "boss_defeated"));
  CHECK(generic(R"({"events": ["boss_defeated"]})", "boss_defeated"));
  check_single_error(generic(R"({"events": ["boss_defeated"]})", "lap"),
                     loc(R"(["body","event_mappings",0,"event_type"])"), "value_error");
  check_single_error(generic(R"({})", "Boss Defeated"),
                     loc(R"(["body","event_mappings",0,"event_type"])"), "value_error");
  check_single_error(generic(R"({})", ""), loc(R"(["body","event_mappings",0,"event_type"])"),
                     "value_error");
}

TEST_CASE("integration create: every failing field is listed at once") {
  auto errors = errors_of(integration_from_create(j(R"({
    "name": "", "adapter_type": "cs2", "enabled": "yes",
    "adapter_config": {"token": "short", "extra": 1},
    "event_mappings": [
      {"event_type": "kill", "effect": "flash"},
      {"event_type": "nope", "effect": "rainbow", "color": [300, 0], "intensity": 2,
       "priority": 1.5, "x": 1}],
    "description": 1, "tags": ["a", "a"], "id": "gi_00000000", "zzz": true})")));
  INFO(errors.dump(2));
  // Each error as its loc followed by its type, in the order reported.
  auto actual = json::array();
  for (const auto& e : errors) {
    auto row = e["loc"];
    row.push_back(e["type"]);
    actual.push_back(row);
  }
  CHECK(actual == j(R"([
    ["body","name","string_too_short"],
    ["body","enabled","bool_type"],
    ["body","adapter_config","token","string_too_short"],
    ["body","adapter_config","extra","extra_forbidden"],
    ["body","event_mappings",1,"event_type","enum"],
    ["body","event_mappings",1,"effect","enum"],
    ["body","event_mappings",1,"color","too_short"],
    ["body","event_mappings",1,"color",0,"less_than_equal"],
    ["body","event_mappings",1,"intensity","less_than_equal"],
    ["body","event_mappings",1,"priority","int_type"],
    ["body","event_mappings",1,"x","extra_forbidden"],
    ["body","description","string_type"],
    ["body","tags",1,"value_error"],
    ["body","id","extra_forbidden"],
    ["body","zzz","extra_forbidden"]])"));
}

TEST_CASE("integration create: an unknown adapter_type still reports the other fields") {
  auto errors = errors_of(integration_from_create(j(R"({
    "name": "x", "adapter_type": "quake", "adapter_config": [],
    "event_mappings": [{"event_type": "frag", "effect": "rainbow"}, {"effect": "flash"}],
    "tags": [""]})")));
  INFO(errors.dump());
  CHECK(errors.size() == 5);
  CHECK(has_error(errors, loc(R"(["body","adapter_type"])"), "enum"));
  CHECK(has_error(errors, loc(R"(["body","adapter_config"])"), "dict_type"));
  CHECK(has_error(errors, loc(R"(["body","event_mappings",0,"effect"])"), "enum"));
  CHECK(has_error(errors, loc(R"(["body","event_mappings",1,"event_type"])"), "missing"));
  CHECK(has_error(errors, loc(R"(["body","tags",0])"), "string_too_short"));
  CHECK(errors[0]["msg"] == "Input should be 'cs2', 'dota2' or 'generic'");
}

TEST_CASE("integration create: error messages are pydantic's") {
  auto errors = errors_of(integration_from_create(j(R"({
    "name": "", "adapter_type": "cs2", "adapter_config": {"token": "12345678"},
    "event_mappings": [{"event_type": "kill", "effect": "solid", "priority": 101,
                        "duration_ms": 1.5, "intensity": "x"}], "q": 1})")));
  CHECK(errors[0]["msg"] == "String should have at least 1 character");
  CHECK(errors[1]["msg"] == "Input should be a valid integer");
  CHECK(errors[2]["msg"] == "Input should be a valid number");
  CHECK(errors[3]["msg"] == "Input should be less than or equal to 100");
  CHECK(errors[4]["msg"] == "Extra inputs are not permitted");
}

// -- secrets ------------------------------------------------------------------------

TEST_CASE("integration create: the mask is not a secret") {
  check_single_error(
      integration_from_create(with(cs2_body(), "adapter_config", j(R"({"token": "********"})"))),
      loc(R"(["body","adapter_config","token"])"), "value_error");
  check_single_error(integration_from_create(j(R"({"name": "g", "adapter_type": "generic",
                                                    "adapter_config": {"token": "********"}})")),
                     loc(R"(["body","adapter_config","token"])"), "value_error");
}

TEST_CASE("integration update: the mask keeps the stored secret") {
  auto current = stored_cs2();
  auto x = integration_from_update(
      current, j(R"({"adapter_config": {"token": "********", "health_low_threshold": 40}})"));
  REQUIRE(x);
  CHECK(x->adapter_config == R"({"token":"s3cret-token","health_low_threshold":40})");
  // A new real value replaces it.
  auto y = integration_from_update(current, j(R"({"adapter_config": {"token": "new-token-1"}})"));
  REQUIRE(y);
  CHECK(y->adapter_config == R"({"token":"new-token-1"})");
}

TEST_CASE("integration update: the mask without a stored secret is 422") {
  auto current = integration_from_create(j(R"({"name": "g", "adapter_type": "generic"})"));
  REQUIRE(current);
  check_single_error(integration_from_update(*current, j(R"({"adapter_config":
                                                               {"token": "********"}})")),
                     loc(R"(["body","adapter_config","token"])"), "value_error");
  // With one stored, it is kept.
  auto with_token = integration_from_update(*current, j(R"({"adapter_config":
                                                              {"token": "generic-token"}})"));
  REQUIRE(with_token);
  auto kept = integration_from_update(*with_token, j(R"({"adapter_config":
                                                          {"token": "********"}})"));
  REQUIRE(kept);
  CHECK(kept->adapter_config == R"({"token":"generic-token"})");
}

TEST_CASE("to_json masks secrets, a PUT of the GET answer changes nothing") {
  auto current = stored_cs2();
  auto doc = to_json(current);
  CHECK(doc["adapter_config"] == j(R"({"token": "********", "health_low_threshold": 20})"));
  CHECK(doc.dump().find("s3cret-token") == std::string::npos);
  auto body = doc;
  body.erase("id");
  body.erase("created_at");
  body.erase("updated_at");
  auto x = integration_from_update(current, body);
  REQUIRE(x);
  CHECK(*x == current);
  // The same answer as a create is refused (mask, and ids are server-made).
  auto errors = errors_of(integration_from_create(doc));
  CHECK(has_error(errors, loc(R"(["body","adapter_config","token"])"), "value_error"));
  CHECK(has_error(errors, loc(R"(["body","id"])"), "extra_forbidden"));
  CHECK(has_error(errors, loc(R"(["body","created_at"])"), "extra_forbidden"));
  CHECK(has_error(errors, loc(R"(["body","updated_at"])"), "extra_forbidden"));
}

TEST_CASE("mask_secrets masks writeOnly fields, recursively") {
  auto schema = j(R"({"type": "object", "properties": {
    "token": {"type": "string", "writeOnly": true},
    "inner": {"type": "object", "properties": {"password": {"writeOnly": true}}},
    "plain": {"type": "string"}}})");
  auto masked
      = mask_secrets(j(R"({"plain": "p", "token": "t", "inner": {"password": "x"}})"), schema);
  CHECK(masked == j(R"({"plain": "p", "token": "********", "inner": {"password": "********"}})"));
  CHECK(mask_secrets(j(R"({"plain": "p"})"), schema) == j(R"({"plain": "p"})"));
}

// -- update -------------------------------------------------------------------------

TEST_CASE("integration update: empty body keeps everything") {
  auto current = stored_cs2();
  auto x = integration_from_update(current, json::object());
  REQUIRE(x);
  CHECK(*x == current);
}

TEST_CASE("integration update: present fields replace") {
  auto current = stored_cs2();
  auto x = integration_from_update(current, j(R"({"name": " renamed ", "enabled": false,
    "event_mappings": [], "description": "d", "tags": ["a", "b"]})"));
  REQUIRE(x);
  CHECK(x->id == current.id);
  CHECK(x->created_at == current.created_at);
  CHECK(x->updated_at == current.updated_at);
  CHECK(x->name == "renamed");
  CHECK_FALSE(x->enabled);
  CHECK(x->event_mappings.empty());
  CHECK(x->description == "d");
  CHECK(x->tags == std::vector<std::string>{"a", "b"});
  CHECK(x->adapter_config == current.adapter_config);
}

TEST_CASE("integration update: adapter_config replaces the whole object") {
  auto current = stored_cs2();
  auto x = integration_from_update(current, j(R"({"adapter_config": {"token": "********"}})"));
  REQUIRE(x);
  CHECK(x->adapter_config == R"({"token":"s3cret-token"})");
  // Leaving the token out drops it, which cs2 refuses.
  check_single_error(integration_from_update(current, j(R"({"adapter_config":
                                                            {"health_low_threshold": 5}})")),
                     loc(R"(["body","adapter_config","token"])"), "missing");
}

TEST_CASE("integration update: server fields, unknown keys, nulls and bad types are 422") {
  auto current = stored_cs2();
  for (auto key : {"id", "created_at", "updated_at", "colour"}) {
    CAPTURE(key);
    check_single_error(integration_from_update(current, json{{key, "x"}}),
                       json::array({"body", key}), "extra_forbidden");
  }
  check_single_error(integration_from_update(current, j(R"({"name": null})")),
                     loc(R"(["body","name"])"), "string_type");
  check_single_error(integration_from_update(current, j(R"({"enabled": "false"})")),
                     loc(R"(["body","enabled"])"), "bool_type");
  check_single_error(integration_from_update(current, j("[]")), loc(R"(["body"])"), "dict_type");
}

TEST_CASE("integration update: a new adapter_type revalidates the stored parts") {
  auto current = stored_cs2();
  SUBCASE("stored mappings must be events of the new adapter") {
    auto errors = errors_of(integration_from_update(current, j(R"({"adapter_type": "dota2"})")));
    CHECK(errors.size() == 1);
    CHECK(has_error(errors, loc(R"(["body","event_mappings",0,"event_type"])"), "enum"));
  }
  SUBCASE("with new mappings, the stored config moves over") {
    auto x = integration_from_update(current, j(R"({"adapter_type": "dota2",
      "event_mappings": [{"event_type": "death", "effect": "fade"}]})"));
    REQUIRE(x);
    CHECK(x->adapter_type == "dota2");
    CHECK(x->adapter_config == current.adapter_config);
    REQUIRE(x->event_mappings.size() == 1);
    CHECK(x->event_mappings[0].event_type == "death");
  }
  SUBCASE("the stored config must fit the new schema") {
    auto errors = errors_of(integration_from_update(current, j(R"({"adapter_type": "generic"})")));
    CHECK(errors.size() == 1);
    CHECK(has_error(errors, loc(R"(["body","adapter_config","health_low_threshold"])"),
                    "extra_forbidden"));
  }
  SUBCASE("all sent together, with the mask") {
    auto x = integration_from_update(current, j(R"({"adapter_type": "generic",
      "adapter_config": {"token": "********", "events": ["boss_defeated"]},
      "event_mappings": [{"event_type": "boss_defeated", "effect": "strobe"}]})"));
    REQUIRE(x);
    CHECK(x->adapter_type == "generic");
    CHECK(x->adapter_config == R"({"token":"s3cret-token","events":["boss_defeated"]})");
  }
  SUBCASE("an unknown adapter_type") {
    check_single_error(integration_from_update(current, j(R"({"adapter_type": "quake"})")),
                       loc(R"(["body","adapter_type"])"), "enum");
  }
}

TEST_CASE("integration update: a new generic events list revalidates stored mappings") {
  auto current = integration_from_create(j(R"({"name": "g", "adapter_type": "generic",
    "event_mappings": [{"event_type": "lap", "effect": "flash"},
                       {"event_type": "boss", "effect": "flash"}]})"));
  REQUIRE(current);
  check_single_error(integration_from_update(*current, j(R"({"adapter_config":
                                                             {"events": ["lap"]}})")),
                     loc(R"(["body","event_mappings",1,"event_type"])"), "value_error");
  CHECK(integration_from_update(*current, j(R"({"adapter_config": {"events": ["lap", "boss"]}})")));
}

// -- JSON ---------------------------------------------------------------------------

TEST_CASE("to_json: field order and values") {
  auto x = stored_cs2();
  x.description = "desk";
  auto doc = to_json(x);
  std::vector<std::string> keys;
  for (const auto& [key, value] : doc.items())
    keys.push_back(key);
  CHECK(keys
        == std::vector<std::string>{"id", "name", "adapter_type", "enabled", "adapter_config",
                                    "event_mappings", "description", "tags", "created_at",
                                    "updated_at"});
  CHECK(doc["id"] == "gi_3f9a0c1e");
  CHECK(doc["created_at"] == "2026-11-26T14:03:07.123Z");
  CHECK(doc["updated_at"] == "2026-11-26T14:03:07.123Z");
  CHECK(doc["event_mappings"].dump()
        == R"([{"event_type":"bomb_planted","effect":"countdown","color":[255,0,0],)"
           R"("duration_ms":40000,"intensity":1.0,"priority":80,"zone":null}])");
  CHECK(doc["tags"] == j(R"(["fps"])"));
  CHECK(doc["enabled"] == true);
}

TEST_CASE("test_effect_from_body") {
  auto def = test_effect_from_body(nullptr);
  REQUIRE(def);
  CHECK(def->event_type == "test");
  CHECK(def->effect == effect_kind::flash);
  CHECK(def->duration_ms == 1000);
  CHECK(def->color == rgb{255, 255, 255});
  CHECK(def->priority == 100);
  auto empty = test_effect_from_body(json::object());
  REQUIRE(empty);
  CHECK(*empty == *def);
  auto pulse = test_effect_from_body(j(R"({"effect": "pulse", "color": [0, 0, 255],
                                           "duration_ms": 3000, "intensity": 0.5})"));
  REQUIRE(pulse);
  CHECK(pulse->effect == effect_kind::pulse);
  CHECK(pulse->color == rgb{0, 0, 255});
  CHECK(pulse->intensity == 0.5);
  check_single_error(test_effect_from_body(j(R"({"event_type": "kill"})")),
                     loc(R"(["body","event_type"])"), "extra_forbidden");
  check_single_error(test_effect_from_body(j(R"({"duration_ms": 0})")),
                     loc(R"(["body","duration_ms"])"), "greater_than_equal");
  check_single_error(test_effect_from_body(j("[]")), loc(R"(["body"])"), "dict_type");
}

// -- zones (v1.1) -----------------------------------------------------------------

TEST_CASE("mapping zone: a name of the pattern, or null for the whole strip") {
  auto x = integration_from_create(
      with_mapping(j(R"({"event_type": "health_changed", "effect": "gauge", "zone": "health"})")));
  REQUIRE(x);
  CHECK(x->event_mappings[0].zone == std::optional<std::string>{"health"});
  CHECK(to_json(x->event_mappings[0])["zone"] == "health");
  auto whole = integration_from_create(
      with_mapping(j(R"({"event_type": "kill", "effect": "flash", "zone": null})")));
  REQUIRE(whole);
  CHECK_FALSE(whole->event_mappings[0].zone.has_value());
  CHECK(to_json(whole->event_mappings[0])["zone"].is_null());
  // A zone that no device has (yet) is accepted: devices change independently.
  auto unknown = integration_from_create(
      with_mapping(j(R"({"event_type": "kill", "effect": "flash", "zone": "no-such_zone-9"})")));
  CHECK(unknown);
  auto longest = std::string(32, 'z');
  CHECK(integration_from_create(
      with_mapping(json{{"event_type", "kill"}, {"effect", "flash"}, {"zone", longest}})));
  const json loc_zone = loc(R"(["body","event_mappings",0,"zone"])");
  for (const char* bad : {R"("Health")", R"("")", R"("a b")", R"("ammo!")",
                          R"("zzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzz")"}) {
    CAPTURE(bad);
    auto m = j(R"({"event_type": "kill", "effect": "flash"})");
    m["zone"] = j(bad);
    check_single_error(integration_from_create(with_mapping(m)), loc_zone,
                       "string_pattern_mismatch");
  }
  check_single_error(integration_from_create(with_mapping(
                         j(R"({"event_type": "kill", "effect": "flash", "zone": 3})"))),
                     loc_zone, "string_type");
}

TEST_CASE("test_effect_from_body: zone, and check_test_zone against the device") {
  auto x = test_effect_from_body(j(R"({"effect": "gauge", "zone": "ammo"})"));
  REQUIRE(x);
  CHECK(x->zone == std::optional<std::string>{"ammo"});
  CHECK_FALSE(test_effect_from_body(nullptr)->zone.has_value());
  check_single_error(test_effect_from_body(j(R"({"zone": "Ammo"})")), loc(R"(["body","zone"])"),
                     "string_pattern_mismatch");
  device target;
  target.led_count = 60;
  target.zones = {zone{"health", 0, 30, false}, zone{"ammo", 30, 30, true}};
  CHECK_FALSE(check_test_zone(target, x->zone).has_value());
  CHECK_FALSE(check_test_zone(target, test_effect_from_body(nullptr)->zone).has_value());
  auto missing = test_effect_from_body(j(R"({"zone": "mana"})"));
  REQUIRE(missing);
  auto problem = check_test_zone(target, missing->zone);
  REQUIRE(problem.has_value());
  CHECK(problem->status == 422);
  CHECK(problem->detail
        == j(R"([{"loc": ["body", "zone"], "msg": "Value error, device has no zone 'mana'",
                  "type": "value_error"}])"));
}
