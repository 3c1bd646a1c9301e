#include "storage/codec.hpp"

#include <doctest/doctest.h>

using namespace gamelight;
using namespace gamelight::storage;

TEST_CASE("name_key trims ASCII space and folds ASCII letters only") {
  CHECK_EQ(name_key("  Desk RIG\t\n"), "desk rig");
  CHECK_EQ(name_key("desk rig"), "desk rig");
  CHECK_EQ(name_key("In  Between"), "in  between");
  CHECK_EQ(name_key(""), "");
  CHECK_EQ(name_key(" \t "), "");
  CHECK_EQ(name_key("ÄRGER"), "Ärger");
}

TEST_CASE("event mappings are stored in the API shape") {
  std::vector<event_mapping> xs = {
      event_mapping{"bomb_planted", effect_kind::countdown, rgb{255, 0, 0}, 40000, 0.75, 80,
                    std::nullopt},
      event_mapping{"kill", effect_kind::flash, rgb{0, 128, 255}, 0, 1.0, 0, "ammo"},
  };
  auto text = encode_mappings(xs);
  CHECK_EQ(
      text,
      R"([{"event_type":"bomb_planted","effect":"countdown","color":[255,0,0],"duration_ms":40000,"intensity":0.75,"priority":80,"zone":null},)"
      R"({"event_type":"kill","effect":"flash","color":[0,128,255],"duration_ms":0,"intensity":1.0,"priority":0,"zone":"ammo"}])");
  CHECK_EQ(decode_mappings(text), xs);
  CHECK_EQ(encode_mappings({}), "[]");
  CHECK(decode_mappings("[]").empty());
  std::vector<event_mapping> odd
      = {event_mapping{"x", effect_kind::off, rgb{1, 2, 3}, 4294967295u, 0.1, -5, std::nullopt}};
  CHECK_EQ(decode_mappings(encode_mappings(odd)), odd);
}

TEST_CASE("mappings stored before zones existed decode with no zone") {
  auto xs = decode_mappings(
      R"([{"event_type":"kill","effect":"flash","color":[1,2,3],"duration_ms":250,"intensity":0.5,"priority":70}])");
  REQUIRE_EQ(xs.size(), 1u);
  CHECK_EQ(xs[0],
           event_mapping{"kill", effect_kind::flash, rgb{1, 2, 3}, 250, 0.5, 70, std::nullopt});
  CHECK_FALSE(xs[0].zone.has_value());
  CHECK_THROWS_WITH_AS(
      decode_mappings(
          R"([{"event_type":"k","effect":"solid","color":[1,2,3],"duration_ms":1,"intensity":1.0,"priority":1,"zone":7}])"),
      "stored event mapping 0 has an invalid 'zone'", corrupt_data);
}

TEST_CASE("zones are stored as a JSON array") {
  std::vector<zone> xs = {zone{"health", 0, 30, false}, zone{"ammo", 30, 30, true}};
  auto text = encode_zones(xs);
  CHECK_EQ(text, R"([{"name":"health","start":0,"length":30,"reverse":false},)"
                 R"({"name":"ammo","start":30,"length":30,"reverse":true}])");
  CHECK_EQ(decode_zones(text), xs);
  CHECK_EQ(encode_zones({}), "[]");
  CHECK(decode_zones("[]").empty());
  CHECK_THROWS_WITH_AS(decode_zones("{}"), "stored zones is not an array", corrupt_data);
  CHECK_THROWS_WITH_AS(decode_zones(R"([{"name":"a","start":-1,"length":1,"reverse":false}])"),
                       "stored zone 0 has an invalid 'start'", corrupt_data);
  CHECK_THROWS_WITH_AS(decode_zones(R"([{"name":"a","start":0,"length":1}])"),
                       "stored zone 0 has an invalid 'reverse'", corrupt_data);
}

TEST_CASE("tags are stored as a JSON array") {
  CHECK_EQ(encode_tags({"fps", "lan \"party\""}), R"(["fps","lan \"party\""])");
  CHECK_EQ(decode_tags(R"(["fps","lan \"party\""])"),
           std::vector<std::string>{"fps", "lan \"party\""});
  CHECK_EQ(encode_tags({}), "[]");
}

TEST_CASE("stored text that does not decode throws corrupt_data") {
  auto mapping = [](const std::string& item) {
    return "[" + item + "]";
  };
  const std::string good_tail = R"("duration_ms":1,"intensity":1.0,"priority":1)";
  CHECK_THROWS_WITH_AS(decode_mappings("nope"), "stored event_mappings is not valid JSON",
                       corrupt_data);
  CHECK_THROWS_WITH_AS(decode_mappings("{}"), "stored event_mappings is not an array",
                       corrupt_data);
  CHECK_THROWS_WITH_AS(decode_mappings("[1]"), "stored event mapping 0 is not an object",
                       corrupt_data);
  CHECK_THROWS_WITH_AS(
      decode_mappings(
          mapping(R"({"event_type":"k","effect":"nope","color":[1,2,3],)" + good_tail + "}")),
      "stored event mapping 0 has an invalid 'effect'", corrupt_data);
  CHECK_THROWS_WITH_AS(
      decode_mappings(
          mapping(R"({"event_type":"k","effect":"solid","color":[1,2,256],)" + good_tail + "}")),
      "stored event mapping 0 has an invalid 'color'", corrupt_data);
  CHECK_THROWS_WITH_AS(
      decode_mappings(
          mapping(R"({"event_type":"k","effect":"solid","color":[1,2],)" + good_tail + "}")),
      "stored event mapping 0 has an invalid 'color'", corrupt_data);
  CHECK_THROWS_WITH_AS(
      decode_mappings(mapping(
          R"({"event_type":"k","effect":"solid","color":[1,2,3],"duration_ms":-1,"intensity":1.0,"priority":1})")),
      "stored event mapping 0 has an invalid 'duration_ms'", corrupt_data);
  CHECK_THROWS_WITH_AS(
      decode_mappings(mapping(
          R"({"event_type":"k","effect":"solid","color":[1,2,3],"duration_ms":1,"intensity":"x","priority":1})")),
      "stored event mapping 0 has an invalid 'intensity'", corrupt_data);
  CHECK_THROWS_WITH_AS(
      decode_mappings(mapping(
          R"({"effect":"solid","color":[1,2,3],"duration_ms":1,"intensity":1,"priority":1})")),
      "stored event mapping 0 has an invalid 'event_type'", corrupt_data);
  CHECK_THROWS_WITH_AS(decode_tags("[1]"), "stored tags holds a value that is not a string",
                       corrupt_data);
  CHECK_THROWS_WITH_AS(decode_tags("{"), "stored tags is not valid JSON", corrupt_data);
}
