# Two commands on a fresh machine:
#   make demo   set up (the runtime only), build the demo networks in constellation.db
#               (SQLite), show them and serve them on http://localhost:8000/ (PORT=8123 for
#               another port)
#   make test   set up and run the whole test suite (SQLite and PostgreSQL)

PYTHON ?= python3
VENV   ?= .venv
BIN     = $(VENV)/bin
PORT   ?= 8000

.PHONY: demo test lint typecheck format install runtime clean

# The program and what it needs to run: all `make demo` installs.
$(BIN)/.runtime: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e .
	touch $@

# Besides, the test and development tools (pytest, Playwright, ruff, mypy …).
$(BIN)/.installed: $(BIN)/.runtime
	$(BIN)/pip install --quiet -e ".[test,dev]"
	touch $@

runtime: $(BIN)/.runtime

install: $(BIN)/.installed

demo: runtime
	$(BIN)/constellation demo
	$(BIN)/constellation serve --demo --port $(PORT)

test: install
	$(BIN)/python -m pytest

# The habits CI enforces: ruff's lint rules, its formatting and the types.
lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

# Types alone: mypy over src/ and api/, configured in pyproject.toml ([tool.mypy]): strict
# but for warn_return_any (networkx has no types) and unannotated defs in
# api/routers/records.py (body types built at run time); the reasons are beside each setting.
typecheck: install
	$(BIN)/mypy

format: install
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

clean:
	rm -rf $(VENV) constellation.db constellation.db-wal constellation.db-shm
