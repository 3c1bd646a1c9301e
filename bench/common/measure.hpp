#pragma once

/// What the bench programs that drive a running gamelightd share: their `--name=value`
/// arguments, a process's CPU time and percentiles.

#include "common/process_stats.hpp"

#include <algorithm>
#include <cstddef>
#include <fstream>
#include <iterator>
#include <string>
#include <sys/resource.h>
#include <unistd.h>
#include <vector>

namespace gamelight::bench {

/// The value of `arg` when it is `--name=value`, else null.
inline const char* arg_value(const char* arg, const char* name) {
  auto prefix = std::string{"--"} + name + "=";
  return std::string_view{arg}.starts_with(prefix) ? arg + prefix.size() : nullptr;
}

/// A process's CPU time in seconds, in user space and in the kernel.
struct cpu_split {
  double user = 0;
  double system = 0;
};

/// utime and stime of a process in seconds (from `/proc/<pid>/stat`; 0 when unreadable).
inline cpu_split process_cpu(int pid) {
  std::ifstream in{"/proc/" + std::to_string(pid) + "/stat"};
  std::string line((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  auto stat = parse_proc_stat(line);
  if (!stat)
    return {};
  auto tick = static_cast<double>(::sysconf(_SC_CLK_TCK));
  return {static_cast<double>(stat->user_ticks) / tick,
          static_cast<double>(stat->system_ticks) / tick};
}

/// utime+stime of a process in seconds (0 when unreadable).
inline double cpu_seconds(int pid) {
  auto cpu = process_cpu(pid);
  return cpu.user + cpu.system;
}

/// CPU time (user + system) in seconds of this process (`RUSAGE_SELF`) or of the calling
/// thread (`RUSAGE_THREAD`).
inline double own_cpu_seconds(int who = RUSAGE_SELF) {
  rusage u{};
  ::getrusage(who, &u);
  return static_cast<double>(u.ru_utime.tv_sec + u.ru_stime.tv_sec)
         + static_cast<double>(u.ru_utime.tv_usec + u.ru_stime.tv_usec) / 1e6;
}

/// The value at fraction `p` (0–1) of `xs` by rank (0 when empty); reorders `xs`.
inline double percentile(std::vector<double>& xs, double p) {
  if (xs.empty())
    return 0;
  auto i = std::min(xs.size() - 1, static_cast<std::size_t>(p * static_cast<double>(xs.size())));
  std::nth_element(xs.begin(), xs.begin() + static_cast<std::ptrdiff_t>(i), xs.end());
  return xs[i];
}

} // namespace gamelight::bench
