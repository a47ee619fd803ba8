"""Records -> RDF. Instance IRIs are derived from record ids, never from counters,
so rebuilding the same file gives the same triples."""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Iterable

from rdflib import RDF, RDFS, XSD, Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCTERMS, ORG, PROV, SKOS

from ..ontology import ID, IG, concept, concept_label
from .records import Agency, Finding, Inspection, Records

__all__ = [
    "OA",
    "ONS_GEOGRAPHY",
    "PREFIXES",
    "add_inspection",
    "add_judgements",
    "add_quote",
    "agency_iri",
    "cues_text",
    "document_finding_iri",
    "finding_iri",
    "graph_iri",
    "inspection_iri",
    "name_key",
    "records_to_graph",
    "report_iri",
    "sections_text",
    "slug",
]

OA = Namespace("http://www.w3.org/ns/oa#")
PREFIXES = {
    "ig": IG._NS,
    "id": ID,
    "org": ORG,
    "prov": PROV,
    "skos": SKOS,
    "dcterms": DCTERMS,
    "oa": OA,
    "rdfs": RDFS,
    "xsd": XSD,
}
IDENTIFIER_PROPERTY = {
    "gss": IG.gssCode,
    "ofsted_urn": IG.ofstedUrn,
    "dfe_code": IG.dfeCode,
    "company_number": IG.companyNumber,
    # GSS codes of other kinds of area: the same identifier scheme, told apart by prefix
    "ons_pfa": IG.gssCode,
    "ons_icb": IG.gssCode,
    "ons_ccg": IG.gssCode,
}
#: Identifiers that are ONS GSS codes of the area an agency serves: the agency is linked to
#: that area with dcterms:spatial (a council is not its area).
AREA_IDENTIFIERS = ("gss", "ons_pfa", "ons_icb", "ons_ccg")
ONS_GEOGRAPHY = Namespace("http://statistics.data.gov.uk/id/statistical-geography/")


def slug(text: str) -> str:
    """A stable IRI-safe slug of a name.

    >>> slug("Neil Penswick")
    'neil-penswick'
    >>> slug("Brighton & Hové")
    'brighton-hove'
    """
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-") or "x"


def name_key(name: str) -> str:
    """A name as ``ig:nameKey`` stores it and a name parameter is matched: case-folded.

    >>> name_key("Sunderland City Council"), name_key("STRASSE"), name_key("Straße")
    ('sunderland city council', 'strasse', 'strasse')
    """
    return str(name).casefold()


def agency_iri(agency_id: str) -> URIRef:
    return ID[f"agency/{agency_id}"]


def inspection_iri(inspection_id: str) -> URIRef:
    return ID[f"inspection/{inspection_id}"]


def report_iri(inspection_id: str, document_id: str) -> URIRef:
    return ID[f"report/{inspection_id}/{document_id}"]


def finding_iri(inspection_id: str, finding_id: str) -> URIRef:
    return ID[f"finding/{inspection_id}/{finding_id}"]


def document_finding_iri(document: str, start: int) -> URIRef:
    """A finding read from a document: the document's name and where its words start (a
    sentence is one finding, so no two findings of a document start at the same place)."""
    return ID[f"finding/{document}/{start}"]


def graph_iri(source_name: str) -> URIRef:
    """The named graph holding one source's triples."""
    return ID[f"graph/{slug(source_name)}"]


def records_to_graph(records: Records, graph: Graph | None = None) -> Graph:
    """Add the triples of ``records`` to ``graph`` (a new one by default) and return it."""
    g = graph if graph is not None else Graph()
    for prefix, ns in PREFIXES.items():
        g.bind(prefix, ns)
    for agency in records.agencies:
        _agency(g, agency)
    # findings may refer to inspections of another source: only local ones give documents
    first_document = {}
    for inspection in records.inspections:
        _inspection(g, inspection)
        first_document[inspection.id] = inspection.documents[0].id
    for finding in records.findings:
        _finding(g, finding, first_document.get(finding.inspection))
    if records.findings:
        from pathlib import Path

        from .ccindex import IndexedFinding, index_triples

        indexed = [
            IndexedFinding(
                str(finding_iri(f.inspection, f.id)),
                str(inspection_iri(f.inspection)),
                f.polarity,
                tuple(str(agency_iri(a)) for a in f.agencies),
                tuple(f.themes),
            )
            for f in records.findings
        ]
        # named as the source's graph is (graph_iri), so no two sources share a node
        for triple in index_triples(f"records/{slug(Path(records.source).stem)}", indexed):
            g.add(triple)
    return g


