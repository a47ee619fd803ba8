"""The figures of docs/national.md, regenerated from a national store.

    inspectgraph build --corpus ../shared/corpus --corpus ../shared/corpus-joint --store national
    python -m tools.nationaldoc --store national --out national-out

Runs every command the page lists (the build excepted) and its Python API snippet (the
letters-against-joint-inspections split), saves each output in ``--out`` (one JSON file a
command, ``timings.json`` with the CPU, wall time and peak memory of each, ``split.json``
and ``counts.json`` for the figures computed here), and prints the page's tables as
markdown, rounded as the page rounds them, with the figures its sentences quote.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHEET = ROOT / "docs" / "data" / "handcheck-50.tsv"

#: the page's commands, each saved as NAME.json (``--store`` is added)
COMMANDS = {
    "types-lift": ["partnerships", "--by", "type", "--rank", "lift", "--json"],
    "types-count": ["partnerships", "--by", "type", "--json"],
    "agencies-lift-2": ["partnerships", "--rank", "lift", "--min-inspections", "2", "--json"],
    "agencies-lift-3": ["partnerships", "--rank", "lift", "--min-inspections", "3", "--json"],
    "agencies-count-2": ["partnerships", "--min-inspections", "2", "--json"],
    "agencies-all": ["partnerships", "--json"],
    "sunderland": ["partnerships", "--la", "Sunderland", "--json"],
    "trends-framework": ["trends", "--by", "framework", "--json"],
    "transitions": ["trends", "transitions", "--json"],
    "compare-sunderland": ["compare", "--la", "Sunderland", "--json"],
}
#: the figures and the hand check: commands whose output is a file or a line of text
OTHERS = {
    "viz-types": ["viz", "types", "--out", "{out}/types.png"],
    "viz-heatmap": ["viz", "heatmap", "--out", "{out}/heatmap.png"],
    "handcheck-draw": [
        "-m",
        "tools.handcheck",
        "draw",
        "--count",
        "50",
        "--seed",
        "2061",
        "--out",
        "{out}/sheet.tsv",
    ],  # fmt: skip
    "handcheck-tally": ["-m", "tools.handcheck", "tally", str(SHEET)],
}
#: the page's names of agency types (the others: the key, spaced)
TYPE_NAMES = {"local_authority": "council", "multi_agency": "MASH / front door",
              "courts_cafcass": "courts / Cafcass"}  # fmt: skip
#: the inspection kinds of the split: letters and reports are every kind but these two
JOINT_KINDS = ("jtai", "area_send")
THEMES = ("front_door", "information_sharing", "management_oversight", "planning_and_review")
FRAMEWORKS = ("sif", "ilacs", "jtai", "area_send")
SUNDERLAND_PAIR = ["Northumbria Police", "Together for Children"]


def run(name: str, args: list[str], store: str, out: Path) -> dict:
    """Run one command with ``--store``, its standard output to a file; its resource use."""
    if args[0] == "-m":
        argv = [sys.executable, *[a.format(out=out) for a in args]]
    else:
        argv = [
            str(Path(sys.executable).with_name("inspectgraph")),
            *[a.format(out=out) for a in args],
        ]
    if args[-1] != str(SHEET):
        argv += ["--store", store]
    target = out / (f"{name}.json" if name in COMMANDS else f"{name}.txt")
    began = time.perf_counter()
    with target.open("w", encoding="utf-8") as fh:
        child = subprocess.Popen(argv, stdout=fh, cwd=ROOT)
        _, status, usage = os.wait4(child.pid, 0)
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"{' '.join(argv)} failed (exit {os.waitstatus_to_exitcode(status)})")
    return {
        "command": " ".join(
            ["inspectgraph", *args] if args[0] != "-m" else ["python", *args]
        ).format(out=out),
        "wall_s": round(time.perf_counter() - began, 1),
        "cpu_s": round(usage.ru_utime + usage.ru_stime, 1),
        "peak_mb": usage.ru_maxrss // 1024,
    }


def split_by_kind(store_dir: str) -> dict:
    """The page's Python API snippet: the type-level lifts of each kind of inspection, and
    the counts of criticised findings the page quotes."""
    from inspectgraph.analysis.incidence import read_findings
    from inspectgraph.analysis.partnerships import (
        graph_from_findings,
        rank_by_lift,
        type_partnerships,
    )
    from inspectgraph.graph.stores import open_store

    with open_store(store_dir, read_only=True) as store:
        by_finding, labels, criticised, *_ = read_findings(store, polarity="weakness,mixed")
        kinds = {str(i): str(k) for i, k in store.query(
            "PREFIX ig: <https://w3id.org/inspectgraph/def/> PREFIX skos: <http://www.w3.org/2004/02/skos/core#> "
            "SELECT ?i ?k WHERE { ?i ig:inspectionType/skos:notation ?k }").rows}  # fmt: skip
        not_counted = _sheet_pairs_not_counted(store, by_finding, labels)
    keeps = {
        "letters and reports": lambda k: k not in JOINT_KINDS,
        "JTAI letters": lambda k: k == "jtai",
        "area SEND letters": lambda k: k == "area_send",
    }
    split, naming = {}, {}
    for name, keep in keeps.items():
        part = {f: e for f, e in by_finding.items() if keep(kinds.get(e["inspection"], ""))}
        naming[name] = len(part)
        graph = graph_from_findings(part, labels)
        split[name] = rank_by_lift(type_partnerships(graph, min_inspections=1), min_findings=1)
    several = [e for e in by_finding.values() if len(e["agencies"]) >= 2]
    counts = {
        "criticised": criticised,
        "naming_an_agency": len(by_finding),
        "naming_two_or_more": len(several),
        "organisation_pairs": sum(
            len(e["agencies"]) * (len(e["agencies"]) - 1) // 2 for e in several
        ),
        "naming_an_agency_by_kind": naming,
        "handcheck_rows_not_counted": not_counted,
    }
    return {"split": split, "counts": counts}


_AT = """
PREFIX ig: <https://w3id.org/inspectgraph/def/>
PREFIX dcterms: <http://purl.org/dc/terms/>
PREFIX prov: <http://www.w3.org/ns/prov#>
SELECT ?finding WHERE {
  ?report dcterms:identifier ?path . ?finding prov:wasDerivedFrom ?report ; ig:start ?start .
}
"""


def _sheet_pairs_not_counted(store, by_finding, labels) -> list[int]:
    """The rows of the committed hand-check sheet whose pair the store no longer counts at
    the sentence the sheet names (no criticised finding there naming both organisations)."""
    from rdflib import Literal

    with SHEET.open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh, delimiter="\t"))
    missing = []
    for row in rows:
        found = store.query(
            _AT, {"path": Literal(row["report"]), "start": Literal(int(row["start"]))}
        )
        for (finding,) in found.rows:
            named = {labels[a][0] for a in by_finding.get(str(finding), {}).get("agencies", ())}
            if {row["agency_a"], row["agency_b"]} <= named:
                break
        else:
            missing.append(int(row["n"]))
    return missing


# ---- the page's tables -------------------------------------------------------------------


def types(row) -> str:
    return " — ".join(TYPE_NAMES.get(t, t.replace("_", " ")) for t in row["agency_types"])


def p_text(p: float) -> str:
    return f"{p:.1e}" if p < 0.001 else f"{p:.3f}"


def interval(row) -> str:
    return f"{row['lift_low']:.2f}–{row['lift_high']:.2f}"


def table(header: list[str], right: set[int], rows: list[list]) -> str:
    lines = ["| " + " | ".join(header) + " |"]
    lines.append(
        "| " + " | ".join("---:" if i in right else "---" for i in range(len(header))) + " |"
    )
    lines += ["| " + " | ".join(str(c) for c in r) + " |" for r in rows]
    return "\n".join(lines)


def type_lift_table(rows, first=14) -> str:
    return table(
        [
            "agency types",
            "findings",
            "expected",
            "lift",
            "95 % interval",
            "adjusted p",
            "inspections",
            "authorities",
        ],  # fmt: skip
        {1, 2, 3, 5, 6, 7},
        [
            [
                types(r),
                r["findings"],
                f"{r['expected']:.1f}",
                f"{r['lift']:.2f}",
                interval(r),
                p_text(r["p_adjusted"]),
                r["inspections"],
                r["local_authorities"],
            ]
            for r in rows[:first]
        ],  # fmt: skip
    )


def agency_table(rows, first=10) -> str:
    return table(
        [
            "agencies",
            "findings",
            "inspections",
            "longest run",
            "expected",
            "lift",
            "95 % interval",
            "adjusted p",
        ],  # fmt: skip
        {1, 2, 3, 4, 5, 7},
        [
            [
                " — ".join(r["agencies"]),
                r["findings"],
                r["inspections"],
                r["persistence"],
                f"{r['expected']:.2f}",
                f"{r['lift']:.2f}",
                interval(r),
                f"{r['p_adjusted']:.3f}",
            ]
            for r in rows[:first]
        ],  # fmt: skip
    )


def cell(row) -> str:
    if row is None:
        return "–"
    star = " *" if row["p_adjusted"] < 0.05 else ""
    return f"{row['lift']:.2f} ({interval(row)}, n={row['findings']}){star}"


def split_table(national, split) -> str:
    def by_types(rows):
        return {tuple(r["agency_types"]): r for r in rows}

    letters, jtai = by_types(split["letters and reports"]), by_types(split["JTAI letters"])
    rows = [r for r in national if r["findings"] >= 10]
    return table(
        ["agency types", "letters and reports", "JTAI letters", "all (national)"],
        set(),
        [
            [
                types(r),
                cell(letters.get(tuple(r["agency_types"]))),
                cell(jtai.get(tuple(r["agency_types"]))),
                cell(r),
            ]
            for r in rows
        ],  # fmt: skip
    )


def raw_type_table(rows, first=12) -> str:
    return table(
        ["agency types", "findings", "inspections", "authorities", "longest run", "lift"],
        {1, 2, 3, 4, 5},
        [
            [
                types(r),
                r["findings"],
                r["inspections"],
                r["local_authorities"],
                r["persistence"],
                f"{r['lift']:.2f}",
            ]
            for r in rows[:first]
        ],  # fmt: skip
    )


def trends_table(rows) -> str:
    cells = {(r["framework"], r["theme"]): r for r in rows}
    body = []
    for framework in FRAMEWORKS:
        line = [framework]
        for theme in THEMES:
            r = cells.get((framework, theme))
            line.append(
                f"{r['critical']:,} / {r['findings']:,} ({r['critical_share']:.0%})".replace(
                    "%", " %"
                )
            )
        line.append(f"{next(r['all_critical'] for r in rows if r['framework'] == framework):,}")
        body.append(line)
    header = ["framework", "front door: critical / findings", "information sharing",
              "management oversight", "planning and review", "criticisms"]  # fmt: skip
    return table(header, {1, 2, 3, 4, 5}, body)


def summary(data: dict, split: dict, counts: dict) -> str:
    """The figures the page's sentences quote, a line each."""
    tl, a2, a3 = data["types-lift"], data["agencies-lift-2"], data["agencies-lift-3"]
    every, c2 = data["agencies-all"], data["agencies-count-2"]
    out = [
        f"criticised findings {counts['criticised']:,}; naming an agency {counts['naming_an_agency']:,};"
        f" naming two or more organisations {counts['naming_two_or_more']:,}"
        f" ({counts['organisation_pairs']:,} pairs of organisations);"
        f" by kind {counts['naming_an_agency_by_kind']}",
        f"type pairs with >=3 findings {len(tl)}: adjusted p<0.05 {sum(r['p_adjusted'] < 0.05 for r in tl)},"
        f" p<0.05 {sum(r['p_value'] < 0.05 for r in tl)}, interval above 1 {sum(r['lift_low'] > 1 for r in tl)},"
        f" below 1 {sum(r['lift_high'] < 1 for r in tl)}; type pairs by count {len(data['types-count'])}",
        f"agency pairs, >=2 inspections and >=3 findings {len(a2)}: interval above 1"
        f" {sum(r['lift_low'] > 1 for r in a2)}; on exactly two inspections"
        f" {sum(r['inspections'] == 2 for r in a2)}, of which above 1"
        f" {sum(r['inspections'] == 2 and r['lift_low'] > 1 for r in a2)}; intervals of a point:"
        f" {[' — '.join(r['agencies']) for r in a2 if r['lift_low'] == r['lift_high']]}",
        f"agency pairs, >=3 inspections {len(a3)}: interval above 1 {sum(r['lift_low'] > 1 for r in a3)}",
        f"agency pairs in >=2 inspections {len(c2)}; in all {len(every)};"
        f" smallest adjusted p {min(r['p_adjusted'] for r in every):.2f}",
    ]
    names = [r["agencies"] for r in every]
    if SUNDERLAND_PAIR in names:
        s = every[names.index(SUNDERLAND_PAIR)]
        longest = max(r["persistence"] for r in every)
        lift_rank = [r["agencies"] for r in a2].index(SUNDERLAND_PAIR) + 1 if s in a2 else None
        out.append(
            f"Sunderland pair: rank {names.index(SUNDERLAND_PAIR) + 1} by count of {len(every)};"
            f" {s['findings']} findings in {s['inspections']} inspections ({s['first']} to {s['last']}),"
            f" run {s['persistence']} (pairs with the longest run, {longest}:"
            f" {sum(r['persistence'] == longest for r in every)}), lift {s['lift']:.2f} (expected"
            f" {s['expected']:.2f}, {interval(s)}), p {s['p_value']:.2f}, adjusted p {s['p_adjusted']:.2f};"
            f" rank by lift {lift_rank} of {len(a2)}"
        )
    out.append(
        "--la Sunderland: "
        + "; ".join(
            f"{' — '.join(r['agencies'])} {r['findings']} findings in {r['inspections']}"
            f" inspections, lift {r['lift']:.2f}"
            for r in data["sunderland"][:3]
        )
    )
    jt = {tuple(r["agency_types"]): r for r in split["JTAI letters"]}
    send = {tuple(r["agency_types"]): r for r in split["area SEND letters"]}
    for pair in (("education", "health"), ("probation", "youth_justice")):
        out.append(
            f"{' — '.join(pair)}: JTAI {jt.get(pair, {}).get('findings', 0)},"
            f" area SEND {send.get(pair, {}).get('findings', 0)}"
        )
    out.append(
        f"hand-check rows whose pair is no longer counted at their sentence:"
        f" {counts['handcheck_rows_not_counted']}"
    )
    moves = [r for r in data["transitions"] if r["area"] == "overall_effectiveness"]
    out.append(f"transitions of overall effectiveness {sum(r['transitions'] for r in moves)}")
    for start in ("inadequate", "good"):
        of = [r for r in moves if r["from_grade"] == start]
        out.append(
            f"  from {start} ({of[0]['from_total'] if of else 0}): "
            + ", ".join(
                f"{r['to_grade']} {r['transitions']} ({r['share_of_from']:.0%}, median"
                f" {r['median_years']} y)"
                for r in of
            )
        )
    c = data["compare-sunderland"]
    share = {r["theme"]: r for r in c["themes"]}
    some = share[THEMES[0]]
    out.append(
        f"Sunderland criticisms {some['authority_all_critical']:,} (England"
        f" {some['england_all_critical']:,}): "
        + ", ".join(
            f"{t} {share[t]['authority_share_of_critical']:.1%}"
            f" (England {share[t]['england_share_of_critical']:.1%})"
            for t in ("children_in_care", "planning_and_review", "leadership_and_governance")
        )
    )
    return "\n".join(out)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--store", required=True, help="the national store")
    parser.add_argument("--out", type=Path, required=True, help="folder for the outputs")
    parser.add_argument(
        "--skip-run", action="store_true", help="print from the outputs already in --out"
    )
    args = parser.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)
    if not args.skip_run:
        timings = {n: run(n, c, args.store, args.out) for n, c in {**COMMANDS, **OTHERS}.items()}
        (args.out / "timings.json").write_text(json.dumps(timings, indent=2) + "\n")
        found = split_by_kind(args.store)
        (args.out / "split.json").write_text(json.dumps(found["split"], indent=1) + "\n")
        (args.out / "counts.json").write_text(json.dumps(found["counts"], indent=1) + "\n")
    data = {n: json.loads((args.out / f"{n}.json").read_text()) for n in COMMANDS}
    split = json.loads((args.out / "split.json").read_text())
    counts = json.loads((args.out / "counts.json").read_text())
    timings = json.loads((args.out / "timings.json").read_text())
    sections = [
        (
            "Pairs of agency types against chance (the first fourteen)",
            type_lift_table(data["types-lift"]),
        ),
        ("Letters against joint inspections", split_table(data["types-lift"], split)),
        (
            "Pairs of agencies, two or more inspections, by lift",
            agency_table(data["agencies-lift-2"]),
        ),
        ("Three or more inspections, by lift", agency_table(data["agencies-lift-3"], first=8)),
        ("Pairs of agencies by count", agency_table(data["agencies-count-2"])),
        ("Raw counts by type", raw_type_table(data["types-count"])),
        ("Four themes by framework", trends_table(data["trends-framework"])),
        ("Figures the sentences quote", summary(data, split, counts)),
        ("Handcheck tally", (args.out / "handcheck-tally.txt").read_text().strip()),
        (
            "CPU, wall time and peak memory of each command",
            "\n".join(
                f"{t['cpu_s']:>6} s CPU {t['wall_s']:>6} s wall {t['peak_mb']:>5} MB  {t['command']}"
                for t in timings.values()
            ),
        ),  # fmt: skip
    ]
    print("\n\n".join(f"## {title}\n\n{body}" for title, body in sections))
    return 0


if __name__ == "__main__":
    sys.exit(main())
