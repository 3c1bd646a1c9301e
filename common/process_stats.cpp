#include "common/process_stats.hpp"

#include <charconv>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <sys/resource.h>
#include <system_error>
#include <unistd.h>

#ifdef __GLIBC__
#include <malloc.h>
#endif

namespace gamelight {

namespace {

bool parse_u64(std::string_view text, std::uint64_t& out) {
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), out);
  return ec == std::errc{} && end == text.data() + text.size();
}

std::optional<std::string> slurp(const char* path) {
  std::ifstream in{path};
  if (!in)
    return std::nullopt;
  std::ostringstream text;
  text << in.rdbuf();
  return std::move(text).str();
}

} // namespace

std::optional<proc_stat> parse_proc_stat(std::string_view line) {
  auto close = line.rfind(')');
  if (close == std::string_view::npos)
    return std::nullopt;
  // Field 3 (state) follows ") ". Fields are numbered from 1 as in proc(5).
  auto rest = line.substr(close + 1);
  proc_stat result;
  int field = 2;
  std::size_t pos = 0;
  int parsed = 0;
  while (pos < rest.size()) {
    while (pos < rest.size() && (rest[pos] == ' ' || rest[pos] == '\n'))
      ++pos;
    if (pos == rest.size())
      break;
    auto end = rest.find_first_of(" \n", pos);
    if (end == std::string_view::npos)
      end = rest.size();
    auto token = rest.substr(pos, end - pos);
    pos = end;
    ++field;
    std::uint64_t* target = nullptr;
    switch (field) {
      case 14:
        target = &result.user_ticks;
        break;
      case 15:
        target = &result.system_ticks;
        break;
      case 20:
        target = &result.threads;
        break;
      case 22:
        target = &result.start_ticks;
        break;
      case 23:
        target = &result.virtual_bytes;
        break;
      case 24:
        target = &result.resident_pages;
        break;
      default:
        break;
    }
    if (target) {
      if (!parse_u64(token, *target))
        return std::nullopt;
      ++parsed;
    }
    if (field == 24)
      break;
  }
  if (parsed != 6)
    return std::nullopt;
  return result;
}

std::optional<std::uint64_t> parse_boot_time(std::string_view proc_stat_file) {
  std::size_t pos = 0;
  while (pos < proc_stat_file.size()) {
    auto end = proc_stat_file.find('\n', pos);
    if (end == std::string_view::npos)
      end = proc_stat_file.size();
    auto line = proc_stat_file.substr(pos, end - pos);
    pos = end + 1;
    constexpr std::string_view key = "btime ";
    if (line.substr(0, key.size()) != key)
      continue;
    std::uint64_t result = 0;
    if (parse_u64(line.substr(key.size()), result))
      return result;
    return std::nullopt;
  }
  return std::nullopt;
}

std::optional<process_stats> read_process_stats() {
  std::optional<proc_stat> stat;
  std::optional<std::uint64_t> boot;
  if (auto line = slurp("/proc/self/stat"))
    stat = parse_proc_stat(*line);
  if (auto text = slurp("/proc/stat"))
    boot = parse_boot_time(*text);
  auto ticks = sysconf(_SC_CLK_TCK);
  auto page = sysconf(_SC_PAGESIZE);
  if (!stat || !boot || ticks <= 0 || page <= 0)
    return std::nullopt;
  process_stats result;
  auto hz = static_cast<double>(ticks);
  result.cpu_seconds = static_cast<double>(stat->user_ticks + stat->system_ticks) / hz;
  result.start_time_seconds
      = static_cast<double>(*boot) + static_cast<double>(stat->start_ticks) / hz;
  result.resident_bytes = stat->resident_pages * static_cast<std::uint64_t>(page);
  result.virtual_bytes = stat->virtual_bytes;
  result.threads = stat->threads;
  std::error_code ec;
  for (std::filesystem::directory_iterator it{"/proc/self/fd", ec}, end; !ec && it != end;
       it.increment(ec))
    ++result.open_fds;
  if (rlimit limit{}; getrlimit(RLIMIT_NOFILE, &limit) == 0)
    result.max_fds = limit.rlim_cur;
#if defined(__GLIBC__) && (__GLIBC__ > 2 || (__GLIBC__ == 2 && __GLIBC_MINOR__ >= 33))
  // Last, once this function's own buffers are freed.
  auto heap = mallinfo2();
  result.heap_in_use_bytes = heap.uordblks + heap.hblkhd;
  result.heap_mapped_bytes = heap.arena + heap.hblkhd;
#endif
  return result;
}

} // namespace gamelight
