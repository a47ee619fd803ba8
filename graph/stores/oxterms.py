"""Term conversion between rdflib and pyoxigraph, for the Oxigraph store and the
remote store's writes: each distinct term is converted once (IRIs repeat a lot)."""

from __future__ import annotations

from collections.abc import Mapping

import pyoxigraph as ox
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.term import Identifier, Node

from ...errors import StoreError

__all__ = ["Converter", "from_ox", "quads_of", "to_ox"]

XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"


def from_ox(term) -> Identifier | None:
    """pyoxigraph term -> rdflib term."""
    if term is None or isinstance(term, ox.DefaultGraph):
        return None
    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if isinstance(term, ox.Literal):
        if term.language:
            return Literal(term.value, lang=term.language)
        datatype = term.datatype.value
        if datatype == XSD_STRING:
            return Literal(term.value)
        return Literal(term.value, datatype=URIRef(datatype))
    if isinstance(term, ox.BlankNode):
        return BNode(term.value)
    raise StoreError(f"unsupported term from oxigraph: {term!r}")


def to_ox(term: Node):
    """rdflib term -> pyoxigraph term."""
    if isinstance(term, URIRef):
        return ox.NamedNode(str(term))
    if isinstance(term, Literal):
        if term.language:
            return ox.Literal(str(term), language=term.language)
        if term.datatype:
            return ox.Literal(str(term), datatype=ox.NamedNode(str(term.datatype)))
        return ox.Literal(str(term))
    if isinstance(term, BNode):
        return ox.BlankNode(str(term))
    raise StoreError(f"cannot bind {term!r} as an RDF term")


#: pyoxigraph term -> rdflib term, shared by every query of the process: terms are
#: immutable, the same IRIs, labels and dates come back query after query, and building
#: an rdflib Literal costs far more than the lookup. Emptied when it grows too big.
_RDFLIB_TERMS: dict = {}
_RDFLIB_TERMS_MAX = 200_000


class Converter:
    """Converts terms in either direction, each distinct term once (IRIs repeat a lot)."""

    def __init__(self, shared: bool = False):
        if shared and len(_RDFLIB_TERMS) > _RDFLIB_TERMS_MAX:
            _RDFLIB_TERMS.clear()
        self.to_rdflib: dict = _RDFLIB_TERMS if shared else {}
        self.to_oxi: dict = {}

    def rdflib(self, term):
        try:
            return self.to_rdflib[term]
        except KeyError:
            value = self.to_rdflib[term] = from_ox(term)
            return value

    def ox(self, term):
        try:
            return self.to_oxi[term]
        except KeyError:
            try:
                value = to_ox(term)
            except (ValueError, TypeError) as exc:  # e.g. an IRI pyoxigraph rejects
                raise StoreError(f"cannot store {term!r}: {exc}") from exc
            self.to_oxi[term] = value
            return value


def quads_of(graphs: Mapping[URIRef, Graph]) -> dict[ox.NamedNode, list[ox.Quad]]:
    """rdflib graphs -> pyoxigraph quads per graph name (nothing is written yet)."""
    convert = Converter()
    out: dict[ox.NamedNode, list[ox.Quad]] = {}
    for name, graph in graphs.items():
        g = ox.NamedNode(str(URIRef(name)))
        out[g] = [ox.Quad(convert.ox(s), convert.ox(p), convert.ox(o), g) for s, p, o in graph]
    return out
