"""The SHACL gate: nothing reaches the store unless it conforms to ontology/shapes.ttl."""

from __future__ import annotations

import itertools
from dataclasses import dataclass

from rdflib import Graph, Namespace, URIRef
from rdflib.term import Node

from ..ontology import ontology_graph, shapes_graph

__all__ = ["Violation", "validate_graph"]

SH = Namespace("http://www.w3.org/ns/shacl#")


@dataclass(frozen=True, order=True)
class Violation:
    focus: str
    path: str
    message: str
    value: str = ""

    def __str__(self) -> str:
        value = f" (value {self.value})" if self.value else ""
        return f"{self.focus} {self.path}: {self.message}{value}"


def _short(node: Node | None) -> str:
    if node is None:
        return "-"
    if isinstance(node, URIRef):
        return node.n3()
    return str(node) if not hasattr(node, "n3") else node.n3()


def validate_graph(data: Graph, focus: set | None = None) -> list[Violation]:
    """Validate ``data`` (with the ontology and schemes added) against the shapes.

    With ``focus``, only those nodes are validated (the rest of ``data`` is context,
    e.g. the classes of nodes that other graphs already hold). Returns the
    violations, sorted; an empty list means the data conforms.
    """
    if focus is not None and not focus:
        return []
    import pyshacl  # slow to import: only when validating

    from .stores.memory import fill_memory

    combined = Graph()
    rows = [(s, p, o, combined) for s, p, o in itertools.chain(data, ontology_graph())]
    if not fill_memory(combined.store, rows):  # what combined.add of each triple gives
        combined.store.addN(rows)
    conforms, results, _text = pyshacl.validate(
        combined,
        shacl_graph=shapes_graph(),
        inference="none",
        advanced=False,
        allow_warnings=True,
        focus_nodes=sorted(focus) if focus is not None else None,
    )
    if conforms:
        return []
    out = set()
    for r in results.subjects(SH.resultSeverity, SH.Violation):
        out.add(
            Violation(
                focus=_short(results.value(r, SH.focusNode)),
                path=_short(results.value(r, SH.resultPath)),
                message=str(results.value(r, SH.resultMessage) or "violates a shape"),
                value=_short(results.value(r, SH.value)) if results.value(r, SH.value) else "",
            )
        )
    return sorted(out)
