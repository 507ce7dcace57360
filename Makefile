# Plan and manage school technology: set-up, run, test and measure.
# `make dev` and `make test` are the two commands in the README; both work on a fresh clone.

VENV      := .venv
PY        := $(VENV)/bin/python
PIP       := $(VENV)/bin/pip
STAMP     := $(VENV)/.installed
NPM_STAMP := node_modules/.installed
# One pytest worker per CPU; each file runs whole in one worker, so module fixtures are made once.
PYTEST_WORKERS ?= --numprocesses=auto --dist=loadfile

.PHONY: dev setup assets data test test-python test-browser lint check-deploy bench clean

dev: setup data  ## Set up and start the whole service on http://127.0.0.1:8000
	$(PY) scripts/dev.py

setup: $(STAMP) assets

$(STAMP): requirements/base.txt requirements/dev.txt .python-version
	python3 -m venv $(VENV)
	$(PIP) install --quiet --disable-pip-version-check -r requirements/dev.txt
	touch $(STAMP)

$(NPM_STAMP): package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $(NPM_STAMP)

assets: $(NPM_STAMP)  ## Build CSS and copy GOV.UK Frontend assets into static/
	npm run --silent build

data: $(STAMP)  ## Migrate the database and load the shipped GIAS data and demo accounts
	$(PY) manage.py migrate --no-input
	$(PY) manage.py load_shipped_data
	$(PY) manage.py load_standards
	$(PY) manage.py load_training
	$(PY) manage.py load_demo_accounts
	$(PY) manage.py generate_estate --demo
	$(PY) manage.py generate_assessments --demo
	$(PY) manage.py generate_training --demo
	$(PY) manage.py generate_plans --demo
	$(PY) manage.py generate_sharing --demo
	$(PY) manage.py generate_peer_support --demo
	$(PY) manage.py load_legacy_principles
	$(PY) manage.py load_legacy_examples
	$(PY) manage.py snapshot_insights

test: setup  ## Set up and run every test: checks, unit tests and browser tests
	scripts/ensure_chromium.sh
	$(PY) manage.py check
	$(PY) manage.py makemigrations --check --dry-run
	$(MAKE) --no-print-directory check-deploy
	$(VENV)/bin/ruff check .
	$(VENV)/bin/lint-imports
	$(VENV)/bin/pytest $(PYTEST_WORKERS) $(PYTEST_ARGS)

check-deploy:  ## Django's deployment checks under production settings (placeholder secrets)
	$(PY) scripts/check_deploy.py

lint: $(STAMP)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/lint-imports
	$(VENV)/bin/ruff format --check .

bench: setup  ## One table: the service's pages beside the layout floor, on DATABASE_URL (docs/benchmarks.md)
	$(PY) scripts/bench_pages.py

clean:
	rm -rf $(VENV) node_modules static staticfiles db.sqlite3
