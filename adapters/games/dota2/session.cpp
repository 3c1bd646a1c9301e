#include "adapters/games/dota2/session.hpp"

namespace gamelight::games::dota2 {

namespace {

// Placeholder until the parser lands.
class session final : public adapter_session {
public:
  ingest_outcome ingest(const payload&, std::vector<game_event>&) override {
    return {ingest_status::invalid, "not implemented yet"};
  }
};

} // namespace

std::unique_ptr<adapter_session> make_dota2_session(detail::diff_settings) {
  return std::make_unique<session>();
}

} // namespace gamelight::games::dota2
