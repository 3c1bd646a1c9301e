#include "storage/database.hpp"
#include "tests/storage/fixture.hpp"

#include <doctest/doctest.h>

#include <regex>

using namespace gamelight;
using namespace gamelight::storage;
using namespace gamelight::storage::test;

namespace {

std::int64_t link_rows(const std::string& path) {
  auto db = raw(path);
  return db.execAndGet("SELECT count(*) FROM device_integrations").getInt64();
}

} // namespace

TEST_CASE("device CRUD keeps every field and the order of integration ids") {
  temp_dir dir;
  auto path = dir.file("gamelight.db");
  auto db = open_db(path);
  auto g1 = add(*db, sample_integration("One"));
  auto g2 = add(*db, sample_integration("Two"));
  auto input = sample_device("Desk strip", {g2.id, g1.id});
  input.id = "dev_ignored";
  auto d = add(*db, input);
  CHECK(std::regex_match(d.id, std::regex{"dev_[0-9a-f]{8}"}));
  CHECK_EQ(d.created_at, d.updated_at);
  auto expected = input;
  expected.id = d.id;
  expected.created_at = d.created_at;
  expected.updated_at = d.updated_at;
  CHECK_EQ(d, expected);
  auto got = db->get_device(d.id);
  REQUIRE(got);
  CHECK_EQ(*got, d);
  CHECK_EQ(got->integration_ids, (std::vector<std::string>{g2.id, g1.id}));

  auto plain = add(*db, [] {
    device x;
    x.name = "Plain";
    x.host = "wled.local";
    return x;
  }());
  set_created_at(path, "devices", d.id, 1);
  set_created_at(path, "devices", plain.id, 2);
  auto listed = all_devices(*db);
  REQUIRE_EQ(listed.size(), 2u);
  CHECK_EQ(listed[0].id, d.id);
  CHECK_EQ(listed[0].integration_ids, (std::vector<std::string>{g2.id, g1.id}));
  CHECK_EQ(listed[1].id, plain.id);
  CHECK(listed[1].integration_ids.empty());
  CHECK_EQ(listed[1].protocol, led_protocol::ddp);

  auto changed = listed[0];
  changed.name = "Desk strip 2";
  changed.host = "fe80::1";
  changed.port = 5568;
  changed.protocol = led_protocol::e131;
  changed.universe = 63999;
  changed.led_count = 4096;
  changed.fps = 120;
  changed.brightness = 0.125;
  changed.enabled = true;
  changed.integration_ids = {g1.id, g2.id, g1.id};
  changed.created_at = 99;
  auto updated = db->update_device(changed);
  REQUIRE(updated);
  CHECK_EQ(updated->created_at, 1);
  CHECK(updated->updated_at > d.updated_at);
  changed.created_at = 1;
  changed.updated_at = updated->updated_at;
  CHECK_EQ(*updated, changed);
  auto reread = db->get_device(d.id);
  REQUIRE(reread);
  CHECK_EQ(*reread, changed);
  CHECK_EQ(link_rows(path), 3);

  REQUIRE(db->remove_device(d.id));
  CHECK_EQ(body(db->get_device(d.id)), R"({"detail":"Device not found"})");
  CHECK_EQ(link_rows(path), 0);
  CHECK_EQ(names(all_devices(*db)), std::vector<std::string>{"Plain"});
}

TEST_CASE("unknown device ids are 404") {
  auto db = open_db(":memory:");
  CHECK_EQ(body(db->get_device("dev_00000000")), R"({"detail":"Device not found"})");
  auto x = sample_device("Ghost");
  x.id = "dev_00000000";
  auto updated = db->update_device(x);
  CHECK_EQ(updated ? 0 : updated.error().status, 404);
  CHECK_EQ(body(updated), R"({"detail":"Device not found"})");
  CHECK_EQ(body(db->remove_device("dev_00000000")), R"({"detail":"Device not found"})");
  CHECK(all_devices(*db).empty());
}

TEST_CASE("a device naming unknown integrations is 422 and nothing is written") {
  temp_dir dir;
  auto path = dir.file("gamelight.db");
  auto db = open_db(path);
  auto g = add(*db, sample_integration("One"));
  auto result = db->insert_device(sample_device("Strip", {"gi_00000000", g.id, "gi_ffffffff"}));
  REQUIRE_FALSE(result);
  CHECK_EQ(result.error().status, 422);
  CHECK_EQ(
      body(result),
      R"({"detail":[{"loc":["body","integration_ids",0],"msg":"Game integration 'gi_00000000' not found","type":"value_error"},)"
      R"({"loc":["body","integration_ids",2],"msg":"Game integration 'gi_ffffffff' not found","type":"value_error"}]})");
  CHECK(all_devices(*db).empty());
  CHECK_EQ(link_rows(path), 0);

  auto d = add(*db, sample_device("Strip", {g.id}));
  auto changed = d;
  changed.name = "Renamed";
  changed.integration_ids = {g.id, "gi_12345678"};
  auto update = db->update_device(changed);
  REQUIRE_FALSE(update);
  CHECK_EQ(update.error().status, 422);
  CHECK_EQ(
      body(update),
      R"({"detail":[{"loc":["body","integration_ids",1],"msg":"Game integration 'gi_12345678' not found","type":"value_error"}]})");
  CHECK_EQ(all_devices(*db), std::vector<device>{d});
  CHECK_EQ(link_rows(path), 1);
}

TEST_CASE("device names are unique ignoring case") {
  auto db = open_db(":memory:");
  auto strip = add(*db, sample_device("Desk Strip"));
  auto again = db->insert_device(sample_device("DESK STRIP"));
  REQUIRE_FALSE(again);
  CHECK_EQ(again.error().status, 409);
  CHECK_EQ(body(again), R"({"detail":"Device with name 'DESK STRIP' already exists"})");
  // Devices and integrations have separate namespaces.
  add(*db, sample_integration("Desk Strip"));
  auto shelf = add(*db, sample_device("Shelf"));
  auto renamed = shelf;
  renamed.name = "desk strip";
  CHECK_EQ(body(db->update_device(renamed)),
           R"({"detail":"Device with name 'desk strip' already exists"})");
  auto got = db->get_device(shelf.id);
  REQUIRE(got);
  CHECK_EQ(*got, shelf);
  auto self = strip;
  self.name = "desk strip";
  auto updated = db->update_device(self);
  REQUIRE(updated);
  CHECK_EQ(updated->name, "desk strip");
}
