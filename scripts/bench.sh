#!/usr/bin/env bash
# `make bench`: run every benchmark script in bench/ (each prints its own figures).
# Benchmarks set up the data they need (e.g. all 91,599 areas) in their own database.
set -euo pipefail
source "$(dirname "$0")/lib.sh"
cd "$ROOT"

shopt -s nullglob
benches=()
for file in bench/*.py; do
  case "$(basename "$file")" in __init__.py | conftest.py | _*) ;; *) benches+=("$file") ;; esac
done
[ "${#benches[@]}" -gt 0 ] || die "no benchmark scripts in bench/"
for file in "${benches[@]}"; do
  say "$file"
  DJANGO_SETTINGS_MODULE=${DJANGO_SETTINGS_MODULE:-config.settings} "$PY" "$file"
done
