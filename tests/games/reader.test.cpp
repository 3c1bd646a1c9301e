#include "adapters/games/json_reader.hpp"
#include "tests/games/test_util.hpp"

#include <doctest/doctest.h>
#include <nlohmann/json.hpp>

#include <string>

using namespace gamelight;
using namespace gamelight::games;
using namespace gamelight::games::test;

namespace {

ingest_status status_of(adapter_session& s, const std::string& text) {
  return ingest(s, text).outcome.status;
}

/// Wraps `inner` as the value of an unread key of an otherwise valid cs2 payload.
std::string cs2_with(const std::string& inner) {
  return R"({"extra": )" + inner + R"(, "auth": {"token": "wled-gsi-7f3c9a12e4b8"}})";
}

} // namespace

TEST_CASE("reader: every truncation of a fixture is malformed") {
  auto s = session("cs2", json{{"token", cs2_token}});
  const std::string text = fixture("cs2_02_round_live");
  const auto end = text.rfind('}');
  for (std::size_t n = 0; n <= end; ++n) {
    INFO("prefix length " << n);
    CHECK(std::string(status_name(status_of(*s, text.substr(0, n)))) == "malformed");
  }
  // None of them became the baseline.
  CHECK(accept(*s, text).empty());
  CHECK(accept(*s, fixture("cs2_03_damage_taken_low_health")).size() == 3);
}

TEST_CASE("reader: a one-byte change is malformed exactly when the JSON becomes invalid") {
  // Agreement with an independent validator (nlohmann::json::accept) over every
  // position of a fixture and a set of replacement bytes, including skipped values
  // (weapons, previously) that the adapter never reads.
  auto s = session("cs2", json{{"token", cs2_token}});
  const std::string text = fixture("cs2_04_kill_headshot");
  const std::string replacements = std::string("}]{[,:\"\\x1 -.e") + '\x01' + '\xff';
  std::size_t malformed = 0;
  for (std::size_t i = 0; i < text.size(); ++i) {
    for (char c : replacements) {
      if (text[i] == c)
        continue;
      std::string mutated = text;
      mutated[i] = c;
      const bool valid = nlohmann::json::accept(mutated);
      const auto status = status_of(*s, mutated);
      if ((status == ingest_status::malformed) == valid) {
        INFO("position " << i << ", byte " << int(static_cast<unsigned char>(c)) << ": "
                         << std::string(status_name(status)));
        CHECK(false);
      }
      malformed += status == ingest_status::malformed;
    }
  }
  CHECK(malformed > text.size()); // the test did exercise the malformed path
}

TEST_CASE("reader: syntax inside unread values is checked") {
  auto s = session("cs2", json{{"token", cs2_token}});
  CHECK(status_of(*s, cs2_with("[1, 2]")) == ingest_status::ok);
  for (const char* bad : {"[1 2]", "[1,]", "{\"a\" 1}", "{\"a\":1,}", "tru", "nul", "fals", "01",
                          "1.", "-", "1e", "\"\\q\"", "\"\\u12\"", "{,}", "[}", "{]"}) {
    INFO("value " << std::string(bad));
    CHECK(std::string(status_name(status_of(*s, cs2_with(bad)))) == "malformed");
  }
  CHECK(status_of(*s, cs2_with("\"a\tb\"")) == ingest_status::malformed);     // control char
  CHECK(status_of(*s, cs2_with("\"\xc3\x28\"")) == ingest_status::malformed); // bad UTF-8
  CHECK(status_of(*s, cs2_with("\"\xc3\xa9\"")) == ingest_status::ok);
}

TEST_CASE("reader: numbers simdjson cannot hold are valid when they fit a double") {
  auto s = session("cs2", json{{"token", cs2_token}});
  CHECK(status_of(*s, cs2_with("123456789012345678901234567890")) == ingest_status::ok);
  CHECK(status_of(*s, cs2_with("1e-400")) == ingest_status::ok);
  // Like nlohmann::json (used by the rest of the daemon): overflow is not accepted.
  CHECK(status_of(*s, cs2_with("1e400")) == ingest_status::malformed);
  CHECK(status_of(*s, cs2_with("-1e400")) == ingest_status::malformed);
  auto p = fixture_json("cs2_02_round_live");
  std::string text = p.dump();
  const std::string from = "\"health\":100";
  text.replace(text.find(from), from.size(), "\"health\":123456789012345678901234567890");
  auto r = ingest(*s, text);
  CHECK(r.outcome.status == ingest_status::invalid);
  CHECK(r.outcome.detail == "player.state.health must be an integer in range");
}

