"""The RDF a dereferenced IRI answers with: every triple with the IRI as subject, once,
and for a finding the Web Annotation form of its quotation (as ``inspectgraph export``
writes it, :mod:`inspectgraph.graph.annotation`), whose IRIs (``<finding>/quote``,
``…/quote/text``, ``…/quote/position``) dereference in turn."""

from __future__ import annotations

import pyoxigraph as ox

from ..negotiation import FORMAT_MEDIA, OX_GRAPH_FORMATS
from .data import IG
from .store import QueryFailed

__all__ = ["QUOTE_PARTS", "describe", "quotation", "serialize"]

OA = "http://www.w3.org/ns/oa#"
RDF_TYPE = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
XSD_INTEGER = ox.NamedNode("http://www.w3.org/2001/XMLSchema#integer")
#: path suffixes of a finding's quotation resources
QUOTE_PARTS = ("/quote", "/quote/text", "/quote/position")
PREFIXES = {
    "ig": IG,
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
    "owl": "http://www.w3.org/2002/07/owl#",
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "dcterms": "http://purl.org/dc/terms/",
    "prov": "http://www.w3.org/ns/prov#",
    "org": "http://www.w3.org/ns/org#",
    "oa": OA,
}


def describe(run, iri: str) -> list[ox.Triple]:
    """Every triple with ``iri`` as subject, once (over all named graphs)."""
    node = f"<{iri}>"
    query = (
        f"CONSTRUCT {{ {node} ?p ?o }} WHERE {{ SELECT DISTINCT ?p ?o WHERE {{ {node} ?p ?o }} }}"
    )
    status, _type, body = run(query, "application/n-triples")
    if status != 200:
        raise QueryFailed(status, body.decode("utf-8", "replace").strip())
    return list(ox.parse(body, format=ox.RdfFormat.N_TRIPLES))


def quotation(finding: str, triples: list[ox.Triple]) -> list[ox.Triple]:
    """The Web Annotation triples of a finding's quotation, from its compact triples
    (none when it quotes nothing).

    >>> f = "https://w3id.org/inspectgraph/id/finding/x/1"
    >>> compact = [ox.Triple(ox.NamedNode(f), ox.NamedNode(IG + "exact"), ox.Literal("too late")),
    ...            ox.Triple(ox.NamedNode(f), ox.NamedNode(IG + "start"),
    ...                      ox.Literal("5", datatype=XSD_INTEGER))]
    >>> sorted(t.object.value for t in quotation(f, compact) if t.predicate.value == OA + "end")
    ['13']
    """
    facts: dict[str, ox.Literal | ox.NamedNode] = {}
    for t in triples:
        name = t.predicate.value
        if name.startswith(IG) or name == "http://www.w3.org/ns/prov#wasDerivedFrom":
            facts.setdefault(name.rsplit("/", 1)[-1].rsplit("#", 1)[-1], t.object)
    if "exact" not in facts:
        return []
    node = ox.NamedNode
    quote, text = node(f"{finding}/quote"), node(f"{finding}/quote/text")
    out = [
        ox.Triple(node(finding), node(IG + "quotation"), quote),
        ox.Triple(quote, RDF_TYPE, node(OA + "SpecificResource")),
        ox.Triple(quote, node(OA + "hasSelector"), text),
        ox.Triple(text, RDF_TYPE, node(OA + "TextQuoteSelector")),
        ox.Triple(text, node(OA + "exact"), facts["exact"]),
    ]
    if "wasDerivedFrom" in facts:
        out.append(ox.Triple(quote, node(OA + "hasSource"), facts["wasDerivedFrom"]))
    for key in ("prefix", "suffix"):
        if key in facts:
            out.append(ox.Triple(text, node(OA + key), facts[key]))
    if "start" in facts:
        begin = int(facts["start"].value)
        position = node(f"{finding}/quote/position")
        end = begin + len(facts["exact"].value)
        out += [
            ox.Triple(quote, node(OA + "hasSelector"), position),
            ox.Triple(position, RDF_TYPE, node(OA + "TextPositionSelector")),
            ox.Triple(position, node(OA + "start"), ox.Literal(str(begin), datatype=XSD_INTEGER)),
            ox.Triple(position, node(OA + "end"), ox.Literal(str(end), datatype=XSD_INTEGER)),
        ]
    return out


def serialize(triples: list[ox.Triple], fmt: str) -> tuple[str, bytes]:
    """(content type, body) of ``triples`` in format ``fmt`` (ttl, nt, jsonld, rdf)."""
    prefixes = PREFIXES if fmt in ("ttl", "rdf") else None
    body = ox.serialize(triples, format=OX_GRAPH_FORMATS[fmt], prefixes=prefixes)
    return FORMAT_MEDIA[fmt], body
