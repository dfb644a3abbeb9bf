#!/usr/bin/env bash
# Everything `make run` does before it starts the processes. Each step is idempotent and cheap when
# there is nothing to do: front-end packages, translations, database tables, areas, boundaries,
# the demo organisation, static files.
set -euo pipefail
source "$(dirname "$0")/lib.sh"
cd "$ROOT"

say "Front-end packages (npm registry, pinned and hashed)"
manage fetch_assets
say "Translations"
manage compile_translations
say "Database tables"
manage migrate --noinput
say "Administrative areas (idn-area-data)"
manage load_areas
boundaries=${WASPADA_BOUNDARIES:-}
if [ -z "$boundaries" ] && [ -d "$ROOT/../shared/data/wilayah-boundaries" ]; then
  boundaries="$ROOT/../shared/data/wilayah-boundaries"
fi
if [ -n "$boundaries" ]; then
  say "Boundaries from $boundaries"
  manage load_boundaries "$boundaries"
else
  warn "No boundary folder (set WASPADA_BOUNDARIES): maps stay empty and say how to load them."
fi
say "Demo organisation (Kalimantan Tengah)"
manage seed_demo
say "Static files"
manage collectstatic --noinput --verbosity 0
