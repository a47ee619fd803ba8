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

Findings are taken from the sections that carry inspectors' findings (``findings=True`` in
:data:`.headings.HEADINGS`); the letterhead, addresses, introductions, contents, area statistics, method notes
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
from dataclasses import dataclass, field

from .headings import GRADE, LETTERS, Heading, detect_layout, find_headings
from .sentences import Block, Sentence, split_sentences

__all__ = ["Section", "SectionSentence", "Structure", "parse"]

BULLETS = "\u25fc\uf06e\uf02d\uf0a7\uf0b7\uf0be\u2022\u25aa\u25a0\u25cf\u2500\u2015\u23af"

_LETTERHEAD = re.compile(
    r"(?i)^(?:Ofsted|Piccadilly Gate|Store St(?:reet)?\.?|Manchester(?: M1 2WD)?|M1 2WD|"
    r"Clive House|70 Petty France,?|Westminster,?|London SW1H 9EX|Agora|6 Cumberland Place|"
    r"Nottingham(?: NG1 6HJ)?|NG1 6HJ|Aviation House|125 Kingsway|London WC2B 6SE|"
    r"(?:T|F|Tel|Fax|Textphone|Direct T|Direct F|Mobile)\s*:?\s*\+?[\d ()]{7,}|"
    r"(?:E|Email|Direct email)\s*:?\s*\S+@\S+|(?:W\s*:?\s*)?www\.\S+|\S+@ofsted\.gov\.uk|"
    r"©[^\n]*Crown copyright[^\n]*)$"
)

_PAGE_NUMBER = re.compile(r"^(?:Page\s+)?\d{1,3}(?:\s+of\s+\d{1,3})?$")
_TRAILING_NUMBER = re.compile(r"\s+\d{1,3}$")  # a page number or footnote call

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
        # only a line ending in a digit can lose a trailing number (most end in a letter)
        key = _TRAILING_NUMBER.sub("", s) if s[-1:].isdigit() else s
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
        blank = not s  # its words joined: empty only when the line is blank
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
