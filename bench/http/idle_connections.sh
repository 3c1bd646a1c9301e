#!/usr/bin/env bash
# What idle keep-alive connections cost the daemon: threads, RSS per connection, and
# CPU while they sit idle (and with none at all).
#
# Usage: bench/http/idle_connections.sh [build dir] [connections] [idle seconds]
set -euo pipefail
cd "$(dirname "$0")/../.."
build=${1:-build/release}
count=${2:-10000}
idle=${3:-20}
work=$(mktemp -d)
trap 'kill $(jobs -p) 2>/dev/null || true; wait 2>/dev/null || true; rm -rf "$work"' EXIT
ulimit -n "$(ulimit -Hn)"

"$build/app/gamelightd" --port=0 --data-dir="$work/data" --log-level=warning \
  --keep-alive-timeout=3600 2>"$work/daemon.log" &
pid=$!
for _ in $(seq 100); do grep -q "listening on" "$work/daemon.log" && break; sleep 0.05; done
port=$(sed -n 's/.*listening on http:\/\/[^:]*:\([0-9]*\).*/\1/p' "$work/daemon.log")

status() { awk -v k="$1:" '$1 == k { print $2 }' "/proc/$pid/status"; }
ticks() { awk '{ print $14 + $15 }' "/proc/$pid/stat"; }
hz=$(getconf CLK_TCK)

sleep 1
t0=$(ticks); sleep "$idle"; t1=$(ticks)
echo "no connections: threads=$(status Threads) rss_kib=$(status VmRSS) cpu_ticks_in_${idle}s=$((t1 - t0))"
rss0=$(status VmRSS)

# Opens the connections, each with one answered health check, then holds them idle.
python3 - "$port" "$count" "$idle" "$pid" "$hz" <<'PY' &
import socket, sys, time
port, count, idle = int(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3])
conns = []
for _ in range(count):
    s = socket.create_connection(("127.0.0.1", port))
    s.sendall(b"GET /api/v1/health HTTP/1.1\r\nHost: x\r\n\r\n")
    conns.append(s)
for s in conns:
    data = b""
    while b"\r\n\r\n" not in data:
        data += s.recv(4096)
open("/dev/stdout", "w").write(f"opened {len(conns)}\n")
time.sleep(3600)
PY
holder=$!
for _ in $(seq 600); do
  open=$(curl -s "http://127.0.0.1:$port/metrics" | awk '$1 == "gamelight_http_connections" { print $2 }')
  [[ ${open:-0} -ge $count ]] && break
  sleep 0.5
done
sleep 1
t0=$(ticks); sleep "$idle"; t1=$(ticks)
rss1=$(status VmRSS)
echo "$count idle connections: threads=$(status Threads) rss_kib=$rss1 cpu_ticks_in_${idle}s=$((t1 - t0)) rss_per_connection_bytes=$(( (rss1 - rss0) * 1024 / count ))"
start=$(date +%s%N)
curl -s -o /dev/null "http://127.0.0.1:$port/api/v1/health"
echo "health with $count idle connections: $(( ($(date +%s%N) - start) / 1000 )) us"
kill $holder
