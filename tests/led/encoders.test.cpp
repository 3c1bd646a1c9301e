#include "adapters/led/ddp.hpp"
#include "adapters/led/dnrgb.hpp"
#include "adapters/led/e131.hpp"
#include "adapters/led/encoder.hpp"

#include <doctest/doctest.h>

#include <vector>

using namespace gamelight;
using namespace gamelight::led;

namespace {

using bytes = std::vector<std::uint8_t>;

/// A frame whose pixels all differ: LED i = (i mod 256, i / 256, 0x5A).
[[nodiscard]] std::vector<rgb> test_frame(std::size_t n) {
  std::vector<rgb> out(n);
  for (std::size_t i = 0; i < n; ++i)
    out[i] = rgb{static_cast<std::uint8_t>(i & 0xFF), static_cast<std::uint8_t>(i >> 8), 0x5A};
  return out;
}

/// Returns the R, G, B bytes of LEDs [first, first + count) of `test_frame`.
[[nodiscard]] bytes pixel_bytes(std::size_t first, std::size_t count) {
  bytes out;
  for (std::size_t i = first; i < first + count; ++i) {
    out.push_back(static_cast<std::uint8_t>(i & 0xFF));
    out.push_back(static_cast<std::uint8_t>(i >> 8));
    out.push_back(0x5A);
  }
  return out;
}

[[nodiscard]] bytes head(const datagram& x, std::size_t n) {
  return bytes(x.begin(), x.begin() + static_cast<std::ptrdiff_t>(n));
}

[[nodiscard]] bytes tail(const datagram& x, std::size_t from) {
  return bytes(x.begin() + static_cast<std::ptrdiff_t>(from), x.end());
}

/// One expected datagram: its header and the LEDs its payload carries.
struct expected_packet {
  bytes header;
  std::size_t first;
  std::size_t count;
};

} // namespace

TEST_CASE("DDP packets: 10-byte header, 480 pixels each, PUSH on the last") {
  struct scenario {
    std::size_t leds;
    std::vector<expected_packet> packets;
  };
  // flags, sequence, type, destination, offset (4, BE), length (2, BE)
  std::vector<scenario> scenarios{
      {1, {{{0x41, 1, 0x0B, 1, 0, 0, 0, 0, 0x00, 0x03}, 0, 1}}},
      {480, {{{0x41, 1, 0x0B, 1, 0, 0, 0, 0, 0x05, 0xA0}, 0, 480}}},
      {481,
       {{{0x40, 1, 0x0B, 1, 0, 0, 0x00, 0x00, 0x05, 0xA0}, 0, 480},
        {{0x41, 1, 0x0B, 1, 0, 0, 0x05, 0xA0, 0x00, 0x03}, 480, 1}}},
      {1000,
       {{{0x40, 1, 0x0B, 1, 0, 0, 0x00, 0x00, 0x05, 0xA0}, 0, 480},
        {{0x40, 1, 0x0B, 1, 0, 0, 0x05, 0xA0, 0x05, 0xA0}, 480, 480},
        {{0x41, 1, 0x0B, 1, 0, 0, 0x0B, 0x40, 0x00, 0x78}, 960, 40}}},
      {4096,
       {{{0x40, 1, 0x0B, 1, 0, 0, 0x00, 0x00, 0x05, 0xA0}, 0, 480},
        {{0x40, 1, 0x0B, 1, 0, 0, 0x05, 0xA0, 0x05, 0xA0}, 480, 480},
        {{0x40, 1, 0x0B, 1, 0, 0, 0x0B, 0x40, 0x05, 0xA0}, 960, 480},
        {{0x40, 1, 0x0B, 1, 0, 0, 0x10, 0xE0, 0x05, 0xA0}, 1440, 480},
        {{0x40, 1, 0x0B, 1, 0, 0, 0x16, 0x80, 0x05, 0xA0}, 1920, 480},
        {{0x40, 1, 0x0B, 1, 0, 0, 0x1C, 0x20, 0x05, 0xA0}, 2400, 480},
        {{0x40, 1, 0x0B, 1, 0, 0, 0x21, 0xC0, 0x05, 0xA0}, 2880, 480},
        {{0x40, 1, 0x0B, 1, 0, 0, 0x27, 0x60, 0x05, 0xA0}, 3360, 480},
        {{0x41, 1, 0x0B, 1, 0, 0, 0x2D, 0x00, 0x03, 0x00}, 3840, 256}}},
  };
  for (const auto& s : scenarios) {
    CAPTURE(s.leds);
    ddp_encoder enc;
    auto frame = test_frame(s.leds);
    auto packets = enc.encode(frame);
    REQUIRE(packets.size() == s.packets.size());
    for (std::size_t i = 0; i < packets.size(); ++i) {
      CAPTURE(i);
      CHECK(head(packets[i], 10) == s.packets[i].header);
      CHECK(tail(packets[i], 10) == pixel_bytes(s.packets[i].first, s.packets[i].count));
    }
  }
}