def _date(value: dt.date) -> Literal:
    return Literal(value.isoformat(), datatype=XSD.date)


def _agency(g: Graph, a: Agency) -> None:
    s = agency_iri(a.id)
    g.add((s, RDF.type, ORG.Organization))
    if a.type == "safeguarding_partnership":
        g.add((s, RDF.type, ORG.OrganizationalCollaboration))
    else:
        g.add((s, RDF.type, ORG.FormalOrganization))
    g.add((s, RDFS.label, Literal(a.label)))
    g.add((s, ORG.classification, concept("agency-types", a.type)))
    for alt in a.alt_labels:
        g.add((s, SKOS.altLabel, Literal(alt)))
    # the names folded once here, so that queries match a name by index, not LCASE per row
    for key in sorted({name_key(n) for n in (a.label, *a.alt_labels)}):
        g.add((s, IG.nameKey, Literal(key)))
    if a.description:
        g.add((s, DCTERMS.description, Literal(a.description)))
    for key, value in a.identifiers.items():
        g.add((s, IDENTIFIER_PROPERTY[key], Literal(value)))
        if key in AREA_IDENTIFIERS:
            g.add((s, DCTERMS.spatial, ONS_GEOGRAPHY[value]))
    for other in a.linked_to:
        g.add((s, ORG.linkedTo, agency_iri(other)))
    for other in a.member_of:
        g.add((s, ORG.memberOf, agency_iri(other)))
    if a.homepage:
        g.add((s, RDFS.seeAlso, URIRef(a.homepage)))
    if a.founded:
        g.add((s, DCTERMS.created, _date(a.founded)))
    if a.dissolved:
        g.add(
            (
                s,
                PROV.invalidatedAtTime,
                Literal(f"{a.dissolved.isoformat()}T00:00:00", datatype=XSD.dateTime),
            )
        )


def add_inspection(
    g: Graph,
    inspection_id: str,
    inspection_type: str | None,
    inspected_body: URIRef,
    date: dt.date | None,
    *,
    start: dt.date | None = None,
    end: dt.date | None = None,
    inspectors: Iterable[str] = (),
) -> URIRef:
    """Add the triples every source describing an inspection gives (records, Ofsted's
    outcome files, a letter's text) and return its IRI: written in one place so that
    sources describing the same inspection agree triple for triple."""
    s = inspection_iri(inspection_id)
    g.add((s, RDF.type, IG.Inspection))
    g.add((s, RDF.type, PROV.Activity))
    kind = concept_label("inspection-types", inspection_type) if inspection_type else "Inspection"
    g.add((s, RDFS.label, Literal(f"{kind}, {date.isoformat() if date else 'undated'}")))
    if inspection_type:
        g.add((s, IG.inspectionType, concept("inspection-types", inspection_type)))
    g.add((s, IG.inspectedBody, inspected_body))
    if date:
        g.add((s, DCTERMS.date, _date(date)))
    if start:
        g.add((s, IG.startDate, _date(start)))
    if end:
        g.add((s, IG.endDate, _date(end)))
    for name in inspectors:
        person = ID[f"person/{slug(name)}"]
        g.add((s, PROV.wasAssociatedWith, person))
        g.add((person, RDF.type, PROV.Person))
        g.add((person, RDFS.label, Literal(name)))
    return s


def add_judgements(g: Graph, inspection_id: str, judgements: Iterable[tuple[str, str]]) -> None:
    """Add an inspection's judgements, given as (area, grade) concept keys."""
    s = inspection_iri(inspection_id)
    for area, grade in judgements:
        j = ID[f"judgement/{inspection_id}/{area}"]
        g.add((s, IG.judgement, j))
        g.add((j, RDF.type, IG.Judgement))
        g.add((j, IG.area, concept("judgement-areas", area)))
        g.add((j, IG.grade, concept("grades", grade)))


