#!/usr/bin/env bash
# Read load check for Zige, on loopback only, bounded in time (about 90 s).
#
# Builds nothing: runs the server binary ZIGE_BIN (default target/release/zige,
# relative to the repository root) on 127.0.0.1 with a fresh data directory,
# measures its time to ready (spawn to first 200 on /healthz), then runs
# Debian's wrk for 10 s each at 64 connections and 2 threads against
#   /healthz, /entries/G39 (a server-rendered page), /api/v1/entries/G39,
#   /api/v1/search cached (load/search.lua cycles ~40 queries: English,
#   Chinese, typos, abbreviations) and uncached (the same script and mix, every
#   query string new),
# prints requests/s, p99 latency and errors of each and the ratios to /healthz,
# reads the server's resident memory (VmRSS) after the load and again after
# at least 100,000 distinct queries, and stops it. Each figure is printed
# beside its target; with RESULTS=FILE they are also appended to FILE as
# `name value` lines (load/all.sh reads them).
#
# Usage: load/run.sh            (env: ZIGE_BIN, DURATION=10s, CONNECTIONS=64, THREADS=2)
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/.." && pwd)"
BIN="${ZIGE_BIN:-target/release/zige}"
case "$BIN" in /*) ;; *) BIN="$ROOT/$BIN" ;; esac
DURATION="${DURATION:-10s}"
CONNECTIONS="${CONNECTIONS:-64}"
THREADS="${THREADS:-2}"
HOST=127.0.0.1

command -v wrk >/dev/null || { echo "wrk is missing: apt-get install -y wrk" >&2; exit 2; }
command -v curl >/dev/null || { echo "curl is missing: apt-get install -y curl" >&2; exit 2; }
[ -x "$BIN" ] || { echo "no server binary at $BIN: cargo build --release -p zige-cli, or set ZIGE_BIN" >&2; exit 2; }

WORK="$(mktemp -d "${TMPDIR:-/tmp}/zige-load.XXXXXX")"
PID=""
cleanup() {
  if [ -n "$PID" ] && kill -0 "$PID" 2>/dev/null; then
    kill -TERM "$PID" 2>/dev/null || true
    for _ in $(seq 1 50); do kill -0 "$PID" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$PID" 2>/dev/null || true
    wait "$PID" 2>/dev/null || true
  fi
  rm -rf "$WORK"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

port_free() { ! (exec 3<>"/dev/tcp/$HOST/$1") 2>/dev/null; }
now_ms() { echo $(( $(date +%s%N) / 1000000 )); }

# Start the server on a free port (a few tries in case another process takes it).
READY_MS=""
for attempt in 1 2 3 4 5; do
  PORT=$(( 20000 + RANDOM % 40000 ))
  port_free "$PORT" || continue
  rm -rf "$WORK/data"; mkdir -p "$WORK/data"
  T0=$(now_ms)
  ZIGE_LOG=warn "$BIN" serve --addr "$HOST:$PORT" --data-dir "$WORK/data" >"$WORK/server.log" 2>&1 &
  PID=$!
  DEADLINE=$(( T0 + 30000 ))
  while [ "$(now_ms)" -lt "$DEADLINE" ]; do
    kill -0 "$PID" 2>/dev/null || break
    if [ "$(curl -s -o /dev/null -w '%{http_code}' --max-time 1 "http://$HOST:$PORT/healthz" 2>/dev/null)" = 200 ]; then
      READY_MS=$(( $(now_ms) - T0 )); break
    fi
    sleep 0.005
  done
  [ -n "$READY_MS" ] && break
  echo "server did not become ready on port $PORT (try $attempt):" >&2; tail -5 "$WORK/server.log" >&2
  kill -KILL "$PID" 2>/dev/null || true; wait "$PID" 2>/dev/null || true; PID=""
done
[ -n "$READY_MS" ] || { echo "could not start the server" >&2; exit 1; }
BASE="http://$HOST:$PORT"

# Sanity: each target answers 200 before it is loaded.
for path in /healthz /entries/G39 /api/v1/entries/G39 "/api/v1/search?q=PMP"; do
  code=$(curl -s -o /dev/null -w '%{http_code}' --max-time 5 "$BASE$path")
  [ "$code" = 200 ] || { echo "$path answered $code" >&2; exit 1; }
done

echo "zige load check: $BIN"
echo "server: $BASE (pid $PID), wrk -t$THREADS -c$CONNECTIONS -d$DURATION --latency, loopback only"
echo "time to ready: ${READY_MS} ms"
echo

# run NAME PATH [wrk args...] [-- script args...]: one wrk run, raw output kept in $WORK/NAME.txt.
run() {
  local name="$1" path="$2"; shift 2
  local before=() after=()
  while [ $# -gt 0 ] && [ "$1" != "--" ]; do before+=("$1"); shift; done
  [ $# -gt 0 ] && after=("$@")   # "--" and the script's own arguments go after the URL
  timeout 60 wrk -t"$THREADS" -c"$CONNECTIONS" -d"$DURATION" --timeout 5s --latency "${before[@]}" "$BASE$path" "${after[@]}" >"$WORK/$name.txt" 2>&1 || {
    echo "wrk failed for $name:" >&2; cat "$WORK/$name.txt" >&2; exit 1; }
}

# Figures from wrk's output: requests/s, p99, and errors (socket errors + non-2xx/3xx).
rps()  { awk '/^Requests\/sec:/ {print $2}' "$WORK/$1.txt"; }
p99()  { awk '$1=="99%" {print $2}' "$WORK/$1.txt"; }
reqs() { awk '/requests in/ {print $1}' "$WORK/$1.txt"; }
errs() {
  awk '/Socket errors:/ { gsub(",", ""); s += $4 + $6 + $8 + $10 }
       /Non-2xx or 3xx responses:/ { n += $5 }
       END { printf "%d (socket %d, non-2xx/3xx %d)", s + n, s, n }' "$WORK/$1.txt"
}

run healthz /healthz
run entry /entries/G39
run entry_json /api/v1/entries/G39
run search /api/v1/search -s "$HERE/search.lua"
run uncached /api/v1/search -s "$HERE/search.lua" -- uncached first

RSS_KB=$(awk '/^VmRSS:/ {print $2}' "/proc/$PID/status")

# More distinct queries until at least 100,000 were asked in all.
DISTINCT=$(reqs uncached)
round=0
while [ "$DISTINCT" -lt 100000 ]; do
  round=$((round + 1))
  run more /api/v1/search -s "$HERE/search.lua" -- uncached "more$round"
  DISTINCT=$((DISTINCT + $(reqs more)))
done
RSS_DISTINCT_KB=$(awk '/^VmRSS:/ {print $2}' "/proc/$PID/status")
HWM_KB=$(awk '/^VmHWM:/ {print $2}' "/proc/$PID/status")

label() {
  case $1 in
    healthz) echo "/healthz";; entry) echo "/entries/G39 (page)";; entry_json) echo "/api/v1/entries/G39";;
    search) echo "/api/v1/search cached";; uncached) echo "/api/v1/search uncached";;
  esac
}
printf '%-28s %12s %10s %10s  %s\n' "target" "requests/s" "p99" "requests" "errors"
for n in healthz entry entry_json search uncached; do
  printf '%-28s %12s %10s %10s  %s\n' "$(label $n)" "$(rps $n)" "$(p99 $n)" "$(reqs $n)" "$(errs $n)"
done
echo
ms() { # wrk's latency (850.00us, 1.23ms, 2.00s) in milliseconds
  awk -v v="$1" 'BEGIN { n = v + 0; if (v ~ /us$/) n /= 1000; else if (v ~ /ms$/) n += 0; else if (v ~ /s$/) n *= 1000; printf "%.2f", n }'
}
H=$(rps healthz)
report() { # name value target-text ok(1/0)
  printf '%-44s %10s   target %-12s %s\n' "$1" "$2" "$3" "$([ "$4" = 1 ] && echo met || echo MISSED)"
  [ -n "${RESULTS:-}" ] && echo "$1 $2" >> "$RESULTS"
  return 0
}
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.3f", a / b }'; }
ge() { awk -v a="$1" -v b="$2" 'BEGIN { print (a >= b) ? 1 : 0 }'; }
lt() { awk -v a="$1" -v b="$2" 'BEGIN { print (a < b) ? 1 : 0 }'; }
for n in entry entry_json search uncached; do
  r=$(ratio "$(rps $n)" "$H")
  report "ratio $(label $n)/healthz" "$r" ">= 0.6" "$(ge "$r" 0.6)"
  p=$(ms "$(p99 $n)")
  report "p99 ms $(label $n)" "$p" "< 10" "$(lt "$p" 10)"
done
report "time to ready ms" "$READY_MS" "< 200" "$(lt "$READY_MS" 200)"
report "RSS MB after the load" "$(( RSS_KB / 1000 ))" "< 50" "$(lt "$RSS_KB" 50000)"
report "RSS MB after $DISTINCT distinct queries" "$(( RSS_DISTINCT_KB / 1000 ))" "< 50" "$(lt "$RSS_DISTINCT_KB" 50000)"
echo "peak resident memory VmHWM $(( HWM_KB / 1000 )) MB"
if [ -n "${LOAD_VERBOSE:-}" ]; then for n in healthz entry entry_json search uncached; do echo; echo "== wrk $n"; cat "$WORK/$n.txt"; done; fi
