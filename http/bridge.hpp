#pragma once

/// The one way HTTP worker threads talk to actors: send a message that carries a
/// reply slot, then wait for the slot with a timeout. A timeout or a slot whose
/// actor died becomes a 503 problem.

#include "actors/reply.hpp"
#include "common/problem.hpp"

#include <caf/send.hpp>

#include <chrono>
#include <future>
#include <optional>
#include <utility>

namespace gamelight::http {

/// Waits for a reply slot's value; returns nullopt on timeout or a broken promise.
template <class T>
std::optional<T> wait_for(std::future<T>& future, std::chrono::milliseconds timeout) {
  if (future.wait_for(timeout) != std::future_status::ready)
    return std::nullopt;
  try {
    return future.get();
  } catch (const std::future_error&) {
    return std::nullopt;
  }
}

/// Sends `xs..., slot` to `receiver` and waits for the answer.
template <class T, class Handle, class... Ts>
std::optional<T> ask(const Handle& receiver, std::chrono::milliseconds timeout, Ts&&... xs) {
  auto slot = make_reply<T>();
  auto future = slot->get_future();
  caf::anon_send(receiver, std::forward<Ts>(xs)..., std::move(slot));
  return wait_for(future, timeout);
}

/// Like `ask` for calls whose answer is an outcome: a missing answer becomes 503.
template <class T, class Handle, class... Ts>
outcome<T> call(const Handle& receiver, std::chrono::milliseconds timeout, Ts&&... xs) {
  auto answer = ask<outcome<T>>(receiver, timeout, std::forward<Ts>(xs)...);
  if (!answer)
    return problems::unavailable("no answer from the daemon's components in time");
  return std::move(*answer);
}

} // namespace gamelight::http
