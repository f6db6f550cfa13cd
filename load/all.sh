#!/usr/bin/env bash
# Every speed figure of Zige in one run, on a release build, each printed
# beside its target (2 cores shared by server, load generator and database):
#   1. reads (load/run.sh): /healthz, the entry page and JSON, search cached
#      and uncached; time to ready; resident memory after the load and after
#      100,000 distinct queries;
#   2. writes (load/apply.sh): concurrent applicants on SQLite and on
#      PostgreSQL beside pgbench simple-update at the same concurrency;
#   3. the search index build (criterion, upper bound of its interval).
#
#   bash load/all.sh [CLIENTS] [SECONDS]     (writes: default 8 clients, 10 s)
#
# Needs what the two scripts need: wrk, curl, PostgreSQL on 127.0.0.1:5432
# with pgbench. Takes about five minutes after the build.
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --release -q -p zige-cli --bin zige --example apply_load
RESULTS=$(mktemp)
trap 'rm -f "$RESULTS"' EXIT
export RESULTS

echo "== reads"
bash load/run.sh
echo
echo "== writes"
bash load/apply.sh "${1:-8}" "${2:-10}"
echo
echo "== search index build (criterion)"
cargo bench -q -p zige-search --bench search -- index/build 2>/dev/null | tee "$RESULTS.bench" | grep -E "^index|time:" || true
upper=$(awk '/time:/ { s = $0; sub(/.*\[/, "", s); sub(/\].*/, "", s); split(s, a, " "); v = a[5]; u = a[6];
  if (u == "µs" || u == "us") v /= 1000; if (u == "ns") v /= 1e6; if (u == "s") v *= 1000; printf "%.2f", v; exit }' "$RESULTS.bench")
rm -f "$RESULTS.bench"
met=$(awk -v v="$upper" 'BEGIN { print (v != "" && v <= 10) ? "met" : "MISSED" }')
printf '%-44s %10s   target %-12s %s\n' "index build ms (upper bound)" "$upper" "<= 10" "$met"
echo "index build ms (upper bound) $upper" >> "$RESULTS"

echo
echo "== all figures"
cat "$RESULTS"
