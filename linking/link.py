"""Reconcile agencies with Wikidata: ``inspectgraph link``.

Rules, tried for every agency in the store (the best candidate wins; two different
items with the same best score are reported as ambiguous and not linked):

``gss-code``
    An agency's area (its ``dcterms:spatial`` ONS IRI, from its GSS code) is the Wikidata
    item holding that code in P836 (GSS code). Score 1.0, ``skos:exactMatch``; only when
    exactly one item holds the code.
``gss-jurisdiction``
    The agency is a body of that area: an item whose P1001 (applies to jurisdiction) is
    the area, or which the area names in P194 (legislative body), whose class (P31) fits
    the agency type and whose English label is like the agency's. Score
    ``0.5 + 0.5 × label similarity``.
``website``
    An item whose P856 (official website) is the agency's homepage. Score 0.95.
``label-type``
    An item whose English label or alias is one of the agency's labels and whose class
    fits the agency type. Score 0.9 for the preferred label, 0.8 for an alternative one.

An item with an end date (P576) scores 0.2 less unless the agency has one too. Links
scoring at least 0.9 are ``skos:exactMatch``, lower ones (down to ``min_score``)
``skos:closeMatch``. ``owl:sameAs`` is never written: its consequences (every statement
about one IRI holds of the other) need an identity that a reconciliation rule cannot
establish; a researcher who has checked a link may assert it.

Links go into their own named graph (:data:`LINKS_GRAPH`), replaced whole on every run,
so running ``link`` twice gives the same graph. Each link is described by an
``owl:Axiom`` (the OWL 2 annotation of a triple, as SSSOM writes mappings) carrying its
score (``sssom:confidence``), its justification (SEMAPV), the date of the answer it came
from, the Wikidata label, and ``prov:wasGeneratedBy`` the activity of its rule, which
records the endpoint (``prov:used``) and when the answers were fetched.

Answers are cached on disk (keyed by endpoint and query text), so a re-run asks nothing;
``refresh=True`` asks again. Requests carry a descriptive User-Agent, are retried with
back-off on HTTP 429 and 503 (honouring ``Retry-After``), and the whole run has a time
limit.
"""

from __future__ import annotations

import hashlib
import re
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from rdflib import RDF, RDFS, XSD, Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCTERMS, OWL, PROV

from ..errors import ValidationFailed
from ..model.rdfmap import PREFIXES
from ..ontology import ID
from ..version import __version__
from .reconcile import RULES, SEMAPV, WD, Link, agencies_in_store, reconcile
from .sparqlclient import LinkError, SparqlCache, SparqlClient, default_cache_dir

__all__ = [
    "LINKS_GRAPH",
    "WIKIDATA_ENDPOINT",
    "LinkReport",
    "link",
]


WIKIDATA_ENDPOINT = "https://query.wikidata.org/sparql"


SSSOM = Namespace("https://w3id.org/sssom/")


#: The named graph holding the links (never a source's graph: slugs contain no "/").
LINKS_GRAPH = ID["graph/links/wikidata"]


SOFTWARE = ID["software/inspectgraph"]


@dataclass
class LinkReport:
    """What a run of :func:`link` found and did."""

    links: list[Link] = field(default_factory=list)
    unmatched: list[tuple[str, str]] = field(default_factory=list)  # (label, why)
    sent: int = 0
    cached: int = 0
    triples: int = 0
    written: bool = False
    graph: URIRef = LINKS_GRAPH
    endpoint: str = WIKIDATA_ENDPOINT


# ---------------------------------------------------------------------------- RDF


