"""Document structure: layout, sections, page furniture and the findings' sentences.

Ofsted's children's-services documents come in a few layouts (see the corpus README):

``focused_visit`` / ``monitoring_visit``
    Letters: letterhead, recipient's address, "Dear …", an introduction (dates, inspectors,
    the visit's theme), then *Overview* / *What needs to improve in this area of social
    work practice* / *Findings* (2018–20), *Headline findings* / *What needs to
    improve…?* / *Main findings* (2021 on), sometimes *Areas for priority action* and
    *Areas for improvement*, and a closing ("Ofsted will take the findings…",
    "Yours sincerely").
``ilacs``
    ILACS reports (2018 on): title, inspection dates, lead inspector, judgement table, a
    summary, *What needs to improve?*, then one section per judgement headed
    "<judgement>: <grade>".
``sif``
    Single inspection framework reports (2013–18): "Children's services in <LA> are
    <grade>", a numbered judgement table, contents, facts about the area, executive
    summary, recommendations, a summary for children, one section per judgement, and the
    review of the LSCB.
``slac``
    The framework before the SIF, and the 2013 inspections of looked-after children's
    services ("Overall effectiveness", "Capacity to improve", *Areas for improvement*,
    "Outcomes…", "Quality of provision", "Leadership and management", then the "Record of
    main findings" table).
``jtai``
    Joint targeted area inspection letters, to every leader of the area's partnership at
    once. 2016–20: an introduction, a summary, *Key strengths* and *Areas for
    improvement* (bullets whose glyph extracts as a private-use character), case studies,
    *Next steps*; from 2022: *Headline findings*, *What needs to improve?*, *Strengths*,
    *Main findings*, practice studies, *Next steps*.
``area_send``
    Area SEND inspection reports (2023 framework): *Inspection outcome*, facts about the
    local area partnership, "What is it like to be a child or young person with SEND in this
    area?", "What is the area partnership doing that is effective?", "What does the area
    partnership need to do better?", then *Areas for priority action* and/or *Areas for
    improvement*.

``letter`` and ``report`` are unknown letters and reports.

Headings are matched whatever their case, across line breaks, with or without their
closing punctuation, and with a footnote number glued to their end ("…practice?1"); a line
that opens in lower case goes on a sentence ("… as well as\nareas for improvement." is no
heading). The footnote a heading's number calls, and a cross-reference to the national
framework closing an improvement point ("(Outcome 3, national framework)"), are not
findings; a footnote at the foot of a page ends at the next heading.

Findings are taken from the sections that carry inspectors' findings (``findings=True``
below); the letterhead, addresses, introductions, contents, area statistics, method notes
and closings are not findings. Sentences are segmented across line breaks, hyphenated
line ends, page numbers, running headers and the letterhead that PDF extraction drops into
the middle of page 1.

>>> text = ("Ofsted\\nPiccadilly Gate\\n\\nDear Ms Smith\\n\\nFocused visit to Anytown children's "
...         "services\\n\\nOverview\\n\\nSocial workers know their\\n\\n 2 \\n\\nchildren well. "
...         "The police are not\\nalways invited.\\n\\nYours sincerely\\n")
>>> s = parse(text)
>>> s.layout
'focused_visit'
>>> for x in s.sentences:
...     print(x.section, "|", x.clean)
overview | Social workers know their children well.
overview | The police are not always invited.
"""

from __future__ import annotations

import bisect
import re
from collections import Counter
from dataclasses import dataclass, field, replace

from .sentences import Block, Sentence, split_sentences

