/// Fuzz target: request body parsing and validation of integrations, devices and the
/// device test effect. Input: one request body. Every body that parses goes through
/// every validator; every accepted value is rendered back to API JSON.

#include "validation/validation.hpp"

#include "common/json.hpp"
#include "common/model.hpp"

#include <vector>

#include "fuzz/support.hpp"

namespace {

using namespace gamelight;

/// Returns the value of an outcome that must succeed (the fixed bodies below).
template <class T>
T must(outcome<T> x) {
  if (!x)
    __builtin_trap();
  return std::move(*x);
}

/// Stored integrations and a device that PUT bodies are merged into.
struct currents {
  std::vector<integration> integrations;
  device dev;
};

const currents& get() {
  static const currents result = [] {
    currents c;
    c.integrations.push_back(must(validation::integration_from_create(json::parse(
        R"({"name": "CS2 desk rig", "adapter_type": "cs2",
            "adapter_config": {"token": "wled-gsi-7f3c9a12e4b8"},
            "event_mappings": [{"event_type": "bomb_planted", "effect": "pulse"}],
            "tags": ["fps"]})"))));
    c.integrations.push_back(must(validation::integration_from_create(json::parse(
        R"({"name": "Generic", "adapter_type": "generic",
            "adapter_config": {"token": "generic-token", "events": ["boss_defeated"]}})"))));
    c.dev = must(validation::device_from_create(json::parse(
        R"({"name": "Desk strip", "host": "192.168.1.50", "protocol": "e131",
            "led_count": 60, "integration_ids": ["gi_3f9a0c1e"]})")));
    return c;
  }();
  return result;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const auto& c = get();
  auto body = validation::parse_body(fuzz::as_text(data, size));
  if (!body)
    return 0;
  if (auto x = validation::integration_from_create(*body))
    static_cast<void>(validation::to_json(*x).dump());
  for (const auto& current : c.integrations)
    if (auto x = validation::integration_from_update(current, *body))
      static_cast<void>(validation::to_json(*x).dump());
  if (auto x = validation::device_from_create(*body))
    static_cast<void>(validation::to_json(*x).dump());
  if (auto x = validation::device_from_update(c.dev, *body))
    static_cast<void>(validation::to_json(*x).dump());
  if (auto x = validation::test_effect_from_body(*body))
    static_cast<void>(validation::to_json(*x).dump());
  static_cast<void>(validation::probe_request_from_body(*body));
  return 0;
}
