#include "adapters/led/layering.hpp"

#include <algorithm>

namespace gamelight::led {

namespace {

using std::chrono::steady_clock;

/// Returns when a timed layer ends.
[[nodiscard]] steady_clock::time_point end_of(const layer& x) noexcept {
  return x.started + std::chrono::milliseconds{x.fx.duration_ms};
}

} // namespace

bool led_range::covers(const led_range& other) const noexcept {
  if (start == 0 && length == to_end)
    return true;
  if (other.length == to_end || length == to_end)
    return length == to_end && start <= other.start;
  return start <= other.start && other.start + other.length <= start + length;
}

std::optional<led_range> resolve_zone(const std::optional<std::string>& name,
                                      std::span<const zone> zones) noexcept {
  if (!name)
    return led_range{};
  for (const auto& z : zones)
    if (z.name == *name)
      return led_range{z.start, z.length, z.reverse};
  return std::nullopt;
}

double layer::elapsed_ms(steady_clock::time_point now) const noexcept {
  return std::chrono::duration<double, std::milli>{now - started}.count();
}

bool layer::ended(steady_clock::time_point now) const noexcept {
  if (is_degenerate(fx))
    return true;
  if (is_sticky(fx))
    return false;
  return now >= end_of(*this);
}

bool effect_stack::shows_over(const layer& a, const layer& b) noexcept {
  if (a.fx.priority != b.fx.priority)
    return a.fx.priority > b.fx.priority;
  return a.order > b.order;
}

std::size_t effect_stack::set_zones(std::vector<zone> zones) {
  zones_ = std::move(zones);
  std::size_t dropped = 0;
  std::erase_if(layers_, [&](layer& x) {
    auto range = resolve_zone(x.fx.zone, zones_);
    if (range)
      x.range = *range;
    else
      ++dropped;
    return !range;
  });
  return dropped;
}

bool effect_stack::play(effect fx, time_point now) {
  const auto& id = fx.integration_id;
  if (fx.kind == effect_kind::off) {
    if (!fx.zone)
      return clear(id) > 0;
    return std::erase_if(
               layers_,
               [&](const layer& x) { return x.fx.integration_id == id && x.fx.zone == fx.zone; })
           > 0;
  }
  if (is_degenerate(fx) || (fx.kind == effect_kind::gauge && !fx.fraction))
    return false;
  auto range = resolve_zone(fx.zone, zones_);
  if (!range)
    return false;
  if (is_sticky(fx)) {
    std::erase_if(layers_, [&](const layer& x) {
      return is_sticky(x.fx) && x.fx.integration_id == id && x.fx.zone == fx.zone;
    });
  } else {
    // An older timed layer of the same integration whose priority is not higher, that
    // ends no later than the new one and whose range the new one covers can never show
    // again: drop it.
    auto new_end = now + std::chrono::milliseconds{fx.duration_ms};
    std::erase_if(layers_, [&](const layer& x) {
      return !is_sticky(x.fx) && x.fx.integration_id == id && x.fx.priority <= fx.priority
             && end_of(x) <= new_end && range->covers(x.range);
    });
  }
  layers_.push_back(layer{std::move(fx), now, next_order_++, *range});
  if (layers_.size() > max_layers) {
    // Drop the layer that would show last.
    auto last = std::min_element(layers_.begin(), layers_.end(),
                                 [](const layer& a, const layer& b) { return shows_over(b, a); });
    layers_.erase(last);
  }
  return true;
}

std::size_t effect_stack::clear(std::string_view integration_id) {
  return std::erase_if(layers_,
                       [&](const layer& x) { return x.fx.integration_id == integration_id; });
}

void effect_stack::clear_all() noexcept {
  layers_.clear();
}

std::size_t effect_stack::expire(time_point now) {
  return std::erase_if(layers_, [&](const layer& x) { return x.ended(now); });
}

const layer* effect_stack::top(time_point now) const noexcept {
  const layer* result = nullptr;
  for (const auto& x : layers_)
    if (!x.ended(now) && (result == nullptr || shows_over(x, *result)))
      result = &x;
  return result;
}

std::vector<active_effect> effect_stack::active(time_point now) const {
  std::vector<const layer*> running;
  for (const auto& x : layers_)
    if (!x.ended(now))
      running.push_back(&x);
  std::sort(running.begin(), running.end(),
            [](const layer* a, const layer* b) { return shows_over(*a, *b); });
  std::vector<active_effect> result;
  result.reserve(running.size());
  for (const auto* x : running) {
    active_effect item{x->fx.integration_id, x->fx.event_type, x->fx.kind,
                       x->fx.priority,       std::nullopt,     x->fx.zone};
    if (!is_sticky(x->fx))
      item.remaining_ms = std::chrono::ceil<std::chrono::milliseconds>(end_of(*x) - now).count();
    result.push_back(std::move(item));
  }
  return result;
}

void effect_stack::render(time_point now, double brightness, std::span<rgb> out) {
  running_.clear();
  for (const auto& x : layers_)
    if (!x.ended(now))
      running_.push_back(&x);
  std::sort(running_.begin(), running_.end(),
            [](const layer* a, const layer* b) { return shows_over(*a, *b); });
  const auto n = out.size();
  std::fill(out.begin(), out.end(), rgb{});
  // Top down: an LED belongs to the first (highest) layer that covers it. `covered_` holds
  // the LEDs already taken as sorted, disjoint [first, last) intervals, so each layer
  // writes only the lit LEDs of the parts still free (the rest stays black).
  covered_.clear();
  for (const auto* x : running_) {
    if (covered_.size() == 1 && covered_.front().first == 0 && covered_.front().second == n)
      break;
    auto start = std::min(x->range.start, n);
    auto end = start + std::min(x->range.length, n - start);
    if (start == end)
      continue;
    auto s = shape(x->fx, x->elapsed_ms(now), end - start);
    auto lit = lit_color(x->fx, brightness, s.level);
    // The lit LEDs: the first `s.lit` of the range, or the last ones when reversed.
    auto lit_first = x->range.reverse ? end - s.lit : start;
    auto lit_last = x->range.reverse ? end : start + s.lit;
    auto paint = [&](std::size_t first, std::size_t last) {
      first = std::max(first, lit_first);
      last = std::min(last, lit_last);
      if (first < last)
        std::fill(out.begin() + static_cast<std::ptrdiff_t>(first),
                  out.begin() + static_cast<std::ptrdiff_t>(last), lit);
    };
    // Paint the gaps of `covered_` inside [start, end), then add [start, end) to it.
    auto cursor = start;
    for (const auto& [first, last] : covered_) {
      if (first >= end)
        break;
      if (last <= cursor)
        continue;
      paint(cursor, std::min(first, end));
      cursor = std::max(cursor, last);
    }
    if (cursor < end)
      paint(cursor, end);
    auto pos = std::lower_bound(covered_.begin(), covered_.end(), std::pair{start, end});
    pos = covered_.insert(pos, {start, end});
    // Merge with overlapping or touching neighbours.
    if (pos != covered_.begin() && std::prev(pos)->second >= pos->first)
      pos = std::prev(pos);
    auto next = std::next(pos);
    while (next != covered_.end() && next->first <= pos->second) {
      pos->second = std::max(pos->second, next->second);
      next = covered_.erase(next);
      pos = std::prev(next);
    }
  }
}

} // namespace gamelight::led
