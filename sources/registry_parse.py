"""Reading the registry's bundled files: ``agencies.yaml`` and ``las.csv`` into the model
(:mod:`inspectgraph.sources.registry_model`), each error naming the file and entry."""

from __future__ import annotations

import csv
import datetime as dt

import yaml

from ..errors import InputError
from .registry_model import FORMAT, LocalAuthority, RegistryAgency, Service


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
    from ..model.concepts import concept_keys

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
