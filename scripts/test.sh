#!/usr/bin/env bash
# Installs what is missing, builds everything and runs the whole test suite with ctest.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
cmake -S . -B build/test -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build build/test
# playwright-core for the browser tests, exactly as locked (it never downloads a browser:
# the tests drive Debian's chromium).
(cd tests/ui && npm ci --no-audit --no-fund --loglevel=error)
ctest --test-dir build/test --output-on-failure -j2
