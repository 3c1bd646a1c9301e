/// Fuzz target: one generic event payload, through a session with a token and an event
/// list (given the right header token) and through one without any config.

#include "fuzz/support.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using gamelight::json;
  const auto* adapter = gamelight::games::find_adapter("generic");
  if (adapter == nullptr)
    __builtin_trap();
  json config{{"token", "generic-fuzz-token"},
              {"events", json::array({"boss_defeated", "level.up", "low-hp", "x"})}};
  auto strict = adapter->make_session(config);
  auto open = adapter->make_session(json::object());
  auto text = gamelight::fuzz::as_text(data, size);
  gamelight::fuzz::owned_payload padded{text, true};
  gamelight::fuzz::owned_payload exact{text, false};
  std::vector<gamelight::game_event> events;
  static_cast<void>(strict->ingest(padded.view("generic-fuzz-token"), events));
  static_cast<void>(open->ingest(exact.view(), events));
  return 0;
}
