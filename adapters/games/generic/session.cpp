#include "adapters/games/generic/session.hpp"

#include "adapters/games/json_reader.hpp"
#include "adapters/games/support.hpp"
#include "common/security.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

namespace gamelight::games::generic {

settings read_settings(const json& adapter_config) {
  settings result;
  result.token = detail::read_token(adapter_config);
  if (adapter_config.is_object()) {
    if (auto it = adapter_config.find("events"); it != adapter_config.end() && it->is_array()) {
      result.events.emplace();
      for (const auto& x : *it)
        if (x.is_string())
          result.events->push_back(x.get<std::string>());
    }
  }
  return result;
}

namespace {

using detail::od::value;
using simdjson::error_code;
using simdjson::SUCCESS;

/// One event as read from the payload, before the checks.
struct pending_event {
  bool has_name = false;
  std::string name;
  game_event event;
};

/// Reads a number of `data` into `fraction`/`countdown_ms` and appends its text.
error_code read_number_field(value v, std::string_view key, game_event& event) {
  std::string_view token = detail::trim_token(v.raw_json_token());
  detail::od::number n;
  if (auto e = v.get_number().get(n)) {
    if (!detail::is_json_number_in_range(token))
      return e;
  } else {
    const double d = n.as_double();
    if (key == "fraction") {
      event.fraction = d;
    } else if (std::isfinite(d) && d >= 0.0
               && d <= static_cast<double>(std::numeric_limits<std::uint32_t>::max())) {
      event.countdown_ms = static_cast<std::uint32_t>(std::llround(d));
    }
  }
  event.data += token;
  return SUCCESS;
}

class session final : public adapter_session {
public:
  explicit session(settings s) : settings_(std::move(s)) {}

  ingest_outcome ingest(const payload& p, std::vector<game_event>& events) override {
    single_.reset();
    items_.clear();
    item_count_ = 0;
    has_events_key_ = false;
    // The strict walk: `data` keeps numbers as written, which the tape no longer has.
    auto status = reader_.read_strict(
        p, [this](std::string_view key, value v, int level) { return on_root(key, v, level); });
    const bool authorized
        = settings_.token.empty()
          || (!p.header_token.empty() && constant_time_equal(p.header_token, settings_.token));
    std::string problem = reader_.problem();
    if (status == detail::document_status::object && authorized && problem.empty())
      problem = check();
    auto outcome = detail::decide(status, reader_.malformed_detail(), authorized, problem);
    if (outcome.status != ingest_status::ok)
      return outcome;
    if (single_) {
      events.push_back(std::move(single_->event));
    } else {
      for (auto& item : items_)
        events.push_back(std::move(item.event));
    }
    return outcome;
  }

private:
  error_code on_root(std::string_view key, value v, int level) {
    if (key == "event_type" || key == "data") {
      if (!single_)
        single_.emplace();
      return read_event_field(key, v, level, *single_, "");
    }
    if (key == "events") {
      has_events_key_ = true;
      bool is_array = false;
      detail::od::json_type type{};
      if (auto e = v.type().get(type))
        return e;
      is_array = type == detail::od::json_type::array;
      if (!is_array) {
        if (auto e = reader_.skip(v, level))
          return e;
        reader_.add_problem("events", "must be an array");
        return SUCCESS;
      }
      detail::od::array arr;
      if (auto e = v.get_array().get(arr))
        return e;
      for (auto element : arr) {
        value item;
        if (auto e = std::move(element).get(item))
          return e;
        const std::size_t index = item_count_++;
        if (index >= generic_max_events) {
          // Validate the rest, keep nothing: the payload is refused anyway.
          if (auto e = reader_.skip(item, level + 1))
            return e;
          continue;
        }
        std::string prefix = "events[" + std::to_string(index) + "]";
        auto& pending = items_.emplace_back();
        if (auto e = reader_.read_object(
                item, level + 1, prefix, [&](std::string_view k, value x, int l) -> error_code {
                  if (k == "event_type" || k == "data")
                    return read_event_field(k, x, l, pending, prefix + ".");
                  return reader_.skip(x, l);
                }))
          return e;
      }
      return SUCCESS;
    }
    return reader_.skip(v, level);
  }

  error_code read_event_field(std::string_view key, value v, int level, pending_event& pending,
                              const std::string& prefix) {
    if (key == "event_type") {
      std::optional<std::string_view> name;
      if (auto e = reader_.read_string(v, level, prefix + "event_type", name))
        return e;
      pending.has_name = name.has_value();
      pending.name = name.value_or("");
      return SUCCESS;
    }
    // "data": an object, kept as compact JSON.
    game_event& event = pending.event;
    event.data.clear();
    event.fraction.reset();
    event.countdown_ms.reset();
    bool is_object = false;
    std::size_t members = 0;
    event.data += '{';
    if (auto e = reader_.read_object(
            v, level, prefix + "data",
            [&](std::string_view k, value x, int l) -> error_code {
              if (members++ > 0)
                event.data += ',';
              detail::append_json_string(event.data, k);
              event.data += ':';
              if (k == "fraction" || k == "countdown_ms") {
                detail::od::json_type type{};
                if (auto e = x.type().get(type))
                  return e;
                if (type == detail::od::json_type::number)
                  return read_number_field(x, k, event);
              }
              return detail::walk_value(x, l, &event.data);
            },
            &is_object))
      return e;
    event.data += '}';
    if (!is_object)
      event.data = "{}";
    return SUCCESS;
  }

  /// The shape and name checks, once the document is known to be valid.
  std::string check() {
    if (single_ && has_events_key_)
      return "use either event_type (one event) or events (a list), not both";
    if (!single_ && !has_events_key_)
      return "event_type or events is required";
    if (item_count_ > generic_max_events)
      return "at most " + std::to_string(generic_max_events) + " events per payload (got "
             + std::to_string(item_count_) + ")";
    if (single_) {
      single_->event.event_type = single_->name;
      return check_name(*single_, "");
    }
    for (std::size_t i = 0; i < items_.size(); ++i) {
      items_[i].event.event_type = items_[i].name;
      if (auto problem = check_name(items_[i], "events[" + std::to_string(i) + "].");
          !problem.empty())
        return problem;
    }
    return {};
  }

  std::string check_name(const pending_event& pending, const std::string& prefix) const {
    if (!pending.has_name)
      return prefix + "event_type is required";
    if (!is_generic_event_name(pending.name))
      return prefix + "event_type must match " + std::string(generic_event_name_pattern);
    if (settings_.events
        && std::find(settings_.events->begin(), settings_.events->end(), pending.name)
               == settings_.events->end())
      return prefix + "event_type '" + pending.name
             + "' is not one of the events configured for this integration";
    return {};
  }

  settings settings_;
  detail::body_reader reader_;
  std::optional<pending_event> single_;
  std::vector<pending_event> items_;
  std::size_t item_count_ = 0;
  bool has_events_key_ = false;
};

} // namespace

std::unique_ptr<adapter_session> make_generic_session(settings s) {
  return std::make_unique<session>(std::move(s));
}

} // namespace gamelight::games::generic
