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

json device_body() {
  return j(R"({"name": "Desk strip", "host": "192.168.1.50", "led_count": 60})");
}

json with(json body, const std::string& key, json value) {
  body[key] = std::move(value);
  return body;
}

device stored_device() {
  auto x = device_from_create(j(R"({"name": "Desk strip", "host": "wled-desk.local",
    "protocol": "e131", "universe": 7, "led_count": 300, "fps": 60, "brightness": 0.5,
    "enabled": false, "integration_ids": ["gi_3f9a0c1e"]})"));
  REQUIRE(x);
  x->id = "dev_a1b2c3d4";
  x->created_at = 1795701787123;
  x->updated_at = 1795701790000;
  return *x;
}

} // namespace

TEST_CASE("device create: defaults") {
  auto x = device_from_create(device_body());
  REQUIRE(x);
  CHECK(x->id.empty());
  CHECK(x->name == "Desk strip");
  CHECK(x->host == "192.168.1.50");
  CHECK(x->protocol == led_protocol::ddp);
  CHECK(x->port == 4048);
  CHECK(x->universe == 1);
  CHECK(x->led_count == 60);
  CHECK(x->fps == 40);
  CHECK(x->brightness == 1.0);
  CHECK(x->enabled);
  CHECK(x->integration_ids.empty());
}

TEST_CASE("device create: the port defaults to the protocol's") {
  CHECK(device_from_create(with(device_body(), "protocol", "ddp"))->port == 4048);
  CHECK(device_from_create(with(device_body(), "protocol", "dnrgb"))->port == 21324);
  CHECK(device_from_create(with(device_body(), "protocol", "e131"))->port == 5568);
  auto explicit_port
      = device_from_create(with(with(device_body(), "protocol", "e131"), "port", 6454));
  REQUIRE(explicit_port);
  CHECK(explicit_port->port == 6454);
}

TEST_CASE("device create: every field at its bounds") {
  auto x = device_from_create(j(R"({"name": " n ", "host": "::1", "port": 65535,
    "protocol": "e131", "universe": 63999, "led_count": 4096, "fps": 120, "brightness": 0,
    "enabled": false, "integration_ids": ["gi_00000000", "gi_abcdef12"]})"));
  REQUIRE(x);
  CHECK(x->name == "n");
  CHECK(x->port == 65535);
  CHECK(x->universe == 63999);
  CHECK(x->led_count == 4096);
  CHECK(x->fps == 120);
  CHECK(x->brightness == 0.0);
  CHECK_FALSE(x->enabled);
  CHECK(x->integration_ids == std::vector<std::string>{"gi_00000000", "gi_abcdef12"});
  auto low = device_from_create(j(R"({"name": "n", "host": "h", "port": 1, "universe": 1,
    "led_count": 1, "fps": 1, "brightness": 1})"));
  REQUIRE(low);
  CHECK(low->brightness == 1.0);
  CHECK(device_from_create(with(device_body(), "brightness", 0.5))->brightness == 0.5);
  CHECK(device_from_create(with(device_body(), "name", std::string(100, 'n'))));
  CHECK(device_from_create(with(device_body(), "host",
                                std::string(63, 'a') + "." + std::string(63, 'b') + "."
                                    + std::string(63, 'c') + "." + std::string(61, 'd'))));
}

TEST_CASE("valid_host") {
  for (auto host :
       {"192.168.1.50", "10.0.0.1", "255.255.255.255", "::1", "fe80::1", "2001:db8::8a2e:370:7334",
        "::ffff:192.168.1.1", "localhost", "wled", "wled-desk.local", "wled.local.", "WLED-01.Lan",
        "a", "1wled", "xn--bcher-kva.de", "123.example"}) {
    CAPTURE(host);
    CHECK(valid_host(host));
  }
  for (auto host : {"",
                    " ",
                    "256.1.1.1",
                    "1.2.3",
                    "1.2.3.4.5",
                    "999",
                    "-wled",
                    "wled-",
                    "wl_ed",
                    "wled desk",
                    "a..b",
                    ".wled",
                    "wled..",
                    "[::1]",
                    "::1%eth0",
                    "1:::2",
                    "http://wled",
                    "wled:80",
                    "wled/x",
                    "caf\xc3\xa9.local",
                    "192.168.1.50 "}) {
    CAPTURE(host);
    CHECK_FALSE(valid_host(host));
  }
  CHECK_FALSE(valid_host(std::string(64, 'a') + ".local"));
  CHECK(valid_host(std::string(63, 'a') + ".local"));
  CHECK_FALSE(valid_host(std::string(254, 'a')));
}

