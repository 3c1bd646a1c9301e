#include "adapters/games/generic/session.hpp"

#include "adapters/games/support.hpp"

namespace gamelight::games::generic {

settings read_settings(const json& adapter_config) {
  settings result;
  result.token = detail::read_token(adapter_config);
  if (adapter_config.is_object()) {
    if (auto it = adapter_config.find("events"); it != adapter_config.end() && it->is_array()) {
      result.events.emplace();
      for (const auto& x : *it)
        if (x.is_string())
          result.events->push_back(x.get<std::string>());
    }
  }
  return result;
}

namespace {

// Placeholder until the parser lands.
class session final : public adapter_session {
public:
  ingest_outcome ingest(const payload&, std::vector<game_event>&) override {
    return {ingest_status::invalid, "not implemented yet"};
  }
};

} // namespace

std::unique_ptr<adapter_session> make_generic_session(settings) {
  return std::make_unique<session>();
}

} // namespace gamelight::games::generic
