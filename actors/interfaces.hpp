#pragma once

/// Every typed actor interface of gamelight, its atoms and its message types.
/// Messages carry values; anything shared is `std::shared_ptr<const T>`.

#include "actors/reply.hpp"
#include "adapters/led/effects.hpp"
#include "common/json.hpp"
#include "common/model.hpp"

#include <caf/allowed_unsafe_message_type.hpp>
#include <caf/atom.hpp>
#include <caf/replies_to.hpp>
#include <caf/typed_actor.hpp>

#include <memory>
#include <string>
#include <vector>

namespace gamelight::atom {

using play = caf::atom_constant<caf::atom("play")>;
using clear = caf::atom_constant<caf::atom("clear")>;
using frame = caf::atom_constant<caf::atom("frame")>;
using status = caf::atom_constant<caf::atom("status")>;
using configure = caf::atom_constant<caf::atom("configure")>;

} // namespace gamelight::atom

// Messages never leave the process, so these need no serialization.
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(gamelight::reply<gamelight::json>)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(gamelight::led::effect)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(gamelight::device)

namespace gamelight {

/// The DEVICE actor interface: one per enabled LED target.
using device_actor = caf::typed_actor<
    // Layers an effect onto this device (an `off` effect clears its integration's).
    caf::reacts_to<atom::play, led::effect>,
    // Removes every effect of the given integration.
    caf::reacts_to<atom::clear, std::string>,
    // Applies a changed configuration (host, port, protocol, led_count, fps, ...).
    caf::reacts_to<atom::configure, device>,
    // Answers the status object of api.md.
    caf::reacts_to<atom::status, reply<json>>,
    // INTERNAL: renders and sends one frame.
    caf::reacts_to<atom::frame>>;

} // namespace gamelight
