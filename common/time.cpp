#include "common/time.hpp"

#include <charconv>
#include <chrono>
#include <cstdio>

namespace gamelight {

unix_ms now_unix_ms() {
  using namespace std::chrono;
  return duration_cast<milliseconds>(system_clock::now().time_since_epoch()).count();
}

void append_rfc3339(std::string& out, unix_ms t) {
  using namespace std::chrono;
  auto ms = milliseconds{t};
  auto days = floor<std::chrono::days>(ms);
  year_month_day ymd{sys_days{days}};
  auto rest = ms - days;
  auto h = duration_cast<hours>(rest);
  rest -= h;
  auto m = duration_cast<minutes>(rest);
  rest -= m;
  auto s = duration_cast<seconds>(rest);
  rest -= s;
  // Digits written by hand: this runs once per game event (the SSE text, the API's
  // items), and snprintf was a visible share of the stream fan-out's profile.
  char buf[40];
  char* p = buf;
  auto digits = [&p](unsigned value, int width) {
    for (int i = width - 1; i >= 0; --i, value /= 10)
      p[i] = static_cast<char>('0' + value % 10);
    p += width;
  };
  auto year = static_cast<int>(ymd.year());
  if (year >= 0 && year <= 9999)
    digits(static_cast<unsigned>(year), 4);
  else
    p = std::to_chars(p, p + 12, year).ptr;
  *p++ = '-';
  digits(static_cast<unsigned>(ymd.month()), 2);
  *p++ = '-';
  digits(static_cast<unsigned>(ymd.day()), 2);
  *p++ = 'T';
  digits(static_cast<unsigned>(h.count()), 2);
  *p++ = ':';
  digits(static_cast<unsigned>(m.count()), 2);
  *p++ = ':';
  digits(static_cast<unsigned>(s.count()), 2);
  *p++ = '.';
  digits(static_cast<unsigned>(rest.count()), 3);
  *p++ = 'Z';
  out.append(buf, p);
}

std::string format_rfc3339(unix_ms t) {
  std::string result;
  append_rfc3339(result, t);
  return result;
}

std::optional<unix_ms> parse_rfc3339(std::string_view text) {
  int y = 0;
  unsigned mo = 0, d = 0;
  int h = 0, mi = 0, s = 0, ms = 0;
  std::string copy{text};
  if (text.size() != 24
      || std::sscanf(copy.c_str(), "%4d-%2u-%2uT%2d:%2d:%2d.%3dZ", &y, &mo, &d, &h, &mi, &s, &ms)
             != 7)
    return std::nullopt;
  using namespace std::chrono;
  year_month_day ymd{year{y}, month{mo}, day{d}};
  if (!ymd.ok())
    return std::nullopt;
  auto t
      = sys_days{ymd}.time_since_epoch() + hours{h} + minutes{mi} + seconds{s} + milliseconds{ms};
  return duration_cast<milliseconds>(t).count();
}

} // namespace gamelight
