#!/usr/bin/env bash
# Builds everything with AddressSanitizer (LeakSanitizer included) and
# UndefinedBehaviorSanitizer in build/asan and runs the whole test suite with ctest.
# Any finding aborts the process that made it, so its test fails; findings are
# fixed in the code, never suppressed.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
cmake -S . -B build/asan -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DGAMELIGHT_SANITIZERS=ON -DGAMELIGHT_BENCHMARKS=OFF >/dev/null
cmake --build build/asan

# Inherited by every test and by the gamelightd child processes some tests start.
# abort_on_error: a finding ends the process with SIGABRT, never with an exit code
# a test could expect (ASan's default, 1, is also gamelightd's "cannot listen").
export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1:halt_on_error=1:detect_stack_use_after_return=1:check_initialization_order=1:strict_init_order=1:disable_coredump=1
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1:abort_on_error=1
export LSAN_OPTIONS=report_objects=1
ctest --test-dir build/asan --output-on-failure -j2
