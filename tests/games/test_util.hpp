#pragma once

/// Helpers for the game adapter tests: fixtures, padded payloads, event rendering.

#include "adapters/games/game_adapter.hpp"
#include "common/json.hpp"

#include <doctest/doctest.h>

#include <fstream>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

namespace gamelight::games::test {

/// Returns the text of `tests/data/<name>.json`.
inline std::string fixture(const std::string& name) {
  std::ifstream in(std::string(GAMELIGHT_TEST_DATA_DIR) + "/" + name + ".json", std::ios::binary);
  REQUIRE_MESSAGE(in.good(), "missing fixture " << name);
  std::ostringstream buf;
  buf << in.rdbuf();
  return buf.str();
}

/// Returns a fixture as an ordered JSON document, to derive variants from.
inline json fixture_json(const std::string& name) {
  return json::parse(fixture(name));
}

/// A body with the simdjson padding behind it, as the HTTP layer provides it.
class body {
public:
  explicit body(std::string text) : text_(std::move(text)) {
    text_.reserve(text_.size() + 64);
  }

  [[nodiscard]] payload view(std::string_view header_token = {}) const {
    return payload{text_.data(), text_.size(), text_.capacity(), header_token};
  }

private:
  std::string text_;
};

/// Renders events one per line: `type data [fraction=x] [countdown_ms=y]`.
inline std::string describe(const std::vector<game_event>& events) {
  std::ostringstream out;
  for (const auto& e : events) {
    out << e.event_type << ' ' << e.data;
    if (e.fraction)
      out << " fraction=" << *e.fraction;
    if (e.countdown_ms)
      out << " countdown_ms=" << *e.countdown_ms;
    out << '\n';
  }
  return out.str();
}

/// Shorthand for an expected event.
inline game_event ev(std::string type, std::string data = "{}",
                     std::optional<double> fraction = std::nullopt,
                     std::optional<std::uint32_t> countdown_ms = std::nullopt) {
  return game_event{std::move(type), std::move(data), fraction, countdown_ms};
}

/// Ingests `text` and returns the outcome and the events it appended.
struct ingest_result {
  ingest_outcome outcome;
  std::vector<game_event> events;
};

inline ingest_result ingest(adapter_session& s, const std::string& text,
                            std::string_view header_token = {}) {
  body b(text);
  ingest_result r;
  r.outcome = s.ingest(b.view(header_token), r.events);
  return r;
}

/// Ingests `text`, requires it to be accepted and returns the events.
inline std::vector<game_event> accept(adapter_session& s, const std::string& text,
                                      std::string_view header_token = {}) {
  auto r = ingest(s, text, header_token);
  INFO("detail: " << r.outcome.detail);
  REQUIRE(r.outcome.status == ingest_status::ok);
  return r.events;
}

/// Creates a session of the given adapter.
inline std::unique_ptr<adapter_session> session(std::string_view adapter_type, const json& config) {
  const game_adapter* a = find_adapter(adapter_type);
  REQUIRE(a != nullptr);
  return a->make_session(config);
}

inline const char* status_name(ingest_status s) {
  switch (s) {
    case ingest_status::ok:
      return "ok";
    case ingest_status::malformed:
      return "malformed";
    case ingest_status::unauthorized:
      return "unauthorized";
    case ingest_status::invalid:
      return "invalid";
  }
  return "?";
}

inline constexpr const char* cs2_token = "wled-gsi-7f3c9a12e4b8";
inline constexpr const char* dota2_token = "wled-dota-51ae08c3";

} // namespace gamelight::games::test
