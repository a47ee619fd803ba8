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

import datetime as dt
import difflib
import hashlib
import json
import os
import re
import socket
import tempfile
import time
import unicodedata
import urllib.error
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from rdflib import RDF, RDFS, XSD, Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCTERMS, OWL, PROV, SKOS
from rdflib.term import Identifier

from .. import __version__
from ..errors import InspectgraphError, ValidationFailed
from ..graph.stores.remote import term_from_json
from ..model.rdfmap import ONS_GEOGRAPHY, PREFIXES
from ..ontology import ID
from ..sources.retrying import RETRY_STATUS, retry_after

__all__ = [
    "LINKS_GRAPH",
    "RULES",
    "WIKIDATA_ENDPOINT",
    "Link",
    "LinkError",
    "LinkReport",
    "SparqlCache",
    "SparqlClient",
    "default_cache_dir",
    "label_similarity",
    "link",
    "user_agent",
]

WIKIDATA_ENDPOINT = "https://query.wikidata.org/sparql"
WD = Namespace("http://www.wikidata.org/entity/")
WDT = Namespace("http://www.wikidata.org/prop/direct/")
SSSOM = Namespace("https://w3id.org/sssom/")
SEMAPV = Namespace("https://w3id.org/semapv/vocab/")

#: The named graph holding the links (never a source's graph: slugs contain no "/").
LINKS_GRAPH = ID["graph/links/wikidata"]
SOFTWARE = ID["software/inspectgraph"]

#: Rule name -> (description, SEMAPV justification).
RULES = {
    "gss-code": (
        "an area is the Wikidata item with its GSS code (P836)",
        SEMAPV.BackgroundKnowledgeBasedMatching,
    ),
    "gss-jurisdiction": (
        "a body of the area with that GSS code (P1001, P194), of a fitting "
        "class, with a similar label",
        SEMAPV.CompositeMatching,
    ),
    "website": (
        "the item whose official website (P856) is the agency's homepage",
        SEMAPV.BackgroundKnowledgeBasedMatching,
    ),
    "label-type": (
        "an item with one of the agency's labels, of a class fitting its type",
        SEMAPV.LexicalMatching,
    ),
}

EXACT_MATCH_SCORE = 0.9
#: Longest GET request; longer queries are POSTed.
MAX_GET_QUERY = 1800
#: Values sent in one query (VALUES rows).
BATCH = 40

#: Words of an English class label (P31) that fit each agency type.
TYPE_CLASS_WORDS = {
    "local_authority": (
        "council",
        "local authority",
        "unitary authority",
        "local government",
        "company",
        "children's services",
    ),
    "police": ("police", "constabulary"),
    "health": (
        "clinical commissioning group",
        "integrated care",
        "nhs",
        "health",
        "hospital",
        "trust",
        "commissioning",
    ),
    "education": ("school", "academy", "college", "education"),
    "probation": ("probation",),
    "youth_justice": ("youth offending", "youth justice"),
    "housing": ("housing",),
    "voluntary_sector": (
        "charity",
        "charitable",
        "voluntary",
        "non-profit",
        "nonprofit",
        "foundation",
    ),
    "courts_cafcass": ("court", "tribunal", "non-departmental public body"),
    "safeguarding_partnership": ("safeguarding",),
    "multi_agency": ("partnership", "multi-agency"),
    "inspectorate": (
        "inspectorate",
        "regulator",
        "regulatory",
        "government department",
        "government agency",
        "non-ministerial",
    ),
}


class LinkError(InspectgraphError):
    """The endpoint could not be asked (unreachable, refused, too slow)."""


# ---------------------------------------------------------------------------- HTTP client


