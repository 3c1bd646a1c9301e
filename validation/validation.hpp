#pragma once

/// Request validation for the configuration (cold) path: request bodies → model
/// values with FastAPI/pydantic-v2-style 422 lists, model values → API JSON (secrets
/// masked), the adapter metadata document and the OpenAPI document.
///
/// Everything here is pure: no actors, no I/O, no exceptions escaping. The rules are
/// those of api.md (validation tables and "Clarifications"):
/// - strict types: no coercion (`"true"` is not a boolean, `50.0` is not an integer,
///   `true` is not a number);
/// - every failing field is reported, in the order of the model's fields, followed by
///   unknown keys in body order;
/// - `loc` paths start with "body" and use integers for array indexes;
/// - `null` is never accepted for a field (not even on PUT, where absence means
///   "keep").

#include "common/json.hpp"
#include "common/model.hpp"
#include "common/problem.hpp"

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace gamelight::validation {

// -- limits and constants -------------------------------------------------------

/// JSON nesting deeper than this is refused on CRUD routes (422).
inline constexpr std::size_t default_max_depth = 64;

/// How secrets (`writeOnly` adapter_config fields) are shown in responses.
inline constexpr std::string_view secret_mask = "********";

/// At most this many event mappings per integration.
inline constexpr std::size_t max_event_mappings = 64;

/// At most this many tags per integration.
inline constexpr std::size_t max_tags = 32;

/// At most this many zones per device.
inline constexpr std::size_t max_zones = 32;

/// What zone names (and mapping `zone` values) must match.
inline constexpr const char* zone_pattern = "^[a-z0-9_-]{1,32}$";

// -- request bodies -------------------------------------------------------------

/// Returns whether `text` nests arrays/objects deeper than `max_depth` levels (a bare
/// scalar is depth 0, `[]` is depth 1). A linear scan that skips string contents; it
/// does not validate the JSON otherwise and never recurses, so it is safe on hostile
/// input (the ingestion route uses it to answer 400).
[[nodiscard]] bool nesting_exceeds(std::string_view text, std::size_t max_depth) noexcept;

/// Returns the byte offset of the first invalid UTF-8 sequence in `text` (overlong
/// forms, surrogates and code points above U+10FFFF are invalid), or `npos`.
[[nodiscard]] std::size_t find_invalid_utf8(std::string_view text) noexcept;

/// Parses a request body.
/// - empty (or only whitespace), invalid UTF-8, or invalid JSON →
///   400 `problems::malformed_json("<what> at line L, column C")`;
/// - nesting deeper than `max_depth` → 422 `[{"loc": ["body"], "type": "too_deep"}]`,
///   checked first with `nesting_exceeds`, so deep input never reaches the parser.
/// Objects keep their keys in the order sent; a repeated key keeps its first position
/// and its last value.
[[nodiscard]] outcome<json> parse_body(std::string_view body,
                                       std::size_t max_depth = default_max_depth);

// -- game integrations ----------------------------------------------------------

/// Validates a POST body and returns the new integration with every default filled
/// in. `id`, `created_at` and `updated_at` are left empty/zero for the store to set.
/// The mask `"********"` for a secret is refused (422).
[[nodiscard]] outcome<integration> integration_from_create(const json& body);

/// Validates a PUT body (a partial update: every field optional, present fields
/// replace) against `current` and returns the merged integration, revalidated as a
/// whole (a new `adapter_type` must accept the resulting `adapter_config` and
/// `event_mappings`). `adapter_config`, when present, replaces the whole object; a
/// secret sent as `"********"` keeps the stored value (422 when there is none).
/// `id` and timestamps are copied from `current`, not bumped.
[[nodiscard]] outcome<integration> integration_from_update(const integration& current,
                                                           const json& body);

/// Returns the API object of an integration, fields in api.md order, secrets masked.
[[nodiscard]] json to_json(const integration& x);

/// Returns the API object of one event mapping.
[[nodiscard]] json to_json(const event_mapping& x);

/// Returns a copy of `config` with every field that `schema` marks `"writeOnly": true`
/// (recursively through `properties`) replaced by `"********"`.
[[nodiscard]] json mask_secrets(const json& config, const json& schema);

/// Validates the body of `POST /api/v1/game-integrations/{id}/test`: `event_type` a
/// string (required), `data` an object (default `{}`), nothing else. Returns the event
/// as an adapter would have produced it (`fraction` and `countdown_ms` read from `data`).
/// Whether the integration's adapter supports the event is `check_test_event_type`'s job.
[[nodiscard]] outcome<game_event> mapping_test_from_body(const json& body);

/// Returns the 422 (`loc` `["body", "event_type"]`, as for a mapping) for an event type
/// the integration's adapter does not support; none when it does.
[[nodiscard]] std::optional<problem> check_test_event_type(const integration& target,
                                                           const std::string& event_type);

// -- devices --------------------------------------------------------------------

/// Validates a POST body and returns the new device with defaults filled in (the
/// port defaults to the protocol's standard port when absent). `integration_ids` are
/// checked for syntax and duplicates only; their existence is the store's job.
[[nodiscard]] outcome<device> device_from_create(const json& body);

/// Validates a PUT body against `current` and returns the merged device. Fields not
/// sent are kept, the port included, even when the protocol changes.
[[nodiscard]] outcome<device> device_from_update(const device& current, const json& body);

/// Returns the API object of a device, fields in api.md order.
[[nodiscard]] json to_json(const device& x);

/// Returns the API object of one zone.
[[nodiscard]] json to_json(const zone& x);

/// Returns whether `host` is an IPv4 literal, an IPv6 literal (no brackets, no zone)
/// or a syntactically valid hostname (LDH labels of 1-63 chars, optional trailing
/// dot, last label not all digits), 1-253 chars.
[[nodiscard]] bool valid_host(std::string_view host) noexcept;

/// Validates the optional body of `POST /api/v1/devices/{id}/test`. A null or empty
/// value (no body) gives the default test effect: a 1 s white `flash` at intensity 1,
/// priority 100. Otherwise an object with optional `effect`, `color`, `duration_ms`,
/// `intensity`, `priority`, `zone` (same rules as event mappings); `event_type` is
/// "test". Whether the device has the zone is `check_test_zone`'s job.
[[nodiscard]] outcome<event_mapping> test_effect_from_body(const json& body);

/// Returns the 422 (`loc` `["body", "zone"]`) for a test effect whose zone `target` lacks;
/// none when the effect has no zone (the whole strip) or the device has it.
[[nodiscard]] std::optional<problem> check_test_zone(const device& target,
                                                     const std::optional<std::string>& zone);

/// The body of `POST /api/v1/devices/probe`.
struct probe_request {
  std::string host;
  std::uint16_t port = 80;
};

/// Validates the body of `POST /api/v1/devices/probe`: `host` required (a valid host as
/// for devices, 1-253 chars), `port` an integer 1-65535 (default 80), nothing else.
[[nodiscard]] outcome<probe_request> probe_request_from_body(const json& body);

// -- metadata -------------------------------------------------------------------

/// Returns the body of `GET /api/v1/game-adapters`: `{"adapters": [...], "count": N}`.
[[nodiscard]] json adapters_document();

/// Validates `value` against `schema` (the JSON Schema subset of api.md: type,
/// properties, required, additionalProperties, enum, minimum, maximum, minLength,
/// maxLength, items, pattern, uniqueItems; also minItems, maxItems) and appends one
/// `field_error` per failure, each `loc` starting with `loc`. Integers must be JSON
/// integers; lengths count Unicode code points.
void validate_schema(const json& value, const json& schema, json loc,
                     std::vector<field_error>& errors);

/// Returns the OpenAPI 3.1 document of every `/api/v1` route and `/metrics`.
[[nodiscard]] json openapi_document(std::string_view version);

} // namespace gamelight::validation
