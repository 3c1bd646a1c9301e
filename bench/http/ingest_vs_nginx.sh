#!/usr/bin/env bash
# Ingestion throughput against the HTTP floor of this machine, in one run on loopback:
# nginx answering `return 204`, then gamelightd ingesting the CS2 fixtures, both driven
# by wrk with the same script at 1, 16 and 64 connections. Prints req/s, p50, p99,
# server CPU microseconds per request and the ratios to nginx.
#
# Usage: bench/http/ingest_vs_nginx.sh [build dir] [seconds per run]
set -euo pipefail
cd "$(dirname "$0")/../.."
build=${1:-build/release}
seconds=${2:-10}
fixtures=$PWD/tests/data
script=$PWD/bench/http/post_fixtures.lua
work=$(mktemp -d)
trap 'kill $(jobs -p) 2>/dev/null || true; wait 2>/dev/null || true; rm -rf "$work"' EXIT

command -v wrk >/dev/null && command -v nginx >/dev/null || {
  echo "needs wrk and nginx (apt-get install wrk nginx-light)" >&2
  exit 1
}
[[ -x $build/app/gamelightd ]] || {
  cmake -S . -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Release >/dev/null
  cmake --build "$build" --target gamelightd >/dev/null
}

nginx_port=18080
mkdir -p "$work/nginx/logs"
cat >"$work/nginx/nginx.conf" <<CONF
worker_processes auto;
pid $work/nginx/nginx.pid;
error_log $work/nginx/logs/error.log;
events { worker_connections 1024; }
http {
  access_log off;
  keepalive_requests 1000000;
  client_body_buffer_size 64k;
  server {
    listen 127.0.0.1:$nginx_port backlog=1024;
    location / { return 204; }
  }
}
CONF
nginx -p "$work/nginx" -c "$work/nginx/nginx.conf" -g 'daemon off;' &
sleep 0.5

"$build/app/gamelightd" --port=0 --data-dir="$work/data" --log-level=warning 2>"$work/daemon.log" &
daemon_pid=$!
for _ in $(seq 100); do grep -q "listening on" "$work/daemon.log" && break; sleep 0.05; done
daemon_port=$(sed -n 's/.*listening on http:\/\/[^:]*:\([0-9]*\).*/\1/p' "$work/daemon.log")
id=$(curl -s -X POST "http://127.0.0.1:$daemon_port/api/v1/game-integrations" \
  -H 'Content-Type: application/json' \
  -d '{"name": "bench", "adapter_type": "cs2", "adapter_config": {"token": "wled-gsi-7f3c9a12e4b8"}}' |
  sed -n 's/.*"id":"\([^"]*\)".*/\1/p')

# Sums utime+stime (clock ticks) of the given pids.
cpu_ticks() { local t=0; for p in "$@"; do t=$((t + $(awk '{print $14 + $15}' "/proc/$p/stat"))); done; echo $t; }
overflows() { awk '/^TcpExt:/ { if (!h) { for (i = 1; i <= NF; i++) if ($i == "ListenOverflows") c = i; h = 1 } else print $c }' /proc/net/netstat; }
hz=$(getconf CLK_TCK)

run() { # name url pids...
  local name=$1 url=$2 conns=$3; shift 3
  local threads=$((conns < 2 ? 1 : 2))
  local before after of_before of_after out
  before=$(cpu_ticks "$@"); of_before=$(overflows)
  out=$(wrk -t"$threads" -c"$conns" -d"${seconds}s" --latency -s "$script" "$url" -- "$fixtures" "/${url#http://*/}" | grep RESULT)
  after=$(cpu_ticks "$@"); of_after=$(overflows)
  local requests; requests=$(sed 's/.*requests=\([0-9]*\).*/\1/' <<<"$out")
  local cpu_us=$(( (after - before) * 1000000 / hz ))
  echo "$name c=$conns $out cpu_us_per_req=$(awk -v c="$cpu_us" -v r="$requests" 'BEGIN { printf "%.1f", c / r }') listen_overflows=$((of_after - of_before))"
}

nginx_master=$(cat "$work/nginx/nginx.pid")
nginx_pids="$nginx_master $(pgrep -P "$nginx_master" | tr '\n' ' ')"
echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs); date: $(date -u +%F)"
for c in 1 16 64; do
  n=$(run nginx "http://127.0.0.1:$nginx_port/api/v1/game-integrations/$id/event" "$c" $nginx_pids)
  g=$(run gamelight "http://127.0.0.1:$daemon_port/api/v1/game-integrations/$id/event" "$c" "$daemon_pid")
  echo "$n"; echo "$g"
  awk -v n="$n" -v g="$g" 'function f(s, k) { match(s, k "=[0-9.]+"); return substr(s, RSTART + length(k) + 1, RLENGTH - length(k) - 1) }
    BEGIN { printf "ratio c=%s rps=%.2f cpu=%.2f p99=%.2f\n", f(g, "c"), f(g, "rps") / f(n, "rps"), f(g, "cpu_us_per_req") / f(n, "cpu_us_per_req"), f(g, "p99_us") / f(n, "p99_us") }'
done
curl -s "http://127.0.0.1:$daemon_port/api/v1/game-integrations/$id/status"; echo
