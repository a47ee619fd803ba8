"""Curated records: the YAML a researcher writes by hand, parsed and validated.

The format is documented in ``docs/records-format.md``. Parsing is all-or-nothing:
:func:`load_records` either returns a complete :class:`Records` or raises
:class:`RecordsError` listing every problem, each naming the file and the record.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from ..errors import InputError
from .yamlload import yaml_load

__all__ = [
    "FORMAT",
    "Agency",
    "Document",
    "Finding",
    "Inspection",
    "Quote",
    "Records",
    "RecordsError",
    "load_records",
    "parse_records",
]

FORMAT = "inspectgraph-records/1"
ID_PATTERN = re.compile(r"^[a-z0-9][a-z0-9-]{0,99}$")
IDENTIFIER_KEYS = (
    "gss",
    "ofsted_urn",
    "dfe_code",
    "company_number",
    "ons_pfa",
    "ons_icb",
    "ons_ccg",
)
#: Identifiers are letters and digits only (GSS codes also name ONS geography IRIs); their
#: exact forms are checked by the SHACL shapes (ontology/shapes.ttl).
IDENTIFIER_CHARS = re.compile(r"^[A-Za-z0-9]{1,20}$")
#: Keys for the GSS code of the area an agency serves, by kind of area, with the GSS entity
#: prefixes each admits. All become ig:gssCode; an agency has at most one.
AREA_CODE_PREFIXES = {
    "gss": (),
    "ons_pfa": ("E23", "W15"),
    "ons_icb": ("E54",),
    "ons_ccg": ("E38",),
}


class RecordsError(InputError):
    """A records file is invalid; ``problems`` lists every problem found."""

    def __init__(self, source: str, problems: list[str]):
        self.problems = problems
        more = f" (and {len(problems) - 1} more)" if len(problems) > 1 else ""
        super().__init__(f"{source}: {problems[0]}{more}")


@dataclass(frozen=True)
class Agency:
    id: str
    label: str
    type: str
    alt_labels: tuple[str, ...] = ()
    description: str | None = None
    identifiers: dict[str, str] = field(default_factory=dict)
    linked_to: tuple[str, ...] = ()
    member_of: tuple[str, ...] = ()
    homepage: str | None = None
    founded: dt.date | None = None
    dissolved: dt.date | None = None


@dataclass(frozen=True)
class Document:
    id: str
    title: str
    published: dt.date
    url: str | None = None
    corpus_path: str | None = None


@dataclass(frozen=True)
class Inspection:
    id: str
    la: str
    type: str
    documents: tuple[Document, ...]
    start: dt.date | None = None
    end: dt.date | None = None
    inspectors: tuple[str, ...] = ()
    visit_theme: str | None = None
    judgements: dict[str, str] = field(default_factory=dict)
    note: str | None = None

    @property
    def date(self) -> dt.date:
        """The date an inspection is known by: its first document's publication date
        (always published, unlike fieldwork dates, and what Ofsted's files list)."""
        return self.documents[0].published


@dataclass(frozen=True)
class Quote:
    exact: str
    prefix: str | None = None
    suffix: str | None = None
    start: int | None = None
    end: int | None = None


@dataclass(frozen=True)
class Finding:
    id: str
    inspection: str
    polarity: str
    themes: tuple[str, ...]
    agencies: tuple[str, ...]
    summary: str
    document: str | None = None
    evidence: str | None = None
    quote: Quote | None = None


@dataclass(frozen=True)
class Records:
    """One validated records file."""

    source: str
    title: str | None = None
    description: str | None = None
    agencies: tuple[Agency, ...] = ()
    inspections: tuple[Inspection, ...] = ()
    findings: tuple[Finding, ...] = ()


def load_records(
    path: str | Path,
    *,
    known_agencies: frozenset[str] = frozenset(),
    known_inspections: frozenset[str] = frozenset(),
) -> Records:
    """Read and validate one YAML records file.

    ``known_agencies`` / ``known_inspections`` are ids defined elsewhere (other sources
    of the same build, or already in the store) that this file may refer to.
    """
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise RecordsError(
            str(path), [f"not UTF-8 text ({exc.reason} at byte {exc.start})"]
        ) from exc
    except OSError as exc:
        raise RecordsError(str(path), [f"cannot read: {exc.strerror or exc}"]) from exc
    return parse_records(
        text, str(path), known_agencies=known_agencies, known_inspections=known_inspections
    )


def parse_records(
    text: str,
    source: str = "<string>",
    *,
    known_agencies: frozenset[str] = frozenset(),
    known_inspections: frozenset[str] = frozenset(),
) -> Records:
    """Parse and validate records from YAML text.

    >>> r = parse_records('''
    ... format: inspectgraph-records/1
    ... agencies:
    ...   - {id: acme-council, label: Acme Council, type: local_authority}
    ... ''')
    >>> r.agencies[0].label
    'Acme Council'
    >>> parse_records("format: inspectgraph-records/1\\nagencies: [{id: x, type: police}]")
    Traceback (most recent call last):
    ...
    inspectgraph.model.records.RecordsError: <string>: agencies[0] (x): missing required key 'label'
    """
    try:
        data = yaml_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" at line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        raise RecordsError(source, [f"malformed YAML{where}: {problem}"]) from exc
    checker = _Checker(source)
    records = checker.records(data, known_agencies, known_inspections)
    if checker.problems:
        raise RecordsError(source, checker.problems)
    assert records is not None
    return records


class _Checker:
    """Collects every problem of a file rather than stopping at the first."""

    def __init__(self, source: str):
        self.source = source
        self.problems: list[str] = []

    def fail(self, where: str, message: str) -> None:
        self.problems.append(f"{where}: {message}" if where else message)

    # -- typed getters --------------------------------------------------------------

    def mapping(
        self, where: str, value: Any, required: set[str], optional: set[str]
    ) -> dict | None:
        if not isinstance(value, dict):
            self.fail(where, f"expected a mapping, got {_kind(value)}")
            return None
        for key in sorted(set(value) - required - optional, key=str):
            self.fail(where, f"unknown key {key!r}")
        for key in sorted(required - set(value)):
            self.fail(where, f"missing required key {key!r}")
        return value

    def text(self, where: str, value: Any, key: str, *, required: bool = False) -> str | None:
        v = value.get(key)
        if v is None:
            return None
        if isinstance(v, (int, float)) and not isinstance(v, bool) and key in IDENTIFIER_KEYS:
            v = str(v)
        if not isinstance(v, str):
            self.fail(where, f"{key!r} must be text, got {_kind(v)}")
            return None
        if required and not v.strip():
            self.fail(where, f"{key!r} must not be empty")
        if "\x00" in v:
            self.fail(where, f"{key!r} contains a NUL character")
            return None
        return v

    def ident(self, where: str, value: Any, key: str = "id") -> str | None:
        v = self.text(where, value, key)
        if v is not None and not ID_PATTERN.match(v):
            self.fail(where, f"{key} {v!r} must match {ID_PATTERN.pattern}")
            return None
        return v

    def date(self, where: str, value: Any, key: str) -> dt.date | None:
        v = value.get(key)
        if v is None:
            return None
        if isinstance(v, dt.datetime):
            return v.date()
        if isinstance(v, dt.date):
            return v
        if isinstance(v, str):
            try:
                return dt.date.fromisoformat(v)
            except ValueError:
                pass
        self.fail(where, f"{key!r} must be a date YYYY-MM-DD, got {v!r}")
        return None

    def texts(self, where: str, value: Any, key: str, *, min_count: int = 0) -> tuple[str, ...]:
        v = value.get(key, [])
        if isinstance(v, str):
            v = [v]
        if not isinstance(v, list) or not all(isinstance(x, str) for x in v):
            self.fail(where, f"{key!r} must be a list of text")
            return ()
        if len(v) < min_count:
            self.fail(where, f"{key!r} needs at least {min_count} item(s)")
        if len(set(v)) != len(v):
            self.fail(where, f"{key!r} lists an item twice")
        return tuple(v)

    def key_of(self, where: str, scheme: str, key: str | None) -> None:
        from ..ontology import concept_keys

        if key is not None and key not in concept_keys(scheme):
            known = ", ".join(sorted(concept_keys(scheme)))
            self.fail(where, f"unknown {scheme} key {key!r} (known: {known})")

    # -- records --------------------------------------------------------------------

    def records(
        self, data: Any, known_agencies: frozenset[str], known_inspections: frozenset[str]
    ) -> Records | None:
        top = self.mapping(
            "", data, {"format"}, {"title", "description", "agencies", "inspections", "findings"}
        )
        if top is None:
            return None
        if top.get("format") != FORMAT:
            self.fail("format", f"must be {FORMAT!r}, got {top.get('format')!r}")
        lists = {}
        for name in ("agencies", "inspections", "findings"):
            v = top.get(name)
            v = [] if v is None else v
            if not isinstance(v, list):
                self.fail(name, f"expected a list, got {_kind(v)}")
                v = []
            lists[name] = v
        agencies = [
            a
            for i, item in enumerate(lists["agencies"])
            if (a := self.agency(f"agencies[{i}]", item))
        ]
        inspections = [
            x
            for i, item in enumerate(lists["inspections"])
            if (x := self.inspection(f"inspections[{i}]", item))
        ]
        findings = [
            f
            for i, item in enumerate(lists["findings"])
            if (f := self.finding(f"findings[{i}]", item))
        ]
        self.references(agencies, inspections, findings, known_agencies, known_inspections)
        return Records(
            source=self.source,
            title=self.text("title", top, "title"),
            description=self.text("description", top, "description"),
            agencies=tuple(agencies),
            inspections=tuple(inspections),
            findings=tuple(findings),
        )

    def agency(self, where: str, item: Any) -> Agency | None:
        where = _named(where, item)
        m = self.mapping(
            where,
            item,
            {"id", "label", "type"},
            {
                "alt_labels",
                "description",
                "identifiers",
                "linked_to",
                "member_of",
                "homepage",
                "founded",
                "dissolved",
            },
        )
        if m is None:
            return None
        n = len(self.problems)
        identifiers: dict[str, str] = {}
        ids = m.get("identifiers") or {}
        if self.mapping(f"{where} identifiers", ids, set(), set(IDENTIFIER_KEYS)) is not None:
            identifiers = {
                k: v
                for k in IDENTIFIER_KEYS
                if (v := self.text(f"{where} identifiers", ids, k)) is not None
            }
            for key, value in identifiers.items():
                prefixes = AREA_CODE_PREFIXES.get(key, ())
                if not IDENTIFIER_CHARS.match(value):
                    self.fail(
                        f"{where} identifiers",
                        f"{key} {value!r} must be 1 to 20 letters and digits",
                    )
                elif prefixes and not value.startswith(prefixes):
                    self.fail(
                        f"{where} identifiers",
                        f"{key} {value!r} must start with {' or '.join(prefixes)}",
                    )
            areas = [k for k in identifiers if k in AREA_CODE_PREFIXES]
            if len(areas) > 1:
                self.fail(f"{where} identifiers", f"give one area code, not {' and '.join(areas)}")
        agency = Agency(
            id=self.ident(where, m) or "",
            label=self.text(where, m, "label", required=True) or "",
            type=self.text(where, m, "type") or "",
            alt_labels=self.texts(where, m, "alt_labels"),
            description=self.text(where, m, "description"),
            identifiers=identifiers,
            linked_to=self.texts(where, m, "linked_to"),
            member_of=self.texts(where, m, "member_of"),
            homepage=self.url(where, m, "homepage"),
            founded=self.date(where, m, "founded"),
            dissolved=self.date(where, m, "dissolved"),
        )
        self.key_of(where, "agency-types", agency.type or None)
        if agency.founded and agency.dissolved and agency.dissolved < agency.founded:
            self.fail(where, "dissolved before founded")
        return agency if len(self.problems) == n else None

    def url(self, where: str, m: dict, key: str) -> str | None:
        v = self.text(where, m, key)
        if v is not None and not re.match(r"^https?://[^\s<>\"{}|\\^`]+$", v):
            self.fail(where, f"{key!r} must be an http(s) URL without spaces, got {v!r}")
            return None
        return v

    def inspection(self, where: str, item: Any) -> Inspection | None:
        where = _named(where, item)
        m = self.mapping(
            where,
            item,
            {"id", "la", "type", "documents"},
            {"start", "end", "inspectors", "visit_theme", "judgements", "note"},
        )
        if m is None:
            return None
        n = len(self.problems)
        docs_raw = m.get("documents")
        documents: list[Document] = []
        if not isinstance(docs_raw, list) or not docs_raw:
            self.fail(where, "'documents' must be a non-empty list")
        else:
            documents = [
                d
                for i, item in enumerate(docs_raw)
                if (d := self.document(f"{where} documents[{i}]", item))
            ]
            if len({d.id for d in documents}) != len(documents):
                self.fail(where, "two documents share an id")
        judgements: dict[str, str] = {}
        raw = m.get("judgements") or {}
        if not isinstance(raw, dict):
            self.fail(where, f"'judgements' must map area keys to grade keys, got {_kind(raw)}")
        else:
            for area, grade in raw.items():
                self.key_of(f"{where} judgements", "judgement-areas", str(area))
                self.key_of(f"{where} judgements.{area}", "grades", str(grade))
                judgements[str(area)] = str(grade)
        inspection = Inspection(
            id=self.ident(where, m) or "",
            la=self.ident(where, m, "la") or "",
            type=self.text(where, m, "type") or "",
            documents=tuple(documents),
            start=self.date(where, m, "start"),
            end=self.date(where, m, "end"),
            inspectors=self.texts(where, m, "inspectors"),
            visit_theme=self.text(where, m, "visit_theme"),
            judgements=judgements,
            note=self.text(where, m, "note"),
        )
        self.key_of(where, "inspection-types", inspection.type or None)
        if inspection.start and inspection.end and inspection.end < inspection.start:
            self.fail(where, f"end {inspection.end} is before start {inspection.start}")
        if inspection.end and documents and documents[0].published < inspection.end:
            self.fail(
                where, f"published {documents[0].published} before fieldwork ended {inspection.end}"
            )
        return inspection if len(self.problems) == n else None

    def document(self, where: str, item: Any) -> Document | None:
        m = self.mapping(where, item, {"id", "title", "published"}, {"url", "corpus_path"})
        if m is None:
            return None
        n = len(self.problems)
        doc = Document(
            id=self.ident(where, m) or "",
            title=self.text(where, m, "title", required=True) or "",
            published=self.date(where, m, "published") or dt.date.min,
            url=self.url(where, m, "url"),
            corpus_path=self.text(where, m, "corpus_path"),
        )
        if doc.corpus_path and (doc.corpus_path.startswith("/") or ".." in doc.corpus_path):
            self.fail(where, "corpus_path must be relative to the corpus, without '..'")
        return doc if len(self.problems) == n else None

    def finding(self, where: str, item: Any) -> Finding | None:
        where = _named(where, item)
        m = self.mapping(
            where,
            item,
            {"id", "inspection", "polarity", "themes", "agencies", "summary"},
            {"document", "evidence", "quote"},
        )
        if m is None:
            return None
        n = len(self.problems)
        finding = Finding(
            id=self.ident(where, m) or "",
            inspection=self.ident(where, m, "inspection") or "",
            polarity=self.text(where, m, "polarity") or "",
            themes=self.texts(where, m, "themes", min_count=1),
            agencies=self.texts(where, m, "agencies", min_count=1),
            summary=self.text(where, m, "summary", required=True) or "",
            document=self.ident(where, m, "document") if "document" in m else None,
            evidence=self.text(where, m, "evidence"),
            quote=self.quote(f"{where} quote", m["quote"]) if "quote" in m else None,
        )
        self.key_of(where, "polarity", finding.polarity or None)
        for theme in finding.themes:
            self.key_of(where, "themes", theme)
        return finding if len(self.problems) == n else None

    def quote(self, where: str, item: Any) -> Quote | None:
        m = self.mapping(where, item, {"exact"}, {"prefix", "suffix", "start", "end"})
        if m is None:
            return None
        start, end = m.get("start"), m.get("end")
        for key, v in (("start", start), ("end", end)):
            if v is not None and (not isinstance(v, int) or isinstance(v, bool) or v < 0):
                self.fail(where, f"{key!r} must be a whole number >= 0, got {v!r}")
                return None
        if (start is None) != (end is None):
            self.fail(where, "'start' and 'end' go together")
        elif start is not None and end - start != len(m.get("exact") or ""):
            self.fail(
                where,
                f"end - start = {end - start} but 'exact' has "
                f"{len(m.get('exact') or '')} characters",
            )
        exact = self.text(where, m, "exact", required=True)
        return Quote(
            exact or "", self.text(where, m, "prefix"), self.text(where, m, "suffix"), start, end
        )

    def references(
        self,
        agencies: list[Agency],
        inspections: list[Inspection],
        findings: list[Finding],
        known_agencies: frozenset[str],
        known_inspections: frozenset[str],
    ) -> None:
        agency_ids = _unique(self, "agencies", [a.id for a in agencies]) | known_agencies
        inspection_docs = {i.id: {d.id for d in i.documents} for i in inspections}
        inspection_ids = _unique(self, "inspections", list(inspection_docs)) | known_inspections
        for a in agencies:
            for ref in a.linked_to + a.member_of:
                if ref not in agency_ids:
                    self.fail(f"agencies ({a.id})", f"unknown agency {ref!r}")
                if ref == a.id:
                    self.fail(f"agencies ({a.id})", "an agency cannot be linked to itself")
        for x in inspections:
            if x.la not in agency_ids:
                self.fail(
                    f"inspections ({x.id})",
                    f"unknown local authority {x.la!r} (no agency with that id)",
                )
        seen: set[tuple[str, str]] = set()
        for f in findings:
            where = f"findings ({f.id})"
            if (f.inspection, f.id) in seen:
                self.fail(where, f"duplicate finding id within inspection {f.inspection!r}")
            seen.add((f.inspection, f.id))
            if f.inspection not in inspection_ids:
                self.fail(where, f"unknown inspection {f.inspection!r}")
            elif (
                f.document
                and f.inspection in inspection_docs
                and f.document not in inspection_docs[f.inspection]
            ):
                self.fail(where, f"unknown document {f.document!r} of {f.inspection!r}")
            elif f.document and f.inspection not in inspection_docs:
                self.fail(
                    where,
                    "'document' can only name a document of an inspection defined in the same file",
                )
            for ref in f.agencies:
                if ref not in agency_ids:
                    self.fail(where, f"unknown agency {ref!r}")


def _unique(checker: _Checker, what: str, ids: list[str]) -> set[str]:
    seen: set[str] = set()
    for i in ids:
        if i in seen:
            checker.fail(what, f"duplicate id {i!r}")
        seen.add(i)
    return seen


def _named(where: str, item: Any) -> str:
    if isinstance(item, dict) and isinstance(item.get("id"), str):
        return f"{where} ({item['id']})"
    return where


def _kind(value: Any) -> str:
    return {dict: "a mapping", list: "a list", str: "text", type(None): "nothing"}.get(
        type(value), type(value).__name__
    )
