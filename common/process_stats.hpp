#pragma once

/// The daemon's own resource use, for `/metrics` (the Prometheus `process_*`
/// families that Python's client exports by default, plus the allocator's view).

#include <cstdint>
#include <optional>
#include <string_view>

namespace gamelight {

/// The fields of `/proc/<pid>/stat` that `/metrics` reports, in the kernel's units.
struct proc_stat {
  std::uint64_t user_ticks = 0;   ///< utime, clock ticks
  std::uint64_t system_ticks = 0; ///< stime, clock ticks
  std::uint64_t threads = 0;
  std::uint64_t start_ticks = 0; ///< starttime, clock ticks after boot
  std::uint64_t virtual_bytes = 0;
  std::uint64_t resident_pages = 0;
};

/// Parses one `/proc/<pid>/stat` line. The command name (second field) may hold
/// spaces and parentheses, so fields are counted from its last `)`.
std::optional<proc_stat> parse_proc_stat(std::string_view line);

/// Returns the `btime` line of `/proc/stat`: the boot time in Unix seconds.
std::optional<std::uint64_t> parse_boot_time(std::string_view proc_stat_file);

/// What `/metrics` shows of the process, in Prometheus units.
struct process_stats {
  double cpu_seconds = 0;
  double start_time_seconds = 0; ///< Unix time
  std::uint64_t resident_bytes = 0;
  std::uint64_t virtual_bytes = 0;
  std::uint64_t threads = 0;
  std::uint64_t open_fds = 0;
  std::uint64_t max_fds = 0;
  /// Bytes malloc has handed out and not got back, and bytes it holds from the
  /// kernel (arenas and large mappings). Zero where the C library cannot tell.
  std::uint64_t heap_in_use_bytes = 0;
  std::uint64_t heap_mapped_bytes = 0;
};

/// Reads the current process's figures; nullopt when `/proc` is not readable.
std::optional<process_stats> read_process_stats();

} // namespace gamelight
