#!/usr/bin/env bash
# Builds the libFuzzer targets with clang, runs each for the given number of seconds (one
# after the other, at low priority), then minimizes its corpus into fuzz/corpus/<target>/.
#   fuzz/run.sh <seconds-per-target> [targets...]   (default: every target)
# Crashing inputs land in build/fuzz/artifacts/<target>/; logs in build/fuzz/logs/.
# The timeout is generous because libFuzzer measures wall time, and a niced process on a
# busy machine can wait many seconds for a CPU (see fuzz/README.md).
set -euo pipefail
cd "$(dirname "$0")/.."

all_targets=(cs2 dota2 generic validation restore http_request)
if [[ $# -lt 1 || ! $1 =~ ^[0-9]+$ ]]; then
  echo "usage: $0 <seconds-per-target> [${all_targets[*]}]" >&2
  exit 2
fi
seconds=$1
shift
targets=("$@")
[[ ${#targets[@]} -eq 0 ]] && targets=("${all_targets[@]}")

if ! command -v clang++ >/dev/null || ! compgen -G "/usr/lib/llvm-*/lib/clang/*/lib/linux/libclang_rt.fuzzer-x86_64.a" >/dev/null; then
  apt-get update
  apt-get install -y clang libclang-rt-14-dev
fi

build=build/fuzz
cmake -S . -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DGAMELIGHT_BENCHMARKS=OFF \
  -DGAMELIGHT_FUZZ=ON -DCMAKE_CXX_COMPILER=clang++ >/dev/null
nice cmake --build "$build" -j2 --target gamelight_fuzz_restore_seeds \
  $(printf 'gamelight_fuzz_%s ' "${targets[@]}")

# Seeds: the GSI fixtures without their tabs and newlines (alone and as consecutive pairs
# separated by a NUL byte), the
# API bodies in fuzz/seeds/ and backup files made by the daemon's own storage code.
seeds=$build/seeds
rm -rf "$seeds"
mkdir -p "$seeds"/{cs2,dota2,generic,validation,http_request}
for game in cs2 dota2; do
  prev=
  for f in tests/data/"$game"_*.json; do
    tr -d '\n\t' <"$f" >"$seeds/$game/$(basename "$f")"
    if [[ -n $prev ]]; then
      { tr -d '\n\t' <"$prev"; printf '\0'; tr -d '\n\t' <"$f"; } \
        >"$seeds/$game/pair_$(basename "$prev" .json)+$(basename "$f")"
    fi
    prev=$f
  done
done
cp fuzz/seeds/generic/* "$seeds/generic/"
cp fuzz/seeds/validation/* "$seeds/validation/"
cp fuzz/seeds/http_request/* "$seeds/http_request/"
"$build/fuzz/gamelight_fuzz_restore_seeds" "$seeds/restore"

mkdir -p "$build/logs"
for t in "${targets[@]}"; do
  bin=$build/fuzz/gamelight_fuzz_$t
  corpus=fuzz/corpus/$t
  work=$build/work/$t
  artifacts=$build/artifacts/$t
  mkdir -p "$corpus" "$work" "$artifacts"
  dict=-dict=fuzz/json.dict
  [[ $t == restore ]] && dict=
  echo "== $t: fuzzing for ${seconds}s"
  status=0
  nice -n 10 "$bin" -max_total_time="$seconds" -timeout=60 -rss_limit_mb=2048 \
    $dict -print_final_stats=1 -artifact_prefix="$artifacts/" \
    "$work" "$corpus" "$seeds/$t" >"$build/logs/$t.log" 2>&1 || status=$?
  grep -E '^stat::number_of_executed_units|^stat::peak_rss_mb|^(==[0-9]+==ERROR|SUMMARY)' \
    "$build/logs/$t.log" || true
  echo "   exit status $status; artifacts: $(ls "$artifacts" | wc -l)"
  # Minimize everything seen into a fresh corpus directory and swap it in. Edge coverage
  # only (no hit counts), which keeps the committed corpus small.
  rm -rf "$corpus.new"
  mkdir -p "$corpus.new"
  nice -n 10 "$bin" -merge=1 -use_counters=0 -timeout=60 -rss_limit_mb=2048 "$corpus.new" "$corpus" "$work" \
    "$seeds/$t" >"$build/logs/$t.merge.log" 2>&1
  rm -rf "$corpus"
  mv "$corpus.new" "$corpus"
  echo "   corpus: $(ls "$corpus" | wc -l) files, $(cat "$corpus"/* | wc -c) bytes"
done
