"""Regenerate the registry's generated files (``data/registry/las.csv`` and ``attested.csv``)
from Ofsted's official files and the corpus's texts.

``python -m tools.generate_registry generate --corpus DIR``
"""

from __future__ import annotations

import csv
import datetime as dt
import re
from pathlib import Path

from inspectgraph.sources.manifest import manifest_rows
from inspectgraph.sources.registry import Registry, load_registry, text_mentions
from inspectgraph.sources.registry_model import normalise_name
from inspectgraph.sources.registry_parse import LA_COLUMNS, parse_agencies, parse_las

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
    manifest = manifest_rows(corpus)
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
    from inspectgraph.model.rdfmap import slug

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
    from inspectgraph.sources.outcomes_parse import iter_outcome_rows

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
    manifest = manifest_rows(corpus)
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
                    text_mentions(text, n) for n in (agency.label, *agency.alt_labels) if len(n) > 4
                ):
                    out.append({"la": authority.key, "agency": agency.id, "document": path})
                    break
    return out


def main(argv: list[str] | None = None) -> int:
    """``python -m tools.generate_registry generate --corpus DIR``: regenerate las.csv and
    attested.csv from the official files and texts of the corpus."""
    import argparse

    parser = argparse.ArgumentParser(prog="python -m tools.generate_registry")
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
