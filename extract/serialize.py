"""An extraction as JSON lines (``inspectgraph extract``) or as RDF in the project's ontology.

JSON lines: one ``document`` object, then one ``finding`` per sentence, then one
``judgement`` per graded area. RDF: the inspection (``ig:Inspection``, ``prov:Activity``) of
the local authority, its judgements, the report (``ig:Report``, ``prov:Entity``,
``prov:wasGeneratedBy`` the inspection, identified by its SHA-256) and every finding
(``ig:Finding``) with its polarity, themes (``dcterms:subject``), the agencies it concerns
(``ig:concerns``; those it makes the failing party also ``ig:criticises``), its quotation
folded onto it (``ig:exact``, ``ig:prefix``, ``ig:suffix``, ``ig:start``; see
:func:`inspectgraph.model.rdfmap.add_quote`) and its cues as one value (``ig:cues``). Without an agency registry the agencies are the local authority's
generic organisation of each agency type (``id:agency/<la>-<type>``, classified by the
type); ``build`` resolves them. Generic partners are no organisation: ``multi_agency`` stands
for the front door only when the sentence names it.
"""

from __future__ import annotations

from rdflib import RDF, RDFS, XSD, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, ORG, PROV

from ..model.rdfmap import (
    PREFIXES,
    add_inspection,
    add_judgements,
    add_quote,
    agency_iri,
    cues_text,
    finding_iri,
    inspection_iri,
    report_iri,
    sections_text,
    slug,
)
from ..ontology import IG, concept, concept_label
from .agencies import MASH_NAMED

__all__ = ["inspection_id", "records", "to_graph"]


def records(extraction) -> list[dict]:
    """The JSON objects of an extraction, ``document`` first."""
    info = extraction.document
    doc = {
        "kind": "document",
        "la": info.la,
        "published": info.published.isoformat() if info.published else None,
        "type": info.type,
        "visit_theme": info.visit_theme,
        "urn": info.urn,
        "layout": info.layout,
        "title": info.title,
        "start": info.start.isoformat() if info.start else None,
        "end": info.end.isoformat() if info.end else None,
        "inspectors": info.inspectors,
        "visit_theme_cue": info.visit_theme_cue,
        "file": str(extraction.rendition.path) if extraction.rendition.path else None,
        "format": extraction.rendition.format,
        "sha256": extraction.rendition.sha256,
        "characters": len(extraction.rendition.text),
        "source": info.source,
    }
    if info.inspected:
        doc["inspected"] = [
            {
                "text": a.text,
                "type": a.type,
                "role": a.role,
                "agency": a.agency_id,
                "label": a.agency_label,
            }
            for a in info.inspected
        ]
    out = [doc]
    for f in extraction.findings:
        out.append(
            {
                "kind": "finding",
                "text": f.text,
                "start": f.start,
                "end": f.end,
                "section": f.section,
                "polarity": f.polarity,
                "themes": f.themes,
                "agencies": f.agencies,
                "criticised": f.criticised,
                "attributed_to": f.attributed_to,
                "cues": f.cues,
                "heading": f.heading,
                "clean": f.clean,
                "prefix": f.prefix,
                "suffix": f.suffix,
            }
        )
    for j in extraction.judgements:
        out.append({"kind": "judgement", "area": j.area, "grade": j.grade})
    return out


def inspection_id(info) -> str:
    """A stable record id for the document's inspection: ``<la>-<published>-<type>``."""
    parts = [
        slug(info.la or "unknown-la"),
        info.published.isoformat() if info.published else "undated",
        (info.type or info.layout).replace("_", "-"),
    ]
    return "-".join(parts)


def to_graph(extraction, graph: Graph | None = None) -> Graph:
    """The RDF of the document, its inspection, judgements and findings."""
    g = graph if graph is not None else Graph()
    for prefix, ns in PREFIXES.items():
        g.bind(prefix, ns)
    info = extraction.document
    rendition = extraction.rendition
    iid = inspection_id(info)
    insp = inspection_iri(iid)
    la_id = slug(info.la or "unknown-la")
    council = agency_iri(la_id)
    g.add((council, RDF.type, ORG.Organization))
    g.add((council, RDF.type, ORG.FormalOrganization))
    g.add((council, RDFS.label, Literal(info.la or "unknown local authority")))
    g.add((council, ORG.classification, concept("agency-types", "local_authority")))
    if info.urn:
        g.add((council, IG.ofstedUrn, Literal(info.urn)))

    add_inspection(
        g,
        iid,
        info.type,
        council,
        info.published,
        start=info.start,
        end=info.end,
        inspectors=info.inspectors,
    )
    if info.visit_theme:
        g.add((insp, DCTERMS.description, Literal(concept_label("visit-themes", info.visit_theme))))
    add_judgements(g, iid, ((j.area, j.grade) for j in extraction.judgements))

    report = report_iri(iid, "report")
    g.add((report, RDF.type, IG.Report))
    g.add((report, RDF.type, PROV.Entity))
    g.add((report, DCTERMS.title, Literal(info.title or rendition.name)))
    if info.published:
        g.add((report, DCTERMS.issued, Literal(info.published.isoformat(), datatype=XSD.date)))
    g.add((report, PROV.wasGeneratedBy, insp))
    g.add((report, DCTERMS.identifier, Literal(f"sha256:{rendition.sha256}")))
    if rendition.path is not None:
        g.add((report, DCTERMS.identifier, Literal(rendition.path.name)))
    if info.source_url:
        g.add((report, RDFS.seeAlso, URIRef(info.source_url)))

    if sections := sections_text(extraction.findings):
        g.add((report, IG.sections, Literal(sections)))
    typed = {}
    for f in extraction.findings:
        s = finding_iri(iid, f"s{f.start}-{f.end}")
        g.add((s, RDF.type, IG.Finding))
        g.add((s, IG.fromInspection, insp))
        g.add((s, IG.polarity, concept("polarity", f.polarity)))
        for theme in f.themes:
            g.add((s, DCTERMS.subject, concept("themes", theme)))
        for agency_type in f.agencies:
            if agency_type == "multi_agency" and not MASH_NAMED.search(f.clean or f.text):
                continue  # "partners", "agencies": no organisation
            if agency_type == "local_authority":
                g.add((s, IG.concerns, council))
                if agency_type in f.criticised:
                    g.add((s, IG.criticises, council))
                continue
            node = typed.get(agency_type)
            if node is None:
                node = typed[agency_type] = agency_iri(f"{la_id}-{agency_type.replace('_', '-')}")
                g.add((node, RDF.type, ORG.Organization))
                g.add((node, RDF.type, ORG.FormalOrganization))
                label = concept_label("agency-types", agency_type)
                g.add((node, RDFS.label, Literal(f"{label} ({info.la or 'unknown'})")))
                g.add((node, ORG.classification, concept("agency-types", agency_type)))
            g.add((s, IG.concerns, node))
            if agency_type in f.criticised:
                g.add((s, IG.criticises, node))
        g.add((s, DCTERMS.description, Literal(f.clean)))
        if f.cues:
            g.add((s, IG.cues, Literal(cues_text(f.cues))))
        add_quote(g, s, report, f.text, prefix=f.prefix, suffix=f.suffix, start=f.start)
    return g
