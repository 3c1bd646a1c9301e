/// Fuzz target: two CS2 payloads through one adapter session (parse, auth and diff).
/// Input: payload, NUL byte, payload. The seeds carry the token configured here.

#include "fuzz/support.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  gamelight::fuzz::ingest_two("cs2", "wled-gsi-7f3c9a12e4b8", gamelight::fuzz::as_text(data, size));
  return 0;
}