TEST_CASE("device create: rows") {
  struct row {
    const char* key;
    json value;
    const char* type;
  };
  const row rows[] = {
      {"name", "", "string_too_short"},
      {"name", "  ", "string_too_short"},
      {"name", std::string(101, 'n'), "string_too_long"},
      {"name", 1, "string_type"},
      {"host", "", "string_too_short"},
      {"host", std::string(254, 'a'), "string_too_long"},
      {"host", "256.1.1.1", "value_error"},
      {"host", "wled desk", "value_error"},
      {"host", 192, "string_type"},
      {"port", 0, "greater_than_equal"},
      {"port", 65536, "less_than_equal"},
      {"port", 4048.0, "int_type"},
      {"port", "4048", "int_type"},
      {"protocol", "artnet", "enum"},
      {"protocol", "DDP", "enum"},
      {"protocol", 1, "enum"},
      {"universe", 0, "greater_than_equal"},
      {"universe", 64000, "less_than_equal"},
      {"universe", true, "int_type"},
      {"led_count", 0, "greater_than_equal"},
      {"led_count", 4097, "less_than_equal"},
      {"led_count", 60.0, "int_type"},
      {"led_count", nullptr, "int_type"},
      {"fps", 0, "greater_than_equal"},
      {"fps", 121, "less_than_equal"},
      {"fps", "40", "int_type"},
      {"brightness", 1.1, "less_than_equal"},
      {"brightness", -0.1, "greater_than_equal"},
      {"brightness", "1", "float_type"},
      {"brightness", false, "float_type"},
      {"enabled", "true", "bool_type"},
      {"enabled", 0, "bool_type"},
      {"integration_ids", "gi_3f9a0c1e", "list_type"},
      {"id", "dev_a1b2c3d4", "extra_forbidden"},
      {"created_at", "2026-11-26T14:03:07.123Z", "extra_forbidden"},
      {"updated_at", "2026-11-26T14:03:07.123Z", "extra_forbidden"},
      {"ip", "1.2.3.4", "extra_forbidden"},
  };
  for (const auto& r : rows) {
    CAPTURE(r.key);
    CAPTURE(r.value.dump());
    check_single_error(device_from_create(with(device_body(), r.key, r.value)),
                       json::array({"body", r.key}), r.type);
  }
  // Big integers do not wrap around.
  check_single_error(device_from_create(with(device_body(), "port", 18446744073709551615ULL)),
                     j(R"(["body","port"])"), "less_than_equal");
  check_single_error(device_from_create(with(device_body(), "led_count", -4294967295LL)),
                     j(R"(["body","led_count"])"), "greater_than_equal");
}

TEST_CASE("device create: integration_ids items") {
  struct row {
    json ids;
    int index;
    const char* type;
  };
  const row rows[] = {
      {json::array({"gi_3F9A0C1E"}), 0, "string_pattern_mismatch"},
      {json::array({"gi_3f9a0c1"}), 0, "string_pattern_mismatch"},
      {json::array({"gi_3f9a0c1e0"}), 0, "string_pattern_mismatch"},
      {json::array({"dev_a1b2c3d4"}), 0, "string_pattern_mismatch"},
      {json::array({"gi_3f9a0c1e", 5}), 1, "string_type"},
      {json::array({"gi_3f9a0c1e", "gi_00000000", "gi_3f9a0c1e"}), 2, "value_error"},
  };
  for (const auto& r : rows) {
    CAPTURE(r.ids.dump());
    check_single_error(device_from_create(with(device_body(), "integration_ids", r.ids)),
                       json::array({"body", "integration_ids", r.index}), r.type);
  }
}

