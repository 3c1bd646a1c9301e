#pragma once

/// The session of a game whose adapter parses each body into a snapshot, checks the
/// body's token and fires what changed against the state merged from the earlier
/// payloads (cs2, dota2).

#include "adapters/games/game_adapter.hpp"
#include "adapters/games/json_reader.hpp"
#include "adapters/games/support.hpp"
#include "common/security.hpp"

#include <utility>
#include <vector>

namespace gamelight::games::detail {

/// `Parse` is the game's `parse(body_reader&, const payload&)`, whose result carries
/// `status`, `token` and `snapshot`; the game's `diff` and `merge` are found by
/// argument-dependent lookup on `State`.
template <class State, auto Parse>
class diffing_session final : public adapter_session {
public:
  explicit diffing_session(diff_settings settings) : settings_(std::move(settings)) {}

  ingest_outcome ingest(const payload& p, std::vector<game_event>& events) override {
    auto parsed = Parse(reader_, p);
    // An empty configured token never matches (the schema requires one).
    const bool authorized = parsed.token && !settings_.token.empty()
                            && constant_time_equal(*parsed.token, settings_.token);
    auto outcome = decide(parsed.status, reader_.malformed_detail(), authorized, reader_.problem());
    if (outcome.status != ingest_status::ok)
      return outcome;
    if (has_baseline_)
      diff(state_, parsed.snapshot, settings_, events);
    state_ = merge(std::move(state_), parsed.snapshot);
    has_baseline_ = true;
    return outcome;
  }

private:
  diff_settings settings_;
  body_reader reader_;
  State state_;
  bool has_baseline_ = false;
};

} // namespace gamelight::games::detail
