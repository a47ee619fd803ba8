"""Store.load_stream: graphs replaced as their N-Quads arrive, all or nothing."""

import pytest
from rdflib import URIRef

from inspectgraph.graph.stores import open_store

G = [URIRef(f"http://example.org/g{i}") for i in range(3)]


def part(name: URIRef, n: int, word: str) -> tuple[URIRef, bytes]:
    lines = "".join(
        f'<http://example.org/s{i}> <http://example.org/p> "{word} {i}" <{name}> .\n'
        for i in range(n)
    )
    return name, lines.encode()


class Refused(Exception):
    pass


def failing(parts):
    yield from parts
    raise Refused("bad input found part-way")


@pytest.mark.parametrize("bulk", [False, True])
def test_a_stream_replaces_its_graphs_and_a_failing_one_changes_nothing(tmp_path, bulk):
    with open_store(tmp_path / "s") as store:
        if bulk:
            store.bulk_threshold = 10  # the bulk loader under the journal
        store.load_stream([part(G[0], 30, "old"), part(G[1], 30, "old")])
        before = store.digest()
        with pytest.raises(Refused):
            store.load_stream(failing([part(G[0], 20, "new"), part(G[2], 5, "new")]))
        assert store.digest() == before
        store.load_stream([part(G[0], 20, "new"), part(G[2], 5, "new")])
        counts = {
            str(g): int(n)
            for g, n in store.query(
                "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g"
            ).rows
        }
        assert counts == {str(G[0]): 20, str(G[1]): 30, str(G[2]): 5}


def test_a_failing_stream_into_an_empty_store_leaves_it_empty(tmp_path):
    with open_store(tmp_path / "s") as store:
        with pytest.raises(Refused):
            store.load_stream(failing([part(G[0], 50, "new")]))
        assert store.graph_names() == [] and len(store) == 0
    with open_store(tmp_path / "s", read_only=True) as store:  # and stays so when reopened
        assert store.graph_names() == []