TEST_CASE("device create: required fields and many errors at once") {
  auto errors = errors_of(device_from_create(json::object()));
  CHECK(errors.size() == 3);
  CHECK(has_error(errors, j(R"(["body","name"])"), "missing"));
  CHECK(has_error(errors, j(R"(["body","host"])"), "missing"));
  CHECK(has_error(errors, j(R"(["body","led_count"])"), "missing"));
  auto many = errors_of(device_from_create(j(R"({"name": "", "host": "bad host", "port": 0,
    "protocol": "x", "universe": 0, "led_count": 0, "fps": 0, "brightness": 2, "enabled": 1,
    "integration_ids": ["x"], "id": "dev_00000000", "extra": 1})")));
  CHECK(many.size() == 12);
  check_single_error(device_from_create(j("[1]")), j(R"(["body"])"), "dict_type");
}

TEST_CASE("device update: partial, keeps the port when the protocol changes") {
  auto current = stored_device();
  CHECK(*device_from_update(current, json::object()) == current);
  auto x = device_from_update(current, j(R"({"protocol": "ddp", "led_count": 10})"));
  REQUIRE(x);
  CHECK(x->protocol == led_protocol::ddp);
  CHECK(x->port == 5568);
  CHECK(x->led_count == 10);
  CHECK(x->name == current.name);
  CHECK(x->id == current.id);
  CHECK(x->created_at == current.created_at);
  auto y = device_from_update(current, j(R"({"port": 4048, "integration_ids": []})"));
  REQUIRE(y);
  CHECK(y->port == 4048);
  CHECK(y->integration_ids.empty());
  for (auto key : {"id", "created_at", "updated_at", "nope"})
    check_single_error(device_from_update(current, json{{key, 1}}), json::array({"body", key}),
                       "extra_forbidden");
  check_single_error(device_from_update(current, j(R"({"host": null})")), j(R"(["body","host"])"),
                     "string_type");
}

TEST_CASE("device to_json: field order and round trip") {
  auto current = stored_device();
  auto doc = to_json(current);
  CHECK(doc.dump()
        == R"({"id":"dev_a1b2c3d4","name":"Desk strip","host":"wled-desk.local","port":5568,)"
           R"("protocol":"e131","universe":7,"led_count":300,"fps":60,"brightness":0.5,)"
           R"("enabled":false,"integration_ids":["gi_3f9a0c1e"],"zones":[],)"
           R"("created_at":"2026-11-26T14:03:07.123Z","updated_at":"2026-11-26T14:03:10.000Z"})");
  doc.erase("id");
  doc.erase("created_at");
  doc.erase("updated_at");
  auto again = device_from_update(current, doc);
  REQUIRE(again);
  CHECK(*again == current);
  auto created = device_from_create(doc);
  REQUIRE(created);
  CHECK(created->host == current.host);
  CHECK(created->port == current.port);
}

// -- zones (v1.1) -----------------------------------------------------------------

TEST_CASE("device zones: valid zones, defaults and to_json") {
  auto x = device_from_create(j(R"({"name": "Desk strip", "host": "192.168.1.50",
    "led_count": 60, "zones": [{"name": "health", "start": 0, "length": 30},
                               {"name": "ammo", "start": 30, "length": 30, "reverse": true},
                               {"name": "all-of_it9", "start": 0, "length": 60}]})"));
  REQUIRE(x);
  REQUIRE(x->zones.size() == 3);
  CHECK(x->zones[0] == zone{"health", 0, 30, false});
  CHECK(x->zones[1] == zone{"ammo", 30, 30, true});
  CHECK(x->zones[2] == zone{"all-of_it9", 0, 60, false});
  CHECK(to_json(*x)["zones"].dump()
        == R"([{"name":"health","start":0,"length":30,"reverse":false},)"
           R"({"name":"ammo","start":30,"length":30,"reverse":true},)"
           R"({"name":"all-of_it9","start":0,"length":60,"reverse":false}])");
  CHECK(device_from_create(device_body())->zones.empty());
  CHECK(to_json(*device_from_create(device_body()))["zones"] == json::array());
}

TEST_CASE("device zones: every bad zone is reported at its loc") {
  auto body = device_body(); // led_count 60
  body["zones"] = j(R"([
    {"name": "Health", "start": -1, "length": 0, "reverse": "no", "color": 1},
    {"name": "ammo", "start": 50, "length": 20},
    {"name": "ammo", "start": 0, "length": 1},
    5,
    {"start": 0},
    {"name": "ok", "start": 0.5, "length": 4097}])");
  auto errors = errors_of(device_from_create(body));
  INFO(errors.dump());
  const json expected = j(R"([
    [["body","zones",0,"name"], "string_pattern_mismatch"],
    [["body","zones",0,"start"], "greater_than_equal"],
    [["body","zones",0,"length"], "greater_than_equal"],
    [["body","zones",0,"reverse"], "bool_type"],
    [["body","zones",0,"color"], "extra_forbidden"],
    [["body","zones",2,"name"], "value_error"],
    [["body","zones",3], "dict_type"],
    [["body","zones",4,"name"], "missing"],
    [["body","zones",4,"length"], "missing"],
    [["body","zones",5,"start"], "int_type"],
    [["body","zones",5,"length"], "less_than_equal"],
    [["body","zones",1], "value_error"]])");
  REQUIRE(errors.size() == expected.size());
  for (std::size_t i = 0; i < expected.size(); ++i) {
    CAPTURE(i);
    CHECK(errors[i]["loc"] == expected[i][0]);
    CHECK(errors[i]["type"] == expected[i][1]);
  }
  CHECK(errors[11]["msg"] == "Value error, zone 'ammo' ends at LED 70, beyond led_count 60");
  CHECK(errors[5]["msg"] == "Value error, duplicate zone name 'ammo'");
}

