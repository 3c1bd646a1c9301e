#include "http/sse.hpp"

#include "adapters/games/support.hpp"
#include "common/time.hpp"

#include <algorithm>
#include <charconv>

namespace gamelight::http::sse {

namespace {

bool contains(const std::vector<std::string>& xs, std::string_view x) {
  return xs.empty() || std::find(xs.begin(), xs.end(), x) != xs.end();
}

} // namespace

std::string game_event_message(const bus_event& x) {
  std::string out;
  out.reserve(160 + x.event.data.size());
  char seq_buf[24];
  auto seq = std::string_view{seq_buf, std::to_chars(seq_buf, seq_buf + sizeof seq_buf, x.seq).ptr};
  out += "id: ";
  out += seq;
  out += "\nevent: game_event\ndata: {\"seq\":";
  out += seq;
  out += ",\"integration_id\":";
  games::detail::append_json_string(out, x.integration_id);
  out += ",\"event_type\":";
  games::detail::append_json_string(out, x.event.event_type);
  out += ",\"timestamp\":";
  out += '"';
  append_rfc3339(out, x.timestamp);
  out += '"';
  // The adapters write `data` as compact one-line JSON already.
  out += ",\"data\":";
  out += x.event.data;
  out += "}\n\n";
  return out;
}

std::string status_message(std::string_view integration_id, bool connected) {
  std::string out = "event: status\ndata: {\"integration_id\":";
  games::detail::append_json_string(out, integration_id);
  out += connected ? ",\"connected\":true}\n\n" : ",\"connected\":false}\n\n";
  return out;
}

std::string frame_message(bool active, std::size_t led_count, std::span<const std::uint8_t> rgb) {
  std::string out = "event: frame\ndata: {\"active\":";
  out += active ? "true" : "false";
  out += ",\"led_count\":";
  out += std::to_string(led_count);
  out += ",\"rgb\":\"";
  out += base64(rgb);
  out += "\"}\n\n";
  return out;
}

std::string base64(std::span<const std::uint8_t> bytes) {
  static constexpr char alphabet[]
      = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  out.reserve((bytes.size() + 2) / 3 * 4);
  std::size_t i = 0;
  for (; i + 3 <= bytes.size(); i += 3) {
    std::uint32_t n = (bytes[i] << 16) | (bytes[i + 1] << 8) | bytes[i + 2];
    out += alphabet[(n >> 18) & 63];
    out += alphabet[(n >> 12) & 63];
    out += alphabet[(n >> 6) & 63];
    out += alphabet[n & 63];
  }
  if (auto rest = bytes.size() - i; rest > 0) {
    std::uint32_t n = bytes[i] << 16;
    if (rest == 2)
      n |= bytes[i + 1] << 8;
    out += alphabet[(n >> 18) & 63];
    out += alphabet[(n >> 12) & 63];
    out += rest == 2 ? alphabet[(n >> 6) & 63] : '=';
    out += '=';
  }
  return out;
}

bool event_filter::passes(std::string_view integration_id, std::string_view event_type) const {
  return contains(integration_ids, integration_id) && contains(event_types, event_type);
}

bool event_filter::passes_status(std::string_view integration_id) const {
  return contains(integration_ids, integration_id);
}

event_filter event_filter::normalized() const {
  auto sorted = [](std::vector<std::string> xs) {
    std::sort(xs.begin(), xs.end());
    xs.erase(std::unique(xs.begin(), xs.end()), xs.end());
    return xs;
  };
  return {sorted(integration_ids), sorted(event_types)};
}

event_filter filter_of(const request& req) {
  event_filter result;
  for (auto& [name, value] : req.query) {
    if (name == "integration_id")
      result.integration_ids.push_back(value);
    else if (name == "event_type")
      result.event_types.push_back(value);
  }
  return result;
}

std::optional<std::uint64_t> last_event_id(const request& req) {
  auto text = req.header("Last-Event-ID");
  if (text == nullptr || text->empty())
    return std::nullopt;
  std::uint64_t value = 0;
  auto [end, ec] = std::from_chars(text->data(), text->data() + text->size(), value);
  if (ec != std::errc{} || end != text->data() + text->size())
    return std::nullopt;
  return value;
}

} // namespace gamelight::http::sse
