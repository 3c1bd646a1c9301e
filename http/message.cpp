#include "http/message.hpp"

namespace gamelight::http {

namespace {

char lower(char c) noexcept {
  return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
}

int hex_value(char c) noexcept {
  if (c >= '0' && c <= '9')
    return c - '0';
  c = lower(c);
  if (c >= 'a' && c <= 'f')
    return c - 'a' + 10;
  return -1;
}

} // namespace

bool same_name(std::string_view a, std::string_view b) noexcept {
  if (a.size() != b.size())
    return false;
  for (std::size_t i = 0; i < a.size(); ++i)
    if (lower(a[i]) != lower(b[i]))
      return false;
  return true;
}

const std::string* request::header(std::string_view name) const noexcept {
  for (auto& [key, value] : headers)
    if (same_name(key, name))
      return &value;
  return nullptr;
}

const std::string* request::param(std::string_view name) const noexcept {
  for (auto& [key, value] : query)
    if (key == name)
      return &value;
  return nullptr;
}

const char* reason_phrase(int status) noexcept {
  switch (status) {
    case 100:
      return "Continue";
    case 200:
      return "OK";
    case 201:
      return "Created";
    case 202:
      return "Accepted";
    case 204:
      return "No Content";
    case 400:
      return "Bad Request";
    case 401:
      return "Unauthorized";
    case 403:
      return "Forbidden";
    case 404:
      return "Not Found";
    case 405:
      return "Method Not Allowed";
    case 408:
      return "Request Timeout";
    case 409:
      return "Conflict";
    case 413:
      return "Payload Too Large";
    case 414:
      return "URI Too Long";
    case 415:
      return "Unsupported Media Type";
    case 422:
      return "Unprocessable Entity";
    case 431:
      return "Request Header Fields Too Large";
    case 500:
      return "Internal Server Error";
    case 501:
      return "Not Implemented";
    case 503:
      return "Service Unavailable";
    default:
      return status < 400 ? "OK" : status < 500 ? "Bad Request" : "Internal Server Error";
  }
}

void serialize(const response& r, bool head_only, bool close, std::string& out) {
  out += "HTTP/1.1 ";
  out += std::to_string(r.status);
  out += ' ';
  out += reason_phrase(r.status);
  out += "\r\n";
  for (auto& [name, value] : r.headers) {
    out += name;
    out += ": ";
    out += value;
    out += "\r\n";
  }
  // 1xx, 204 and 304 answers carry no body and no length.
  bool bodiless = r.status < 200 || r.status == 204 || r.status == 304;
  close = close || r.stream;
  if (!bodiless) {
    if (!r.content_type.empty()) {
      out += "Content-Type: ";
      out += r.content_type;
      out += "\r\n";
    }
    if (!r.stream) {
      out += "Content-Length: ";
      out += std::to_string(r.body.size());
      out += "\r\n";
    }
  }
  if (close)
    out += "Connection: close\r\n";
  out += "\r\n";
  if (!bodiless && !head_only)
    out += r.body;
}

std::string percent_decode(std::string_view text, bool plus_is_space) {
  std::string result;
  result.reserve(text.size());
  for (std::size_t i = 0; i < text.size(); ++i) {
    auto c = text[i];
    if (c == '%' && i + 2 < text.size()) {
      auto hi = hex_value(text[i + 1]);
      auto lo = hex_value(text[i + 2]);
      if (hi >= 0 && lo >= 0) {
        result += static_cast<char>(hi * 16 + lo);
        i += 2;
        continue;
      }
    }
    result += (plus_is_space && c == '+') ? ' ' : c;
  }
  return result;
}

std::vector<field> parse_query(std::string_view text) {
  std::vector<field> result;
  while (!text.empty()) {
    auto end = text.find('&');
    auto pair = text.substr(0, end);
    text = end == std::string_view::npos ? std::string_view{} : text.substr(end + 1);
    if (pair.empty())
      continue;
    auto eq = pair.find('=');
    auto key = pair.substr(0, eq);
    auto value = eq == std::string_view::npos ? std::string_view{} : pair.substr(eq + 1);
    result.emplace_back(percent_decode(key, true), percent_decode(value, true));
  }
  return result;
}

} // namespace gamelight::http
