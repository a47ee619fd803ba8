"""The directory swap behind large embedded writes: every interruption is as before or as
after, and the next writer tidies up."""

from __future__ import annotations

import pyoxigraph as ox
import pytest
from rdflib import Graph, Literal, URIRef

from inspectgraph.errors import StoreError
from inspectgraph.graph.stores import open_store, swap
from inspectgraph.graph.stores.oxigraph import OxigraphStore

G = URIRef("http://example.org/graph/a")
KEPT = URIRef("http://example.org/graph/kept")


def graph(n: int, word: str) -> Graph:
    g = Graph()
    for i in range(n):
        g.add((URIRef(f"http://example.org/s{i}"), URIRef("http://example.org/p"), Literal(word)))
    return g


def contents(path) -> dict:
    with open_store(path, read_only=True) as store:
        rows = store.query("SELECT ?g ?o WHERE { GRAPH ?g { ?s ?p ?o } }").rows
    return {(str(g), str(o)) for g, o in rows}


@pytest.fixture
def store_path(tmp_path):
    path = tmp_path / "store"
    with open_store(path) as store:
        store.replace_graphs({G: graph(50, "old"), KEPT: graph(5, "kept")})
    return path


def test_a_bulk_write_swaps_in_a_checkpoint_and_keeps_the_other_graphs(store_path, monkeypatch):
    monkeypatch.setattr(OxigraphStore, "bulk_threshold", 10)
    swapped = []
    exchange = swap.exchange
    monkeypatch.setattr(swap, "exchange", lambda a, b: (swapped.append(b), exchange(a, b)))
    with open_store(store_path) as store:
        store.replace_graphs({G: graph(50, "new")})
        assert contents(store_path) == {(str(G), "new"), (str(KEPT), "kept")}  # a reader
        assert len(store) == 55
    assert len(swapped) == 1 and not swapped[0].exists()  # the old version is gone
    assert sorted(p.name for p in store_path.parent.iterdir()) == [".store.lock", "store"]


def test_a_write_that_dies_before_the_swap_leaves_the_store_as_before(store_path, monkeypatch):
    monkeypatch.setattr(OxigraphStore, "bulk_threshold", 10)

    def die(path, new):
        raise OSError("simulated crash before the swap")

    monkeypatch.setattr(swap, "exchange", die)
    with open_store(store_path) as store:
        with pytest.raises(StoreError, match="the store is unchanged"):
            store.replace_graphs({G: graph(50, "new")})
        assert len(store) == 55 and store.query('ASK { ?s ?p "old" }').boolean  # usable
    assert contents(store_path) == {(str(G), "old"), (str(KEPT), "kept")}
    # what a SIGKILL at that moment leaves: a stray copy beside the store
    stray = swap.staging_dir(store_path)
    ox.Store(str(stray)).flush()
    with open_store(store_path):  # the next writer removes it
        pass
    assert not stray.exists()
    assert contents(store_path) == {(str(G), "old"), (str(KEPT), "kept")}


@pytest.mark.parametrize("complete", [True, False])
def test_an_interrupted_two_rename_swap_is_finished_or_undone(tmp_path, complete):
    """Where renameat2 is missing: the store's path is gone between the two renames;
    a complete new version is rolled forward, an incomplete one back."""
    path = tmp_path / "store"
    old = tmp_path / ".store.old-t0k3n"
    new = tmp_path / ".store.next-t0k3n"
    for directory, word in ((old, "old"), (new, "new")):
        directory.mkdir()
        (directory / "content").write_text(word)
    if complete:
        (new / swap.COMPLETE).touch()
    swap.recover(path)
    assert (path / "content").read_text() == ("new" if complete else "old")
    assert not (path / swap.COMPLETE).exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["store"]


def test_the_fallback_exchange_gives_the_same_result(tmp_path, monkeypatch):
    monkeypatch.setattr(swap, "_EXCHANGE", None)
    path, new = tmp_path / "store", swap.staging_dir(tmp_path / "store")
    path.mkdir()
    new.mkdir()
    (path / "content").write_text("old")
    (new / "content").write_text("new")
    swap.exchange(path, new)
    assert (path / "content").read_text() == "new" and (new / "content").read_text() == "old"
    assert not (path / swap.COMPLETE).exists()


def test_one_writer_at_a_time(store_path):
    with open_store(store_path):
        with pytest.raises(StoreError, match="being written by another process"):
            OxigraphStore(store_path)
        with open_store(store_path, read_only=True) as reader:  # readers are welcome
            assert len(reader) == 55


def test_input_is_spooled_beside_the_store_and_a_killed_writers_spool_is_removed(
    store_path, monkeypatch
):
    """A stream written into a non-empty store is spooled in ``.store.spool-*`` beside it,
    not in the system's temporary folder, and removed when the write ends; a spool left by
    a process killed mid-write is removed by the store's next writer."""
    seen = []
    real = swap.spool_dir

    def watched(path):
        seen.append(path)
        return real(path)

    monkeypatch.setattr(swap, "spool_dir", watched)
    line = f'<http://example.org/s> <http://example.org/p> "new" <{G}> .\n'.encode()
    with open_store(store_path) as store:
        store.load_stream([(G, line)])
    assert seen == [store_path]
    assert not list(store_path.parent.glob(".store.spool-*"))  # removed when done
    assert ("http://example.org/graph/a", "new") in contents(store_path)

    left = store_path.parent / ".store.spool-0123456789ab"  # what a SIGKILL leaves
    left.mkdir()
    (left / "write.nq").write_bytes(line * 1000)
    with open_store(store_path, read_only=True):
        assert left.exists()  # a reader never tidies: a writer may be using it
    with open_store(store_path) as store:
        store.graph_names()
    assert not left.exists()
