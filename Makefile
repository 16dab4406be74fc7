# Two commands do all the set-up:  `make run` builds the landscape, `make test` runs the whole test suite.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
# Modules whose docstrings hold examples: run as tests.
DOCTESTED := kgraph/vocabulary.py kgraph/dates.py kgraph/selection.py kgraph/api/landscape.py

.PHONY: run test lint system-deps clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(STAMP)

## Build the landscape from data/, validate it, write build/ and print a summary.
run: $(STAMP)
	$(BIN)/kgraph build

## Install what the tests need beyond Python packages (a browser, a SPARQL server).
system-deps:
	bash scripts/install-system-deps.sh

lint: $(STAMP)
	$(BIN)/ruff check kgraph tests benchmarks
	$(BIN)/mypy kgraph

## The same set-up, the system packages the tests use, lint, then every test.
test: $(STAMP) system-deps lint
	$(BIN)/pytest
	$(BIN)/pytest -q --doctest-modules $(DOCTESTED)

clean:
	rm -rf build .pytest_cache
