"""Graded judgements read from the text of ILACS and SIF reports.

ILACS reports print a judgement table on their first page ("Judgement Grade", one row per
judgement, "Overall effectiveness <grade>") and repeat each grade in the heading of its
section ("…help and protection: good"). The table is read first; a section heading fills
an area the table lacks. SIF reports say "Children's services in <LA> are <grade>" and
number their judgements ("2.1 Adoption performance Good"); the LSCB's grade is stated as
"The Local Safeguarding Children Board is good". The 2013 inspections of looked-after
children's services give theirs in a closing "Record of main findings".

>>> table = ("Judgement Grade The impact of leaders on social work practice with children "
...          "and families Good The experiences and progress of children who need help and "
...          "protection Requires improvement to be good The experiences and progress of "
...          "children in care and care leavers Good Overall effectiveness Good")
>>> for area, grade in read_judgements(table, "ilacs").items():
...     print(area, grade)
impact_of_leaders good
help_and_protection requires_improvement
children_in_care_and_care_leavers good
overall_effectiveness good
"""

from __future__ import annotations

import re

__all__ = ["grade_key", "read_judgements"]

GRADE = r"(outstanding|good|requires?\s+improvement(?:\s+to\s+be\s+good)?|inadequate)"
_SEP = r"\s*\.?\s*(?:is|are)?\s*[:–-]?\s*"
ILACS_AREAS = [
    (
        "impact_of_leaders",
        r"impact\s+of\s+leaders\s+on\s+social\s+work\s+practice\s+with\s+children\s+and\s+families",
    ),
    ("help_and_protection", r"children\s+who\s+need\s+help\s+and\s+protection"),
    (
        "children_in_care_and_care_leavers",
        r"progress\s+of\s+children\s+in\s+care\s+and\s+care\s+"
        r"leavers",
    ),
    ("children_in_care", r"progress\s+of\s+children\s+in\s+care(?!\s+and)"),
    ("care_leavers", r"progress\s+of\s+care\s+leavers"),
    ("overall_effectiveness", r"overall\s+effectiveness"),
]
SIF_AREAS = [
    ("help_and_protection", r"\b1\.?\s+Children\s+who\s+need\s+help\s+and\s+protection"),
    (
        "children_in_care_and_care_leavers",
        r"\b2\.?\s+Children\s+looked\s+after\s+and\s+achieving\s+permanence",
    ),
    ("adoption_performance", r"\b2\.1\.?\s+Adoption\s+performance"),
    (
        "experiences_of_care_leavers",
        r"\b2\.2\.?\s+Experiences\s+and\s+progress\s+of\s+care\s+"
        r"leavers",
    ),
    ("impact_of_leaders", r"\b3\.?\s+Leadership,\s+management\s+and\s+governance"),
]


def grade_key(text: str) -> str:
    """The grades-scheme key of a printed grade.

    >>> grade_key("Requires improvement to be good"), grade_key("Outstanding")
    ('requires_improvement', 'outstanding')
    """
    t = " ".join(text.lower().split())
    if t.startswith("require"):
        return "requires_improvement"
    return t


def read_judgements(text: str, layout: str, headings=()) -> dict[str, str]:
    """Judgement area key -> grade key, as the report states them.

    ``headings`` are the report's :class:`~.headings.Heading` objects; their grades fill
    areas the judgement table lacks.
    """
    flat = " ".join(text[:12000].split())
    out: dict[str, str] = {}
    if layout == "ilacs":
        start = re.search(r"(?i)Judgement\s+Grade|Judgement\b", flat)
        end = re.search(rf"(?i)Overall\s+effectiveness\s*[:–-]?\s*{GRADE}", flat)
        if end:
            table = flat[start.start() if start and start.start() < end.start() else 0 : end.end()]
            for key, label in ILACS_AREAS:
                m = re.search(rf"(?i){label}{_SEP}{GRADE}", table)
                if m:
                    out[key] = grade_key(m.group(1))
        for h in headings:
            if h.grade and h.key in dict(ILACS_AREAS) and h.key not in out:
                out[h.key] = h.grade
    elif layout in {"sif", "lscb_review"}:
        head = flat[:6000]
        # "… are good", "… are inadequate", "… require improvement to be good"
        m = re.search(
            rf"(?i)Children[’']s\s+services\s+in\s+.{{2,80}}?\s+(?:(?:are|is)\s+)?{GRADE}", head
        ) or re.search(rf"(?i)The\s+overall\s+judge?ment\s+is\s+{GRADE}", head)
        if m:
            out["overall_effectiveness"] = grade_key(m.group(1))
        for key, label in SIF_AREAS:
            m = re.search(rf"(?i){label}\s*{GRADE}", head)
            if m:
                out[key] = grade_key(m.group(1))
        m = re.search(
            rf"(?i)(?:The\s+Local\s+Safeguarding\s+Children\s+Board|The\s+effectiveness\s+"
            rf"of\s+the\s+(?:LSCB|Local\s+Safeguarding\s+Children\s+Board))\s+(?:is\s+)?"
            rf"{GRADE}",
            " ".join(text.split()),
        )
        if m:
            out["lscb_effectiveness"] = grade_key(m.group(1))
        for h in headings:
            if h.grade and h.key not in out and h.key in {k for k, _ in SIF_AREAS}:
                out[h.key] = h.grade
    elif layout == "slac":
        # the 2013 inspections of looked-after children's services end with a "Record of
        # main findings" table; its "Adequate" has no grade of ours and is not read
        table = re.search(r"(?is)Record\s+of\s+main\s+findings\s+(?!\d)(.{0,400})", text)
        if table:
            m = re.search(rf"(?i)Overall\s+effectiveness\s+{GRADE}\b", table.group(1))
            if m:
                out["overall_effectiveness"] = grade_key(m.group(1))
    return out
