# The guideline portal's quick start, on Debian 12 with Python 3.12 (pyenv, .python-version).
#
#   make run        install what is missing, prepare the database, demo data, runserver
#   make test       every quality gate and the whole test suite, on SQLite and PostgreSQL
#   make lint       ruff check, ruff format --check, djlint --lint, lint-imports, mypy
#   make messages   update the Dutch translation file (locale/nl/LC_MESSAGES/django.po)
#   make clean      remove caches, test output and install stamps (keeps .venv and data)
#   make distclean  also remove .venv, node_modules and the development database
#   make benchmark  the scale benchmark: 100,000 employees on PostgreSQL (not part of make test)
#   make screenshots  docs/screenshots/: home, a tip, the quiz, signing, HR dashboard, a report
#
# Installs are remembered by stamp files in .venv/.stamps: a second run is quick and
# re-installs only when a requirements file or package-lock.json changed. Debian
# packages (gettext, chromium, postgresql, xmlsec1, poppler-utils, libnss3-tools) are
# installed with apt-get only when missing (scripts/system-deps.sh). The NL Design System
# CSS is committed (static/vendor/nl-design-system/): `make run` needs no Node.

SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help
.NOTPARALLEL:
.DELETE_ON_ERROR:

VENV := .venv
PY := $(VENV)/bin/python
PIP := $(PY) -m pip
MANAGE := $(PY) manage.py
STAMPS := $(VENV)/.stamps
PIP_VERSION := 26.3
RUN_ADDRESS ?= 127.0.0.1:8000
# pytest arguments for both test runs (e.g. make test PYTEST_ARGS="-x").
PYTEST_ARGS ?=

export PIP_DISABLE_PIP_VERSION_CHECK := 1
export PIP_NO_INPUT := 1
export DEBIAN_FRONTEND := noninteractive
export PYTHONDONTWRITEBYTECODE := 1

.PHONY: help run test lint messages clean distclean \
	install install-dev system-deps-run system-deps-test node-deps \
	compilemessages migrations-check translations-check check-deploy test-sqlite test-postgres \
	typecheck \
	benchmark screenshots

help:
	@sed -n '3,10p' Makefile | sed 's/^# \{0,1\}//'

# --------------------------------------------------------------------------- installs

$(STAMPS)/venv:
	@if [ -x $(PY) ] && $(PY) -c 'import sys; sys.exit(sys.version_info < (3, 12))' 2>/dev/null; then \
		echo "== Using $(VENV) ($$($(PY) --version))"; \
	else \
		python="$$(scripts/find-python.sh)"; \
		echo "== Creating $(VENV) with $$python ($$($$python --version))"; \
		rm -rf $(VENV); \
		"$$python" -m venv $(VENV); \
	fi
	@mkdir -p $(STAMPS) && touch $@

$(STAMPS)/requirements: requirements.txt constraints.txt | $(STAMPS)/venv
	@echo "== pip install -r requirements.txt"
	$(PIP) install --quiet --upgrade pip==$(PIP_VERSION)
	$(PIP) install --quiet -c constraints.txt -r requirements.txt
	@touch $@

$(STAMPS)/requirements-dev: requirements-dev.txt constraints.txt $(STAMPS)/requirements
	@echo "== pip install -r requirements-dev.txt"
	$(PIP) install --quiet -c constraints.txt -r requirements-dev.txt
	@touch $@

node_modules/.stamp: package.json package-lock.json
	@echo "== npm ci (axe-core and the identity provider for the tests; NL Design System CSS to compare)"
	npm ci --no-audit --no-fund --update-notifier=false --loglevel=error
	@touch $@

install: $(STAMPS)/requirements
install-dev: $(STAMPS)/requirements-dev
node-deps: node_modules/.stamp

system-deps-run:
	@scripts/system-deps.sh gettext pango

system-deps-test:
	@scripts/system-deps.sh gettext pango chromium postgresql xmlsec1 pdfsig

# --------------------------------------------------------------------------- make run

run: system-deps-run install compilemessages
	@echo "== migrate, createcachetable (the shared cache: log-in limits)"
	$(MANAGE) migrate --no-input
	$(MANAGE) createcachetable
	@if $(MANAGE) help seed_demo >/dev/null 2>&1; then \
		echo "== seed_demo (the customer's text as version 1, in force since 2024; demo accounts)"; \
		$(MANAGE) seed_demo --address $(RUN_ADDRESS); \
	else \
		echo "== load_handbook (the customer's text as version 1)"; \
		$(MANAGE) load_handbook && $(MANAGE) load_quiz_bank || exit 1; \
		echo "== (no seed_demo: these settings do not install the demo app)"; \
	fi
	@echo "== run_campaigns (plan the reminders that are due)"
	$(MANAGE) run_campaigns
	@echo "== db_worker in the background (sends mail: printed here), runserver http://$(RUN_ADDRESS)/ (stop with Ctrl+C)"
	@$(MANAGE) db_worker --no-reload --interval 5 --verbosity 0 & worker=$$!; \
		trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
		$(MANAGE) runserver $(RUN_ADDRESS)

