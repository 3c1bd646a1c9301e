#include "common/time.hpp"

#include <doctest/doctest.h>

using namespace gamelight;

TEST_CASE("timestamps format as RFC 3339 UTC with milliseconds") {
  CHECK_EQ(format_rfc3339(0), "1970-01-01T00:00:00.000Z");
  CHECK_EQ(format_rfc3339(1795701787123), "2026-11-26T14:03:07.123Z");
  CHECK_EQ(format_rfc3339(951782400005), "2000-02-29T00:00:00.005Z");
  CHECK_EQ(format_rfc3339(-1), "1969-12-31T23:59:59.999Z");
  CHECK_EQ(format_rfc3339(253402300799999), "9999-12-31T23:59:59.999Z");
  CHECK_EQ(format_rfc3339(253402300800000), "10000-01-01T00:00:00.000Z");
  std::string out = "at ";
  append_rfc3339(out, 1795701787123);
  CHECK_EQ(out, "at 2026-11-26T14:03:07.123Z");
}

TEST_CASE("timestamps parse back") {
  CHECK_EQ(parse_rfc3339("2026-11-26T14:03:07.123Z"), unix_ms{1795701787123});
  CHECK_EQ(parse_rfc3339("2026-02-30T14:03:07.123Z"), std::nullopt);
  CHECK_EQ(parse_rfc3339("2026-11-26 14:03:07"), std::nullopt);
}
