#include "adapters/games/generic/adapter.hpp"

#include "adapters/games/generic/session.hpp"
#include "adapters/games/support.hpp"

#include <algorithm>

namespace gamelight::games::generic {

adapter::adapter()
    : schema_{
        {"type", "object"},
        {"properties",
         {{"token", detail::token_schema("Optional shared secret expected in the X-Game-Token or "
                                         "Authorization: Bearer header")},
          {"events",
           {{"type", "array"},
            {"items", {{"type", "string"}, {"pattern", generic_event_name_pattern}}},
            {"uniqueItems", true},
            {"description", "Event names this integration accepts; without it any name matching "
                            "the pattern is accepted"}}}}},
        {"additionalProperties", false}} {}

std::string_view adapter::adapter_type() const {
  return "generic";
}

std::string_view adapter::display_name() const {
  return "Generic JSON";
}

std::string_view adapter::description() const {
  return "Any program that can POST JSON events (no state diffing)";
}

auth_style adapter::auth() const {
  return auth_style::header_token;
}

std::span<const event_description> adapter::supported_events() const {
  return {};
}

const json& adapter::config_schema() const {
  return schema_;
}

bool adapter::accepts_event_type(std::string_view event_type, const json& adapter_config) const {
  if (!is_generic_event_name(event_type))
    return false;
  if (adapter_config.is_object()) {
    if (auto it = adapter_config.find("events"); it != adapter_config.end() && it->is_array())
      return std::any_of(it->begin(), it->end(), [&](const json& x) {
        return x.is_string() && x.get_ref<const std::string&>() == event_type;
      });
  }
  return true;
}

std::unique_ptr<adapter_session> adapter::make_session(const json& adapter_config) const {
  return make_generic_session(read_settings(adapter_config));
}

setup_file adapter::make_setup_file(const setup_context& ctx) const {
  using detail::shell_quote;
  auto s = read_settings(ctx.adapter_config);
  std::string example = s.events && !s.events->empty() ? s.events->front() : "boss_defeated";
  setup_file result;
  result.filename = "gamelight_" + ctx.integration_id + "_example.sh";
  std::string& t = result.text;
  t += "#!/bin/sh\n";
  t += "# gamelight: generic integration \"" + detail::single_line(ctx.integration_name) + "\" ("
       + ctx.integration_id + ").\n";
  t += "# POST one event (or {\"events\": [{\"event_type\": ...}, ...]}, at most 64) as JSON.\n";
  if (!s.token.empty())
    t += "# The token below is the integration's secret: keep this file private.\n";
  t += "curl -sS -X POST " + shell_quote(ctx.event_url) + " \\\n";
  t += "  -H 'Content-Type: application/json' \\\n";
  if (!s.token.empty())
    t += "  -H " + shell_quote("X-Game-Token: " + s.token) + " \\\n";
  std::string body = "{\"event_type\": ";
  detail::append_json_string(body, example);
  body += ", \"data\": {}}";
  t += "  -d " + shell_quote(body) + "\n";
  return result;
}

const adapter& instance() {
  static const adapter x;
  return x;
}

} // namespace gamelight::games::generic
