# The two commands: `make run` and `make test` (see README.md).
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
ADDR ?= 127.0.0.1:8000

.PHONY: run test lint bench system-test-deps clean

$(VENV)/bin/python:
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip

$(VENV)/.installed-run: pyproject.toml | $(VENV)/bin/python
	$(PY) -m pip install --quiet -e .
	touch $@

$(VENV)/.installed-test: pyproject.toml | $(VENV)/bin/python
	$(PY) -m pip install --quiet -e '.[test]'
	touch $@ $(VENV)/.installed-run

run: $(VENV)/.installed-run
	$(PY) manage.py migrate --noinput
	$(PY) manage.py collectstatic --noinput -v0
	$(PY) manage.py load_demo
	$(PY) manage.py setup_schedules
	bin/serve $(ADDR)

# Debian packages the tests drive (Chromium, Japanese fonts, Node.js), installed when missing.
system-test-deps:
	bin/install-test-deps

# JavaScript the tests run in Chromium or Node (axe-core), pinned by package-lock.json.
node_modules/.installed: package.json package-lock.json | system-test-deps
	npm ci --no-audit --no-fund --silent
	touch $@

test: $(VENV)/.installed-test system-test-deps node_modules/.installed
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .
	$(PY) -m pytest

lint: $(VENV)/.installed-test
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .

# Timings as ratios to baselines measured in the same run; see bench/RESULTS.md.
bench: $(VENV)/.installed-test
	$(PY) bench/run.py

clean:
	rm -rf $(VENV) var
