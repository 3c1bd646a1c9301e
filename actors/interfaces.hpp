#pragma once

/// Every typed actor interface of gamelight, its atoms and its message types.
/// Messages carry values; anything shared is `std::shared_ptr<const T>`. Callers (the
/// HTTP ingress brokers among them) use request/response: every answer is a value
/// message back to the requesting actor, so no thread ever waits for one.

#include "actors/messages.hpp"
#include "adapters/led/effects.hpp"
#include "common/json.hpp"
#include "common/model.hpp"

#include <caf/allowed_unsafe_message_type.hpp>
#include <caf/atom.hpp>
#include <caf/replies_to.hpp>
#include <caf/typed_actor.hpp>

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace gamelight::atom {

using play = caf::atom_constant<caf::atom("play")>;
using clear = caf::atom_constant<caf::atom("clear")>;
using frame = caf::atom_constant<caf::atom("frame")>;
using status = caf::atom_constant<caf::atom("status")>;
using configure = caf::atom_constant<caf::atom("configure")>;
using ingest = caf::atom_constant<caf::atom("ingest")>;
using rejected = caf::atom_constant<caf::atom("rejected")>;
using events = caf::atom_constant<caf::atom("events")>;
using targets = caf::atom_constant<caf::atom("targets")>;
using list = caf::atom_constant<caf::atom("list")>;
using get = caf::atom_constant<caf::atom("get")>;
using create = caf::atom_constant<caf::atom("create")>;
using update = caf::atom_constant<caf::atom("update")>;
using erase = caf::atom_constant<caf::atom("erase")>;
using backup = caf::atom_constant<caf::atom("backup")>;
using restore = caf::atom_constant<caf::atom("restore")>;
using upsert = caf::atom_constant<caf::atom("upsert")>;
using reset = caf::atom_constant<caf::atom("reset")>;
using test = caf::atom_constant<caf::atom("test")>;
using metrics = caf::atom_constant<caf::atom("metrics")>;
using integ = caf::atom_constant<caf::atom("integ")>;
using dev = caf::atom_constant<caf::atom("dev")>;
using ack = caf::atom_constant<caf::atom("ack")>;
using setup = caf::atom_constant<caf::atom("setup")>;
using probe = caf::atom_constant<caf::atom("probe")>;
using publish = caf::atom_constant<caf::atom("publish")>;
using subscribe = caf::atom_constant<caf::atom("subscribe")>;
using unsubscribe = caf::atom_constant<caf::atom("unsub")>;
using window = caf::atom_constant<caf::atom("window")>;
using link = caf::atom_constant<caf::atom("link")>;
using command = caf::atom_constant<caf::atom("command")>;
using sent = caf::atom_constant<caf::atom("sent")>;
using flush = caf::atom_constant<caf::atom("flush")>;
using ok = caf::atom_constant<caf::atom("ok")>;
using lookup = caf::atom_constant<caf::atom("lookup")>;
using replay = caf::atom_constant<caf::atom("replay")>;

} // namespace gamelight::atom

namespace gamelight {
struct metrics_targets;
} // namespace gamelight

// Messages never leave the process, so these need no serialization.
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(gamelight::outcome<gamelight::json>)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(gamelight::outcome<std::string>)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(gamelight::outcome<gamelight::integration>)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(gamelight::ingest_reply)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(gamelight::integration_metrics)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(gamelight::metrics_targets)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(gamelight::json)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(gamelight::shared_json)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(std::shared_ptr<const std::string>)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(gamelight::ingest_request)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(gamelight::integration_query)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(gamelight::led::effect)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(gamelight::game_event)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(gamelight::device)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(gamelight::integration)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(std::vector<gamelight::device>)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(std::vector<gamelight::integration>)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(gamelight::shared_bus_event)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(gamelight::bus_status)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(gamelight::mqtt_metrics)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(gamelight::shared_device_frame)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(std::vector<gamelight::shared_bus_event>)

