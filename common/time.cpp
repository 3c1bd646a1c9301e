#include "common/time.hpp"

#include <chrono>
#include <cstdio>

namespace gamelight {

unix_ms now_unix_ms() {
  using namespace std::chrono;
  return duration_cast<milliseconds>(system_clock::now().time_since_epoch()).count();
}

std::string format_rfc3339(unix_ms t) {
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
  char buf[32];
  std::snprintf(buf, sizeof(buf), "%04d-%02u-%02uT%02d:%02d:%02dZ", static_cast<int>(ymd.year()),
                static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()),
                static_cast<int>(h.count()), static_cast<int>(m.count()),
                static_cast<int>(s.count()));
  // Insert the milliseconds before the 'Z'.
  std::string result{buf};
  char millis[8];
  std::snprintf(millis, sizeof(millis), ".%03d", static_cast<int>(rest.count()));
  result.insert(result.size() - 1, millis);
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
