#include "adapters/games/support.hpp"

#include <algorithm>
#include <array>
#include <charconv>
#include <cmath>

namespace gamelight::games::detail {

diff_settings read_diff_settings(const json& adapter_config) {
  diff_settings result;
  result.token = read_token(adapter_config);
  if (adapter_config.is_object()) {
    if (auto it = adapter_config.find("health_low_threshold");
        it != adapter_config.end() && it->is_number_integer())
      result.health_low_threshold = it->get<std::int64_t>();
  }
  return result;
}

std::string read_token(const json& adapter_config) {
  if (adapter_config.is_object()) {
    if (auto it = adapter_config.find("token"); it != adapter_config.end() && it->is_string())
      return it->get<std::string>();
  }
  return {};
}

json token_schema(std::string_view description) {
  return json{{"type", "string"},
              {"minLength", 8},
              {"maxLength", 128},
              {"writeOnly", true},
              {"description", description}};
}

json threshold_schema(std::string_view description) {
  return json{{"type", "integer"},
              {"minimum", 1},
              {"maximum", 99},
              {"default", default_health_low_threshold},
              {"description", description}};
}

void data_builder::key(std::string_view k) {
  if (text_.size() > 1)
    text_ += ',';
  text_ += '"';
  text_ += k;
  text_ += "\":";
}

data_builder& data_builder::add(std::string_view k, std::int64_t value) {
  key(k);
  std::array<char, 24> buf{};
  auto [end, ec] = std::to_chars(buf.data(), buf.data() + buf.size(), value);
  (void)ec;
  text_.append(buf.data(), end);
  return *this;
}

data_builder& data_builder::add_double(std::string_view k, double value) {
  key(k);
  append_json_double(text_, value);
  return *this;
}

data_builder& data_builder::add(std::string_view k, std::string_view value) {
  key(k);
  append_json_string(text_, value);
  return *this;
}

std::string data_builder::str() const {
  std::string result;
  result.reserve(text_.size() + 1);
  result += text_;
  result += '}';
  return result;
}

void append_json_string(std::string& out, std::string_view value) {
  static constexpr char hex[] = "0123456789abcdef";
  out += '"';
  // Characters that need no escape are appended a run at a time.
  std::size_t run = 0;
  for (std::size_t i = 0; i < value.size(); ++i) {
    auto c = value[i];
    auto u = static_cast<unsigned char>(c);
    if (u >= 0x20 && c != '"' && c != '\\')
      continue;
    out.append(value.data() + run, i - run);
    run = i + 1;
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\r':
        out += "\\r";
        break;
      case '\t':
        out += "\\t";
        break;
      case '\b':
        out += "\\b";
        break;
      case '\f':
        out += "\\f";
        break;
      default:
        out += "\\u00";
        out += hex[u >> 4];
        out += hex[u & 0xf];
    }
  }
  out.append(value.data() + run, value.size() - run);
  out += '"';
}

void append_json_double(std::string& out, double value) {
  if (!std::isfinite(value)) {
    // JSON has no NaN or infinity; nlohmann writes null.
    out += "null";
    return;
  }
  std::array<char, 32> buf{};
  auto [end, ec] = std::to_chars(buf.data(), buf.data() + buf.size(), value);
  (void)ec;
  std::string_view text(buf.data(), static_cast<std::size_t>(end - buf.data()));
  out += text;
  if (text.find_first_of(".eE") == std::string_view::npos)
    out += ".0";
}

std::string keyvalues_quote(std::string_view value) {
  std::string out = "\"";
  for (char c : value) {
    if (c == '"' || c == '\\') {
      out += '\\';
      out += c;
    } else if (c == '\n' || c == '\r') {
      out += ' ';
    } else {
      out += c;
    }
  }
  out += '"';
  return out;
}

std::string single_line(std::string_view value) {
  std::string out(value);
  std::replace_if(
      out.begin(), out.end(), [](char c) { return c == '\n' || c == '\r'; }, ' ');
  return out;
}

std::string shell_quote(std::string_view value) {
  std::string out = "'";
  for (char c : value) {
    if (c == '\'')
      out += "'\\''";
    else
      out += c;
  }
  out += '\'';
  return out;
}

setup_file make_gsi_setup_file(const setup_context& ctx, const gsi_file_text& text) {
  setup_file result;
  result.filename = "gamestate_integration_gamelight_" + ctx.integration_id + ".cfg";
  std::string& t = result.text;
  t += "// gamelight: ";
  t += text.game_title;
  t += " Game State Integration for \"";
  t += single_line(ctx.integration_name);
  t += "\" (" + ctx.integration_id + ").\n";
  std::string_view note = text.save_note;
  while (!note.empty()) {
    auto end = std::min(note.find('\n'), note.size());
    auto line = note.substr(0, end);
    note.remove_prefix(std::min(end + 1, note.size()));
    t += "// ";
    if (auto file = line.find("{file}"); file != std::string_view::npos)
      t.append(line.substr(0, file)).append(result.filename).append(line.substr(file + 6));
    else
      t += line;
    t += '\n';
  }
  t += "// The token below is the integration's secret: keep this file private.\n";
  t += keyvalues_quote("gamelight " + ctx.integration_id) + "\n";
  t += "{\n";
  t += "\t\"uri\" " + keyvalues_quote(ctx.event_url) + "\n";
  t += "\t\"timeout\" \"1.1\"\n";
  t += "\t\"buffer\" \"0.1\"\n";
  t += "\t\"throttle\" \"0.1\"\n";
  t += "\t\"heartbeat\" \"10.0\"\n";
  t += "\t\"auth\"\n\t{\n";
  t += "\t\t\"token\" " + keyvalues_quote(read_token(ctx.adapter_config)) + "\n";
  t += "\t}\n";
  t += "\t\"data\"\n\t{\n";
  for (auto section : text.data_sections)
    t.append("\t\t\"").append(section).append("\" \"1\"\n");
  t += "\t}\n";
  t += "}\n";
  return result;
}

} // namespace gamelight::games::detail
