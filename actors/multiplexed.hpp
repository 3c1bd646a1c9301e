#pragma once

/// Scheduling an actor on the I/O multiplexer's thread, as CAF schedules its brokers.

#include <caf/actor_config.hpp>
#include <caf/actor_system.hpp>
#include <caf/execution_unit.hpp>
#include <caf/io/middleman.hpp>
#include <caf/io/network/multiplexer.hpp>
#include <caf/mailbox_element.hpp>
#include <caf/resumable.hpp>

#include <utility>

namespace gamelight {

/// An event-based actor (`Base`) that runs on the middleman's multiplexer thread, like
/// the HTTP brokers, when the actor system has a middleman (otherwise, as in the
/// deterministic tests, like any actor). A message between such actors and the brokers
/// then wakes no scheduler worker (a futex round trip each way) and needs no pipe write
/// to wake the multiplexer: what made the hop from a connection broker to the actor
/// that owns a payload cost more than the HTTP work itself. Only where the actor runs
/// changes: it keeps its own state and mailbox, one message at a time. Its work per
/// message must stay short (it delays every connection meanwhile).
///
/// CAF 0.17.6 mechanics: `default_multiplexer::exec_later` runs a resumable of subtype
/// `io_actor` on its own thread (queued internally when called from that thread, through
/// its pipe otherwise) and hands any other to the scheduler; brokers pass the
/// multiplexer as the execution unit of every enqueue and launch, and so does this.
template <class Base>
class multiplexed : public Base {
public:
  template <class... Ts>
  explicit multiplexed(caf::actor_config& cfg, Ts&&... xs) : Base(cfg, std::forward<Ts>(xs)...) {
    if (this->home_system().has_middleman())
      multiplexer_ = &this->home_system().middleman().backend();
  }

  void enqueue(caf::mailbox_element_ptr ptr, caf::execution_unit* eu) override {
    Base::enqueue(std::move(ptr), multiplexer_ != nullptr ? multiplexer_ : eu);
  }

  void launch(caf::execution_unit* eu, bool lazy, bool hide) override {
    Base::launch(multiplexer_ != nullptr ? multiplexer_ : eu, lazy, hide);
  }

  [[nodiscard]] caf::resumable::subtype_t subtype() const override {
    return multiplexer_ != nullptr ? caf::resumable::io_actor : Base::subtype();
  }

private:
  /// The middleman's multiplexer, or null without a middleman.
  caf::execution_unit* multiplexer_ = nullptr;
};

} // namespace gamelight