def user_agent(contact: str = "") -> str:
    """The User-Agent sent with every request, as Wikimedia's policy asks: tool, version,
    where to find it, and (optionally) how to reach the person running it.

    >>> user_agent().startswith("inspectgraph/")
    True
    >>> "(me@example.org)" in user_agent("me@example.org")
    True
    """
    import SPARQLWrapper

    who = f" ({contact})" if contact else ""
    return (
        f"inspectgraph/{__version__} (+https://w3id.org/inspectgraph/; reconciles "
        f"inspection records with Wikidata){who} SPARQLWrapper/{SPARQLWrapper.__version__}"
    )


def default_cache_dir() -> Path:
    """``$XDG_CACHE_HOME/inspectgraph/sparql`` (``~/.cache/inspectgraph/sparql``)."""
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "inspectgraph" / "sparql"


class SparqlCache:
    """Answers of SPARQL SELECT queries on disk, one JSON file per (endpoint, query)."""

    def __init__(self, directory: str | Path):
        self.directory = Path(directory)

    def _path(self, endpoint: str, query: str) -> Path:
        key = hashlib.sha256(f"{endpoint}\n{query}".encode()).hexdigest()
        return self.directory / key[:2] / f"{key}.json"

    def get(self, endpoint: str, query: str) -> dict | None:
        path = self._path(endpoint, query)
        try:
            entry = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None  # absent or damaged: ask again
        if entry.get("endpoint") != endpoint or entry.get("query") != query:
            return None
        return entry

    def put(self, endpoint: str, query: str, fetched: str, result: dict) -> None:
        path = self._path(endpoint, query)
        path.parent.mkdir(parents=True, exist_ok=True)
        entry = {"endpoint": endpoint, "query": query, "fetched": fetched, "result": result}
        fd, tmp = tempfile.mkstemp(dir=path.parent, suffix=".tmp")
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as fh:
                json.dump(entry, fh, ensure_ascii=False)
            os.replace(tmp, path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise


@dataclass
class Answer:
    """Rows of a SELECT query as rdflib terms, and when the endpoint gave them."""

    rows: list[dict[str, Identifier]]
    fetched: str
    from_cache: bool


class SparqlClient:
    """Ask a SPARQL endpoint through SPARQLWrapper, politely.

    Parameters
    ----------
    endpoint : str
        The endpoint URL.
    cache : SparqlCache or None
        Where answers are kept; None keeps nothing.
    refresh : bool
        Ask the endpoint even when the cache has the answer (and store the new one).
    time_limit : float
        Seconds for everything this client does; past it a request is not started
        and a running one is cut short.
    retries : int
        Further attempts after an HTTP 429 or 503, waiting ``Retry-After`` seconds or
        1, 2, 4, ... seconds (at most 60), always within the time limit.
    contact : str
        Added to the User-Agent (see :func:`user_agent`).
    sleep, clock : callables
        ``time.sleep`` and ``time.monotonic`` (replaceable in tests).
    """

    def __init__(
        self,
        endpoint: str,
        *,
        cache: SparqlCache | None = None,
        refresh: bool = False,
        time_limit: float = 300.0,
        retries: int = 4,
        contact: str = "",
        request_timeout: float = 65.0,
        sleep: Callable[[float], None] = time.sleep,
        clock: Callable[[], float] = time.monotonic,
    ):
        self.endpoint = endpoint
        self.cache = cache
        self.refresh = refresh
        self.time_limit = time_limit
        self.retries = retries
        self.agent = user_agent(contact)
        self.request_timeout = request_timeout
        self.sleep = sleep
        self.clock = clock
        self.deadline = clock() + time_limit
        self.sent = 0
        self.cached = 0

    def select(self, query: str) -> Answer:
        """Run a SELECT query; raises :class:`LinkError` when it cannot be answered."""
        if self.cache is not None and not self.refresh:
            entry = self.cache.get(self.endpoint, query)
            if entry is not None:
                self.cached += 1
                return Answer(_rows(entry["result"]), entry["fetched"], True)
        result = self._ask(query)
        fetched = dt.datetime.now(dt.timezone.utc).replace(microsecond=0).isoformat()
        if self.cache is not None:
            self.cache.put(self.endpoint, query, fetched, result)
        return Answer(_rows(result), fetched, False)

    def _ask(self, query: str) -> dict:
        from SPARQLWrapper import JSON, POST, SPARQLWrapper
        from SPARQLWrapper.SPARQLExceptions import SPARQLWrapperException

        attempt = 0
        while True:
            remaining = self.deadline - self.clock()
            if remaining <= 0:
                raise LinkError(
                    f"{self.endpoint}: time limit of {self.time_limit:g} s reached "
                    f"after {self.sent} request(s); nothing written (answers so far "
                    "are cached: run again to go on)"
                )
            wrapper = SPARQLWrapper(self.endpoint, agent=self.agent)
            wrapper.setQuery(query)
            wrapper.setReturnFormat(JSON)
            wrapper.setTimeout(max(1, int(min(self.request_timeout, remaining) + 0.999)))
            if len(query) > MAX_GET_QUERY:
                wrapper.setMethod(POST)
            self.sent += 1
            try:
                result = wrapper.queryAndConvert()
            except urllib.error.HTTPError as exc:
                if exc.code in RETRY_STATUS and attempt < self.retries:
                    wait = retry_after(exc.headers.get("Retry-After") if exc.headers else None)
                    wait = min(wait if wait is not None else 2.0**attempt, 60.0)
                    if self.clock() + wait >= self.deadline:
                        raise LinkError(
                            f"{self.endpoint}: HTTP {exc.code} and no time left to "
                            f"retry within the {self.time_limit:g} s limit"
                        ) from exc
                    self.sleep(wait)
                    attempt += 1
                    continue
                tries = f" after {attempt + 1} attempts" if attempt else ""
                raise LinkError(f"{self.endpoint}: HTTP {exc.code} {exc.reason}{tries}") from exc
            except SPARQLWrapperException as exc:
                first = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
                raise LinkError(f"{self.endpoint}: {first}") from exc
            except (TimeoutError, urllib.error.URLError) as exc:
                # urllib wraps a timeout while connecting in URLError, one while reading not
                reason = getattr(exc, "reason", exc)
                if isinstance(reason, (TimeoutError, socket.timeout)):
                    raise LinkError(
                        f"{self.endpoint}: no answer within "
                        f"{min(self.request_timeout, remaining):.0f} s"
                    ) from exc
                raise LinkError(f"{self.endpoint}: cannot connect ({reason})") from exc
            except (ValueError, OSError) as exc:
                raise LinkError(f"{self.endpoint}: bad answer ({exc})") from exc
            if not isinstance(result, dict) or "results" not in result:
                raise LinkError(f"{self.endpoint}: the answer is not SPARQL JSON results")
            return result


def _rows(result: dict) -> list[dict[str, Identifier]]:
    return [
        {name: term_from_json(value) for name, value in binding.items()}
        for binding in result.get("results", {}).get("bindings", [])
    ]


def values_rows(variable: str, terms: Sequence[Identifier]) -> str:
    """A one-variable VALUES block of RDF terms, each written by ``n3()``.

    >>> values_rows("gss", [Literal("E08000024")])
    'VALUES ?gss { "E08000024" }'
    """
    if not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", variable):
        raise ValueError(f"invalid variable name {variable!r}")
    return f"VALUES ?{variable} {{ {' '.join(t.n3() for t in terms)} }}"


# ---------------------------------------------------------------------------- queries

_PREFIXES = """PREFIX wdt: <http://www.wikidata.org/prop/direct/>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
"""

AREAS_QUERY = (
    _PREFIXES
    + """SELECT ?gss ?area ?areaLabel ?body ?bodyLabel ?bodyClass ?bodyEnd
WHERE {
  %(values)s
  ?area wdt:P836 ?gss .
  OPTIONAL { ?area rdfs:label ?areaLabel FILTER(LANG(?areaLabel) = "en") }
  OPTIONAL {
    { ?body wdt:P1001 ?area } UNION { ?area wdt:P194 ?body }
    OPTIONAL { ?body rdfs:label ?bodyLabel FILTER(LANG(?bodyLabel) = "en") }
    OPTIONAL { ?body wdt:P31/rdfs:label ?bodyClass FILTER(LANG(?bodyClass) = "en") }
    OPTIONAL { ?body wdt:P576 ?bodyEnd }
  }
}"""
)

# What the website and label rules ask of every item they find (see _describe)
_ITEM_DETAILS = """
  OPTIONAL { ?item rdfs:label ?itemLabel FILTER(LANG(?itemLabel) = "en") }
  OPTIONAL { ?item wdt:P31/rdfs:label ?itemClass FILTER(LANG(?itemClass) = "en") }
  OPTIONAL { ?item wdt:P576 ?itemEnd }
}"""

WEBSITES_QUERY = (
    _PREFIXES
    + """SELECT ?site ?item ?itemLabel ?itemClass ?itemEnd
WHERE {
  %(values)s
  ?item wdt:P856 ?site ."""
    + _ITEM_DETAILS
)

LABELS_QUERY = (
    _PREFIXES
    + """SELECT ?name ?item ?itemLabel ?itemClass ?itemEnd
WHERE {
  %(values)s
  ?item rdfs:label|skos:altLabel ?name ."""
    + _ITEM_DETAILS
)

AGENCIES_QUERY = """PREFIX ig: <https://w3id.org/inspectgraph/def/>
PREFIX org: <http://www.w3.org/ns/org#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX prov: <http://www.w3.org/ns/prov#>
SELECT ?agency ?label ?typeKey ?alt ?gss ?homepage ?ended
WHERE {
  ?agency a org:Organization ; rdfs:label ?label ; org:classification/skos:notation ?typeKey .
  OPTIONAL { ?agency skos:altLabel ?alt }
  OPTIONAL { ?agency ig:gssCode ?gss }
  OPTIONAL { ?agency rdfs:seeAlso ?homepage }
  OPTIONAL { ?agency prov:invalidatedAtTime ?ended }
}
ORDER BY STR(?agency) ?alt"""


# ---------------------------------------------------------------------------- matching


@dataclass
class Agency:
    iri: URIRef
    label: str
    type: str
    alt_labels: list[str] = field(default_factory=list)
    gss: str | None = None
    homepage: str | None = None
    ended: bool = False


@dataclass(frozen=True)
class Link:
    """One reconciled link: ``subject predicate target``."""

    subject: URIRef
    subject_label: str
    predicate: URIRef
    target: URIRef
    target_label: str
    rule: str
    score: float
    fetched: str

    @property
    def match(self) -> str:
        return "exactMatch" if self.predicate == SKOS.exactMatch else "closeMatch"


@dataclass
class Candidate:
    item: URIRef
    label: str = ""
    classes: set[str] = field(default_factory=set)
    ended: bool = False
    fetched: str = ""
    names: set[str] = field(default_factory=set)  # our labels it matched (label rule)


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


def normalise(label: str) -> str:
    """Label in a comparable form: case, accents, '&', punctuation and spaces folded.

    >>> normalise("Brighton & Hové  Council.")
    'brighton and hove council'
    """
    text = unicodedata.normalize("NFKD", label).encode("ascii", "ignore").decode().casefold()
    text = text.replace("&", " and ")
    return " ".join(re.sub(r"[^a-z0-9]+", " ", text).split())


def label_similarity(a: str, b: str) -> float:
    """Similarity of two labels from 0 to 1 (difflib's ratio of the normalised labels).

    >>> label_similarity("Sunderland City Council", "sunderland city council")
    1.0
    >>> round(label_similarity("Sunderland City Council", "Sunderland County Borough Council"), 2)
    0.79
    """
    return difflib.SequenceMatcher(None, normalise(a), normalise(b)).ratio()


def fits_type(agency_type: str, class_labels: Iterable[str]) -> bool:
    """Whether any English class label of an item fits an agency type.

    >>> fits_type("police", ["territorial police force"]), fits_type("police", ["band"])
    (True, False)
    """
    words = TYPE_CLASS_WORDS.get(agency_type, ())
    return any(w in label.casefold() for label in class_labels for w in words)


def _agencies(store) -> list[Agency]:
    out: dict[URIRef, Agency] = {}
    for row in store.query(AGENCIES_QUERY).dicts():
        a = out.setdefault(
            row["agency"], Agency(row["agency"], str(row["label"]), str(row["typeKey"]))
        )
        if row.get("alt") is not None and str(row["alt"]) not in a.alt_labels:
            a.alt_labels.append(str(row["alt"]))
        if row.get("gss") is not None:
            a.gss = str(row["gss"])
        if row.get("homepage") is not None:
            a.homepage = str(row["homepage"])
        if row.get("ended") is not None:
            a.ended = True
    return list(out.values())


def _batches(items: Sequence, size: int = BATCH):
    for i in range(0, len(items), size):
        yield items[i : i + size]


def _site_variants(url: str) -> list[URIRef]:
    """The forms an official website is written in on Wikidata (scheme, www, final slash)."""
    m = re.match(r"^https?://(?:www\.)?([^/]+)(/.*)?$", url.strip())
    if not m:
        return [URIRef(url)]
    host, path = m.group(1), (m.group(2) or "").rstrip("/")
    out = []
    for scheme in ("https", "http"):
        for www in ("", "www."):
            for slash in ("", "/"):
                out.append(URIRef(f"{scheme}://{www}{host}{path}{slash}"))
    return out


def reconcile(
    agencies: list[Agency], client: SparqlClient, *, min_score: float = 0.7
) -> tuple[list[Link], list[tuple[str, str]], dict]:
    """Ask the endpoint and choose links; returns links, unmatched agencies and, per rule,
    the fetch times of the answers used."""
    times: dict[str, list[str]] = {rule: [] for rule in RULES}

    # -- areas and their bodies, by GSS code
    areas: Candidates = {}
    bodies: Candidates = {}
    codes = sorted({a.gss for a in agencies if a.gss})
    for answer in _ask_in_batches(client, AREAS_QUERY, "gss", [Literal(c) for c in codes]):
        times["gss-code"].append(answer.fetched)
        times["gss-jurisdiction"].append(answer.fetched)
        for row in answer.rows:
            code = str(row["gss"])
            _describe(_candidate(areas, code, row["area"], answer.fetched), row, "area")
            if row.get("body") is not None:
                _describe(_candidate(bodies, code, row["body"], answer.fetched), row, "body")

    # -- official websites
    sites: Candidates = {}
    variants = {a.iri: _site_variants(a.homepage) for a in agencies if a.homepage}
    all_sites = sorted({v for vs in variants.values() for v in vs})
    for answer in _ask_in_batches(client, WEBSITES_QUERY, "site", all_sites):
        times["website"].append(answer.fetched)
        _collect_items(sites, answer, "site")

    # -- labels (for every agency: a gss agency may still be matched by name)
    named: Candidates = {}
    names = sorted({n for a in agencies for n in [a.label, *a.alt_labels]})
    terms = [Literal(n, lang="en") for n in names]
    for answer in _ask_in_batches(client, LABELS_QUERY, "name", terms):
        times["label-type"].append(answer.fetched)
        _collect_items(named, answer, "name")

    links: list[Link] = []
    unmatched: list[tuple[str, str]] = []
    area_done: set[str] = set()
    for a in sorted(agencies, key=lambda x: (x.label, str(x.iri))):
        if a.gss and a.gss not in area_done:
            area_done.add(a.gss)
            found = list(areas.get(a.gss, {}).values())
            if len(found) == 1:
                links.append(
                    Link(
                        ONS_GEOGRAPHY[a.gss],
                        a.gss,
                        SKOS.exactMatch,
                        found[0].item,
                        found[0].label,
                        "gss-code",
                        1.0,
                        found[0].fetched,
                    )
                )
        scored: list[tuple[float, Candidate, str]] = []
        for c in bodies.get(a.gss, {}).values() if a.gss else ():
            if fits_type(a.type, c.classes):
                score = 0.5 + 0.5 * label_similarity(a.label, c.label)
                scored.append((_ended(score, c, a), c, "gss-jurisdiction"))
        for site in (str(v) for v in variants.get(a.iri, ())):
            for c in sites.get(site, {}).values():
                scored.append((_ended(0.95, c, a), c, "website"))
        for name in [a.label, *a.alt_labels]:
            for c in named.get(name, {}).values():
                if fits_type(a.type, c.classes):
                    base = 0.9 if name == a.label else 0.8
                    scored.append((_ended(base, c, a), c, "label-type"))
        # one score per item: its best rule
        by_item: dict[URIRef, tuple[float, Candidate, str]] = {}
        for s, c, rule in scored:
            if c.item not in by_item or s > by_item[c.item][0]:
                by_item[c.item] = (s, c, rule)
        ranked = sorted(by_item.values(), key=lambda x: (-x[0], str(x[1].item)))
        if not ranked:
            unmatched.append((a.label, "no candidate"))
            continue
        if len(ranked) > 1 and ranked[1][0] == ranked[0][0]:
            unmatched.append(
                (
                    a.label,
                    "ambiguous: "
                    + ", ".join(
                        str(x[1].item).rsplit("/", 1)[1] for x in ranked if x[0] == ranked[0][0]
                    ),
                )
            )
            continue
        score, c, rule = ranked[0]
        score = round(score, 2)
        if score < min_score:
            unmatched.append(
                (
                    a.label,
                    f"best candidate {str(c.item).rsplit('/', 1)[1]} scored "
                    f"{score:.2f} < {min_score:.2f}",
                )
            )
            continue
        predicate = SKOS.exactMatch if score >= EXACT_MATCH_SCORE else SKOS.closeMatch
        links.append(Link(a.iri, a.label, predicate, c.item, c.label, rule, score, c.fetched))
    return links, unmatched, times


def _ended(score: float, c: Candidate, a: Agency) -> float:
    return score - 0.2 if c.ended and not a.ended else score


#: Candidates by the value that found them (a GSS code, a website, a label), then by item.
Candidates = dict[str, dict[URIRef, Candidate]]


def _ask_in_batches(client: SparqlClient, query: str, variable: str, terms: Sequence):
    """The answers to ``query`` with its VALUES block over ``terms``, a batch at a time."""
    for batch in _batches(terms):
        yield client.select(query % {"values": values_rows(variable, batch)})


def _candidate(found: Candidates, key: str, item: URIRef, fetched: str) -> Candidate:
    """The candidate ``item`` found by ``key``, made on first sight; ``fetched`` is the
    time of the latest answer naming it."""
    c = found.setdefault(key, {}).setdefault(item, Candidate(item))
    c.fetched = fetched
    return c


def _describe(c: Candidate, row: dict, variable: str) -> None:
    """Add what an answer row says of a candidate: its ``?<variable>Label``,
    ``?<variable>Class`` and ``?<variable>End`` (any may be unbound)."""
    if row.get(f"{variable}Label") is not None:
        c.label = str(row[f"{variable}Label"])
    if row.get(f"{variable}Class") is not None:
        c.classes.add(str(row[f"{variable}Class"]))
    if row.get(f"{variable}End") is not None:
        c.ended = True


def _collect_items(found: Candidates, answer: Answer, key_variable: str) -> None:
    for row in answer.rows:
        c = _candidate(found, str(row[key_variable]), row["item"], answer.fetched)
        _describe(c, row, "item")


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
    agencies = _agencies(store)
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
