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
# with no test timed (a fresh clone), by these measured seconds (two workers, idle
# machine), then one second a test.
FILE_SECONDS = {  # half a loaded machine's recorded seconds (2026-12-07), the files over 40
    "test_national.py": 220,  # the whole corpus extracted, then built by the command line
    "test_crash.py": 120,  # SIGKILL trials in subprocesses
    "test_documents.py": 120,
    "test_bench.py": 100,  # the bench's smoke runs, the rdflib baselines among them
    "test_backends.py": 90,  # every command on every backend (the memory one is slow)
    "test_describe.py": 58,
    "test_link.py": 70,
    "test_workbench.py": 65,
    "test_export.py": 60,  # every export format parsed back by rdflib
    "test_build.py": 58,
    "test_trends.py": 58,
    "test_heading_variants.py": 56,  # every document of both corpora parsed twice
    "test_browser.py": 45,
    "test_cli.py": 45,
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
        return FILE_SECONDS.get(Path(path).name, float(len(tests)))

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
