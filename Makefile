# Setka's commands (the contract of DESIGN.md §5): make demo, make test, make bench, make lint.
# Only python3 (>= 3.11), make and git are needed: everything else installs from PyPI.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
UV_VERSION := 0.13.9
UV := $(BIN)/uv
STAMP := $(VENV)/.installed
SETKA := $(BIN)/python -m setka
PYTEST_WORKERS ?= 2

.PHONY: demo test test-fast test-dates bench lint format install messages compilemessages browser serve clean

$(BIN)/python:
	$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11) and "Setka needs Python >= 3.11" or 0)'
	$(PYTHON) -m venv $(VENV)

$(UV): | $(BIN)/python
	$(BIN)/python -m pip install --quiet --disable-pip-version-check "uv==$(UV_VERSION)"

$(STAMP): pyproject.toml uv.lock | $(UV)
	VIRTUAL_ENV=$(CURDIR)/$(VENV) $(UV) sync --frozen --inexact --active --extra dev --quiet
	@touch $@

install: $(STAMP) compilemessages

compilemessages: | $(STAMP)
	@$(BIN)/pybabel compile -D django -d src/setka/locale --statistics 2>&1 | grep -v '^$$' || true

# Fresh clone -> the demo municipality served at http://127.0.0.1:8000
demo: install
	@mkdir -p var
	@test -s var/secret_key || $(BIN)/python -c 'import secrets; print(secrets.token_urlsafe(50))' > var/secret_key
	$(SETKA) migrate --no-input
	$(SETKA) demo
	$(SETKA) collectstatic --no-input --verbosity 0
	@echo "Setka: http://127.0.0.1:8000  (Ctrl+C stops the server)"
	$(BIN)/gunicorn setka.config.wsgi --bind 127.0.0.1:8000 --workers 2 --access-logfile -

# Fresh clone -> the whole suite (unit, API, browser). DATABASE_URL=postgres://... runs it on
# PostgreSQL. Browser tests need Debian's chromium: installed here when missing and possible.
test: install browser
	SETKA_TESTING=1 $(BIN)/pytest -n $(PYTEST_WORKERS) --create-db $(PYTEST_ARGS)

test-fast: install
	SETKA_TESTING=1 $(BIN)/pytest -n $(PYTEST_WORKERS) -m "not browser" $(PYTEST_ARGS)

# The suite holds on any date: the non-browser tests with the frozen clock moved into the
# third quarter and into the next school year (tests/clock.py; the fixtures move with it).
test-dates: install
	SETKA_TEST_TODAY=2027-02-10 SETKA_TESTING=1 $(BIN)/pytest -n $(PYTEST_WORKERS) -m "not browser" --create-db -q $(PYTEST_ARGS)
	SETKA_TEST_TODAY=2027-09-15 SETKA_TESTING=1 $(BIN)/pytest -n $(PYTEST_WORKERS) -m "not browser" --create-db -q $(PYTEST_ARGS)

browser:
	@bash scripts/ensure-chromium.sh

bench: install
	$(BIN)/python bench/run.py $(BENCH_ARGS)

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	SETKA_TESTING=1 $(SETKA) makemigrations --check --dry-run
	SETKA_TESTING=1 $(BIN)/mypy
	SETKA_TESTING=1 $(BIN)/python scripts/check_messages.py

format: install
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

# Refresh the translation catalogues after changing strings (needs GNU gettext: xgettext).
messages: install
	cd src/setka && SETKA_TESTING=1 ../../$(BIN)/python -m setka makemessages -l ru -l en --no-obsolete --no-location --ignore 'static/vendor/*' -e html,py,txt,jinja
	$(MAKE) compilemessages

clean:
	rm -rf $(VENV) var/static .pytest_cache .ruff_cache .mypy_cache
