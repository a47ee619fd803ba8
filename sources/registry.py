"""The agency registry: every local authority's council and the organisations letters name.

Bundled data, each fact with its source (``data/registry/``):

- ``las.csv`` -- one row per local authority, current or former: its council (id and
  label), ONS GSS code, Ofsted URN, DfE code, region, the names Ofsted's files use for it,
  its safeguarding partnership. Generated from Ofsted's official files and the corpus by
  ``python -m inspectgraph.sources.registry generate`` (see :func:`generate_las`).
- ``agencies.yaml`` -- hand-curated: police forces, NHS integrated care boards, the
  companies and trusts that deliver some councils' children's services, national bodies;
  each with the authorities it serves, sources, and the facts the shared material does not
  attest listed as ``unverified``.
- ``attested.csv`` -- generated: for each (authority, agency) pair, the first letter or
  report of that authority in the corpus that names the agency.

:meth:`Registry.resolve` turns a letter's generic mention ("the police", "health partners",
"schools", "the MASH") into that authority's own organisation of that type on the letter's
date: its police force, its integrated care board from 1 July 2022 (before that its health
partners as a group, or a CCG a records file names), the company or trust delivering its
services while it did, and so on.
"""

from __future__ import annotations

import csv
import datetime as dt
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from pathlib import Path

import yaml

from ..errors import InputError
from ..model.records import Agency

