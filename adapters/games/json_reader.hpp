#pragma once

/// Strict single-pass reading of a game payload with simdjson On-Demand.
///
/// On-Demand validates only what it visits: a value that is skipped is only
/// bracket-counted. `body_reader` therefore visits *every* value of the document,
/// either with a typed getter (the fields an adapter reads) or with `walk_value`
/// (everything else), so the verdict "malformed or not" is exact:
///
/// - stage 1 (run over the whole input by `iterate`) rejects invalid UTF-8,
///   unescaped control characters in strings and unclosed strings;
/// - every object and array is iterated to its end, which checks brackets, commas,
///   colons and keys; every key and string is unescaped (checks escapes); every
///   number is parsed (a number simdjson cannot represent, e.g. a 30-digit integer,
///   is checked against the RFC 8259 grammar instead, and must be finite as a
///   double: 1e400 is refused, like nlohmann::json does); `true`, `false`, `null`
///   are matched exactly;
/// - a root object or array must end on the input's last structural character, and
///   after the root value nothing but whitespace may follow;
/// - nesting deeper than `max_nesting` levels is refused as malformed (api.md:
///   ingestion → 400).
///
/// So: `malformed` if and only if the input is not one RFC 8259 JSON text of at most
/// `max_nesting` levels whose numbers fit a double (tests compare this verdict with
/// nlohmann::json::accept over every one-byte mutation of a fixture). Adapter-level problems (a
/// read field of the wrong type) are recorded without stopping the walk, so a later syntax error
/// still wins, as the ingestion order (malformed, then auth, then invalid) requires.

#include "adapters/games/game_adapter.hpp"

#include <simdjson.h>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace gamelight::games::detail {

namespace od = simdjson::ondemand;

/// Deepest nesting accepted (the root object is level 1).
inline constexpr int max_nesting = 64;

/// Returns whether `token` (without surrounding whitespace) is a JSON number.
[[nodiscard]] bool is_json_number(std::string_view token) noexcept;

/// Returns whether `token` is a JSON number whose value is finite as a double.
/// Numbers simdjson cannot represent (a 30-digit integer) pass; numbers that
/// overflow a double (1e400) fail, as they do in nlohmann::json, which the rest of
/// the daemon uses, so nothing accepted here is refused there.
[[nodiscard]] bool is_json_number_in_range(std::string_view token);

/// Returns `token` without trailing JSON whitespace.
[[nodiscard]] std::string_view trim_token(std::string_view token) noexcept;

/// Returns the key of `field` (unescaped only when it holds an escape, else a view of
/// the input), validating its escapes.
[[nodiscard]] simdjson::error_code field_key(od::field& field, std::string_view& key);

/// Visits `v` (at nesting level `level`) completely, validating it. When `out` is
/// not null, appends the value as compact JSON (keys and strings re-escaped, numbers
/// as written).
[[nodiscard]] simdjson::error_code walk_value(od::value v, int level, std::string* out);

/// How a document ended up, before the adapter looks at auth and problems.
enum class document_status {
  /// A valid JSON object; `problem` may still hold an adapter-level problem.
  object,
  /// Not valid JSON; `detail` holds the reason.
  malformed,
  /// Valid JSON, but not an object.
  not_object,
};

/// Turns a document status, an auth verdict and an adapter problem into the outcome,
/// in the order of api.md: malformed, then unauthorized, then invalid.
[[nodiscard]] ingest_outcome decide(document_status status, std::string_view malformed_detail,
                                    bool authorized, std::string_view problem);

/// The per-session parser: one reused simdjson parser, a reused copy buffer for
/// bodies without enough padding, and the first adapter-level problem seen.
class body_reader {
public:
  body_reader();

  /// Parses `p` and calls `on_field(key, value)` for each member of the root object
  /// (level 2 values), which must consume the value with one of the `read_*`
  /// members or `skip`. Returns the document status; `malformed_detail()` and
  /// `problem()` tell more. String views handed out stay valid until the next `read`.
  template <class F>
  [[nodiscard]] document_status read(const payload& p, F&& on_field);

  /// The reason for `document_status::malformed`, e.g. "malformed JSON: ...".
  [[nodiscard]] const std::string& malformed_detail() const noexcept {
    return malformed_;
  }

  /// The first adapter-level problem, e.g. "player.state.health must be an integer",
  /// or empty.
  [[nodiscard]] const std::string& problem() const noexcept {
    return problem_;
  }

