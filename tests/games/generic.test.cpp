#include "adapters/games/support.hpp"
#include "tests/games/test_util.hpp"

#include <doctest/doctest.h>

using namespace gamelight;
using namespace gamelight::games;
using namespace gamelight::games::test;

namespace {

const std::string secret = "generic-secret-1";

std::string many_events(std::size_t n) {
  std::string text = "{\"events\": [";
  for (std::size_t i = 0; i < n; ++i)
    text += (i ? "," : "") + std::string("{\"event_type\": \"tick\"}");
  return text + "]}";
}

} // namespace

TEST_CASE("generic: one event, with and without data") {
  auto s = session("generic", json::object());
  CHECK(describe(accept(*s, R"({"event_type": "boss_defeated"})"))
        == describe({ev("boss_defeated")}));
  CHECK(describe(accept(*s, "{\n\t\"event_type\": \"boss_defeated\",\n\t\"data\": {\n\t\t\"boss\": "
                            "\"Ornstein\", \"hp\": [1, 2.5, -3e2], \"x\": {\"y\": null, \"z\": "
                            "true}\n\t}\n}"))
        == describe({ev("boss_defeated",
                        R"({"boss":"Ornstein","hp":[1,2.5,-3e2],"x":{"y":null,"z":true}})")}));
  // Identical payloads fire again: no diffing.
  CHECK(accept(*s, R"({"event_type": "boss_defeated"})").size() == 1);
}

TEST_CASE("generic: strings in data are re-escaped as compact JSON") {
  auto s = session("generic", json::object());
  auto events = accept(*s, R"({"data": {"m\u0065sg": "a\"b\\c\u00e9\n\/"}, "event_type": "x"})");
  REQUIRE(events.size() == 1);
  CHECK(events[0].data == "{\"mesg\":\"a\\\"b\\\\c\xc3\xa9\\n/\"}");
  CHECK(json::parse(events[0].data)["mesg"] == "a\"b\\c\xc3\xa9\n/");
}

TEST_CASE("JSON strings escape quotes, backslashes and control characters, nothing else") {
  auto quoted = [](std::string_view x) {
    std::string out = "=";
    detail::append_json_string(out, x);
    return out;
  };
  CHECK_EQ(quoted(""), R"(="")");
  CHECK_EQ(quoted("plain \xc3\xa9 text/"), "=\"plain \xc3\xa9 text/\"");
  CHECK_EQ(quoted("\"a\\b\""), R"(="\"a\\b\"")");
  CHECK_EQ(quoted(std::string_view{"\n\r\t\b\f\x01\x1f\0x", 9}),
           R"(="\n\r\t\b\f\u0001\u001f\u0000x")");
  CHECK_EQ(quoted("x\x7f"), "=\"x\x7f\"");
}

TEST_CASE("generic: fraction and countdown_ms are picked from data when they are numbers") {
  auto s = session("generic", json::object());
  auto events = accept(*s, R"({"events": [
      {"event_type": "hp", "data": {"fraction": 0.25, "other": 1}},
      {"event_type": "bomb", "data": {"countdown_ms": 40000}},
      {"event_type": "text", "data": {"fraction": "0.5", "countdown_ms": -1}},
      {"event_type": "float_countdown", "data": {"countdown_ms": 1500.4}}
    ]})");
  CHECK(describe(events)
        == describe({ev("hp", R"({"fraction":0.25,"other":1})", 0.25),
                     ev("bomb", R"({"countdown_ms":40000})", {}, 40000),
                     ev("text", R"({"fraction":"0.5","countdown_ms":-1})"),
                     ev("float_countdown", R"({"countdown_ms":1500.4})", {}, 1500)}));
}

TEST_CASE("generic: a list fires every event in payload order, repeats included") {
  auto s = session("generic", json::object());
  auto events = accept(*s, R"({"events": [{"event_type": "a"}, {"event_type": "b.c-d_1",
    "data": {"n": 1}}, {"event_type": "a"}]})");
  CHECK(describe(events) == describe({ev("a"), ev("b.c-d_1", R"({"n":1})"), ev("a")}));
  CHECK(accept(*s, R"({"events": []})").empty());
  CHECK(accept(*s, many_events(64)).size() == 64);
}

TEST_CASE("generic: configured events limit the names") {
  auto s = session("generic", json{{"events", {"boss_defeated", "level_up"}}});
  CHECK(accept(*s, R"({"event_type": "level_up"})").size() == 1);
  auto r = ingest(*s, R"({"events": [{"event_type": "level_up"}, {"event_type": "died"}]})");
  CHECK(r.outcome.status == ingest_status::invalid);
  CHECK(r.outcome.detail
        == "events[1].event_type 'died' is not one of the events configured for this integration");
  CHECK(r.events.empty());
}

