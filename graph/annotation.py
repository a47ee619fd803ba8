"""The Web Annotation form of the findings' quotations, expanded from the compact form.

The store keeps a finding's quotation folded onto the finding (:func:`inspectgraph.model.rdfmap.
add_quote`): ``ig:exact``, ``ig:prefix``, ``ig:suffix``, ``ig:start`` and, as its source, the
report the finding is ``prov:wasDerivedFrom``. At the boundary -- ``inspectgraph export`` and
``inspectgraph describe`` -- it is written as W3C Web Annotation::

    <finding> ig:quotation <finding/quote> .
    <finding/quote> a oa:SpecificResource ; oa:hasSource <report> ;
        oa:hasSelector <finding/quote/text>, <finding/quote/position> .
    <finding/quote/text> a oa:TextQuoteSelector ; oa:exact "…" ; oa:prefix "…" ; oa:suffix "…" .
    <finding/quote/position> a oa:TextPositionSelector ; oa:start 1234 ; oa:end 1300 .

in the finding's own named graph, where ``oa:end`` is ``oa:start`` plus the length of the
exact text in characters (Unicode code points), so both selectors slice the report's
NFC-normalised text rendition exactly.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import Any

import pyoxigraph as ox
from rdflib import RDF, XSD, Literal, URIRef

from ..model.rdfmap import OA
from ..ontology import IG
from .stores.base import Quad

__all__ = ["OX_TERMS", "QUOTATIONS_QUERY", "RDFLIB_TERMS", "annotation_quads", "expand_quotations"]

#: Every compact quotation, with the named graph that holds it.
QUOTATIONS_QUERY = """
PREFIX ig: <https://w3id.org/inspectgraph/def/>
SELECT ?g ?finding ?report ?exact ?prefix ?suffix ?start WHERE {
  GRAPH ?g {
    ?finding ig:exact ?exact ; <http://www.w3.org/ns/prov#wasDerivedFrom> ?report .
    OPTIONAL { ?finding ig:prefix ?prefix }
    OPTIONAL { ?finding ig:suffix ?suffix }
    OPTIONAL { ?finding ig:start ?start }
  }
}"""

_PREDICATES = (
    "quotation", "type", "SpecificResource", "hasSource", "hasSelector", "TextQuoteSelector",
    "exact", "prefix", "suffix", "TextPositionSelector", "start", "end",
)  # fmt: skip
_IRIS = (
    IG.quotation, RDF.type, OA.SpecificResource, OA.hasSource, OA.hasSelector,
    OA.TextQuoteSelector, OA.exact, OA.prefix, OA.suffix, OA.TextPositionSelector, OA.start,
    OA.end,
)  # fmt: skip


@dataclass(frozen=True)
class Terms:
    """One library's RDF terms for the expansion: how to make an IRI and an xsd:integer,
    how to read a literal's text and a term's IRI, and the vocabulary's IRIs made once."""

    iri: Callable[[str], Any]
    integer: Callable[[int], Any]
    text: Callable[[Any], str]  # a literal's lexical form
    name: Callable[[Any], str]  # an IRI's text
    vocabulary: tuple

    @classmethod
    def of(cls, iri, integer, text, name) -> Terms:
        return cls(iri, integer, text, name, tuple(iri(str(v)) for v in _IRIS))


#: rdflib terms: what the stores' ``query`` answers and ``export`` writes.
RDFLIB_TERMS = Terms.of(URIRef, lambda n: Literal(n, datatype=XSD.integer), str, str)


_XSD_INTEGER = ox.NamedNode(str(XSD.integer))
#: pyoxigraph terms: the rows of ``QUOTATIONS_QUERY`` asked of pyoxigraph directly,
#: expanded without an rdflib term (a national store's two million quads).
OX_TERMS = Terms.of(
    ox.NamedNode,
    lambda n: ox.Literal(str(n), datatype=_XSD_INTEGER),
    lambda t: t.value,
    lambda t: t.value,
)


def expand_quotations(rows: Iterable[tuple], terms: Terms = RDFLIB_TERMS) -> Iterator[tuple]:
    """The Web Annotation quads of the rows of :data:`QUOTATIONS_QUERY` (graph, finding,
    report, exact, prefix, suffix, start; the last three may be ``None``), made of
    ``terms``' kind of RDF term (see the module)."""
    quotation, a, specific, source, selector, quote_selector = terms.vocabulary[:6]
    exact_, prefix_, suffix_, position_selector, start_, end_ = terms.vocabulary[6:]
    iri, integer, text, name = terms.iri, terms.integer, terms.text, terms.name
    for g, finding, report, exact, prefix, suffix, start in rows:
        quote_name = f"{name(finding)}/quote"
        quote, quoted = iri(quote_name), iri(f"{quote_name}/text")
        yield finding, quotation, quote, g
        yield quote, a, specific, g
        yield quote, source, report, g
        yield quote, selector, quoted, g
        yield quoted, a, quote_selector, g
        yield quoted, exact_, exact, g
        if prefix is not None:
            yield quoted, prefix_, prefix, g
        if suffix is not None:
            yield quoted, suffix_, suffix, g
        if start is not None:
            position = iri(f"{quote_name}/position")
            begin = int(text(start))
            yield quote, selector, position, g
            yield position, a, position_selector, g
            yield position, start_, integer(begin), g
            yield position, end_, integer(begin + len(text(exact))), g


def annotation_quads(store) -> Iterator[Quad]:
    """The Web Annotation quotations of every finding of ``store`` that has one, as quads
    in the finding's named graph (see the module)."""
    return expand_quotations(store.query(QUOTATIONS_QUERY).rows, RDFLIB_TERMS)