TEST_CASE("DDP sequence numbers cycle 1-15 per frame") {
  ddp_encoder enc;
  auto frame = test_frame(1000);
  for (int round = 0; round < 2; ++round) {
    for (std::uint8_t expected = 1; expected <= 15; ++expected) {
      auto packets = enc.encode(frame);
      CHECK(enc.sequence() == expected);
      for (const auto& p : packets)
        CHECK(p[1] == expected);
    }
  }
  CHECK(enc.encode({}).empty());
}

TEST_CASE("DNRGB packets: byte0 4, timeout, start index, 489 LEDs each") {
  struct scenario {
    std::size_t leds;
    std::vector<expected_packet> packets;
  };
  std::vector<scenario> scenarios{
      {1, {{{4, 2, 0x00, 0x00}, 0, 1}}},
      {480, {{{4, 2, 0x00, 0x00}, 0, 480}}},
      {481, {{{4, 2, 0x00, 0x00}, 0, 481}}},
      {1000,
       {{{4, 2, 0x00, 0x00}, 0, 489},
        {{4, 2, 0x01, 0xE9}, 489, 489},
        {{4, 2, 0x03, 0xD2}, 978, 22}}},
      {4096,
       {{{4, 2, 0x00, 0x00}, 0, 489},
        {{4, 2, 0x01, 0xE9}, 489, 489},
        {{4, 2, 0x03, 0xD2}, 978, 489},
        {{4, 2, 0x05, 0xBB}, 1467, 489},
        {{4, 2, 0x07, 0xA4}, 1956, 489},
        {{4, 2, 0x09, 0x8D}, 2445, 489},
        {{4, 2, 0x0B, 0x76}, 2934, 489},
        {{4, 2, 0x0D, 0x5F}, 3423, 489},
        {{4, 2, 0x0F, 0x48}, 3912, 184}}},
  };
  for (const auto& s : scenarios) {
    CAPTURE(s.leds);
    dnrgb_encoder enc;
    auto frame = test_frame(s.leds);
    auto packets = enc.encode(frame);
    REQUIRE(packets.size() == s.packets.size());
    for (std::size_t i = 0; i < packets.size(); ++i) {
      CAPTURE(i);
      CHECK(head(packets[i], 4) == s.packets[i].header);
      CHECK(tail(packets[i], 4) == pixel_bytes(s.packets[i].first, s.packets[i].count));
    }
  }
  SUBCASE("the timeout byte is an option") {
    dnrgb_encoder enc{255};
    auto frame = test_frame(3);
    CHECK(enc.encode(frame)[0][1] == 255);
  }
}

