"""Describe the store as a dataset: DCAT 3 for catalogues, VoID for linked-data tools.

:func:`describe` computes everything it states from the store, as ``export`` writes it
(the findings' quotations in the Web Annotation form, :mod:`inspectgraph.graph.annotation`): the
number of triples, subjects, objects, properties and classes, one class and property
partition per class and property, one subset per named graph, the period the inspections cover, the ONS
areas the agencies serve, the reports the data was derived from, and one
``void:Linkset`` per pair of datasets linked (ours to Wikidata, ours to the ONS
geographies, the ONS geographies to Wikidata), with one subset per link predicate.
Distributions are the files given (with size and SHA-256 checksum) and the SPARQL
endpoint, when the store is served. The description is validated against
``ontology/dataset-shapes.ttl`` before it is returned.
"""

from __future__ import annotations

import hashlib
import itertools
from array import array
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from functools import lru_cache
from importlib import resources
from pathlib import Path

from rdflib import RDF, RDFS, XSD, BNode, Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCAT, DCTERMS, FOAF, OWL, PROV, VOID

from ..errors import InputError, ValidationFailed
from ..graph.annotation import annotation_quads
from ..model.rdfmap import ONS_GEOGRAPHY, PREFIXES, slug
from ..ontology import BASE, ID, IG
from ..version import __version__

__all__ = [
    "LINK_TARGETS",
    "MEDIA_TYPES",
    "OGL",
    "dataset_shapes",
    "describe",
    "validate_description",
]

OGL = URIRef("https://www.nationalarchives.gov.uk/doc/open-government-licence/version/3/")
SPDX = Namespace("http://spdx.org/rdf/terms#")
IANA = "https://www.iana.org/assignments/media-types/"
SPARQL_PROTOCOL = URIRef("https://www.w3.org/TR/sparql11-protocol/")

#: Datasets we link to: key -> (dataset IRI, title, uriSpace, homepage, SPARQL endpoint).
LINK_TARGETS = {
    "wikidata": (
        ID["dataset/wikidata"],
        "Wikidata",
        "http://www.wikidata.org/entity/",
        "https://www.wikidata.org/",
        "https://query.wikidata.org/sparql",
    ),
    "ons-geography": (
        ID["dataset/ons-statistical-geography"],
        "ONS statistical geographies (GSS codes)",
        str(ONS_GEOGRAPHY),
        "https://statistics.data.gov.uk/",
        None,
    ),
}

#: File extension -> (IANA media type or None, format name).
MEDIA_TYPES = {
    "ttl": ("text/turtle", "Turtle"),
    "nt": ("application/n-triples", "N-Triples"),
    "nq": ("application/n-quads", "N-Quads"),
    "trig": ("application/trig", "TriG"),
    "jsonld": ("application/ld+json", "JSON-LD"),
    "xml": ("application/rdf+xml", "RDF/XML"),
    "rdf": ("application/rdf+xml", "RDF/XML"),
    "csv": ("text/csv", "CSV"),
    "tsv": ("text/tab-separated-values", "TSV"),
    "json": ("application/json", "JSON"),
    "html": ("text/html", "HTML"),
    "png": ("image/png", "PNG"),
    "svg": ("image/svg+xml", "SVG"),
    "pdf": ("application/pdf", "PDF"),
    "graphml": (None, "GraphML"),
    "gexf": (None, "GEXF"),
}

DEFAULT_DESCRIPTION = (
    "A knowledge graph of public-service inspections built with inspectgraph: inspections and "
    "visits, their reports, graded judgements, and the findings inspectors made about the "
    "agencies they name, coded by theme and polarity, for studying which partnerships of "
    "agencies recur in inspectors' criticisms."
)
OFSTED_RIGHTS = (
    "Contains Ofsted data (Crown copyright), used under the Open Government Licence v3.0. "
    "Summaries of findings are the coders' own words."
)
KEYWORDS = (
    "inspections",
    "Ofsted",
    "children's services",
    "safeguarding",
    "multi-agency partnerships",
    "knowledge graph",
)


