"""Fixtures shared by the tests (and mirrored by the demo): built stores, the corpus, the CLI."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from click.testing import CliRunner

from inspectgraph.build import build
from inspectgraph.stores import BACKENDS, open_store

REPO = Path(__file__).resolve().parent.parent
MINI = Path(__file__).resolve().parent / "data" / "mini.yaml"


def corpus_dir() -> Path | None:
    """The shared Ofsted corpus ($INSPECTGRAPH_CORPUS, default ../shared/corpus), if present."""
    path = Path(os.environ.get("INSPECTGRAPH_CORPUS", REPO.parent / "shared" / "corpus"))
    return path if (path / "manifest.csv").exists() else None


@pytest.fixture
def mini() -> Path:
    """A small hand-made records file (tests/data/mini.yaml): three agencies, two visits."""
    return MINI


@pytest.fixture
def corpus() -> Path:
    path = corpus_dir()
    if path is None:
        if os.environ.get("CI") == "true":
            pytest.fail("INSPECTGRAPH_CORPUS is not set to the corpus in CI")
        pytest.skip("Ofsted corpus not found: set INSPECTGRAPH_CORPUS (letter texts are not "
                    "bundled)")
    return path


@pytest.fixture(params=sorted(BACKENDS))
def kind(request) -> str:
    """Each local store backend in turn."""
    return request.param


@pytest.fixture
def empty_store(tmp_path, kind):
    with open_store(tmp_path / "store", kind=kind) as store:
        yield store


@pytest.fixture(scope="session")
def bundled_stores(tmp_path_factory):
    """The bundled data built once into each backend: {kind: store}."""
    stores = {}
    for kind in sorted(BACKENDS):
        store = open_store(tmp_path_factory.mktemp(f"bundled-{kind}") / "store", kind=kind)
        build(store)
        stores[kind] = store
    yield stores
    for store in stores.values():
        store.close()


@pytest.fixture
def bundled_store(bundled_stores, kind):
    return bundled_stores[kind]


@pytest.fixture(scope="session")
def built_store_dir(tmp_path_factory) -> Path:
    """A directory holding an Oxigraph store with the bundled data, for CLI tests."""
    path = tmp_path_factory.mktemp("cli") / "store"
    with open_store(path) as store:
        build(store)
    return path


@pytest.fixture
def cli_run():
    """Run the CLI in-process: cli_run("query", "agencies", ...) -> click Result."""
    from inspectgraph.cli import cli

    runner = CliRunner()

    def run(*args, input=None):
        return runner.invoke(cli, [str(a) for a in args], input=input, catch_exceptions=False)

    return run
