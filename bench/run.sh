#!/usr/bin/env bash
# Load benchmark of the till API on SQLite and on PostgreSQL, each beside its
# engine's own baseline (a bare SQLite loop; pgbench). What and why: bench/README.md.
#
#   bash bench/run.sh
#
# Knobs (environment): DURATION (measured seconds per run, 20), WARMUP (2),
# CONCURRENCY (tills, and pgbench clients, 16), CHILDREN (cards, 2000), TILLS
# (till tokens, 8), ENGINES ("sqlite postgres"), PGBENCH_SCALE (10),
# PGBENCH_JOBS (2), PG_ADMIN_URL (postgres://postgres@127.0.0.1:5432/postgres),
# SQLITE_PORT (18641), POSTGRES_PORT (18642; the scale-out's second server
# takes the next port), SALDO_BIN (a saldo binary to use instead of building
# one), HISTORY (purchases in the statement wallet, 4000), SCALE_OUT (1: also
# two servers on one PostgreSQL database; 0: skip).
#
# Results go to bench/results/ (latest.md, summary.json for bench/compare.sh,
# and the JSON files of each step), only when every
# step succeeded. Servers, scratch databases and temp files are removed on exit.
set -euo pipefail
cd "$(dirname "$0")/.."

DURATION="${DURATION:-20}"
WARMUP="${WARMUP:-2}"
CONCURRENCY="${CONCURRENCY:-16}"
CHILDREN="${CHILDREN:-2000}"
TILLS="${TILLS:-8}"
ENGINES="${ENGINES:-sqlite postgres}"
PGBENCH_SCALE="${PGBENCH_SCALE:-10}"
PGBENCH_JOBS="${PGBENCH_JOBS:-2}"
PG_ADMIN_URL="${PG_ADMIN_URL:-postgres://postgres@127.0.0.1:5432/postgres}"
SQLITE_PORT="${SQLITE_PORT:-18641}"
POSTGRES_PORT="${POSTGRES_PORT:-18642}"
SALDO_BIN="${SALDO_BIN:-}"
HISTORY="${HISTORY:-4000}"
SCALE_OUT="${SCALE_OUT:-1}"
RESULTS="bench/results"

step() { printf '\n==> %s\n' "$*"; }
die() {
  echo "bench: $*" >&2
  exit 1
}
wants() { [[ " $ENGINES " == *" $1 "* ]]; }

WORK="$(mktemp -d "${TMPDIR:-/tmp}/saldo-bench.XXXXXX")"
SERVER_PID=""
SERVER2_PID=""
SERVER_LOG=""
DATABASES=()

stop_server() {
  if [ -n "$SERVER_PID" ] && kill -0 "$SERVER_PID" 2>/dev/null; then
    kill -TERM "$SERVER_PID" 2>/dev/null || true
    # The server finishes requests in flight on SIGTERM; do not wait forever for it.
    for _ in $(seq 1 50); do
      kill -0 "$SERVER_PID" 2>/dev/null || break
      sleep 0.1
    done
    kill -KILL "$SERVER_PID" 2>/dev/null || true
    wait "$SERVER_PID" 2>/dev/null || true
  fi
  SERVER_PID=""
}

drop_database() {
  psql "$PG_ADMIN_URL" -qc "DROP DATABASE IF EXISTS $1 WITH (FORCE)" >/dev/null 2>&1 ||
    echo "bench: could not drop database $1" >&2
}

