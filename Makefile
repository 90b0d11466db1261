# Two entry points: `make plan` (install and run the main job) and `make test` (the suite).
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
TSTAMP := $(VENV)/.installed-test

.PHONY: plan test lint typecheck pytest bench data i18n clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e .
	touch $@

$(TSTAMP): $(STAMP) pyproject.toml
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $@

## plan: create the virtual environment, install zoning and run `zoning plan` on Beichuan
plan: $(STAMP)
	$(BIN)/zoning plan

## test: install the test extras, then ruff, mypy and the whole pytest suite
test: $(TSTAMP) lint typecheck pytest

lint: $(TSTAMP)
	$(BIN)/ruff check .

typecheck: $(TSTAMP)
	$(BIN)/mypy

pytest: $(TSTAMP)
	$(BIN)/python -m pytest

## bench: run the benchmark scripts (slow; prints ratios measured in one run)
bench: $(STAMP)
	for f in benchmarks/bench_*.py; do $(BIN)/python $$f || exit 1; done

## data: regenerate the illustrative Beichuan layout
data: $(STAMP)
	$(BIN)/python gis_data/beichuan/generate.py

## i18n: extract the marked strings into the Chinese catalogues (Babel) and compile them
i18n: $(TSTAMP)
	$(BIN)/python tools/i18n.py update

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache build dist