def add_quote(
    g: Graph,
    finding: URIRef,
    report: URIRef,
    exact: str,
    *,
    prefix: str | None = None,
    suffix: str | None = None,
    start: int | None = None,
) -> None:
    """Add where a finding's words stand in its report, folded onto the finding: its source
    is the finding's ``prov:wasDerivedFrom``, its selectors ``ig:exact``, ``ig:prefix``,
    ``ig:suffix`` and ``ig:start`` (the end is the start plus the length of the exact text).
    :func:`inspectgraph.graph.annotation.annotation_quads` expands it to a Web Annotation
    quotation (``oa:TextQuoteSelector`` and ``oa:TextPositionSelector``)."""
    g.add((finding, PROV.wasDerivedFrom, report))
    g.add((finding, IG.exact, Literal(exact)))
    if prefix is not None:
        g.add((finding, IG.prefix, Literal(prefix)))
    if suffix is not None:
        g.add((finding, IG.suffix, Literal(suffix)))
    if start is not None:
        # xsd:integer, not the model's xsd:nonNegativeInteger: Oxigraph stores derived
        # integer types as xsd:integer, and the graph must read back identically on
        # every backend. The shape checks the value is >= 0.
        g.add((finding, IG.start, Literal(start, datatype=XSD.integer)))


def sections_text(findings) -> str:
    """Where each run of a report's findings in one section begins, as one value: a
    ``start key heading`` line per run, in reading order (``""`` when no finding has a
    section). A finding's section is the last run beginning at or before its start
    (:func:`inspectgraph.graph.evidence.section_at`): one literal per report instead of one
    triple per finding.

    >>> from types import SimpleNamespace as F
    >>> print(sections_text([F(start=90, section="main_findings", heading="Main findings"),
    ...                      F(start=10, section="overview", heading="Overview"),
    ...                      F(start=40, section="overview", heading="Overview")]))
    10 overview Overview
    90 main_findings Main findings
    """
    lines, last = [], None
    for f in sorted(findings, key=lambda f: f.start):
        here = (f.section or "", " ".join((f.heading or "").split()))
        if here != last and here[0]:
            lines.append(f"{f.start} {here[0]} {here[1]}".rstrip())
        last = here
    return "\n".join(lines)


def cues_text(cues: dict[str, str]) -> str:
    """A finding's cues as one value: a ``label = phrase`` line per label, sorted.

    >>> print(cues_text({"polarity:weakness": "not\\nalways", "agency:police": "police"}))
    agency:police = police
    polarity:weakness = not always
    """
    return "\n".join(f"{key} = {' '.join(cue.split())}" for key, cue in sorted(cues.items()))


def _inspection(g: Graph, x: Inspection) -> None:
    s = add_inspection(
        g,
        x.id,
        x.type,
        agency_iri(x.la),
        x.date,
        start=x.start,
        end=x.end,
        inspectors=x.inspectors,
    )
    if x.visit_theme:
        g.add((s, DCTERMS.description, Literal(x.visit_theme)))
    if x.note:
        g.add((s, RDFS.comment, Literal(x.note)))
    add_judgements(g, x.id, sorted(x.judgements.items()))
    for doc in x.documents:
        r = report_iri(x.id, doc.id)
        g.add((r, RDF.type, IG.Report))
        g.add((r, RDF.type, PROV.Entity))
        g.add((r, DCTERMS.title, Literal(doc.title)))
        g.add((r, DCTERMS.issued, _date(doc.published)))
        g.add((r, PROV.wasGeneratedBy, s))
        if doc.url:
            g.add((r, RDFS.seeAlso, URIRef(doc.url)))
        if doc.corpus_path:
            g.add((r, DCTERMS.identifier, Literal(doc.corpus_path)))


def _finding(g: Graph, f: Finding, default_document: str | None) -> None:
    s = finding_iri(f.inspection, f.id)
    g.add((s, RDF.type, IG.Finding))  # an ig:Finding is a prov:Entity: no second type
    g.add((s, IG.fromInspection, inspection_iri(f.inspection)))
    g.add((s, IG.polarity, concept("polarity", f.polarity)))
    for theme in f.themes:
        g.add((s, DCTERMS.subject, concept("themes", theme)))
    for agency in f.agencies:
        g.add((s, IG.concerns, agency_iri(agency)))
    g.add((s, DCTERMS.description, Literal(f.summary)))
    if f.evidence:
        g.add((s, RDFS.comment, Literal(f.evidence)))
    document = f.document or default_document
    report = report_iri(f.inspection, document) if document else None
    if report is not None:
        g.add((s, PROV.wasDerivedFrom, report))
    if f.quote is not None and report is not None:
        # records checked that end - start is the length of the exact text
        add_quote(
            g,
            s,
            report,
            f.quote.exact,
            prefix=f.quote.prefix,
            suffix=f.quote.suffix,
            start=f.quote.start,
        )
