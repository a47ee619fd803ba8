"""Layouts and their section headings: which layout a document has, the headings each layout
uses (``HEADINGS``) and where they stand in a text (see :mod:`.structure`).

Headings are matched whatever their case, across line breaks, with or without their
closing punctuation, and with a footnote number glued to their end ("…practice?1"); a line
that opens in lower case goes on a sentence ("… as well as\nareas for improvement." is no
heading). The footnote a heading's number calls, and a cross-reference to the national
framework closing an improvement point ("(Outcome 3, national framework)"), are not
findings; a footnote at the foot of a page ends at the next heading.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

__all__ = ["HEADINGS", "LAYOUTS", "LETTERS", "Heading", "detect_layout", "find_headings"]

LAYOUTS = (
    "focused_visit",
    "monitoring_visit",
    "ilacs",
    "sif",
    "lscb_review",
    "slac",
    "jtai",
    "area_send",
    "letter",
    "report",
)

LETTERS = {"focused_visit", "monitoring_visit", "jtai", "letter"}

GRADE = r"(?:outstanding|good|requires?\s+improvement(?:\s+to\s+be\s+good)?|inadequate)"

JUDGED = rf"(?:\s+(?:is|are))?\s*[:–-]?\s*(?:{GRADE}\.?)?"


@dataclass(frozen=True)
class HeadingSpec:
    key: str
    pattern: str
    findings: bool
    layouts: frozenset | None = None  # None: every layout
    # a heading inside a section, which stays that section (its key, its findings)
    subheading: bool = False


def _spec(key, pattern, findings=True, layouts=None, subheading=False):
    return HeadingSpec(key, pattern, findings, frozenset(layouts) if layouts else None, subheading)


_L = LETTERS

_R = {"ilacs", "sif", "lscb_review", "slac", "area_send", "report"}

_JTAI = {"jtai"}

_SEND = {"area_send"}

_LAC = {"slac"}

_SIF = {"sif", "lscb_review", "slac", "report"}

HEADINGS = [
    _spec("overview", r"Overview", layouts=_L),
    _spec("headline_findings", r"Headline findings", layouts=_L),
    _spec(
        "what_needs_to_improve",
        r"What needs to improve(?: in this area of (?:social work )?practice)?",
    ),
    _spec("areas_for_priority_action", r"(?:Responsible body\s+)?Areas? for priority actions?"),
    _spec("areas_for_improvement", r"(?:Responsible body\s+)?Areas? for improvement"),
    # joint targeted area inspections
    _spec("strengths", r"(?:Key|Early help) strengths|Strengths", layouts=_JTAI),
    # the kinds of study (their names may run over a line break), or any other on one line
    _spec(
        "case_study",
        r"(?:Case|Practice) study\s*:\s*(?:(?:areas? of )?(?:highly )?effective practice|"
        r"areas?(?:\(s\))? for (?:priority action(?: and improvement)?|improvement)|[^\n]{0,80})",
        layouts=_JTAI,
    ),
    _spec("next_steps", r"Next steps", False, _JTAI),
    # 2023 on: the inspection's scope and the area, between the introduction and the findings
    _spec("context", r"Context", False, _JTAI),
    # 2016-20: one of the themes a list of strengths or improvements is grouped under
    _spec("leadership_and_management", r"Leadership(?: and management)?", True, _JTAI, True),
    # area SEND inspections
    _spec("inspection_outcome", r"Inspection outcome", True, _SEND),
    _spec(
        "area_information",
        r"Information about the local area partnership|Local area partnership details",
        False,
        _SEND,
    ),
    _spec(
        "send_experience",
        r"What is it like to be a child or young person with SEND in this area",
        True,
        _SEND,
    ),
    _spec("send_effective", r"What is the area partnership doing that is effective", True, _SEND),
    _spec(
        "what_needs_to_improve",
        r"What does the area partnership need to do better",
        True,
        _SEND,
    ),
    # the 2013 inspections of looked-after children's services
    _spec("information_about_this_inspection", r"About this inspection", False, _LAC),
    _spec("judgements_explained", r"The inspection judgements and what they mean", False, _LAC),
    _spec("area_information", r"Service information", False, _LAC),
    _spec(
        "overall_effectiveness",
        r"Overall effectiveness of services for looked after children and young people",
        True,
        _LAC,
    ),
    _spec("capacity_to_improve", r"Capacity to improve", True, _LAC),
    _spec(
        "outcomes_for_children",
        r"Outcomes for looked after children and young people",
        True,
        _LAC,
    ),
    _spec("quality_of_provision", r"Quality of provision", True, _LAC),
    _spec("impact_of_leaders", r"Leadership and management", True, _LAC),
    _spec("judgements", r"Record of main findings", False, _LAC),
    _spec("main_findings", r"Main findings", layouts=_L),
    _spec("findings", r"Findings", layouts=_L),
    # ILACS: "<judgement>: <grade>" (also "… are good", "… is: Good", no grade)
    _spec(
        "impact_of_leaders",
        r"(?:The )?impact of leaders on social work practice with children and families" + JUDGED,
        True,
        _R,
    ),
    _spec(
        "help_and_protection",
        r"(?:The )?experiences and progress of children who need help and protection" + JUDGED,
        True,
        _R,
    ),
    _spec(
        "children_in_care_and_care_leavers",
        r"(?:The )?experiences and progress of children in care and care leavers" + JUDGED,
        True,
        _R,
    ),
    _spec(
        "children_in_care",
        r"(?:The )?experiences and progress of children in care" + JUDGED,
        True,
        _R,
    ),
    _spec("care_leavers", r"(?:The )?experiences and progress of care leavers" + JUDGED, True, _R),
    # SIF
    _spec("contents", r"Contents", False, _SIF),
    # before "The local authority", which its first line may be when it wraps
    _spec(
        "strengths",
        r"The local authority[’']s strengths|The local authority has the following "
        r"strengths:?",
        True,
        _SIF,
    ),
    _spec("the_local_authority", r"(?:Section 1: )?The local authority", False, _SIF),
    _spec("area_information", r"Information about this local authority area", False, _SIF),
    _spec("executive_summary", r"Executive summary", True, _SIF),
    _spec("recommendations", r"Recommendations", True, _SIF),
    _spec("recommendations", r"What does the local authority need to improve", True, _SIF),
    _spec("summary_for_children", r"Summary for children and young people", True, _SIF),
    _spec("summary_of_findings", r"Summary of (?:key )?findings", True, _SIF),
    _spec("judgements", r"Inspection judgements about the local authority", False, _SIF),
    _spec("lscb_recommendations", r"Priority actions", True, _SIF),
    _spec(
        "lscb_findings",
        r"Key strengths and weaknesses of the (?:LSCB|Local Safeguarding Children Board|"
        r"[A-Z]{1,4}SCB)",
        True,
        _SIF,
    ),
    # an LSCB review's own "Inspection findings" (only after the review has begun); a review
    # published on its own has its own spec below, which this one would hide
    _spec("inspection_findings", r"Inspection findings", True, _SIF - {"lscb_review"}),
    _spec("priority_action", r"Priority and immediate action", True, _SIF),
    _spec("progress_since_last_inspection", r"Progress since the last inspection", True, _SIF),
    _spec(
        "children_in_care_and_care_leavers",
        r"(?:The )?experiences and progress of children looked after and achieving permanence"
        + JUDGED,
        True,
        _SIF,
    ),
    _spec("impact_of_leaders", r"Leadership, management and governance" + JUDGED, True, _SIF),
    _spec(
        "adoption_performance",
        r"The graded judge?ment (?:for|about) adoption performance "
        rf"(?:is that it )?(?:is )?{GRADE}",
        True,
        _SIF,
    ),
    _spec(
        "experiences_of_care_leavers",
        r"The graded judge?ment (?:for|about) the experiences? and progress of care leavers "
        rf"(?:is that it )?(?:is )?{GRADE}",
        True,
        _SIF,
    ),
    _spec("lscb", r"The Local Safeguarding Children Board \(LSCB\)", True, _SIF),
    _spec(
        "lscb", r"Section 2: The effectiveness of the Local Safeguarding Children Board", True, _SIF
    ),
    _spec(
        "lscb_findings",
        r"Inspection findings\s*[–—─-]\s*the Local Safeguarding Children Board",
        True,
        _SIF,
    ),
    _spec("lscb_findings", r"Inspection judgement about the LSCB", True, _SIF),
    _spec("lscb_recommendations", r"What does the LSCB need to improve", True, _SIF),
    _spec("lscb_findings", r"Inspection findings", True, {"lscb_review"}),
    _spec(
        "information_about_this_inspection",
        r"Information about this review",
        False,
        {"lscb_review"},
    ),
    _spec("information_about_this_inspection", r"Information about this inspection", False, _R),
    _spec("inspection_team", r"The inspection team", False, _R),
    _spec(
        "judgements_explained", r"What the inspection judge?ments mean(?![a-z])[^\n]*", False, _R
    ),
    _spec(
        "colophon",
        r"The Office for Standards in Education, Children[’']s Services and Skills \(Ofsted\) "
        r"regulates and inspects[^\n]*",
        False,
    ),
]

# which part of an LSCB review a SIF heading opens
_LSCB_KEYS = {
    "executive_summary": "lscb_executive_summary",
    "recommendations": "lscb_recommendations",
    "areas_for_improvement": "lscb_recommendations",
    "priority_action": "lscb_recommendations",
    "inspection_findings": "lscb_findings",
}

# What may close a heading: its punctuation, then a footnote number glued to it
# ("What needs to improve in this area of social work practice?1", "… Board (LSCB)2"); a
# number after a space is a contents page's page number, not a footnote.
_HEADING_END = r"[^\S\n]*[?:.]?(?P<footnote>(?<=[^\W\d_]|[?:.)])\d{1,2})?"


def _compile(layout: str) -> re.Pattern:
    """One pattern for every heading of the layout (group ``h<i>``: ``HEADINGS[i]``).

    One per layout, so that two layouts may print the same words as different headings.
    """
    parts = []
    for i, spec in enumerate(HEADINGS):
        if spec.layouts is None or layout in spec.layouts:
            words = spec.pattern.replace(" ", r"\s+")
            parts.append(f"(?P<h{i}>{words})")
    return re.compile(r"(?im)^[^\S\n]*(?:" + "|".join(parts) + r")" + _HEADING_END + r"[^\S\n]*$")


_HEADING_RES = {layout: _compile(layout) for layout in LAYOUTS}


@dataclass(frozen=True)
class Heading:
    """A section heading: its key, the text as printed (spaces collapsed) and position.

    A subheading keeps the key of the section it is printed in, and its text follows that
    section's ("Areas for improvement – Leadership and management").
    """

    key: str
    text: str
    start: int
    end: int
    findings: bool
    grade: str | None = None
    footnote: str | None = None  # the footnote number glued to the heading, if any


def detect_layout(text: str) -> str:
    """The layout of a document, from its first pages.

    >>> detect_layout("Dear Ms Smith\\nMonitoring visit to Anytown children's services")
    'monitoring_visit'
    >>> detect_layout("Anytown\\nInspection of children's social care services\\nJudgement Grade")
    'ilacs'
    >>> detect_layout("Dear local partnership\\nJoint targeted area inspection of the multi-agency "
    ...               "response to abuse and neglect in Anytown")
    'jtai'
    """
    head = re.sub(r"\s+", " ", text[:6000])
    if re.search(r"^.{0,3000}?\bJoint targeted area inspection of\b", head, re.I):
        return "jtai"
    if re.search(r"^.{0,1500}?\bArea SEND inspection of\b", head, re.I):
        return "area_send"
    salutation = re.search(r"\bDear\b", head[:3000])
    if salutation:
        if re.search(r"Monitoring visit (?:to|of)", head, re.I):
            return "monitoring_visit"
        if re.search(r"Focused visit (?:to|of)", head, re.I):
            return "focused_visit"
    if re.search(r"inspection of services for children in need of help and protection", head, re.I):
        return "sif"
    if re.search(
        r"^.{0,400}Review of the effectiveness of the Local Safeguarding Children Board", head, re.I
    ):
        return "lscb_review"
    if re.search(r"Inspection of (?:safeguarding and )?looked after children", head):
        return "slac"
    if re.search(
        r"Inspection of children[’']s social care services|Inspection of .{3,120}? local "
        r"authority children[’']s services|Judgement Grade",
        head,
    ):
        if not re.search(r"\bDear\b", head[:2500]):
            return "ilacs"
    if re.search(r"\bDear\b", head):
        if re.search(r"Monitoring visit (?:to|of)", head, re.I):
            return "monitoring_visit"
        if re.search(r"Focused visit (?:to|of)", head, re.I):
            return "focused_visit"
        return "letter"
    return "report"


def find_headings(text: str, layout: str) -> list[Heading]:
    """Every recognised heading of the layout, in order."""
    out: list[Heading] = []
    enclosing: Heading | None = None  # the last heading that is not a subheading
    lscb = False
    judged = False
    for match in _HEADING_RES[layout].finditer(text):
        # the heading's own group (the footnote group may have matched after it)
        name = next(k for k, v in match.groupdict().items() if v is not None and k[0] == "h")
        spec = HEADINGS[int(name[1:])]
        key = spec.key
        printed = " ".join(match.group(name).split())
        if printed[0].islower():
            continue  # the end of a sentence ("… acknowledged by\nthe local authority.")
        if spec.subheading:
            if enclosing is None:
                continue
            # the enclosing section goes on under the heading ("Areas for improvement –
            # Leadership and management")
            out.append(
                Heading(
                    enclosing.key,
                    f"{enclosing.text} – {printed}",
                    match.start(name),
                    match.end(),
                    enclosing.findings,
                    enclosing.grade,
                    match.group("footnote"),
                )
            )
            continue
        grade = None
        gm = re.search(GRADE + r"\s*$", printed, re.I)
        if gm and key not in {"what_needs_to_improve"}:
            grade = _grade_key(gm.group(0))
        if key in {"help_and_protection", "children_in_care_and_care_leavers", "impact_of_leaders"}:
            judged = True
        if key == "lscb":
            if not judged:  # the title page's "Review of the effectiveness of the LSCB"
                continue
            lscb = True
        elif lscb and key in _LSCB_KEYS:
            key = _LSCB_KEYS[key]
        elif key == "inspection_findings":
            # a judgement section's own "Inspection findings" (after its summary): the
            # section goes on, and the line is no finding however often it is printed
            if enclosing is not None:
                out.append(replace(enclosing, start=match.start(name), end=match.end()))
            continue
        if key == "judgements" and printed.lower().startswith("record of main findings"):
            # the 2013 reports' closing table repeats the sections' names
            out.append(Heading(key, printed, match.start(name), match.end(), False))
            break
        enclosing = Heading(
            key,
            printed,
            match.start(name),
            match.end(),
            spec.findings,
            grade,
            match.group("footnote"),
        )
        out.append(enclosing)
    return out


def _grade_key(text: str) -> str:
    t = " ".join(text.lower().split())
    return {"outstanding": "outstanding", "good": "good", "inadequate": "inadequate"}.get(
        t, "requires_improvement"
    )
