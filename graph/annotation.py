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

from collections.abc import Iterator

from rdflib import RDF, XSD, Literal, URIRef

from ..model.rdfmap import OA
from ..ontology import IG
from .stores.base import Quad

__all__ = ["QUOTATIONS_QUERY", "annotation_quads"]

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


def annotation_quads(store) -> Iterator[Quad]:
    """The Web Annotation quotations of every finding of ``store`` that has one, as quads
    in the finding's named graph (see the module)."""
    for g, finding, report, exact, prefix, suffix, start in store.query(QUOTATIONS_QUERY).rows:
        quote = URIRef(f"{finding}/quote")
        text = URIRef(f"{quote}/text")
        yield finding, IG.quotation, quote, g
        yield quote, RDF.type, OA.SpecificResource, g
        yield quote, OA.hasSource, report, g
        yield quote, OA.hasSelector, text, g
        yield text, RDF.type, OA.TextQuoteSelector, g
        yield text, OA.exact, exact, g
        if prefix is not None:
            yield text, OA.prefix, prefix, g
        if suffix is not None:
            yield text, OA.suffix, suffix, g
        if start is not None:
            position = URIRef(f"{quote}/position")
            begin = int(start)
            yield quote, OA.hasSelector, position, g
            yield position, RDF.type, OA.TextPositionSelector, g
            yield position, OA.start, Literal(begin, datatype=XSD.integer), g
            yield position, OA.end, Literal(begin + len(str(exact)), datatype=XSD.integer), g