@lru_cache(maxsize=1)
def dataset_shapes() -> Graph:
    """The SHACL shapes of a dataset description (``ontology/dataset-shapes.ttl``)."""
    text = (
        resources.files("inspectgraph.ontology")
        .joinpath("dataset-shapes.ttl")
        .read_text(encoding="utf-8")
    )
    return Graph().parse(data=text, format="turtle")


def validate_description(g: Graph) -> list[str]:
    """Violations of ``g`` against :func:`dataset_shapes`, one line each (empty: conforms)."""
    import pyshacl

    conforms, results, _ = pyshacl.validate(
        g, shacl_graph=dataset_shapes(), inference="none", allow_warnings=True
    )
    if conforms:
        return []
    sh = Namespace("http://www.w3.org/ns/shacl#")
    out = set()
    for r in results.subjects(sh.resultSeverity, sh.Violation):
        focus = results.value(r, sh.focusNode)
        path = results.value(r, sh.resultPath)
        message = results.value(r, sh.resultMessage) or "violates a shape"
        out.add(
            f"{focus.n3() if focus is not None else '-'} "
            f"{path.n3() if isinstance(path, URIRef) else '-'}: {message}"
        )
    return sorted(out)


def describe(
    store,
    *,
    iri: str | None = None,
    title: str | None = None,
    description: str | None = None,
    license: str | None = None,  # noqa: A002
    publisher: str | None = None,
    endpoint_url: str | None = None,
    distributions: Sequence[str | Path] = (),
    base_url: str | None = None,
    landing_page: str | None = None,
    validate: bool = True,
) -> Graph:
    """The DCAT and VoID description of ``store`` as an rdflib Graph.

    ``distributions`` are files (exports of this store) described with their format,
    size and checksum; their download URL is ``base_url`` followed by the file name.
    ``endpoint_url`` is the SPARQL endpoint serving the store, if any. Raises
    :class:`InputError` for bad arguments and :class:`ValidationFailed` when the result
    breaks the dataset shapes.
    """
    if distributions and not base_url:
        raise InputError(
            "--distribution needs --base-url: the address the files are downloaded from"
        )
    for url, what in (
        (endpoint_url, "--endpoint-url"),
        (base_url, "--base-url"),
        (landing_page, "--landing-page"),
        (license, "--license"),
        (iri, "--iri"),
    ):
        if url and not _is_url(url):
            raise InputError(f"{what}: {url!r} is not an absolute http(s) URL")
    dataset = URIRef(iri) if iri else ID["dataset"]
    g = Graph()
    for prefix, ns in PREFIXES.items():
        g.bind(prefix, ns)
    for prefix, ns in (("dcat", DCAT), ("void", VOID), ("spdx", SPDX), ("foaf", FOAF)):
        g.bind(prefix, ns)

    graphs = store.graph_names()
    titles = sorted(
        str(t)
        for (t,) in store.query(
            "SELECT DISTINCT ?t WHERE { GRAPH ?g { ?g <http://purl.org/dc/terms/title> ?t } }"
        ).rows
    )
    g.add((dataset, RDF.type, DCAT.Dataset))
    g.add((dataset, RDF.type, VOID.Dataset))
    default_title = "Inspections of public services"
    if titles:
        default_title += ": " + "; ".join(titles)
    g.add((dataset, DCTERMS.title, Literal(title or default_title)))
    g.add((dataset, DCTERMS.description, Literal(description or DEFAULT_DESCRIPTION)))
    g.add((dataset, DCTERMS.license, URIRef(license) if license else OGL))
    if store.query("ASK { ?i a <https://w3id.org/inspectgraph/def/Inspection> }").boolean:
        g.add((dataset, DCTERMS.rights, Literal(OFSTED_RIGHTS)))
    if publisher:
        agent = BNode()
        g.add((dataset, DCTERMS.publisher, agent))
        g.add((agent, RDF.type, FOAF.Agent))
        g.add((agent, FOAF.name, Literal(publisher)))
    if landing_page:
        g.add((dataset, DCAT.landingPage, URIRef(landing_page)))
    for word in KEYWORDS:
        g.add((dataset, DCAT.keyword, Literal(word, lang="en")))
    g.add((dataset, DCTERMS.language, URIRef("http://id.loc.gov/vocabulary/iso639-1/en")))
    g.add((dataset, DCTERMS.conformsTo, URIRef(str(IG._NS))))
    g.add((dataset, PROV.wasAttributedTo, URIRef(f"{BASE}id/software/inspectgraph")))
    g.add((dataset, DCTERMS.creator, Literal(f"inspectgraph {__version__}")))

    # the dataset as exported: the store, with the quotations in the Web Annotation form
    expanded: Counter = Counter()  # annotation triples per graph, counted as they pass

    def annotations() -> Iterator:
        for quad in annotation_quads(store):
            expanded[quad[3]] += 1
            yield quad

    # one scan of the store: the statistics count every quad, and the few that link two
    # datasets are kept for the linksets as they pass
    links: set = set()
    quads = itertools.chain(_linking(store.quads(), dataset, links), annotations())
    _statistics(g, dataset, quads)
    _coverage(g, dataset, store)
    for name in graphs:
        rows = store.query(
            "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }", {"g": name}
        ).rows
        n = (int(rows[0][0]) if rows else 0) + expanded[name]
        if not n:
            continue
        g.add((dataset, VOID.subset, name))
        g.add((name, RDF.type, VOID.Dataset))
        g.add((name, VOID.triples, Literal(n, datatype=XSD.integer)))
        rows = store.query(
            "SELECT ?l WHERE { GRAPH ?g { ?g "
            "<http://www.w3.org/2000/01/rdf-schema#label> ?l } } ORDER BY ?l",
            {"g": name},
        ).rows
        if rows:
            g.add((name, RDFS.label, Literal(str(rows[0][0]))))
    _linksets(g, dataset, links)
    if endpoint_url:
        _service(g, dataset, endpoint_url)
    for path in distributions:
        _distribution(g, dataset, Path(path), base_url)
    if validate:
        violations = validate_description(g)
        if violations:
            raise ValidationFailed(
                f"dataset description: {len(violations)} SHACL violation(s);"
                f" first: {violations[0]}",
                report="\n".join(violations),
            )
    return g


