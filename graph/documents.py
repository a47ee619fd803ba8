"""Letters and reports -> findings in the graph, each agency resolved through the registry.

``inspectgraph build DOC...`` and ``inspectgraph build --corpus DIR`` read documents with
:mod:`inspectgraph.extract` and write, per document, one named graph
(``id/graph/document/<name>``) holding:

- the report (``ig:Report`` ⊑ ``prov:Entity``) ``prov:wasGeneratedBy`` its inspection, with
  its title, publication date, file name, source URL and the SHA-256 of its NFC-normalised
  text rendition (``dcterms:identifier "sha256:…"``), against which every offset is taken;
  a joint letter's report names the organisations it is addressed to, the partnership it
  inspected (``dcterms:audience``);
- its inspection: the one Ofsted's official files or a records file already describe (same
  authority, same family of inspection, published within a week) -- so a report joins the
  inspection it reports on rather than duplicating it -- else a new one with the type,
  dates and judgements the document states;
- every finding (``ig:Finding``, ``id/finding/<name>/<start>``): polarity, themes, its cues
  as one value (``ig:cues``), a summary, and its quotation folded onto it: the exact words
  (``ig:exact``), the text around them (``ig:prefix``, ``ig:suffix``) and where they start
  (``ig:start``), which slice the rendition exactly (``export`` writes them as a Web
  Annotation ``TextQuoteSelector`` and ``TextPositionSelector``); the agencies it
  concerns (``ig:concerns``) are those the sentence names ("Northumbria Police", "TfC") and,
  for each agency type the extractor found, the authority's own organisation of that type on
  the publication date (:meth:`inspectgraph.sources.registry.Registry.resolve`) -- generic partners
  excepted, and the front door only when named; those it makes the failing party also
  ``ig:criticises`` (a sub-property of ``ig:concerns``). A finding that names no agency
  concerns none: it belongs to its inspection, and so to the authority.

Each document's graph is checked against the SHACL shapes, compiled to Python
(:mod:`inspectgraph.graph.shaclpy`), in the worker process that extracts it, and streamed into the
store with the build's other graphs in one all-or-nothing write
(:meth:`inspectgraph.graph.stores.Store.load_stream`). Documents are extracted in parallel.
"""

from __future__ import annotations

import datetime as dt
import itertools
import os
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from rdflib import Literal, URIRef

from ..errors import InputError, ProblemsError
from ..extract.agencies import MASH_NAMED
from ..model.ccindex import IndexedFinding, index_triples
from ..model.rdfmap import (
    agency_iri,
    cues_text,
    document_finding_iri,
    inspection_iri,
    report_iri,
    sections_text,
    slug,
)
from ..model.records import Agency
from ..ontology import ID, IG, concept, concept_label
from ..sources.manifest import MANIFEST, manifest_row, manifest_rows
from ..sources.outcomes_model import FAMILY, inspection_id
from ..sources.registry import Registry, load_registry
from . import shaclpy
from .shaclpy import XSD_STRING, Lit

__all__ = [
    "DocumentResult",
    "DocumentSource",
    "DocumentsError",
    "KnownInspection",
    "document_quads",
    "extract_all",
    "find_sources",
]

RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
RDFS = "http://www.w3.org/2000/01/rdf-schema#"
DCT = "http://purl.org/dc/terms/"
PROV = "http://www.w3.org/ns/prov#"
ORG = "http://www.w3.org/ns/org#"
XSD_DATE = URIRef("http://www.w3.org/2001/XMLSchema#date")
XSD_INTEGER = URIRef("http://www.w3.org/2001/XMLSchema#integer")
DOCUMENT_SUFFIXES = {".txt", ".pdf", ".html", ".htm"}


class DocumentsError(ProblemsError):
    """Documents that cannot be built; ``problems`` has one line per document."""


@dataclass(frozen=True)
class DocumentSource:
    """A document to build, with its manifest row when a manifest lists it."""

    path: Path
    manifest_row: dict | None = None
    relative: str = ""  # its path in the corpus, if known

    @property
    def name(self) -> str:
        return slug(Path(self.relative or self.path.name).stem)


@dataclass(frozen=True)
class KnownInspection:
    """An inspection already described (official files, records, the store)."""

    id: str
    la: str
    published: dt.date
    type: str


@dataclass
class DocumentResult:
    """What one document gave."""

    name: str
    nquads: bytes = b""  # its named graph, every line distinct
    quads: int = 0
    violations: list = field(default_factory=list)  # of the compiled shapes (extract_all)
    findings: int = 0
    inspection: str = ""
    la: str = ""
    new_inspection: bool = False
    problem: str = ""  # a document that could not be built: one line
    agencies: dict[str, int] = field(default_factory=dict)


