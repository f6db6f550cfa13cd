#!/usr/bin/env bash
# Applications under load: concurrent applicants (create, upload, submit)
# against a release build on SQLite and on PostgreSQL, beside
# `pgbench -b simple-update` on the same PostgreSQL at the same concurrency.
#
#   bash load/apply.sh [CLIENTS] [SECONDS]
#
# Needs: a release build (cargo build --release -p zige-cli --example apply_load
# and the binary), PostgreSQL on 127.0.0.1:5432 (user postgres, trust), pgbench.
set -euo pipefail
cd "$(dirname "$0")/.."
CLIENTS=${1:-8}
SECONDS_=${2:-10}
PG=${ZIGE_TEST_POSTGRES:-postgres://postgres@127.0.0.1:5432/test}
PGBASE=${PG%/*}
# ZIGE_BIN and LOAD_BIN name binaries built elsewhere (an earlier commit's,
# to compare); otherwise this tree is built.
if [ -z "${ZIGE_BIN:-}" ]; then
  cargo build --release -q -p zige-cli --bin zige --example apply_load
fi
BIN=${ZIGE_BIN:-target/release/zige}
LOAD=${LOAD_BIN:-target/release/examples/apply_load}
WORK=$(mktemp -d)
trap 'kill $(jobs -p) 2>/dev/null || true; rm -rf "$WORK"' EXIT

psql_() { psql "$PG" -v ON_ERROR_STOP=1 -q -c "$1"; }

run_server() { # $1 name, rest: extra args
  local name=$1; shift
  local port
  port=$(python3 -c 'import socket;s=socket.socket();s.bind(("127.0.0.1",0));print(s.getsockname()[1])')
  ZIGE_LOG=warn "$BIN" serve --addr "127.0.0.1:$port" --data-dir "$WORK/$name" "$@" >"$WORK/$name.log" 2>&1 &
  local pid=$!
  for _ in $(seq 100); do curl -sf "http://127.0.0.1:$port/readyz" >/dev/null && break; sleep 0.1; done
  echo "== $name: $CLIENTS clients, ${SECONDS_}s" >&2
  "$LOAD" "http://127.0.0.1:$port" "$CLIENTS" "$SECONDS_" | tee "$WORK/$name.json"
  kill "$pid"; wait "$pid" 2>/dev/null || true
}

run_server sqlite

psql_ "DROP DATABASE IF EXISTS zige_load WITH (FORCE)"; psql_ "CREATE DATABASE zige_load"
run_server postgres --database-url "$PGBASE/zige_load"

psql_ "DROP DATABASE IF EXISTS zige_pgbench WITH (FORCE)"; psql_ "CREATE DATABASE zige_pgbench"
pgbench -q -i -s 10 "$PGBASE/zige_pgbench" >/dev/null 2>&1
echo "== pgbench -b simple-update -c $CLIENTS -j 2 -T $SECONDS_" >&2
pgbench -b simple-update -c "$CLIENTS" -j 2 -T "$SECONDS_" "$PGBASE/zige_pgbench" 2>/dev/null | tee "$WORK/pgbench.txt" | grep -E "tps|latency"
psql_ "DROP DATABASE IF EXISTS zige_pgbench WITH (FORCE)"; psql_ "DROP DATABASE IF EXISTS zige_load WITH (FORCE)"

python3 - "$WORK" <<'PY'
import json, os, re, sys
w = sys.argv[1]
pg = json.load(open(f"{w}/postgres.json")); lite = json.load(open(f"{w}/sqlite.json"))
tps = float(re.search(r"tps = ([\d.]+)", open(f"{w}/pgbench.txt").read()).group(1))
print(f"sqlite:   {lite['submissions_per_s']:.1f} submissions/s, p99 {lite['p99_ms']['any']:.1f} ms, errors {lite['errors']}, lost {lite['lost']}")
print(f"postgres: {pg['submissions_per_s']:.1f} submissions/s ({pg['write_requests_per_s']:.1f} write requests/s), p99 {pg['p99_ms']['any']:.1f} ms, errors {pg['errors']}, lost {pg['lost']}")
print(f"pgbench simple-update: {tps:.1f} tps")
print(f"ratio postgres submissions/s / pgbench tps = {pg['submissions_per_s']/tps:.2f} (target >= 0.50)")
print(f"ratio postgres write requests/s / pgbench tps = {pg['write_requests_per_s']/tps:.2f}")
ratio = pg['write_requests_per_s'] / tps
lite_vs_pg = lite['write_requests_per_s'] / pg['write_requests_per_s']
print(f"sqlite:   {lite['write_requests_per_s']:.1f} write requests/s")
print(f"{'ratio postgres write requests/s / pgbench tps':44} {ratio:10.3f}   target >= 0.5       {'met' if ratio >= 0.5 else 'MISSED'}")
print(f"{'ratio sqlite / postgres write requests/s':44} {lite_vs_pg:10.3f}   target >= 1.0       {'met' if lite_vs_pg >= 1.0 else 'MISSED'}")
print(f"{'acknowledged writes lost (sqlite + postgres)':44} {lite['lost'] + pg['lost']:10d}   target 0            {'met' if lite['lost'] + pg['lost'] == 0 else 'MISSED'}")
results = os.environ.get("RESULTS")
if results:
    with open(results, "a") as f:
        f.write(f"ratio postgres writes/pgbench {ratio:.3f}\nratio sqlite/postgres writes {lite_vs_pg:.3f}\n")
PY
