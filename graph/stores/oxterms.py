"""Term conversion between rdflib and pyoxigraph, for the Oxigraph store and the
remote store's writes: each distinct term is converted once (IRIs repeat a lot)."""

from __future__ import annotations

from collections.abc import Mapping

import pyoxigraph as ox
import rdflib.term
from rdflib import XSD, BNode, Graph, Literal, URIRef
from rdflib.term import Identifier, Node

from ...errors import StoreError
from .base import NOT_IN_IRI

__all__ = ["CanonicalText", "Converter", "from_ox", "quads_of", "to_ox"]

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


#: Datatypes whose lexical form rdflib may rewrite or write specially beyond the ones it
#: converts to Python values (``rdflib.term._toPythonMapping``, read at each digest).
_REWRITTEN = frozenset({XSD.float, XSD.double, XSD.decimal, XSD.normalizedString, XSD.token})


class CanonicalText:
    """pyoxigraph term -> ``from_ox(term).n3()``, the text of the term in a store's digest
    (:func:`~inspectgraph.graph.stores.base.canonical_quad`), without building the rdflib
    term where rdflib's answer is known: a string literal (plain, xsd:string, or with a
    language) or one of a datatype rdflib does not interpret is its text escaped by
    rdflib's own escaping with its suffix; a literal rdflib may normalise ("01" as an
    xsd:integer is written "1") is rdflib's text, remembered (dates and counts repeat).
    IRIs and blank nodes are written once each. One instance per digest."""

    _REMEMBERED = 200_000  # IRIs, and literals of normalised datatypes, kept at a time

    def __init__(self) -> None:
        self._nodes: dict = {}
        self._suffix: dict[str, str | None] = {}  # language tag or datatype IRI -> suffix
        self._normalised: dict = {}
        recognised = rdflib.term._toPythonMapping
        self._rdflib_decides = {str(d) for d in [*recognised, *_REWRITTEN] if d is not None}

    def node(self, term) -> str:
        """An IRI, a blank node or a graph name (not the default graph)."""
        try:
            return self._nodes[term]
        except KeyError:
            pass
        if len(self._nodes) >= self._REMEMBERED:
            self._nodes.clear()
        if isinstance(term, ox.NamedNode) and NOT_IN_IRI.search(term.value) is None:
            text = f"<{term.value}>"
        elif isinstance(term, ox.BlankNode):
            text = f"_:{term.value}"
        else:  # rdflib's refusal of the IRI, or from_ox's of a term it does not know
            text = from_ox(term).n3()
        self._nodes[term] = text
        return text

    def literal(self, term: ox.Literal) -> str:
        language = term.language
        if language:
            try:
                suffix = self._suffix[language]
            except KeyError:  # rdflib's check of the tag, once per tag
                suffix = self._suffix[language] = "@" + Literal("", lang=language).language
            return Literal._quote_encode(term.value) + suffix  # type: ignore[arg-type]
        datatype = term.datatype.value
        if datatype == XSD_STRING:  # written plain (from_ox drops the datatype)
            return Literal._quote_encode(term.value)  # type: ignore[arg-type]
        try:
            suffix = self._suffix[datatype]
        except KeyError:
            suffix = self._suffix[datatype] = (
                None if datatype in self._rdflib_decides else f"^^<{datatype}>"
            )
        if suffix is not None:
            return Literal._quote_encode(term.value) + suffix  # type: ignore[arg-type]
        try:
            return self._normalised[term]
        except KeyError:
            if len(self._normalised) >= self._REMEMBERED:
                self._normalised.clear()
            text = self._normalised[term] = from_ox(term).n3()
            return text