def find_sources(
    paths: Iterable[str | Path] = (),
    corpus: str | Path | Iterable[str | Path] | None = None,
) -> list[DocumentSource]:
    """The documents to build: every row of each ``corpus``/manifest.csv (one folder or
    several, e.g. the letters and the joint inspections), and each file of ``paths`` (with
    its row when a manifest beside it, or one folder up, lists it). Two documents whose
    file names would name the same graph are refused, whichever corpus they come from."""
    out: list[DocumentSource] = []
    if corpus is None:
        corpora = []
    elif isinstance(corpus, (str, Path)):
        corpora = [Path(corpus)]
    else:
        corpora = [Path(c) for c in corpus]
    for corpus in corpora:
        manifest = corpus / MANIFEST
        if not manifest.exists():
            raise InputError(
                f"{corpus}: no manifest.csv (a corpus folder lists its documents "
                "in manifest.csv: path, urn, local_authority, document_type, "
                "published, source_url)"
            )
        for number, row in enumerate(manifest_rows(manifest), 2):
            rel = (row.get("path") or "").strip()
            if not rel or rel.startswith("/") or ".." in Path(rel).parts:
                raise InputError(f"{manifest} row {number}: bad path {rel!r}")
            path = corpus / rel
            if not path.exists():
                raise InputError(f"{manifest} row {number}: {rel}: no such file")
            out.append(DocumentSource(path, row, rel))
    for p in map(Path, paths):
        if not p.exists():
            raise InputError(f"{p}: no such file")
        row, rel = manifest_row(p)
        out.append(DocumentSource(p, row, rel))
    names: dict[str, Path] = {}
    for source in out:
        if source.name in names and names[source.name] != source.path:
            raise InputError(
                f"{source.path}: same document name as {names[source.name]} "
                "(a document's file name names its graph)"
            )
        names[source.name] = source.path
    return out


# ---------------------------------------------------------------------- N-Quads


def _iri(term: URIRef | str) -> str:
    return str(term)


def _lit(value, datatype: URIRef | None = None) -> Lit:
    """A literal (a plain string is an xsd:string; pass a datatype otherwise)."""
    return Lit(str(value), str(datatype) if datatype is not None else XSD_STRING)


def _nt(term: str | Lit) -> str:
    r"""A term in N-Triples.

    >>> print(_nt(_lit('say "hi"\nnow')))
    "say \"hi\"\nnow"
    >>> print(_nt(_lit(3, XSD_INTEGER)))
    "3"^^<http://www.w3.org/2001/XMLSchema#integer>
    """
    if isinstance(term, Lit):
        value = term.value
        if "\\" in value or '"' in value or "\n" in value or "\r" in value:
            # rare: most literals need no escaping; chained replacements (the backslash
            # first) give str.translate's result some thirty times faster
            value = (
                value.replace("\\", "\\\\")
                .replace('"', '\\"')
                .replace("\n", "\\n")
                .replace("\r", "\\r")
            )
        text = f'"{value}"'
        return text if term.datatype == XSD_STRING else f"{text}^^<{term.datatype}>"
    return f"<{term}>"


class _Quads:
    """One document's named graph: its triples (each once, in order) as plain terms."""

    def __init__(self, graph: URIRef):
        self.graph = f"<{graph}>"
        self.triples: dict[tuple, None] = {}

    def add(self, s: str, p: str, o: str | Lit) -> None:
        self.triples[(s, p, o)] = None

    def nquads(self) -> bytes:
        g = self.graph
        encoded: dict = {}  # each distinct term written once

        def nt(term):
            try:
                return encoded[term]
            except KeyError:
                text = encoded[term] = _nt(term)
                return text

        return "".join(f"{nt(s)} {nt(p)} {nt(o)} {g} .\n" for s, p, o in self.triples).encode(
            "utf-8"
        )


# ---------------------------------------------------------------------- one document


def _match_inspection(
    known: dict[str, list[KnownInspection]], la: str, itype: str | None, published: dt.date
) -> KnownInspection | None:
    """The known inspection a document reports on: same authority, the same family of
    inspection published within a week (or, for a document whose kind is not known, any
    inspection within four months), the closest date first."""
    family = FAMILY.get(itype) if itype else None
    # a report of unknown kind (a separately published LSCB review) belongs to the nearest
    # inspection within four months; a typed one to its own inspection within a week
    window = 7 if family else 120
    best = None
    for k in known.get(la, ()):
        gap = abs((k.published - published).days)
        if gap > window:
            continue
        if family and FAMILY.get(k.type) not in (family, None):
            if not ({family, FAMILY.get(k.type)} <= {"sif", "sif-reinspection"}):
                continue
        if best is None or gap < best[0]:
            best = (gap, k)
    return best[1] if best else None


