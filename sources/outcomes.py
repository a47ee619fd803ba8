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
``python -m inspectgraph.sources.outcomes FILE... --out data/outcomes.csv``).
"""

from __future__ import annotations

import csv
import datetime as dt
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path

from rdflib import RDFS, Graph, Literal
from rdflib.namespace import DCTERMS

from ..errors import InputError, ProblemsError
from ..ontology import concept, concept_label
from .registry import Registry, load_registry

__all__ = [
    "FAMILY",
    "OutcomeInspection",
    "Outcomes",
    "OutcomesError",
    "bundled_outcomes",
    "inspection_id",
    "iter_outcome_rows",
    "outcomes_graph",
    "read_outcomes",
    "write_outcomes_csv",
]

# inspection type -> the family that names it in identifiers (standard and short ILACS
# inspections are one family: some files do not say which an inspection was)
FAMILY = {
    "safeguarding_and_lac": "slac",
    "safeguarding_reinspection": "slac-safeguarding-reinspection",
    "lac_reinspection": "slac-lac-reinspection",
    "child_protection_inspection": "cpi",
    "child_protection_reinspection": "cpi-reinspection",
    "lac_targeted_inspection": "tlac",
    "sif_inspection": "sif",
    "sif_reinspection": "sif-reinspection",
    "ilacs_standard": "ilacs",
    "ilacs_short": "ilacs",
    "ilacs_inspection": "ilacs",
    "focused_visit": "focused-visit",
    "monitoring_visit": "monitoring-visit",
    "jtai": "jtai",
    "area_send": "area-send",
    "lscb_review": "lscb-review",
}
TYPE_TEXT = {
    "ilacs standard inspection": "ilacs_standard",
    "ilacs short inspection": "ilacs_short",
    "ilacs focused visit": "focused_visit",
    "la monitoring visit": "monitoring_visit",
    "ilacs monitoring visit": "monitoring_visit",
    "joint targeted area inspection": "jtai",
}
GRADE_TEXT = {
    "outstanding": "outstanding",
    "good": "good",
    "requires improvement to be good": "requires_improvement",
    "requires improvement": "requires_improvement",
    "inadequate": "inadequate",
}
EMPTY = {"", "-", "–", "n/a", "na", ".", "x"}
# A visit theme as Ofsted's files give it -> the theme of our scheme it is about.
THEME_TEXT = {
    "front door": "front_door",
    "children in need/subject to a plan": "child_protection",
    "children in care": "children_in_care",
    "care leavers": "care_leavers",
    "achieving permanence": "children_in_care",
    "vulnerable adolescents": "exploitation_and_missing",
}


class OutcomesError(ProblemsError):
    """Bad rows in official outcome files; ``problems`` has one line per problem."""


def inspection_id(la: str, inspection_type: str, published: dt.date) -> str:
    """The stable identifier of an inspection.

    >>> inspection_id("sunderland", "ilacs_standard", dt.date(2021, 8, 20))
    'sunderland-ilacs-2021-08-20'
    >>> inspection_id("sunderland", "sif_reinspection", dt.date(2018, 7, 25))
    'sunderland-sif-reinspection-2018-07-25'
    """
    return f"{la}-{FAMILY[inspection_type]}-{published.isoformat()}"


@dataclass
class OutcomeInspection:
    """One inspection as the official files describe it."""

    la: str
    type: str
    published: dt.date | None
    start: dt.date | None = None
    judgements: dict[str, str] = field(default_factory=dict)
    visit_theme: str | None = None
    sources: list[str] = field(default_factory=list)  # "file row N"
    notes: list[str] = field(default_factory=list)  # where Ofsted's files disagree
    rank: int = 0  # precedence of the source that set the facts (see _RANK)

    @property
    def family(self) -> str:
        return FAMILY[self.type]

    @property
    def id(self) -> str:
        assert self.published is not None
        return inspection_id(self.la, self.type, self.published)


@dataclass
class Outcomes:
    """The reconciled inspections of some official files."""

    inspections: dict[str, OutcomeInspection] = field(default_factory=dict)
    files: list[str] = field(default_factory=list)
    unplaced: list[str] = field(default_factory=list)  # rows without a publication date
    rows: int = 0

    @property
    def authorities(self) -> set[str]:
        return {x.la for x in self.inspections.values()}


# ---------------------------------------------------------------------- reading tables


def _norm(header: str) -> str:
    return " ".join(header.replace("\n", " ").split()).strip().lower()


def _tables(path: Path) -> Iterator[tuple]:
    """(sheet, header, header as written, [(row number, cells)], former) for every table.

    A table starts at a row whose first cell is "Web link"; rows follow until a row whose
    name cell is empty. A title row mentioning authorities "that existed before the
    restructure" marks the next table as one of former authorities.
    """
    if path.suffix.lower() == ".ods":
        from .ods import read_sheets

        sheets = read_sheets(path)
    elif path.suffix.lower() in (".csv", ".txt"):
        try:
            with path.open(encoding="utf-8-sig", newline="") as fh:
                rows = list(csv.reader(fh))
        except UnicodeDecodeError as exc:
            raise InputError(f"{path}: not UTF-8 text ({exc.reason} at byte {exc.start})") from exc
        sheets = [(path.stem, rows)]
    else:
        raise InputError(f"{path}: expected an Ofsted outcomes file (.csv or .ods)")
    for sheet, rows in sheets:
        former = False
        i = 0
        while i < len(rows):
            cells = rows[i]
            first = cells[0].strip() if cells else ""
            if (
                first
                and len([c for c in cells if c.strip()]) == 1
                and "before the restructure" in first.lower()
            ):
                former = True
            if first.lower() == "web link":
                header = [_norm(c) for c in cells]
                written = [" ".join(c.split()) for c in cells]
                body = []
                i += 1
                while i < len(rows):
                    r = rows[i]
                    if not r or not any(c.strip() for c in r[1:3]):
                        break
                    if r[0].strip().lower() == "web link":
                        break
                    if any(c.strip() for c in r[len(header) :]):
                        raise InputError(
                            f"{path.name} row {i + 1}: {len(r)} cells, more cells "
                            f"than the header's {len(header)}"
                        )
                    body.append((i + 1, r))
                    i += 1
                yield sheet, header, written, body, former
                continue
            i += 1


def _kind(header: list[str]) -> str | None:
    h = set(header)
    if any("slac" in c for c in header):
        return "history"
    if "local authority status" in h and "inspection type" in h:
        return "ilacs_history"
    if "inspection/visit type" in h:
        return "in_year"
    if "overall effectiveness" in h:
        return "latest"
    return None


def _date(text: str) -> dt.date | None:
    text = text.strip()
    if text.lower() in EMPTY:
        return None
    m = re.match(r"^(\d{4})-(\d{2})-(\d{2})(?:[ T]\d{2}:\d{2}(?::\d{2})?)?$", text)
    if m:
        return dt.date(int(m[1]), int(m[2]), int(m[3]))
    m = re.match(r"^(\d{1,2})/(\d{1,2})/(\d{4})$", text)
    if m:
        return dt.date(int(m[3]), int(m[2]), int(m[1]))
    raise ValueError(f"unreadable date {text!r}")


def _grade(text: str) -> str | None:
    t = " ".join(text.split()).lower()
    if t in EMPTY:
        return None
    if t in GRADE_TEXT:
        return GRADE_TEXT[t]
    raise ValueError(f"unknown grade {text.strip()!r}")


# column of the framework history -> (group, field); groups become inspections
_HISTORY_COLUMNS = [
    (
        r"^safeguarding & looked after children \(slac\) inspection publication date",
        ("slac", "published"),
    ),
    (r"^slac safeguarding overall", ("slac", "safeguarding_effectiveness")),
    (r"^slac looked after children overall", ("slac", "looked_after_children_effectiveness")),
    (r"^slac re-inspection of safeguarding publication date", ("slac_s", "published")),
    (r"^slac re-inspection safeguarding oe", ("slac_s", "safeguarding_effectiveness")),
    (
        r"^slac re-inspection of services for children looked after publication date",
        ("slac_l", "published"),
    ),
    (
        r"^slac re-inspection of services children looked after oe",
        ("slac_l", "looked_after_children_effectiveness"),
    ),
    (r"^child protection inspections \(cpi\) publication date", ("cpi", "published")),
    (r"^cpi overall", ("cpi", "overall_effectiveness")),
    (r"^child protection re-inspection \(cpri\) publication date", ("cpri", "published")),
    (r"^cpri overall", ("cpri", "overall_effectiveness")),
    (
        r"^targeted looked after children \(tlac\) inspection publication date",
        ("tlac", "published"),
    ),
    (r"^tlac overall", ("tlac", "overall_effectiveness")),
    (r"first sif publication date", ("sif", "published")),
    (r"^first sif overall judgement", ("sif", "overall_effectiveness")),
    (r"^first sif children who need help", ("sif", "help_and_protection")),
    (r"^first sif children looked after", ("sif", "children_in_care_and_care_leavers")),
    (r"^first sif cla sub: adoption", ("sif", "adoption_performance")),
    (r"^first sif cla sub: experiences", ("sif", "experiences_of_care_leavers")),
    (r"^first sif leadership", ("sif", "impact_of_leaders")),
    (r"^lscb overall effectiveness", ("sif", "lscb_effectiveness")),
    (r"sif re-inspection publication date", ("sifr", "published")),
    (r"^sif re-inspection overall judgement", ("sifr", "overall_effectiveness")),
    (r"^sif re-inspection children who need help", ("sifr", "help_and_protection")),
    (r"^sif re-inspection children looked after", ("sifr", "children_in_care_and_care_leavers")),
    (r"^sif re-inspection cla sub: adoption", ("sifr", "adoption_performance")),
    (r"^sif re-inspection cla sub: experiences", ("sifr", "experiences_of_care_leavers")),
    (r"^sif re-inspection leadership", ("sifr", "impact_of_leaders")),
    (r"^(first )?ilacs framework inspection type", ("ilacs1", "type")),
    (r"^(first )?ilacs framework publication date", ("ilacs1", "published")),
    (r"^(first )?ilacs framework overall effectiveness", ("ilacs1", "overall_effectiveness")),
    (r"^(first )?ilacs framework impact of leaders", ("ilacs1", "impact_of_leaders")),
    (
        r"^(first )?ilacs framework experiences and progress of children who need help",
        ("ilacs1", "help_and_protection"),
    ),
    (
        r"^(first )?ilacs framework experiences and progress of children in care and care leavers",
        ("ilacs1", "children_in_care_and_care_leavers"),
    ),
    (r"^second ilacs framework inspection type", ("ilacs2", "type")),
    (r"^second ilacs framework publication date", ("ilacs2", "published")),
    (r"^second ilacs framework overall effectiveness", ("ilacs2", "overall_effectiveness")),
    (r"^second ilacs framework impact of leaders", ("ilacs2", "impact_of_leaders")),
    (
        r"^second ilacs framework experiences and progress of children who need help",
        ("ilacs2", "help_and_protection"),
    ),
    (
        r"^second ilacs framework experiences and progress of children in care$",
        ("ilacs2", "children_in_care"),
    ),
    (
        r"^second ilacs framework experiences and progress of care leavers",
        ("ilacs2", "care_leavers"),
    ),
]
_GROUP_TYPE = {
    "slac": "safeguarding_and_lac",
    "slac_s": "safeguarding_reinspection",
    "slac_l": "lac_reinspection",
    "cpi": "child_protection_inspection",
    "cpri": "child_protection_reinspection",
    "tlac": "lac_targeted_inspection",
    "sif": "sif_inspection",
    "sifr": "sif_reinspection",
}
_ILACS_AREAS = [
    (r"^(the )?impact of leaders", "impact_of_leaders"),
    (r"children who need help and protection$", "help_and_protection"),
    (r"children in care and care leavers$", "children_in_care_and_care_leavers"),
    (r"children in care$", "children_in_care"),
    (r"care leavers$", "care_leavers"),
    (r"^overall effectiveness$", "overall_effectiveness"),
]


def _history_columns(header: list[str], where: str) -> dict[int, tuple[str, str]]:
    out = {}
    for i, h in enumerate(header):
        if i < 4:
            continue
        for pattern, target in _HISTORY_COLUMNS:
            if re.search(pattern, h):
                out[i] = target
                break
        else:
            if h:
                raise InputError(f"{where}: unknown column {h!r} in the framework history")
    return out


def _ilacs_columns(header: list[str]) -> dict[int, str]:
    out = {}
    for i, h in enumerate(header):
        for pattern, area in _ILACS_AREAS:
            if re.search(pattern, h):
                out[i] = area
                break
    return out


def _combine_care(judgements: dict[str, str]) -> dict[str, str]:
    """Before January 2023 ILACS judged children in care and care leavers together; the
    files give that judgement in the "children in care" column with "care leavers" empty."""
    if "children_in_care" in judgements and "care_leavers" not in judgements:
        judgements = dict(judgements)
        judgements["children_in_care_and_care_leavers"] = judgements.pop("children_in_care")
    return judgements


def iter_outcome_rows(path: str | Path) -> Iterator[dict]:
    """Every data row of an official file, read but not yet checked against the registry:
    dicts with ``file``, ``row``, ``kind``, ``name``, ``gss``, ``web_link``, ``former``,
    ``status``, and ``facts`` (a list of dicts: ``type``, ``published``, ``start``,
    ``judgements``, ``visit_theme``) or ``problems`` (lines)."""
    path = Path(path)
    if not path.exists():
        raise InputError(f"{path}: no such file")
    if path.is_dir():
        raise InputError(f"{path}: is a directory, expected an Ofsted outcomes file")
    found_table = False
    for sheet, header, written, body, former in _tables(path):
        kind = _kind(header)
        if kind is None:
            continue
        found_table = True
        where_file = f"{path.name}" + (f" [{sheet}]" if path.suffix.lower() == ".ods" else "")
        col = {h: i for i, h in enumerate(header)}
        history = _history_columns(header, where_file) if kind == "history" else {}
        areas = _ilacs_columns(header) if kind != "history" else {}

        def cell(row, name, _col=col):
            i = _col.get(name)
            return row[i].strip() if i is not None and i < len(row) else ""

        for number, row in body:
            out = {
                "file": where_file,
                "row": number,
                "kind": kind,
                "name": cell(row, "local authority name"),
                "gss": cell(row, "local authority area code"),
                "web_link": row[0].strip() if row else "",
                "former": former,
                "status": cell(row, "local authority status"),
                "facts": [],
                "problems": [],
            }
            where = f"{where_file} row {number}"
            try:
                if kind == "history":
                    groups: dict[str, dict] = {}
                    for i, (group, fld) in history.items():
                        value = row[i].strip() if i < len(row) else ""
                        g = groups.setdefault(group, {"judgements": {}})
                        try:
                            if fld == "published":
                                g["published"] = _date(value)
                            elif fld == "type":
                                g["type_text"] = value
                            else:
                                grade = _grade(value)
                                if grade:
                                    g["judgements"][fld] = grade
                        except ValueError as exc:
                            out["problems"].append(f"{where}: {exc} in column {written[i]!r}")
                    for group, g in groups.items():
                        if not g.get("published"):
                            if g["judgements"]:
                                out["problems"].append(
                                    f"{where}: grades without a publication date ({group})"
                                )
                            continue
                        if group.startswith("ilacs"):
                            t = g.get("type_text", "")
                            itype = TYPE_TEXT.get(_norm(t)) if t else "ilacs_inspection"
                            if itype is None:
                                out["problems"].append(f"{where}: unknown inspection type {t!r}")
                                continue
                        else:
                            itype = _GROUP_TYPE[group]
                        out["facts"].append(
                            {
                                "type": itype,
                                "published": g["published"],
                                "start": None,
                                "judgements": _combine_care(g["judgements"]),
                                "visit_theme": None,
                            }
                        )
                else:
                    if kind == "ilacs_history":
                        type_text = cell(row, "inspection type")
                    elif kind == "in_year":
                        type_text = cell(row, "inspection/visit type")
                    else:
                        type_text = ""
                    itype = TYPE_TEXT.get(_norm(type_text)) if type_text else "ilacs_inspection"
                    if itype is None:
                        raise ValueError(f"unknown inspection type {type_text!r}")
                    start = _date(
                        cell(row, "inspection date") or cell(row, "inspection/visit date")
                    )
                    published = _date(cell(row, "publication date"))
                    judgements = {}
                    for i, area in areas.items():
                        try:
                            grade = _grade(row[i] if i < len(row) else "")
                        except ValueError as exc:
                            out["problems"].append(f"{where}: {exc} in column {written[i]!r}")
                            continue
                        if grade:
                            judgements[area] = grade
                    theme = cell(row, "visit theme") or None
                    if start is None and published is None:
                        raise ValueError("no inspection date and no publication date")
                    if start and published and published < start:
                        raise ValueError(
                            f"published {published} before the inspection began {start}"
                        )
                    out["facts"].append(
                        {
                            "type": itype,
                            "published": published,
                            "start": start,
                            "judgements": _combine_care(judgements),
                            "visit_theme": theme,
                            "dated_source": "publication date" in col,
                        }
                    )
            except ValueError as exc:
                out["problems"].append(f"{where}: {exc}")
            if not out["name"] and not out["gss"]:
                out["problems"].append(f"{where}: no local authority name or code")
            yield out
    if not found_table:
        raise InputError(
            f"{path}: no table of Ofsted inspection outcomes found (expected a "
            "header row starting 'Web link')"
        )


# When Ofsted's files disagree about one inspection (they do: Merton's 2022 inspection is a
# standard inspection in the 2023 statistics and a short one in the 2025 ILACS history), the
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


def main(argv: list[str] | None = None) -> int:
    """``python -m inspectgraph.sources.outcomes FILE... --out data/outcomes.csv``"""
    import argparse

    parser = argparse.ArgumentParser(prog="python -m inspectgraph.sources.outcomes")
    parser.add_argument("files", nargs="+", type=Path)
    parser.add_argument("--out", type=Path, required=True)
    args = parser.parse_args(argv)
    outcomes = read_outcomes(args.files)
    write_outcomes_csv(outcomes, args.out)
    print(
        f"wrote {len(outcomes.inspections)} inspections of {len(outcomes.authorities)} "
        f"authorities to {args.out} ({len(outcomes.unplaced)} rows without a publication "
        "date left out)"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