  /// Records an adapter-level problem (only the first one is kept).
  void add_problem(std::string_view path, std::string_view what);

  /// Validates and ignores a value.
  [[nodiscard]] simdjson::error_code skip(od::value v, int level) {
    return walk_value(v, level, nullptr);
  }

  /// Reads an integer; anything else records "<path> must be an integer".
  [[nodiscard]] simdjson::error_code read_int(od::value v, int level, std::string_view path,
                                              std::optional<std::int64_t>& out);

  /// Reads a boolean; anything else records "<path> must be a boolean".
  [[nodiscard]] simdjson::error_code read_bool(od::value v, int level, std::string_view path,
                                               std::optional<bool>& out);

  /// Reads a string; anything else records "<path> must be a string" unless
  /// `quiet` (then `out` stays empty and nothing is recorded).
  [[nodiscard]] simdjson::error_code read_string(od::value v, int level, std::string_view path,
                                                 std::optional<std::string_view>& out,
                                                 bool quiet = false);

  /// Iterates an object value, calling `on_field(key, value, level + 1)`; a value
  /// that is not an object records "<path> must be an object" unless `quiet`.
  /// Sets `is_object` accordingly when given.
  template <class F>
  [[nodiscard]] simdjson::error_code read_object(od::value v, int level, std::string_view path,
                                                 F&& on_field, bool* is_object = nullptr,
                                                 bool quiet = false);

private:
  [[nodiscard]] simdjson::padded_string_view view_of(const payload& p);
  void set_malformed(simdjson::error_code e);
  [[nodiscard]] simdjson::error_code check_root_non_object(od::document& doc, od::json_type type);

  od::parser parser_;
  od::document doc_;
  std::string copy_;
  /// One past the last byte of the current input.
  const char* input_end_ = nullptr;
  std::string malformed_;
  std::string problem_;
};

// -- implementation of the templates ------------------------------------------------

template <class F>
simdjson::error_code body_reader::read_object(od::value v, int level, std::string_view path,
                                              F&& on_field, bool* is_object, bool quiet) {
  od::json_type type{};
  if (auto e = v.type().get(type))
    return e;
  if (type == od::json_type::object && level > max_nesting)
    return simdjson::DEPTH_ERROR;
  if (type != od::json_type::object) {
    if (is_object)
      *is_object = false;
    if (auto e = skip(v, level))
      return e;
    if (!quiet)
      add_problem(path, "must be an object");
    return simdjson::SUCCESS;
  }
  if (is_object)
    *is_object = true;
  od::object obj;
  if (auto e = v.get_object().get(obj))
    return e;
  for (auto member : obj) {
    od::field field;
    if (auto e = std::move(member).get(field))
      return e;
    std::string_view key;
    if (auto e = field_key(field, key))
      return e;
    if (auto e = on_field(key, field.value(), level + 1))
      return e;
  }
  return simdjson::SUCCESS;
}

template <class F>
document_status body_reader::read(const payload& p, F&& on_field) {
  malformed_.clear();
  problem_.clear();
  if (p.size == 0 || p.data == nullptr) {
    malformed_ = "malformed JSON: empty body";
    return document_status::malformed;
  }
  if (auto e = parser_.iterate(view_of(p)).get(doc_)) {
    set_malformed(e);
    return document_status::malformed;
  }
  od::json_type type{};
  if (auto e = doc_.type().get(type)) {
    set_malformed(e);
    return document_status::malformed;
  }
  if (type != od::json_type::object) {
    if (auto e = check_root_non_object(doc_, type)) {
      set_malformed(e);
      return document_status::malformed;
    }
    return document_status::not_object;
  }
  od::object root;
  if (auto e = doc_.get_object().get(root)) {
    set_malformed(e);
    return document_status::malformed;
  }
  for (auto member : root) {
    od::field field;
    std::string_view key;
    simdjson::error_code e = std::move(member).get(field);
    if (!e)
      e = field_key(field, key);
    if (!e)
      e = on_field(key, field.value(), 2);
    if (e) {
      set_malformed(e);
      return document_status::malformed;
    }
  }
  // Only whitespace may follow the root value.
  if (const char* rest = nullptr; !doc_.current_location().get(rest)) {
    malformed_ = "malformed JSON: unexpected content after the JSON value";
    return document_status::malformed;
  }
  return document_status::object;
}

} // namespace gamelight::games::detail
