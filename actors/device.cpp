#include "actors/device.hpp"

#include "adapters/led/effects.hpp"
#include "common/log.hpp"
#include "common/time.hpp"

#include <caf/detail/type_list.hpp>
#include <caf/timespan.hpp>

#include <algorithm>
#include <chrono>
#include <type_traits>
#include <utility>

namespace gamelight {

namespace {

using self_pointer = device_actor::stateful_pointer<device_state>;

// -- helpers ---------------------------------------------------------------------------

[[nodiscard]] int hex_value(char c) noexcept {
  if (c >= '0' && c <= '9')
    return c - '0';
  if (c >= 'a' && c <= 'f')
    return c - 'a' + 10;
  if (c >= 'A' && c <= 'F')
    return c - 'A' + 10;
  return -1;
}

[[nodiscard]] caf::timespan frame_interval(std::uint32_t fps) {
  return caf::timespan{std::chrono::seconds{1}} / std::max<std::uint32_t>(fps, 1);
}

[[nodiscard]] json to_json(const led::active_effect& x) {
  json item = json::object();
  item["integration_id"] = x.integration_id;
  item["event_type"] = x.event_type;
  item["effect"] = std::string{to_string(x.kind)};
  item["priority"] = x.priority;
  if (x.remaining_ms)
    item["remaining_ms"] = *x.remaining_ms;
  else
    item["remaining_ms"] = nullptr;
  if (x.zone)
    item["zone"] = *x.zone;
  else
    item["zone"] = nullptr;
  return item;
}

/// Shows the watchers the frame just rendered, or the idle frame.
void show(self_pointer self, bool active) {
  auto& st = self->state;
  if (st.watchers.empty())
    return;
  auto frame = st.preview(active);
  for (auto& watcher : st.watchers)
    self->send(watcher, atom::frame::value, frame);
}

/// Renders and sends the frame for `now`, then schedules the next tick or goes idle.
void tick(self_pointer self, device_state::time_point now) {
  auto& st = self->state;
  st.stack.expire(now);
  if (st.stack.top(now) == nullptr) {
    st.ticking = false;
    st.send_terminate();
    show(self, false);
    return;
  }
  st.send_frame(now);
  show(self, true);
  st.next_tick = st.advance_deadline(now);
  self->scheduled_send(self, st.next_tick, atom::frame::value);
}

/// Starts ticking when an effect arrives on an idle device: the first frame goes out at
/// once, the next ones on the fps grid from here. `now` is the time the effect was
/// played at, so that frame shows the effect's first instant (a flash at full white)
/// however long the handler took.
void wake(self_pointer self, device_state::time_point now) {
  auto& st = self->state;
  if (st.ticking || st.stack.empty())
    return;
  st.ticking = true;
  st.tick_base = now;
  st.tick_index = 0;
  tick(self, now);
}

} // namespace

std::optional<led::e131_cid> parse_cid(std::string_view text) {
  led::e131_cid result{};
  std::size_t digits = 0;
  for (auto c : text) {
    if (c == '-')
      continue;
    auto v = hex_value(c);
    if (v < 0 || digits >= 32)
      return std::nullopt;
    auto& byte = result[digits / 2];
    byte = static_cast<std::uint8_t>(digits % 2 == 0 ? v << 4 : byte | v);
    ++digits;
  }
  if (digits != 32)
    return std::nullopt;
  return result;
}

void device_state::apply(device next) {
  auto target_changed = !encoder || next.host != config.host || next.port != config.port;
  auto encoder_changed
      = !encoder || next.protocol != config.protocol || next.universe != config.universe;
  auto fps_changed = next.fps != config.fps;
  config = std::move(next);
  if (target_changed) {
    sender.open(config.host, config.port);
    failing = false;
  }
  if (encoder_changed)
    encoder.emplace(config.protocol, config.universe, encoder_opts);
  pixels.assign(config.led_count, rgb{});
  // Effects follow their zone to its new place; those whose zone is gone stop.
  stack.set_zones(config.zones);
  if (fps_changed) {
    // Rebase the grid at the next tick: deadlines restart from there at the new rate.
    tick_base = next_tick;
    tick_index = 0;
  }
  if (!config.enabled)
    stack.clear_all();
}

shared_device_frame device_state::preview(bool active) const {
  auto frame = std::make_shared<device_frame>();
  frame->active = active;
  frame->rgb.resize(pixels.size() * 3);
  if (active)
    for (std::size_t i = 0; i < pixels.size(); ++i) {
      frame->rgb[3 * i] = pixels[i].r;
      frame->rgb[3 * i + 1] = pixels[i].g;
      frame->rgb[3 * i + 2] = pixels[i].b;
    }
  return frame;
}

bool device_state::send_all(std::span<const led::datagram> datagrams) {
  auto ok = true;
  for (const auto& x : datagrams)
    ok = sender.send(x) && ok;
  if (!ok && !failing) {
    failing = true;
    log::warning("device ", config.id, " failed to send to ", config.host, ':', config.port, ": ",
                 sender.last_error());
  } else if (ok && failing && !datagrams.empty()) {
    failing = false;
    log::info("device ", config.id, " sends to ", config.host, ':', config.port, " again");
  }
  return ok;
}

void device_state::send_frame(time_point now) {
  if (stack.top(now) == nullptr || !encoder)
    return;
  stack.render(now, config.brightness, pixels);
  if (send_all(encoder->encode(pixels))) {
    ++frames_sent;
    last_frame_at = now_unix_ms();
  }
}

void device_state::send_terminate() {
  if (options.e131_terminate && encoder)
    send_all(encoder->terminate());
}

device_state::time_point device_state::advance_deadline(time_point now) {
  auto fps = std::max<std::uint32_t>(config.fps, 1);
  ++tick_index;
  auto offset = std::chrono::duration_cast<caf::timespan>(std::chrono::seconds{1}
                                                          * static_cast<std::int64_t>(tick_index)
                                                          / static_cast<std::int64_t>(fps));
  auto deadline = tick_base + offset;
  if (deadline <= now) {
    // Fell behind (or the grid was rebased): restart the grid one interval from now.
    tick_base = now;
    tick_index = 1;
    deadline = now + frame_interval(fps);
  }
  return deadline;
}

json device_state::status(time_point now) const {
  json result = json::object();
  result["device_id"] = config.id;
  result["frames_sent"] = frames_sent;
  if (last_frame_at)
    result["last_frame_at"] = format_rfc3339(*last_frame_at);
  else
    result["last_frame_at"] = nullptr;
  result["send_errors"] = sender.errors();
  auto active = json::array();
  for (const auto& x : stack.active(now))
    active.push_back(to_json(x));
  result["active_effects"] = std::move(active);
  return result;
}

device_actor::behavior_type device_behavior(self_pointer self, device config,
                                            device_options options) {
  auto& st = self->state;
  st.options = std::move(options);
  st.encoder_opts.dnrgb_timeout_s = st.options.dnrgb_timeout_s;
  st.encoder_opts.source_name = st.options.e131_source_name;
  if (auto cid = parse_cid(st.options.e131_cid)) {
    st.encoder_opts.cid = *cid;
  } else if (config.protocol == led_protocol::e131) {
    log::warning("device ", config.id, " has no valid E1.31 CID (32 hex digits); using zeros");
  }
  st.apply(std::move(config));
  self->set_down_handler([self](caf::down_msg& msg) {
    auto& xs = self->state.watchers;
    xs.erase(std::remove_if(xs.begin(), xs.end(),
                            [&](const auto& x) { return x.address() == msg.source; }),
             xs.end());
  });
  return {
      [self](atom::play, led::effect& fx) {
        if (!self->state.config.enabled)
          return;
        auto now = self->clock().now();
        self->state.stack.play(std::move(fx), now);
        wake(self, now);
      },
      [self](atom::clear, const std::string& integration_id) {
        // The next tick shows what is left, or goes idle.
        self->state.stack.clear(integration_id);
      },
      [self](atom::configure, device& next) {
        self->state.apply(std::move(next));
        // An idle preview learns the new LED count at once; a ticking one at its next frame.
        if (!self->state.ticking)
          show(self, false);
      },
      [self](atom::subscribe, frame_watcher_actor& watcher) {
        auto& st = self->state;
        self->send(watcher, atom::frame::value, st.preview(st.ticking));
        self->monitor(watcher);
        st.watchers.push_back(std::move(watcher));
      },
      [self](atom::unsubscribe, const frame_watcher_actor& watcher) {
        self->demonitor(watcher.address());
        auto& xs = self->state.watchers;
        xs.erase(std::remove(xs.begin(), xs.end(), watcher), xs.end());
      },
      [self](atom::status) { return outcome<json>{self->state.status(self->clock().now())}; },
      [self](atom::frame) {
        auto& st = self->state;
        // Only the scheduled tick counts; a stray `frame` must not add a second ticker.
        if (auto now = self->clock().now(); st.ticking && now >= st.next_tick)
          tick(self, now);
      },
  };
}

device_actor::behavior_type device_io_behavior(device_io_actor* self, device config,
                                               device_options options) {
  return device_behavior(self, std::move(config), std::move(options));
}

} // namespace gamelight
