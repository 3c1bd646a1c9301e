#!/usr/bin/env bash
# Builds gamelightd in Release (build/release, the tree scripts/run.sh uses) with
# the install prefix /usr and makes the Debian package of it; prints the .deb's path
# on stdout (progress goes to stderr). Only gamelightd is built: cpack installs
# without building the whole tree (CMAKE_SKIP_INSTALL_ALL_DEPENDENCY).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
build=build/release
cmake -S . -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Release -DCMAKE_INSTALL_PREFIX=/usr \
  -DGAMELIGHT_BENCHMARKS=OFF -DCMAKE_SKIP_INSTALL_ALL_DEPENDENCY=ON >&2
cmake --build "$build" --target gamelightd >&2
version=$(sed -n 's/^CMAKE_PROJECT_VERSION:STATIC=//p' "$build/CMakeCache.txt")
arch=$(dpkg --print-architecture)
deb="$build/gamelight_${version}_${arch}.deb"
rm -f "$deb"
(cd "$build" && cpack -G DEB) >&2
test -f "$deb"
echo "$(pwd)/$deb"