def document_quads(
    source: DocumentSource,
    known: dict[str, list[KnownInspection]],
    extra: list[Agency],
    registry: Registry | None = None,
) -> DocumentResult:
    """Extract one document and give its named graph as N-Quads (see the module)."""
    from ..extract import extract

    registry = registry or load_registry()
    result = DocumentResult(name=source.name)
    where = source.relative or str(source.path)
    try:
        x = extract(source.path, manifest_row=source.manifest_row)
    except InputError as exc:
        result.problem = str(exc)
        return result
    info = x.document
    authority = registry.authority_of(info.urn, info.la) or registry.match_la_text(source.path.stem)
    if authority is None:
        result.problem = (
            f"{where}: cannot tell which local authority it is about "
            f"(read {info.la!r}); give it a manifest row"
        )
        return result
    if info.published is None:
        result.problem = f"{where}: no publication date in the text or the manifest"
        return result
    la = authority.key
    published = info.published
    match = _match_inspection(known, la, info.type, published)
    if match is None and info.type is None:
        result.problem = f"{where}: cannot tell what kind of inspection it reports on"
        return result
    iid = match.id if match else inspection_id(la, info.type, published)
    result.inspection, result.la = iid, la
    result.new_inspection = match is None
    graph = ID[f"graph/document/{source.name}"]
    q = _Quads(graph)
    g_iri = _iri(graph)
    q.add(g_iri, RDF_TYPE, _iri(PROV + "Entity"))
    q.add(g_iri, _iri(RDFS + "label"), _lit(Path(where).name))

    insp = _iri(inspection_iri(iid))
    council = registry.council(authority)
    if match is None:
        itype = info.type
        q.add(insp, RDF_TYPE, _iri(IG.Inspection))
        q.add(insp, RDF_TYPE, _iri(PROV + "Activity"))
        q.add(
            insp,
            _iri(RDFS + "label"),
            _lit(f"{concept_label('inspection-types', itype)}, {published.isoformat()}"),
        )
        q.add(insp, _iri(IG.inspectionType), _iri(concept("inspection-types", itype)))
        q.add(insp, _iri(IG.inspectedBody), _iri(agency_iri(council.id)))
        q.add(insp, _iri(DCT + "date"), _lit(published.isoformat(), XSD_DATE))
        start, end = info.start, info.end
        if start and end and start <= end <= published:
            q.add(insp, _iri(IG.startDate), _lit(start.isoformat(), XSD_DATE))
            q.add(insp, _iri(IG.endDate), _lit(end.isoformat(), XSD_DATE))
        elif start and start <= published:
            q.add(insp, _iri(IG.startDate), _lit(start.isoformat(), XSD_DATE))
        if info.visit_theme:
            q.add(
                insp,
                _iri(DCT + "description"),
                _lit(concept_label("visit-themes", info.visit_theme)),
            )
        for j in x.judgements:
            node = _iri(ID[f"judgement/{iid}/{j.area}"])
            q.add(insp, _iri(IG.judgement), node)
            q.add(node, RDF_TYPE, _iri(IG.Judgement))
            q.add(node, _iri(IG.area), _iri(concept("judgement-areas", j.area)))
            q.add(node, _iri(IG.grade), _iri(concept("grades", j.grade)))

    report = _iri(report_iri(iid, source.name))
    q.add(report, RDF_TYPE, _iri(IG.Report))
    q.add(report, RDF_TYPE, _iri(PROV + "Entity"))
    q.add(report, _iri(DCT + "title"), _lit(info.title or Path(where).name))
    q.add(report, _iri(DCT + "issued"), _lit(published.isoformat(), XSD_DATE))
    q.add(report, _iri(PROV + "wasGeneratedBy"), insp)
    q.add(report, _iri(DCT + "identifier"), _lit(f"sha256:{x.rendition.sha256}"))
    q.add(report, _iri(DCT + "identifier"), _lit(source.relative or source.path.name))
    # a joint letter is addressed to every agency it inspected (council, police, health, ...)
    for agency_id in sorted({a.agency_id for a in info.inspected if a.agency_id}):
        q.add(report, _iri(DCT + "audience"), _iri(agency_iri(agency_id)))
    if info.source_url and info.source_url.startswith(("http://", "https://")):
        if not _valid_iri(info.source_url):  # checked here: the store loads our IRIs as they are
            result.problem = f"{where}: its source URL is not a valid IRI: {info.source_url!r}"
            return result
        q.add(report, _iri(RDFS + "seeAlso"), _iri(info.source_url))

    taken: set[int] = set()
    indexed = []  # what the co-criticism index keeps of each finding
    finding_base = _iri(document_finding_iri(source.name, 0))[:-1]  # + the start
    add, agencies = q.add, result.agencies
    concepts: dict[tuple[str, str], str] = {}  # (scheme, key) -> IRI, for this document

    def _concept_iri(scheme: str, key: str) -> str:
        try:
            return concepts[scheme, key]
        except KeyError:
            iri = concepts[scheme, key] = _iri(concept(scheme, key))
            return iri

    for f in x.findings:
        # the compact finding (ontology/shapes.ttl): one type, the quotation folded onto it
        # (its source is the report it is derived from; its end, start + len(exact)), the
        # cues as one value
        s = f"{finding_base}{f.start}"
        if f.start in taken:  # two sentences never start at one place; a guard, not a case
            result.problem = f"{where}: two findings start at character {f.start}"
            return result
        taken.add(f.start)
        add(s, RDF_TYPE, _FINDING)
        add(s, _FROM_INSPECTION, insp)
        add(s, _DERIVED_FROM, report)
        add(s, _POLARITY, _concept_iri("polarity", f.polarity))
        for theme in f.themes:
            add(s, _SUBJECT, _concept_iri("themes", theme))
        concerned = _agencies(registry, la, f, published, extra)
        concerned_iris = tuple(_agency_iri(a.id) for a in concerned)
        for agency, iri in zip(concerned, concerned_iris, strict=True):
            add(s, _CONCERNS, iri)
            agencies[agency.id] = agencies.get(agency.id, 0) + 1
        indexed.append(IndexedFinding(s, insp, f.polarity, concerned_iris, tuple(f.themes)))
        for agency in _criticised(concerned, f):
            add(s, _CRITICISES, _agency_iri(agency.id))
        add(s, _DESCRIPTION, Lit(str(f.clean or f.text)))
        if f.cues:
            add(s, _CUES, Lit(str(cues_text(f.cues))))
        add(s, _EXACT, Lit(str(f.text)))
        add(s, _PREFIX, Lit(str(f.prefix)))
        add(s, _SUFFIX, Lit(str(f.suffix)))
        add(s, _START, Lit(str(f.start), _XSD_INTEGER))
        result.findings += 1
    if sections := sections_text(x.findings):
        q.add(report, _iri(IG.sections), _lit(sections))
    for s, p, o in index_triples(f"document/{source.name}", indexed):
        q.add(_iri(s), _iri(p), _lit(o, o.datatype) if isinstance(o, Literal) else _iri(o))
    result.nquads = q.nquads()
    result.quads = len(q.triples)
    if _CONTEXT is not None:  # checked where it is made (see extract_all)
        checks = shaclpy.document_checks()
        result.violations = checks.check(shaclpy.index(q.triples), _CONTEXT)
    return result


