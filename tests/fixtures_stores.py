"""Fixtures of stores on every backend: empty ones, copies of the bundled data built once a
run per backend, and the Oxigraph servers behind the remote backend.
"""

from __future__ import annotations

import shutil
from collections.abc import Mapping
from pathlib import Path

import pytest

from inspectgraph.graph.build import build
from inspectgraph.graph.stores import BACKENDS, open_store
from inspectgraph.testing import OxigraphServer


class ServerPool:
    """Real `oxigraph serve` processes on free loopback ports, started when first needed
    and handed out empty; stopped at the end of the session."""

    def __init__(self):
        self.idle: list[OxigraphServer] = []
        self.all: list[OxigraphServer] = []

    def acquire(self) -> OxigraphServer:
        if self.idle:
            server = self.idle.pop()
            server.clear()
            return server
        server = OxigraphServer().start()
        self.all.append(server)
        return server

    def release(self, server: OxigraphServer) -> None:
        self.idle.append(server)

    def stop(self) -> None:
        for server in self.all:
            server.stop()


@pytest.fixture(scope="session")
def oxigraph_servers():
    """The pool of `oxigraph serve` processes behind the remote backend."""
    pool = ServerPool()
    yield pool
    pool.stop()


@pytest.fixture(
    params=[
        # the fast tier (`make check`) tries the default backend; `make test` tries all three
        pytest.param(name, marks=() if name == "oxigraph" else pytest.mark.slow)
        for name in sorted(BACKENDS)
    ]
)
def kind(request) -> str:
    """Each store backend in turn: embedded Oxigraph, rdflib memory, a remote endpoint."""
    return request.param


@pytest.fixture
def new_store(kind, tmp_path, oxigraph_servers):
    """new_store(name="store"): a new, empty store of the current backend (for remote:
    its own `oxigraph serve`)."""
    taken = []

    def make(name: str = "store"):
        if kind == "remote":
            server = oxigraph_servers.acquire()
            taken.append(server)
            return open_store(server.query_url, kind="remote")
        return open_store(tmp_path / name, kind=kind)

    yield make
    for server in taken:
        oxigraph_servers.release(server)


@pytest.fixture
def store_args(kind, tmp_path, oxigraph_servers):
    """Command-line options selecting a new, empty store of the current backend."""
    if kind == "remote":
        server = oxigraph_servers.acquire()
        yield ["--endpoint", server.query_url]
        oxigraph_servers.release(server)
    elif kind == "memory":
        yield ["--memory", "--store", tmp_path / "store"]
    else:
        yield ["--store", tmp_path / "store"]


@pytest.fixture
def empty_store(new_store):
    with new_store() as store:
        yield store


class BundledTemplates:
    """{kind: directory} of the bundled data built by backend `kind` (oxigraph or memory),
    each built the first time it is asked for and never opened again: `bundled_copy`,
    `bundled_stores` and `built_store_dir` hand out copies, so a test that changes its
    store changes only its own."""

    def __init__(self, root: Path):
        self.root = root
        self.built: dict[str, Path] = {}

    def __getitem__(self, kind: str) -> Path:
        if kind not in self.built:
            with open_store(self.root / kind, kind=kind) as store:
                build(store)
            self.built[kind] = self.root / kind
        return self.built[kind]


@pytest.fixture(scope="session")
def bundled_templates(tmp_path_factory) -> BundledTemplates:
    """The bundled data built once per on-disk backend and test run (see BundledTemplates)."""
    return BundledTemplates(tmp_path_factory.mktemp("bundled-templates"))


def copy_bundled(kind: str, templates: BundledTemplates, target: Path, servers: ServerPool):
    """A new store of backend `kind` holding exactly what `build(store)` writes: the
    template directory copied (Oxigraph's RocksDB files, the memory store's N-Quads file),
    or for remote, a fresh `oxigraph serve` loaded with those N-Quads.

    Returns (store, server or None); the caller releases the server."""
    if kind == "remote":
        server = servers.acquire()
        store = open_store(server.query_url, kind="remote")
        store.load(templates["memory"] / "store.nq")
        return store, server
    shutil.copytree(templates[kind], target)
    return open_store(target, kind=kind), None


@pytest.fixture
def bundled_copy(kind, tmp_path, bundled_templates, oxigraph_servers):
    """bundled_copy(name="store"): a new store of the current backend holding the bundled
    data as a fresh `build(store)` leaves it, for tests that change it (one build per
    backend per test run, copied)."""
    taken = []

    def make(name: str = "store"):
        store, server = copy_bundled(kind, bundled_templates, tmp_path / name, oxigraph_servers)
        taken.append((store, server))
        return store

    yield make
    for store, server in taken:
        store.close()
        if server is not None:
            oxigraph_servers.release(server)


class BundledStores(Mapping):
    """{kind: store} of the bundled data in every backend, each made the first time it is
    asked for (a test of the default backend alone never starts the other two).

    Each is its backend's own build (the on-disk ones copied from their template; the
    remote one built through the endpoint), so tests comparing them compare three builds."""

    def __init__(self, templates: BundledTemplates, root: Path, servers: ServerPool):
        self.templates, self.root, self.servers = templates, root, servers
        self.made: dict = {}

    def __getitem__(self, kind: str):
        if kind not in BACKENDS:
            raise KeyError(kind)
        if kind not in self.made:
            if kind == "remote":
                store = open_store(self.servers.acquire().query_url, kind="remote")
                build(store)
            else:
                store, _ = copy_bundled(kind, self.templates, self.root / kind, self.servers)
            self.made[kind] = store
        return self.made[kind]

    def __iter__(self):
        return iter(sorted(BACKENDS))

    def __len__(self) -> int:
        return len(BACKENDS)


@pytest.fixture(scope="session")
def bundled_stores(bundled_templates, tmp_path_factory, oxigraph_servers):
    """The bundled data in each backend, shared by the tests that only read it (see
    BundledStores)."""
    stores = BundledStores(bundled_templates, tmp_path_factory.mktemp("bundled"), oxigraph_servers)
    yield stores
    for store in stores.made.values():
        store.close()


@pytest.fixture
def bundled_store(bundled_stores, kind):
    return bundled_stores[kind]


@pytest.fixture(scope="session")
def built_store_dir(bundled_templates, tmp_path_factory) -> Path:
    """A directory holding an Oxigraph store with the bundled data, for CLI tests."""
    path = tmp_path_factory.mktemp("cli") / "store"
    shutil.copytree(bundled_templates["oxigraph"], path)
    return path


@pytest.fixture(scope="module")
def endpoint(built_store_dir):
    """`inspectgraph serve` in-process over the bundled data (:func:`built_store_dir`), with
    the named queries' examples, shared by the tests of one module."""
    from inspectgraph.endpoint.serve import Endpoint, EndpointConfig, named_query_examples

    config = EndpointConfig(memory_limit=0, timeout=20, examples=named_query_examples())
    with Endpoint(built_store_dir, config=config) as ep:
        yield ep
