#!/usr/bin/env bash
# The officials' workbench at scale: seeds N demo applications (default
# 1,000,000) into a fresh SQLite data directory, or into PostgreSQL when
# DATABASE_URL is set (its database is emptied first), starts the release
# server on it and times the statistics page and APIs and a 10,000-person
# batch check over HTTP (load/workbench.py). Builds nothing.
#
# Usage: load/statistics.sh [N]     (env: ZIGE_BIN, DATABASE_URL, RUNS=20)
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/.." && pwd)"
BIN="${ZIGE_BIN:-$ROOT/target/release/zige}"
N="${1:-1000000}"
[ -x "$BIN" ] || { echo "no server binary at $BIN: cargo build --release -p zige-cli" >&2; exit 2; }

WORK="$(mktemp -d "${TMPDIR:-/tmp}/zige-stats.XXXXXX")"
PID=""
cleanup() {
  if [ -n "$PID" ]; then kill "$PID" 2>/dev/null || true; wait "$PID" 2>/dev/null || true; fi
  rm -rf "$WORK"
}
trap cleanup EXIT

store=(--data-dir "$WORK/data")
if [ -n "${DATABASE_URL:-}" ]; then
  psql "$DATABASE_URL" -q -c 'DROP SCHEMA public CASCADE' -c 'CREATE SCHEMA public'
  store+=(--database-url "$DATABASE_URL")
fi
echo "== seeding $N demo applications ($([ -n "${DATABASE_URL:-}" ] && echo PostgreSQL || echo SQLite))"
start=$(date +%s)
"$BIN" demo seed --applications "$N" "${store[@]}"
echo "seeded in $(( $(date +%s) - start )) s"
secret="$(printf 'official password 1\n' | "$BIN" admin create-user --email official@example.org --role official --password-stdin --with-totp "${store[@]}" | sed -n 's/^totp-secret: *//p')"

port="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
base="http://127.0.0.1:$port"
ZIGE_LOG=warn "$BIN" serve --addr "127.0.0.1:$port" "${store[@]}" > "$WORK/server.log" 2>&1 &
PID=$!
for _ in $(seq 1 300); do
  curl -sf "$base/readyz" >/dev/null && break
  kill -0 "$PID" 2>/dev/null || { cat "$WORK/server.log" >&2; exit 1; }
  sleep 0.2
done
python3 "$HERE/workbench.py" "$base" official@example.org 'official password 1' "$secret" "${RUNS:-20}"
