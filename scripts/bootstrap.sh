#!/usr/bin/env bash
# Make sure the virtual environment exists and holds this project's pinned dependencies.
#
# `pip install -e ".[dev]"` runs only when pyproject.toml changed since the last install into this
# virtual environment (a stamp under var/stamps/), so a second `make run` starts in seconds.
# VENV=/path picks another virtual environment (CI builds a fresh one); FORCE_INSTALL=1 reinstalls.
set -euo pipefail
source "$(dirname "$0")/lib.sh"
cd "$ROOT"

if [ ! -x "$PY" ]; then
  python=$(find_python) || die "Python 3.11 is needed (python3.11 or python3 on PATH, or PYTHON=/path/to/python3.11)."
  say "Creating the virtual environment $VENV with $python"
  "$python" -m venv "$VENV" || die "could not create $VENV (on Debian: apt-get install python3.11-venv)"
fi

mkdir -p "$ROOT/var/stamps"
stamp="$ROOT/var/stamps/install-$(printf '%s' "$VENV" | sha1sum | cut -c1-12)"
want=$(sha256sum "$ROOT/pyproject.toml" | cut -d' ' -f1)
have=$(cat "$stamp" 2>/dev/null || true)
if [ "$have" != "$want" ] || [ "${FORCE_INSTALL:-0}" = 1 ]; then
  say "Installing Waspada and its pinned dependencies into $VENV (the first time takes a few minutes)"
  "$PY" -m pip install --disable-pip-version-check --quiet --editable "$ROOT[dev]" ||
    die "pip install failed (see above). Is the package index reachable?"
  printf '%s\n' "$want" >"$stamp"
fi
