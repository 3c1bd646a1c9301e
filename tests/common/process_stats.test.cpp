#include "common/process_stats.hpp"

#include <doctest/doctest.h>

#include <thread>

using namespace gamelight;

TEST_CASE("a /proc/<pid>/stat line gives the CPU ticks, threads, start and memory") {
  auto line = "4242 (gamelightd) S 1 4242 4242 0 -1 4194560 1234 0 0 0 250 75 3 4 20 0 19 0 "
              "987654 123456789 2048 18446744073709551615 1 1 0 0 0 0 0 4096 0 0 0 0 17 1 0 0\n";
  auto stat = parse_proc_stat(line);
  REQUIRE(stat);
  CHECK_EQ(stat->user_ticks, 250);
  CHECK_EQ(stat->system_ticks, 75);
  CHECK_EQ(stat->threads, 19);
  CHECK_EQ(stat->start_ticks, 987654);
  CHECK_EQ(stat->virtual_bytes, 123456789);
  CHECK_EQ(stat->resident_pages, 2048);
}

TEST_CASE("a command name with spaces and parentheses does not shift the fields") {
  auto line = "7 (a) b (c)) R 1 7 7 0 -1 0 0 0 0 0 11 22 0 0 20 0 3 0 44 55 66";
  auto stat = parse_proc_stat(line);
  REQUIRE(stat);
  CHECK_EQ(stat->user_ticks, 11);
  CHECK_EQ(stat->system_ticks, 22);
  CHECK_EQ(stat->threads, 3);
  CHECK_EQ(stat->start_ticks, 44);
  CHECK_EQ(stat->virtual_bytes, 55);
  CHECK_EQ(stat->resident_pages, 66);
}

TEST_CASE("a truncated or garbled stat line is refused") {
  CHECK_FALSE(parse_proc_stat(""));
  CHECK_FALSE(parse_proc_stat("7 (x) R 1 7 7 0 -1 0 0 0 0 0 11 22 0 0 20 0 3 0 44 55"));
  CHECK_FALSE(parse_proc_stat("7 (x) R 1 7 7 0 -1 0 0 0 0 0 1x 22 0 0 20 0 3 0 44 55 66"));
  CHECK_FALSE(parse_proc_stat("7 x R 1 7 7 0 -1 0 0 0 0 0 11 22 0 0 20 0 3 0 44 55 66"));
}

TEST_CASE("the boot time is the btime line of /proc/stat") {
  CHECK_EQ(parse_boot_time("cpu  1 2 3\nintr 5\nbtime 1764100000\nprocesses 9\n"), 1764100000);
  CHECK_FALSE(parse_boot_time("cpu  1 2 3\nprocesses 9\n"));
  CHECK_FALSE(parse_boot_time("btime soon\n"));
}

TEST_CASE("the running process reports its own threads, descriptors and memory") {
  auto before = read_process_stats();
  REQUIRE(before);
  std::uint64_t threads_with_one_more = 0;
  {
    std::jthread extra{[&] {
      threads_with_one_more = read_process_stats()->threads;
    }};
  }
  CHECK_EQ(threads_with_one_more, before->threads + 1);
  CHECK_GT(before->resident_bytes, 0);
  CHECK_GE(before->virtual_bytes, before->resident_bytes);
  CHECK_GE(before->open_fds, 3); // stdin, stdout, stderr
  CHECK_GE(before->max_fds, before->open_fds);
  CHECK_GT(before->start_time_seconds, 1.6e9);
  CHECK_GE(before->cpu_seconds, 0.0);
#if defined(__GLIBC__) && !defined(__SANITIZE_ADDRESS__)
  // A 64 MiB block (above glibc's largest mmap threshold) gets its own mapping, one
  // page larger for the chunk header, and counts as in use until freed.
  auto* block = new char[64 << 20];
  block[0] = 1;
  auto during = read_process_stats();
  delete[] block;
  auto after = read_process_stats();
  CHECK_EQ(during->heap_in_use_bytes - after->heap_in_use_bytes, std::uint64_t{64} << 20 | 4096);
  CHECK_GE(during->heap_mapped_bytes, during->heap_in_use_bytes);
#endif
}
