#!/usr/bin/env bash
# What a request on a new connection costs two gamelightd builds (e.g. before and after a
# change to the connection broker's start), in alternating rounds of the same run: wrk
# sends `Connection: close`, so every request opens, serves and closes one connection.
# Prints, per round, requests per second and the daemon's CPU microseconds per request,
# then the median of the paired ratios B / A.
#
# Usage: bench/http/new_connections.sh <gamelightd A> <gamelightd B> [rounds] [seconds]
set -euo pipefail
daemon_a=$1
daemon_b=$2
rounds=${3:-7}
seconds=${4:-5}
work=$(mktemp -d)
trap 'kill $(jobs -p) 2>/dev/null || true; wait 2>/dev/null || true; rm -rf "$work"' EXIT
hz=$(getconf CLK_TCK)

# Prints the CPU microseconds per request of one run of `$1`.
measure() {
  local data="$work/data.$RANDOM"
  "$1" --port=0 --data-dir="$data" --log-level=warning 2>"$work/daemon.log" &
  local pid=$!
  for _ in $(seq 200); do grep -q "listening on" "$work/daemon.log" && break; sleep 0.05; done
  local port
  port=$(sed -n 's/.*listening on http:\/\/[^:]*:\([0-9]*\).*/\1/p' "$work/daemon.log")
  local url="http://127.0.0.1:$port/api/v1/health"
  wrk -t1 -c16 -d1s -H 'Connection: close' "$url" >/dev/null
  local t0 t1 out requests
  t0=$(awk '{ print $14 + $15 }' "/proc/$pid/stat")
  out=$(wrk -t1 -c16 -d"${seconds}s" -H 'Connection: close' "$url")
  t1=$(awk '{ print $14 + $15 }' "/proc/$pid/stat")
  kill -TERM "$pid"
  wait "$pid" || true
  rm -rf "$data"
  if grep -q "Non-2xx\|Socket errors" <<<"$out"; then
    echo "errors in a run of $1:" >&2
    echo "$out" >&2
    exit 1
  fi
  requests=$(awk '/requests in/ { print $1 }' <<<"$out")
  echo "$requests" "$(awk -v t=$((t1 - t0)) -v r="$requests" -v hz="$hz" 'BEGIN { printf "%.1f", t * 1e6 / hz / r }')"
}

ratios=()
for round in $(seq "$rounds"); do
  read -r requests_a cpu_a < <(measure "$daemon_a")
  read -r requests_b cpu_b < <(measure "$daemon_b")
  ratio=$(awk -v a="$cpu_a" -v b="$cpu_b" 'BEGIN { printf "%.2f", b / a }')
  ratios+=("$ratio")
  echo "round $round: A $((requests_a / seconds)) req/s ${cpu_a} µs/req, B $((requests_b / seconds)) req/s ${cpu_b} µs/req, B/A ${ratio}"
done
printf '%s\n' "${ratios[@]}" | sort -n | awk '{ x[NR] = $1 } END { m = (NR % 2) ? x[(NR + 1) / 2] : (x[NR / 2] + x[NR / 2 + 1]) / 2; print "median B/A CPU per request: " m }'
