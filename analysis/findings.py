"""``inspectgraph findings``: one tidy row per finding, with the words it quotes.

Every filter is checked before the store is asked (an unknown authority, region, theme,
agency, agency type or inspection type is an error naming the nearest valid ones), then
turned into IRIs, so the queries match concepts and bodies as IRIs rather than by text.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Collection, Iterator

from rdflib import XSD, Literal, URIRef

from ..graph.evidence import finding_evidence, report_sections, section_at
from ..model.keys import check_agency, resolve_key
from ..model.rdfmap import name_key
from ..sources.authorities import authorities
from .grades import GRADE_COLUMNS
from .scope import Scope

__all__ = ["FINDING_COLUMNS", "findings_pages", "findings_rows"]

#: The columns of ``inspectgraph findings``, in order.
FINDING_COLUMNS = [
    "finding",
    *GRADE_COLUMNS,  # the authority and inspection columns, as `grades` has them
    "ofsted_page",
    "section",
    "section_heading",
    "polarity",
    "cue",
    "themes",
    "agency_types",
    "agencies",
    "quote",
    "start",
    "end",
]

_PREFIXES = """
PREFIX ig: <https://w3id.org/inspectgraph/def/>
PREFIX org: <http://www.w3.org/ns/org#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX dcterms: <http://purl.org/dc/terms/>
PREFIX prov: <http://www.w3.org/ns/prov#>
"""

_AGENCY_IRIS = (
    _PREFIXES
    + """
SELECT DISTINCT ?agency WHERE {
  ?agency ig:nameKey ?wanted ; org:classification ?type .
}
"""
)


def _values(var: str, terms) -> str:
    return f"VALUES ?{var} {{ {' '.join(t.n3() for t in sorted(terms))} }}"


def _scope(
    store,
    scope: Scope,
    *,
    polarity: str,
    theme: str,
    agency: str,
    agency_type: str,
    inspection_type: str,
    inspections: Collection[URIRef] | None = None,
) -> str | None:
    """The graph pattern that chooses the findings (``None``: nothing can match)."""
    from ..ontology import concept

    blocks: list[str] = []
    if inspections is not None:
        if not inspections:
            return None
        blocks.append(_values("inspection", inspections))
    councils = scope.councils(store)
    if councils is not None:
        if not councils:
            return None
        blocks.append(_values("council", councils))
    blocks.append("?inspection ig:inspectedBody ?council ; dcterms:date ?date .")
    if inspection_type:
        key = resolve_key("inspection-types", inspection_type)
        blocks.append(f"?inspection ig:inspectionType {concept('inspection-types', key).n3()} .")
    blocks.append("?finding ig:fromInspection ?inspection .")
    if polarity:
        keys = {resolve_key("polarity", p.strip()) for p in polarity.split(",")}
        blocks.append(_values("pol", {concept("polarity", k) for k in keys}))
        blocks.append("?finding ig:polarity ?pol .")
    if theme:
        key = resolve_key("themes", theme)
        blocks.append(f"?finding dcterms:subject {concept('themes', key).n3()} .")
    if agency:
        check_agency(store, agency)
        rows = store.query(_AGENCY_IRIS, {"wanted": Literal(name_key(agency))}).rows
        blocks.append(_values("chosenAgency", {r[0] for r in rows}))
        blocks.append("?finding ig:concerns ?chosenAgency .")
    if agency_type:
        key = resolve_key("agency-types", agency_type)
        blocks.append(
            "?finding ig:concerns ?typedAgency . "
            f"?typedAgency org:classification {concept('agency-types', key).n3()} ."
        )
    for bound, day, op in ((scope.since, scope.first, ">="), (scope.until, scope.last, "<=")):
        if bound:
            blocks.append(f"FILTER(?date {op} {Literal(day.isoformat(), datatype=XSD.date).n3()})")
    return "\n  ".join(blocks)


def findings_rows(
    store,
    *,
    la: str = "",
    region: str = "",
    since: str = "",
    until: str = "",
    polarity: str = "",
    theme: str = "",
    agency: str = "",
    agency_type: str = "",
    inspection_type: str = "",
    inspections: Collection[URIRef] | None = None,
) -> list[dict]:
    """One dict per finding (keys :data:`FINDING_COLUMNS`), ordered by date, authority and
    position in the report. ``polarity`` may name several keys joined by commas; themes,
    agency types and agencies are lists; ``inspections`` (IRIs) narrows to the findings of
    those inspections."""
    scope = _scope(
        store,
        Scope(la, region, since, until),
        polarity=polarity,
        theme=theme,
        agency=agency,
        agency_type=agency_type,
        inspection_type=inspection_type,
        inspections=inspections,
    )
    return _rows(store, scope)


def _rows(store, scope: str | None, lists: tuple | None = None, bodies: dict | None = None):
    """The rows of :func:`findings_rows` for the findings ``scope`` chooses; ``lists``
    (:func:`_broad_lists` of every finding) and ``bodies`` (:func:`authorities`), when
    given, are used rather than read again (a page of :func:`findings_pages`)."""
    if scope is None:
        return []
    main = store.query(
        _PREFIXES
        + f"""
