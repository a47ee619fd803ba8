"""The agency registry: every local authority's council and the organisations letters name.

Bundled data, each fact with its source (``data/registry/``):

- ``las.csv`` -- one row per local authority, current or former: its council (id and
  label), ONS GSS code, Ofsted URN, DfE code, region, the names Ofsted's files use for it,
  its safeguarding partnership. Generated from Ofsted's official files and the corpus by
  ``python -m tools.generate_registry generate`` (see :func:`tools.generate_registry.generate_las`).
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
from collections.abc import Iterable
from dataclasses import dataclass, field, fields
from functools import lru_cache
from importlib import resources

from ..errors import InputError
from ..model.records import Agency
from .registry_model import (
    GENERIC_TYPES,
    ICB_START,
    PLACEHOLDER_TYPES,
    LocalAuthority,
    RegistryAgency,
    normalise_name,
)
from .registry_parse import parse_agencies, parse_las

__all__ = ["Registry", "company_as_agency", "load_registry", "text_mentions", "to_agency"]


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
        named = _named_maybe(self._name_patterns(la), text)
        found = [agency for agency, pattern in named if pattern.search(text)]
        return sorted(found, key=lambda a: a.id)

    def mentions(self, la: str, text: str) -> list[tuple[int, int, Agency]]:
        """Where the text names listed agencies serving ``la`` (or national ones): (start,
        end, agency) for every mention, in text order.

        >>> [(s, a.id) for s, e, a in load_registry().mentions("sunderland", "TfC told the police")]
        [(0, 'together-for-children')]
        """
        found = [
            (m.start(), m.end(), agency)
            for agency, pattern in _named_maybe(self._name_patterns(la), text)
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
            self._cache[key] = _NamePatterns(
                [(agency, _names_pattern(names)) for agency, names in candidates],
                [_first_words(names) for _agency, names in candidates],
            )
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
    """The model's Agency of a registry agency: the fields it has as an Agency, its identifiers
    copied."""
    shared = {f.name: getattr(agency, f.name) for f in fields(Agency)}
    return Agency(**{**shared, "identifiers": dict(agency.identifiers)})


def company_as_agency(agency: RegistryAgency) -> Agency:
    a = to_agency(agency)
    return Agency(**{**a.__dict__, "linked_to": ()})


class _NamePatterns(list):
    """The (agency, pattern) pairs of an authority, with the lower-case first word of each
    agency's names (None where a name has no plain ASCII first word)."""

    def __init__(self, pairs, firsts):
        super().__init__(pairs)
        self.firsts = firsts
        self.words = sorted({w for names in firsts if names for w in names})  # each once


def _first_words(names) -> tuple[str, ...] | None:
    firsts = []
    for name in names:
        if not name:
            continue
        first = re.split(r"[\s'’]", name, maxsplit=1)[0].lower()
        if not first or not first.isascii():
            return None
        firsts.append(first)
    return tuple(firsts)


# characters that match an ASCII letter when case is ignored though their lower case is
# not that letter (dotless i, capital I with dot, long s, Kelvin sign)
_FOLDS_TO_ASCII = re.compile("[\u0131\u0130\u017f\u212a]")


def _named_maybe(patterns: _NamePatterns, text: str):
    """The (agency, pattern) pairs whose pattern may match the text: an agency none of whose
    names' first words the lower-case text contains cannot be named in it (most sentences
    name no listed agency, and a substring test is cheaper than the pattern's search)."""
    if _FOLDS_TO_ASCII.search(text):
        return patterns
    lower = text.lower()
    present = {word for word in patterns.words if word in lower}
    return [
        pair
        for pair, firsts in zip(patterns, patterns.firsts, strict=True)
        if firsts is None or not present.isdisjoint(firsts)
    ]


def _names_pattern(names) -> re.Pattern:
    """One pattern matching any of the names as :func:`text_mentions` would."""
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


def text_mentions(text: str, name: str) -> bool:
    if not name:
        return False
    if len(name) <= 4 or name.isupper():
        return re.search(rf"(?<![\w-]){re.escape(name)}(?![\w-])", text) is not None
    pattern = re.sub(r"['’]", "['’]", re.escape(name).replace("\\ ", r"\s+"))
    return re.search(rf"(?<![\w-]){pattern}(?![\w-])", text, re.IGNORECASE) is not None


def _data(name: str) -> str:
    return (
        resources.files("inspectgraph")
        .joinpath("data", "registry", name)
        .read_text(encoding="utf-8")
    )


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
