#!/usr/bin/env bash
# Daemon CPU while rendering, on loopback. Starts its own gamelightd (temp data dir,
# --port=0) and a UDP sink (gamelight_event_to_light --sink) with one port per device,
# creates a generic integration and 20 DDP devices x 600 LEDs at 60 fps, starts a sticky
# `pulse` on all of them with one ingestion event, then reads the daemon's utime+stime
# (/proc/PID/stat) over the given seconds: % of one core and frames sent (sum of the
# devices' frames_sent). Then sends an event mapped to `off`, waits, and measures the idle
# CPU over the same time. Targets: rendering under 10 % of one core, idle ~0.
#
# Usage: bench/led/render_cpu.sh [build dir] [seconds]
#   DEVICES, LEDS, FPS override 20, 600 and 60. ZONES=1 gives every device 4 zones (a
#   quarter of the strip each, the second reversed) and plays 6 effects per device instead
#   of the pulse: the pulse under everything, 3 zone gauges, a zone countdown and a strobe
#   hidden under a gauge.
set -euo pipefail
cd "$(dirname "$0")/../.."
build=${1:-build/release}
seconds=${2:-10}
devices=${DEVICES:-20}
leds=${LEDS:-600}
fps=${FPS:-60}
zoned=${ZONES:-0}
work=$(mktemp -d)
daemon_pid=
sink_pid=
cleanup() {
  [[ -n $daemon_pid ]] && kill "$daemon_pid" 2>/dev/null && wait "$daemon_pid" 2>/dev/null || true
  [[ -n $sink_pid ]] && kill "$sink_pid" 2>/dev/null && wait "$sink_pid" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

command -v curl >/dev/null || {
  echo "needs curl (apt-get install curl)" >&2
  exit 1
}
daemon=$build/app/gamelightd
sink=$build/bench/led/gamelight_event_to_light
[[ -x $daemon && -x $sink ]] || {
  cmake -S . -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Release >/dev/null
  cmake --build "$build" --target gamelightd gamelight_event_to_light >/dev/null
}

# The sink outlives every phase below by a margin, then exits by itself.
"$sink" --sink="$devices" --seconds=$((2 * seconds + 120)) >"$work/sink.out" &
sink_pid=$!
for _ in $(seq 100); do grep -q '^ports:' "$work/sink.out" && break; sleep 0.05; done
read -r -a ports <<<"$(sed -n 's/^ports: //p' "$work/sink.out")"
[[ ${#ports[@]} -eq $devices ]] || {
  echo "sink did not start" >&2
  exit 1
}

"$daemon" --port=0 --data-dir="$work/data" --log-level=warning 2>"$work/daemon.log" &
daemon_pid=$!
for _ in $(seq 200); do grep -q "listening on" "$work/daemon.log" && break; sleep 0.05; done
port=$(sed -n 's/.*listening on http:\/\/[^:]*:\([0-9]*\).*/\1/p' "$work/daemon.log")
[[ -n $port ]] || {
  echo "daemon did not start:" >&2
  cat "$work/daemon.log" >&2
  exit 1
}
base=http://127.0.0.1:$port/api/v1

# post PATH BODY: prints the answer; fails on an HTTP error.
post() { curl -sf -X POST "$base$1" -H 'Content-Type: application/json' -d "$2"; }
id_of() { sed -n 's/^{"id":"\([^"]*\)".*/\1/p; t; s/.*"id": *"\([^"]*\)".*/\1/p'; }

mappings='{"event_type": "go", "effect": "pulse", "color": [0, 140, 255], "duration_ms": 0}'
zones='[]'
if [[ $zoned == 1 ]]; then
  q=$((leds / 4))
  zones="[{\"name\": \"z0\", \"start\": 0, \"length\": $q},
    {\"name\": \"z1\", \"start\": $q, \"length\": $q, \"reverse\": true},
    {\"name\": \"z2\", \"start\": $((2 * q)), \"length\": $q},
    {\"name\": \"z3\", \"start\": $((3 * q)), \"length\": $((leds - 3 * q))}]"
  mappings="$mappings,
    {\"event_type\": \"go\", \"effect\": \"gauge\", \"duration_ms\": 0, \"priority\": 50, \"zone\": \"z0\"},
    {\"event_type\": \"go\", \"effect\": \"gauge\", \"duration_ms\": 0, \"priority\": 50, \"zone\": \"z1\"},
    {\"event_type\": \"go\", \"effect\": \"gauge\", \"duration_ms\": 0, \"priority\": 50, \"zone\": \"z2\"},
    {\"event_type\": \"go\", \"effect\": \"countdown\", \"duration_ms\": 600000, \"priority\": 80, \"zone\": \"z3\"},
    {\"event_type\": \"go\", \"effect\": \"strobe\", \"duration_ms\": 600000, \"priority\": 40, \"zone\": \"z1\"}"
fi
integration=$(post /game-integrations "{
  \"name\": \"render cpu\", \"adapter_type\": \"generic\",
  \"adapter_config\": {\"events\": [\"go\", \"stop\"]},
  \"event_mappings\": [$mappings,
    {\"event_type\": \"stop\", \"effect\": \"off\"}]}" | id_of)
ids=()
for ((i = 0; i < devices; i++)); do
  ids+=("$(post /devices "{\"name\": \"strip $i\", \"host\": \"127.0.0.1\", \"port\": ${ports[i]},
    \"protocol\": \"ddp\", \"led_count\": $leds, \"fps\": $fps, \"zones\": $zones,
    \"integration_ids\": [\"$integration\"]}" | id_of)")
done

hz=$(getconf CLK_TCK)
cpu_ticks() { awk '{print $14 + $15}' "/proc/$daemon_pid/stat"; }
now_ns() { date +%s%N; }
frames() {
  local total=0 n
  for id in "${ids[@]}"; do
    n=$(curl -sf "$base/devices/$id/status" | sed -n 's/.*"frames_sent": *\([0-9]*\).*/\1/p')
    total=$((total + n))
  done
  echo "$total"
}
active() { curl -sf "$base/devices/${ids[0]}/status" | sed -n 's/.*"active_effects": *\(\[[^]]*\]\).*/\1/p'; }
# Context switches of every daemon thread (how often it wakes up).
switches() { cat /proc/"$daemon_pid"/task/*/status | awk '/ctxt_switches/ { s += $2 } END { print s }'; }

# measure NAME EXPECTED_FPS: the daemon's CPU over $seconds (the status requests that sum frames_sent
# run outside that window; the frame rate uses the midpoints of the two samplings).
measure() {
  local f0 f1 c0 c1 s0 s1 t0 t1 a0 a1 b0 b1
  a0=$(now_ns)
  f0=$(frames)
  b0=$(now_ns)
  c0=$(cpu_ticks)
  s0=$(switches)
  t0=$(now_ns)
  sleep "$seconds"
  c1=$(cpu_ticks)
  s1=$(switches)
  t1=$(now_ns)
  a1=$(now_ns)
  f1=$(frames)
  b1=$(now_ns)
  awk -v name="$1" -v c=$((c1 - c0)) -v hz="$hz" -v ns=$((t1 - t0)) -v f=$((f1 - f0)) \
    -v fns=$(((a1 + b1) / 2 - (a0 + b0) / 2)) -v sw=$((s1 - s0)) \
    -v want="$2" 'BEGIN {
      s = ns / 1e9
      printf "%s: cpu=%.2f%% of one core (%d ticks at %d Hz over %.2f s), frames_sent=%d (%.0f/s, expected %d/s), context_switches=%.0f/s\n",
        name, 100 * c / hz / s, c, hz, s, f, f / (fns / 1e9), want, sw / s
    }'
}

echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs); date: $(date -u '+%F %T') UTC"
echo "setup: $devices devices x $leds LEDs at $fps fps, DDP to 127.0.0.1 sink, sticky pulse, zones=$zoned, $seconds s per phase"
post "/game-integrations/$integration/event" '{"event_type": "go", "data": {"fraction": 0.6}}' >/dev/null
sleep 1
echo "active on ${ids[0]}: $(active)"
measure rendering $((devices * fps))
post "/game-integrations/$integration/event" '{"event_type": "stop"}' >/dev/null
sleep 1
echo "active on ${ids[0]}: $(active)"
measure idle 0
echo "daemon threads: $(awk '/^Threads:/ {print $2}' "/proc/$daemon_pid/status")"

for id in "${ids[@]}"; do curl -sf -X DELETE "$base/devices/$id" >/dev/null; done
curl -sf -X DELETE "$base/game-integrations/$integration" >/dev/null
