"""The agency registry's model: local authorities, the agencies serving them, and the
services that tie the two over time (:mod:`inspectgraph.sources.registry` reads and searches them).
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from ..model.records import Agency

__all__ = [
    "GENERIC_TYPES",
    "ICB_START",
    "LocalAuthority",
    "PLACEHOLDER_TYPES",
    "RegistryAgency",
    "Service",
    "normalise_name",
]

FORMAT = "inspectgraph-registry/1"
ICB_START = dt.date(2022, 7, 1)  # Health and Care Act 2022: ICBs replace CCGs

# agency type -> (id suffix, label template, description template) for an authority's own
# organisations of a type that the registry does not list one by one.
GENERIC_TYPES = {
    "health": (
        "health-partners",
        "{name} health partners",
        "The NHS health commissioners and providers of {name}, as letters name them "
        "together before integrated care boards (1 July 2022).",
    ),
    "education": (
        "schools",
        "{name} schools",
        "The schools and education settings of {name}, as letters name them together.",
    ),
    "multi_agency": (
        "mash",
        "{name} multi-agency safeguarding hub",
        "The multi-agency front door (MASH or equivalent) of {name}.",
    ),
    "youth_justice": (
        "youth-justice-service",
        "{name} youth justice service",
        "The youth offending or youth justice service of {name}.",
    ),
    "housing": (
        "housing-services",
        "{name} housing services",
        "Housing services and providers in {name}.",
    ),
    "voluntary_sector": (
        "voluntary-sector",
        "{name} voluntary and community sector",
        "Voluntary and community organisations working with children in {name}.",
    ),
    "courts_cafcass": (
        "family-justice",
        "{name} family justice partners",
        "The family court and its partners as they serve {name}.",
    ),
}


# generic organisations that stand for no body a letter could mean: "health partners" before
# integrated care boards (no CCG known), "the court" or "judges" (the family justice system).
# A mention of them resolves to no organisation, as generic "partners" do.
PLACEHOLDER_TYPES = frozenset({"health", "courts_cafcass"})


@lru_cache(maxsize=8192)  # the registry's names are normalised again for every lookup
def normalise_name(name: str) -> str:
    """A local-authority name reduced for matching across Ofsted's spellings.

    >>> normalise_name("Bournemouth, Christchurch & Poole")
    'bournemouth christchurch and poole'
    >>> normalise_name("St. Helens") == normalise_name("St Helens")
    True
    >>> normalise_name("Kingston Upon Hull, City of")
    'kingston upon hull'
    """
    text = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode().lower()
    text = text.replace("&", " and ")
    text = re.sub(r",\s*city of\s*$", "", text)
    text = re.sub(r"[.'’]", "", text)
    text = re.sub(r"[^a-z0-9]+", " ", text)
    return " ".join(text.split())


@dataclass(frozen=True)
class Service:
    """An agency serving (or delivering services for) one authority over a period."""

    la: str
    start: dt.date | None = None
    end: dt.date | None = None  # exclusive: the first day it no longer serves
    precision: str = "day"
    end_basis: str = ""

    def active(self, on: dt.date | None) -> bool:
        if on is None:
            return self.end is None
        return (self.start is None or self.start <= on) and (self.end is None or on < self.end)


@dataclass(frozen=True)
class RegistryAgency(Agency):
    """An agency as the registry lists it: the model's :class:`~inspectgraph.model.records.Agency`
    (its ``linked_to`` left empty: :meth:`.Registry.records_agencies` derives the links) with
    whether it is national, the authorities it serves and those it delivers services for
    over time, its sources and the facts they do not attest (``unverified``)."""

    national: bool = False
    serves: tuple[Service, ...] = ()
    delivers: tuple[Service, ...] = ()
    sources: tuple[str, ...] = ()
    unverified: tuple[str, ...] = ()

    def serves_la(self, la: str, on: dt.date | None = None) -> bool:
        if self.national:
            return True
        return any(s.la == la and (on is None or s.active(on)) for s in self.serves + self.delivers)


@dataclass(frozen=True)
class LocalAuthority:
    key: str
    name: str
    status: str
    council_id: str
    council_label: str
    council_label_source: str
    gss: str
    former_gss: tuple[str, ...]
    ofsted_urn: str
    dfe_code: str
    region: str
    la_type: str
    names: tuple[str, ...]
    web_link: str
    partnership_id: str
    partnership_label: str

    @property
    def current(self) -> bool:
        return self.status == "current"
