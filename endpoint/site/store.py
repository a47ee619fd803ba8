"""The served data as a read-only store, queried through the endpoint's workers.

The site's pages reuse the analyses written against :class:`inspectgraph.graph.stores.Store`
(the authorities' codes, the co-criticism graph). Their queries go through the same
function as the SPARQL endpoint's (``run(query, accept)`` -> status, content type,
body), so they read the same snapshot under the same time limit, and a remote endpoint
served with ``serve --endpoint`` works the same way.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Iterator, Mapping

from rdflib import Graph, URIRef
from rdflib.term import Identifier

from ...errors import StoreError
from ...graph.sparql import for_engine, inject_values
from ...graph.stores.base import Quad, QueryResult, Store
from ...graph.stores.remote import RemoteStore

__all__ = ["QueryFailed", "ServedStore"]

#: what a query of the site accepts: SPARQL JSON for SELECT and ASK, Turtle for graphs
ACCEPT = "application/sparql-results+json, text/turtle;q=0.9"


class QueryFailed(StoreError):
    """A query of a page was answered with an error (time limit, busy workers...)."""

    def __init__(self, status: int, message: str):
        super().__init__(message)
        self.status = status


class ServedStore(Store):
    """Read-only :class:`Store` over ``run(query, accept)``; writes are refused."""

    kind = "served"

    def __init__(self, run: Callable[[str, str], tuple[int, str, bytes]]):
        self.run = run
        self.read_only = True

    def query(self, sparql: str, bindings: Mapping[str, Identifier] | None = None) -> QueryResult:
        sparql = for_engine(sparql, self.traits)
        text = inject_values(sparql, bindings) if bindings else sparql
        status, content_type, body = self.run(text, ACCEPT)
        if status != 200:
            raise QueryFailed(status, body.decode("utf-8", "replace").strip())
        if "json" in content_type:
            data = json.loads(body)
            if "boolean" in data:
                return QueryResult("ask", boolean=bool(data["boolean"]))
            names, rows = RemoteStore._rows(data)
            return QueryResult("select", vars=names, rows=rows)
        graph = Graph()
        graph.parse(data=body, format="turtle")
        return QueryResult("graph", graph=graph)

    def graph_names(self) -> list[URIRef]:
        rows = self.query("SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }").rows
        return sorted(g for (g,) in rows if isinstance(g, URIRef))

    def quads(self) -> Iterator[Quad]:
        raise StoreError("the site reads the served data by queries only")

    def replace_graphs(self, graphs: Mapping[URIRef, Graph]) -> None:
        raise StoreError("the served data is read-only")

    def drop_graphs(self, names: Iterable[URIRef]) -> None:
        raise StoreError("the served data is read-only")
