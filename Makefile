# Only python3 is assumed: every target bootstraps its own virtual environment.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: demo test lint format bench eval clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(STAMP)

demo: $(STAMP)
	$(BIN)/inspectgraph demo --out demo-out

test: $(STAMP)
	$(BIN)/python -m pytest -q

eval: $(STAMP)
	$(BIN)/python -m inspectgraph.extract.eval

lint: $(STAMP)
	$(BIN)/ruff check src ontology graph queries viz tests
	$(BIN)/ruff format --check src ontology graph queries viz tests

format: $(STAMP)
	$(BIN)/ruff format src ontology graph queries viz tests
	$(BIN)/ruff check --fix src ontology graph queries viz tests

clean:
	rm -rf demo-out inspectgraph-store test-artifacts .pytest_cache
