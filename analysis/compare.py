"""``inspectgraph compare --la NAME``: an authority against its statistical neighbours, its
region and England.

Three plain tables (lists of dicts), drawn by :mod:`inspectgraph.viz.trends`:

- ``grades``: the latest grade in each judgement area of the authority and of each of its
  neighbours (nearest first), with the date and type of the inspection that gave it;
- ``themes``: the theme profile of criticism. For each group (the authority, its
  neighbours together, the rest of its region, England), ``<group>_critical`` findings of
  the chosen polarity (by default weakness or mixed) touch the theme, out of
  ``<group>_all_critical`` findings of that polarity, and ``<group>_share_of_critical`` is
  their ratio (a finding may touch several themes: the shares do not sum to 1);
  ``ratio_to_england`` is the authority's share over England's;
- ``partnerships``: the pairs of agencies the authority's criticisms concern together, with
  their counts and lift against chance (the analysis of ``inspectgraph partnerships --la``).

The neighbours are the Department for Education's statistical neighbours, bundled by DfE
code (:mod:`inspectgraph.sources.neighbours`); region and England count the authorities that have a
neighbour list (England's current authorities), found in the store through their DfE codes.
"""

from __future__ import annotations

from collections import Counter

from rdflib import URIRef

from ..errors import InputError
from ..sources.authorities import Authority, authorities, scope_councils
from ..sources.neighbours import neighbour_codes, neighbour_lists
from .trends import CRITICISM, inspection_facts, polarity_keys, theme_counts

__all__ = [
    "GRADE_COLUMNS",
    "GROUPS",
    "PAIR_COLUMNS",
    "PARTS",
    "SUMMARY_COLUMNS",
    "THEME_COLUMNS",
    "compare",
    "grade_grid",
]

#: The tables of ``inspectgraph compare``, in order.
PARTS = ("grades", "themes", "partnerships")

GRADE_COLUMNS = [
    "authority",
    "relation",
    "rank",
    "gss",
    "dfe_code",
    "region",
    "area",
    "grade",
    "date",
    "inspection_type",
]
#: The groups of the theme profile, in order.
GROUPS = ("authority", "neighbours", "region", "england")
THEME_COLUMNS = ["theme"]
for _group in GROUPS:
    THEME_COLUMNS += [f"{_group}_critical", f"{_group}_all_critical", f"{_group}_share_of_critical"]
THEME_COLUMNS.append("ratio_to_england")
PAIR_COLUMNS = [
    "agencies",
    "findings",
    "inspections",
    "years",
    "first",
    "last",
    "expected",
    "lift",
    "lift_low",
    "lift_high",
    "p_adjusted",
]
#: How the latest overall grades of each group are spread (the grades table's summary).
SUMMARY_COLUMNS = [
    "group",
    "authorities",
    "outstanding",
    "good",
    "requires_improvement",
    "inadequate",
]


def _the_authority(store, la: str, bodies: dict[URIRef, Authority]) -> tuple[Authority, set]:
    councils = scope_councils(store, la=la) or set()  # an unknown name is an error here
    found = sorted((bodies[c] for c in councils if c in bodies), key=lambda a: not a.dfe_code)
    if not found:
        raise InputError(f"{la!r} names no inspected authority of the store")
    return found[0], councils


def compare(
    store,
    la: str,
    *,
    polarity: str = CRITICISM,
    resamples: int = 1000,
    seed: int = 0,
    parts: tuple[str, ...] = PARTS,
) -> dict:
    """The comparison of the authority ``la`` (a name, any case): ``{"authority",
    "dfe_code", "region", "neighbours", "grades", "grade_summary", "themes",
    "partnerships"}``, each table a list of dicts (see the module); only ``parts`` are
    computed (the others are empty lists). An authority without a neighbour list (a former
    one, or one the store holds no DfE code for) is an :class:`InputError`."""
    bodies = authorities(store)
    me, my_councils = _the_authority(store, la, bodies)
    codes = neighbour_codes(me.dfe_code)
    if not codes:
        raise InputError(
            f"{me.name} has no statistical neighbours (DfE code {me.dfe_code or 'unknown'}: "
            "only England's current authorities have them)"
        )
    by_code: dict[str, list[Authority]] = {}
    for body in bodies.values():
        if body.dfe_code:
            by_code.setdefault(body.dfe_code, []).append(body)
    current = set(neighbour_lists())
    neighbours = [
        {
            "rank": rank,
            "dfe_code": code,
            "authority": by_code[code][0].name if code in by_code else "",
            "in_store": code in by_code,
        }
        for rank, code in enumerate(codes, start=1)
    ]
    members = {
        "authority": set(my_councils),
        "neighbours": {b.iri for c in codes for b in by_code.get(c, ())},
        "region": {
            b.iri
            for b in bodies.values()
            if b.region == me.region and b.dfe_code in current and b.dfe_code != me.dfe_code
        },
        "england": {b.iri for b in bodies.values() if b.dfe_code in current},
    }
    out = {
        "authority": me.name,
        "dfe_code": me.dfe_code,
        "gss": me.gss,
        "region": me.region,
        "polarity": ",".join(polarity_keys(polarity)),
        "neighbours": neighbours,
        "grades": [],
        "grade_summary": [],
        "themes": [],
        "partnerships": [],
    }
    if "grades" in parts:
        out["grades"], out["grade_summary"] = _grades(store, me, codes, by_code, members, bodies)
    if "themes" in parts:
        out["themes"] = _themes(store, members, polarity)
    if "partnerships" in parts:
        out["partnerships"] = _pairs(store, la, polarity, resamples, seed)
    return out