cleanup() {
  local status=$?
  stop_server
  stop_second
  for db in ${DATABASES[@]+"${DATABASES[@]}"}; do
    drop_database "$db"
  done
  rm -rf "$WORK"
  exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# The URL of another database on the same PostgreSQL server.
pg_url() { printf '%s/%s' "${PG_ADMIN_URL%/*}" "$1"; }

launch_server() {
  local url=$1 port=$2
  # If something already listens there, the load would measure it instead.
  if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
    die "port $port is in use; choose another with SQLITE_PORT / POSTGRES_PORT"
  fi
  SERVER_LOG="$WORK/server-$port.log"
  "$SALDO" serve --database-url "$url" --listen "127.0.0.1:$port" >"$SERVER_LOG" 2>&1 &
}

start_server() {
  launch_server "$1" "$2"
  SERVER_PID=$!
}

stop_second() {
  if [ -n "$SERVER2_PID" ] && kill -0 "$SERVER2_PID" 2>/dev/null; then
    kill -TERM "$SERVER2_PID" 2>/dev/null || true
    sleep 1
    kill -KILL "$SERVER2_PID" 2>/dev/null || true
    wait "$SERVER2_PID" 2>/dev/null || true
  fi
  SERVER2_PID=""
}

# Waits until the server on $1 answers /readyz (at most 30 s).
wait_ready() {
  for _ in $(seq 1 300); do
    if (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; then return 0; fi
    sleep 0.1
  done
  die "nothing listens on port $1 after 30 s"
}

# The server's resident memory now, in kB, appended to the RSS file as `engine when kB`.
record_rss() {
  local engine=$1 when=$2 pid=$3
  local kb
  kb="$(awk '/^VmRSS:/ {print $2}' "/proc/$pid/status" 2>/dev/null || true)"
  [ -n "$kb" ] && echo "$engine $when $kb" >>"$WORK/results/rss.txt"
}

# Seed, verify, serve, load, stop, verify again: the books must hold after the load too.
bench_app() {
  local engine=$1 url=$2 port=$3
  step "$engine: migrate, seed $CHILDREN children with cards, verify"
  "$SALDO" migrate --database-url "$url"
  "$LOAD" seed --database-url "$url" --children "$CHILDREN" --tills "$TILLS" --out "$WORK/$engine-dataset.json"
  "$SALDO" verify --database-url "$url"

  step "$engine: serve on 127.0.0.1:$port, $CONCURRENCY tills for ${WARMUP}+${DURATION} s"
  start_server "$url" "$port"
  wait_ready "$port"
  sleep 2
  record_rss "$engine" idle "$SERVER_PID"
  if ! "$LOAD" load --dataset "$WORK/$engine-dataset.json" --base-url "http://127.0.0.1:$port" \
    --concurrency "$CONCURRENCY" --duration-secs "$DURATION" --warmup-secs "$WARMUP" \
    --label "$engine" --json "$WORK/results/$engine-app.json"; then
    echo "--- server log (last lines) ---" >&2
    tail -n 20 "$SERVER_LOG" >&2 || true
    die "the $engine load run failed"
  fi
  record_rss "$engine" after_load "$SERVER_PID"

  step "$engine: a wallet with $HISTORY purchases: statement first and last page"
  "$LOAD" history --database-url "$url" --entries "$HISTORY" --out "$WORK/$engine-history.json"
  "$LOAD" statement --base-url "http://127.0.0.1:$port" --history "$WORK/$engine-history.json" \
    --json "$WORK/results/$engine-statement.json"
  stop_server

  step "$engine: verify after the load"
  "$SALDO" verify --database-url "$url"
}

LOAD_BEFORE="$(cut -d' ' -f1-3 /proc/loadavg)"
STARTED="$(date -u '+%Y-%m-%d %H:%M UTC')"
SECONDS=0
mkdir -p "$WORK/results"

step "build (release)"
if [ -n "$SALDO_BIN" ]; then
  cargo build --release -p till-load
  SALDO="$SALDO_BIN"
else
  cargo build --release -p saldo -p till-load
  SALDO="${CARGO_TARGET_DIR:-target}/release/saldo"
fi
LOAD="${CARGO_TARGET_DIR:-target}/release/till-load"
[ -x "$SALDO" ] || die "no saldo binary at $SALDO"

if wants sqlite; then
  bench_app sqlite "sqlite://$WORK/saldo.db" "$SQLITE_PORT"
  step "sqlite: baseline, the bare loop"
  "$LOAD" sqlite-loop --path "$WORK/bare.db" --rows "$CHILDREN" --duration-secs "$DURATION" \
    --warmup-secs "$WARMUP" --json "$WORK/results/sqlite-loop.json"
fi

if wants postgres; then
  pg_isready -d "$PG_ADMIN_URL" -q || die "PostgreSQL does not answer at $PG_ADMIN_URL"
  APP_DB="saldo_bench_$$"
  PGBENCH_DB="saldo_pgbench_$$"
  psql "$PG_ADMIN_URL" -v ON_ERROR_STOP=1 -qc "CREATE DATABASE $APP_DB"
  DATABASES+=("$APP_DB")
  bench_app postgres "$(pg_url "$APP_DB")" "$POSTGRES_PORT"
  # Gone before pgbench starts, so no autovacuum of it competes with the baseline.
  drop_database "$APP_DB"

  if [ "$SCALE_OUT" = 1 ]; then
    SCALE_DB="saldo_scale_$$"
    SECOND_PORT=$((POSTGRES_PORT + 1))
    step "postgres: two saldo serve on one database (ports $POSTGRES_PORT and $SECOND_PORT), the tills split between them"
    psql "$PG_ADMIN_URL" -v ON_ERROR_STOP=1 -qc "CREATE DATABASE $SCALE_DB"
    DATABASES+=("$SCALE_DB")
    "$SALDO" migrate --database-url "$(pg_url "$SCALE_DB")"
    "$LOAD" seed --database-url "$(pg_url "$SCALE_DB")" --children "$CHILDREN" --tills "$TILLS" \
      --out "$WORK/scale-dataset.json"
    start_server "$(pg_url "$SCALE_DB")" "$POSTGRES_PORT"
    launch_server "$(pg_url "$SCALE_DB")" "$SECOND_PORT"
    SERVER2_PID=$!
    wait_ready "$POSTGRES_PORT"
    wait_ready "$SECOND_PORT"
    if ! "$LOAD" load --dataset "$WORK/scale-dataset.json" \
      --base-url "http://127.0.0.1:$POSTGRES_PORT,http://127.0.0.1:$SECOND_PORT" \
      --concurrency "$CONCURRENCY" --duration-secs "$DURATION" --warmup-secs "$WARMUP" \
      --label "postgres, two servers" --json "$WORK/results/postgres-scale-out.json"; then
      die "the scale-out load run failed"
    fi
    stop_server
    stop_second
    step "postgres: verify after the two servers' load"
    "$SALDO" verify --database-url "$(pg_url "$SCALE_DB")"
    drop_database "$SCALE_DB"
  fi

  step "postgres: baseline, pgbench tpcb-like (scale $PGBENCH_SCALE, $CONCURRENCY clients, $PGBENCH_JOBS threads, $DURATION s)"
  psql "$PG_ADMIN_URL" -v ON_ERROR_STOP=1 -qc "CREATE DATABASE $PGBENCH_DB"
  DATABASES+=("$PGBENCH_DB")
  PGOPTIONS="-c client_min_messages=warning" pgbench -i -q -s "$PGBENCH_SCALE" "$(pg_url "$PGBENCH_DB")"
  pgbench -c "$CONCURRENCY" -j "$PGBENCH_JOBS" -T "$DURATION" "$(pg_url "$PGBENCH_DB")" | tee "$WORK/pgbench.log"
  drop_database "$PGBENCH_DB"
  PG_SETTINGS="$(psql "$PG_ADMIN_URL" -At -F ' ' -c "SELECT 'PostgreSQL ' || current_setting('server_version')
    || ', fsync=' || current_setting('fsync') || ', synchronous_commit=' || current_setting('synchronous_commit')
    || ', shared_buffers=' || current_setting('shared_buffers')")"
fi

step "results"
REPORT_ARGS=()
if wants sqlite; then
  REPORT_ARGS+=(--sqlite-app "$WORK/results/sqlite-app.json" --sqlite-loop "$WORK/results/sqlite-loop.json"
    --sqlite-statement "$WORK/results/sqlite-statement.json")
fi
if wants postgres; then
  REPORT_ARGS+=(--postgres-app "$WORK/results/postgres-app.json" --pgbench-log "$WORK/pgbench.log"
    --pgbench-json "$WORK/results/postgres-pgbench.json" --postgres-statement "$WORK/results/postgres-statement.json")
  if [ "$SCALE_OUT" = 1 ]; then REPORT_ARGS+=(--postgres-scale-out "$WORK/results/postgres-scale-out.json"); fi
fi
if [ -f "$WORK/results/rss.txt" ]; then REPORT_ARGS+=(--rss "$WORK/results/rss.txt"); fi
REPORT_ARGS+=(--summary "$WORK/results/summary.json")
TABLE="$("$LOAD" report "${REPORT_ARGS[@]}")"

COMMIT="$(git rev-parse --short HEAD 2>/dev/null || echo unknown)"
if [ -n "$SALDO_BIN" ]; then
  COMMIT="saldo from $SALDO_BIN; till-load from $COMMIT"
elif ! git diff --quiet HEAD -- crates 2>/dev/null || [ -n "$(git ls-files --others --exclude-standard crates)" ]; then
  COMMIT="$COMMIT plus uncommitted changes in crates/"
fi
{
  echo "# Till API load benchmark: latest results"
  echo
  echo "- Date: $STARTED, took ${SECONDS} s"
  echo "- Command: \`DURATION=$DURATION WARMUP=$WARMUP CONCURRENCY=$CONCURRENCY CHILDREN=$CHILDREN TILLS=$TILLS ENGINES=\"$ENGINES\" bash bench/run.sh\`"
  echo "- Code: $COMMIT"
  echo "- Machine: $(nproc) cores,$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2); the load generator, the server and the database share them"
  echo "- Load average before / after: $LOAD_BEFORE / $(cut -d' ' -f1-3 /proc/loadavg)"
  if wants postgres; then echo "- ${PG_SETTINGS}; pgbench $PGBENCH_SCALE scale, $PGBENCH_JOBS threads"; fi
  if wants sqlite; then
    echo "- SQLite: WAL, synchronous=FULL, foreign_keys=ON, one writer (app and bare loop alike)"
  fi
  echo "- App purchases/s counts approved purchases only; declines and errors are in the second table"
  echo
  echo "$TABLE"
} >"$WORK/results/latest.md"

mkdir -p "$RESULTS"
cp "$WORK"/results/* "$RESULTS"/
echo
cat "$RESULTS/latest.md"
echo
echo "Written to $RESULTS/ in ${SECONDS} s."
