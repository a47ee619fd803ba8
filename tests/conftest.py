"""What every test shares: the hypothesis profiles, the order files go to the workers, the
mini records and the CLI runner; the fixtures of the corpus, the stores and the pages are in
``fixtures_corpus.py``, ``fixtures_stores.py`` and ``fixtures_pages.py``."""

from __future__ import annotations

import gc
import os
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import settings

MINI = Path(__file__).resolve().parent / "data" / "mini.yaml"

# the fixtures, by what they provide, in modules beside this file
sys.path.insert(0, str(Path(__file__).parent))
pytest_plugins = ["fixtures_corpus", "fixtures_stores", "fixtures_pages"]


# Hypothesis example counts: `ci` (the default, `make test`) and `check` (`make check`, the
# edit-test loop); HYPOTHESIS_PROFILE picks one.  Tests set deadlines and health checks
# themselves, never their example count, so the profile decides it everywhere.
settings.register_profile("ci", max_examples=40)
settings.register_profile("check", max_examples=10)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))


# Longest files first.  `make test` hands each test file to one xdist worker (--dist
# loadfile, --no-loadscope-reorder), in the order collected: a long file started last is
# the run's tail while the other worker idles.  Files are ordered by their tests' seconds
# in earlier runs (pytest's cache, written below), a test not timed yet (a new one) counted
# as the median timed test, so that one new test does not throw away every other figure;
# with no test timed (a fresh clone, as in CI), by these measured seconds, then a fifth of
# a second a test (most files not listed are a few seconds of many quick tests).
FILE_SECONDS = {  # each file's tests' wall seconds, quiet machine, `make test` of 2026-12-07
    # (per-test probe, docs/testing.md "Seventh pass"), less the eighth pass's cuts
    "test_national.py": 230,  # the whole corpus extracted, then built by the command line
    "test_backends.py": 155,  # every command on every backend (the memory one is slow)
    "test_crash.py": 150,  # SIGKILL trials in subprocesses
    "test_export.py": 100,  # every export format parsed back by rdflib
    "test_link.py": 68,
    "test_build.py": 58,
    "test_workbench.py": 45,
    "test_documents.py": 48,
    "test_bench.py": 42,  # the bench's smoke runs, the rdflib baselines among them
    "test_queries.py": 43,
    "test_describe.py": 35,
    "test_partnerships.py": 30,
    "test_heading_variants.py": 30,  # every document of both corpora parsed twice
    "test_serve_limits.py": 29,  # queries stopped at their time and memory limits
    "test_site_letters.py": 28,  # pages in headless Chromium
    "test_samefigure.py": 23,
    "test_trends.py": 22,
    "test_serve_protocol.py": 19,
    "test_browser.py": 19,
    "test_cli.py": 15,
    "test_outcomes.py": 14,
    "test_extract_joint.py": 14,
    "test_bad_inputs.py": 12,
    "test_serve.py": 12,
    "test_shaclsparql.py": 10,
    "test_cocriticism.py": 9,
    "test_netexport.py": 9,
    "test_national_views.py": 8,
    "test_doctests.py": 8,
}


DURATIONS_KEY = "inspectgraph/test-seconds"


@pytest.hookimpl(trylast=True)  # after -m and -k have deselected
def pytest_collection_modifyitems(session, config, items):
    cache = getattr(config, "cache", None)
    known = cache.get(DURATIONS_KEY, {}) if cache is not None else {}
    by_file: dict[str, list] = {}
    for item in items:
        by_file.setdefault(item.nodeid.split("::")[0], []).append(item)

    timed = sorted(known[item.nodeid] for item in items if item.nodeid in known)
    guess = timed[len(timed) // 2] if timed else 1.0  # the median timed test

    def seconds(path: str) -> float:
        tests = by_file[path]
        if timed:
            return sum(known.get(t.nodeid, guess) for t in tests)
        return FILE_SECONDS.get(Path(path).name, 0.2 * len(tests))

    order = sorted(by_file, key=lambda path: (-seconds(path), path))
    items[:] = [item for path in order for item in by_file[path]]


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_setup(item):
    """Collect, then freeze what survives, before each test.

    The Oxigraph store calls ``gc.collect()`` whenever it lets go of RocksDB (every close and
    every read-only open), and a full collection walks every object the worker holds: the
    session's fixtures, modules and pytest's own records, about 0.08 CPU-s a time, which
    was a quarter of `make check`.  Frozen objects are skipped by later collections, so those
    walk only what the current test made.  Nothing a test made is frozen before it ends
    (its stores are closed by then), and garbage is collected before each freeze."""
    gc.collect()
    gc.freeze()


_SECONDS: dict[str, float] = {}  # this run's tests: setup + call + teardown


def pytest_runtest_logreport(report):
    _SECONDS[report.nodeid] = _SECONDS.get(report.nodeid, 0.0) + report.duration


def pytest_sessionfinish(session):
    """Remember each test's seconds for the next run's order (written by the controlling
    process, which hears every worker's reports, or by a run without workers)."""
    cache = getattr(session.config, "cache", None)
    if cache is None or hasattr(session.config, "workerinput") or not _SECONDS:
        return
    known = cache.get(DURATIONS_KEY, {})
    known.update({k: round(v, 3) for k, v in _SECONDS.items()})
    cache.set(DURATIONS_KEY, known)


@pytest.fixture
def mini() -> Path:
    """A small hand-made records file (tests/data/mini.yaml): three agencies, two visits."""
    return MINI


@pytest.fixture
def cli_run():
    """Run the CLI in-process: cli_run("query", "agencies", ...) -> click Result."""
    from inspectgraph.cli.main import cli

    runner = CliRunner()

    def run(*args, input=None):
        return runner.invoke(cli, [str(a) for a in args], input=input, catch_exceptions=False)

    return run
