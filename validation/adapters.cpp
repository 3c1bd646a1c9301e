#include "adapters/games/game_adapter.hpp"
#include "validation/validation.hpp"

namespace gamelight::validation {

json adapters_document() {
  auto list = json::array();
  for (const auto* adapter : games::all_adapters()) {
    json entry = json::object();
    entry["adapter_type"] = adapter->adapter_type();
    entry["display_name"] = adapter->display_name();
    entry["description"] = adapter->description();
    entry["auth"] = games::to_string(adapter->auth());
    auto events = json::array();
    for (const auto& e : adapter->supported_events()) {
      json item = json::object();
      item["event_type"] = e.event_type;
      item["description"] = e.description;
      events.push_back(std::move(item));
    }
    entry["supported_events"] = std::move(events);
    entry["config_schema"] = adapter->config_schema();
    list.push_back(std::move(entry));
  }
  auto count = list.size();
  json result = json::object();
  result["adapters"] = std::move(list);
  result["count"] = count;
  return result;
}

} // namespace gamelight::validation
