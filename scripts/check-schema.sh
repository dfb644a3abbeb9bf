#!/usr/bin/env bash
# Fail when the committed OpenAPI schema (docs/api/openapi.json) differs from what the code says.
set -euo pipefail
source "$(dirname "$0")/lib.sh"
cd "$ROOT"

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
manage spectacular --format openapi-json --file "$tmp/openapi.json" 2>"$tmp/warnings.txt" ||
  { cat "$tmp/warnings.txt" >&2; die "manage.py spectacular failed"; }
if [ ! -f docs/api/openapi.json ]; then
  die "docs/api/openapi.json is missing: run 'make schema' and commit it."
fi
if ! diff -u docs/api/openapi.json "$tmp/openapi.json" >"$tmp/diff.txt"; then
  head -n 80 "$tmp/diff.txt" >&2
  die "docs/api/openapi.json is out of date with the API: run 'make schema' and commit the result."
fi
echo "OpenAPI schema matches docs/api/openapi.json."
