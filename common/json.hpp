#pragma once

/// The JSON document type of the configuration (cold) path.
///
/// nlohmann::ordered_json keeps object keys in insertion order, so responses list
/// fields in the order of the API contract, and it tells integers from floats, which
/// strict validation needs. The ingestion (hot) path uses simdjson On-Demand instead.

#include <nlohmann/json.hpp>

namespace gamelight {

using json = nlohmann::ordered_json;

} // namespace gamelight
