# Liangze — `make help` lists the targets.
PY_BOOT ?= python3.11
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
VENDOR := liangze/static/vendor
NPM := frontend/node_modules/.package-lock.json
CHROMIUM := /usr/bin/chromium
PYTEST_ARGS ?= -n 2

.DEFAULT_GOAL := help
.PHONY: help run test lint types migrations-check pytest assets browser demo bench clean

help: ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-18s %s\n", $$1, $$2}'

$(STAMP): requirements.txt requirements-dev.txt constraints.txt
	test -x $(PY) || $(PY_BOOT) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -r requirements-dev.txt -c constraints.txt
	touch $(STAMP)

$(NPM): frontend/package.json frontend/package-lock.json
	cd frontend && npm ci --no-audit --no-fund

$(VENDOR)/.copied: $(NPM) frontend/copy-assets.sh
	sh frontend/copy-assets.sh $(VENDOR)
	touch $@

assets: $(VENDOR)/.copied ## install the front-end assets (npm) into static/vendor

run: $(STAMP) assets ## set up, migrate, load the county demo once, serve on :8000 with the worker
	LIANGZE_DEBUG=1 $(PY) manage.py migrate --noinput
	LIANGZE_DEBUG=1 $(PY) manage.py seed_demo --scale county --seed 2026 --once
	LIANGZE_DEBUG=1 $(PY) manage.py seed_demo_groups --once
	LIANGZE_DEBUG=1 $(PY) manage.py load_catalogues
	LIANGZE_DEBUG=1 $(PY) manage.py load_rules
	LIANGZE_DEBUG=1 $(PY) manage.py seed_demo_lists --seed 2026 --once
	LIANGZE_DEBUG=1 $(PY) manage.py seed_demo_ledger --seed 2026 --once
	LIANGZE_DEBUG=1 $(PY) manage.py seed_demo_supervision --seed 2026 --once
	LIANGZE_DEBUG=1 $(PY) manage.py seed_demo_notices --once
	LIANGZE_DEBUG=1 $(PY) manage.py seed_demo_dashboard --once
	LIANGZE_DEBUG=1 $(PY) manage.py demo_logins
	LIANGZE_DEBUG=1 $(PY) manage.py serve 127.0.0.1:8000

lint: $(STAMP) ## ruff check, ruff format --check and the layer contract (import-linter)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/lint-imports

types: $(STAMP) ## mypy --strict with django-stubs, on the code and the tests
	$(VENV)/bin/mypy liangze tests

migrations-check: $(STAMP)
	$(PY) manage.py makemigrations --check --dry-run

browser: ## make sure Debian's chromium is there for the browser tests
	@test -x $(CHROMIUM) || (apt-get update -qq && apt-get install -y -qq chromium fonts-noto-cjk)

pytest: $(STAMP) assets browser ## the test suite on SQLite, then on PostgreSQL if LIANGZE_TEST_POSTGRES is set
	$(VENV)/bin/pytest $(PYTEST_ARGS)
	@if [ -n "$$LIANGZE_TEST_POSTGRES" ]; then \
		echo "== PostgreSQL: $$LIANGZE_TEST_POSTGRES"; \
		LIANGZE_DATABASE_URL="$$LIANGZE_TEST_POSTGRES" $(VENV)/bin/pytest $(PYTEST_ARGS); \
	fi

test: lint types migrations-check pytest ## lint, types, migrations check and the whole suite

bench: $(STAMP) ## benchmarks (see bench/README.md)
	$(PY) bench/run.py

clean: ## remove the environment and built files (keeps var/)
	rm -rf $(VENV) frontend/node_modules $(VENDOR)
