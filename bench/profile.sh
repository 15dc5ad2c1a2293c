#!/usr/bin/env bash
# Where a till sale's time goes: a load run like bench/run.sh's, recorded
# with perf (Debian's linux-perf) across the whole machine, then summarised
# by process and by the hottest functions of the server (and of PostgreSQL).
#
#   ENGINE=sqlite bash bench/profile.sh      # or ENGINE=postgres
#
# Knobs: ENGINE (sqlite), DURATION (15 s of recorded load), CONCURRENCY (16),
# CHILDREN (2000), TILLS (8), PORT (18651), PG_ADMIN_URL, SALDO_BIN (a saldo
# binary to profile instead of building one), OUT (bench/results/profile-ENGINE.txt).
# perf needs root or kernel.perf_event_paranoid <= 0 for a system-wide record.
set -euo pipefail
cd "$(dirname "$0")/.."

ENGINE="${ENGINE:-sqlite}"
DURATION="${DURATION:-15}"
CONCURRENCY="${CONCURRENCY:-16}"
CHILDREN="${CHILDREN:-2000}"
TILLS="${TILLS:-8}"
PORT="${PORT:-18651}"
PG_ADMIN_URL="${PG_ADMIN_URL:-postgres://postgres@127.0.0.1:5432/postgres}"
OUT="${OUT:-bench/results/profile-$ENGINE.txt}"

command -v perf > /dev/null || { echo "profile: perf is missing (apt-get install linux-perf)" >&2; exit 1; }
if [ -n "${SALDO_BIN:-}" ]; then
  cargo build --release -q -p till-load
  SALDO="$SALDO_BIN"
else
  cargo build --release -q -p saldo -p till-load
  SALDO="${CARGO_TARGET_DIR:-target}/release/saldo"
fi
LOAD="${CARGO_TARGET_DIR:-target}/release/till-load"

WORK="$(mktemp -d)"
SERVER_PID=""
DB_NAME=""
cleanup() {
  [ -n "$SERVER_PID" ] && kill "$SERVER_PID" 2> /dev/null && wait "$SERVER_PID" 2> /dev/null || true
  [ -n "$DB_NAME" ] && psql "$PG_ADMIN_URL" -qc "DROP DATABASE IF EXISTS $DB_NAME" > /dev/null 2>&1 || true
  rm -rf "$WORK"
}
trap cleanup EXIT

case "$ENGINE" in
  sqlite) URL="sqlite://$WORK/saldo.db" ;;
  postgres)
    DB_NAME="saldo_profile_$$"
    psql "$PG_ADMIN_URL" -v ON_ERROR_STOP=1 -qc "CREATE DATABASE $DB_NAME"
    URL="${PG_ADMIN_URL%/*}/$DB_NAME"
    ;;
  *) echo "profile: ENGINE is sqlite or postgres" >&2; exit 2 ;;
esac

"$SALDO" migrate --database-url "$URL" > /dev/null 2>&1
"$LOAD" seed --database-url "$URL" --children "$CHILDREN" --tills "$TILLS" --out "$WORK/dataset.json" > /dev/null
"$SALDO" serve --database-url "$URL" --listen "127.0.0.1:$PORT" > "$WORK/serve.log" 2>&1 &
SERVER_PID=$!
for _ in $(seq 1 100); do curl -sf "http://127.0.0.1:$PORT/readyz" > /dev/null && break; sleep 0.1; done

# The load runs a little longer than the record, so the record sees only steady load.
"$LOAD" load --dataset "$WORK/dataset.json" --base-url "http://127.0.0.1:$PORT" --concurrency "$CONCURRENCY" \
  --duration-secs $((DURATION + 4)) --warmup-secs 2 --json "$WORK/load.json" > "$WORK/load.log" &
LOAD_PID=$!
sleep 2
perf record -q -F 499 -a -g -o "$WORK/perf.data" -- sleep "$DURATION" 2> /dev/null
wait "$LOAD_PID"
"$SALDO" verify --database-url "$URL" > /dev/null 2>&1

# The summary's greps may match nothing (and head may close a pipe early): not a failure.
set +o pipefail
{
  echo "# perf profile of a till load run on $ENGINE ($(date -u '+%Y-%m-%d %H:%M UTC'))"
  echo "# $CONCURRENCY tills, $DURATION s recorded at 499 Hz on every CPU; load average $(cut -d' ' -f1-3 /proc/loadavg)"
  grep -E 'approved|purchases/s|p99' "$WORK/load.log" | head -5 | sed 's/^/# /'
  echo
  echo "## CPU by process (children included)"
  perf report -i "$WORK/perf.data" --no-children --sort comm -g none --stdio 2> /dev/null | grep -E '^ +[0-9]' | head -12
  echo
  echo "## The server's threads (share of the server's samples)"
  perf report -i "$WORK/perf.data" --no-children --pid "$SERVER_PID" --percentage relative --sort comm -g none \
    --stdio 2> /dev/null | grep -E '^ +[0-9]' | head -6
  echo
  echo "## The server's hottest functions (self time, share of the server's samples)"
  perf report -i "$WORK/perf.data" --no-children --pid "$SERVER_PID" --percentage relative --sort sym -g none --stdio \
    2> /dev/null | grep -E '^ +[0-9]' | head -30
  if [ "$ENGINE" = postgres ]; then
    echo
    echo "## PostgreSQL's hottest functions (share of PostgreSQL's samples)"
    perf report -i "$WORK/perf.data" --no-children --comm postgres --percentage relative --sort sym -g none --stdio 2> /dev/null \
      | grep -E '^ +[0-9]' | head -20
  fi
} > "$OUT"
cat "$OUT"
