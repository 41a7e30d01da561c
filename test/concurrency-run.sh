#!/usr/bin/env bash
# The whole of npm test twice in a row, with the unit and HTTP tests at --test-concurrency=16, to show that
# the suite holds on a busy machine (run it while other work loads the cores). Logs and the load average,
# sampled every 30 s, go to $LOGDIR (default /tmp/dateline-concurrency); the summary line per run is printed.
# Needs what npm test needs (PostgreSQL, Redis, chromium, haproxy, openssl) and a clean checkout.
set -u
cd "$(dirname "$0")/.."
LOGDIR=${LOGDIR:-/tmp/dateline-concurrency}
mkdir -p "$LOGDIR"
export CI=true
npm ci --no-audit --no-fund > "$LOGDIR/npm-ci.log" 2>&1 || { echo "npm ci failed (see $LOGDIR/npm-ci.log)"; exit 1; }
( while true; do echo "$(date -u +%T) $(cut -d' ' -f1-3 /proc/loadavg)"; sleep 30; done ) > "$LOGDIR/load.log" &
LOADER=$!
trap 'kill $LOADER 2>/dev/null' EXIT
for run in 1 2; do
  start=$(date +%s)
  { npm run typecheck && npm run lint &&
    node --import tsx --test --test-concurrency=16 $(find src -name '*.test.ts' -o -name '*.test.tsx' | sort) &&
    npm run test:browser; } > "$LOGDIR/run$run.log" 2>&1
  rc=$?
  echo "run $run rc=$rc $(( $(date +%s) - start )) s"
  [ $rc -ne 0 ] && exit $rc
done
