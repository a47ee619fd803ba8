"""``inspectgraph trends``: how criticism of each theme moves over the years and across
inspection frameworks, and how grades move between an authority's successive inspections.

Plain data only (lists of dicts); :mod:`inspectgraph.viz.trends` draws them.

Two shares are given for each theme and group (a year, a framework or an inspection type),
always beside the counts they divide:

- ``critical_share`` = ``critical / findings``: of the group's findings that touch the
  theme, the fraction of the chosen polarity (by default weakness or mixed: every finding
  that criticises): how critical inspectors are when they write about the theme;
- ``theme_share_of_critical`` = ``critical / all_critical``: of the group's findings of
  the chosen polarity (any theme), the fraction that touch the theme: how much of the
  criticism is about it. A finding may touch several themes, so these do not sum to 1.

A finding counts in the group of its inspection: the year of the inspection's date, its
framework (the ``ig:frameworks`` concept its type is ``skos:broadMatch``, else the type
itself: ``jtai``, ``area_send``, ``lscb_review``), or its inspection type.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from dataclasses import dataclass
from functools import lru_cache

from rdflib import URIRef

from ..model.keys import resolve_key
from .scope import Scope

__all__ = [
    "BY",
    "CRITICISM",
    "GRADE_ORDER",
    "THEME_COLUMNS",
    "TRANSITION_COLUMNS",
    "InspectionFacts",
    "framework_of",
    "inspection_facts",
    "polarity_keys",
    "theme_counts",
    "theme_trends",
    "transitions",
]

#: The polarities counted as criticism unless told otherwise (as `partnerships`).
CRITICISM = "weakness,mixed"

#: What ``--by`` may group findings by, and the column each gives.
BY = {"year": "year", "framework": "framework", "inspection-type": "inspection_type"}

#: The columns of the theme table after the grouping columns.
THEME_COLUMNS = [
    "theme",
    "findings",
    "critical",
    "critical_share",
    "all_critical",
    "theme_share_of_critical",
]

#: The columns of the transitions table.
TRANSITION_COLUMNS = [
    "area",
    "from_grade",
    "to_grade",
    "transitions",
    "from_total",
    "share_of_from",
    "authorities",
    "median_years",
]

#: Grades best first, the order of the transitions table and figure.
GRADE_ORDER = ["outstanding", "good", "requires_improvement", "inadequate"]

_PREFIXES = """
PREFIX ig: <https://w3id.org/inspectgraph/def/>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX dcterms: <http://purl.org/dc/terms/>
"""


@dataclass(frozen=True)
class InspectionFacts:
    """What the trends need of an inspection: its authority, date, type and framework."""

    council: URIRef
    date: dt.date
    type: str
    framework: str


@lru_cache(maxsize=1)
def _frameworks() -> dict[str, str]:
    from rdflib.namespace import SKOS

    from ..ontology import concept_keys, ontology_graph

    g = ontology_graph()
    by_iri = {iri: key for key, iri in concept_keys("frameworks").items()}
    out = {}
    for key, iri in concept_keys("inspection-types").items():
        matched = sorted(by_iri[m] for m in g.objects(iri, SKOS.broadMatch) if m in by_iri)
        out[key] = matched[0] if matched else key
    return out


def framework_of(inspection_type: str) -> str:
    """The framework key of an inspection type (the type itself where it has none).

    >>> framework_of("focused_visit"), framework_of("sif_reinspection"), framework_of("jtai")
    ('ilacs', 'sif', 'jtai')
    """
    return _frameworks().get(inspection_type, inspection_type)


def polarity_keys(polarity: str) -> list[str]:
    """The polarity keys of ``"weakness,mixed"`` (checked; ``""``: every polarity)."""
    from ..model.concepts import concept_keys

    if not polarity.strip():
        return sorted(concept_keys("polarity"))
    return sorted({resolve_key("polarity", p.strip()) for p in polarity.split(",")})


def _values(var: str, terms) -> str:
    return f"VALUES ?{var} {{ {' '.join(t.n3() for t in sorted(terms))} }}"


def _council_block(councils: set[URIRef] | None) -> str:
    if councils is None:
        return ""
    return _values("council", councils) + "\n  ?inspection ig:inspectedBody ?council ."


def inspection_facts(store, councils: set[URIRef] | None = None) -> dict[URIRef, InspectionFacts]:
    """Every inspection of ``councils`` (all when ``None``) with its date, type and framework."""
    rows = store.query(
        _PREFIXES
        + f"""SELECT ?inspection ?council ?date ?typeKey WHERE {{
  {_council_block(councils)}
  ?inspection ig:inspectedBody ?council ; dcterms:date ?date .
  OPTIONAL {{ ?inspection ig:inspectionType/skos:notation ?typeKey }}
}}"""
    ).rows
    out: dict[URIRef, InspectionFacts] = {}
    for inspection, council, date, type_key in rows:
        kind = str(type_key or "")
        old = out.get(inspection)
        if old is not None and old.type <= kind:  # several types: the first by key, stably
            continue
        out[inspection] = InspectionFacts(
            council, dt.date.fromisoformat(str(date)[:10]), kind, framework_of(kind)
        )
    return out


def theme_counts(store, councils: set[URIRef] | None = None) -> tuple[Counter, Counter]:
    """``(by_theme, totals)``: findings counted by ``(inspection, polarity key, theme key)``
    and by ``(inspection, polarity key)``, for the inspections of ``councils`` (all when
    ``None``). Two grouped counts in the store rather than a row per finding; concepts are
    grouped as IRIs and named in Python (joining their notations doubles the time). The
    findings are counted distinct: an inspection described by two sources (Ofsted's
    outcomes and a records file) states its ``ig:inspectedBody`` twice, and Oxigraph's
    union default graph then joins each finding twice."""
    from ..model.concepts import concept_keys

    polarity = {iri: key for key, iri in concept_keys("polarity").items()}
    themes = {iri: key for key, iri in concept_keys("themes").items()}
    block = _council_block(councils)
    by_theme: Counter = Counter()
    for inspection, pol, theme, n in store.query(
        _PREFIXES
        + f"""SELECT ?inspection ?pol ?theme (COUNT(DISTINCT ?finding) AS ?n) WHERE {{
  {block}
  ?finding ig:fromInspection ?inspection ; ig:polarity ?pol ; dcterms:subject ?theme .
}} GROUP BY ?inspection ?pol ?theme"""
    ).rows:
        if pol in polarity and theme in themes:
            by_theme[inspection, polarity[pol], themes[theme]] += int(n)
    totals: Counter = Counter()
    for inspection, pol, n in store.query(
        _PREFIXES
        + f"""SELECT ?inspection ?pol (COUNT(DISTINCT ?finding) AS ?n) WHERE {{
  {block}
  ?finding ig:fromInspection ?inspection ; ig:polarity ?pol .
}} GROUP BY ?inspection ?pol"""
    ).rows:
        if pol in polarity:
            totals[inspection, polarity[pol]] += int(n)
    return by_theme, totals


def _group(facts: InspectionFacts, by: tuple[str, ...]) -> tuple[str, ...]:
    values = {
        "year": str(facts.date.year),
        "framework": facts.framework,
        "inspection-type": facts.type,
    }
    return tuple(values[b] for b in by)


def theme_trends(
    store,
    *,
    by: tuple[str, ...] = ("year",),
    polarity: str = CRITICISM,
    la: str = "",
    region: str = "",
    since: str = "",
    until: str = "",
    min_findings: int = 1,
) -> tuple[list[str], list[dict]]:
    """``(columns, rows)``: one row per group (the ``by`` columns: ``year``,
    ``framework``, ``inspection_type``) and theme, with the counts and shares of the
    module's docstring; rows whose theme has fewer than ``min_findings`` findings in the
    group are left out. ``polarity`` names the critical polarities (keys joined by commas)."""
    unknown = [b for b in by if b not in BY]
    if unknown or not by:
        raise ValueError(f"group by one or more of {', '.join(BY)}, not {by!r}")
    critical_keys = set(polarity_keys(polarity))
    scope = Scope(la, region, since, until).checked()
    councils = scope.councils(store)
    columns = [BY[b] for b in by] + THEME_COLUMNS
    if councils is not None and not councils:
        return columns, []
    facts = inspection_facts(store, councils)
    by_theme, totals = theme_counts(store, councils)
    findings: Counter = Counter()
    critical: Counter = Counter()
    all_critical: Counter = Counter()
    for (inspection, pol, theme), n in by_theme.items():
        f = facts.get(inspection)
        if f is None or not scope.covers(f.date):
            continue
        group = _group(f, by)
        findings[group, theme] += n
        if pol in critical_keys:
            critical[group, theme] += n
    for (inspection, pol), n in totals.items():
        f = facts.get(inspection)
        if f is not None and pol in critical_keys and scope.covers(f.date):
            all_critical[_group(f, by)] += n
    rows = []
    for group, theme in sorted(findings):
        n = findings[group, theme]
        if n < min_findings:
            continue
        c = critical[group, theme]
        total = all_critical[group]
        rows.append(
            {
                **dict(zip(columns, group, strict=False)),
                "theme": theme,
                "findings": n,
                "critical": c,
                "critical_share": round(c / n, 4),
                "all_critical": total,
                "theme_share_of_critical": round(c / total, 4) if total else None,
            }
        )
    return columns, rows


def _successive(history: list[dict], area: str) -> list[tuple[dict, dict]]:
    graded = [r for r in history if r.get(area)]
    return list(zip(graded, graded[1:], strict=False))


def transitions(
    store,
    *,
    area: str = "overall_effectiveness",
    la: str = "",
    region: str = "",
    since: str = "",
    until: str = "",
) -> list[dict]:
    """Grade transitions between successive inspections of an authority that graded
    ``area`` (both dated within ``since``/``until``): one row per from -> to pair seen,
    best grade first, with how many transitions, how many left the from grade
    (``from_total``) and the share of those (``share_of_from``), how many authorities made
    them and the median years between the two inspections."""
    from statistics import median

    from .grades import grade_rows

    area = resolve_key("areas", area)
    _columns, rows = grade_rows(store, la=la, region=region, since=since, until=until)
    by_authority: dict[str, list[dict]] = defaultdict(list)
    for r in rows:  # oldest first within each authority
        by_authority[r["gss"] or r["authority"]].append(r)
    pairs: dict[tuple[str, str], list[tuple[str, float]]] = defaultdict(list)
    for who, history in by_authority.items():
        for before, after in _successive(history, area):
            gap = (
                dt.date.fromisoformat(after["date"]) - dt.date.fromisoformat(before["date"])
            ).days / 365.25
            pairs[before[area], after[area]].append((who, gap))
    leaving = Counter()
    for (start, _end), seen in pairs.items():
        leaving[start] += len(seen)

    def rank(grade: str) -> int:
        return GRADE_ORDER.index(grade) if grade in GRADE_ORDER else len(GRADE_ORDER)

    out = []
    for (start, end), seen in sorted(
        pairs.items(), key=lambda kv: (rank(kv[0][0]), rank(kv[0][1]))
    ):
        out.append(
            {
                "area": area,
                "from_grade": start,
                "to_grade": end,
                "transitions": len(seen),
                "from_total": leaving[start],
                "share_of_from": round(len(seen) / leaving[start], 4),
                "authorities": len({who for who, _ in seen}),
                "median_years": round(median(g for _, g in seen), 1),
            }
        )
    return out
