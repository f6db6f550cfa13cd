#!/usr/bin/env bash
# Property-based tests of the API contract: schemathesis against a release
# build, once per role (anonymous, applicant, reviewer, admin), every check.
# Fails on any failure or server error. See README.md beside it.
#
#   ZIGE_BIN=target/release/zige ST=/opt/zige-venv/bin/st api-fuzz/run.sh
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/.." && pwd)"
ZIGE_BIN="${ZIGE_BIN:-$root/target/release/zige}"
ST="${ST:-$(command -v st || echo /opt/zige-venv/bin/st)}"
PYTHON="${PYTHON:-python3}"
MAX_EXAMPLES="${MAX_EXAMPLES:-20}"   # test cases per operation and phase
MAX_TIME="${MAX_TIME:-100}"          # seconds per role: fuzzing and stateful phases use all of it
ROLES="${ROLES:-anonymous applicant reviewer admin}"

[ -x "$ZIGE_BIN" ] || { echo "no zige binary at $ZIGE_BIN (build it: cargo build --release -p zige-cli)" >&2; exit 2; }
"$ST" --version >/dev/null || { echo "no schemathesis at $ST (pip install schemathesis into a venv)" >&2; exit 2; }

work="$(mktemp -d "${TMPDIR:-/tmp}/zige-fuzz.XXXXXX")"
data="$work/data"
server=""
cleanup() {
  if [ -n "$server" ]; then kill "$server" 2>/dev/null || true; wait "$server" 2>/dev/null || true; fi
  if [ "${KEEP:-0}" = 1 ]; then echo "kept $work"; else rm -rf "$work"; fi
}
trap cleanup EXIT

# Staff accounts, before the server starts. With --with-totp (where the
# binary has it) the factor's secret is printed as `totp-secret: BASE32`.
totp_flag=""
if "$ZIGE_BIN" admin create-user --help 2>/dev/null | grep -q -- '--with-totp'; then totp_flag="--with-totp"; fi
: > "$work/staff"
for role in reviewer admin; do
  email="fuzz.$role@example.org"
  password="$role-password-$RANDOM$RANDOM"
  out="$(printf '%s\n' "$password" | "$ZIGE_BIN" admin create-user --email "$email" --role "$role" --password-stdin $totp_flag --data-dir "$data")"
  secret="$(printf '%s\n' "$out" | sed -n 's/^totp-secret: *\([A-Za-z2-7=]*\).*/\1/p' | head -n 1)"
  echo "$role $email $password $secret" >> "$work/staff"
done

port="$("$PYTHON" -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
base="http://127.0.0.1:$port"
ZIGE_LOG=warn "$ZIGE_BIN" serve --addr "127.0.0.1:$port" --data-dir "$data" --public-url "$base" > "$work/server.log" 2>&1 &
server=$!
for _ in $(seq 1 100); do
  if "$PYTHON" -c "import urllib.request,sys; urllib.request.urlopen('$base/readyz', timeout=2)" 2>/dev/null; then break; fi
  kill -0 "$server" 2>/dev/null || { cat "$work/server.log" >&2; exit 1; }
  sleep 0.2
done

# Every token before any fuzzing: the fuzzer's wrong sign-ins count
# against 127.0.0.1 and would lock the set-up out.
"$PYTHON" "$here/roles.py" "$base" "$work/staff" > "$work/tokens"

status=0
summary=""
for role in $ROLES; do
  args=()
  if [ "$role" != anonymous ]; then
    token="$(awk -v r="$role" '$1 == r {print $2}' "$work/tokens")"
    [ -n "$token" ] || { echo "no token for $role" >&2; exit 1; }
    args+=(-H "Authorization: Bearer $token")
    # Signing out would end the run's own session: every later request
    # would test the anonymous role again. DELETE /session is fuzzed in the
    # anonymous run (401) and tested in crates/zige-web/tests.
    args+=(--exclude-operation-id delete_session)
  fi
  report="$work/$role.json"
  echo "== schemathesis as $role"
  set +e
  (cd "$work" && "$ST" --config-file "$here/schemathesis.toml" run "$base/api/openapi.json" \
    --url "$base" --checks all --max-examples "$MAX_EXAMPLES" --max-time "$MAX_TIME" \
    --workers 1 --seed "${SEED:-1}" --no-color --generation-database none --suppress-health-check filter_too_much \
    --report json --report-json-path "$report" "${args[@]}") > "$work/$role.log" 2>&1
  rc=$?
  set -e
  line="$("$PYTHON" "$here/summary.py" "$role" "$report" "$work/$role.log" "$rc")"
  summary+="$line"$'\n'
  if [ "$rc" != 0 ]; then
    status=1
    cat "$work/$role.log"
  else
    tail -n 5 "$work/$role.log"
  fi
done
if grep -q "panicked" "$work/server.log"; then
  echo "the server panicked:" >&2; grep -A3 panicked "$work/server.log" >&2; status=1
fi
echo "== summary"
printf '%s' "$summary"
exit "$status"
