#!/usr/bin/env bash
# Runs the browser test against a fresh daemon and saves its screenshots into
# docs/screenshots (the README shows them). Needs a build in build/test (scripts/test.sh).
set -euo pipefail
cd "$(dirname "$0")/.."
(cd tests/ui && npm ci --no-audit --no-fund --loglevel=error)
node tests/ui/dashboard.test.mjs --daemon=build/test/app/gamelightd --data=tests/data \
  --screenshots=docs/screenshots