__all__ = ["LAYOUTS", "Heading", "Section", "Structure", "parse", "detect_layout"]

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
BULLETS = "\u25fc\uf06e\uf02d\uf0a7\uf0b7\uf0be\u2022\u25aa\u25a0\u25cf\u2500\u2015\u23af"
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
_LETTERHEAD = re.compile(
    r"(?i)^(?:Ofsted|Piccadilly Gate|Store St(?:reet)?\.?|Manchester(?: M1 2WD)?|M1 2WD|"
    r"Clive House|70 Petty France,?|Westminster,?|London SW1H 9EX|Agora|6 Cumberland Place|"
    r"Nottingham(?: NG1 6HJ)?|NG1 6HJ|Aviation House|125 Kingsway|London WC2B 6SE|"
    r"(?:T|F|Tel|Fax|Textphone|Direct T|Direct F|Mobile)\s*:?\s*\+?[\d ()]{7,}|"
    r"(?:E|Email|Direct email)\s*:?\s*\S+@\S+|(?:W\s*:?\s*)?www\.\S+|\S+@ofsted\.gov\.uk|"
    r"©[^\n]*Crown copyright[^\n]*)$"
)
_PAGE_NUMBER = re.compile(r"^(?:Page\s+)?\d{1,3}(?:\s+of\s+\d{1,3})?$")
_NUMBERED = re.compile(r"^(\d{1,3})\.(?:\s+|(?=[A-Z‘'“(]))")
_SALUTATION = re.compile(r"(?m)^[ \t]*Dear\b[^\n]*$")
_CLOSING = re.compile(
    r"(?im)^[ \t]*(?:Ofsted will take (?:the|these) findings|Yours sincerely|Yours faithfully|"
    r"I am copying this letter|Ofsted will take the findings)"
)
_OVERALL = re.compile(rf"(?im)^[^\S\n]*Overall effectiveness(?:[ \t]*:)?\s+{GRADE}[ \t]*$")
# a footnote's number glued to the word that calls it: "(LSCP1 – Solihull's …)"
_FOOTNOTE_CALL = re.compile(r"(?<=[A-Za-z])(\d{1,2})(?=[\s,;:.)])")
_FOOTNOTE_LINE = re.compile(r"^[^\S\n]*(\d{1,2})[^\S\n]+[A-Z]")
# an improvement point's cross-reference to the children's social care national framework
_CROSS_REFERENCE = re.compile(
    r"(?i)^\((?:(?:outcomes?|enablers?|principles?)\s+[\d\s,and&]+,?\s*)+national\s+"
    r"framework\)\.?$"
)
_SHORT_TITLE = re.compile(r"^[A-Z][^.:;,?!]{0,70}$")


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


@dataclass(frozen=True)
class Section:
    """A part of the document: ``key``, ``heading`` text and the body's ``start``/``end``."""

    key: str
    heading: str
    start: int
    end: int
    findings: bool
    grade: str | None = None


@dataclass
class Structure:
    """What :func:`parse` finds: layout, headings, sections and the finding sentences."""

    layout: str
    headings: list[Heading]
    sections: list[Section]
    sentences: list[SectionSentence] = field(default_factory=list)

    def section_at(self, offset: int) -> Section | None:
        """The section whose body holds ``offset``."""
        for s in self.sections:
            if s.start <= offset < s.end:
                return s
        return None


@dataclass(frozen=True)
class SectionSentence(Sentence):
    """A :class:`~.sentences.Sentence` with the key and heading of its section."""

    section: str = ""
    heading: str = ""
    bullet: bool = False
    # the first sentence of its block (a bullet, a numbered point, a paragraph): what a list
    # item asserts; the sentences after it in the block elaborate it
    opens_block: bool = True


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


def sections_of(text: str, layout: str, headings: list[Heading]) -> list[Section]:
    """Split the document into sections (front matter and closings included)."""
    n = len(text)
    cuts: list[Heading] = list(headings)
    if layout in LETTERS:
        sal = _SALUTATION.search(text)
        intro_start = sal.end() if sal else 0
        cuts.append(Heading("letterhead", "", 0, 0, False))
        cuts.append(Heading("introduction", "", intro_start, intro_start, False))
        body_headings = [h for h in headings if h.findings and h.start >= intro_start]
        summary = _JTAI_SUMMARY.search(text, intro_start, min(n, intro_start + 3000))
        if layout == "jtai" and summary and all(h.start > summary.end() for h in body_headings):
            # 2016-20: the summary of findings follows "This letter … outlines our findings"
            cuts.append(Heading("summary", "", summary.end(), summary.end(), True))
        elif not body_headings:
            # a letter without headings (e.g. a monitoring visit): its body follows the
            # paragraph that introduces the visit
            intro_end = _end_of_introduction(text, intro_start)
            cuts.append(Heading("body", "", intro_end, intro_end, True))
        closing = None
        for m in _CLOSING.finditer(text, intro_start):
            closing = m
            break
        if closing:
            cuts.append(Heading("closing", "", closing.start(), closing.start(), False))
    else:
        cuts.append(Heading("front_matter", "", 0, 0, False))
        overall = _OVERALL.search(text, 0, min(n, 8000))
        if layout == "ilacs" and overall:
            # the judgement table's rows look like the sections' headings
            cuts = [h for h in cuts if h.start >= overall.end() or h.key == "front_matter"]
            headings = [h for h in headings if h.start >= overall.end()]
        first = min((h.start for h in headings if h.findings), default=n)
        if layout == "ilacs" and overall and overall.end() < first:
            cuts.append(Heading("summary", "", overall.end(), overall.end(), True))
        elif layout in {"slac", "report"} and not any(h.findings for h in headings):
            start = overall.end() if overall else 0
            cuts.append(Heading("body", "", start, start, True))
    cuts.sort(key=lambda h: (h.start, h.end))
    sections = []
    for i, h in enumerate(cuts):
        end = cuts[i + 1].start if i + 1 < len(cuts) else n
        if h.key == "closing":
            end = n
        if end < h.end:
            continue
        sections.append(Section(h.key, h.text, h.end, end, h.findings, h.grade))
        if h.key in {"closing", "colophon"}:
            break
    return sections


