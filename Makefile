# Leadhub: `make run` starts the demo, `make test` runs every check. Both set themselves up.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
# PostgreSQL for the second test run; `make test` skips that run, saying so, when none answers.
TEST_POSTGRES_URL ?= postgres://postgres@127.0.0.1:5432/leadhub_ci

.PHONY: run test install install-test messages check pytest pytest-postgres bench clean

run: install messages
	$(BIN)/leadhub migrate --no-input
	$(BIN)/leadhub demo
	$(BIN)/leadhub serve

test: install-test messages check pytest pytest-postgres

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e .
	touch $@

$(VENV)/.installed-test: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(VENV)/.installed $@

install: $(VENV)/.installed
install-test: $(VENV)/.installed-test

# Compiled catalogues are build output: made from the .po files, never committed.
messages: install
	@if command -v msgfmt >/dev/null; then \
	  cd leadhub && ../$(BIN)/leadhub compilemessages --verbosity 0; \
	else echo "msgfmt not found (Debian package gettext): the interface stays in English"; fi

check: install-test
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy .

pytest: install-test
	$(BIN)/pytest

pytest-postgres: install-test
	@if $(BIN)/python -c "import psycopg,sys; psycopg.connect(sys.argv[1].rsplit('/',1)[0] + '/postgres', connect_timeout=3).close()" "$(TEST_POSTGRES_URL)" 2>/dev/null; then \
	  echo "== the suite again on PostgreSQL ($(TEST_POSTGRES_URL))"; \
	  LEADHUB_DATABASE_URL="$(TEST_POSTGRES_URL)" $(BIN)/pytest --create-db; \
	else \
	  echo "SKIPPED: the PostgreSQL run (no server answers at $(TEST_POSTGRES_URL));"; \
	  echo "         its concurrency tests did not run. Set TEST_POSTGRES_URL to run them."; \
	fi

bench: install-test
	$(BIN)/python bench/intake.py

clean:
	rm -rf $(VENV) var .mypy_cache .ruff_cache .hypothesis