namespace gamelight {

/// The PROBER actor interface: reads a WLED's facts from its JSON API (`GET /json/info`).
/// Spawned detached: every probe blocks on the network for up to 2 s.
using prober_actor = caf::typed_actor<
    // Answers the body of `POST /api/v1/devices/probe` for a host and port: `{"reachable":
    // true, "name", "version", "led_count", "mac"}` or `{"reachable": false, "detail"}`.
    caf::replies_to<atom::probe, std::string, std::uint16_t>::with<json>>;

/// What every subscriber of the event bus receives (the MQTT actor; SSE streams later).
using event_subscriber_actor = caf::typed_actor<
    // A recorded game event.
    caf::reacts_to<atom::publish, shared_bus_event>,
    // An integration's `connected` flipped, or it started with fresh counters.
    caf::reacts_to<atom::publish, bus_status>,
    // An integration was created or changed (committed).
    caf::reacts_to<atom::upsert, integration>,
    // An integration was deleted (committed).
    caf::reacts_to<atom::erase, std::string>>;

/// The EVENT BUS actor interface: fans recorded events, `connected` flips and
/// integration changes out to its subscribers. Publishers never wait for it.
using event_bus_actor = event_subscriber_actor::extend<
    // Adds a subscriber; it first gets every known integration and its last status.
    caf::replies_to<atom::subscribe, event_subscriber_actor>::with<atom::ok>,
    // Removes a subscriber (a subscriber that exits is removed as well).
    caf::reacts_to<atom::unsubscribe, event_subscriber_actor>>;

/// What watches a device's rendered frames (a live preview stream).
using frame_watcher_actor = caf::typed_actor<
    // The latest rendered frame, or the idle frame; sent only while someone watches.
    caf::reacts_to<atom::frame, shared_device_frame>>;

/// The DEVICE actor interface: one per LED target.
using device_actor = caf::typed_actor<
    // Layers an effect onto this device (an `off` effect clears its integration's).
    caf::reacts_to<atom::play, led::effect>,
    // Removes every effect of the given integration.
    caf::reacts_to<atom::clear, std::string>,
    // Applies a changed configuration (host, port, protocol, led_count, fps, ...).
    caf::reacts_to<atom::configure, device>,
    // Answers the status object of api.md.
    caf::replies_to<atom::status>::with<outcome<json>>,
    // Adds a watcher of the rendered frames; it gets the current frame at once.
    caf::reacts_to<atom::subscribe, frame_watcher_actor>,
    // Removes a watcher (one that exits is removed as well).
    caf::reacts_to<atom::unsubscribe, frame_watcher_actor>,
    // INTERNAL: renders and sends one frame.
    caf::reacts_to<atom::frame>>;

/// The INTEGRATION actor interface: one per game integration.
using integration_actor = caf::typed_actor<
    // Authenticates, parses and diffs one payload; plays the mapped effects.
    caf::replies_to<atom::ingest, ingest_request>::with<ingest_reply>,
    // Counts a payload refused before it reached the actor (413).
    caf::reacts_to<atom::rejected>,
    // Applies a configuration change that keeps the baseline (mappings, name, ...).
    caf::reacts_to<atom::configure, integration>,
    // Replaces the devices this integration drives.
    caf::reacts_to<atom::targets, std::vector<device_actor>>,
    // Answers the status object of api.md.
    caf::replies_to<atom::status>::with<outcome<json>>,
    // Answers the newest `limit` events.
    caf::replies_to<atom::events, std::size_t>::with<outcome<json>>,
    // Answers this integration's counters for /metrics.
    caf::replies_to<atom::metrics>::with<integration_metrics>,
    // Answers every event still in the ring with a `seq` above the given one, oldest first
    // (an event stream's `Last-Event-ID` replay).
    caf::replies_to<atom::events, atom::replay, std::uint64_t>::with<std::vector<shared_bus_event>>,
    // INTERNAL: the connected window may have passed without a payload.
    caf::reacts_to<atom::window>>;

/// Every live integration and device actor, for a /metrics scrape that the caller
/// fans out itself.
struct metrics_targets {
  std::vector<integration_actor> integrations;
  std::vector<device_actor> devices;
  /// The MQTT actor's last report; nullopt when MQTT is off.
  std::optional<mqtt_metrics> mqtt;
};

/// The REGISTRY actor interface: knows the live integration and device actors.
using registry_actor = caf::typed_actor<
    // Routes a payload to its integration (404 and disabled answered here).
    caf::replies_to<atom::ingest, std::string, ingest_request>::with<ingest_reply>,
    // Counts a refused payload (413); answers whether the integration exists.
    caf::replies_to<atom::rejected, std::string>::with<bool>,
    // Forwards a status request to the integration.
    caf::replies_to<atom::status, atom::integ, std::string>::with<outcome<json>>,
    // Forwards an events request to the integration.
    caf::replies_to<atom::events, std::string, std::size_t>::with<outcome<json>>,
    // Forwards a status request to the device.
    caf::replies_to<atom::status, atom::dev, std::string>::with<outcome<json>>,
    // Plays an effect on one device (`POST .../test`).
    caf::replies_to<atom::test, std::string, led::effect>::with<outcome<json>>,
    // Plays an event's mappings on an integration's devices as ingestion would, without
    // recording anything (`POST /game-integrations/{id}/test`): `{"played": [...]}`.
    caf::replies_to<atom::test, atom::integ, std::string, game_event>::with<outcome<json>>,
    // Answers the actors of the given integrations (all when none is given) for an event
    // stream, or 404 when one of them does not exist.
    caf::replies_to<atom::lookup, atom::integ,
                    std::vector<std::string>>::with<outcome<std::vector<integration_actor>>>,
    // Answers a device's actor for a frame stream, or 404.
    caf::replies_to<atom::lookup, atom::dev, std::string>::with<outcome<device_actor>>,
    // Answers every live actor for a /metrics scrape.
    caf::replies_to<atom::metrics>::with<metrics_targets>,
    // The MQTT actor's latest samples, included in the /metrics answer above.
    caf::reacts_to<atom::metrics, mqtt_metrics>,
    // A committed create or update of an integration.
    caf::reacts_to<atom::upsert, integration>,
    // A committed create or update of a device.
    caf::reacts_to<atom::upsert, device>,
    // A committed delete of an integration (gi_…) or a device (dev_…).
    caf::reacts_to<atom::erase, std::string>,
    // Replaces everything (start-up and restore).
    caf::reacts_to<atom::reset, std::vector<integration>, std::vector<device>>,
    // Answers the store's result of a write (delegated by the store) once the registry
    // applied what the store told it before, so the writer's next request sees the change.
    caf::replies_to<atom::ack, outcome<json>>::with<outcome<json>>>;

/// The STORE actor interface: the only owner of the database (detached).
using store_actor = caf::typed_actor<
    caf::replies_to<atom::list, atom::integ, integration_query>::with<outcome<json>>,
    caf::replies_to<atom::get, atom::integ, std::string>::with<outcome<json>>,
    caf::replies_to<atom::create, atom::integ, shared_json>::with<outcome<json>>,
    caf::replies_to<atom::update, atom::integ, std::string, shared_json>::with<outcome<json>>,
    caf::replies_to<atom::erase, atom::integ, std::string>::with<outcome<json>>,
    // Answers the raw integration (unmasked secrets) for the setup file.
    caf::replies_to<atom::setup, std::string>::with<outcome<integration>>,
    caf::replies_to<atom::list, atom::dev>::with<outcome<json>>,
    caf::replies_to<atom::get, atom::dev, std::string>::with<outcome<json>>,
    caf::replies_to<atom::create, atom::dev, shared_json>::with<outcome<json>>,
    caf::replies_to<atom::update, atom::dev, std::string, shared_json>::with<outcome<json>>,
    caf::replies_to<atom::erase, atom::dev, std::string>::with<outcome<json>>,
    // Answers a consistent snapshot of the database file.
    caf::replies_to<atom::backup>::with<outcome<std::string>>,
    // Validates and restores a backup, then resets the registry.
    caf::replies_to<atom::restore, std::shared_ptr<const std::string>>::with<outcome<json>>>;

/// The MQTT actor interface: owns the broker connection, subscribes to the event bus.
using mqtt_actor = event_subscriber_actor::extend<
    // INTERNAL (network thread): the broker accepted the connection (true) or it ended.
    caf::reacts_to<atom::link, bool>,
    // INTERNAL (network thread): a message arrived on a subscribed topic (topic, payload).
    caf::reacts_to<atom::command, std::string, std::string>,
    // INTERNAL (network thread): this many published messages left for the broker.
    caf::reacts_to<atom::sent, std::uint64_t>,
    // INTERNAL: publishes the states that changed since the last flush (rate limit).
    caf::reacts_to<atom::flush>>;

} // namespace gamelight

// Handles of the actors above, as answers.
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(gamelight::outcome<std::vector<gamelight::integration_actor>>)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(gamelight::outcome<gamelight::device_actor>)
