#!/usr/bin/env bash
# The browser tests, RUNS times in a row (default 20), stopping at the first failure, on a machine kept busy
# by Debian's `stress` (STRESS_CPU workers spinning on the CPU, default 2: one per core here). Several
# copies of this script may run side by side, each in its own clean checkout (the compiled-build test
# writes dist/), with STRESS_CPU=0 on all but one so the load is `stress` plus the other suites.
# Logs, one per run, and the load average sampled every 30 s go to $LOGDIR (default /tmp/dateline-stress).
# Needs what npm run test:browser needs (chromium, haproxy, openssl, PostgreSQL, Redis), `stress`, and
# npm ci done in this checkout.
set -u
cd "$(dirname "$0")/.."
RUNS=${RUNS:-20}
STRESS_CPU=${STRESS_CPU:-2}
LOGDIR=${LOGDIR:-/tmp/dateline-stress}
mkdir -p "$LOGDIR"
export CI=true
pids=()
if [ "$STRESS_CPU" -gt 0 ]; then
  command -v stress >/dev/null || { echo "stress is not installed (apt-get install stress)"; exit 1; }
  stress --cpu "$STRESS_CPU" > "$LOGDIR/stress.log" 2>&1 &
  pids+=($!)
fi
( while true; do echo "$(date -u +%T) $(cut -d' ' -f1-3 /proc/loadavg)"; sleep 30; done ) > "$LOGDIR/load.log" &
pids+=($!)
trap 'kill "${pids[@]}" 2>/dev/null' EXIT
passed=0
for run in $(seq 1 "$RUNS"); do
  start=$(date +%s)
  npm run test:browser > "$LOGDIR/run$run.log" 2>&1
  rc=$?
  summary=$(grep -E '^# (pass|fail) ' "$LOGDIR/run$run.log" | tr '\n' ' ')
  echo "$(date -u +%T) run $run rc=$rc $(( $(date +%s) - start )) s ${summary}"
  [ $rc -ne 0 ] && { echo "run $run failed: see $LOGDIR/run$run.log"; exit $rc; }
  passed=$((passed + 1))
done
echo "$passed of $RUNS runs passed in a row"