def _is_url(value: str) -> bool:
    import re

    return bool(re.match(r"^https?://[^\s<>\"{}|\\^`]+$", value))


def _statistics(g: Graph, dataset: URIRef, quads: Iterable) -> None:
    """VoID's counts over the distinct triples of ``quads`` (the store's and the
    quotations' in the Web Annotation form).

    A national store holds millions of triples: each triple, subject and object is kept as
    its 64-bit hash in a compact array and the distinct ones counted at the end, rather
    than every term held in sets (gigabytes). The counts are exact unless two of the
    millions of terms share a 64-bit hash (odds of about one in ten million)."""
    import numpy as np

    ours = str(ID)
    triples, subjects, objects, entities = (array("q") for _ in range(4))
    by_property: dict[URIRef, array] = {}
    members: dict[URIRef, array] = {}
    example = None  # the least of our entities by IRI
    for s, p, o, _ in quads:
        triple, subject = hash((s, p, o)), hash(s)
        triples.append(triple)
        subjects.append(subject)
        objects.append(hash(o))
        by_property.setdefault(p, array("q")).append(triple)
        if p == RDF.type and isinstance(o, URIRef):
            members.setdefault(o, array("q")).append(subject)
        if isinstance(s, URIRef) and s.startswith(ours):
            entities.append(subject)
            if example is None or str(s) < str(example):
                example = s

    def distinct(values: array) -> int:
        return len(np.unique(np.frombuffer(values, dtype=np.int64))) if values else 0

    properties = {prop: distinct(values) for prop, values in by_property.items()}
    classes = {cls: distinct(values) for cls, values in members.items()}
    for prop, value in (
        (VOID.triples, distinct(triples)),
        (VOID.distinctSubjects, distinct(subjects)),
        (VOID.distinctObjects, distinct(objects)),
        (VOID.properties, len(properties)),
        (VOID.classes, len(classes)),
        (VOID.entities, distinct(entities)),
    ):
        g.add((dataset, prop, Literal(value, datatype=XSD.integer)))
    g.add((dataset, VOID.uriSpace, Literal(ours)))
    if example is not None:
        g.add((dataset, VOID.exampleResource, example))
    vocabularies = set()
    for cls, n in sorted(classes.items()):
        part = URIRef(f"{dataset}/class/{slug(_local(cls))}-{_short_hash(cls)}")
        g.add((dataset, VOID.classPartition, part))
        g.add((part, VOID["class"], cls))
        g.add((part, VOID.entities, Literal(n, datatype=XSD.integer)))
        vocabularies.add(_namespace(cls))
    for prop, n in sorted(properties.items()):
        part = URIRef(f"{dataset}/property/{slug(_local(prop))}-{_short_hash(prop)}")
        g.add((dataset, VOID.propertyPartition, part))
        g.add((part, VOID.property, prop))
        g.add((part, VOID.triples, Literal(n, datatype=XSD.integer)))
        vocabularies.add(_namespace(prop))
    for ns in sorted(vocabularies):
        g.add((dataset, VOID.vocabulary, URIRef(ns)))


