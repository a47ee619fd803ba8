"""Document metadata read from the letter or report itself, or taken from a manifest row.

What the text states: the local authority, the publication date (a letter's date line, a
SIF report's "Report published"), fieldwork dates ("on 24 and 25 March 2021", "Inspection
dates: 6 to 17 December 2021"), the inspectors, the inspection type (from the layout; an
ILACS inspection whose fieldwork lasts a week is a short inspection, two weeks a standard
one; a SIF report that says it is a re-inspection is one) and a visit's theme.

>>> parse_date_range("24 and 25 March 2021")
(datetime.date(2021, 3, 24), datetime.date(2021, 3, 25))
>>> parse_date_range("27 September to 8 October 2021")
(datetime.date(2021, 9, 27), datetime.date(2021, 10, 8))
>>> la_name("the London Borough of Barking and Dagenham")
'Barking and Dagenham'
"""

from __future__ import annotations

import datetime as dt
import re

__all__ = ["la_name", "parse_date", "parse_date_range", "read_metadata"]

MONTHS = {
    m: i
    for i, m in enumerate(
        "january february march april may june july august september october november "
        "december".split(),
        1,
    )
}
MONTH = (
    r"(?:January|February|March|April|May|June|July|August|September|October|November|"
    r"December)"
)
DAY = r"(?:[0-3]?\d)(?:st|nd|rd|th)?"
_DATE = re.compile(rf"\b({DAY})\s+({MONTH})\s+(\d{{4}})\b", re.I)
_RANGE = re.compile(
    rf"\b(?P<d1>{DAY})(?:\s+(?P<m1>{MONTH}))?(?:\s+(?P<y1>\d{{4}}))?\s*"
    rf"(?:and|to|–|-|until)\s*(?P<d2>{DAY})\s+(?P<m2>{MONTH})\s+(?P<y2>\d{{4}})\b",
    re.I,
)


def parse_date(text: str) -> dt.date | None:
    """The first "9 July 2021" style date in ``text``.

    >>> parse_date("Report published: 20 July 2015")
    datetime.date(2015, 7, 20)
    """
    m = _DATE.search(text)
    if not m:
        return None
    return _mk(m.group(1), m.group(2), m.group(3))


def _mk(day, month, year) -> dt.date | None:
    try:
        return dt.date(int(year), MONTHS[month.lower()], int(re.sub(r"\D", "", day)))
    except (ValueError, KeyError):
        return None


def parse_date_range(text: str) -> tuple[dt.date, dt.date] | None:
    """The first date range ("6 to 17 December 2021", "30 January and 1 February 2019",
    "11 May 2015 – 4 June 2015") or single date in ``text``, as (start, end)."""
    r = _RANGE.search(text)
    single = _DATE.search(text)
    if r and (not single or r.start() <= single.start()):
        end = _mk(r["d2"], r["m2"], r["y2"])
        start = _mk(r["d1"], r["m1"] or r["m2"], r["y1"] or r["y2"])
        if start and end and start > end and not r["y1"]:  # "30 December and 2 January 2020"
            start = _mk(r["d1"], r["m1"] or r["m2"], str(int(r["y2"]) - 1))
        if start and end:
            return start, end
    if single:
        d = _mk(single.group(1), single.group(2), single.group(3))
        if d:
            return d, d
    return None


_LA_PREFIX = re.compile(
    r"(?i)^(?:the\s+)?(?:(?:Royal|London)\s+Borough\s+of\s+|Metropolitan\s+"
    r"Borough\s+of\s+|City\s+of\s+|County\s+of\s+|Borough\s+of\s+)"
)
_LA_SUFFIX = re.compile(
    r"(?i)\s+(?:(?:Metropolitan\s+)?(?:Borough|District|City|County)\s+)?"
    r"Council$|\s+local\s+authority$|\s+Children[’']s\s+Services\s+Trust$"
)


def la_name(text: str) -> str:
    """A local authority's plain name: councils' prefixes and suffixes dropped."""
    name = " ".join(text.split()).strip(" ,.")
    name = _LA_PREFIX.sub("", name)
    name = _LA_SUFFIX.sub("", name)
    return name.strip(" ,.")


_TITLE_LETTER = re.compile(
    r"(?i)(?:Focused|Monitoring)\s+visit\s+(?:to|of)\s+(?P<la>.{2,90}?)(?:[’']s)?\s+"
    r"(?:local\s+authority\s+)?children[’']s\s+(?:social\s+care\s+)?services"
)
# "Joint targeted area inspection of Barnsley", "… of the multi-agency response to abuse and
# neglect in Bristol City Council"
_TITLE_JTAI = re.compile(
    r"(?i)Joint\s+targeted\s+area\s+inspection\s+of\s+(?:the\s+multi-agency\s+responses?\s+"
    r"to\s+.{3,120}?\s+in\s+)?(?P<la>[A-Z][\w’'&,. -]{1,60}?)\s*(?:\.|Between\b|This\s+letter\b|"
    r"\d\s|$)"
)
_TITLE_SEND = re.compile(
    r"(?i)Area\s+SEND\s+inspection\s+of\s+(?P<la>.{2,60}?)\s+Local\s+Area\s+Partnership"
)
_TITLE_ILACS = re.compile(
    r"(?i)Inspection\s+of\s+(?P<la>.{2,90}?)\s+local\s+authority\s+children[’']s\s+services"
)
_INSPECTORS = re.compile(
    r"(?is)(?:inspectors\s+were|carried\s+out\s+by|visit\s+was\s+led\s+by|inspectors\s+for\s+"
    r"this\s+visit\s+were|lead\s+inspector\s+was)\s*:?\s*(?P<names>[^.]{3,400}?)(?:\.(?:\s|$)|$)"
)
_ROLE = re.compile(
    r"(?i)\b(?:(?:senior\s+)?(?:her|his)\s+majesty[’']s\s+inspectors?(?:\s*\(HMI\))?|senior\s+HMI|"
    r"HMIs?|(?:the\s+)?lead\s+inspector|ofsted\s+inspectors?|inspectors?|social\s+care|schools|"
    r"all\s+of\s+whom\s+are|both\s+of\s+whom\s+are|who\s+are|designate|\(HMI\)|\(designate\))"
)
_NAME = re.compile(r"^(?:[A-Z][\w’'-]+)(?:\s+(?:[A-Z][\w’'-]+|de|van|von|le|la|O’\w+))+$")


