#!/usr/bin/env bash
# Soak test on loopback: starts its own Release gamelightd (temp data dir, --port=0) and
# runs gamelight_gsi_load against it: 100 CS2 integrations posting the CS2 fixture cycle
# (each with its own token, so real events fire) at 64 Hz each, paced on an absolute
# schedule over one keep-alive connection each, and 20 DDP devices x 600 LEDs at 60 fps
# driven by those events into UDP sinks. Every 10 s it samples the daemon's VmRSS and
# CPU %, the load generator's answers (non-200, errors, timeouts, latency p50/p99/max),
# the /metrics counters (rejections, device send errors, frames) and the frames the
# sinks received; writes them as CSV and ends with a first-vs-last-window summary.
# Stops by itself after the duration and kills what it started.
#
# Usage: bench/soak/soak.sh [build dir] [seconds] [csv file]
#   INTEGRATIONS, RATE, DEVICES, LEDS, FPS, WINDOW override 100, 64, 20, 600, 60, 10.
#   HTTP_THREADS, when set, is passed to the daemon as --http-threads (with a fixed pool,
#   where each open keep-alive connection holds one worker, it must exceed INTEGRATIONS).
#   LOAD_NICE (default 5) is the nice level of the load generator.
#   TABLE_EVERY (default 300): seconds per row of the Markdown table printed at the end
#   (bench/soak/table.awk over the CSV).
# Exit status: 0 when no request failed, nothing was rejected, no send errors and the
# sinks received frames in every window.
set -euo pipefail
cd "$(dirname "$0")/../.."
build=${1:-build/release}
seconds=${2:-1800}
csv=${3:-soak-$(date -u +%Y%m%dT%H%M%SZ).csv}
integrations=${INTEGRATIONS:-100}
rate=${RATE:-64}
devices=${DEVICES:-20}
leds=${LEDS:-600}
fps=${FPS:-60}
window=${WINDOW:-10}
daemon_args=(--port=0 --log-level=warning)
[[ -n ${HTTP_THREADS:-} ]] && daemon_args+=(--http-threads="$HTTP_THREADS")
load_nice=${LOAD_NICE:-5}
TABLE_EVERY=${TABLE_EVERY:-300}
work=$(mktemp -d)
daemon_pid=
load_pid=
cleanup() {
  [[ -n $load_pid ]] && kill "$load_pid" 2>/dev/null && wait "$load_pid" 2>/dev/null || true
  [[ -n $daemon_pid ]] && kill "$daemon_pid" 2>/dev/null && wait "$daemon_pid" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

daemon=$build/app/gamelightd
load=$build/bench/soak/gamelight_gsi_load
[[ -x $daemon && -x $load ]] || {
  cmake -S . -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Release >/dev/null
  cmake --build "$build" --target gamelightd gamelight_gsi_load >/dev/null
}

"$daemon" "${daemon_args[@]}" --data-dir="$work/data" 2>"$work/daemon.log" &
daemon_pid=$!
for _ in $(seq 200); do grep -q "listening on" "$work/daemon.log" && break; sleep 0.05; done
port=$(sed -n 's/.*listening on http:\/\/[^:]*:\([0-9]*\).*/\1/p' "$work/daemon.log")
[[ -n $port ]] || {
  echo "daemon did not start:" >&2
  cat "$work/daemon.log" >&2
  exit 1
}

echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs); load average at start: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "date: $(date -u '+%F %T') UTC; commit: $(git rev-parse --short HEAD 2>/dev/null || echo unknown)"
echo "daemon: $daemon ${daemon_args[*]} (pid $daemon_pid, port $port); load generator at nice $load_nice; csv: $csv"

status=0
nice -n "$load_nice" "$load" --url="http://127.0.0.1:$port" --pid="$daemon_pid" \
  --fixtures=tests/data --integrations="$integrations" --rate="$rate" --devices="$devices" \
  --leds="$leds" --fps="$fps" --seconds="$seconds" --window="$window" --csv="$csv" &
load_pid=$!
wait "$load_pid" || status=$?
load_pid=

if [[ -s $csv ]]; then
  echo "every $((TABLE_EVERY)) s (RSS at the block's end, CPU mean, p50 median of the windows, p99/max worst window):"
  echo "| minutes | RSS MiB | anon MiB | heap in use / held MiB | daemon CPU % | p50 ms | p99 ms | max ms | server µs | load avg | failed | missed | rejected + send err | answers/s | frames/s |"
  echo "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|"
  awk -v every="$TABLE_EVERY" -f bench/soak/table.awk "$csv"
fi

if ! kill -0 "$daemon_pid" 2>/dev/null; then
  echo "daemon exited during the soak:" >&2
  tail -20 "$work/daemon.log" >&2
  exit 1
fi
warnings=$(grep -c . "$work/daemon.log" || true)
echo "daemon log lines at warning level or above: $((warnings - 1))"
grep -v "listening on" "$work/daemon.log" | sort | uniq -c | sort -rn | head -5 || true
exit "$status"
