# Only python3 is assumed: every target bootstraps its own virtual environment.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: demo test check lint format bench eval clean

# what ruff checks: the package's root modules and its folders, tools/ and tests/
CODE := $(wildcard *.py) analysis cli endpoint extract graph linking model ontology queries sources tests tools viz

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(STAMP)

demo: $(STAMP)
	$(BIN)/inspectgraph demo --out demo-out

# Tests run in two pytest-xdist workers (TEST_WORKERS=0: one process); each test file stays
# on one worker, so its module fixtures (the national build of test_national.py) are made once.
# Files go out in the order tests/conftest.py collects them, longest first
# (--no-loadscope-reorder: xdist would otherwise send the files with most tests first).
TEST_WORKERS ?= 2
PYTEST := $(BIN)/python -m pytest -q -n $(TEST_WORKERS) --dist loadfile --no-loadscope-reorder

# the whole suite (CI runs this); the twenty longest tests are listed at the end, for the
# next pass on the suite's time
test: $(STAMP)
	$(PYTEST) --durations=20

# the fast tier for the edit-test loop: every test not marked slow or browser, and fewer
# hypothesis examples (tests/conftest.py has the profiles)
check: $(STAMP)
	HYPOTHESIS_PROFILE=check $(PYTEST) -m "not slow and not browser"

eval: $(STAMP)
	$(BIN)/python -m tools.eval
# BENCH_SIZES=S,M trims the run (default S,M,L; L takes tens of minutes with the rdflib baselines).
# Then the durability benchmarks: SIGKILL during build --corpus on the demo store, and the load test on
# the store that build made (BENCH_STORE=DIR: on that store instead, e.g. a national one).
bench: $(STAMP)
	$(BIN)/python -m tools.bench --sizes "$${BENCH_SIZES-S,M,L}" --out docs/benchmarks.md
	$(BIN)/python -m tools.benchdurable --crash "$${INSPECTGRAPH_CORPUS:-../shared/corpus}" \
		$${BENCH_STORE:+--load "$$BENCH_STORE"} --out docs/benchmarks.md

lint: $(STAMP)
	$(BIN)/ruff check $(CODE)
	$(BIN)/ruff format --check $(CODE)

format: $(STAMP)
	$(BIN)/ruff format $(CODE)
	$(BIN)/ruff check --fix $(CODE)

clean:
	rm -rf demo-out inspectgraph-store test-artifacts .pytest_cache