namespace {

constexpr e131_cid test_cid = {0x00, 0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07,
                               0x08, 0x09, 0x0A, 0x0B, 0x0C, 0x0D, 0x0E, 0x0F};

/// Returns the 126 header bytes of an E1.31 datagram with `pixels` RGB pixels.
[[nodiscard]] bytes e131_header(std::size_t pixels, std::uint16_t universe, std::uint8_t sequence,
                                std::uint8_t options = 0) {
  auto size = 126 + 3 * pixels;
  auto u16 = [](std::size_t x) {
    return bytes{static_cast<std::uint8_t>(x >> 8), static_cast<std::uint8_t>(x)};
  };
  bytes out{0x00, 0x10, 0x00, 0x00, 'A', 'S', 'C', '-', 'E', '1', '.', '1', '7', 0, 0, 0};
  auto append = [&](const bytes& x) {
    out.insert(out.end(), x.begin(), x.end());
  };
  append(u16(0x7000 | (size - 16)));
  append({0x00, 0x00, 0x00, 0x04});
  append(bytes(test_cid.begin(), test_cid.end()));
  append(u16(0x7000 | (size - 38)));
  append({0x00, 0x00, 0x00, 0x02});
  bytes name(64, 0);
  std::string text = "gamelight test";
  std::copy(text.begin(), text.end(), name.begin());
  append(name);
  append({100, 0x00, 0x00, sequence, options});
  append(u16(universe));
  append(u16(0x7000 | (size - 115)));
  append({0x02, 0xA1, 0x00, 0x00, 0x00, 0x01});
  append(u16(3 * pixels + 1));
  append({0x00});
  return out;
}

} // namespace

TEST_CASE("E1.31 header of a one-pixel frame, byte by byte") {
  e131_encoder enc{test_cid, "gamelight test", 7};
  auto frame = test_frame(1);
  auto packets = enc.encode(frame);
  REQUIRE(packets.size() == 1);
  bytes expected{
      0x00, 0x10, 0x00, 0x00,                                        // preamble, post-amble
      0x41, 0x53, 0x43, 0x2D, 0x45, 0x31, 0x2E, 0x31, 0x37, 0, 0, 0, // ACN packet identifier
      0x70, 0x71,                                                    // root flags, length 113
      0x00, 0x00, 0x00, 0x04,                                        // root vector
      0x00, 0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07,                // CID
      0x08, 0x09, 0x0A, 0x0B, 0x0C, 0x0D, 0x0E, 0x0F,                //
      0x70, 0x5B,                                                    // framing flags, length 91
      0x00, 0x00, 0x00, 0x02,                                        // framing vector
  };
  std::string name = "gamelight test";
  expected.insert(expected.end(), name.begin(), name.end());
  expected.resize(expected.size() + 64 - name.size(), 0);
  bytes rest{
      100,        // priority
      0x00, 0x00, // synchronization address
      0x00,       // sequence
      0x00,       // options
      0x00, 0x07, // universe
      0x70, 0x0E, // DMP flags, length 14
      0x02,       // DMP vector
      0xA1,       // address and data type
      0x00, 0x00, // first property address
      0x00, 0x01, // address increment
      0x00, 0x04, // property value count
      0x00,       // DMX start code
      0x00, 0x00, 0x5A,
  };
  expected.insert(expected.end(), rest.begin(), rest.end());
  CHECK(bytes(packets[0].begin(), packets[0].end()) == expected);
  CHECK(e131_header(1, 7, 0) == head(packets[0], 126));
}

TEST_CASE("E1.31 packets: 170 pixels per universe, consecutive universes") {
  struct scenario {
    std::size_t leds;
    std::vector<std::size_t> pixels_per_universe;
  };
  std::vector<scenario> scenarios{
      {1, {1}},
      {480, {170, 170, 140}},
      {481, {170, 170, 141}},
      {1000, {170, 170, 170, 170, 170, 150}},
      {4096, {170, 170, 170, 170, 170, 170, 170, 170, 170, 170, 170, 170, 170,
              170, 170, 170, 170, 170, 170, 170, 170, 170, 170, 170, 16}},
  };
  for (const auto& s : scenarios) {
    CAPTURE(s.leds);
    e131_encoder enc{test_cid, "gamelight test", 1};
    auto frame = test_frame(s.leds);
    for (std::uint8_t sequence = 0; sequence < 2; ++sequence) {
      auto packets = enc.encode(frame);
      REQUIRE(packets.size() == s.pixels_per_universe.size());
      std::size_t first = 0;
      for (std::size_t i = 0; i < packets.size(); ++i) {
        CAPTURE(i);
        auto count = s.pixels_per_universe[i];
        CHECK(packets[i].size() == 126 + 3 * count);
        CHECK(head(packets[i], 126)
              == e131_header(count, static_cast<std::uint16_t>(1 + i), sequence));
        CHECK(tail(packets[i], 126) == pixel_bytes(first, count));
        first += count;
      }
    }
  }
}

