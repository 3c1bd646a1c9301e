#include "adapters/games/cs2/session.hpp"

#include "adapters/games/cs2/snapshot.hpp"
#include "common/security.hpp"

namespace gamelight::games::cs2 {

namespace {

class session final : public adapter_session {
public:
  explicit session(detail::diff_settings settings) : settings_(std::move(settings)) {}

  ingest_outcome ingest(const payload& p, std::vector<game_event>& events) override {
    parse_result parsed = parse(reader_, p);
    // An empty configured token never matches (the schema requires one).
    const bool authorized = parsed.token && !settings_.token.empty()
                            && constant_time_equal(*parsed.token, settings_.token);
    auto outcome
        = detail::decide(parsed.status, reader_.malformed_detail(), authorized, reader_.problem());
    if (outcome.status != ingest_status::ok)
      return outcome;
    if (has_baseline_)
      diff(state_, parsed.snapshot, settings_, events);
    state_ = merge(std::move(state_), parsed.snapshot);
    has_baseline_ = true;
    return outcome;
  }

private:
  detail::diff_settings settings_;
  detail::body_reader reader_;
  state state_;
  bool has_baseline_ = false;
};

} // namespace

std::unique_ptr<adapter_session> make_cs2_session(detail::diff_settings settings) {
  return std::make_unique<session>(std::move(settings));
}

} // namespace gamelight::games::cs2
