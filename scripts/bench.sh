#!/usr/bin/env bash
# `make bench`: area search latency (HTTP, median and p95), full area load time and the
# reverse-geocoding rate, over all 91,599 areas. bench/run.py sets up its own database (never
# yours) and prints a table; figures are also kept in var/bench/results.json.
# Arguments pick benchmarks: make bench ARGS="area_search".
set -euo pipefail
source "$(dirname "$0")/lib.sh"
cd "$ROOT"

[ -f bench/run.py ] || die "bench/run.py is missing"
exec "$PY" bench/run.py "$@"
