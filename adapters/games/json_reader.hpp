#pragma once

/// Exact reading of a game payload: "malformed or not" is decided for the whole
/// document, then the adapter reads its fields.
///
/// Two parsers, one verdict. `body_reader::read` first parses the body with a reused
/// simdjson DOM parser. Its stages 1 and 2 validate the entire document (UTF-8,
/// strings and escapes, every number, `true`/`false`/`null`, brackets, commas,
/// colons, nothing but whitespace after the root value, nesting of at most
/// `max_nesting` levels) into a tape, with runtime-selected SIMD kernels; the adapter
/// then reads its fields from the tape. It is the fast path: the DOM parser only
/// succeeds on a valid JSON text. When it fails, or the body is larger than
/// `tape_max_bytes`, the strict On-Demand walk below decides instead, so every verdict
/// and every malformed detail is the strict walk's. (The DOM parser also refuses valid
/// JSON: integers beyond 64 bits, e.g. a 30-digit one, which the strict walk accepts.)
///
/// The strict walk (`read_strict`, also used directly by the generic adapter, which
/// needs numbers as written) visits *every* value of the document with On-Demand,
/// either with a typed getter (the fields an adapter reads) or with `walk_value`
/// (everything else), because On-Demand validates only what it visits (a skipped
/// value is only bracket-counted):
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
/// nlohmann::json::accept over every one-byte mutation of a fixture, and the fast path
/// with the strict walk). Adapter-level problems (a read field of the wrong type) are
/// recorded without stopping the strict walk, so a later syntax error still wins, as
/// the ingestion order (malformed, then auth, then invalid) requires; on the fast path
/// the document is already known to be valid when the first field is read.

#include "adapters/games/game_adapter.hpp"

#include <simdjson.h>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace gamelight::games::detail {

namespace od = simdjson::ondemand;
namespace dom = simdjson::dom;

/// Deepest nesting accepted (the root object is level 1).
inline constexpr int max_nesting = 64;

/// Largest body the DOM fast path parses; larger ones take the strict walk. Bounds the
/// DOM parser's memory per session (about 14 bytes per byte of capacity).
inline constexpr std::size_t tape_max_bytes = 64 * 1024;

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

/// The per-session parser: a reused simdjson DOM parser (fast path) and On-Demand
/// parser (strict walk), a reused copy buffer for bodies without enough padding, and
/// the first adapter-level problem seen. Once their capacity fits the payloads, reading
/// allocates nothing. Not thread-safe.
class body_reader {
public:
  body_reader();

  /// Parses `p` and calls `on_field(key, value, level)` for each member of the root
  /// object (level 2 values), which must consume the value with one of the `read_*`
  /// members or `skip`. `on_field` must accept both a `dom::element` (fast path) and
  /// an `od::value` (strict walk; see the file comment), and do the same with either.
  /// Returns the document status; `malformed_detail()` and `problem()` tell more.
  /// String views handed out stay valid until the next `read`.
  template <class F>
  [[nodiscard]] document_status read(const payload& p, F&& on_field);

  /// Like `read`, but always with the strict On-Demand walk (`on_field` gets
  /// `od::value`s only), for readers that need the raw text of values.
  template <class F>
  [[nodiscard]] document_status read_strict(const payload& p, F&& on_field);

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

  /// The same readers on the fast path: the tape holds a valid document, so
  /// nothing is left to check and they never fail; `level` is not needed.
  [[nodiscard]] simdjson::error_code skip(dom::element, int) {
    return simdjson::SUCCESS;
  }
  [[nodiscard]] simdjson::error_code read_int(dom::element v, int level, std::string_view path,
                                              std::optional<std::int64_t>& out);
  [[nodiscard]] simdjson::error_code read_bool(dom::element v, int level, std::string_view path,
                                               std::optional<bool>& out);
  [[nodiscard]] simdjson::error_code read_string(dom::element v, int level, std::string_view path,
                                                 std::optional<std::string_view>& out,
                                                 bool quiet = false);
  template <class F>
  [[nodiscard]] simdjson::error_code read_object(dom::element v, int level, std::string_view path,
                                                 F&& on_field, bool* is_object = nullptr,
                                                 bool quiet = false);

private:
  [[nodiscard]] simdjson::padded_string_view view_of(const payload& p);
  /// The strict walk over an already padded input.
  template <class F>
  [[nodiscard]] document_status walk_strict(simdjson::padded_string_view input, F&& on_field);
  void set_malformed(simdjson::error_code e);
  [[nodiscard]] simdjson::error_code check_root_non_object(od::document& doc, od::json_type type);

  dom::parser tape_;
  /// Whether `tape_` is allocated with a max depth of `max_nesting` (else every
  /// body takes the strict walk).
  bool tape_ready_ = false;
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
simdjson::error_code body_reader::read_object(dom::element v, int, std::string_view path,
                                              F&& on_field, bool* is_object, bool quiet) {
  dom::object obj;
  if (v.get_object().get(obj)) {
    if (is_object)
      *is_object = false;
    if (!quiet)
      add_problem(path, "must be an object");
    return simdjson::SUCCESS;
  }
  if (is_object)
    *is_object = true;
  for (const dom::key_value_pair field : obj) {
    if (auto e = on_field(field.key, field.value, 0))
      return e;
  }
  return simdjson::SUCCESS;
}

template <class F>
document_status body_reader::read(const payload& p, F&& on_field) {
  if (!tape_ready_ || p.size == 0 || p.data == nullptr || p.size > tape_max_bytes)
    return read_strict(p, on_field);
  malformed_.clear();
  problem_.clear();
  const simdjson::padded_string_view input = view_of(p);
  dom::element root;
  if (tape_.parse(input.data(), input.length(), false).get(root))
    return walk_strict(input, on_field); // invalid, or valid beyond the tape (big integers)
  dom::object obj;
  if (root.get_object().get(obj))
    return document_status::not_object;
  for (const dom::key_value_pair field : obj) {
    if (auto e = on_field(field.key, field.value, 2)) {
      set_malformed(e);
      return document_status::malformed;
    }
  }
  return document_status::object;
}

template <class F>
document_status body_reader::read_strict(const payload& p, F&& on_field) {
  malformed_.clear();
  problem_.clear();
  if (p.size == 0 || p.data == nullptr) {
    malformed_ = "malformed JSON: empty body";
    return document_status::malformed;
  }
  return walk_strict(view_of(p), on_field);
}

template <class F>
document_status body_reader::walk_strict(simdjson::padded_string_view input, F&& on_field) {
  malformed_.clear();
  problem_.clear();
  input_end_ = input.data() + input.length();
  if (auto e = parser_.iterate(input).get(doc_)) {
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