TEST_CASE("generic: header token") {
  auto s = session("generic", json{{"token", secret}});
  const std::string p = R"({"event_type": "x"})";
  CHECK(ingest(*s, p).outcome.status == ingest_status::unauthorized);
  CHECK(ingest(*s, p, "generic-secret-2").outcome.status == ingest_status::unauthorized);
  auto r = ingest(*s, p, "generic-secret-");
  CHECK(r.outcome.status == ingest_status::unauthorized);
  CHECK(r.outcome.detail == "invalid or missing token");
  CHECK(accept(*s, p, secret).size() == 1);
  // Malformed JSON is reported before auth.
  CHECK(ingest(*s, "{", "bad").outcome.status == ingest_status::malformed);
  // Auth before the adapter's own checks.
  CHECK(ingest(*s, R"({"event_type": "BAD NAME"})").outcome.status == ingest_status::unauthorized);
  // Without a configured token any header is ignored.
  auto open = session("generic", json::object());
  CHECK(accept(*open, p, "whatever").size() == 1);
}

TEST_CASE("generic: every refusal is a 422 with a clear detail and fires nothing") {
  struct refusal {
    const char* name;
    std::string text;
    const char* detail;
  };
  const std::vector<refusal> refusals = {
      {"both shapes", R"({"event_type": "a", "events": [{"event_type": "b"}]})",
       "use either event_type (one event) or events (a list), not both"},
      {"data and events", R"({"data": {}, "events": []})",
       "use either event_type (one event) or events (a list), not both"},
      {"empty object", "{}", "event_type or events is required"},
      {"only unknown keys", R"({"name": "a"})", "event_type or events is required"},
      {"data without event_type", R"({"data": {"a": 1}})", "event_type is required"},
      {"item without event_type", R"({"events": [{"event_type": "a"}, {"data": {}}]})",
       "events[1].event_type is required"},
      {"event_type not a string", R"({"event_type": 5})", "event_type must be a string"},
      {"event_type null", R"({"event_type": null})", "event_type must be a string"},
      {"upper case", R"({"event_type": "Boss"})", "event_type must match ^[a-z0-9_.-]{1,64}$"},
      {"empty name", R"({"event_type": ""})", "event_type must match ^[a-z0-9_.-]{1,64}$"},
      {"65 characters", "{\"event_type\": \"" + std::string(65, 'a') + "\"}",
       "event_type must match ^[a-z0-9_.-]{1,64}$"},
      {"space in item", R"({"events": [{"event_type": "a b"}]})",
       "events[0].event_type must match ^[a-z0-9_.-]{1,64}$"},
      {"65 events", many_events(65), "at most 64 events per payload (got 65)"},
      {"data array", R"({"event_type": "a", "data": [1]})", "data must be an object"},
      {"data string", R"({"event_type": "a", "data": "x"})", "data must be an object"},
      {"data null", R"({"event_type": "a", "data": null})", "data must be an object"},
      {"item data not object", R"({"events": [{"event_type": "a", "data": 1}]})",
       "events[0].data must be an object"},
      {"events not an array", R"({"events": {"event_type": "a"}})", "events must be an array"},
      {"item not an object", R"({"events": ["a"]})", "events[0] must be an object"},
  };
  auto s = session("generic", json::object());
  for (const auto& r : refusals) {
    INFO("case: " << r.name);
    std::vector<game_event> events{ev("sentinel")};
    body b(r.text);
    auto outcome = s->ingest(b.view(), events);
    CHECK(std::string(status_name(outcome.status)) == "invalid");
    CHECK(outcome.detail == r.detail);
    CHECK(describe(events) == describe({ev("sentinel")}));
  }
  CHECK(accept(*s, R"({"event_type": "ok"})").size() == 1);
}

TEST_CASE("generic: malformed and non-object bodies") {
  auto s = session("generic", json::object());
  CHECK(ingest(*s, R"({"event_type": "a")").outcome.status == ingest_status::malformed);
  CHECK(ingest(*s, R"({"event_type": "a", "data": {"x": tru}})").outcome.status
        == ingest_status::malformed);
  CHECK(ingest(*s, R"([{"event_type": "a"}])").outcome.status == ingest_status::unauthorized);
  // A syntax error after an adapter-level problem is still malformed.
  CHECK(ingest(*s, R"({"event_type": 5, "x": [1,}})").outcome.status == ingest_status::malformed);
}