__all__ = [
    "GENERIC_TYPES",
    "ICB_START",
    "LocalAuthority",
    "PLACEHOLDER_TYPES",
    "Registry",
    "RegistryAgency",
    "Service",
    "load_registry",
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
class RegistryAgency:
    id: str
    label: str
    type: str
    alt_labels: tuple[str, ...] = ()
    description: str | None = None
    homepage: str | None = None
    founded: dt.date | None = None
    dissolved: dt.date | None = None
    national: bool = False
    serves: tuple[Service, ...] = ()
    delivers: tuple[Service, ...] = ()
    member_of: tuple[str, ...] = ()
    identifiers: dict[str, str] = field(default_factory=dict)
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


@dataclass
class Registry:
    """The bundled registry; use :func:`load_registry`."""

    las: dict[str, LocalAuthority] = field(default_factory=dict)
    agencies: dict[str, RegistryAgency] = field(default_factory=dict)
    attested: dict[tuple[str, str], str] = field(default_factory=dict)  # (la, agency) -> doc
    _cache: dict = field(default_factory=dict, repr=False, compare=False)

    # -- local authorities --------------------------------------------------------------

    def la(self, key: str) -> LocalAuthority:
        try:
            return self.las[key]
        except KeyError:
            raise InputError(f"unknown local authority {key!r}") from None

    def find_la(
        self, name: str | None = None, gss: str | None = None, *, former: bool | None = None
    ) -> LocalAuthority | None:
        """The authority with this GSS code (current or former), else this name.

        ``former=True`` prefers an authority that no longer exists when two share a name
        (Ofsted's table of authorities "that existed before the restructure" names the old
        Dorset County Council "Dorset").

        >>> reg = load_registry()
        >>> reg.find_la("Telford & Wrekin").council_id
        'telford-and-wrekin-council'
        >>> reg.find_la(gss="E08000016").name   # Barnsley's code before 2023
        'Barnsley'
        >>> reg.find_la("Dorset", former=True).key
        'dorset-county'
        """
        if gss:
            for la in self.las.values():
                if gss == la.gss or gss in la.former_gss:
                    return la
        if name:
            wanted = normalise_name(name)
            hits = [
                la
                for la in self.las.values()
                if wanted in {normalise_name(n) for n in (la.name, la.council_label, *la.names)}
            ]
            if former is not None:
                preferred = [la for la in hits if la.current != former]
                hits = preferred or hits
            if hits:
                return sorted(hits, key=lambda la: (not la.current, la.key))[0]
        return None

    def la_of_council(self, council_id: str) -> LocalAuthority | None:
        for la in self.las.values():
            if la.council_id == council_id:
                return la
        return None

    def authority_of(self, urn: str | None, name: str | None) -> LocalAuthority | None:
        """The authority a document is about: by its Ofsted URN, else by the name it gives
        (exactly, then as text naming one); ``None`` when neither tells."""
        authority = None
        if urn:
            authority = next((a for a in self.las.values() if a.ofsted_urn == urn), None)
        if authority is None and name:
            authority = self.find_la(name) or self.match_la_text(name)
        return authority

    def match_la_text(self, text: str) -> LocalAuthority | None:
        """The current authority whose name a piece of text (a file name, a title) gives.

        >>> load_registry().match_la_text("80566_sunderland_2021-05-11").key
        'sunderland'
        """
        wanted = normalise_name(text.replace("_", " ").replace("-", " "))
        best: tuple[int, str] | None = None
        for la in self.las.values():
            for n in {la.name, *la.names, la.key.replace("-", " ")}:
                nn = normalise_name(n)
                if nn and re.search(rf"(^| ){re.escape(nn)}( |$)", wanted):
                    cand = (len(nn), la.key)
                    if (
                        best is None
                        or cand[0] > best[0]
                        or (
                            cand[0] == best[0]
                            and self.las[cand[1]].current
                            and not self.las[best[1]].current
                        )
                    ):
                        best = cand
        return self.las[best[1]] if best else None

    # -- agencies -------------------------------------------------------------------------

    def delivering_company(self, la: str, on: dt.date | None) -> RegistryAgency | None:
        """The company or trust delivering ``la``'s children's services on ``on``."""
        for agency in self.agencies.values():
            if any(s.la == la and s.active(on) for s in agency.delivers):
                return agency
        return None

    def serving(self, la: str, agency_type: str, on: dt.date | None = None) -> list[RegistryAgency]:
        """Listed agencies of a type serving ``la`` (main one first), on a date if given."""
        out = []
        for agency in self.agencies.values():
            if agency.type != agency_type or agency.national:
                continue
            for s in agency.serves:
                if (
                    s.la == la
                    and (on is None or s.active(on))
                    and (on is None or agency.founded is None or agency.founded <= on)
                ):
                    out.append(agency)
                    break
        # the order of `serves` in the file is the order of preference for an authority
        # served by several (its main ICB is listed first)
        return out

    def national(self, agency_type: str) -> RegistryAgency | None:
        for agency in self.agencies.values():
            if agency.national and agency.type == agency_type:
                return agency
        return None

    def generic(self, la: str, agency_type: str) -> Agency:
        """The authority's own organisation of a type, as letters name it generically."""
        authority = self.la(la)
        suffix, label, description = GENERIC_TYPES[agency_type]
        return Agency(
            id=f"{la}-{suffix}",
            label=label.format(name=authority.name),
            type=agency_type,
            description=description.format(name=authority.name),
            member_of=(authority.partnership_id,),
        )

    def is_placeholder(self, agency: Agency) -> bool:
        """Whether ``agency`` is a generic stand-in of :data:`PLACEHOLDER_TYPES` ("Sunderland
        health partners", "Sunderland family justice partners"), no organisation of its own.

        >>> reg = load_registry()
        >>> reg.is_placeholder(reg.resolve("sunderland", "health", dt.date(2019, 6, 14)))
        True
        >>> reg.is_placeholder(reg.resolve("sunderland", "health", dt.date(2023, 11, 29)))
        False
        >>> reg.is_placeholder(reg.resolve("sunderland", "courts_cafcass", None))
        True
        """
        if agency.type not in PLACEHOLDER_TYPES:
            return False
        return (
            agency.id.endswith("-" + GENERIC_TYPES[agency.type][0])
            and agency.id[: -len(GENERIC_TYPES[agency.type][0]) - 1] in self.las
        )

    def resolve(
        self, la: str, agency_type: str, on: dt.date | None, extra: Iterable[Agency] = ()
    ) -> Agency:
        """The organisation a letter about ``la`` published on ``on`` means by a generic
        mention of ``agency_type`` ("the police", "health partners", "the local authority").

        ``extra`` are agencies of other sources (records files) that may stand for a type
        in that authority: a CCG a records file names, member of the authority's
        partnership and not yet dissolved on ``on``.

        >>> reg = load_registry()
        >>> reg.resolve("sunderland", "police", dt.date(2019, 6, 14)).label
        'Northumbria Police'
        >>> reg.resolve("sunderland", "local_authority", dt.date(2015, 7, 20)).label
        'Sunderland City Council'
        >>> reg.resolve("sunderland", "local_authority", dt.date(2021, 8, 20)).label
        'Together for Children'
        >>> reg.resolve("sunderland", "health", dt.date(2023, 11, 29)).id
        'nhs-north-east-and-north-cumbria-icb'
        >>> reg.resolve("sunderland", "health", dt.date(2019, 6, 14)).label
        'Sunderland health partners'
        >>> reg.resolve("sunderland", "multi_agency", None).id
        'sunderland-mash'
        """
        extra = tuple(extra)
        key = ("resolve", la, agency_type, on, tuple(a.id for a in extra))
        if key not in self._cache:
            self._cache[key] = self._resolve(la, agency_type, on, extra)
        return self._cache[key]

    def _resolve(self, la: str, agency_type: str, on: dt.date | None, extra) -> Agency:
        authority = self.la(la)
        if agency_type == "local_authority":
            company = self.delivering_company(la, on)
            return company_as_agency(company) if company else self.council(authority)
        if agency_type == "safeguarding_partnership":
            return self.partnership(authority)
        if agency_type == "health":
            if on is not None and on >= ICB_START:
                icbs = self.serving(la, "health", on)
                if icbs:
                    return to_agency(icbs[0])
            for agency in extra:
                if (
                    agency.type == "health"
                    and authority.partnership_id in agency.member_of
                    and (on is None or agency.dissolved is None or on <= agency.dissolved)
                    and (on is None or agency.founded is None or agency.founded <= on)
                ):
                    return agency
            return self.generic(la, "health")
        if agency_type in GENERIC_TYPES:
            return self.generic(la, agency_type)
        listed = self.serving(la, agency_type, on) or self.serving(la, agency_type)
        if listed:
            return to_agency(listed[0])
        national = self.national(agency_type)
        if national:
            return to_agency(national)
        raise InputError(f"no {agency_type} agency is known for {authority.name}")

    def named_in(self, la: str, text: str, on: dt.date | None = None) -> list[Agency]:
        """Listed agencies serving ``la`` (or national) whose name or alternative name the
        text contains: "Northumbria Police", "TfC", "Cafcass".

        >>> [a.id for a in load_registry().named_in("sunderland", "TfC and Northumbria Police")]
        ['northumbria-police', 'together-for-children']
        """
        found = [agency for agency, pattern in self._name_patterns(la) if pattern.search(text)]
        return sorted(found, key=lambda a: a.id)

    def mentions(self, la: str, text: str) -> list[tuple[int, int, Agency]]:
        """Where the text names listed agencies serving ``la`` (or national ones): (start,
        end, agency) for every mention, in text order.

        >>> [(s, a.id) for s, e, a in load_registry().mentions("sunderland", "TfC told the police")]
        [(0, 'together-for-children')]
        """
        found = [
            (m.start(), m.end(), agency)
            for agency, pattern in self._name_patterns(la)
            for m in pattern.finditer(text)
        ]
        return sorted(found, key=lambda x: (x[0], x[1], x[2].id))

    def _name_patterns(self, la: str) -> list[tuple[Agency, re.Pattern]]:
        """(agency, one compiled pattern of all its names) for the agencies serving ``la``."""
        key = ("names", la)
        if key not in self._cache:
            authority = self.la(la)
            candidates = [
                (to_agency(a), (a.label, *a.alt_labels))
                for a in self.agencies.values()
                if a.serves_la(la) and a.id != authority.council_id
            ]
            candidates.append((self.council(authority), (authority.council_label,)))
            self._cache[key] = [(agency, _names_pattern(names)) for agency, names in candidates]
        return self._cache[key]

    # -- as records ----------------------------------------------------------------------

    def council(self, authority: LocalAuthority) -> Agency:
        identifiers = {
            k: v
            for k, v in (
                ("gss", authority.gss),
                ("ofsted_urn", authority.ofsted_urn),
                ("dfe_code", authority.dfe_code),
            )
            if v
        }
        listed = self.agencies.get(authority.council_id)  # extra facts about a council
        alt = tuple(
            dict.fromkeys(
                n
                for n in (authority.name, *authority.names, *(listed.alt_labels if listed else ()))
                if n and n != authority.council_label
            )
        )
        return Agency(
            id=authority.council_id,
            label=authority.council_label,
            type="local_authority",
            alt_labels=alt,
            identifiers=identifiers,
            description=listed.description if listed else None,
            homepage=listed.homepage if listed else None,
            member_of=(authority.partnership_id,),
        )

    def partnership(self, authority: LocalAuthority) -> Agency:
        listed = self.agencies.get(authority.partnership_id)
        if listed is not None:
            return to_agency(listed)
        name = authority.name
        return Agency(
            id=authority.partnership_id,
            label=authority.partnership_label,
            type="safeguarding_partnership",
            alt_labels=(
                f"{name} Safeguarding Children Partnership",
                f"{name} Safeguarding Children Board",
                f"{name} LSCB",
            ),
            description=(
                f"The multi-agency safeguarding arrangements for children in {name}: "
                "the local safeguarding children board, succeeded in 2019 by the "
                "safeguarding partnership of the council, police and health."
            ),
        )

    def records_agencies(self) -> list[Agency]:
        """Every agency of the registry as records (councils, partnerships, listed agencies)."""
        out: dict[str, Agency] = {}
        members: dict[str, set[str]] = {}
        for agency in self.agencies.values():
            if agency.type in ("police", "health"):
                for s in agency.serves:
                    if s.la in self.las:
                        members.setdefault(agency.id, set()).add(self.las[s.la].partnership_id)
        for authority in sorted(self.las.values(), key=lambda a: a.key):
            out[authority.council_id] = self.council(authority)
            out[authority.partnership_id] = self.partnership(authority)
            # each authority's own organisations of the generic types, defined once here so
            # that letters (one graph each) only refer to them
            for agency_type in GENERIC_TYPES:
                generic = self.generic(authority.key, agency_type)
                out[generic.id] = generic
        councils = {la.council_id for la in self.las.values()}
        for agency in self.agencies.values():
            if agency.id in councils:
                continue  # merged into the council above
            a = to_agency(agency)
            extra = tuple(sorted(members.get(agency.id, set()) - set(a.member_of)))
            linked = tuple(dict.fromkeys(self.las[s.la].council_id for s in agency.delivers))
            if extra or linked:
                a = Agency(**{**a.__dict__, "member_of": a.member_of + extra, "linked_to": linked})
            out[a.id] = a
        return [out[k] for k in sorted(out)]

    def graph(self):
        """The registry as RDF: every agency (``rdfmap``'s shape), each council's region
        (``dcterms:coverage``, a concept of the regions scheme) and Ofsted web page, and
        each listed agency's sources (``dcterms:source``) and unverified facts
        (``rdfs:comment``)."""
        from rdflib import RDFS, Literal, URIRef
        from rdflib.namespace import DCTERMS

        from ..model.rdfmap import agency_iri, records_to_graph
        from ..model.records import Records
        from ..ontology import concept

        g = records_to_graph(Records(source="registry", agencies=tuple(self.records_agencies())))
        for authority in self.las.values():
            s = agency_iri(authority.council_id)
            if authority.region:
                g.add((s, DCTERMS.coverage, concept("regions", authority.region)))
            if authority.web_link:
                g.add((s, RDFS.seeAlso, URIRef(authority.web_link)))
            if authority.council_label_source != "generic":
                g.add(
                    (
                        s,
                        DCTERMS.source,
                        Literal(f"name as headed in {authority.council_label_source}"),
                    )
                )
            if not authority.current:
                g.add(
                    (
                        s,
                        RDFS.comment,
                        Literal(
                            "A local authority that no longer exists (Ofsted's files: 'No longer "
                            "exists', or the table of authorities that existed before the "
                            "restructure)."
                        ),
                    )
                )
        for agency in self.agencies.values():
            s = agency_iri(agency.id)
            for source in agency.sources:
                g.add((s, DCTERMS.source, Literal(source)))
            for fact in agency.unverified:
                g.add(
                    (
                        s,
                        RDFS.comment,
                        Literal(f"Not attested by the shared research material: {fact}."),
                    )
                )
        for (la, agency_id), document in sorted(self.attested.items()):
            g.add(
                (
                    agency_iri(agency_id),
                    DCTERMS.source,
                    Literal(f"named in a letter or report of {self.las[la].name}: {document}"),
                )
            )
        return g

    def region_of(self, council_id: str) -> str | None:
        authority = self.la_of_council(council_id)
        return authority.region if authority else None


def to_agency(agency: RegistryAgency) -> Agency:
    return Agency(
        id=agency.id,
        label=agency.label,
        type=agency.type,
        alt_labels=agency.alt_labels,
        description=agency.description,
        homepage=agency.homepage,
        founded=agency.founded,
        dissolved=agency.dissolved,
        member_of=agency.member_of,
        identifiers=dict(agency.identifiers),
    )


def company_as_agency(agency: RegistryAgency) -> Agency:
    a = to_agency(agency)
    return Agency(**{**a.__dict__, "linked_to": ()})


def _names_pattern(names) -> re.Pattern:
    """One pattern matching any of the names as :func:`_mentions` would."""
    parts = []
    for name in names:
        if not name:
            continue
        if len(name) <= 4 or name.isupper():
            parts.append(rf"(?-i:{re.escape(name)})")
        else:
            parts.append(re.sub(r"['’]", "['’]", re.escape(name).replace("\\ ", r"\s+")))
    if not parts:
        return re.compile(r"(?!x)x")
    return re.compile(rf"(?<![\w-])(?:{'|'.join(parts)})(?![\w-])", re.IGNORECASE)


def _mentions(text: str, name: str) -> bool:
    if not name:
        return False
    if len(name) <= 4 or name.isupper():
        return re.search(rf"(?<![\w-]){re.escape(name)}(?![\w-])", text) is not None
    pattern = re.sub(r"['’]", "['’]", re.escape(name).replace("\\ ", r"\s+"))
    return re.search(rf"(?<![\w-]){pattern}(?![\w-])", text, re.IGNORECASE) is not None


# ---------------------------------------------------------------------- loading


def _data(name: str) -> str:
    return (
        resources.files("inspectgraph")
        .joinpath("data", "registry", name)
        .read_text(encoding="utf-8")
    )


def _date(value, where: str) -> dt.date | None:
    if value is None or value == "":
        return None
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError:
        raise InputError(f"{where}: {value!r} is not a date YYYY-MM-DD") from None


def _services(items, where: str) -> tuple[Service, ...]:
    out = []
    for item in items or ():
        if isinstance(item, str):
            out.append(Service(la=item))
        elif isinstance(item, dict):
            out.append(
                Service(
                    la=str(item["la"]),
                    start=_date(item.get("from"), where),
                    end=_date(item.get("until"), where),
                    precision=str(item.get("precision", "day")),
                    end_basis=str(item.get("until_basis", "")),
                )
            )
        else:
            raise InputError(f"{where}: 'serves'/'delivers' items must be keys or mappings")
    return tuple(out)


def parse_agencies(text: str, source: str = "agencies.yaml") -> dict[str, RegistryAgency]:
    from ..ontology import concept_keys

    data = yaml.safe_load(text)
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise InputError(f"{source}: format must be {FORMAT!r}")
    known = {
        "id",
        "label",
        "type",
        "alt_labels",
        "description",
        "homepage",
        "founded",
        "dissolved",
        "national",
        "serves",
        "delivers",
        "member_of",
        "identifiers",
        "sources",
        "unverified",
    }
    out: dict[str, RegistryAgency] = {}
    for i, item in enumerate(data.get("agencies") or []):
        where = f"{source}: agencies[{i}]"
        if not isinstance(item, dict):
            raise InputError(f"{where}: expected a mapping")
        unknown = sorted(set(item) - known)
        if unknown:
            raise InputError(f"{where}: unknown key {unknown[0]!r}")
        if item.get("type") not in concept_keys("agency-types"):
            raise InputError(f"{where}: unknown agency type {item.get('type')!r}")
        agency = RegistryAgency(
            id=str(item["id"]),
            label=str(item["label"]),
            type=str(item["type"]),
            alt_labels=tuple(map(str, item.get("alt_labels") or ())),
            description=item.get("description"),
            homepage=item.get("homepage"),
            founded=_date(item.get("founded"), where),
            dissolved=_date(item.get("dissolved"), where),
            national=bool(item.get("national", False)),
            serves=_services(item.get("serves"), where),
            delivers=_services(item.get("delivers"), where),
            member_of=tuple(map(str, item.get("member_of") or ())),
            identifiers={str(k): str(v) for k, v in (item.get("identifiers") or {}).items()},
            sources=tuple(map(str, item.get("sources") or ())),
            unverified=tuple(map(str, item.get("unverified") or ())),
        )
        from ..model.records import AREA_CODE_PREFIXES, IDENTIFIER_KEYS

        for key, value in agency.identifiers.items():
            if key not in IDENTIFIER_KEYS:
                raise InputError(f"{where}: unknown identifier {key!r}")
            if not value.startswith(AREA_CODE_PREFIXES.get(key) or ("",)):
                raise InputError(f"{where}: {key} {value!r} has the wrong prefix")
        if agency.id in out:
            raise InputError(f"{where}: duplicate id {agency.id!r}")
        out[agency.id] = agency
    return out


LA_COLUMNS = [
    "key",
    "name",
    "status",
    "council_id",
    "council_label",
    "council_label_source",
    "gss",
    "former_gss",
    "ofsted_urn",
    "dfe_code",
    "region",
    "la_type",
    "names",
    "web_link",
    "partnership_id",
    "partnership_label",
]


def parse_las(text: str) -> dict[str, LocalAuthority]:
    out = {}

    def split(value: str) -> tuple[str, ...]:
        return tuple(x for x in value.split("|") if x)

    for row in csv.DictReader(text.splitlines()):
        out[row["key"]] = LocalAuthority(
            key=row["key"],
            name=row["name"],
            status=row["status"],
            council_id=row["council_id"],
            council_label=row["council_label"],
            council_label_source=row["council_label_source"],
            gss=row["gss"],
            former_gss=split(row["former_gss"]),
            ofsted_urn=row["ofsted_urn"],
            dfe_code=row["dfe_code"],
            region=row["region"],
            la_type=row["la_type"],
            names=split(row["names"]),
            web_link=row["web_link"],
            partnership_id=row["partnership_id"],
            partnership_label=row["partnership_label"],
        )
    return out


@lru_cache(maxsize=1)
def load_registry() -> Registry:
    """The bundled registry (cached)."""
    las = parse_las(_data("las.csv"))
    agencies = parse_agencies(_data("agencies.yaml"))
    attested = {}
    for row in csv.DictReader(_data("attested.csv").splitlines()):
        attested[(row["la"], row["agency"])] = row["document"]
    for agency in agencies.values():
        for s in agency.serves + agency.delivers:
            if s.la not in las:
                raise InputError(f"agencies.yaml: {agency.id} serves unknown authority {s.la!r}")
    return Registry(las=las, agencies=agencies, attested=attested)


# ---------------------------------------------------------------------- generation

REGION_KEYS = {
    "North East": "north_east",
    "North West": "north_west",
    "Yorkshire and the Humber": "yorkshire_and_the_humber",
    "Yorkshire and The Humber": "yorkshire_and_the_humber",
    "East Midlands": "east_midlands",
    "West Midlands": "west_midlands",
    "East of England": "east_of_england",
    "London": "london",
    "South East": "south_east",
    "South West": "south_west",
}
# The lookup's area names, shortened the way Ofsted's letters and the corpus file names do.
KEY_FIXES = {
    "Bristol, City of": "bristol",
    "Kingston Upon Hull, City of": "kingston-upon-hull",
    "Bedford Borough": "bedford",
    "St. Helens": "st-helens",
}
SHORT_NAMES = {
    "Bristol, City of": "Bristol",
    "Kingston Upon Hull, City of": "Kingston upon Hull",
    "Bedford Borough": "Bedford",
    "St. Helens": "St Helens",
}
# Authorities that no longer exist and are not in the lookup: only in Ofsted's table 11 of
# "Children's social care data in England 2023" (LA_inspections_2009-2023) and, for
# Bournemouth, in the ILACS inspection history (area code E06000028, "No longer exists").
FORMER = [
    {"key": "bournemouth", "name": "Bournemouth", "region": "south_west", "la_type": "Unitary"},
    {
        "key": "dorset-county",
        "name": "Dorset County",
        "region": "south_west",
        "la_type": "Shire County",
        "names": "Dorset",
    },
]
_COUNCIL_HEADER = re.compile(
    r"^(?:(?:The )?(?:London|Royal|Metropolitan) Borough of [A-Z][\w ,&'-]+|"
    r"Borough of [A-Z][\w ,'-]+|Council of the [A-Z][\w ,'-]+|[A-Z][\w ,&'.-]+ Council)$"
)


def _council_name(lines: list[str]) -> str | None:
    """The council a report's heading names: its first line(s) ("Sunderland City Council",
    "London Borough of Barking and" / "Dagenham"), or the newer "Inspection of Kent County
    Council children's services"."""
    head = " ".join(" ".join(lines[:3]).split()).replace("’", "'")
    m = re.match(r"^Inspection of (?:the )?(.+?) (?:local authority )?children's services", head)
    if m:
        name = m.group(1)
    elif lines[0].startswith("Inspection") or len(lines) < 2:
        return None
    else:
        name = lines[0]
        if not re.match(r"^(Inspection|Re-?inspection|Review)\b", lines[1]) and len(lines[1]) < 30:
            name = f"{lines[0]} {lines[1]}"
        name = " ".join(name.split()).replace("’", "'")
    return name if _COUNCIL_HEADER.match(name) else None


def _council_names_from_corpus(corpus: Path) -> dict[str, tuple[str, str]]:
    """URN -> (council name, report path): the heading of the newest ILACS or SIF report
    that names the council itself ("Sunderland City Council", "London Borough of Barnet")."""
    manifest = list(csv.DictReader((corpus / "manifest.csv").open(encoding="utf-8")))
    found: dict[str, tuple[str, str]] = {}
    for row in sorted(manifest, key=lambda r: r["published"], reverse=True):
        if row["document_type"] != "inspection_report" or row["urn"] in found:
            continue
        lines = [
            ln.strip() for ln in (corpus / row["path"]).read_text(encoding="utf-8").splitlines()
        ]
        lines = [ln for ln in lines if ln and not ln.isdigit()][:3]
        name = _council_name(lines) if lines else None
        if name:
            found[row["urn"]] = (name, row["path"])
    return found


def generate_las(lookup: Path, outcomes_dir: Path, corpus: Path) -> list[dict[str, str]]:
    """Rows of ``las.csv`` from Ofsted's provider lookup, outcome files and the corpus."""
    from ..model.rdfmap import slug

    rows: list[dict[str, str]] = []
    names_seen: dict[str, set[str]] = {}
    former_gss: dict[str, set[str]] = {}
    links: dict[str, str] = {}
    councils = _council_names_from_corpus(corpus)
    for rec in csv.DictReader(lookup.open(encoding="utf-8-sig")):
        ons = rec["local_authority_ons_name"]
        key = KEY_FIXES.get(ons, slug(ons))
        name = SHORT_NAMES.get(ons, ons)
        aka = [x.strip() for x in rec["also_known_as"].strip("[]").split(",") if x.strip()]
        if "Bournemouth, Christchurch & Poole" in rec["also_known_as"]:
            aka = ["BCP", "Bournemouth, Christchurch & Poole"]
        names = {ons, *aka, rec["ltla23nm"], rec["utla23nm"]} - {"", name}
        council = councils.get(rec["urn"])
        label, source = council if council else (f"{name} (local authority)", "generic")
        current = rec["country"] == "England" and rec["ons_la_type"] != ""
        rows.append(
            {
                "key": key,
                "name": name,
                "status": "current" if current else "former",
                "council_id": slug(label),
                "council_label": label,
                "council_label_source": source,
                "gss": rec["la_code_new"],
                "former_gss": "",
                "ofsted_urn": rec["urn"],
                "dfe_code": rec["la_code"],
                "region": REGION_KEYS[rec["region_name"]],
                "la_type": rec["ons_la_type"],
                "names": "|".join(sorted(names)),
                "web_link": "",
                "partnership_id": f"{key}-safeguarding-partnership",
                "partnership_label": f"{name} safeguarding children partnership",
            }
        )
    for extra in FORMER:
        key = extra["key"]
        label = f"{extra['name']} (local authority)"
        rows.append(
            {
                "key": key,
                "name": extra["name"],
                "status": "former",
                "council_id": slug(label),
                "council_label": label,
                "council_label_source": "generic",
                "gss": "",
                "former_gss": "",
                "ofsted_urn": "",
                "dfe_code": "",
                "region": extra["region"],
                "la_type": extra["la_type"],
                "names": extra.get("names", ""),
                "web_link": "",
                "partnership_id": f"{key}-safeguarding-partnership",
                "partnership_label": f"{extra['name']} safeguarding children partnership",
            }
        )
    by_key = {r["key"]: r for r in rows}
    # names, former codes and web links as Ofsted's files give them
    tmp = Registry(las=parse_las(_to_csv(rows)), agencies={})
    from .outcomes import iter_outcome_rows

    for path in sorted(outcomes_dir.iterdir()):
        if path.suffix not in (".csv", ".ods") or path.name == lookup.name:
            continue
        for row in iter_outcome_rows(path):
            name, gss = row.get("name", ""), row.get("gss", "")
            la = tmp.find_la(name=None, gss=gss) if gss else None
            la = la or tmp.find_la(name=name, former=row.get("former", False))
            if la is None:
                continue
            if name and normalise_name(name) not in {
                normalise_name(n) for n in (la.name, *la.names)
            }:
                names_seen.setdefault(la.key, set()).add(name)
            if gss and gss != la.gss:
                former_gss.setdefault(la.key, set()).add(gss)
            if row.get("status", "").lower() == "no longer exists":
                by_key[la.key]["status"] = "former"
            # Ofsted's provider pages are /provider/44/<DfE code or URN>; the 2025 files link
            # some former authorities to their successor's page, so keep only own links
            link = row.get("web_link", "")
            m = re.search(r"/provider/\d+/(\d+)$", link)
            if m and la.key not in links:
                code = m.group(1)
                r = by_key[la.key]
                if not r["ofsted_urn"] and len(code) >= 5 and not r["dfe_code"]:
                    r["ofsted_urn"] = code  # a former authority's URN, from its own page
                if code in (r["dfe_code"], r["ofsted_urn"]):
                    links[la.key] = link
    for key, extra_names in names_seen.items():
        r = by_key[key]
        r["names"] = "|".join(sorted(set(filter(None, r["names"].split("|"))) | extra_names))
    for key, codes in former_gss.items():
        r = by_key[key]
        if not r["gss"] and len(codes) == 1:
            r["gss"] = codes.pop()  # a former authority known only by its old code
        else:
            r["former_gss"] = "|".join(sorted(codes))
    for key, link in links.items():
        by_key[key]["web_link"] = link
    return sorted(rows, key=lambda r: r["key"])


def _to_csv(rows: list[dict[str, str]]) -> str:
    import io

    buf = io.StringIO()
    w = csv.DictWriter(buf, fieldnames=LA_COLUMNS, lineterminator="\n")
    w.writeheader()
    w.writerows(rows)
    return buf.getvalue()


def generate_attested(registry: Registry, corpus: Path) -> list[dict[str, str]]:
    """For each (authority, listed agency serving it), the earliest corpus text of that
    authority that names the agency (label or alternative label)."""
    manifest = list(csv.DictReader((corpus / "manifest.csv").open(encoding="utf-8")))
    by_urn: dict[str, list[dict]] = {}
    for row in manifest:
        by_urn.setdefault(row["urn"], []).append(row)
    out = []
    for authority in sorted(registry.las.values(), key=lambda a: a.key):
        docs = sorted(by_urn.get(authority.ofsted_urn, []), key=lambda r: r["published"])
        texts = [
            (
                d["path"],
                dt.date.fromisoformat(d["published"]),
                " ".join((corpus / d["path"]).read_text(encoding="utf-8").split()),
            )
            for d in docs
        ]
        for agency in registry.agencies.values():
            if agency.national or not agency.serves_la(authority.key):
                continue
            for path, published, text in texts:
                if agency.founded and published < agency.founded:
                    continue
                if any(
                    _mentions(text, n) for n in (agency.label, *agency.alt_labels) if len(n) > 4
                ):
                    out.append({"la": authority.key, "agency": agency.id, "document": path})
                    break
    return out


def main(argv: list[str] | None = None) -> int:
    """``python -m inspectgraph.sources.registry generate --corpus DIR``: regenerate las.csv and
    attested.csv from the official files and texts of the corpus."""
    import argparse

    parser = argparse.ArgumentParser(prog="python -m inspectgraph.sources.registry")
    parser.add_argument("command", choices=["generate"])
    parser.add_argument("--corpus", type=Path, required=True)
    parser.add_argument(
        "--out", type=Path, default=Path(__file__).resolve().parents[1] / "data" / "registry"
    )
    args = parser.parse_args(argv)
    outcomes = args.corpus / "outcomes"
    rows = generate_las(outcomes / "ofsted_la_provider_lookup.csv", outcomes, args.corpus)
    (args.out / "las.csv").write_text(_to_csv(rows), encoding="utf-8")
    load_registry.cache_clear()
    registry = Registry(
        las=parse_las(_to_csv(rows)),
        agencies=parse_agencies((args.out / "agencies.yaml").read_text("utf-8")),
    )
    attested = generate_attested(registry, args.corpus)
    with (args.out / "attested.csv").open("w", encoding="utf-8", newline="") as fh:
        w = csv.DictWriter(fh, fieldnames=["la", "agency", "document"], lineterminator="\n")
        w.writeheader()
        w.writerows(attested)
    print(f"wrote {len(rows)} authorities and {len(attested)} attestations to {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
