#!/usr/bin/env bash
# `make test`: the whole suite, with nothing to install by hand.
#
# Uses DATABASE_URL when set (CI: PostgreSQL), else an SQLite test database. Browser tests drive
# Debian's Chromium through Playwright, and the document tests render PDFs with Debian's
# poppler-utils; both are installed with apt-get when missing and we are root, otherwise this stops
# and says how to install them. Extra pytest arguments: make test ARGS="-k audit".
# pytest's "no tests collected" (exit 5) is a failure like any other.
set -euo pipefail
source "$(dirname "$0")/lib.sh"
cd "$ROOT"

"$ROOT/scripts/bootstrap.sh"
"$ROOT/scripts/ensure-chromium.sh"
"$ROOT/scripts/ensure-poppler.sh"
manage compile_translations >/dev/null

status=0
"$VENV/bin/pytest" "$@" || status=$?
if [ "$status" -eq 5 ]; then
  die "pytest collected no tests (exit 5): check the paths and -k/-m filters."
fi
exit "$status"
