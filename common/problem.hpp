#pragma once

/// Client-visible failures in FastAPI's shape, and `outcome<T>`, the result type of
/// every operation that can fail with one.

#include "common/json.hpp"

#include <cstdint>
#include <string>
#include <utility>
#include <variant>
#include <vector>

namespace gamelight {

/// A failure a client sees: an HTTP status and the `detail` of its JSON body.
struct problem {
  int status = 500;
  /// A string, a 422 list of field errors, or an object (409 with references).
  json detail;
  /// Extra response headers, e.g. `WWW-Authenticate`.
  std::vector<std::pair<std::string, std::string>> headers;
  /// Set on 500 answers: the id under which the failure was logged.
  std::string request_id;

  /// Returns the JSON body `{"detail": ...}`.
  [[nodiscard]] json body() const;
};

/// One failing field of a 422 answer.
struct field_error {
  /// Path to the field, e.g. {"body", "event_mappings", 0, "color"}.
  json loc = json::array();
  std::string msg;
  /// Machine-readable kind, e.g. "missing", "int_type", "extra_forbidden".
  std::string type;
};

/// Factory functions for the problems of api.md's error table.
namespace problems {

/// 400 `{"detail": "malformed JSON: <what>"}`.
problem malformed_json(const std::string& what);
/// 400 with a free text.
problem bad_request(std::string detail);
/// 401; with `www_authenticate`, adds `WWW-Authenticate: Bearer`.
problem unauthorized(std::string detail, bool www_authenticate);
/// 404 `{"detail": "<what> not found"}`.
problem not_found(std::string detail);
/// 405 `{"detail": "Method Not Allowed"}`.
problem method_not_allowed();
/// 409 with a text detail.
problem conflict(std::string detail);
/// 413 `{"detail": "payload too large (limit N bytes)"}`.
problem too_large(std::size_t limit);
/// 422 with every failing field.
problem validation(std::vector<field_error> errors);
/// 422 with a single failing field.
problem validation(json loc, std::string msg, std::string type);
/// 503 `{"detail": "service unavailable: <why>"}`.
problem unavailable(const std::string& why);
/// 500 `{"detail": "internal error", "request_id": "..."}`.
problem internal(const std::string& request_id);

} // namespace problems

/// Either a value or the problem that prevented it.
template <class T>
class outcome {
public:
  outcome(T value) : data_(std::move(value)) {}

  outcome(problem error) : data_(std::move(error)) {}

  /// Returns whether this holds a value.
  [[nodiscard]] explicit operator bool() const noexcept {
    return data_.index() == 0;
  }

  [[nodiscard]] T& operator*() {
    return std::get<0>(data_);
  }

  [[nodiscard]] const T& operator*() const {
    return std::get<0>(data_);
  }

  [[nodiscard]] T* operator->() {
    return &std::get<0>(data_);
  }

  [[nodiscard]] const T* operator->() const {
    return &std::get<0>(data_);
  }

  /// Returns the problem; requires `!*this`.
  [[nodiscard]] const problem& error() const {
    return std::get<1>(data_);
  }

private:
  std::variant<T, problem> data_;
};

/// An outcome without a value.
struct done {};

} // namespace gamelight
