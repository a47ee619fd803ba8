"""Inspections as Ofsted's official outcome files describe them: the families and texts of
inspection types, grades and themes, an inspection's identifier, and the reconciled whole
(:mod:`inspectgraph.sources.outcomes` reads and reconciles the files).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from ..errors import ProblemsError

__all__ = [
    "FAMILY",
    "OutcomeInspection",
    "Outcomes",
    "OutcomesError",
    "inspection_id",
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
