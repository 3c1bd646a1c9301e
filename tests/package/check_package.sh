#!/usr/bin/env bash
# Proves the installation: builds the Release tree and the .deb (scripts/package.sh),
# checks the exact `cmake --install` layout in a temporary DESTDIR and starts the
# daemon from there with the installed config, checks the package's control data
# and contents, then, as root on a machine where gamelight is not installed,
# installs it with dpkg, runs the installed binary, verifies the unit with
# systemd-analyze (when present) and purges it again. Called by .ci/run.
set -euo pipefail
cd "$(dirname "$0")/../.."

fail() {
  echo "check_package: FAIL: $*" >&2
  exit 1
}
step() { echo "check_package: $*" >&2; }

deb=$(scripts/package.sh)
build=build/release
version=$(sed -n 's/^CMAKE_PROJECT_VERSION:STATIC=//p' "$build/CMakeCache.txt")
[[ -n $version ]] || fail "no project version in $build/CMakeCache.txt"
step "package $deb"

tmp=$(mktemp -d)
daemon_pid=
installed_here=
cleanup() {
  if [[ -n $daemon_pid ]]; then
    kill "$daemon_pid" 2>/dev/null || true
    wait "$daemon_pid" 2>/dev/null || true
  fi
  if [[ -n $installed_here ]]; then
    dpkg --purge gamelight >/dev/null 2>&1 || true
  fi
  rm -rf "$tmp"
}
trap cleanup EXIT

expected_files='etc/gamelight/gamelight.env
etc/gamelight/gamelight.ini
usr/bin/gamelightd
usr/lib/systemd/system/gamelight.service
usr/share/doc/gamelight/README.md'
unit_exec='ExecStart=/usr/bin/gamelightd --config=/etc/gamelight/gamelight.ini --data-dir=/var/lib/gamelight'

# Starts BINARY with CONFIG on a free loopback port and a temporary data folder,
# and checks the health route answers with the project version.
start_and_check_health() {
  local binary=$1 config=$2 data=$tmp/data-$RANDOM
  "$binary" --config="$config" --data-dir="$data" --port=0 2>"$tmp/daemon.log" &
  daemon_pid=$!
  local url=
  for _ in $(seq 300); do
    url=$(sed -n 's/^listening on \(http:[^ ]*\)$/\1/p' "$tmp/daemon.log")
    [[ -n $url ]] && break
    kill -0 "$daemon_pid" 2>/dev/null || break
    sleep 0.1
  done
  [[ -n $url ]] || fail "$binary did not start: $(cat "$tmp/daemon.log")"
  local health
  health=$(curl -sf "$url/api/v1/health") || fail "GET $url/api/v1/health failed"
  [[ $health == *"\"version\":\"$version\""* || $health == *"\"version\": \"$version\""* ]] ||
    fail "health does not report version $version: $health"
  [[ -f $data/gamelight.db ]] || fail "no database in the --data-dir folder"
  kill "$daemon_pid"
  wait "$daemon_pid" || fail "$binary did not exit cleanly on SIGTERM"
  daemon_pid=
}

# -- cmake --install into a DESTDIR ---------------------------------------------
root=$tmp/root
DESTDIR=$root cmake --install "$build" >/dev/null
actual=$(cd "$root" && find . ! -type d | sed 's|^\./||' | LC_ALL=C sort)
[[ $actual == "$expected_files" ]] || fail "install layout differs:
$(diff <(echo "$expected_files") <(echo "$actual") || true)"
[[ $(stat -c %a "$root/usr/bin/gamelightd") == 755 ]] || fail "gamelightd is not mode 755"
[[ $(stat -c %a "$root/etc/gamelight/gamelight.ini") == 644 ]] || fail "gamelight.ini is not mode 644"
[[ $(stat -c %a "$root/etc/gamelight/gamelight.env") == 600 ]] || fail "gamelight.env is not mode 600"
cmp -s "$root/etc/gamelight/gamelight.ini" conf/gamelight.ini.example ||
  fail "the system config is not conf/gamelight.ini.example"
unit=$root/usr/lib/systemd/system/gamelight.service
grep -qxF "$unit_exec" "$unit" || fail "unexpected ExecStart in the unit: $(grep ExecStart "$unit")"
grep -qxF 'EnvironmentFile=-/etc/gamelight/gamelight.env' "$unit" || fail "unit lacks the EnvironmentFile"
grep -qE '@[A-Z_]+@' "$unit" && fail "unsubstituted @VARIABLE@ in the unit"
for line in 'DynamicUser=yes' 'StateDirectory=gamelight' 'ProtectSystem=strict' \
  'NoNewPrivileges=yes' 'Restart=on-failure'; do
  grep -qxF "$line" "$unit" || fail "unit lacks $line"
done
# Every option of ExecStart is one gamelightd knows.
help=$("$root/usr/bin/gamelightd" --help)
for option in $(grep '^ExecStart=' "$unit" | grep -o -- ' --[a-z-]*' | tr -d ' '); do
  grep -qF -- "  $option=" <<<"$help" || fail "gamelightd --help does not list $option"
