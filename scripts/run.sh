#!/usr/bin/env bash
# Installs what is missing, builds gamelightd (Release) and starts it on its
# defaults: SQLite in ./data, http://127.0.0.1:8420. Extra arguments go to the daemon.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
cmake -S . -B build/release -G Ninja -DCMAKE_BUILD_TYPE=Release -DGAMELIGHT_BENCHMARKS=OFF >/dev/null
cmake --build build/release --target gamelightd
exec build/release/app/gamelightd "$@"
