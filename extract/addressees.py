"""The agencies a joint targeted area inspection (JTAI) letter is addressed to: the inspected.

A JTAI letter goes to every leader of the area's partnership at once and opens with the
list, one addressee a line between the date and "Dear …": the council's director of
children's services (or chief executive), the health commissioners (CCG, from July 2022 the
integrated care board), the police and crime commissioner (or the mayor who holds that
office) and the chief constable, youth justice, probation, the safeguarding partnership's
chair or independent scrutineer. A line the PDF wrapped continues on the next
("…, Barnsley" / "Metropolitan Borough Council").

:func:`read_addressees` gives the list as printed; :func:`inspected_agencies` classifies
each addressee by agency type (rules on its role and organisation, first match wins) and,
with the agency registry, names the organisation where the registry knows it: the police
force of the area, the ICB, the council or the company running its services, the
safeguarding partnership. A police and crime commissioner is an office of its own, not the
force: its type is ``police`` and it names no organisation.

>>> letter = '''12 July 2024
... Jo Bloggs, Director of Children's Services, Sunderland City
... Council
... Sam Smith, Chief Constable, Northumbria Police
... Dear Sunderland Local Safeguarding Partnership'''
>>> read_addressees(letter)
["Jo Bloggs, Director of Children's Services, Sunderland City Council", 'Sam Smith, Chief Constable, Northumbria Police']
>>> [(a.type, a.role) for a in inspected_agencies(letter)]
[('local_authority', 'council'), ('police', 'police force')]
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

__all__ = ["Addressee", "inspected_agencies", "read_addressees"]

DATE_LINE = re.compile(
    r"^\d{1,2}\s+(?:January|February|March|April|May|June|July|August|September|October|"
    r"November|December)\s+\d{4}$"
)
DEAR = re.compile(r"^Dear\b")
HEAD_LIMIT = 4000  # the list ends within the first page
# words that open a role when no comma parts it from the name ("Simon Freeman Accountable
# Officer at NHS Shropshire CCG")
ROLE_WORDS = (
    r"(?:Director|Chief|Head|Manager|Accountable|Designated|Executive|Chair|Deputy|Assistant|"
    r"Interim|Acting|Commissioner|Superintendent|CEO|Regional|Divisional)"
)
# an addressee line opens with a name and a comma (or a dash): "Ms Sue Harrison,",
# "Jon Boutcher QPM,", "John Wiseman Probation Director,", "Ms Helen Hirst –"
NAME_START = re.compile(
    r"^(?:(?:Mr|Ms|Mrs|Miss|Dr|Professor|Prof|Sir|Dame|Cllr|Chief\s+Superintendent|"
    r"Chief\s+Supt)\.?\s+)?[A-Z][\w'’.-]*(?:\s+[A-Z][\w'’.-]*){1,3}"
    r"(?:\s+(?:QPM|OBE|MBE|CBE|DBE))*\s*(?:,|\s[–-]\s|\s(?=" + ROLE_WORDS + r"\b))"
)
# two addressees on one line ("…, NHS Oxfordshire CCG Mr Anthony Stansfield,")
SECOND_NAME = re.compile(r"(?<=\S)\s+(?=(?:Mr|Ms|Mrs|Dr)\s+[A-Z][\w'’-]+\s+[A-Z][\w'’-]+,)")
WRAPPED = 55  # a line this long may have been wrapped by the PDF layout

# (pattern, agency type, role): first match wins, so the specific before the general
RULES = [
    (
        r"\bprobation\b|community rehabilitation|\bNPS\b|\bHMPPS\b|local delivery unit|\bLDU\b",
        "probation",
        "probation",
    ),
    (
        r"youth offending|youth justice|\bYOT\b|\bYOS\b|targeted youth support",
        "youth_justice",
        "youth justice service",
    ),
    (r"\bcafcass\b", "courts_cafcass", "Cafcass"),
    (
        r"safeguarding (?:children['’]?s? )?(?:board|partnership)|\bLSCB\b|independent scrutineer|"
        r"safeguarding arrangements|\bscrutineer\b",
        "safeguarding_partnership",
        "safeguarding partnership",
    ),
    (
        r"crime commissioner|policing and crime|police and crime|\bmayor\b",
        "police",
        "police and crime commissioner",
    ),
    (
        r"\bpolice\b|constabulary|chief constable|borough command|\bBCU\b|superintendent|"
        r"territorial commander|head of public protection",
        "police",
        "police force",
    ),
    (r"public health", "local_authority", "council (public health)"),
    (
        r"\bNHS\b|\bCCGs?\b|clinical commissioning|commissioning group|integrated care|\bICB\b|"
        r"commissioning collaborative|integrated commissioning|\bnurs|hospital|health|"
        r"foundation|care commissioning|designated doctor|medical director|\bSPFT\b|\bPHT\b",
        "health",
        "health commissioner or provider",
    ),
    (
        r"council|local authority|children['’]?s services|director of people|people services|"
        r"executive director|strategic director|chief executive|children and young people|"
        r"children, families|adult social care|youth and community",
        "local_authority",
        "council",
    ),
]
_RULES = [(re.compile(p, re.IGNORECASE), t, r) for p, t, r in RULES]


@dataclass(frozen=True)
class Addressee:
    """One addressee of a letter: the line as printed, its agency type and role, and the
    organisation the registry resolves it to (``None`` when it knows none)."""

    text: str
    type: str | None
    role: str | None
    agency_id: str | None = None
    agency_label: str | None = None


def read_addressees(text: str) -> list[str]:
    """The addressee lines of a letter (wrapped lines joined), or ``[]`` when the letter
    has no list before "Dear …"."""
    head = text[:HEAD_LIMIT].replace("\r", "")
    lines = [" ".join(line.split()) for line in head.split("\n")]
    end = next((i for i, line in enumerate(lines) if DEAR.match(line)), None)
    if end is None:
        return []
    out: list[str] = []
    previous_length = 0
    for line in lines[:end]:
        if not line or line.isdigit() or DATE_LINE.match(line):
            continue
        pieces = SECOND_NAME.split(line)
        first = pieces[0]
        continues = out and (
            first[0].islower()
            or first[0] in "(&"
            or (previous_length >= WRAPPED and not NAME_START.match(first))
        )
        if continues:
            out[-1] = f"{out[-1]} {first}"
        else:
            out.append(first)
        out.extend(pieces[1:])
        previous_length = len(line)
    return [a.rstrip(" ,.") for a in out]


def classify(addressee: str) -> tuple[str | None, str | None]:
    """(agency type, role) of one addressee by the rules above; (None, None) if none fits."""
    for pattern, agency_type, role in _RULES:
        if pattern.search(addressee):
            return agency_type, role
    return None, None


def inspected_agencies(
    text: str, la: str | None = None, on: dt.date | None = None, registry=None
) -> list[Addressee]:
    """The addressees of a letter, classified, and resolved to organisations when ``la`` (a
    registry key) is given.

    Parameters
    ----------
    text : str
        The letter's text.
    la : str, optional
        The registry key of the local authority inspected.
    on : datetime.date, optional
        The letter's date: which organisation served the area then (an ICB from July 2022).
    registry : inspectgraph.sources.registry.Registry, optional
        Default: the bundled registry.
    """
    out = []
    for line in read_addressees(text):
        agency_type, role = classify(line)
        agency = None
        if la and agency_type and role != "police and crime commissioner":
            agency = _resolve(line, agency_type, la, on, registry)
        out.append(
            Addressee(
                line,
                agency_type,
                role,
                agency.id if agency else None,
                agency.label if agency else None,
            )
        )
    return out


def _resolve(line: str, agency_type: str, la: str, on, registry):
    """The organisation an addressee line stands for: one it names, else the authority's
    own organisation of its type; ``None`` when the registry knows none (a generic
    placeholder such as "Bradford health partners" is none)."""
    from ..errors import InputError
    from ..sources.registry import load_registry

    registry = registry or load_registry()
    for _start, _end, agency in registry.mentions(la, line):
        if agency.type == agency_type:
            return agency
    authority = registry.la(la)
    if agency_type == "local_authority" and re.search(r"(?i)council|local authority", line):
        return registry.council(authority)
    try:
        agency = registry.resolve(la, agency_type, on)
    except InputError:
        return None
    return None if registry.is_placeholder(agency) else agency
