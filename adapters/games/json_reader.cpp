#include "adapters/games/json_reader.hpp"

#include "adapters/games/support.hpp"

#include <cmath>
#include <cstdlib>

namespace gamelight::games::detail {

namespace {

[[nodiscard]] bool is_digit(char c) noexcept {
  return c >= '0' && c <= '9';
}

/// Returns whether `token` (a string token with its quotes) holds a backslash.
[[nodiscard]] bool has_backslash(std::string_view token) noexcept {
  return token.find('\\') != std::string_view::npos;
}

/// Checks and consumes a scalar. Each scalar must be consumed with a getter: an
/// unconsumed value is skipped by bracket counting, which would let stray tokens
/// after it pass. Stage 1 has already checked every string (closed, valid UTF-8, no
/// raw control characters), so a string without a backslash is consumed raw and only
/// one with escapes is unescaped. Appends the value to `out` when given.
[[nodiscard]] simdjson::error_code check_scalar(od::value& v, od::json_type type,
                                                std::string* out) {
  const std::string_view token = trim_token(v.raw_json_token());
  switch (type) {
    case od::json_type::string: {
      if (has_backslash(token)) {
        std::string_view s;
        if (auto e = v.get_string().get(s))
          return e;
        if (out)
          append_json_string(*out, s);
        return simdjson::SUCCESS;
      }
      od::raw_json_string raw;
      if (auto e = v.get_raw_json_string().get(raw))
        return e;
      break;
    }
    case od::json_type::number: {
      od::number n;
      if (auto e = v.get_number().get(n); e && !is_json_number_in_range(token))
        return e;
      break;
    }
    case od::json_type::boolean: {
      bool b = false;
      if (auto e = v.get_bool().get(b))
        return e;
      break;
    }
    case od::json_type::null: {
      bool is_null = false;
      if (auto e = v.is_null().get(is_null))
        return e;
      if (!is_null)
        return simdjson::N_ATOM_ERROR;
      break;
    }
    case od::json_type::object:
    case od::json_type::array:
      return simdjson::TAPE_ERROR;
  }
  if (out)
    *out += token;
  return simdjson::SUCCESS;
}

} // namespace

simdjson::error_code field_key(od::field& field, std::string_view& key) {
  // The raw key lies in the input, between the quotes; stage 1 checked all but its
  // escapes, so only a key with a backslash is unescaped (which validates it).
  const char* start = field.key().raw();
  const char* p = start;
  bool escaped = false;
  while (*p != '"') {
    if (*p == '\\') {
      escaped = true;
      ++p;
    }
    ++p;
  }
  if (!escaped) {
    key = std::string_view(start, static_cast<std::size_t>(p - start));
    return simdjson::SUCCESS;
  }
  return field.unescaped_key().get(key);
}

bool is_json_number(std::string_view t) noexcept {
  std::size_t i = 0;
  auto digits = [&] {
    std::size_t start = i;
    while (i < t.size() && is_digit(t[i]))
      ++i;
    return i > start;
  };
  if (i < t.size() && t[i] == '-')
    ++i;
  if (i < t.size() && t[i] == '0')
    ++i;
  else if (!digits())
    return false;
  if (i < t.size() && t[i] == '.') {
    ++i;
    if (!digits())
      return false;
  }
  if (i < t.size() && (t[i] == 'e' || t[i] == 'E')) {
    ++i;
    if (i < t.size() && (t[i] == '+' || t[i] == '-'))
      ++i;
    if (!digits())
      return false;
  }
  return i == t.size();
}

bool is_json_number_in_range(std::string_view token) {
  if (!is_json_number(token))
    return false;
  const std::string copy(token);
  return std::isfinite(std::strtod(copy.c_str(), nullptr));
}

std::string_view trim_token(std::string_view token) noexcept {
  while (!token.empty()) {
    char c = token.back();
    if (c != ' ' && c != '\t' && c != '\n' && c != '\r')
      break;
    token.remove_suffix(1);
  }
  return token;
}

simdjson::error_code walk_value(od::value v, int level, std::string* out) {
  od::json_type type{};
  if (auto e = v.type().get(type))
    return e;
  switch (type) {
    case od::json_type::object: {
      if (level > max_nesting)
        return simdjson::DEPTH_ERROR;
      od::object obj;
      if (auto e = v.get_object().get(obj))
        return e;
      if (out)
        *out += '{';
      bool first = true;
      for (auto member : obj) {
        od::field field;
        if (auto e = std::move(member).get(field))
          return e;
        std::string_view key;
        if (auto e = field_key(field, key))
          return e;
        if (out) {
          if (!first)
            *out += ',';
          append_json_string(*out, key);
          *out += ':';
        }
        first = false;
        if (auto e = walk_value(field.value(), level + 1, out))
          return e;
      }
      if (out)
        *out += '}';
      return simdjson::SUCCESS;
    }
    case od::json_type::array: {
      if (level > max_nesting)
        return simdjson::DEPTH_ERROR;
      od::array arr;
      if (auto e = v.get_array().get(arr))
        return e;
      if (out)
        *out += '[';
      bool first = true;
      for (auto element : arr) {
        od::value item;
        if (auto e = std::move(element).get(item))
          return e;
        if (out && !first)
          *out += ',';
        first = false;
        if (auto e = walk_value(item, level + 1, out))
          return e;
      }
      if (out)
        *out += ']';
      return simdjson::SUCCESS;
    }
    case od::json_type::string:
    case od::json_type::number:
    case od::json_type::boolean:
    case od::json_type::null:
      return check_scalar(v, type, out);
  }
  return simdjson::TAPE_ERROR;
}

ingest_outcome decide(document_status status, std::string_view malformed_detail, bool authorized,
                      std::string_view problem) {
  switch (status) {
    case document_status::malformed:
      return {ingest_status::malformed, std::string(malformed_detail)};
    case document_status::not_object:
      return {ingest_status::unauthorized, "invalid or missing token"};
    case document_status::object:
      break;
  }
  if (!authorized)
    return {ingest_status::unauthorized, "invalid or missing token"};
  if (!problem.empty())
    return {ingest_status::invalid, std::string(problem)};
  return {};
}

body_reader::body_reader() : tape_(tape_max_bytes) {
  // Allocating once avoids a reallocation per growing payload. The DOM parser
  // refuses nesting deeper than `max_nesting` (the strict walk then reports it,
  // with a clearer message); it grows on demand and keeps that depth. If this first
  // allocation fails, it would later allocate with simdjson's default depth (1024),
  // so the fast path stays off. The On-Demand parser keeps its default max depth:
  // the walk enforces `max_nesting`; on failure, iterate() allocates on demand.
  tape_ready_ = !tape_.allocate(16 * 1024, max_nesting) && tape_.max_depth() == max_nesting;
  if (auto e = parser_.allocate(16 * 1024))
    static_cast<void>(e);
}

simdjson::padded_string_view body_reader::view_of(const payload& p) {
  if (p.capacity >= p.size + simdjson::SIMDJSON_PADDING)
    return simdjson::padded_string_view(p.data, p.size, p.capacity);
  copy_.assign(p.data, p.size);
  copy_.reserve(p.size + simdjson::SIMDJSON_PADDING);
  return simdjson::padded_string_view(copy_.data(), copy_.size(), copy_.capacity());
}

void body_reader::set_malformed(simdjson::error_code e) {
  malformed_ = "malformed JSON: ";
  if (e == simdjson::DEPTH_ERROR)
    malformed_ += "nesting deeper than 64 levels";
  else
    malformed_ += simdjson::error_message(e);
}

simdjson::error_code body_reader::check_root_non_object(od::document& doc, od::json_type type) {
  if (type == od::json_type::array) {
    od::array arr;
    if (auto e = doc.get_array().get(arr))
      return e;
    for (auto element : arr) {
      od::value item;
      if (auto e = std::move(element).get(item))
        return e;
      if (auto e = walk_value(item, 2, nullptr))
        return e;
    }
    if (const char* rest = nullptr; !doc.current_location().get(rest))
      return simdjson::TRAILING_CONTENT;
    return simdjson::SUCCESS;
  }
  // A scalar document: its raw token (with the whitespace after it) must reach the
  // end of the input. (simdjson 3.0.1's root is_null() refuses "null " with a
  // trailing space, so atoms are compared on the token itself.)
  std::string_view raw;
  if (auto e = doc.raw_json_token().get(raw))
    return e;
  const std::string_view token = trim_token(raw);
  switch (type) {
    case od::json_type::string: {
      std::string_view s;
      if (auto e = doc.get_string().get(s))
        return e;
      break;
    }
    case od::json_type::number: {
      od::number n;
      if (auto e = doc.get_number().get(n); e && !is_json_number_in_range(token))
        return e;
      break;
    }
    case od::json_type::boolean:
      if (token != "true" && token != "false")
        return simdjson::T_ATOM_ERROR;
      break;
    case od::json_type::null:
      if (token != "null")
        return simdjson::N_ATOM_ERROR;
      break;
    case od::json_type::object:
    case od::json_type::array:
      break;
  }
  if (raw.data() + raw.size() != input_end_)
    return simdjson::TRAILING_CONTENT;
  return simdjson::SUCCESS;
}

void body_reader::add_problem(std::string_view path, std::string_view what) {
  if (!problem_.empty())
    return;
  problem_.assign(path);
  problem_ += ' ';
  problem_ += what;
}

simdjson::error_code body_reader::read_int(od::value v, int level, std::string_view path,
                                           std::optional<std::int64_t>& out) {
  od::json_type type{};
  if (auto e = v.type().get(type))
    return e;
  if (type == od::json_type::number) {
    std::string_view token = trim_token(v.raw_json_token());
    od::number n;
    if (auto e = v.get_number().get(n)) {
      if (!is_json_number_in_range(token))
        return e;
      add_problem(path, "must be an integer in range");
      return simdjson::SUCCESS;
    }
    if (n.is_int64())
      out = n.get_int64();
    else
      add_problem(path, n.is_double() ? "must be an integer" : "must be an integer in range");
    return simdjson::SUCCESS;
  }
  if (auto e = skip(v, level))
    return e;
  add_problem(path, "must be an integer");
  return simdjson::SUCCESS;
}

simdjson::error_code body_reader::read_bool(od::value v, int level, std::string_view path,
                                            std::optional<bool>& out) {
  od::json_type type{};
  if (auto e = v.type().get(type))
    return e;
  if (type == od::json_type::boolean) {
    bool b = false;
    if (auto e = v.get_bool().get(b))
      return e;
    out = b;
    return simdjson::SUCCESS;
  }
  if (auto e = skip(v, level))
    return e;
  add_problem(path, "must be a boolean");
  return simdjson::SUCCESS;
}

simdjson::error_code body_reader::read_string(od::value v, int level, std::string_view path,
                                              std::optional<std::string_view>& out, bool quiet) {
  od::json_type type{};
  if (auto e = v.type().get(type))
    return e;
  if (type == od::json_type::string) {
    std::string_view s;
    if (auto e = v.get_string().get(s))
      return e;
    out = s;
    return simdjson::SUCCESS;
  }
  if (auto e = skip(v, level))
    return e;
  if (!quiet)
    add_problem(path, "must be a string");
  return simdjson::SUCCESS;
}

simdjson::error_code body_reader::read_int(dom::element v, int, std::string_view path,
                                           std::optional<std::int64_t>& out) {
  // The tape types numbers as the strict walk's get_number() does (same parser).
  switch (v.type()) {
    case dom::element_type::INT64:
      out = v.get_int64().value_unsafe();
      break;
    case dom::element_type::UINT64:
      add_problem(path, "must be an integer in range");
      break;
    default:
      add_problem(path, "must be an integer");
      break;
  }
  return simdjson::SUCCESS;
}

simdjson::error_code body_reader::read_bool(dom::element v, int, std::string_view path,
                                            std::optional<bool>& out) {
  bool b = false;
  if (v.get_bool().get(b))
    add_problem(path, "must be a boolean");
  else
    out = b;
  return simdjson::SUCCESS;
}

simdjson::error_code body_reader::read_string(dom::element v, int, std::string_view path,
                                              std::optional<std::string_view>& out, bool quiet) {
  std::string_view s;
  if (v.get_string().get(s)) {
    if (!quiet)
      add_problem(path, "must be a string");
  } else {
    out = s;
  }
  return simdjson::SUCCESS;
}

} // namespace gamelight::games::detail
