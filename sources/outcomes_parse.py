"""Reading one official outcome file (a CSV sheet or an ``.ods`` workbook) into rows of facts,
the sheet recognised by its header row (:func:`iter_outcome_rows`)."""

from __future__ import annotations

import csv
import datetime as dt
import re
from collections.abc import Iterator
from pathlib import Path

from ..errors import InputError
from .outcomes_model import EMPTY, GRADE_TEXT, TYPE_TEXT

# ---------------------------------------------------------------------- reading tables


__all__ = [
    "iter_outcome_rows",
]


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
