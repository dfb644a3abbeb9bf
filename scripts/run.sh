#!/usr/bin/env bash
# `make run`: set up what is missing, then serve Waspada with its Celery worker and beat.
#
# Web server (gunicorn, static files by whitenoise) on 127.0.0.1:${WASPADA_PORT:-8000}, a Celery
# worker and the beat scheduler on the embedded file-system broker under var/broker (or Redis when
# REDIS_URL is set), all under honcho: Ctrl-C stops every process. WASPADA_DEMO defaults to true
# here, so every page carries the demo banner. A .env file in the repository root is read first.
set -euo pipefail
source "$(dirname "$0")/lib.sh"
cd "$ROOT"

if [ -f "$ROOT/.env" ]; then
  set -a
  # shellcheck disable=SC1091
  source "$ROOT/.env"
  set +a
fi
export WASPADA_PORT=${WASPADA_PORT:-8000}
export WASPADA_DEMO=${WASPADA_DEMO:-true}
export PATH="$VENV/bin:$PATH"

if port_in_use "$WASPADA_PORT"; then
  die "port $WASPADA_PORT is already in use; stop what runs there or choose another: WASPADA_PORT=8001 make run"
fi

"$ROOT/scripts/bootstrap.sh"
manage prepare

var_dir=${WASPADA_VAR_DIR:-$ROOT/var}
cat <<MSG

  Waspada runs at http://127.0.0.1:$WASPADA_PORT/
  Demo accounts and passwords: $var_dir/demo-credentials.txt
  Ctrl-C stops the web server, the worker and the scheduler.

MSG
exec "$VENV/bin/honcho" --no-colour --procfile "$ROOT/Procfile" --app-root "$ROOT" --env /dev/null start