_JTAI_SUMMARY = re.compile(r"(?i)outlines\s+our\s+findings\b[^.]*\.")
_INTRO_END = re.compile(
    r"(?i)(?:inspectors were|carried out by|lead inspector was|this letter summarises)[^\n]*"
)


def _end_of_introduction(text: str, start: int) -> int:
    last = None
    for m in _INTRO_END.finditer(text, start, min(len(text), start + 3000)):
        last = m
    if last is None:
        return start
    end = text.find("\n\n", last.end())
    if end == -1:
        end = text.find("\n", last.end())
    return end if end != -1 else len(text)


# ---------------------------------------------------------------------------- lines


def _furniture_lines(
    lines: list[tuple[int, int]],
    text: str,
    footnotes: frozenset[str] = frozenset(),
    headings: frozenset[int] = frozenset(),
    calls: frozenset[str] | None = None,
) -> set[int]:
    """Indexes of non-blank lines that are page furniture, not content.

    ``footnotes`` are the numbers glued to headings: the paragraph that opens with one of
    them ("1 The areas for improvement have been cross-referenced…") is their footnote.
    ``calls`` are the numbers glued to words of the text (:data:`_FOOTNOTE_CALL`; found
    when first needed, as few lines open with a number): the paragraph that opens with one
    of them is its footnote when it is the last of its page.
    ``headings`` are the lines where headings begin: footnotes end before them.
    """
    counts: Counter = Counter()
    keys = []
    for start, end in lines:
        s = " ".join(text[start:end].split())
        key = re.sub(r"\s+\d{1,3}$", "", s)
        keys.append(key)
        if (
            len(key) >= 12
            and not key[0].islower()
            and key[-1] not in ".,;:"
            and not key.startswith(tuple(BULLETS))
        ):
            counts[key] += 1
    out = set()
    footnote = 0
    called = False  # inside the footnote a heading's number calls
    previous_blank = True
    for i, (start, end) in enumerate(lines):
        raw = text[start:end]
        s = keys[i]
        blank = not raw.strip()
        if called:
            if blank or _PAGE_NUMBER.match(s):
                called = False
            else:
                out.add(i)
                previous_blank = blank
                continue
        numbered = _FOOTNOTE_LINE.match(raw)
        if previous_blank and numbered and numbered.group(1) in footnotes:
            called = True
            out.add(i)
            previous_blank = False
            continue
        if previous_blank and numbered:
            # a footnote a word of the text calls ("(LSCP1 – …)"): its paragraph ends the
            # page, with only blank lines between it and the page number
            j = i
            while j < len(lines) and text[lines[j][0] : lines[j][1]].strip():
                j += 1
            k = j
            while k < len(lines) and not text[lines[k][0] : lines[k][1]].strip():
                k += 1
            if k == len(lines) or _PAGE_NUMBER.match(keys[k]):
                if calls is None:
                    calls = frozenset(
                        m.group(1)
                        for m in _FOOTNOTE_CALL.finditer(text)
                        # two letters of one case before it: "LSCP1", "practice1", not "Y6"
                        if (w := text[max(0, m.start() - 2) : m.start()]).isupper() or w.islower()
                    )
                if numbered.group(1) in calls:
                    out.update(range(i, j))
                    previous_blank = False
                    continue
        previous_blank = blank
        if footnote:
            if _PAGE_NUMBER.match(s) or footnote > 14 or i in headings:
                footnote = 0
            else:
                footnote += 1
                out.add(i)
                continue
        if len(raw) >= 20 and not raw.strip(" _\u00a0\t"):
            footnote = 1  # a footnote rule: the footnotes run to the page number
            continue
        if not s:
            continue
        if _PAGE_NUMBER.match(s) or _LETTERHEAD.match(s) or counts.get(s, 0) >= 3:
            out.add(i)
    return out