def inspector_names(text: str) -> list[str]:
    """Names in "The inspectors were A, HMI, and B, Senior HMI" style text.

    >>> inspector_names("Neil Penswick, Jan Edwards and Jon Bowman, Her Majesty’s Inspectors")
    ['Neil Penswick', 'Jan Edwards', 'Jon Bowman']
    """
    cleaned = _ROLE.sub(",", text)
    out = []
    for part in re.split(r",|\band\b|;|\(|\)", cleaned):
        part = " ".join(part.split()).strip(" ,.")
        if _NAME.match(part) and part not in out and len(part.split()) <= 4:
            out.append(part)
    return out


def read_metadata(text: str, layout: str, *, intro: str = "") -> dict:
    """What the text says about itself: la, published, start, end, inspectors, type.

    ``intro`` is the letter's introduction (or the report's front matter), where dates,
    inspectors and the visit's theme are stated.
    """
    head = " ".join(text[:5000].split())
    intro_flat = " ".join((intro or text[:5000]).split())
    meta: dict = {
        "la": None,
        "published": None,
        "start": None,
        "end": None,
        "inspectors": [],
        "type": None,
    }
    if layout in {"focused_visit", "monitoring_visit", "jtai", "letter"}:
        m = (_TITLE_JTAI if layout == "jtai" else _TITLE_LETTER).search(head)
        if m:
            meta["la"] = la_name(m.group("la"))
        dear = re.search(r"\bDear\b", text)
        top = text[: dear.start()] if dear else text[:1500]
        for line in top.split("\n"):
            d = parse_date(line)
            if d and len(line.strip()) <= 25:
                meta["published"] = d
                break
        span = re.search(r"(?i)(?:services|visit)\s+(?:on|between|from)\s+(.{5,80})", intro_flat)
        if span:
            rng = parse_date_range(span.group(1))
            if rng:
                meta["start"], meta["end"] = rng
        m = _INSPECTORS.search(intro_flat)
        if m:
            meta["inspectors"] = inspector_names(m.group("names"))
        if layout in {"focused_visit", "monitoring_visit", "jtai"}:
            meta["type"] = layout
        if layout == "jtai" and not meta["start"]:
            span = re.search(r"(?i)\b(?:between|from)\s+(.{5,60})", intro_flat)
            rng = parse_date_range(span.group(1)) if span else None
            if rng:
                meta["start"], meta["end"] = rng
    else:
        m = (_TITLE_SEND if layout == "area_send" else _TITLE_ILACS).search(head)
        if m:
            meta["la"] = la_name(m.group("la"))
        else:
            first = re.search(
                r"(?m)^\s*(\S[^\n]{2,80}?)\s*$\s*(?:Inspection of|Re-inspection of|"
                r"Review of)",
                text[:3000],
            )
            if first and not re.match(r"\d+$", first.group(1)):
                meta["la"] = la_name(first.group(1))
        m = re.search(r"(?i)Report\s+published\s*:?\s*(.{5,30})", head)
        if m:
            meta["published"] = parse_date(m.group(1))
        m = re.search(r"(?i)Inspection\s+dates?\s*:?\s*(.{5,80})", head)
        if m:
            rng = parse_date_range(m.group(1))
            if rng:
                meta["start"], meta["end"] = rng
        lead = re.search(r"(?i)Lead\s+inspector\s*:\s*([^\n,]{3,60})", text)
        if lead:
            meta["inspectors"] = inspector_names(lead.group(1))
        team = re.search(r"(?i)Team\s+inspectors?\s*:\s*([^\n]{3,300}(?:\n[^\n:]{3,120})?)", text)
        if team:
            meta["inspectors"] += [
                n for n in inspector_names(team.group(1)) if n not in meta["inspectors"]
            ]
        meta["type"] = _report_type(layout, head, meta)
    return meta


def _report_type(layout: str, head: str, meta: dict) -> str | None:
    if layout == "ilacs":
        if meta["start"] and meta["end"]:
            days = (meta["end"] - meta["start"]).days
            return "ilacs_short" if days <= 6 else "ilacs_standard"
        return "ilacs_standard"
    if layout == "sif":
        if re.search(r"(?i)\bre-inspection of services|this (?:is|was) a re-inspection", head):
            return "sif_reinspection"
        return "sif_inspection"
    if layout == "slac":
        if re.search(r"(?i)Inspection of looked after children(?:[’']s)? services", head):
            return "lac_targeted_inspection"  # the targeted inspections of 2013
        return "safeguarding_and_lac"
    if layout == "lscb_review":
        return "lscb_review"  # a review published on its own
    if layout == "area_send":
        return "area_send"
    return None
