"""Matching the graph's agencies with Wikidata items: the rules (a shared identifier, a
website, a label of the right type), the queries that find candidates, and the scores.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from rdflib import Literal, Namespace, URIRef
from rdflib.namespace import SKOS

from ..model.rdfmap import ONS_GEOGRAPHY
from .sparqlclient import Answer, SparqlClient, values_rows

__all__ = [
    "RULES",
    "Link",
    "label_similarity",
]


WD = Namespace("http://www.wikidata.org/entity/")


WDT = Namespace("http://www.wikidata.org/prop/direct/")


SEMAPV = Namespace("https://w3id.org/semapv/vocab/")


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
class StoreAgency:
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


def agencies_in_store(store) -> list[StoreAgency]:
    out: dict[URIRef, StoreAgency] = {}
    for row in store.query(AGENCIES_QUERY).dicts():
        a = out.setdefault(
            row["agency"], StoreAgency(row["agency"], str(row["label"]), str(row["typeKey"]))
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
    agencies: list[StoreAgency], client: SparqlClient, *, min_score: float = 0.7
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


def _ended(score: float, c: Candidate, a: StoreAgency) -> float:
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