done
out=$("$root/usr/bin/gamelightd" --version)
[[ $out == "gamelightd $version" ]] || fail "--version printed '$out'"
# The installed config parses and the daemon runs on it.
start_and_check_health "$root/usr/bin/gamelightd" "$root/etc/gamelight/gamelight.ini"
step "cmake --install layout ok"

# -- the .deb's control data and contents -----------------------------------------
info=$(dpkg-deb --info "$deb")
field() { dpkg-deb --field "$deb" "$1"; }
[[ $(field Package) == gamelight ]] || fail "Package: $(field Package)"
[[ $(field Version) == "$version" ]] || fail "Version: $(field Version)"
[[ $(field Architecture) == "$(dpkg --print-architecture)" ]] || fail "Architecture: $(field Architecture)"
[[ $(field Section) == net ]] || fail "Section: $(field Section)"
[[ -n $(field Maintainer) ]] || fail "no Maintainer"
[[ $(field Description) == "game events to WLED light effects"* ]] || fail "Description: $(field Description)"
depends=$(field Depends)
# SQLiteCpp is a static library on Debian; its libsqlite3 is the shared one.
for lib in libc6 libstdc++6 libcaf-core libcaf-io libhttp-parser libmosquitto libcpp-httplib libsimdjson libsqlite3; do
  [[ $depends == *"$lib"* ]] || fail "Depends lacks $lib: $depends"
done
for script in postinst prerm postrm; do
  grep -qE "^ +[0-9]+ bytes, +[0-9]+ lines +\* +$script " <<<"$info" ||
    fail "control member $script missing or not executable"
done
control=$tmp/control
dpkg-deb --control "$deb" "$control"
[[ $(cat "$control/conffiles") == $'/etc/gamelight/gamelight.ini\n/etc/gamelight/gamelight.env' ]] ||
  fail "conffiles: $(cat "$control/conffiles")"
for script in postinst prerm postrm; do
  sh -n "$control/$script" || fail "$script is not valid sh"
  # Nothing may talk to systemd unless it runs (containers, chroots).
  if grep -q systemctl "$control/$script"; then
    grep -qF '[ -d /run/systemd/system ]' "$control/$script" || fail "$script calls systemctl unguarded"
  fi
done
contents=$(dpkg-deb --contents "$deb")
deb_files=$(awk '$1 !~ /^d/ {print $6}' <<<"$contents" | sed 's|^\./||' | LC_ALL=C sort)
[[ $deb_files == "$expected_files" ]] || fail ".deb contents differ:
$(diff <(echo "$expected_files") <(echo "$deb_files") || true)"
grep -qE '^-rw------- root/root .* \./etc/gamelight/gamelight\.env$' <<<"$contents" ||
  fail "gamelight.env in the .deb is not root-only"
grep -qE '^-rwxr-xr-x root/root .* \./usr/bin/gamelightd$' <<<"$contents" ||
  fail "gamelightd in the .deb is not an executable owned by root"
step ".deb control data and contents ok"

# -- dpkg -i, run, purge -------------------------------------------------------------
if [[ $(id -u) -ne 0 ]]; then
  step "not root: skipping dpkg -i"
  exit 0
fi
status=$(dpkg-query -W -f='${Status}' gamelight 2>/dev/null || true)
if [[ -n $status && $status != *not-installed ]]; then
  step "gamelight is known to dpkg here ($status): skipping dpkg -i (not touching it)"
  exit 0
fi
installed_here=1
dpkg -i "$deb" >/dev/null || fail "dpkg -i failed"
[[ $(dpkg-query -W -f='${Status}' gamelight) == "install ok installed" ]] || fail "not installed"
out=$(/usr/bin/gamelightd --version)
[[ $out == "gamelightd $version" ]] || fail "installed --version printed '$out'"
conffiles=$(dpkg-query -W -f='${Conffiles}' gamelight)
for f in /etc/gamelight/gamelight.ini /etc/gamelight/gamelight.env; do
  grep -qF " $f " <<<"$conffiles" || fail "$f is not a registered conffile: $conffiles"
done
[[ $(stat -c '%a %U' /etc/gamelight/gamelight.env) == "600 root" ]] || fail "installed gamelight.env is not 600 root"
if command -v systemd-analyze >/dev/null; then
  # Warnings about the host's other units are not ours; the verdict is the exit status.
  systemd-analyze verify /usr/lib/systemd/system/gamelight.service ||
    fail "systemd-analyze verify rejects the unit"
  step "systemd-analyze verify ok"
else
  step "systemd-analyze not found: unit verification skipped"
fi
start_and_check_health /usr/bin/gamelightd /etc/gamelight/gamelight.ini
dpkg --purge gamelight >/dev/null || fail "dpkg --purge failed"
installed_here=
for f in /usr/bin/gamelightd /usr/lib/systemd/system/gamelight.service /etc/gamelight; do
  [[ ! -e $f ]] || fail "$f is left after purge"
done
step "dpkg -i, --version, purge ok"
step "passed"