def links_graph(links: Sequence[Link], endpoint: str, times: dict[str, list[str]]) -> Graph:
    """The named graph of ``links`` with their provenance."""
    g = Graph()
    for prefix, ns in PREFIXES.items():
        g.bind(prefix, ns)
    for prefix, ns in (("wd", WD), ("sssom", SSSOM), ("semapv", SEMAPV), ("owl", OWL)):
        g.bind(prefix, ns)
    g.add((LINKS_GRAPH, RDF.type, PROV.Entity))
    g.add((LINKS_GRAPH, RDFS.label, Literal("Links to Wikidata")))
    g.add((LINKS_GRAPH, DCTERMS.source, URIRef(endpoint)))
    g.add((SOFTWARE, RDF.type, PROV.SoftwareAgent))
    g.add((SOFTWARE, RDFS.label, Literal(f"inspectgraph {__version__}")))
    used = sorted({link.rule for link in links})
    for rule in used:
        activity = ID[f"activity/link/wikidata/{rule}"]
        g.add((activity, RDF.type, PROV.Activity))
        g.add(
            (
                activity,
                RDFS.label,
                Literal(f"Reconciliation with Wikidata, rule {rule}: {RULES[rule][0]}"),
            )
        )
        g.add((activity, PROV.used, URIRef(endpoint)))
        g.add((activity, PROV.wasAssociatedWith, SOFTWARE))
        stamps = sorted(times.get(rule) or [])
        if stamps:
            g.add((activity, PROV.startedAtTime, _datetime(stamps[0])))
            g.add((activity, PROV.endedAtTime, _datetime(stamps[-1])))
        g.add((LINKS_GRAPH, PROV.wasGeneratedBy, activity))
    for link in links:
        g.add((link.subject, link.predicate, link.target))
        key = hashlib.sha256(f"{link.subject} {link.predicate} {link.target}".encode()).hexdigest()
        axiom = ID[f"link/{key[:20]}"]
        g.add((axiom, RDF.type, OWL.Axiom))
        g.add((axiom, OWL.annotatedSource, link.subject))
        g.add((axiom, OWL.annotatedProperty, link.predicate))
        g.add((axiom, OWL.annotatedTarget, link.target))
        g.add(
            (axiom, SSSOM.confidence, Literal(Decimal(f"{link.score:.2f}"), datatype=XSD.decimal))
        )
        g.add((axiom, SSSOM.mapping_justification, RULES[link.rule][1]))
        g.add((axiom, SSSOM.mapping_date, Literal(link.fetched[:10], datatype=XSD.date)))
        g.add((axiom, SSSOM.mapping_tool, Literal(f"inspectgraph {__version__}")))
        g.add((axiom, SSSOM.subject_label, Literal(link.subject_label)))
        if link.target_label:
            g.add((axiom, SSSOM.object_label, Literal(link.target_label, lang="en")))
        g.add((axiom, PROV.wasGeneratedBy, ID[f"activity/link/wikidata/{link.rule}"]))
    return g


def _datetime(stamp: str) -> Literal:
    return Literal(stamp, datatype=XSD.dateTime)


# ---------------------------------------------------------------------------- entry point


def link(
    store,
    *,
    endpoint: str = WIKIDATA_ENDPOINT,
    cache: str | Path | None = None,
    refresh: bool = False,
    time_limit: float = 300.0,
    retries: int = 4,
    min_score: float = 0.7,
    contact: str = "",
    dry_run: bool = False,
    sleep: Callable[[float], None] = time.sleep,
) -> LinkReport:
    """Reconcile the store's agencies with the Wikidata-shaped ``endpoint`` and (unless
    ``dry_run``) replace :data:`LINKS_GRAPH` with the links. ``cache``: a directory for
    the answers (default :func:`default_cache_dir`); ``False`` keeps none.

    Raises :class:`LinkError` (endpoint problems; nothing written) or
    :class:`ValidationFailed` (the links break the shapes; nothing written).
    """
    from ..graph.shacl import validate_graph

    if not re.match(r"^https?://[^\s<>\"{}|\\^`]+$", endpoint):
        raise LinkError(f"{endpoint}: the endpoint must be an http(s) URL")
    store_cache = None if cache is False else SparqlCache(cache or default_cache_dir())
    client = SparqlClient(
        endpoint,
        cache=store_cache,
        refresh=refresh,
        time_limit=time_limit,
        retries=retries,
        contact=contact,
        sleep=sleep,
    )
    agencies = agencies_in_store(store)
    links, unmatched, times = reconcile(agencies, client, min_score=min_score)
    report = LinkReport(
        links=links, unmatched=unmatched, sent=client.sent, cached=client.cached, endpoint=endpoint
    )
    g = links_graph(links, endpoint, times)
    report.triples = len(g)
    if dry_run:
        return report
    violations = validate_graph(g)
    if violations:
        raise ValidationFailed(
            f"links from {endpoint}: {len(violations)} SHACL violation(s); first: {violations[0]}",
            report="\n".join(map(str, violations)),
        )
    store.replace_graphs({LINKS_GRAPH: g})
    report.written = True
    return report