# --------------------------------------------------------------------------- make test

test:
	@start=$$(date +%s); \
	$(MAKE) --no-print-directory system-deps-test install-dev node-deps; \
	$(MAKE) --no-print-directory lint migrations-check translations-check compilemessages \
		check-deploy; \
	t1=$$(date +%s); \
	$(MAKE) --no-print-directory test-sqlite; \
	t2=$$(date +%s); \
	$(MAKE) --no-print-directory test-postgres; \
	t3=$$(date +%s); \
	echo; \
	echo "== make test passed in $$((t3 - start)) s" \
		"(installs and checks $$((t1 - start)) s, SQLite run $$((t2 - t1)) s," \
		"PostgreSQL run $$((t3 - t2)) s)"

lint: install-dev
	@echo "== ruff check"
	$(VENV)/bin/ruff check .
	@echo "== ruff format --check"
	$(VENV)/bin/ruff format --check .
	@echo "== djlint --lint (the templates; rules in pyproject.toml)"
	$(VENV)/bin/djlint . --lint
	@echo "== lint-imports (the apps' boundaries; contracts in .importlinter)"
	$(VENV)/bin/lint-imports --no-cache
	@$(MAKE) --no-print-directory typecheck

# mypy with django-stubs ([tool.mypy] in pyproject.toml): strict on every app's services
# and selectors, the rest of the project is read for its types only.
typecheck: install-dev
	@echo "== mypy (strict on the apps' services and selectors; [tool.mypy] in pyproject.toml)"
	$(VENV)/bin/mypy

migrations-check: install
	@echo "== makemigrations --check (no model change without its migration)"
	$(MANAGE) makemigrations --check --dry-run

translations-check: install system-deps-run
	@echo "== every user-facing string has its Dutch translation"
	@PYTHON=$(PY) scripts/check-translations.sh

# compilemessages walks the whole tree: keep it out of .venv and node_modules. Before the
# first .po file exists there is nothing to compile.
compilemessages: install
	@if find . \( -path ./.venv -o -path ./node_modules -o -path ./.git \) -prune -o \
			-name '*.po' -print -quit | grep -q .; then \
		echo "== compilemessages"; \
		$(MANAGE) compilemessages --ignore=.venv --ignore=node_modules; \
	else \
		echo "== compilemessages: no .po files yet, nothing to compile"; \
	fi

# Production settings with a throwaway secret: every deployment check must pass.
check-deploy: install
	@echo "== check --deploy with config.settings.production (--fail-level WARNING)"
	@env -u DATABASE_URL DJANGO_SETTINGS_MODULE=config.settings.production \
		DJANGO_SECRET_KEY="$$($(PY) -c 'import secrets; print(secrets.token_urlsafe(64))')" \
		DJANGO_ALLOWED_HOSTS=portal.voorbeeldstad.nl \
		$(MANAGE) check --deploy --fail-level WARNING

test-sqlite: install-dev node-deps
	@echo
	@echo "== pytest on SQLite (in-memory test database), the whole suite with the e2e browser journeys"
	env -u DATABASE_URL $(PY) -m pytest $(PYTEST_ARGS)

# A PostgreSQL 15 server of its own for this run (scripts/test-postgres.sh); the browser
# journeys ran on SQLite already, everything else runs again here.
test-postgres: install-dev
	@echo
	PYTHON=$(PY) scripts/test-postgres.sh -m "not e2e" $(PYTEST_ARGS)

# --------------------------------------------------------------------------- make benchmark

# Not part of make test. BENCHMARK_OUTPUT (default docs/benchmarks-latest.md),
# BENCHMARK_EMPLOYEES, BENCHMARK_REPORT_SIZES and BENCHMARK_ARGS: see scripts/benchmark.sh.
BENCHMARK_OUTPUT ?= docs/benchmarks-latest.md
screenshots: system-deps-test install-dev compilemessages
	@scripts/screenshots.sh

benchmark:
	@scripts/benchmark.sh $(BENCHMARK_OUTPUT)

# --------------------------------------------------------------------------- make messages

messages: install
	@mkdir -p locale
	$(MANAGE) makemessages -l nl --ignore=.venv --ignore=node_modules --ignore=staticfiles \
		--ignore=test-results
	@echo "== updated locale/nl/LC_MESSAGES/django.po"

# --------------------------------------------------------------------------- clean

clean:
	find . \( -path ./.venv -o -path ./node_modules -o -path ./.git \) -prune -o \
		-name __pycache__ -type d -print0 | xargs -0 rm -rf
	rm -rf .pytest_cache .ruff_cache test-results staticfiles .tmp $(STAMPS) node_modules/.stamp

distclean: clean
	rm -rf $(VENV) node_modules db.sqlite3 db.sqlite3-journal media