def _coverage(g: Graph, dataset: URIRef, store) -> None:
    rows = store.query("""
        SELECT (MIN(?d) AS ?first) (MAX(?d) AS ?last) WHERE {
          ?i a <https://w3id.org/inspectgraph/def/Inspection> ;
             <http://purl.org/dc/terms/date> ?d }""").rows
    if rows and rows[0][0] is not None:
        period = URIRef(f"{dataset}/period")
        g.add((dataset, DCTERMS.temporal, period))
        g.add((period, RDF.type, DCTERMS.PeriodOfTime))
        g.add((period, DCAT.startDate, Literal(str(rows[0][0]), datatype=XSD.date)))
        g.add((period, DCAT.endDate, Literal(str(rows[0][1]), datatype=XSD.date)))
    for (area,) in store.query(
        "SELECT DISTINCT ?a WHERE { ?x <http://purl.org/dc/terms/spatial> "
        "?a FILTER(isIRI(?a)) } ORDER BY STR(?a)"
    ).rows:
        g.add((dataset, DCTERMS.spatial, area))
    for (url,) in store.query("""
            SELECT DISTINCT ?u WHERE { ?r a <https://w3id.org/inspectgraph/def/Report> ;
              <http://www.w3.org/2000/01/rdf-schema#seeAlso> ?u } ORDER BY STR(?u)""").rows:
        g.add((dataset, DCTERMS.source, url))


def _dataset_of(term, ours: URIRef) -> tuple[str, URIRef] | None:
    if not isinstance(term, URIRef):
        return None
    text = str(term)
    if text.startswith(str(ID)):
        return "ours", ours
    for key, (iri, _title, space, _home, _sparql) in LINK_TARGETS.items():
        if text.startswith(space):
            return key, iri
    return None


def _linking(quads: Iterable, dataset: URIRef, links: set) -> Iterator:
    """``quads`` passed on unchanged; the distinct triples among them that link two
    datasets (few, and only they are kept) added to ``links`` as they pass."""
    skip = (OWL.annotatedTarget, OWL.annotatedSource, RDF.type)
    for quad in quads:
        s, p, o, _ = quad
        if p not in skip:
            a, b = _dataset_of(s, dataset), _dataset_of(o, dataset)
            if a and b and a[0] != b[0] and b[0] != "ours":
                links.add((a, b, s, p, o))
        yield quad


def _linksets(g: Graph, dataset: URIRef, links: set) -> None:
    """The linksets of ``links`` (collected by :func:`_linking`)."""
    counts = Counter((a, b, p) for a, b, _s, p, _o in links)
    pairs: dict = {}
    for (a, b, p), n in counts.items():
        pairs.setdefault((a, b), {})[p] = n
    for (a, b), predicates in sorted(pairs.items(), key=lambda kv: (kv[0][0][0], kv[0][1][0])):
        linkset = URIRef(f"{dataset}/linkset/{a[0]}-to-{b[0]}")
        g.add((linkset, RDF.type, VOID.Linkset))
        g.add((linkset, VOID.subjectsTarget, a[1]))
        g.add((linkset, VOID.objectsTarget, b[1]))
        g.add((linkset, VOID.triples, Literal(sum(predicates.values()), datatype=XSD.integer)))
        g.add((dataset, VOID.subset, linkset))
        for side in (a, b):
            if side[0] != "ours":
                _target(g, side[0])
        for p, n in sorted(predicates.items()):
            part = URIRef(f"{linkset}/{slug(_local(p))}")
            g.add((part, RDF.type, VOID.Linkset))
            g.add((part, VOID.linkPredicate, p))
            g.add((part, VOID.subjectsTarget, a[1]))
            g.add((part, VOID.objectsTarget, b[1]))
            g.add((part, VOID.triples, Literal(n, datatype=XSD.integer)))
            g.add((linkset, VOID.subset, part))
        if a[0] == "ours" and b[0] == "wikidata":
            g.add((linkset, PROV.wasDerivedFrom, ID["graph/links/wikidata"]))