TEST_CASE("E1.31 sequence numbers are per universe and wrap") {
  e131_encoder enc{test_cid, "gamelight test", 100};
  auto small = test_frame(10);
  auto big = test_frame(200);
  for (int i = 0; i < 256; ++i)
    (void)enc.encode(small);
  CHECK(enc.next_sequence(0) == 0);
  CHECK(enc.next_sequence(1) == 0);
  auto packets = enc.encode(big);
  REQUIRE(packets.size() == 2);
  CHECK(packets[0][111] == 0);
  CHECK(packets[1][111] == 0);
  packets = enc.encode(big);
  CHECK(packets[0][111] == 1);
  CHECK(packets[1][111] == 1);
  CHECK(packets[1][113] == 0);
  CHECK(packets[1][114] == 101);
}

TEST_CASE("E1.31 stream termination: 3 packets per universe with option 0x40") {
  e131_encoder enc{test_cid, "gamelight test", 5};
  CHECK(enc.terminate().empty());
  auto frame = test_frame(200);
  (void)enc.encode(frame);
  auto packets = enc.terminate();
  REQUIRE(packets.size() == 6);
  std::vector<std::size_t> counts{170, 30};
  for (std::size_t i = 0; i < packets.size(); ++i) {
    CAPTURE(i);
    auto index = i % 2;
    auto sequence = static_cast<std::uint8_t>(1 + i / 2);
    CHECK(head(packets[i], 126)
          == e131_header(counts[index], static_cast<std::uint16_t>(5 + index), sequence, 0x40));
    CHECK(tail(packets[i], 126) == bytes(3 * counts[index], 0));
  }
}

TEST_CASE("E1.31 stops at universe 63999 and truncates long names") {
  e131_encoder enc{test_cid, std::string(100, 'x'), 63999};
  auto frame = test_frame(400);
  auto packets = enc.encode(frame);
  REQUIRE(packets.size() == 1);
  CHECK(packets[0][113] == 0xF9);
  CHECK(packets[0][114] == 0xFF);
  CHECK(packets[0][44 + 62] == 'x');
  CHECK(packets[0][44 + 63] == 0);
}

TEST_CASE("encoder picks the device's protocol") {
  encoder_options opts;
  opts.dnrgb_timeout_s = 1;
  opts.cid = test_cid;
  opts.source_name = "gamelight test";
  auto frame = test_frame(2);
  SUBCASE("ddp") {
    encoder enc{led_protocol::ddp, 1, opts};
    CHECK(enc.protocol() == led_protocol::ddp);
    CHECK(enc.encode(frame)[0][0] == 0x41);
    CHECK(enc.terminate().empty());
  }
  SUBCASE("dnrgb") {
    encoder enc{led_protocol::dnrgb, 1, opts};
    CHECK(enc.protocol() == led_protocol::dnrgb);
    CHECK(head(enc.encode(frame)[0], 4) == bytes{4, 1, 0, 0});
    CHECK(enc.terminate().empty());
  }
  SUBCASE("e131") {
    encoder enc{led_protocol::e131, 9, opts};
    CHECK(enc.protocol() == led_protocol::e131);
    CHECK(head(enc.encode(frame)[0], 126) == e131_header(2, 9, 0));
    CHECK(enc.terminate().size() == 3);
  }
}
