#pragma once

/// Ordering a broker's own work after CAF's event loop applied its socket changes.

#include <caf/io/abstract_broker.hpp>

namespace gamelight::http {

/// Sends `atom::settled` to `self` so that it arrives in a later round of the
/// multiplexer's event loop than the round now running, i.e. once the loop applied the
/// socket changes `self` made in this round (reading started or stopped, a servant
/// started or removed).
///
/// CAF 0.17.6 applies such changes at the end of a round and squashes the start and
/// the removal of one socket made in the same round into nothing: the servant then
/// keeps the reference to itself that only its removal drops (a leak, and its socket
/// stays open). A delayed message is no guarantee of a later round: on a busy machine
/// the multiplexer thread can stay in one round for longer than any delay, and an exit
/// request from another thread can arrive within it too. `multiplexer::post`, called
/// from the loop's own thread, runs its function at the start of the next round.
void send_settled_next_round(caf::io::abstract_broker* self);

} // namespace gamelight::http
