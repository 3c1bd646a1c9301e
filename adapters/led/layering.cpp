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

bool effect_stack::play(effect fx, time_point now) {
  if (fx.kind == effect_kind::off)
    return clear(fx.integration_id) > 0;
  if (is_degenerate(fx) || (fx.kind == effect_kind::gauge && !fx.fraction))
    return false;
  const auto& id = fx.integration_id;
  if (is_sticky(fx)) {
    std::erase_if(layers_,
                  [&](const layer& x) { return is_sticky(x.fx) && x.fx.integration_id == id; });
  } else {
    // An older timed layer of the same integration whose priority is not higher and that
    // ends no later than the new one can never show again: drop it.
    auto new_end = now + std::chrono::milliseconds{fx.duration_ms};
    std::erase_if(layers_, [&](const layer& x) {
      return !is_sticky(x.fx) && x.fx.integration_id == id && x.fx.priority <= fx.priority
             && end_of(x) <= new_end;
    });
  }
  layers_.push_back(layer{std::move(fx), now, next_order_++});
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
    active_effect item{x->fx.integration_id, x->fx.event_type, x->fx.kind, x->fx.priority,
                       std::nullopt};
    if (!is_sticky(x->fx))
      item.remaining_ms = std::chrono::ceil<std::chrono::milliseconds>(end_of(*x) - now).count();
    result.push_back(std::move(item));
  }
  return result;
}

} // namespace gamelight::led
