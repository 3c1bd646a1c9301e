#include "common/time.hpp"
#include "storage/database.hpp"
#include "tests/storage/fixture.hpp"

#include <doctest/doctest.h>

#include <regex>

using namespace gamelight;
using namespace gamelight::storage;
using namespace gamelight::storage::test;

TEST_CASE("an inserted integration reads back with every field") {
  temp_dir dir;
  auto db = open_db(dir.file("gamelight.db"));
  auto before = now_unix_ms();
  auto input = sample_integration("CS2 desk rig");
  input.id = "gi_ignored";
  input.created_at = 5;
  input.updated_at = 6;
  auto x = add(*db, input);
  auto after = now_unix_ms();
  CHECK(std::regex_match(x.id, std::regex{"gi_[0-9a-f]{8}"}));
  CHECK_EQ(x.created_at, x.updated_at);
  CHECK(x.created_at >= before);
  CHECK(x.created_at <= after);
  CHECK_EQ(x.name, input.name);
  CHECK_EQ(x.adapter_type, input.adapter_type);
  CHECK_EQ(x.enabled, input.enabled);
  CHECK_EQ(x.adapter_config, input.adapter_config);
  CHECK_EQ(x.event_mappings, input.event_mappings);
  CHECK_EQ(x.description, input.description);
  CHECK_EQ(x.tags, input.tags);
  auto got = db->get_integration(x.id);
  REQUIRE(got);
  CHECK_EQ(*got, x);
  CHECK_EQ(all_integrations(*db), std::vector<integration>{x});
}

TEST_CASE("an integration with default fields round-trips") {
  auto db = open_db(":memory:");
  integration input;
  input.name = "Minimal";
  input.adapter_type = "generic";
  auto x = add(*db, input);
  auto got = db->get_integration(x.id);
  REQUIRE(got);
  CHECK_EQ(got->adapter_config, "{}");
  CHECK(got->event_mappings.empty());
  CHECK(got->tags.empty());
  CHECK_EQ(got->description, "");
  CHECK_EQ(*got, x);
}

TEST_CASE("unknown integration ids are 404") {
  auto db = open_db(":memory:");
  CHECK_EQ(body(db->get_integration("gi_00000000")), R"({"detail":"Game integration not found"})");
  auto x = sample_integration("Ghost");
  x.id = "gi_00000000";
  auto updated = db->update_integration(x);
  CHECK_EQ(updated ? 0 : updated.error().status, 404);
  CHECK_EQ(body(updated), R"({"detail":"Game integration not found"})");
  CHECK_EQ(body(db->remove_integration("gi_00000000")),
           R"({"detail":"Game integration not found"})");
  CHECK_EQ(body(db->references_to_integration("gi_00000000")),
           R"({"detail":"Game integration not found"})");
  CHECK(all_integrations(*db).empty());
}

TEST_CASE("integrations are listed by created_at, then id") {
  temp_dir dir;
  auto path = dir.file("gamelight.db");
  auto db = open_db(path);
  auto a = add(*db, sample_integration("A"));
  auto b = add(*db, sample_integration("B"));
  auto c = add(*db, sample_integration("C"));
  set_created_at(path, "integrations", a.id, 300);
  set_created_at(path, "integrations", b.id, 100);
  set_created_at(path, "integrations", c.id, 100);
  auto first = b.id < c.id ? "B" : "C";
  auto second = b.id < c.id ? "C" : "B";
  CHECK_EQ(names(all_integrations(*db)), std::vector<std::string>{first, second, "A"});
}

TEST_CASE("integration filters combine with AND") {
  temp_dir dir;
  auto path = dir.file("gamelight.db");
  auto db = open_db(path);
  auto a = sample_integration("A");
  a.tags = {"fps", "lan"};
  auto b = sample_integration("B");
  b.adapter_type = "dota2";
  b.enabled = false;
  b.tags = {"moba"};
  auto c = sample_integration("C");
  c.enabled = false;
  c.tags = {"lan"};
  auto d = sample_integration("D");
  d.adapter_type = "generic";
  d.tags = {};
  std::int64_t t = 1;
  for (auto x : {a, b, c, d})
    set_created_at(path, "integrations", add(*db, x).id, t++);
  auto list = [&](integration_filter f) {
    auto result = db->list_integrations(f);
    REQUIRE(result);
    return names(*result);
  };
  using names_t = std::vector<std::string>;
  CHECK_EQ(list({}), names_t{"A", "B", "C", "D"});
  CHECK_EQ(list({"cs2", std::nullopt, std::nullopt}), names_t{"A", "C"});
  CHECK_EQ(list({"nope", std::nullopt, std::nullopt}), names_t{});
  CHECK_EQ(list({std::nullopt, "lan", std::nullopt}), names_t{"A", "C"});
  CHECK_EQ(list({std::nullopt, "LAN", std::nullopt}), names_t{});
  CHECK_EQ(list({std::nullopt, "la", std::nullopt}), names_t{});
  CHECK_EQ(list({std::nullopt, std::nullopt, true}), names_t{"A", "D"});
  CHECK_EQ(list({std::nullopt, std::nullopt, false}), names_t{"B", "C"});
  CHECK_EQ(list({"cs2", std::nullopt, false}), names_t{"C"});
  CHECK_EQ(list({"cs2", "fps", true}), names_t{"A"});
  CHECK_EQ(list({"cs2", "moba", std::nullopt}), names_t{});
  CHECK_EQ(list({"dota2", "moba", false}), names_t{"B"});
}

