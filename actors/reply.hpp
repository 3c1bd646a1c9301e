#pragma once

/// The reply slot: how an actor answers a caller that is not an actor (an HTTP
/// worker thread). The caller puts a `reply<T>` into the message and waits on its
/// future with a timeout; the actor calls `deliver`. deps.md measured this as the
/// fastest bridge, and it leaves nothing behind in any mailbox. A slot whose actor
/// died without answering breaks its promise, which the caller reports as 503.

#include <future>
#include <memory>
#include <utility>

namespace gamelight {

template <class T>
using reply = std::shared_ptr<std::promise<T>>;

/// Creates an empty reply slot.
template <class T>
reply<T> make_reply() {
  return std::make_shared<std::promise<T>>();
}

/// Fulfils a reply slot; a slot that was already fulfilled is left alone.
template <class T, class U>
void deliver(const reply<T>& slot, U&& value) {
  if (!slot)
    return;
  try {
    slot->set_value(std::forward<U>(value));
  } catch (const std::future_error&) {
    // Already satisfied: the first answer wins.
  }
}

} // namespace gamelight