def _valid_iri(text: str) -> bool:
    import pyoxigraph as ox

    try:
        ox.NamedNode(text)
    except ValueError:
        return False
    return True


# the IRIs every finding uses, as plain strings (see document_quads)
_FINDING = _iri(IG.Finding)
_FROM_INSPECTION = _iri(IG.fromInspection)
_DERIVED_FROM = _iri(PROV + "wasDerivedFrom")
_POLARITY = _iri(IG.polarity)
_SUBJECT = _iri(DCT + "subject")
_CONCERNS = _iri(IG.concerns)
_CRITICISES = _iri(IG.criticises)
_DESCRIPTION = _iri(DCT + "description")
_CUES = _iri(IG.cues)
_EXACT = _iri(IG.exact)
_PREFIX = _iri(IG.prefix)
_SUFFIX = _iri(IG.suffix)
_START = _iri(IG.start)
_XSD_INTEGER = str(XSD_INTEGER)


@lru_cache(maxsize=4096)
def _agency_iri(agency_id: str) -> str:
    return _iri(agency_iri(agency_id))


def _agencies(
    registry: Registry, la: str, finding, on: dt.date, extra: list[Agency]
) -> list[Agency]:
    """The organisations a finding concerns: those it names by name, then for each agency
    type it names that no named organisation covers, the authority's own organisation of
    that type (:meth:`~inspectgraph.sources.registry.Registry.resolve`).

    Generic partners ("partners", "professionals", "agencies", "strategy meetings") are
    no organisation, and nor are health partners with no integrated care board or known CCG
    behind them or the family courts ("the court", "judges"): the type ``multi_agency`` stands for the front door only when the
    sentence names it ("the MASH", "the front door"). A finding that names no agency
    concerns none; it still belongs to its inspection, and so to the authority. An
    inspectorate is never among them: in an inspector's letter, "since Ofsted last
    inspected" or "notified Ofsted" names the author or the recipient of a duty, not a
    partner in the practice criticised (named, it made Ofsted the hub of the national graph).
    """
    text = finding.clean or finding.text
    named = [a for a in registry.named_in(la, text, on) if a.type != "inspectorate"]
    out = {a.id: a for a in named}
    covered = {a.type for a in named}
    for agency_type in sorted(set(finding.agencies) - covered - {"inspectorate"}):
        if agency_type == "multi_agency" and not MASH_NAMED.search(text):
            continue
        a = registry.resolve(la, agency_type, on, extra=extra)
        if registry.is_placeholder(a):
            continue  # "health partners" before ICBs, "the court": no organisation named
        out.setdefault(a.id, a)
    return [out[k] for k in sorted(out)]