TEST_CASE("reader: nesting up to 64 levels is accepted, deeper is malformed") {
  auto s = session("cs2", json{{"token", cs2_token}});
  auto nested = [](int arrays) {
    return std::string(arrays, '[') + std::string(arrays, ']');
  };
  // The root object is level 1, so 63 arrays inside reach level 64.
  CHECK(status_of(*s, cs2_with(nested(63))) == ingest_status::ok);
  auto r = ingest(*s, cs2_with(nested(64)));
  CHECK(r.outcome.status == ingest_status::malformed);
  CHECK(r.outcome.detail == "malformed JSON: nesting deeper than 64 levels");
  CHECK(status_of(*s, cs2_with(nested(2000))) == ingest_status::malformed);
}

TEST_CASE("reader: what follows the root value") {
  auto s = session("cs2", json{{"token", cs2_token}});
  CHECK(status_of(*s, cs2_with("1") + " \n\t\r ") == ingest_status::ok);
  CHECK(status_of(*s, cs2_with("1") + " {}") == ingest_status::malformed);
  CHECK(status_of(*s, cs2_with("1") + "}") == ingest_status::malformed);
  CHECK(status_of(*s, cs2_with("1") + "x") == ingest_status::malformed);
}

TEST_CASE("reader: bodies that are not objects") {
  auto s = session("cs2", json{{"token", cs2_token}});
  for (const char* text :
       {"[]", "[1, {\"a\": [true]}]", "\"x\"", "12", "-1.5e3", "true", "null", " null ", " true\n",
        " 12 ", "\"x\" ", "123456789012345678901234567890"}) {
    INFO("body " << std::string(text));
    CHECK(std::string(status_name(status_of(*s, text))) == "unauthorized");
  }
  for (const char* text : {"", " ", "[1,]", "[1", "nul", "null x", "1 2", "\"x", "tru", "}", "]",
                           "\"x\" 1", "true false", "nullx", "1e400", "[] []", "\"\\q\""}) {
    INFO("body " << std::string(text));
    CHECK(std::string(status_name(status_of(*s, text))) == "malformed");
  }
}

TEST_CASE("reader: is_json_number follows RFC 8259") {
  for (const char* ok : {"0", "-0", "1", "10", "1.5", "-1.5e10", "1E+2", "1e-2", "0.0"})
    CHECK_MESSAGE(detail::is_json_number(ok), ok);
  for (const char* bad : {"", "-", "01", "1.", ".5", "1e", "1e+", "+1", "0x1", "1 ", "NaN"})
    CHECK_MESSAGE(!detail::is_json_number(bad), bad);
}

TEST_CASE("reader: generic data is validated and compacted losslessly") {
  // The same mutation check through the generic adapter, whose data is rewritten as
  // compact JSON: valid bodies must round-trip to the same document.
  auto s = session("generic", json::object());
  const std::string text = "{\"event_type\": \"x\", \"data\": " + fixture("cs2_05_flashed") + "}";
  const std::string replacements = "}]{[,:\"\\1e";
  for (std::size_t i = 0; i < text.size(); i += 3) {
    for (char c : replacements) {
      std::string mutated = text;
      mutated[i] = c;
      const bool valid = nlohmann::json::accept(mutated);
      auto r = ingest(*s, mutated);
      if ((r.outcome.status == ingest_status::malformed) == valid) {
        INFO("position " << i << ", byte " << c << ": " << r.outcome.detail);
        CHECK(false);
      }
      if (r.outcome.status == ingest_status::ok) {
        REQUIRE(r.events.size() == 1);
        const auto original = nlohmann::json::parse(mutated);
        const auto expected
            = original.contains("data") ? original["data"] : nlohmann::json::object();
        CHECK(nlohmann::json::parse(r.events[0].data) == expected);
      }
    }
  }
}
