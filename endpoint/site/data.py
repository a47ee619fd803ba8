"""What the site's pages show, gathered by SPARQL: plain data, no HTML.

Queries start from the resource a page is about (its IRI is a constant in the text),
so Oxigraph reads a few index ranges; the facts of a page's findings are then fetched
by one ``VALUES`` join over the findings, their properties chosen by ``FILTER(?p IN
(...))`` -- never by ``OPTIONAL`` (which Oxigraph evaluates before the join, reading
every finding of the store) nor by a second ``VALUES`` on the property (which it joins
after reading every triple of those properties: 8 s against 15 ms on the national store).
Lists are paged (:data:`PAGE_SIZE`) or cut with a count of what is left out.

The snapshot a server reads never changes, so labels, concepts and the authorities'
codes are read once and kept.
"""

from __future__ import annotations

import threading
from collections import defaultdict
from dataclasses import dataclass, field
from functools import cached_property

from rdflib import URIRef

from ...sources.authorities import Authority, authorities

__all__ = [
    "BASE",
    "GRADE_RANK",
    "PAGE_SIZE",
    "FindingView",
    "SiteData",
]

BASE = "https://w3id.org/inspectgraph/"
IG = BASE + "def/"
#: findings on one page of a list
PAGE_SIZE = 100
#: findings shown under each theme of an authority's page (the rest one click away)
PER_THEME = 4
#: rank of each grade key, best first (the grades scheme's notation is its key)
GRADE_RANK = {"outstanding": 1, "good": 2, "requires_improvement": 3, "inadequate": 4}
OVERALL = URIRef(IG + "judgement-area/overall_effectiveness")

# how many resources pointing at one IRI a page lists in sorted order (see SiteData.incoming)
SORTED_INCOMING = 5000
PREFIXES = """PREFIX ig: <https://w3id.org/inspectgraph/def/>
PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX dcterms: <http://purl.org/dc/terms/>
PREFIX prov: <http://www.w3.org/ns/prov#>
PREFIX org: <http://www.w3.org/ns/org#>
"""

#: the properties of a finding a page shows
_FINDING_PROPS = {
    IG + "exact": "exact",
    IG + "prefix": "prefix",
    IG + "suffix": "suffix",
    IG + "start": "start",
    IG + "polarity": "polarity",
    IG + "cues": "cues",
    IG + "fromInspection": "inspection",
    IG + "concerns": "concerns",
    IG + "criticises": "criticises",
    "http://purl.org/dc/terms/subject": "themes",
    "http://purl.org/dc/terms/description": "summary",
    "http://www.w3.org/ns/prov#wasDerivedFrom": "report",
}
_LIST_PROPS = {"themes", "concerns", "criticises"}


def _values(var: str, terms) -> str:
    return f"VALUES ?{var} {{ {' '.join(URIRef(t).n3() for t in sorted(set(terms)))} }}"


@dataclass
class FindingView:
    """One finding as the pages show it: the quote in its context and its labels."""

    iri: URIRef
    exact: str = ""
    prefix: str = ""
    suffix: str = ""
    start: int | None = None
    summary: str = ""
    polarity: URIRef | None = None
    cues: str = ""
    inspection: URIRef | None = None
    report: URIRef | None = None
    themes: list[URIRef] = field(default_factory=list)
    concerns: list[URIRef] = field(default_factory=list)
    criticises: list[URIRef] = field(default_factory=list)
    date: str = ""


@dataclass
class Report:
    iri: URIRef
    title: str = ""
    issued: str = ""
    link: str = ""  # the report on Ofsted's site (rdfs:seeAlso), when known
    identifier: str = ""  # its file in the corpus


