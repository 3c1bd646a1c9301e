#!/usr/bin/env bash
# Installs the Debian packages gamelight builds and tests with, if any is missing.
set -euo pipefail

packages=(
  build-essential cmake ninja-build pkg-config clang-format
  libcaf-dev libhttp-parser-dev libcpp-httplib-dev libsqlitecpp-dev libsqlite3-dev libsimdjson-dev
  doctest-dev nlohmann-json3-dev libbenchmark-dev
  libmosquitto-dev mosquitto
  curl sqlite3
  nodejs chromium
)

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
# The browser tests' npm (tests/ui): Debian ships it apart from nodejs; other builds of
# nodejs bring their own.
command -v npm >/dev/null || missing+=(npm)
if ((${#missing[@]} == 0)); then
  exit 0
fi
echo "installing: ${missing[*]}" >&2
sudo_cmd=()
if [[ $(id -u) -ne 0 ]]; then
  sudo_cmd=(sudo)
fi
"${sudo_cmd[@]}" apt-get update -qq
DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -y -qq "${missing[@]}" >/dev/null
