"""Ofsted's official outcome files -> inspections with dates, types and graded judgements.

Reads the files as Ofsted publishes them, CSV sheets or whole ``.ods`` workbooks:

- *latest judgements* ("Inspections_as_at_31_March", "LA_level_at_31_Mar_2023"),
- *in-year activity* ("In-year_inspections", "LA_level_in_year_2022-23": visit type and
  theme),
- the *ILACS inspection history* 2018-2025 ("ILACS_inspection_history"),
- the *framework history* 2009-2023 ("LA_inspections_2009-2023", 45 columns, two tables:
  authorities that exist and those that existed before the restructures).

The sheet is recognised by its header row, so a file may be renamed. Every row is checked;
a bad row (unknown authority, unreadable date, unknown grade or inspection type, an
inspection published before it began, two files disagreeing about one inspection) is
reported on one line naming the file, the row and the problem, and nothing is built.

One inspection is stored once however many files list it. Its identifier is derived from
facts every file agrees on: the authority, the inspection's family (SIF, ILACS, focused
visit, ...) and its publication date -- ``sunderland-ilacs-2021-08-20`` -- which is also
its ``dcterms:date`` (docs/records-format.md). The two 2023 sheets give only the date an
inspection began; their rows are matched to a row of another file with the same authority,
family and start date, and rows that match none (the 2022-23 visits, whose publication dates
no file gives) are reported and left out.

The package bundles what these files say as ``data/outcomes.csv`` (regenerate with
``python -m tools.generate_outcomes FILE... --out data/outcomes.csv``).
"""

from __future__ import annotations

import csv
import datetime as dt
import re
from importlib import resources
from pathlib import Path

from rdflib import RDFS, Graph, Literal
from rdflib.namespace import DCTERMS

from ..ontology import concept, concept_label
from .outcomes_model import FAMILY, THEME_TEXT, OutcomeInspection, Outcomes, OutcomesError
from .outcomes_parse import iter_outcome_rows
from .registry import Registry, load_registry

# When Ofsted's files disagree about one inspection (they do: Merton's 2022 inspection is a
# standard inspection in the 2023 statistics and a short one in the 2025 ILACS history), the
__all__ = [
    "bundled_outcomes",
    "outcomes_graph",
    "read_outcomes",
    "write_outcomes_csv",
]

# more specific and more recent source wins and the disagreement is kept as a note:
# the ILACS history, then the 2025 tables (which give publication dates), then the
# 2009-2023 framework history, then the 2023 tables that give only start dates.
_RANK = {"ilacs_history": 4, "dated": 3, "history": 2, "undated": 1}


def _rank(kind: str, fact: dict) -> int:
    if kind in ("ilacs_history", "history"):
        return _RANK[kind]
    return _RANK["dated"] if fact.get("dated_source") else _RANK["undated"]


def _is_lookup(path: Path) -> bool:
    if path.suffix.lower() != ".csv":
        return False
    with path.open(encoding="utf-8-sig", errors="replace") as fh:
        return "la_code_new" in fh.readline()


# ---------------------------------------------------------------------- reconciling


def read_outcomes(paths, registry: Registry | None = None) -> Outcomes:
    """Read and reconcile official outcome files; raise :class:`OutcomesError` listing
    every bad row, or return the inspections they describe, each once."""
    registry = registry or load_registry()
    problems: list[str] = []
    result = Outcomes()
    dated: list[tuple[str, dict, str]] = []
    undated: list[tuple[str, dict, str]] = []
    for path in map(Path, paths):
        if _is_lookup(path):
            result.files.append(path.name)  # codes come from the bundled registry (its source)
            continue
        result.files.append(path.name)
        for row in iter_outcome_rows(path):
            result.rows += 1
            where = f"{row['file']} row {row['row']}"
            problems.extend(row["problems"])
            la = registry.find_la(name=None, gss=row["gss"]) if row["gss"] else None
            la = la or registry.find_la(name=row["name"], former=row["former"])
            if la is None:
                problems.append(f"{where}: unknown local authority {row['name'] or row['gss']!r}")
                continue
            for fact in row["facts"]:
                fact = {**fact, "rank": _rank(row["kind"], fact)}
                (dated if fact["published"] else undated).append((la.key, fact, where))
    # dated facts first, then undated ones matched by (authority, family, start date)
    for la, fact, where in sorted(dated, key=lambda t: -t[1]["rank"]):
        _merge(result, la, fact, where, problems)
    by_start = {(x.la, x.family, x.start): x for x in result.inspections.values() if x.start}
    for la, fact, where in undated:
        match = by_start.get((la, FAMILY[fact["type"]], fact["start"]))
        if match is None and fact["type"] == "ilacs_inspection":
            match = next(
                (
                    x
                    for x in result.inspections.values()
                    if x.la == la and x.family == "ilacs" and x.start == fact["start"]
                ),
                None,
            )
        if match is None:
            result.unplaced.append(
                f"{where}: {concept_label('inspection-types', fact['type'])} "
                f"of {fact['start']} has no publication date in the files given"
            )
            continue
        _merge(result, la, {**fact, "published": match.published}, where, problems)
    if problems:
        raise OutcomesError(problems)
    return result


