# Waspada: the same commands for people, CI (.ci/run) and agents. `make help` lists them.
#
#   make run     set up everything that is missing and serve http://127.0.0.1:8000 (WASPADA_PORT)
#   make test    the whole test suite (SQLite by default; DATABASE_URL for PostgreSQL)
#
# VENV=/path uses another virtual environment (default .venv); ARGS="..." passes arguments to
# pytest (make test ARGS="-k audit waspada/core").

VENV ?= .venv
PY := $(VENV)/bin/python
BOUNDARIES ?= $(or $(WASPADA_BOUNDARIES),../shared/data/wilayah-boundaries)
export VENV

.DEFAULT_GOAL := help
.PHONY: help install run test lint format typecheck django-check migrations-check schema \
	schema-check check bench areas boundaries demo messages

help:  ## this list
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | sed -E 's/:.*## /\t/' | expand -t 20

install:  ## virtual environment + pinned dependencies (only when pyproject.toml changed)
	@scripts/bootstrap.sh

run:  ## set up (venv, assets, translations, migrate, areas, boundaries, demo) and serve with worker + beat
	@scripts/run.sh

test:  ## the test suite, browser tests included (ARGS="..." for pytest)
	@scripts/test.sh $(ARGS)

lint: install  ## ruff lint and format check
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: install  ## apply ruff's formatting and safe fixes
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

typecheck: install  ## mypy (strict on services, selectors, core and tasks)
	$(VENV)/bin/mypy .

django-check: install  ## Django's deployment checks with production-like settings
	WASPADA_ENV=production SECRET_KEY=check-only-$$(head -c 60 /dev/urandom | base64 | tr -dc A-Za-z0-9) \
	ALLOWED_HOSTS=waspada.example.go.id DATABASE_URL=postgres://waspada@127.0.0.1:5432/waspada \
	$(PY) manage.py check --deploy --fail-level WARNING

migrations-check: install  ## fail when a model change has no migration
	$(PY) manage.py makemigrations --check --dry-run

schema: install  ## regenerate docs/api/openapi.json from the code
	$(PY) manage.py spectacular --format openapi-json --file docs/api/openapi.json

schema-check: install  ## fail when docs/api/openapi.json is out of date
	@scripts/check-schema.sh

check: lint typecheck django-check migrations-check schema-check test  ## everything CI checks, except services

bench: install  ## every benchmark in bench/ (areas, geocoding, LAPSITDA API and import); BENCH=name runs one
	@scripts/bench.sh $(BENCH) $(ARGS)

areas: install  ## download (cached, hash-checked) and load the 91,599 areas
	$(PY) manage.py migrate --noinput
	$(PY) manage.py load_areas

boundaries: install  ## load boundaries from $(BOUNDARIES) (WASPADA_BOUNDARIES)
	$(PY) manage.py load_boundaries $(BOUNDARIES)

demo: install  ## create the demo organisation of Kalimantan Tengah (idempotent)
	$(PY) manage.py migrate --noinput
	$(PY) manage.py seed_demo

messages: install  ## refresh locale/en from the Indonesian strings (needs gettext here only)
	@scripts/messages.sh