def parse(text: str, layout: str | None = None) -> Structure:
    """Layout, headings, sections and finding sentences of a rendition."""
    layout = layout or detect_layout(text)
    headings = find_headings(text, layout)
    sections = sections_of(text, layout, headings)
    structure = Structure(layout, headings, sections)
    lines = []
    pos = 0
    for line in text.split("\n"):
        lines.append((pos, pos + len(line)))
        pos += len(line) + 1
    footnotes = frozenset(h.footnote for h in headings if h.footnote)
    line_starts = [s for s, _ in lines]
    heading_lines = frozenset(bisect.bisect_right(line_starts, h.start) - 1 for h in headings)
    furniture = _furniture_lines(lines, text, footnotes, heading_lines)

    for section in sections:
        if not section.findings or section.end <= section.start:
            continue
        first = bisect.bisect_left(line_starts, section.start)
        # the heading may end mid-line: start with the remainder of that line
        if first > 0 and lines[first - 1][1] > section.start:
            first -= 1
        last = bisect.bisect_left(line_starts, section.end)
        structure.sentences.extend(_sentences(text, lines, furniture, first, last, section))
    return structure


def _sentences(text, lines, furniture, first, last, section) -> list[SectionSentence]:
    blocks: list[tuple[Block, bool]] = []
    block: Block | None = None
    bullet = False
    gap_blank = gap_furniture = False
    prev_blank = True
    for i in range(first, last):
        start, end = lines[i]
        start = max(start, section.start)
        end = min(end, section.end)
        raw = text[start:end]
        s = raw.strip()
        if not s:
            gap_blank = True
            prev_blank = True
            continue
        if i in furniture:
            gap_furniture = True
            continue
        lead = len(raw) - len(raw.lstrip())
        content_start = start + lead
        new = False
        is_bullet = False
        if s[0] in BULLETS:
            is_bullet = new = True
            content_start += 1
            s = s[1:]
            while s[:1].isspace():
                s = s[1:]
                content_start += 1
        else:
            m = _NUMBERED.match(s)
            if m and (block is None or gap_blank or gap_furniture or block.clean[-1:] in ".?!:;)"):
                new = True
                content_start += m.end()
                s = s[m.end() :]
        if (
            not new
            and prev_blank
            and _SHORT_TITLE.match(s)
            and not gap_furniture
            and (block is None or block.clean[-1:] in ".?!:;")
        ):
            # a subheading ("Summary", "Inspection findings"): not a sentence
            nxt = _next_content(text, lines, furniture, i + 1, last)
            if nxt is None or nxt[:1].isupper() or nxt[:1] in BULLETS:
                gap_blank = True
                prev_blank = True
                if block is not None:
                    blocks.append((block, bullet))
                    block = None
                continue
        if block is not None and not new and (gap_blank or gap_furniture):
            tail = block.clean[-1:]
            if gap_furniture and not gap_blank:
                new = False
            elif tail in ",;-–(" or s[:1].islower() or s[:1].isdigit():
                new = False
            elif gap_furniture:
                new = tail in ".?!:"
            else:
                new = True
        if new or block is None:
            if block is not None:
                blocks.append((block, bullet))
            block = Block()
            bullet = is_bullet
        block.add(text, content_start, end)
        gap_blank = gap_furniture = False
        prev_blank = False
    if block is not None:
        blocks.append((block, bullet))
    out = []
    for b, is_bullet in blocks:
        if not b.clean:
            continue
        for n, sent in enumerate(split_sentences(b)):
            if _CROSS_REFERENCE.match(sent.clean):
                continue  # "(Outcome 3, national framework)": a reference, not a finding
            out.append(
                SectionSentence(
                    sent.clean,
                    sent.start,
                    sent.end,
                    section.key,
                    section.heading,
                    is_bullet,
                    opens_block=n == 0,
                )
            )
    return out


def _next_content(text, lines, furniture, i, last) -> str | None:
    for j in range(i, min(last, i + 6)):
        s = text[lines[j][0] : lines[j][1]].strip()
        if s and j not in furniture:
            return s
    return None