TEST_CASE("device zones: the list itself") {
  check_single_error(device_from_create(with(device_body(), "zones", json::object())),
                     j(R"(["body","zones"])"), "list_type");
  check_single_error(device_from_create(with(device_body(), "zones", nullptr)),
                     j(R"(["body","zones"])"), "list_type");
  auto many = json::array();
  for (int i = 0; i < 33; ++i)
    many.push_back(json{{"name", "z" + std::to_string(i)}, {"start", 0}, {"length", 1}});
  check_single_error(device_from_create(with(device_body(), "zones", many)),
                     j(R"(["body","zones"])"), "too_long");
  many.erase(many.end() - 1);
  CHECK(device_from_create(with(device_body(), "zones", many)));
  // Overlapping zones are fine; a zone ending exactly at led_count fits.
  CHECK(
      device_from_create(with(device_body(), "zones", j(R"([{"name": "a", "start": 0, "length": 60},
                                      {"name": "b", "start": 59, "length": 1}])"))));
  // With led_count itself invalid, the fit is not checked.
  auto bad_count = with(device_body(), "led_count", 0);
  bad_count["zones"] = j(R"([{"name": "a", "start": 0, "length": 60}])");
  check_single_error(device_from_create(bad_count), j(R"(["body","led_count"])"),
                     "greater_than_equal");
}

TEST_CASE("device zones on PUT: replaced as a whole, kept when absent, checked against led_count") {
  auto current = *device_from_create(j(R"({"name": "Desk strip", "host": "192.168.1.50",
    "led_count": 60, "zones": [{"name": "health", "start": 0, "length": 30},
                               {"name": "ammo", "start": 30, "length": 30}]})"));
  auto kept = device_from_update(current, j(R"({"fps": 60})"));
  REQUIRE(kept);
  CHECK(kept->zones == current.zones);
  auto grown = device_from_update(current, j(R"({"led_count": 120})"));
  REQUIRE(grown);
  CHECK(grown->zones == current.zones);
  // Shrinking below a stored zone: reported at led_count (zones were not sent).
  auto shrunk = device_from_update(current, j(R"({"led_count": 45})"));
  check_single_error(shrunk, j(R"(["body","led_count"])"), "value_error");
  CHECK(errors_of(shrunk)[0]["msg"]
        == "Value error, zone 'ammo' ends at LED 60, beyond led_count 45");
  // Shrinking and sending zones that fit is fine; sent zones that do not fit are reported
  // at their own loc.
  auto both = device_from_update(
      current, j(R"({"led_count": 45, "zones": [{"name": "health", "start": 0, "length": 45}]})"));
  REQUIRE(both);
  CHECK(both->zones == std::vector<zone>{zone{"health", 0, 45, false}});
  check_single_error(
      device_from_update(current,
                         j(R"({"led_count": 40, "zones": [{"name": "x", "start": 0, "length": 40},
                                                          {"name": "y", "start": 30, "length": 30}]})")),
      j(R"(["body","zones",1])"), "value_error");
  auto cleared = device_from_update(current, j(R"({"zones": []})"));
  REQUIRE(cleared);
  CHECK(cleared->zones.empty());
  // A refused PUT changes nothing (the result is an error, the current value is const).
  CHECK_FALSE(device_from_update(current, j(R"({"zones": [{"name": "ok", "start": 0, "length": 1},
                                                           {"name": "BAD", "start": 0, "length": 1}]})")));
}

TEST_CASE("probe_request_from_body") {
  auto x = probe_request_from_body(j(R"({"host": "192.168.1.50"})"));
  REQUIRE(x);
  CHECK(x->host == "192.168.1.50");
  CHECK(x->port == 80);
  auto y = probe_request_from_body(j(R"({"host": "wled-desk.local", "port": 8080})"));
  REQUIRE(y);
  CHECK(y->host == "wled-desk.local");
  CHECK(y->port == 8080);
  CHECK(probe_request_from_body(j(R"({"host": "::1", "port": 65535})"))->port == 65535);
  check_single_error(probe_request_from_body(j("{}")), j(R"(["body","host"])"), "missing");
  check_single_error(probe_request_from_body(j(R"({"host": ""})")), j(R"(["body","host"])"),
                     "string_too_short");
  check_single_error(probe_request_from_body(j(R"({"host": 5})")), j(R"(["body","host"])"),
                     "string_type");
  check_single_error(probe_request_from_body(j(R"({"host": "http://x/"})")),
                     j(R"(["body","host"])"), "value_error");
  check_single_error(probe_request_from_body(j(R"({"host": "a", "port": 0})")),
                     j(R"(["body","port"])"), "greater_than_equal");
  check_single_error(probe_request_from_body(j(R"({"host": "a", "port": 65536})")),
                     j(R"(["body","port"])"), "less_than_equal");
  check_single_error(probe_request_from_body(j(R"({"host": "a", "port": "80"})")),
                     j(R"(["body","port"])"), "int_type");
  check_single_error(probe_request_from_body(j(R"({"host": "a", "port": 80.0})")),
                     j(R"(["body","port"])"), "int_type");
  check_single_error(probe_request_from_body(j(R"({"host": "a", "path": "/x"})")),
                     j(R"(["body","path"])"), "extra_forbidden");
  check_single_error(probe_request_from_body(j("[]")), j(R"(["body"])"), "dict_type");
  auto all = errors_of(probe_request_from_body(j(R"({"port": true, "url": 1})")));
  REQUIRE(all.size() == 3);
  CHECK(all[0]["loc"] == j(R"(["body","host"])"));
  CHECK(all[1]["loc"] == j(R"(["body","port"])"));
  CHECK(all[2]["loc"] == j(R"(["body","url"])"));
}
