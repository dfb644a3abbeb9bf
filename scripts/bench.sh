#!/usr/bin/env bash
# `make bench`: every benchmark in bench/ (area load, area search over HTTP, reverse geocoding,
# LAPSITDA items through the API against gunicorn, the 10,000-row XLSX import). bench/run.py sets
# up its own database (never yours; PostgreSQL when DATABASE_URL points at it) and prints a table;
# figures are also kept in var/bench/results.json. One benchmark: make bench BENCH=area_search.
set -euo pipefail
source "$(dirname "$0")/lib.sh"
cd "$ROOT"

[ -f bench/run.py ] || die "bench/run.py is missing"
exec "$PY" bench/run.py "$@"