def _criticised(agencies: list[Agency], finding) -> list[Agency]:
    """The organisations among ``agencies`` whose type the finding makes the failing party."""
    return [a for a in agencies if a.type in finding.criticised]


#: The context a document is checked in, set in each process that extracts documents
#: (:func:`extract_all`); None: documents are not checked.
_CONTEXT: shaclpy.Index | None = None
#: The inspections and agencies documents join, set with the context: sent to each worker
#: once, not with every document.
_SHARED: tuple[dict, list] = ({}, [])


def _set_context(
    context: shaclpy.Index | None, known: dict | None = None, extra: list | None = None
) -> None:
    global _CONTEXT, _SHARED
    _CONTEXT = context
    _SHARED = (known or {}, extra or [])
    if context is not None:
        shaclpy.document_checks()  # compiled once per process, before the first document


def _worker(source: DocumentSource) -> DocumentResult:
    known, extra = _SHARED
    return document_quads(source, known, extra)


def extract_all(
    sources: list[DocumentSource],
    known: dict[str, list[KnownInspection]],
    extra: list[Agency],
    *,
    jobs: int | None = None,
    context: shaclpy.Index | None = None,
    meanwhile: Callable[[], None] | None = None,
):
    """Yield a :class:`DocumentResult` per source, in order, extracting in parallel. With
    ``context`` (the triples of the graphs documents refer to, :func:`inspectgraph.graph.shaclpy.
    index`), each document is checked against the compiled shapes where it is extracted
    (:func:`inspectgraph.graph.shaclpy.document_checks`) and its result lists its violations.
    ``meanwhile`` is called once, while the first documents are being extracted (work of
    the caller's that need not wait for them, done while the workers keep the cores busy)."""
    jobs = jobs or min(len(sources), os.cpu_count() or 1, 4)
    if jobs <= 1 or len(sources) < 4:
        previous = (_CONTEXT, _SHARED)
        _set_context(context, known, extra)
        try:
            if meanwhile is not None:
                meanwhile()
            for source in sources:
                yield _worker(source)
        finally:
            _set_context(previous[0], *previous[1])
        return
    import multiprocessing as mp
    from collections import deque

    ctx = mp.get_context("fork" if "fork" in mp.get_all_start_methods() else "spawn")
    # a sliding window: every worker always has documents waiting (no pause at the end of
    # a batch), and no more than a few finished ones wait while the caller writes the
    # earlier ones (memory stays bounded)
    window = 4 * jobs
    todo = iter(sources)
    import gc

    # the objects the parent holds now are the workers' too, shared until written: frozen,
    # the workers' collections neither walk them nor copy their pages (a test session's
    # corpus, a build's graphs); the parent's own collections are as before once unfrozen
    freeze = ctx.get_start_method() == "fork"
    if freeze:
        gc.freeze()
    try:
        pool = ctx.Pool(jobs, initializer=_set_context, initargs=(context, known, extra))
    finally:
        if freeze:
            gc.unfreeze()
    with pool:
        pending: deque = deque()
        for source in itertools.islice(todo, window):
            pending.append(pool.apply_async(_worker, (source,)))
        if meanwhile is not None:
            meanwhile()
        while pending:
            result = pending.popleft().get()
            for source in itertools.islice(todo, 1):
                pending.append(pool.apply_async(_worker, (source,)))
            yield result
