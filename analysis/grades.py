"""``inspectgraph grades``: the graded judgements as a table, one row per authority and
inspection with the judgement areas as columns, or (``latest``) one row per authority
with its latest and previous grades, as the sector's summary sheets lay them out."""

from __future__ import annotations

import datetime as dt

from rdflib import URIRef

from ..sources.authorities import authorities
from .scope import Scope

__all__ = ["GRADE_COLUMNS", "area_order", "grade_rows"]

#: The columns every row starts with; the judgement areas follow.
GRADE_COLUMNS = [
    "authority",
    "gss",
    "dfe_code",
    "region",
    "inspection",
    "inspection_type",
    "date",
    "report",
]

_QUERY = """
PREFIX ig: <https://w3id.org/inspectgraph/def/>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX dcterms: <http://purl.org/dc/terms/>
PREFIX prov: <http://www.w3.org/ns/prov#>
SELECT ?inspection ?council ?date ?typeKey ?areaKey ?gradeKey ?link WHERE {
  %s
  ?inspection ig:inspectedBody ?council ;
              ig:judgement ?j ;
              dcterms:date ?date .
  ?j ig:area/skos:notation ?areaKey ;
     ig:grade/skos:notation ?gradeKey .
  OPTIONAL { ?inspection ig:inspectionType/skos:notation ?typeKey }
  OPTIONAL { ?report prov:wasGeneratedBy ?inspection ; rdfs:seeAlso ?link }
}
"""


def area_order(areas) -> list[str]:
    """Overall effectiveness first, then the other areas by key."""
    return sorted(areas, key=lambda a: (a != "overall_effectiveness", a))


def grade_rows(
    store,
    *,
    la: str = "",
    region: str = "",
    since: str = "",
    until: str = "",
    latest: bool = False,
    bodies: dict | None = None,
) -> tuple[list[str], list[dict]]:
    """``(columns, rows)``: each graded inspection in scope (``since``/``until`` bound its
    date), oldest first per authority; with ``latest``, each authority's latest graded
    inspection with the previous one's date, type and grades in ``previous_*`` columns.
    An area an inspection did not grade is ``""``.  ``bodies``: the store's
    :func:`~inspectgraph.sources.authorities.authorities`, when the caller has them already."""
    scope = Scope(la, region, since, until).checked()
    councils = scope.councils(store)
    if councils is not None and not councils:
        return GRADE_COLUMNS, []
    values = ""
    if councils is not None:
        values = f"VALUES ?council {{ {' '.join(c.n3() for c in sorted(councils))} }}"
    bodies = authorities(store) if bodies is None else bodies
    inspections: dict[URIRef, dict] = {}
    areas: set[str] = set()
    for inspection, council, date, type_key, area, grade, link in store.query(_QUERY % values).rows:
        day = dt.date.fromisoformat(str(date)[:10])
        if not scope.covers(day):
            continue
        body = bodies.get(council)
        row = inspections.setdefault(
            inspection,
            {
                "authority": body.name if body else str(council),
                "gss": body.gss if body else "",
                "dfe_code": body.dfe_code if body else "",
                "region": body.region if body else "",
                "inspection": str(inspection),
                "inspection_type": str(type_key or ""),
                "date": day.isoformat(),
                "report": "",
                "_grades": {},
            },
        )
        if link is not None and (not row["report"] or str(link) < row["report"]):
            row["report"] = str(link)
        row["_grades"][str(area)] = str(grade)
        areas.add(str(area))
    order = area_order(areas)
    rows = sorted(inspections.values(), key=lambda r: (r["authority"], r["date"], r["inspection"]))
    for r in rows:
        grades = r.pop("_grades")
        r.update({a: grades.get(a, "") for a in order})
    if not latest:
        return GRADE_COLUMNS + order, rows
    return _latest(rows, order)


def _latest(rows: list[dict], order: list[str]) -> tuple[list[str], list[dict]]:
    """One row per authority: its last graded inspection, then the one before."""
    by_authority: dict[str, list[dict]] = {}
    for r in rows:  # oldest first within each authority
        by_authority.setdefault(r["authority"], []).append(r)
    carried = ["inspection", "inspection_type", "date", "report", *order]
    columns = GRADE_COLUMNS + order + [f"previous_{c}" for c in carried]
    out = []
    for history in by_authority.values():
        last = history[-1]
        previous = history[-2] if len(history) > 1 else {}
        out.append({**last, **{f"previous_{c}": previous.get(c, "") for c in carried}})
    return columns, out
