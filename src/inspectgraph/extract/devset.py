"""Growing the hand-labelled development set without storing letter texts.

``python -m inspectgraph.extract.devset sample --out SHEET.tsv`` chooses documents of the
corpus that are not in ``tests/devset/findings.tsv`` yet — stratified by layout and year,
one per local authority not yet labelled, with a fixed seed — draws up to ``--per-doc``
sentences of each at random from the findings the segmenter finds, and writes a labelling
sheet *with* the sentences' text (keep it outside the repository: letter texts are not
bundled). New documents alternate between the ``dev`` and ``holdout`` splits, so no
document is in both; ``--split`` puts them all in one split instead (``holdout2`` is the
second holdout, drawn after the rules had been tuned against ``holdout``).

The annotator fills the ``polarity`` column following the guideline in
``docs/extraction.md``, without seeing what the extractor predicts, and
``python -m inspectgraph.extract.devset merge SHEET.tsv`` appends the labelled rows to
``tests/devset/findings.tsv`` without their text (path, offsets, hash and labels only).
Rows added this way are labelled for polarity only: their ``themes`` and ``agencies``
are ``?`` and the theme and agency scores skip them.

>>> stratum({"document_type": "focused_visit", "published": "2019-05-07"}, "focused_visit")
'focused_visit 2019'
>>> stratum({"document_type": "inspection_report", "published": "2015-05-13"}, "sif")
'sif 2015'
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import random
import sys
from pathlib import Path

__all__ = ["FIELDS", "SPLITS", "UNLABELLED", "choose_documents", "merge", "sample", "stratum"]

FIELDS = ["path", "start", "end", "sha", "split", "polarity", "themes", "agencies"]
UNLABELLED = "?"  # themes/agencies not labelled (polarity-only rows)
# dev: used to write the rules; holdout: scored once the rules were frozen (then looked at);
# holdout2: a fresh holdout drawn and labelled blind after that; holdout3 to holdout5 likewise,
# each scored once with the rules frozen before it was (see docs/extraction.md).
SPLITS = ("dev", "holdout", "holdout2", "holdout3", "holdout4", "holdout5")

# How many new documents of each layout, per publication year (the corpus spans 2013-2024).
PLAN = {
    "focused_visit": {
        "2018": 3,
        "2019": 2,
        "2020": 2,
        "2021": 3,
        "2022": 2,
        "2023": 2,
        "2024": 3,
    },
    "ilacs": {
        "2018": 1,
        "2019": 2,
        "2020": 1,
        "2021": 1,
        "2022": 2,
        "2023": 2,
        "2024": 3,
    },
    "sif": {"2014": 2, "2015": 2, "2016": 2, "2017": 1},
}


def stratum(row: dict, layout: str) -> str:
    """The sampling stratum of a manifest row: layout family and publication year."""
    return f"{layout} {row['published'][:4]}"


def _layout_family(layout: str) -> str | None:
    if layout.startswith("focused"):
        return "focused_visit"
    if layout == "ilacs":
        return "ilacs"
    if layout.startswith("sif"):
        return "sif"
    return None


def choose_documents(
    corpus: Path, devset: Path, *, seed: int = 2025, plan_scale: int = 1, new_las_only: bool = True
) -> list[str]:
    """Corpus paths of documents not in the set yet, at most one per local authority.

    With ``new_las_only`` (the default) only authorities with no labelled document qualify;
    without it, any document not yet labelled does (the corpus has about 150 authorities, so
    later rounds run out of new ones). ``plan_scale`` multiplies the per-stratum quotas.
    """
    from .core import extract, read_manifest

    manifest = read_manifest(corpus / "manifest.csv")
    existing = _read(devset / "findings.tsv")
    labelled = {r["path"] for r in existing}
    used_las = {manifest[r["path"]]["local_authority"] for r in existing if r["path"] in manifest}
    rng = random.Random(seed)
    paths = sorted(manifest)
    rng.shuffle(paths)
    wanted = {
        (fam, year): n * plan_scale for fam, years in PLAN.items() for year, n in years.items()
    }
    chosen: list[str] = []
    taken_las: set[str] = set()
    for rel in paths:
        row = manifest[rel]
        la = row["local_authority"]
        if rel in labelled or la in taken_las or (new_las_only and la in used_las):
            continue
        year = row["published"][:4]
        if not any(k[1] == year and n > 0 for k, n in wanted.items()):
            continue
        fam = _layout_family(extract(corpus / rel, manifest_row=row).document.layout)
        if fam is None or wanted.get((fam, year), 0) <= 0:
            continue
        wanted[(fam, year)] -= 1
        taken_las.add(la)
        chosen.append(rel)
    return chosen


def sample(
    corpus: Path,
    devset: Path,
    *,
    per_doc: int = 18,
    seed: int = 2025,
    max_docs: int | None = None,
    split: str | None = None,
    plan_scale: int = 1,
    new_las_only: bool = True,
) -> list[dict]:
    """Sheet rows (with ``text``, ``section``, ``heading``) for the new documents.

    ``max_docs`` keeps the first documents of the (shuffled) choice; ``split`` puts them all
    in one split instead of alternating.
    """
    from .core import extract, read_manifest

    manifest = read_manifest(corpus / "manifest.csv")
    out = []
    chosen = choose_documents(
        corpus, devset, seed=seed, plan_scale=plan_scale, new_las_only=new_las_only
    )[:max_docs]
    for i, rel in enumerate(chosen):
        x = extract(corpus / rel, manifest_row=manifest[rel])
        rng = random.Random(f"{seed}:{rel}")
        findings = [f for f in x.findings if len(f.clean.split()) >= 3]
        picked = sorted(rng.sample(findings, min(per_doc, len(findings))), key=lambda f: f.start)
        part = split or ("dev" if i % 2 == 0 else "holdout")
        for f in picked:
            text = x.rendition.text[f.start : f.end]
            out.append(
                {
                    "path": rel,
                    "start": f.start,
                    "end": f.end,
                    "sha": hashlib.sha256(text.encode()).hexdigest()[:10],
                    "split": part,
                    "polarity": "",
                    "themes": UNLABELLED,
                    "agencies": UNLABELLED,
                    "section": f.section,
                    "heading": " ".join(f.heading.split()),
                    "text": f.clean,
                }
            )
    return out


def merge(sheet: Path, devset: Path) -> int:
    """Append the labelled rows of a sheet to ``findings.tsv``; returns how many."""
    rows = _read(sheet)
    valid = {"strength", "weakness", "neutral", "mixed"}
    bad = [r for r in rows if r["polarity"] not in valid]
    if bad:
        raise ValueError(f"{sheet}: {len(bad)} rows without a valid polarity")
    target = devset / "findings.tsv"
    have = {(r["path"], r["start"], r["end"]) for r in _read(target)}
    new = [r for r in rows if (r["path"], r["start"], r["end"]) not in have]
    with target.open("a", encoding="utf-8", newline="") as f:
        for r in new:
            f.write("\t".join(str(r[k]) for k in FIELDS) + "\n")
    return len(new)


def _read(path: Path) -> list[dict]:
    with path.open(encoding="utf-8", newline="") as f:
        lines = [line for line in f if not line.startswith("#")]
    return list(csv.DictReader(lines, delimiter="\t"))


def main(argv=None) -> int:
    from .eval import REPO, _default_corpus

    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    sub = parser.add_subparsers(dest="command", required=True)
    s = sub.add_parser("sample", help="write a labelling sheet for new documents")
    s.add_argument("--out", type=Path, required=True)
    s.add_argument("--per-doc", type=int, default=18)
    s.add_argument("--seed", type=int, default=2025)
    s.add_argument("--max-docs", type=int, default=None)
    s.add_argument("--split", choices=list(SPLITS), default=None)
    s.add_argument("--plan-scale", type=int, default=1, help="multiply the per-stratum quotas")
    s.add_argument(
        "--any-la",
        action="store_true",
        help="also draw documents of authorities that already have labelled documents",
    )
    m = sub.add_parser("merge", help="append a labelled sheet to findings.tsv")
    m.add_argument("sheet", type=Path)
    for p in (s, m):
        p.add_argument("--corpus", type=Path, default=_default_corpus())
        p.add_argument("--devset", type=Path, default=REPO / "tests" / "devset")
    args = parser.parse_args(argv)
    if args.command == "sample":
        rows = sample(
            args.corpus,
            args.devset,
            per_doc=args.per_doc,
            seed=args.seed,
            max_docs=args.max_docs,
            split=args.split,
            plan_scale=args.plan_scale,
            new_las_only=not args.any_la,
        )
        with args.out.open("w", encoding="utf-8", newline="") as f:
            w = csv.DictWriter(
                f, fieldnames=[*FIELDS, "section", "heading", "text"], delimiter="\t"
            )
            w.writeheader()
            w.writerows(rows)
        print(f"{len(rows)} sentences of {len({r['path'] for r in rows})} documents -> {args.out}")
    else:
        print(f"{merge(args.sheet, args.devset)} rows added")
    return 0


if __name__ == "__main__":
    sys.exit(main())