def _target(g: Graph, key: str) -> None:
    iri, title, space, home, sparql = LINK_TARGETS[key]
    g.add((iri, RDF.type, VOID.Dataset))
    g.add((iri, DCTERMS.title, Literal(title)))
    g.add((iri, VOID.uriSpace, Literal(space)))
    g.add((iri, FOAF.homepage, URIRef(home)))
    if sparql:
        g.add((iri, VOID.sparqlEndpoint, URIRef(sparql)))


def _service(g: Graph, dataset: URIRef, endpoint_url: str) -> None:
    endpoint = URIRef(endpoint_url)
    service = URIRef(f"{dataset}/sparql-service")
    g.add((dataset, VOID.sparqlEndpoint, endpoint))
    g.add((service, RDF.type, DCAT.DataService))
    g.add((service, DCTERMS.title, Literal("SPARQL endpoint")))
    g.add((service, DCAT.endpointURL, endpoint))
    g.add((service, DCAT.servesDataset, dataset))
    g.add((service, DCTERMS.conformsTo, SPARQL_PROTOCOL))
    dist = URIRef(f"{dataset}/distribution/sparql")
    g.add((dataset, DCAT.distribution, dist))
    g.add((dist, RDF.type, DCAT.Distribution))
    g.add((dist, DCTERMS.title, Literal("SPARQL endpoint")))
    g.add((dist, DCAT.accessURL, endpoint))
    g.add((dist, DCAT.accessService, service))
    g.add((dist, DCAT.mediaType, URIRef(IANA + "application/sparql-results+json")))


def _distribution(g: Graph, dataset: URIRef, path: Path, base_url: str | None) -> None:
    if not path.is_file():
        raise InputError(f"{path}: no such file (--distribution)")
    ext = path.suffix.lstrip(".").lower()
    if ext not in MEDIA_TYPES:
        raise InputError(
            f"{path}: unknown distribution format {path.suffix!r}; known: "
            f"{', '.join('.' + e for e in MEDIA_TYPES)}"
        )
    media, name = MEDIA_TYPES[ext]
    data = path.read_bytes()
    dist = URIRef(f"{dataset}/distribution/{slug(path.name)}")
    g.add((dataset, DCAT.distribution, dist))
    g.add((dist, RDF.type, DCAT.Distribution))
    g.add((dist, DCTERMS.title, Literal(f"{path.name} ({name})")))
    g.add((dist, DCAT.downloadURL, URIRef(base_url.rstrip("/") + "/" + path.name)))
    g.add((dist, DCTERMS["format"], Literal(name)))
    if media:
        g.add((dist, DCAT.mediaType, URIRef(IANA + media)))
    g.add((dist, DCAT.byteSize, Literal(len(data), datatype=XSD.nonNegativeInteger)))
    checksum = BNode()
    g.add((dist, SPDX.checksum, checksum))
    g.add((checksum, RDF.type, SPDX.Checksum))
    g.add((checksum, SPDX.algorithm, SPDX.checksumAlgorithm_sha256))
    g.add(
        (
            checksum,
            SPDX.checksumValue,
            Literal(hashlib.sha256(data).hexdigest(), datatype=XSD.hexBinary),
        )
    )


def _local(term: URIRef) -> str:
    text = str(term)
    for sep in ("#", "/"):
        if sep in text.rstrip(sep):
            text = text.rstrip(sep).rsplit(sep, 1)[1]
    return text


def _namespace(term: URIRef) -> str:
    text = str(term)
    cut = max(text.rfind("#"), text.rfind("/"))
    return text[: cut + 1]


def _short_hash(term: URIRef) -> str:
    return hashlib.sha256(str(term).encode()).hexdigest()[:8]
