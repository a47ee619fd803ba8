"""Export a store as RDF: Turtle, N-Triples, N-Quads, TriG, JSON-LD or RDF/XML.

Triple formats (ttl, nt, xml) hold the union of all named graphs; quad formats
(nq, trig, jsonld) keep one named graph per source. Besides what the store holds, every
finding's quotation is written in the W3C Web Annotation form
(:mod:`inspectgraph.graph.annotation`), expanded from the compact form the store keeps.
"""

from __future__ import annotations

import itertools
import os
import re
import tempfile
from pathlib import Path

from rdflib import Dataset, Graph, Literal

from ..errors import InputError
from ..model.rdfmap import PREFIXES
from .annotation import annotation_quads
from .stores import Store
from .stores.base import default_graph
from .stores.memory import fill_memory

__all__ = ["EXPORT_FORMATS", "QUAD_FORMATS", "export", "serialize"]

# our name -> rdflib serializer name
EXPORT_FORMATS = {
    "ttl": "turtle",
    "nt": "nt",
    "nq": "nquads",
    "trig": "trig",
    "jsonld": "json-ld",
    "xml": "xml",
}
QUAD_FORMATS = {"nq", "trig", "jsonld"}


_XML_INVALID = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def serialize(store: Store, fmt: str, *, web_annotation: bool = True) -> bytes:
    """The whole store in format ``fmt`` (a key of :data:`EXPORT_FORMATS`), with the
    quotations also in the Web Annotation form unless ``web_annotation`` is false (a copy
    of the store to load back as it was)."""
    if fmt not in EXPORT_FORMATS:
        raise InputError(f"unknown export format {fmt!r}; known: {', '.join(EXPORT_FORMATS)}")
    if fmt == "xml":
        _check_xml_safe(store)
    quads = itertools.chain(store.quads(), annotation_quads(store) if web_annotation else ())
    # the quads go to rdflib's store at once (:func:`fill_memory`), each in the graph object
    # ``Dataset.add`` / ``Graph.add`` would give it: the same store, and the same output
    if fmt in QUAD_FORMATS:
        target: Graph = Dataset()
        graphs = {None: default_graph(target)}

        def graph(name):
            try:
                return graphs[name]
            except KeyError:
                made = graphs[name] = target.get_context(name)
                return made

        rows = [(s, p, o, graph(g)) for s, p, o, g in quads]
    else:
        target = Graph()
        rows = [(s, p, o, target) for s, p, o, _g in quads]
    if not fill_memory(target.store, rows):
        target.store.addN(rows)
    for prefix, ns in PREFIXES.items():
        target.bind(prefix, ns)
    return target.serialize(format=EXPORT_FORMATS[fmt], encoding="utf-8")


def _check_xml_safe(store: Store) -> None:
    """RDF/XML cannot carry control characters (XML 1.0 forbids them) nor predicates
    that do not split into namespace and local name: refuse clearly rather than
    write a file no parser reads."""
    for _s, p, o, _g in store.quads():
        if isinstance(o, Literal) and (m := _XML_INVALID.search(str(o))):
            raise InputError(
                f"cannot write RDF/XML: a literal contains U+{ord(m.group()):04X}, "
                "which XML forbids; use ttl, nt, nq, trig or jsonld"
            )
        if not re.search(r"[A-Za-z_][A-Za-z0-9_.-]*$", str(p)):
            raise InputError(
                f"cannot write RDF/XML: predicate <{p}> has no XML local name; "
                "use ttl, nt, nq, trig or jsonld"
            )


def export(store: Store, fmt: str, out: str | Path) -> int:
    """Write the store to ``out`` atomically; returns the number of bytes written."""
    out = Path(out)
    if out.is_dir():
        raise InputError(f"{out}: is a directory, expected a file name")
    data = serialize(store, fmt)
    out.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=out.parent, prefix=f".{out.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        os.replace(tmp, out)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return len(data)
