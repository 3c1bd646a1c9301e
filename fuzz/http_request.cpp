/// Fuzz target: the HTTP request parser path of the front end. The first byte picks the
/// split size and the head decisions; the rest is fed to `request_parser` in pieces,
/// as a connection would feed socket reads, with every complete request taken out.
/// The parser must never read past its input, never accept more body than its limit,
/// and never report a complete request whose body exceeds it.

#include "http/parser.hpp"

#include <algorithm>
#include <cstddef>
#include <cstdint>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace gamelight::http;
  if (size == 0)
    return 0;
  auto control = data[0];
  ++data;
  --size;
  std::size_t piece = 1 + (control & 0x3f);
  std::size_t limit = (control & 0x40) != 0 ? 16 : 4096;
  bool discard_some = (control & 0x80) != 0;
  std::size_t heads = 0;
  request_parser parser{[&](const head_info& info) {
    ++heads;
    // Every other head drops its body or stops, when the control byte says so.
    bool odd = (heads % 2) == 1;
    if (discard_some && odd && info.content_length > 1000)
      return head_decision{0, false, true};
    return head_decision{limit, discard_some && odd, false};
  }};
  auto text = reinterpret_cast<const char*>(data);
  std::size_t at = 0;
  while (at < size) {
    auto n = std::min(piece, size - at);
    auto chunk = text + at;
    at += n;
    while (n > 0) {
      auto [status, consumed] = parser.feed(chunk, n);
      if (consumed > n)
        __builtin_trap();
      chunk += consumed;
      n -= consumed;
      if (status == parse_status::complete) {
        auto request = parser.take();
        if (request.body.size() > limit)
          __builtin_trap();
        continue;
      }
      if (status != parse_status::need_more)
        return 0;
      if (n != 0)
        __builtin_trap();
    }
  }
  return 0;
}