class SiteData:
    """The queries of the pages over one (read-only) store."""

    def __init__(self, store):
        self.store = store
        self._lock = threading.Lock()
        self._partnerships: dict[URIRef, list[dict]] = {}

    def rows(self, query: str) -> list[tuple]:
        return self.store.query(PREFIXES + query).rows

    # ------------------------------------------------------------------ kept for the server's life

    @cached_property
    def concepts(self) -> dict[URIRef, tuple[str, str]]:
        """{concept: (label, notation)} of every SKOS concept (themes, grades, types...)."""
        out = {}
        for c, label, notation in self.rows(
            "SELECT DISTINCT ?c ?label ?n WHERE { ?c a skos:Concept ; skos:prefLabel ?label . "
            "OPTIONAL { ?c skos:notation ?n } }"
        ):
            out[c] = (str(label), str(notation or ""))
        return out

    @cached_property
    def authorities(self) -> dict[URIRef, Authority]:
        return authorities(self.store)

    @cached_property
    def overview(self) -> dict[str, int]:
        """How many of each kind of thing the graph holds."""
        counts = dict(
            self.rows(
                "SELECT ?c (COUNT(DISTINCT ?s) AS ?n) WHERE { ?s a ?c FILTER(?c IN (ig:Finding, "
                "ig:Inspection, ig:Report, org:Organization)) } GROUP BY ?c"
            )
        )
        return {
            "authorities": len(self.authorities),
            "agencies": int(counts.get(URIRef("http://www.w3.org/ns/org#Organization"), 0)),
            "inspections": int(counts.get(URIRef(IG + "Inspection"), 0)),
            "reports": int(counts.get(URIRef(IG + "Report"), 0)),
            "findings": int(counts.get(URIRef(IG + "Finding"), 0)),
        }

    @cached_property
    def agency_names(self) -> list[tuple[URIRef, str, str, str]]:
        """(agency, label, folded name key, type concept) of every classified agency."""
        return [
            (a, str(label), str(key), t)
            for a, label, key, t in self.rows(
                "SELECT DISTINCT ?a ?label ?key ?t WHERE { ?a ig:nameKey ?key ; "
                "org:classification ?t ; rdfs:label ?label }"
            )
        ]

    def concept_label(self, iri) -> str:
        found = self.concepts.get(iri)
        return found[0] if found else str(iri).rsplit("/", 1)[-1]

    def concept_key(self, iri) -> str:
        found = self.concepts.get(iri)
        return found[1] if found else str(iri).rsplit("/", 1)[-1]

    def labels(self, iris) -> dict[URIRef, str]:
        """{iri: label} of resources (rdfs:label, else skos:prefLabel, else dcterms:title)."""
        iris = {i for i in iris if isinstance(i, URIRef)}
        out = {i: self.concepts[i][0] for i in iris if i in self.concepts}
        rest = iris - set(out)
        if rest:
            for s, p, label in self.rows(
                f"SELECT DISTINCT ?s ?p ?l WHERE {{ {_values('s', rest)} ?s ?p ?l "
                "FILTER(?p IN (rdfs:label, skos:prefLabel, dcterms:title)) }"
            ):
                if s not in out or str(p).endswith("#label"):
                    out[s] = str(label)
        for i, body in self.authorities.items():
            if i in out:
                out[i] = body.name
        return out

    # ------------------------------------------------------------------ home

    def search(self, text: str, limit: int = 50) -> tuple[list[dict], int]:
        """Agencies and authorities whose name (any of their names) holds ``text``, case
        folded; authorities first, then by name. (matches, how many in all)."""
        wanted = " ".join(text.casefold().split())
        if not wanted:
            return [], 0
        best: dict[URIRef, dict] = {}
        for agency, label, key, kind in self.agency_names:
            if wanted not in key:
                continue
            found = best.setdefault(
                agency,
                {
                    "iri": agency,
                    "label": self.authorities[agency].name if agency in self.authorities else label,
                    "type": self.concept_label(kind),
                    "authority": agency in self.authorities,
                    "exact": False,
                },
            )
            found["exact"] = found["exact"] or key == wanted
        ranked = sorted(
            best.values(),
            key=lambda r: (not r["exact"], not r["authority"], r["label"].casefold()),
        )
        return ranked[:limit], len(ranked)

    def nearest_names(self, text: str, n: int = 5) -> list[tuple[URIRef, str]]:
        """Agencies whose names are nearest ``text`` (for a misspelt search)."""
        import difflib

        by_key: dict[str, URIRef] = {}
        for agency, _label, key, _kind in self.agency_names:
            by_key.setdefault(key, agency)
        wanted = " ".join(text.casefold().split())
        found: list[tuple[URIRef, str]] = []
        for key in difflib.get_close_matches(wanted, list(by_key), n=n * 2, cutoff=0.6):
            agency = by_key[key]
            if all(agency != a for a, _ in found):
                found.append((agency, self.labels([agency]).get(agency, key)))
        return found[:n]

    def authorities_by_region(self) -> list[tuple[str, list[Authority]]]:
        by_region: dict[str, list[Authority]] = defaultdict(list)
        labels = {n: label for label, n in self.concepts.values()}
        for body in self.authorities.values():
            by_region[labels.get(body.region, body.region) or "(no region)"].append(body)
        return [
            (region, sorted(bodies, key=lambda b: b.name.casefold()))
            for region, bodies in sorted(by_region.items())
        ]

    # ------------------------------------------------------------------ any resource

    def exists(self, iri: URIRef) -> bool:
        return bool(self.store.query(f"ASK {{ {iri.n3()} ?p ?o }}").boolean)

    def types(self, iri: URIRef) -> set[URIRef]:
        return {t for (t,) in self.rows(f"SELECT DISTINCT ?t WHERE {{ {iri.n3()} a ?t }}")}

    def is_authority(self, iri: URIRef) -> bool:
        return iri in self.authorities

    def describe(self, iri: URIRef, limit: int = 500) -> tuple[list[tuple], int]:
        """(property, value) pairs of ``iri``, at most ``limit``; and how many in all."""
        rows = self.rows(
            f"SELECT DISTINCT ?p ?o WHERE {{ {iri.n3()} ?p ?o }} ORDER BY ?p ?o LIMIT {limit + 1}"
        )
        total = len(rows)
        if total > limit:
            (count,) = self.rows(
                f"SELECT (COUNT(*) AS ?n) WHERE {{ SELECT DISTINCT ?p ?o WHERE "
                f"{{ {iri.n3()} ?p ?o }} }}"
            )[0]
            total = int(count)
        return rows[:limit], total

    def incoming(self, iri: URIRef, limit: int = 50) -> tuple[list[tuple], int]:
        """(subject, property) pairs pointing at ``iri``, at most ``limit``; and the total.

        Up to :data:`SORTED_INCOMING` pairs are listed in order of property and subject;
        past that (a class or a concept most of the graph points at: every finding points
        at ``ig:Finding``) the first ones of each property in the store's own order, since
        sorting them all took the engine 40 s on the national store."""
        (count,) = self.rows(
            f"SELECT (COUNT(*) AS ?n) WHERE {{ SELECT DISTINCT ?s ?p WHERE "
            f"{{ ?s ?p {iri.n3()} }} }}"
        )[0]
        total = int(count)
        if total <= SORTED_INCOMING:
            rows = self.rows(
                f"SELECT DISTINCT ?s ?p WHERE {{ ?s ?p {iri.n3()} }} ORDER BY ?p ?s LIMIT {limit}"
            )
            return rows, total
        rows: list[tuple] = []
        for (prop,) in self.rows(f"SELECT DISTINCT ?p WHERE {{ ?s ?p {iri.n3()} }} ORDER BY ?p"):
            if len(rows) >= limit:
                break
            rows += [
                (s, prop)
                for (s,) in self.rows(
                    f"SELECT DISTINCT ?s WHERE {{ ?s {prop.n3()} {iri.n3()} }} "
                    f"LIMIT {limit - len(rows)}"
                )
            ]
        return rows, total

    def ontology_terms(self) -> list[tuple[URIRef, URIRef, str]]:
        """(term, kind, label) of the ontology's classes, properties and concept schemes."""
        rows = self.rows(
            "PREFIX owl: <http://www.w3.org/2002/07/owl#> SELECT DISTINCT ?t ?kind ?label WHERE "
            "{ ?t a ?kind ; rdfs:label|skos:prefLabel ?label . FILTER(?kind IN (owl:Class, "
            "owl:ObjectProperty, owl:DatatypeProperty, skos:ConceptScheme)) "
            f'FILTER(STRSTARTS(STR(?t), "{IG}")) }}'
        )
        return sorted(((t, k, str(label)) for t, k, label in rows), key=lambda r: (str(r[1]), r[2]))

    # ------------------------------------------------------------------ findings

    def findings(self, iris) -> dict[URIRef, FindingView]:
        """The facts of the findings ``iris``, by one VALUES join."""
        iris = list(dict.fromkeys(iris))
        out = {f: FindingView(iri=f) for f in iris}
        if not iris:
            return out
        props = ", ".join(URIRef(p).n3() for p in _FINDING_PROPS)
        for f, p, o in self.rows(
            f"SELECT DISTINCT ?f ?p ?o WHERE {{ {_values('f', iris)} ?f ?p ?o "
            f"FILTER(?p IN ({props})) }}"
        ):
            name = _FINDING_PROPS[str(p)]
            finding = out[f]
            if name in _LIST_PROPS:
                getattr(finding, name).append(o)
            elif name == "start":
                finding.start = int(o)
            elif name in ("polarity", "inspection", "report"):
                if getattr(finding, name) is None or str(o) < str(getattr(finding, name)):
                    setattr(finding, name, o)
            else:
                setattr(finding, name, str(o))
        for finding in out.values():
            finding.themes.sort(key=self.concept_label)
        return out

    def reports(self, iris) -> dict[URIRef, Report]:
        iris = {i for i in iris if i is not None}
        out = {r: Report(iri=r) for r in iris}
        if not iris:
            return out
        for r, p, o in self.rows(
            f"SELECT DISTINCT ?r ?p ?o WHERE {{ {_values('r', iris)} ?r ?p ?o FILTER(?p IN "
            "(dcterms:title, dcterms:issued, rdfs:seeAlso, dcterms:identifier)) }"
        ):
            report = out[r]
            name = str(p).rsplit("/", 1)[-1].rsplit("#", 1)[-1]
            if name == "title":
                report.title = str(o)
            elif name == "issued":
                report.issued = str(o)
            elif name == "seeAlso":
                report.link = str(o)
            elif name == "identifier" and not str(o).startswith("sha256:"):
                report.identifier = str(o)
        return out

    # ------------------------------------------------------------------ authorities

    def inspections_of(self, body: URIRef) -> list[dict]:
        """The inspections of an authority, oldest first, with their type, grades and
        how many findings they hold."""
        found: dict[URIRef, dict] = {}
        for i, date, label, kind in self.rows(
            f"SELECT DISTINCT ?i ?date ?label ?type WHERE {{ ?i ig:inspectedBody {body.n3()} ; "
            "dcterms:date ?date ; rdfs:label ?label ; ig:inspectionType ?type }"
        ):
            found.setdefault(
                i, {"iri": i, "date": str(date), "label": str(label), "type": kind, "grades": {}}
            )
        for i, area, grade in self.rows(
            f"SELECT DISTINCT ?i ?area ?grade WHERE {{ ?i ig:inspectedBody {body.n3()} ; "
            "ig:judgement ?j . ?j ig:area ?area ; ig:grade ?grade }"
        ):
            if i in found:
                found[i]["grades"][area] = grade
        counts = dict(
            self.rows(
                f"SELECT ?i (COUNT(DISTINCT ?f) AS ?n) WHERE {{ ?i ig:inspectedBody {body.n3()} . "
                "?f ig:fromInspection ?i } GROUP BY ?i"
            )
        )
        for i, row in found.items():
            row["findings"] = int(counts.get(i, 0))
        return sorted(found.values(), key=lambda r: (r["date"], str(r["iri"])))

    def theme_counts(self, scope: str) -> dict[URIRef, dict[URIRef, int]]:
        """{theme: {polarity: findings}} of the findings ``scope`` (a pattern binding ?f)
        chooses."""
        out: dict[URIRef, dict[URIRef, int]] = defaultdict(dict)
        for theme, pol, n in self.rows(
            f"SELECT ?theme ?pol (COUNT(DISTINCT ?f) AS ?n) WHERE {{ {scope} "
            "?f dcterms:subject ?theme ; ig:polarity ?pol } GROUP BY ?theme ?pol"
        ):
            out[theme][pol] = int(n)
        return out

    def findings_by_theme(
        self, body: URIRef, polarities: set[URIRef] | None, per_theme: int = PER_THEME
    ) -> tuple[dict[URIRef, dict[URIRef, int]], dict[URIRef, list[FindingView]]]:
        """The findings of an authority's inspections by theme, of the ``polarities``
        (None: all): ``{theme: {polarity: count}}`` and the latest ``per_theme`` findings
        of each theme, from one pass over the authority's findings."""
        chosen: dict[URIRef, list[tuple[str, URIRef]]] = defaultdict(list)
        counts: dict[URIRef, dict[URIRef, int]] = defaultdict(lambda: defaultdict(int))
        for f, theme, date, pol in self.rows(
            f"SELECT DISTINCT ?f ?theme ?date ?pol WHERE {{ ?i ig:inspectedBody {body.n3()} ; "
            "dcterms:date ?date . ?f ig:fromInspection ?i ; dcterms:subject ?theme ; "
            "ig:polarity ?pol }"
        ):
            if polarities is None or pol in polarities:
                chosen[theme].append((str(date), f))
                counts[theme][pol] += 1
        picked = {
            theme: sorted(set(items), key=lambda x: (x[0], str(x[1])), reverse=True)[:per_theme]
            for theme, items in chosen.items()
        }
        facts = self.findings(f for items in picked.values() for _, f in items)
        out = {}
        for theme, items in picked.items():
            shown = []
            for date, f in items:
                facts[f].date = date
                shown.append(facts[f])
            shown.sort(key=lambda x: (x.date, -(x.start or 0)), reverse=True)
            out[theme] = shown
        return {t: dict(c) for t, c in counts.items()}, out

    def finding_page(self, scope: str, page: int) -> tuple[list[FindingView], int]:
        """One page of the findings ``scope`` (a pattern binding ?f and ?date) chooses, and
        how many it chooses: latest inspection first, each report's findings in reading
        order (their place in it; findings without one, from records, after them)."""
        rows = self.rows(f"SELECT DISTINCT ?f ?date WHERE {{ {scope} }}")
        dates = {f: str(d) for f, d in rows}
        starts = {
            f: int(n)
            for f, n in self.rows(
                f"SELECT DISTINCT ?f ?start WHERE {{ {scope} ?f ig:start ?start }}"
            )
        }
        reports = dict(
            self.rows(f"SELECT DISTINCT ?f ?r WHERE {{ {scope} ?f prov:wasDerivedFrom ?r }}")
        )
        order = sorted(
            dates,
            key=lambda f: (f not in starts, str(reports.get(f, "")), starts.get(f, 0), str(f)),
        )
        order.sort(key=lambda f: dates[f], reverse=True)  # stable: reading order within
        chosen = order[(page - 1) * PAGE_SIZE : page * PAGE_SIZE]
        facts = self.findings(chosen)
        for f in chosen:
            facts[f].date = dates[f]
        return [facts[f] for f in chosen], len(dates)

    def partnerships(self, body: URIRef, limit: int = 15) -> list[dict]:
        """Pairs of agencies criticised together in the authority's inspections, with
        their lift against chance (:mod:`graph.partnerships`), strongest first."""
        with self._lock:
            if body in self._partnerships:
                return self._partnerships[body]
        from ...analysis.partnerships import partnership_graph_from_store, recurring_partnerships

        label = self.rows(f"SELECT ?l WHERE {{ {body.n3()} rdfs:label ?l }} LIMIT 1")
        if not label:
            return []
        G = partnership_graph_from_store(self.store, la=str(label[0][0]), resamples=500)
        rows = recurring_partnerships(G, min_inspections=1)[:limit]
        with self._lock:
            self._partnerships[body] = rows
        return rows

    # ------------------------------------------------------------------ agencies

    def agency_authorities(self, agency: URIRef) -> list[tuple[URIRef, int]]:
        """The authorities in whose inspections findings name ``agency``, most first."""
        rows = self.rows(
            f"SELECT ?council (COUNT(DISTINCT ?f) AS ?n) WHERE {{ ?f ig:concerns "
            f"{agency.n3()} ; ig:fromInspection ?i . ?i ig:inspectedBody ?council }} "
            "GROUP BY ?council"
        )
        return sorted(((c, int(n)) for c, n in rows), key=lambda r: (-r[1], str(r[0])))

    def named_with(self, agency: URIRef) -> list[tuple[URIRef, int, int]]:
        """Agencies named in the same findings as ``agency``: (agency, findings, of which
        criticisms -- weakness or mixed, as the co-criticism analysis counts them), most
        first."""

        def counts(extra: str) -> dict[URIRef, int]:
            return {
                other: int(n)
                for other, n in self.rows(
                    f"SELECT ?other (COUNT(DISTINCT ?f) AS ?n) WHERE {{ ?f ig:concerns "
                    f"{agency.n3()} , ?other . FILTER(?other != {agency.n3()}) {extra} }} "
                    "GROUP BY ?other"
                )
            }

        every = counts("")
        criticised = counts(
            "?f ig:polarity ?pol . FILTER(?pol IN (ig:polarity\\/weakness, ig:polarity\\/mixed))"
        )
        ranked = sorted(every, key=lambda o: (-every[o], str(o)))
        return [(o, every[o], criticised.get(o, 0)) for o in ranked]

    # ------------------------------------------------------------------ inspections

    def inspection(self, iri: URIRef) -> dict:
        """An inspection's facts, judgements and reports."""
        facts: dict = {"iri": iri, "inspectors": [], "grades": {}, "types": []}
        single = {
            "http://www.w3.org/2000/01/rdf-schema#label": "label",
            "http://purl.org/dc/terms/date": "date",
            IG + "startDate": "start",
            IG + "endDate": "end",
            IG + "inspectedBody": "body",
            "http://purl.org/dc/terms/description": "description",
            "http://www.w3.org/2000/01/rdf-schema#comment": "comment",
        }
        for p, o in self.rows(f"SELECT DISTINCT ?p ?o WHERE {{ {iri.n3()} ?p ?o }}"):
            name = single.get(str(p))
            if name:
                facts.setdefault(name, o)
            elif str(p) == IG + "inspectionType":
                facts["types"].append(o)
            elif str(p) == "http://www.w3.org/ns/prov#wasAssociatedWith":
                facts["inspectors"].append(o)
        for area, grade in self.rows(
            f"SELECT DISTINCT ?area ?grade WHERE {{ {iri.n3()} ig:judgement ?j . "
            "?j ig:area ?area ; ig:grade ?grade }"
        ):
            facts["grades"][area] = grade
        reports = [
            r
            for (r,) in self.rows(
                f"SELECT DISTINCT ?r WHERE {{ ?r prov:wasGeneratedBy {iri.n3()} ; a ig:Report }}"
            )
        ]
        facts["reports"] = sorted(self.reports(reports).values(), key=lambda r: str(r.iri))
        return facts