def _merge(result: Outcomes, la: str, fact: dict, where: str, problems: list[str]) -> None:
    new = OutcomeInspection(
        la=la,
        type=fact["type"],
        published=fact["published"],
        start=fact["start"],
        judgements=dict(fact["judgements"]),
        visit_theme=fact["visit_theme"],
        sources=[where],
        rank=fact.get("rank", 0),
    )
    old = result.inspections.get(new.id)
    if old is None:
        result.inspections[new.id] = new
        return

    # The same inspection in another file: each file may add facts; where two disagree, the
    # source of higher rank (merged first) keeps its value and the disagreement is noted;
    # two sources of the same rank that disagree are an error.
    def differ(what: str, mine, theirs) -> None:
        text = f"{what} is {mine} in {where} but {theirs} in {old.sources[0]}"
        if new.rank < old.rank:
            old.notes.append(f"Ofsted's files disagree: {text}; kept {theirs}.")
        else:
            problems.append(f"{where}: {new.id} {text}")

    if new.type != old.type:
        if old.type == "ilacs_inspection":
            old.type = new.type
        elif new.type != "ilacs_inspection":
            differ("the inspection type", new.type, old.type)
    if new.start and old.start and new.start != old.start:
        differ("the start date", new.start, old.start)
    old.start = old.start or new.start
    for area, grade in new.judgements.items():
        if area in old.judgements and old.judgements[area] != grade:
            differ(area, grade, old.judgements[area])
        old.judgements.setdefault(area, grade)
    # an older file's combined judgement and a newer file's split ones are the same facts
    if (
        "children_in_care_and_care_leavers" in old.judgements
        and "children_in_care" in old.judgements
    ):
        if old.judgements.get("care_leavers") is None:
            old.judgements.pop("children_in_care")
    old.visit_theme = old.visit_theme or new.visit_theme
    old.sources.append(where)


# ---------------------------------------------------------------------- bundled facts

BUNDLED_COLUMNS = [
    "id",
    "la",
    "type",
    "start",
    "published",
    "judgements",
    "visit_theme",
    "sources",
    "notes",
]


def write_outcomes_csv(outcomes: Outcomes, out: Path) -> None:
    """Write the reconciled facts as the compact CSV the package bundles. The files each
    inspection comes from are given by number (``sources``), listed in the header."""
    names = sorted({s.split(" row ")[0] for x in outcomes.inspections.values() for s in x.sources})
    number = {name: str(i) for i, name in enumerate(names, 1)}
    with out.open("w", encoding="utf-8", newline="") as fh:
        fh.write(
            "# Ofsted's official outcome files, reconciled by inspectgraph.sources.outcomes "
            "(one row per inspection).\n"
        )
        fh.write("# Ofsted, Open Government Licence v3.0; contains Ofsted data. Sources:\n")
        for name in names:
            fh.write(f"# source {number[name]}: {name}\n")
        w = csv.writer(fh, lineterminator="\n")
        w.writerow(BUNDLED_COLUMNS)
        for x in sorted(outcomes.inspections.values(), key=lambda x: (x.la, x.published, x.id)):
            files = sorted({number[s.split(" row ")[0]] for s in x.sources}, key=int)
            w.writerow(
                [
                    x.id,
                    x.la,
                    x.type,
                    x.start.isoformat() if x.start else "",
                    x.published.isoformat(),
                    ";".join(f"{a}={g}" for a, g in sorted(x.judgements.items())),
                    x.visit_theme or "",
                    "|".join(files),
                    " ".join(x.notes),
                ]
            )


def _read_bundled(text: str) -> Outcomes:
    result = Outcomes()
    names = {}
    for line in text.splitlines():
        m = re.match(r"^# source (\d+): (.+)$", line)
        if m:
            names[m[1]] = m[2]
    result.files = list(names.values())
    lines = [ln for ln in text.splitlines() if not ln.startswith("#")]
    for row in csv.DictReader(lines):
        judgements = dict(part.split("=", 1) for part in row["judgements"].split(";") if part)
        x = OutcomeInspection(
            la=row["la"],
            type=row["type"],
            published=dt.date.fromisoformat(row["published"]),
            start=dt.date.fromisoformat(row["start"]) if row["start"] else None,
            judgements=judgements,
            visit_theme=row["visit_theme"] or None,
            sources=[names[n] for n in row["sources"].split("|")],
            notes=[row["notes"]] if row["notes"] else [],
        )
        result.inspections[x.id] = x
    return result


def bundled_outcomes() -> Outcomes:
    """The national judgement history shipped with the package."""
    text = resources.files("inspectgraph").joinpath("data", "outcomes.csv").read_text("utf-8")
    return _read_bundled(text)


# ---------------------------------------------------------------------- RDF


def outcomes_graph(
    outcomes: Outcomes, registry: Registry | None = None, graph: Graph | None = None
) -> Graph:
    """The inspections as RDF, in the same shape as records (``rdfmap``) gives them, so
    that an inspection a records file also describes gets identical triples."""
    from ..model.rdfmap import PREFIXES, add_inspection, add_judgements, agency_iri

    registry = registry or load_registry()
    g = graph if graph is not None else Graph()
    for prefix, ns in PREFIXES.items():
        g.bind(prefix, ns)
    for x in outcomes.inspections.values():
        council = agency_iri(registry.la(x.la).council_id)
        s = add_inspection(g, x.id, x.type, council, x.published, start=x.start)
        if x.visit_theme:
            g.add((s, DCTERMS.description, Literal(x.visit_theme)))
            theme = THEME_TEXT.get(x.visit_theme.strip().lower())
            if theme:
                g.add((s, DCTERMS.subject, concept("themes", theme)))
        for note in x.notes:
            g.add((s, RDFS.comment, Literal(note)))
        add_judgements(g, x.id, sorted(x.judgements.items()))
    return g
