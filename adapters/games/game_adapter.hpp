#pragma once

/// The game adapter interface: a stateless descriptor per game (metadata, config
/// schema, setup file) that creates one `adapter_session` per integration. A session
/// holds that integration's parser and previous snapshot and turns payloads into
/// events. No actor code here: everything is pure and tested directly.

#include "common/json.hpp"
#include "common/model.hpp"

#include <cstddef>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace gamelight::games {

/// How a game proves it may post to an integration.
enum class auth_style {
  /// `auth.token` inside the JSON body (CS2, Dota 2).
  body_token,
  /// `X-Game-Token` or `Authorization: Bearer` header (generic).
  header_token,
};

/// Returns "body_token" or "header_token".
std::string_view to_string(auth_style x);

/// One entry of an adapter's `supported_events`.
struct event_description {
  std::string_view event_type;
  std::string_view description;
};

/// One game payload as received over HTTP.
struct payload {
  /// The JSON text. The memory behind it stays readable up to `capacity` bytes
  /// (simdjson needs SIMDJSON_PADDING bytes past the end); a session copies the
  /// body when `capacity - size` is too small.
  const char* data = nullptr;
  std::size_t size = 0;
  std::size_t capacity = 0;
  /// The token from `X-Game-Token` or `Authorization: Bearer`, empty if none.
  std::string_view header_token;
};

/// The result of `adapter_session::ingest`.
enum class ingest_status {
  /// Accepted; events were appended and the payload is the new baseline.
  ok,
  /// Not valid JSON (HTTP 400).
  malformed,
  /// Token missing or wrong, or JSON that is not an object (HTTP 401).
  unauthorized,
  /// Valid and authenticated, but the adapter refuses it (HTTP 422).
  invalid,
};

struct ingest_outcome {
  ingest_status status = ingest_status::ok;
  /// A human-readable reason for a refusal (never contains the token).
  std::string detail;
};

/// The per-integration state of an adapter: its parser, config and last snapshot.
/// Not thread-safe; owned by exactly one integration actor.
class adapter_session {
public:
  virtual ~adapter_session() = default;

  /// Authenticates, parses and diffs one payload, in the order of api.md: malformed
  /// JSON first, then auth, then adapter validation. On `ok`, appends the events in
  /// the adapter's table order to `events` and keeps the payload as the new baseline.
  /// On any refusal it changes nothing and appends nothing.
  virtual ingest_outcome ingest(const payload& p, std::vector<game_event>& events) = 0;
};

/// Strings a setup file is generated from.
struct setup_context {
  /// The integration's id, e.g. "gi_3f9a0c1e".
  std::string integration_id;
  std::string integration_name;
  /// Absolute ingestion URL, e.g. "http://127.0.0.1:8420/api/v1/game-integrations/gi_.../event".
  std::string event_url;
  /// The stored adapter_config (real secrets, not masked).
  json adapter_config;
};

/// A generated game-side configuration file.
struct setup_file {
  /// Suggested file name, e.g. "gamestate_integration_gamelight_gi_3f9a0c1e.cfg".
  std::string filename;
  /// The file's content (text/plain).
  std::string text;
};

/// A game adapter: stateless and shared by every integration of its type.
class game_adapter {
public:
  virtual ~game_adapter() = default;

  /// "cs2", "dota2", "generic".
  [[nodiscard]] virtual std::string_view adapter_type() const = 0;

  [[nodiscard]] virtual std::string_view display_name() const = 0;

  [[nodiscard]] virtual std::string_view description() const = 0;

  [[nodiscard]] virtual auth_style auth() const = 0;

  /// The events this adapter emits, in its table order (empty for `generic`).
  [[nodiscard]] virtual std::span<const event_description> supported_events() const = 0;

  /// The JSON Schema (draft 2020-12 subset) that `adapter_config` must satisfy.
  [[nodiscard]] virtual const json& config_schema() const = 0;

  /// Returns whether an event mapping may use `event_type`, given a valid config.
  [[nodiscard]] virtual bool accepts_event_type(std::string_view event_type,
                                                const json& adapter_config) const = 0;

  /// Creates a fresh session (empty baseline) for a valid `adapter_config`.
  [[nodiscard]] virtual std::unique_ptr<adapter_session>
  make_session(const json& adapter_config) const = 0;

  /// Generates the game-side setup file.
  [[nodiscard]] virtual setup_file make_setup_file(const setup_context& ctx) const = 0;
};

/// Returns the built-in adapters in a fixed order: cs2, dota2, generic.
std::span<const game_adapter* const> all_adapters();

/// Returns the adapter of the given type, or nullptr.
const game_adapter* find_adapter(std::string_view adapter_type);

/// The JSON Schema `pattern` every generic event name must match.
inline constexpr std::string_view generic_event_name_pattern = "^[a-z0-9_.-]{1,64}$";

/// Returns whether `name` matches `generic_event_name_pattern` (1-64 characters of
/// `a-z`, `0-9`, `_`, `.`, `-`).
[[nodiscard]] bool is_generic_event_name(std::string_view name) noexcept;

/// Most events a single generic payload may carry.
inline constexpr std::size_t generic_max_events = 64;

} // namespace gamelight::games
