"""Every missed and every false co-criticised pair of the strict labels, one row a sentence.

    python -m tools.pairerrors [--labels FILE ...] [--out FILE]

For each labelled sentence where the extractor's pairs differ from the labels' (see
:func:`inspectgraph.extract.strict.criticised_pairs`), a tab-separated row: split, path,
start, gold and predicted polarity, gold and predicted agency types, the missed and the false
pairs, and the sentence. The cause column says whether polarity (one side does not read the
sentence as a weakness) or the agency types differ, to group the rows by hand
(docs/extraction.md, "Seventh round: agency rules").
"""

from __future__ import annotations

import argparse
import csv
import sys
from pathlib import Path

from inspectgraph.extract.core import read_manifest
from inspectgraph.extract.strict import UNLABELLED, WEAK, criticised_pairs

from .evalscore import REPO, _Cache, _default_corpus, predict, read_strict_labels

FIELDS = (
    "split",
    "path",
    "start",
    "cause",
    "gold_polarity",
    "polarity",
    "gold_agencies",
    "agencies",
    "missed",
    "false",
    "text",
)


def _pairs(pairs) -> str:
    return " ".join(f"{a}+{b}" for a, b in sorted(pairs))


def pair_errors(rows: list[dict], cache: _Cache) -> list[dict]:
    """The rows of ``rows`` whose predicted pairs differ from the labelled ones."""
    out = []
    for row in rows:
        if UNLABELLED in (row["polarity"], row["agencies"]):
            continue
        got = predict(row, cache)
        if got is None:
            continue
        pred = got[0]
        gold = set(row["agencies"].split())
        gold_pairs = criticised_pairs(row["polarity"], gold)
        pred_pairs = criticised_pairs(pred.polarity, pred.agencies)
        if gold_pairs == pred_pairs:
            continue
        weak = (row["polarity"] in WEAK, pred.polarity in WEAK)
        text = cache.get(row["path"]).rendition.text[int(row["start"]) : int(row["end"])]
        out.append(
            {
                "split": row["split"],
                "path": row["path"],
                "start": row["start"],
                "cause": "agency" if all(weak) else "polarity",
                "gold_polarity": row["polarity"],
                "polarity": pred.polarity,
                "gold_agencies": " ".join(sorted(gold)),
                "agencies": " ".join(sorted(set(pred.agencies))),
                "missed": _pairs(gold_pairs - pred_pairs),
                "false": _pairs(pred_pairs - gold_pairs),
                "text": " ".join(text.split()),
            }
        )
    return out


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    ap.add_argument("--corpus", type=Path, default=None)
    ap.add_argument("--labels", type=Path, action="append", help="default tests/devset/strict*.tsv")
    ap.add_argument("--out", type=Path, help="write the rows here (default stdout)")
    args = ap.parse_args(argv)
    corpus = args.corpus or _default_corpus()
    labels = args.labels or sorted((REPO / "tests" / "devset").glob("strict*.tsv"))
    cache = _Cache(corpus, read_manifest(corpus / "manifest.csv"))
    errors = pair_errors(read_strict_labels(labels), cache)
    with args.out.open("w", encoding="utf-8", newline="") if args.out else sys.stdout as f:
        writer = csv.DictWriter(f, FIELDS, delimiter="\t", lineterminator="\n")
        writer.writeheader()
        writer.writerows(errors)
    missed = sum(len(e["missed"].split()) for e in errors)
    false = sum(len(e["false"].split()) for e in errors)
    print(f"{len(errors)} sentences: {missed} missed pairs, {false} false", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
