"""The Python API: ``kg = inspectgraph.open(path)``, then build, query and analyse.

>>> import inspectgraph
>>> kg = inspectgraph.open()          # in memory; pass a directory to persist
>>> _ = kg.build()                     # the bundled Sunderland case
>>> kg.partnerships(la="Sunderland")[0]["agencies"]
['Northumbria Police', 'Together for Children']
"""

from __future__ import annotations

from pathlib import Path

import networkx as nx

from . import queries
from .build import BuildReport, build
from .graph import partnership_graph_from_store, recurring_partnerships
from .output import plain
from .stores import Store, open_store

__all__ = ["KnowledgeGraph", "open"]


class KnowledgeGraph:
    """A store plus the operations researchers use most."""

    def __init__(self, store: Store):
        self.store = store

    def build(self, sources=None) -> BuildReport:
        """Build records files (default: the bundled data) into the store."""
        return build(self.store, sources)

    def query(self, name: str, **params) -> list[dict]:
        """Run a named query; rows as dicts of plain Python values."""
        q = queries.get(name)
        result = self.store.query(q.text, q.bindings(params))
        return [{k: plain(v) for k, v in row.items()} for row in result.dicts()]

    def partnership_graph(self, *, polarity: str = "weakness", la: str = "") -> nx.Graph:
        """The networkx graph of agencies joined by shared findings."""
        return partnership_graph_from_store(self.store, polarity=polarity, la=la)

    def partnerships(self, *, polarity: str = "weakness", la: str = "",
                     min_inspections: int = 2) -> list[dict]:
        """Recurring pairs of agencies, strongest first (as ``inspectgraph partnerships``)."""
        G = self.partnership_graph(polarity=polarity, la=la)
        return recurring_partnerships(G, min_inspections=min_inspections)

    def close(self) -> None:
        self.store.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc) -> None:
        self.close()


def open(path: str | Path | None = None, *, kind: str = "oxigraph") -> KnowledgeGraph:  # noqa: A001
    """Open the store at ``path`` (``None``: a fresh in-memory Oxigraph store)."""
    return KnowledgeGraph(open_store(path, kind=kind))
