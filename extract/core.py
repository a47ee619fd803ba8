"""``extract()``: one document in, its metadata, findings and judgements out."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

from ..errors import InputError
from ..sources.manifest import manifest_rows
from .headings import LETTERS
from .judgements import read_judgements
from .labels import label, visit_theme
from .lexicon import Lexicon
from .metadata import la_name, read_metadata
from .structure import parse
from .text import Rendition, read_document

__all__ = [
    "DocumentInfo",
    "Extraction",
    "ExtractedFinding",
    "Judgement",
    "extract",
    "read_manifest",
]

CONTEXT = 32  # characters of prefix/suffix in a TextQuoteSelector


@dataclass
class DocumentInfo:
    """What is known about the document: from the manifest, the caller or the text itself.

    ``type`` is an inspection-types key, ``visit_theme`` a visit-themes key; ``source``
    says where each field came from (``"manifest"``, ``"argument"``, ``"text"``,
    ``"file name"``). ``inspected`` are the addressees of a joint targeted area inspection
    letter (:class:`~.addressees.Addressee`): the agencies it inspected.
    """

    la: str | None = None
    urn: str | None = None
    published: dt.date | None = None
    type: str | None = None
    visit_theme: str | None = None
    visit_theme_cue: str | None = None
    start: dt.date | None = None
    end: dt.date | None = None
    inspectors: list[str] = field(default_factory=list)
    layout: str = "report"
    title: str | None = None
    source_url: str | None = None
    source: dict[str, str] = field(default_factory=dict)
    inspected: list = field(default_factory=list)


@dataclass
class ExtractedFinding:
    """One sentence of inspectors' findings, labelled, with exact provenance.

    ``rendition[start:end] == text``; ``clean`` is the same sentence with line breaks, page
    furniture and hyphenated line ends joined; ``prefix``/``suffix`` are the
    ``CONTEXT`` characters around it (a Web Annotation TextQuoteSelector).

    ``agencies`` are the agency types the sentence names (none for an agentless sentence),
    ``criticised`` those of them it makes the failing party (weakness and mixed findings
    only), and ``attributed_to`` the local authority the document is about, whatever the
    sentence names.
    """

    text: str
    start: int
    end: int
    section: str
    heading: str
    polarity: str
    themes: list[str]
    agencies: list[str]
    cues: dict[str, str]
    prefix: str
    suffix: str
    clean: str
    bullet: bool = False
    index: int = 0
    criticised: list[str] = field(default_factory=list)
    attributed_to: str | None = None


@dataclass(frozen=True)
class Judgement:
    """A graded judgement read from the report: judgement-area key and grade key."""

    area: str
    grade: str


@dataclass
class Extraction:
    """What one document yields: ``rendition`` (a :class:`~.text.Rendition`), ``document``
    (:class:`DocumentInfo`), ``findings`` and ``judgements``."""

    rendition: Rendition
    document: DocumentInfo
    findings: list[ExtractedFinding]
    judgements: list[Judgement]

    def records(self) -> list[dict]:
        """JSON-ready objects: one ``document``, then each ``finding`` and ``judgement``."""
        from .serialize import records

        return records(self)


def _inspected(text: str, info: DocumentInfo) -> list:
    """The addressees of a joint letter, resolved for its authority when the registry knows it."""
    from ..sources.registry import load_registry
    from .addressees import inspected_agencies

    registry = load_registry()
    authority = registry.authority_of(info.urn, info.la)
    return inspected_agencies(
        text, authority.key if authority else None, info.published, registry=registry
    )


def _named_mentions(info: DocumentInfo):
    """A function giving the organisations of the registry a sentence names by name
    ("Together for Children", "Northumbria Police") for the document's authority, as
    (start, end, type, name); nothing when the registry does not know the authority."""
    from ..sources.registry import load_registry

    registry = load_registry()
    authority = registry.authority_of(info.urn, info.la)
    if authority is None:
        return lambda text: []
    key = authority.key

    def named(text: str) -> list[tuple[int, int, str, str]]:
        return [
            (start, end, agency.type, text[start:end])
            for start, end, agency in registry.mentions(key, text)
            if agency.type != "inspectorate"
        ]

    return named


def read_manifest(path) -> dict[str, dict]:
    """Rows of a corpus ``manifest.csv`` keyed by their ``path`` column (read by
    :func:`inspectgraph.sources.manifest.manifest_rows`, which names the file on an error)."""
    return {row["path"]: row for row in manifest_rows(path)}


_TITLE = re.compile(
    r"(?im)((?:Focused|Monitoring) visit (?:to|of)|Joint targeted area inspection of|"
    r"Area SEND inspection of|(?<!area )Inspection of)[^\n]{3,120}"
)
# a title line that ends mid-phrase ("… in need of help and") runs on to the next line
_UNFINISHED = re.compile(r"(?i)(?:\b(?:and|of|to|in|for|the|with|on|by|at|local)|[,–-])\s*$")


def _title(text: str) -> str | None:
    """The document's title as printed, its lines joined.

    >>> _title("Bury Borough Council\\nInspection of services for children in need of help and"
    ...        " \\nprotection, children looked after and care leavers \\nAnd\\n")
    'Inspection of services for children in need of help and protection, children looked after and care leavers'
    """
    m = _TITLE.search(text)
    if not m:
        return None
    title, pos = m.group(0), m.end()
    for _ in range(4):
        nl = text.find("\n", pos + 1)
        line = text[pos + 1 : nl if nl != -1 else len(text)]
        if not line.strip() or not (_UNFINISHED.search(title) or line.strip()[0].islower()):
            break
        title, pos = f"{title} {line}", (nl if nl != -1 else len(text))
    return re.sub(r"(?<=[a-z])\d{1,2}$", "", " ".join(title.split()))  # a footnote number


# the document types of a corpus manifest -> inspection-types keys
MANIFEST_TYPES = {
    "focused_visit": "focused_visit",
    "joint_targeted_area_inspection": "jtai",
    "area_send_inspection": "area_send",
}
# inspections of the partnership, whose letters are written to every agency of the area
JOINT_TYPES = frozenset({"jtai", "area_send"})
_FILENAME = re.compile(r"^(?P<urn>\d{4,8})_(?P<la>[a-z0-9-]+)_(?P<date>\d{4}-\d{2}-\d{2})")


def extract(
    source,
    *,
    la: str | None = None,
    manifest_row: dict | None = None,
    lexicon: Lexicon | None = None,
) -> Extraction:
    """Extract metadata, findings and judgements from one document.

    Parameters
    ----------
    source : str, pathlib.Path or Rendition
        A file (plain text, PDF or HTML) or an already read :class:`~.text.Rendition`.
    la : str, optional
        The local authority, overriding the manifest and the text.
    manifest_row : dict, optional
        The document's row of a corpus ``manifest.csv`` (``urn``, ``local_authority``,
        ``document_type``, ``published``, ``source_url``): preferred to what the text says.
    lexicon : Lexicon, optional
        Cue phrases to label with (default: the bundled SKOS schemes).

    Returns
    -------
    Extraction

    Raises
    ------
    inspectgraph.errors.InputError
        When the file cannot be read.
    """
    doc = source if isinstance(source, Rendition) else read_document(source)
    text = doc.text
    structure = parse(text)
    layout = structure.layout
    intro = ""
    for section in structure.sections:
        if section.key in {"introduction", "front_matter"}:
            intro = text[section.start : section.end]
            break
    meta = read_metadata(text, layout, intro=intro)
    info = DocumentInfo(layout=layout)
    for key in ("la", "published", "type", "start", "end", "inspectors"):
        value = meta.get(key)
        if value:
            setattr(info, key, value)
            info.source[key] = "text"
    if layout in LETTERS:
        theme = visit_theme(intro, lexicon=lexicon)
        if theme:
            info.visit_theme, info.visit_theme_cue = theme
            info.source["visit_theme"] = "text"
    info.title = _title(text[:4000])
    if doc.path is not None:
        m = _FILENAME.match(doc.path.name)
        if m:
            if not info.published:
                info.published = dt.date.fromisoformat(m["date"])
                info.source["published"] = "file name"
            info.urn = m["urn"]
            info.source["urn"] = "file name"
    if manifest_row:
        if manifest_row.get("urn"):
            info.urn = manifest_row["urn"]
            info.source["urn"] = "manifest"
        if manifest_row.get("local_authority"):
            if not info.la:
                info.la = manifest_row["local_authority"]
                info.source["la"] = "manifest"
        if manifest_row.get("published"):
            try:
                info.published = dt.date.fromisoformat(manifest_row["published"])
                info.source["published"] = "manifest"
            except ValueError:
                raise InputError(
                    f"manifest row for {manifest_row.get('path', doc.name)}: "
                    f"bad published date {manifest_row['published']!r}"
                ) from None
        if manifest_row.get("source_url"):
            info.source_url = manifest_row["source_url"]
        manifest_type = MANIFEST_TYPES.get(manifest_row.get("document_type") or "")
        if not info.type and manifest_type:
            info.type = manifest_type
            info.source["type"] = "manifest"
    if la:
        info.la = la
        info.source["la"] = "argument"
    elif info.la and info.source.get("la") == "manifest":
        info.la = la_name(info.la)

    if info.type == "jtai":  # a joint letter names the agencies it inspected
        info.inspected = _inspected(text, info)
    named = _named_mentions(info)
    joint = info.type in JOINT_TYPES
    findings = []
    for i, s in enumerate(structure.sentences):
        lab = label(
            s.clean,
            section=s.section,
            heading=s.heading,
            visit_theme=info.visit_theme,
            lexicon=lexicon,
            named=named(s.clean),
            joint=joint,
            inspection=info.type,
            list_item=s.opens_block,
        )
        findings.append(
            ExtractedFinding(
                text=text[s.start : s.end],
                start=s.start,
                end=s.end,
                section=s.section,
                heading=s.heading,
                polarity=lab.polarity,
                themes=lab.themes,
                agencies=lab.agencies,
                cues=lab.cues,
                prefix=text[max(0, s.start - CONTEXT) : s.start],
                suffix=text[s.end : s.end + CONTEXT],
                clean=s.clean,
                bullet=s.bullet,
                index=i,
                criticised=lab.criticised,
                attributed_to=info.la,
            )
        )
    grades = read_judgements(text, layout, structure.headings)
    judgements = [Judgement(area, grade) for area, grade in grades.items()]
    return Extraction(doc, info, findings, judgements)