SELECT ?finding ?inspection ?council ?date ?polarityKey WHERE {{
  {scope}
  ?finding ig:polarity/skos:notation ?polarityKey .
}}"""
    ).rows
    # optional facts by plain joins of their own: Oxigraph does not carry the scope's
    # VALUES into an OPTIONAL, which then reads the whole store
    wanted = {row[0] for row in main}
    if lists is not None:
        types, links, themes, agencies, reports = lists
    elif len(wanted) > _BROAD:
        types, links, themes, agencies, reports = _broad_lists(store, wanted)
    else:
        types = _lists(
            store, scope, "?inspection ig:inspectionType/skos:notation ?value .", ("value",)
        )
        links = _lists(
            store,
            scope,
            "?finding prov:wasDerivedFrom ?report . ?report rdfs:seeAlso ?value .",
            ("value",),
        )
        reports = _lists(store, scope, "?finding prov:wasDerivedFrom ?value .", ("value",))
        themes = _lists(store, scope, "?finding dcterms:subject/skos:notation ?value .", ("value",))
        agencies = _lists(
            store,
            scope,
            "?finding ig:concerns ?a . "
            "?a rdfs:label ?value ; org:classification/skos:notation ?type .",
            ("value", "type"),
        )
    sections = report_sections(store, {URIRef(v) for rows in reports.values() for (v,) in rows})
    bodies = authorities(store) if bodies is None else bodies
    seen: dict[URIRef, dict] = {}
    for finding, inspection, council, date, pol in main:
        if finding in seen:
            continue
        body = bodies.get(council)
        # one value where the graph has several: the first in order, for a stable table
        type_key = min((v for (v,) in types.get(finding, ())), default="")
        link = min((v for (v,) in links.get(finding, ())), default="")
        seen[finding] = {
            "finding": str(finding),
            "authority": body.name if body else "",
            "gss": body.gss if body else "",
            "dfe_code": body.dfe_code if body else "",
            "region": body.region if body else "",
            "inspection": str(inspection),
            "inspection_type": type_key,
            "date": str(date),
            "report": link,
            "ofsted_page": body.ofsted_page if body else "",
            "_report": min((v for (v,) in reports.get(finding, ())), default=""),
            "polarity": str(pol),
            "themes": sorted({v for (v,) in themes.get(finding, ())}),
            "agency_types": sorted({t for _, t in agencies.get(finding, ())}),
            "agencies": sorted({v for v, _ in agencies.get(finding, ())}),
        }
    evidence = finding_evidence(store, set(seen))
    rows = []
    for finding, row in seen.items():
        ev = evidence.get(finding)
        row["cue"] = ev.cue if ev and ev.cue is not None else ""
        row["quote"] = ev.quote if ev and ev.quote is not None else ""
        row["start"] = ev.start if ev else None
        row["end"] = ev.end if ev else None
        # the section is read from the report's ig:sections by the finding's start
        report = row.pop("_report")
        runs = sections.get(URIRef(report), "") if report else ""
        row["section"], row["section_heading"] = section_at(runs, row["start"])
        rows.append({c: row[c] for c in FINDING_COLUMNS})
    rows.sort(
        key=lambda r: (
            r["date"],
            r["authority"],
            r["inspection"],
            r["start"] if r["start"] is not None else -1,
            r["finding"],
        )
    )
    return rows


#: Findings read at a time by :func:`findings_pages` (whole inspections, so a few more).
PAGE = 10_000

_INSPECTIONS = (
    _PREFIXES
    + """
