#!/usr/bin/env bash
# Card read to approval at the till, over HTTP, against a real `saldo demo`:
# p50/p99 of approved sales with every demo till serving at once, then one till.
# What and why: bench/README.md, "Till latency".
#
#   bash bench/till-latency.sh
#
# Knobs (environment): PER_TILL (sales per till, 200), SALDO_BIN and
# TILL_LOAD_BIN (binaries to use instead of building release ones).
set -euo pipefail
cd "$(dirname "$0")/.."
PER_TILL="${PER_TILL:-200}"
if [[ -z "${SALDO_BIN:-}" || -z "${TILL_LOAD_BIN:-}" ]]; then
  cargo build --release -p saldo -p till-load
  TARGET="${CARGO_TARGET_DIR:-target}"
  SALDO_BIN="${SALDO_BIN:-$TARGET/release/saldo}"
  TILL_LOAD_BIN="${TILL_LOAD_BIN:-$TARGET/release/till-load}"
fi
WORK="$(mktemp -d "${TMPDIR:-/tmp}/saldo-latency.XXXXXX")"
SERVER=""
cleanup() {
  [[ -n "$SERVER" ]] && kill "$SERVER" 2>/dev/null && wait "$SERVER" 2>/dev/null
  rm -rf "$WORK"
}
trap cleanup EXIT

run() {
  local tills="$1"
  rm -f "$WORK/demo.db"* "$WORK/demo.json"
  "$SALDO_BIN" demo --database-url "sqlite://$WORK/demo.db" --listen 127.0.0.1:0 \
    --credentials-out "$WORK/demo.json" >"$WORK/server.log" 2>&1 &
  SERVER=$!
  for _ in $(seq 100); do [[ -s "$WORK/demo.json" ]] && break; sleep 0.1; done
  sleep 0.5
  local args=(latency --dataset "$WORK/demo.json" --per-till "$PER_TILL")
  [[ "$tills" != all ]] && args+=(--tills "$tills")
  echo "== tills: $tills"
  "$TILL_LOAD_BIN" "${args[@]}"
  kill "$SERVER"
  wait "$SERVER" 2>/dev/null || true
  SERVER=""
}

run all
run 1