def _grades(store, me, codes, by_code, members, bodies):
    from .grades import GRADE_COLUMNS as FIRST
    from .grades import area_order, grade_rows

    columns, rows = grade_rows(store, bodies=bodies)  # the authorities compare has read
    areas_of_store = [c for c in columns if c not in FIRST]
    latest: dict[str, dict[str, dict]] = {}  # DfE code -> area -> latest row
    for r in rows:  # oldest first within each authority
        if not r["dfe_code"]:
            continue
        for area in areas_of_store:
            if r[area]:
                latest.setdefault(r["dfe_code"], {})[area] = {**r, "area": area, "grade": r[area]}
    table = []
    for rank, code in [(0, me.dfe_code)] + list(enumerate(codes, start=1)):
        areas = latest.get(code, {})
        for area in area_order(areas):
            r = areas[area]
            table.append(
                {
                    "authority": r["authority"],
                    "relation": "authority" if rank == 0 else "neighbour",
                    "rank": rank,
                    "gss": r["gss"],
                    "dfe_code": code,
                    "region": r["region"],
                    "area": area,
                    "grade": r["grade"],
                    "date": r["date"],
                    "inspection_type": r["inspection_type"],
                }
            )
    dfe_of = {b.iri: b.dfe_code for bodies in by_code.values() for b in bodies}
    summary = []
    for group in GROUPS:
        grades = Counter()
        chosen = {dfe_of[c] for c in members[group] if c in dfe_of}
        for code in chosen:
            overall = latest.get(code, {}).get("overall_effectiveness")
            if overall:
                grades[overall["grade"]] += 1
        summary.append(
            {
                "group": group,
                "authorities": sum(grades.values()),
                **{g: grades[g] for g in SUMMARY_COLUMNS[2:]},
            }
        )
    return table, summary


def _themes(store, members, polarity):
    critical_keys = set(polarity_keys(polarity))
    facts = inspection_facts(store)
    by_theme, totals = theme_counts(store)
    council_of = {i: f.council for i, f in facts.items()}
    groups_of: dict[URIRef, list[str]] = {}
    for group, councils in members.items():
        for c in councils:
            groups_of.setdefault(c, []).append(group)
    critical: Counter = Counter()
    all_critical: Counter = Counter()
    for (inspection, pol, theme), n in by_theme.items():
        if pol in critical_keys:
            for group in groups_of.get(council_of.get(inspection), ()):
                critical[group, theme] += n
    for (inspection, pol), n in totals.items():
        if pol in critical_keys:
            for group in groups_of.get(council_of.get(inspection), ()):
                all_critical[group] += n
    themes = sorted({t for _g, t in critical})
    rows = []
    for theme in themes:
        row: dict = {"theme": theme}
        for group in GROUPS:
            c, total = critical[group, theme], all_critical[group]
            row[f"{group}_critical"] = c
            row[f"{group}_all_critical"] = total
            row[f"{group}_share_of_critical"] = round(c / total, 4) if total else None
        mine, england = row["authority_share_of_critical"], row["england_share_of_critical"]
        row["ratio_to_england"] = round(mine / england, 2) if mine is not None and england else None
        rows.append(row)
    rows.sort(key=lambda r: (-(r["authority_critical"]), r["theme"]))
    return rows


def _pairs(store, la, polarity, resamples, seed):
    from inspectgraph.analysis import partnership_graph_from_store, recurring_partnerships

    G = partnership_graph_from_store(
        store, polarity=",".join(polarity_keys(polarity)), la=la, resamples=resamples, seed=seed
    )
    return [{c: r[c] for c in PAIR_COLUMNS} for r in recurring_partnerships(G, min_inspections=1)]


def grade_grid(grades: list[dict]) -> tuple[list[str], list[dict]]:
    """The grades table laid out for reading: one row per authority (its latest graded
    inspection's date and type), one column per area graded at any of their latest
    inspections, each cell the latest grade in that area, followed by its year where an
    earlier inspection gave it."""
    from .grades import area_order

    by_authority: dict[str, list[dict]] = {}
    for r in grades:
        by_authority.setdefault(r["authority"], []).append(r)
    latest = {name: max(r["date"] for r in rows) for name, rows in by_authority.items()}
    areas = area_order(
        {
            r["area"]
            for name, rows in by_authority.items()
            for r in rows
            if r["date"] == latest[name]
        }
    )
    columns = ["authority", "relation", "rank", "date", "inspection_type", *areas]
    out = []
    for name, rows in by_authority.items():
        last = next(r for r in rows if r["date"] == latest[name])
        row = {c: last[c] for c in ("authority", "relation", "rank", "date", "inspection_type")}
        for r in rows:
            if r["area"] in areas:
                older = f" ({r['date'][:4]})" if r["date"] != latest[name] else ""
                row[r["area"]] = r["grade"] + older
        out.append({c: row.get(c, "") for c in columns})
    return columns, out
