#!/usr/bin/env bash
# Live-stream benchmarks (issue 11), all against one daemon started here:
#  1. fan-out: 100 generic integrations posting at 64 Hz each (one event per payload)
#     with 50 readers of /api/v1/events/stream, and the same load without readers,
#     interleaved rounds: delivery checked per reader, event -> SSE p50/p99, daemon CPU per
#     payload and its ratio between the two; then the floor: what writing the same SSE
#     bytes to 50 loopback readers costs a plain thread (no daemon), per payload;
#  2. frame streams: a 600-LED device playing a pulse, daemon CPU with 0, 1 and 10
#     watchers at fps=30.
# Usage: bench/streams/run.sh <build dir> [seconds per round] [Hz per integration] [rounds]
#        [all|fanout|frames]
set -euo pipefail
build=${1:?usage: run.sh <build dir> [seconds] [rate] [rounds]}
seconds=${2:-10}
rate=${3:-64}
rounds=${4:-3}
what=${5:-all}
daemon="$build/app/gamelightd"
bench="$build/bench/streams/gamelight_stream_bench"
work=$(mktemp -d)
pid=
cleanup() {
  [[ -n $pid ]] && kill "$pid" 2>/dev/null || true
  wait 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

"$daemon" --port=0 --data-dir="$work" --log-level=warning 2>"$work/daemon.log" &
pid=$!
port=
for _ in $(seq 100); do
  port=$(sed -n 's/^listening on http:\/\/127.0.0.1:\([0-9]*\)$/\1/p' "$work/daemon.log")
  [[ -n $port ]] && break
  sleep 0.05
done
if [[ -z $port ]]; then
  echo "the daemon did not start" >&2
  cat "$work/daemon.log" >&2
  exit 1
fi

echo "machine: $(nproc) vCPU $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs); $(date -u '+%F %H:%M UTC'); load: $(cut -d' ' -f1-3 /proc/loadavg)"
status=0
if [[ $what != frames ]]; then
  echo "== fan-out: 100 integrations x $rate Hz, 50 stream clients vs none, $seconds s rounds"
  "$bench" --mode=fanout --port="$port" --pid="$pid" --integrations=100 --rate="$rate" \
    --clients=50 --seconds="$seconds" --rounds="$rounds" || status=1
  # Batches as long as the daemon's with 50 streams: 50 x 1 s / 1000 writes a second (see
  # event_streams_options::writes_per_second).
  echo "== the floor: the same SSE bytes written by one plain thread to 50 loopback readers, every 50 ms"
  for _ in $(seq "$rounds"); do
    "$bench" --mode=floor --integrations=100 --rate="$rate" --clients=50 --seconds="$seconds" \
      --batch-ms=50 || status=1
  done
fi
if [[ $what != fanout ]]; then
  echo "== frame streams: 600 LEDs, pulse, fps=30, $seconds s windows"
  "$bench" --mode=frames --port="$port" --pid="$pid" --leds=600 --fps=30 --watchers=0,1,10 \
    --seconds="$seconds" --rounds="$rounds" || status=1
fi
echo "== stream metrics"
curl -s "http://127.0.0.1:$port/metrics" | grep '^gamelight_stream' || true
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)"
exit $status
