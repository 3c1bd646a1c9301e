#pragma once

/// The `generic` adapter: any program that can POST JSON.

#include "adapters/games/game_adapter.hpp"

namespace gamelight::games::generic {

/// Metadata, config schema, sessions and the example `curl` script.
class adapter final : public game_adapter {
public:
  adapter();

  [[nodiscard]] std::string_view adapter_type() const override;
  [[nodiscard]] std::string_view display_name() const override;
  [[nodiscard]] std::string_view description() const override;
  [[nodiscard]] auth_style auth() const override;
  [[nodiscard]] std::span<const event_description> supported_events() const override;
  [[nodiscard]] const json& config_schema() const override;
  [[nodiscard]] bool accepts_event_type(std::string_view event_type,
                                        const json& adapter_config) const override;
  [[nodiscard]] std::unique_ptr<adapter_session>
  make_session(const json& adapter_config) const override;
  [[nodiscard]] setup_file make_setup_file(const setup_context& ctx) const override;

private:
  json schema_;
};

/// The process-wide instance used by the registry.
[[nodiscard]] const adapter& instance();

} // namespace gamelight::games::generic
