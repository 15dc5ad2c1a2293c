#!/usr/bin/env bash
# How each figure of a bench run moved: bench/compare.sh OLD NEW, each a
# summary.json that bench/run.sh wrote (bench/results/summary.json; keep the
# old one before running again). Throughput and ratios: higher is better;
# latencies and memory: lower is better; a change over 10 % is marked.
# FAIL_WORSE_THAN=0.10 makes it exit non-zero when any figure got that much worse.
set -euo pipefail
cd "$(dirname "$0")/.."
[ $# -eq 2 ] || { echo "usage: bench/compare.sh OLD/summary.json NEW/summary.json" >&2; exit 2; }
cargo build --release -q -p till-load
args=("$1" "$2")
if [ -n "${FAIL_WORSE_THAN:-}" ]; then args+=(--fail-worse-than "$FAIL_WORSE_THAN"); fi
"${CARGO_TARGET_DIR:-target}/release/till-load" compare "${args[@]}"
