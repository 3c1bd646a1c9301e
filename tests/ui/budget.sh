#!/usr/bin/env bash
# Checks the dashboard's weight: every file of ui/ compressed on its own with gzip -9
# (as a browser would fetch each), summed, must stay within the budget.
# Usage: budget.sh <ui dir> <limit in bytes>
set -euo pipefail
dir=$1
limit=$2
total=0
for file in "$dir"/*; do
  size=$(gzip -9 -c "$file" | wc -c)
  printf '%8d  %s\n' "$size" "$(basename "$file")"
  total=$((total + size))
done
printf '%8d  total gzipped (budget %d bytes)\n' "$total" "$limit"
if ((total > limit)); then
  echo "over budget by $((total - limit)) bytes" >&2
  exit 1
fi
