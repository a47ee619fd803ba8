"""RDF files as build sources: Turtle, N-Triples, N-Quads, TriG, JSON-LD, RDF/XML.

A researcher's own triples (links to other datasets, extra agencies, corrections)
are built like records: one named graph per file, through the same SHACL gate.
Blank nodes are replaced by IRIs derived from the graph's canonical form, so the
same file always gives the same triples (and the same store digest).
"""

from __future__ import annotations

from pathlib import Path

from rdflib import BNode, Dataset, Graph, URIRef
from rdflib.compare import to_canonical_graph

from ..errors import InputError
from ..ontology import ID

__all__ = ["RDF_SUFFIXES", "is_rdf_source", "load_rdf_source"]

RDF_SUFFIXES = {
    ".ttl": "turtle",
    ".nt": "nt",
    ".nq": "nquads",
    ".trig": "trig",
    ".jsonld": "json-ld",
    ".rdf": "xml",
    ".owl": "xml",
}
QUAD_SUFFIXES = {".nq", ".trig", ".jsonld"}


def is_rdf_source(path: Path) -> bool:
    return path.suffix.lower() in RDF_SUFFIXES


def load_rdf_source(path: Path, graph_name: URIRef) -> Graph:
    """Parse ``path`` (all its triples, whatever graphs they were in) into one graph."""
    fmt = RDF_SUFFIXES[path.suffix.lower()]
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise InputError(f"{path}: cannot read: {exc.strerror or exc}") from exc
    try:
        if path.suffix.lower() in QUAD_SUFFIXES:
            ds = Dataset()
            ds.parse(data=data, format=fmt, publicID=str(graph_name))
            parsed = Graph()
            for s, p, o, _g in ds.quads((None, None, None, None)):
                parsed.add((s, p, o))
        else:
            parsed = Graph().parse(data=data, format=fmt, publicID=str(graph_name))
    except Exception as exc:  # rdflib's parsers raise many kinds
        message = " ".join(str(exc).split()) or type(exc).__name__
        raise InputError(f"{path}: malformed {fmt}: {message[:300]}") from exc
    return skolemize(parsed, graph_name)


def skolemize(graph: Graph, graph_name: URIRef) -> Graph:
    """Replace blank nodes by stable IRIs under ``…/id/genid/<graph>/``."""
    if not any(isinstance(t, BNode) for triple in graph for t in triple):
        return graph
    canonical = to_canonical_graph(graph)
    base = f"{ID}genid/{str(graph_name).rsplit('/', 1)[-1]}/"
    out = Graph()
    for prefix, ns in graph.namespaces():
        out.bind(prefix, ns)
    for triple in canonical:
        out.add(tuple(URIRef(base + str(t)) if isinstance(t, BNode) else t for t in triple))
    return out
