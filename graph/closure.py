"""What new graphs refer to: the triples about the nodes they mention, from the build's
other graphs and the store, transitively -- the context they are validated in."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rdflib import Graph, URIRef

from .stores import Store

if TYPE_CHECKING:
    pass


def validation_context(
    new: Graph, graphs: list[Graph], store: Store | None, keep: list[URIRef]
) -> Graph:
    """The triples of ``graphs`` and of the store's graphs ``keep`` about the nodes that
    ``new`` mentions, and about the nodes those mention, transitively (concepts of the
    ontology excluded: the validator adds the ontology itself)."""
    from ..ontology import IG

    vocab = str(IG._NS)
    frontier = {
        t
        for triple in new
        for t in (triple[0], triple[2])
        if isinstance(t, URIRef) and not str(t).startswith(vocab)
    }
    return closure(frontier, graphs, store, keep)


def closure(
    frontier: set[URIRef], graphs: list[Graph], store: Store | None, keep: list[URIRef]
) -> Graph:
    """Triples about ``frontier`` nodes, and about the nodes they mention, transitively,
    from ``graphs`` and from the store's graphs ``keep``."""
    from ..ontology import IG

    vocab = str(IG._NS)
    out = Graph()
    seen: set[URIRef] = set()
    keep_set = set(keep)
    while frontier:
        seen |= frontier
        found: list[tuple] = []
        for g in graphs:
            for node in frontier:
                found.extend(g.triples((node, None, None)))
        if store is not None:
            nodes = sorted(frontier, key=str)
            for i in range(0, len(nodes), 500):
                chunk = " ".join(n.n3() for n in nodes[i : i + 500])
                rows = store.query(
                    "SELECT ?s ?p ?o ?g WHERE { VALUES ?s { " + chunk + " } GRAPH ?g { ?s ?p ?o } }"
                ).rows
                found.extend((s, p, o) for s, p, o, g in rows if g in keep_set)
        frontier = set()
        for s, p, o in found:
            out.add((s, p, o))
            if isinstance(o, URIRef) and o not in seen and not str(o).startswith(vocab):
                frontier.add(o)
    return out
