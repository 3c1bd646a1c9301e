#!/usr/bin/env bash
# MQTT benchmarks (issue 13), all in one run on this machine:
#  1. event -> MQTT message at a subscriber on loopback (p50/p99);
#  2. ingestion CPU per payload of three daemons side by side: MQTT on with the broker
#     up, MQTT on with the broker down, MQTT off; three interleaved rounds each.
#     Worst case: every payload carries an event; then one payload in 16 (a CS2 match
#     at 64 Hz fires a few events a second).
# Usage: bench/mqtt/run.sh <build dir> [payloads per round] [latency events]
set -euo pipefail
build=${1:?usage: run.sh <build dir> [payloads] [events]}
payloads=${2:-20000}
events=${3:-5000}
daemon="$build/app/gamelightd"
bench="$build/bench/mqtt/gamelight_mqtt_bench"
work=$(mktemp -d)
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'
}

broker_port=$(free_port)
down_port=$(free_port)
printf 'listener %s 127.0.0.1\nallow_anonymous true\npersistence false\n' "$broker_port" >"$work/m.conf"
mosquitto -c "$work/m.conf" >"$work/broker.log" 2>&1 &
pids+=($!)

# Starts a daemon; sets $port and $pid.
start() {
  local name=$1
  shift
  mkdir -p "$work/$name"
  "$daemon" --port=0 --data-dir="$work/$name" --log-level=warning "$@" 2>"$work/$name.log" &
  pid=$!
  pids+=("$pid")
  for _ in $(seq 100); do
    port=$(sed -n 's/^listening on http:\/\/127.0.0.1:\([0-9]*\)$/\1/p' "$work/$name.log")
    [[ -n $port ]] && return
    sleep 0.05
  done
  echo "daemon $name did not start" >&2
  exit 1
}

start up --mqtt-url="mqtt://127.0.0.1:$broker_port"
up_port=$port up_pid=$pid
start down --mqtt-url="mqtt://127.0.0.1:$down_port"
down_port_http=$port down_pid=$pid
start off
off_port=$port off_pid=$pid

echo "machine: $(nproc) vCPU $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs); $(date -u +%F)"
echo "== event -> MQTT subscriber ($events events, one at a time)"
"$bench" --mode=latency --port="$up_port" --broker-port="$broker_port" --events="$events"
for every in 1 16; do
echo "== ingestion CPU ($payloads payloads per round, one in $every with an event)"
for round in 1 2 3; do
  for setup in up down off; do
    case $setup in
      up) p=$up_port d=$up_pid ;;
      down) p=$down_port_http d=$down_pid ;;
      off) p=$off_port d=$off_pid ;;
    esac
    printf 'round %s, MQTT %-4s ' "$round" "$setup"
    "$bench" --mode=load --port="$p" --pid="$d" --events="$payloads" --event-every="$every"
  done
done
done
echo "== /metrics of the broker-down daemon"
curl -s "http://127.0.0.1:$down_port_http/metrics" | grep '^gamelight_mqtt'
echo "== /metrics of the broker-up daemon"
curl -s "http://127.0.0.1:$up_port/metrics" | grep '^gamelight_mqtt'
