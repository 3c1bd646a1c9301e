#!/usr/bin/env bash
# Instructions per ingested payload, independent of machine load: runs gamelightd under
# callgrind twice (WARM payloads, then WARM + N payloads, over C keep-alive
# connections), and divides the difference of the daemon's total instruction counts by
# N, so start-up, set-up and shutdown cancel out. Counts user-space instructions of all
# threads (not the kernel's work: syscalls and wake-ups show as calls, not cost).
#
# Usage: bench/http/instructions_per_request.sh [build dir] [N] [connections] [warm]
# Leaves the two profiles in $OUT (default: a temporary directory, printed) for
# callgrind_annotate.
set -euo pipefail
cd "$(dirname "$0")/../.."
build=${1:-build/release}
n=${2:-5000}
conns=${3:-1}
warm=${4:-1000}
out=${OUT:-$(mktemp -d)}
mkdir -p "$out"

profile() { # total-requests tag -> prints the daemon's instruction count
  local total=$1 tag=$2 work
  work=$(mktemp -d)
  valgrind --tool=callgrind --callgrind-out-file="$out/callgrind.$tag" \
    "$build/app/gamelightd" --port=0 --data-dir="$work/data" --log-level=warning \
    2>"$work/daemon.log" &
  local pid=$!
  for _ in $(seq 600); do grep -q "listening on" "$work/daemon.log" && break; sleep 0.1; done
  local port id
  port=$(sed -n 's/.*listening on http:\/\/[^:]*:\([0-9]*\).*/\1/p' "$work/daemon.log")
  id=$(curl -s -X POST "http://127.0.0.1:$port/api/v1/game-integrations" \
    -H 'Content-Type: application/json' \
    -d '{"name": "bench", "adapter_type": "cs2", "adapter_config": {"token": "wled-gsi-7f3c9a12e4b8"}}' |
    sed -n 's/.*"id":"\([^"]*\)".*/\1/p')
  python3 bench/http/fixed_load.py "$port" "$id" "$total" "$conns" tests/data
  kill -TERM "$pid"
  wait "$pid" || true
  rm -rf "$work"
  sed -n 's/^summary: *\([0-9]*\).*/\1/p' "$out/callgrind.$tag"
}

base=$(profile "$warm" warm)
full=$(profile $((warm + n)) full)
echo "connections=$conns requests=$n instructions_per_request=$(( (full - base) / n )) (warm $base, full $full; profiles in $out)"