SELECT ?inspection ?council ?date (COUNT(?finding) AS ?findings) WHERE {
  ?inspection ig:inspectedBody ?council ; dcterms:date ?date .
  ?finding ig:fromInspection ?inspection .
} GROUP BY ?inspection ?council ?date
"""
)


def findings_pages(store, page: int | None = None) -> Iterator[dict]:
    """Every finding's row, as :func:`findings_rows` gives them and in its order, read a
    page of about ``page`` findings at a time: the release writes the national table
    without holding every row.

    Inspections are taken in the table's order (date, authority, inspection), whole, so
    the pages, each sorted, follow one another as the single table would. The small facts
    of every finding (types, links, themes, agencies, reports) are read once, pattern by
    pattern, as the whole table reads them; only the quotes and rows are paged."""
    page = page or PAGE
    bodies = authorities(store)
    order: dict[URIRef, tuple] = {}
    counts: dict[URIRef, int] = defaultdict(int)
    for inspection, council, date, findings in store.query(_INSPECTIONS).rows:
        body = bodies.get(council)
        key = (str(date), body.name if body else "", str(inspection))
        order[inspection] = min(order.get(inspection, key), key)
        counts[inspection] = max(counts[inspection], int(findings))
    lists = _broad_lists(store, None)

    def _page(inspections: list[URIRef]) -> list[dict]:
        scope = _scope(
            store,
            Scope(),
            polarity="",
            theme="",
            agency="",
            agency_type="",
            inspection_type="",
            inspections=inspections,
        )
        return _rows(store, scope, lists, bodies)

    chosen: list[URIRef] = []
    size = 0
    for inspection in sorted(order, key=order.__getitem__):
        chosen.append(inspection)
        size += counts[inspection]
        if size >= page:
            yield from _page(chosen)
            chosen, size = [], 0
    if chosen:
        yield from _page(chosen)


# Above this many findings, their facts are read for every finding of the store, each by one
# pattern, the small tables (notations, agencies, reports) joined in Python: repeating the
# scope's joins in every query cost several times more (the whole store: 34 s against 10 s).
_BROAD = 20_000


def _pairs(store, pattern: str) -> list[tuple]:
    """Rows of ``pattern``, its variables in their order of appearance."""
    names = " ".join(dict.fromkeys(re.findall(r"\?\w+", pattern)))
    return store.query(_PREFIXES + f"SELECT {names} WHERE {{ {pattern} }}").rows


def _broad_lists(store, wanted: set | None) -> tuple[dict, dict, dict, dict, dict]:
    """The lists of :func:`_lists` for ``wanted`` findings (``None``: every finding), read
    for every finding."""
    notations: dict = defaultdict(list)
    for concept, key in _pairs(store, "?c skos:notation ?k ."):
        notations[concept].append(str(key))
    finding_inspection: dict = defaultdict(list)
    for finding, inspection in _pairs(store, "?f ig:fromInspection ?i ."):
        if wanted is None or finding in wanted:
            finding_inspection[finding].append(inspection)
    inspection_types: dict = defaultdict(list)
    for inspection, concept in _pairs(store, "?i ig:inspectionType ?t ."):
        inspection_types[inspection] += [(k,) for k in notations.get(concept, ())]
    seen_also: dict = defaultdict(list)
    for report, value in _pairs(store, "?r rdfs:seeAlso ?v ."):
        seen_also[report].append((str(value),))
    agency_rows: dict = defaultdict(list)
    for agency, label, concept in _pairs(store, "?a rdfs:label ?l ; org:classification ?t ."):
        agency_rows[agency] += [(str(label), k) for k in notations.get(concept, ())]
    types, links, themes, agencies, reports = (defaultdict(set) for _ in range(5))
    for finding, inspections in finding_inspection.items():
        for inspection in inspections:
            types[finding].update(inspection_types.get(inspection, ()))
    for finding, report in _pairs(store, "?f prov:wasDerivedFrom ?r ."):
        if wanted is None or finding in wanted:
            links[finding].update(seen_also.get(report, ()))
            reports[finding].add((str(report),))
    for finding, concept in _pairs(store, "?f dcterms:subject ?t ."):
        if wanted is None or finding in wanted:
            themes[finding].update((k,) for k in notations.get(concept, ()))
    for finding, agency in _pairs(store, "?f ig:concerns ?a ."):
        if wanted is None or finding in wanted:
            agencies[finding].update(agency_rows.get(agency, ()))
    return types, links, themes, agencies, reports


def _lists(store, scope: str, pattern: str, names: tuple[str, ...]) -> dict:
    """``{finding: [(value, ...), ...]}`` for a pattern over the chosen findings."""
    variables = " ".join(f"?{n}" for n in names)
    out: dict[URIRef, list[tuple[str, ...]]] = defaultdict(list)
    rows = store.query(
        _PREFIXES + f"SELECT DISTINCT ?finding {variables} WHERE {{\n  {scope}\n  {pattern}\n}}"
    ).rows
    for finding, *values in rows:
        out[finding].append(tuple(str(v) for v in values))
    return out