TEST_CASE("integration names are unique ignoring ASCII case and surrounding space") {
  auto db = open_db(":memory:");
  auto desk = add(*db, sample_integration("Desk Rig"));
  auto again = db->insert_integration(sample_integration("desk rig"));
  REQUIRE_FALSE(again);
  CHECK_EQ(again.error().status, 409);
  CHECK_EQ(body(again), R"({"detail":"Game integration with name 'desk rig' already exists"})");
  CHECK_EQ(body(db->insert_integration(sample_integration(" DESK RIG\t"))),
           "{\"detail\":\"Game integration with name ' DESK RIG\\t' already exists\"}");
  CHECK_EQ(all_integrations(*db), std::vector<integration>{desk});
  // Only ASCII is folded.
  auto upper = add(*db, sample_integration("ÄRGER"));
  auto lower = add(*db, sample_integration("ärger"));
  CHECK_NE(upper.id, lower.id);
  auto other = add(*db, sample_integration("Other"));
  auto renamed = other;
  renamed.name = "DESK rig";
  auto clash = db->update_integration(renamed);
  REQUIRE_FALSE(clash);
  CHECK_EQ(clash.error().status, 409);
  CHECK_EQ(body(clash), R"({"detail":"Game integration with name 'DESK rig' already exists"})");
  auto unchanged = db->get_integration(other.id);
  REQUIRE(unchanged);
  CHECK_EQ(*unchanged, other);
  auto self = desk;
  self.name = "DESK RIG";
  auto updated = db->update_integration(self);
  REQUIRE(updated);
  CHECK_EQ(updated->name, "DESK RIG");
  auto got = db->get_integration(desk.id);
  REQUIRE(got);
  CHECK_EQ(got->name, "DESK RIG");
}

TEST_CASE("an update replaces the fields, keeps created_at and bumps updated_at") {
  auto db = open_db(":memory:");
  auto x = add(*db, sample_integration("Desk"));
  auto changed = x;
  changed.name = "Desk 2";
  changed.adapter_type = "dota2";
  changed.enabled = false;
  changed.adapter_config = R"({"token":"another-token"})";
  changed.event_mappings
      = {event_mapping{"hero_died", effect_kind::fade, rgb{9, 8, 7}, 0, 0.25, 1, std::nullopt}};
  changed.description = "changed";
  changed.tags = {"moba"};
  changed.created_at = 1;
  changed.updated_at = 2;
  auto updated = db->update_integration(changed);
  REQUIRE(updated);
  CHECK_EQ(updated->created_at, x.created_at);
  CHECK(updated->updated_at > x.updated_at);
  auto got = db->get_integration(x.id);
  REQUIRE(got);
  CHECK_EQ(*got, *updated);
  auto expected = changed;
  expected.created_at = x.created_at;
  expected.updated_at = updated->updated_at;
  CHECK_EQ(*got, expected);
  auto again = db->update_integration(*got);
  REQUIRE(again);
  CHECK(again->updated_at > updated->updated_at);
}

TEST_CASE("a removed integration is gone") {
  auto db = open_db(":memory:");
  auto x = add(*db, sample_integration("Desk"));
  auto y = add(*db, sample_integration("Shelf"));
  REQUIRE(db->remove_integration(x.id));
  CHECK_EQ(body(db->get_integration(x.id)), R"({"detail":"Game integration not found"})");
  CHECK_EQ(body(db->remove_integration(x.id)), R"({"detail":"Game integration not found"})");
  CHECK_EQ(all_integrations(*db), std::vector<integration>{y});
  // The name is free again.
  add(*db, sample_integration("desk"));
}

TEST_CASE("a referenced integration cannot be deleted") {
  temp_dir dir;
  auto path = dir.file("gamelight.db");
  auto db = open_db(path);
  auto x = add(*db, sample_integration("Desk"));
  auto other = add(*db, sample_integration("Other"));
  auto strip = add(*db, sample_device("Desk strip", {other.id, x.id}));
  auto result = db->remove_integration(x.id);
  REQUIRE_FALSE(result);
  CHECK_EQ(result.error().status, 409);
  CHECK_EQ(body(result),
           R"x({"detail":{"message":"Game integration is referenced by 1 device(s)",)x"
           R"("references":[{"type":"device","id":")"
               + strip.id + R"(","name":"Desk strip"}]}})");
  CHECK_EQ(all_integrations(*db).size(), 2u);
  auto still = db->get_integration(x.id);
  REQUIRE(still);
  CHECK_EQ(*still, x);
  CHECK_EQ(all_devices(*db), std::vector<device>{strip});

  auto shelf = add(*db, sample_device("Shelf", {x.id}));
  set_created_at(path, "devices", strip.id, 200);
  set_created_at(path, "devices", shelf.id, 100);
  auto refs = db->references_to_integration(x.id);
  REQUIRE(refs);
  CHECK_EQ(*refs, (std::vector<reference>{{"device", shelf.id, "Shelf"},
                                          {"device", strip.id, "Desk strip"}}));
  auto two = db->remove_integration(x.id);
  CHECK_EQ(body(two), R"x({"detail":{"message":"Game integration is referenced by 2 device(s)",)x"
                      R"("references":[{"type":"device","id":")"
                          + shelf.id + R"(","name":"Shelf"},{"type":"device","id":")" + strip.id
                          + R"(","name":"Desk strip"}]}})");
  auto none = db->references_to_integration(add(*db, sample_integration("Free")).id);
  REQUIRE(none);
  CHECK(none->empty());

  REQUIRE(db->remove_device(shelf.id));
  auto detached = strip;
  detached.integration_ids = {other.id};
  REQUIRE(db->update_device(detached));
  CHECK(db->remove_integration(x.id));
  CHECK_EQ(body(db->get_integration(x.id)), R"({"detail":"Game integration not found"})");
}
