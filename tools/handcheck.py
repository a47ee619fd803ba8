"""A hand check of co-criticised pairs: draw pairs at random from a store, read them, tally.

``docs/national.md`` says how far its pairs can be trusted by a reader's verdict on a random
sample of them. This module makes that sample repeatable and its tally exact::

    python -m tools.handcheck draw --store national --count 50 --seed 2033 --out sheet.tsv
    python -m tools.handcheck tally sheet.tsv

``draw`` takes every pair of distinct organisations named together in one weakness or mixed
finding (the pairs ``inspectgraph partnerships`` counts), draws ``count`` of them with
``seed``, and writes a sheet: the two organisations, the report and offsets, the heading and
sentences before it (from the corpus, for context) and the sentence. The reader fills
``verdict`` with one of :data:`VERDICTS` and ``why`` with a short reason; ``tally`` counts
the verdicts, with a Wilson 95 % interval for the share of joint criticisms.
"""

from __future__ import annotations

import argparse
import csv
import math
import os
import random
import sys
from itertools import combinations
from pathlib import Path

__all__ = ["VERDICTS", "draw", "tally", "wilson"]

# what a reader decides about one pair: both criticised or their joint work; one criticised
# with the other named in passing; no criticism at all; one of the two is not what is named
VERDICTS = ("joint", "one-sided", "not-criticism", "wrong-agency")
COLUMNS = (
    "n",
    "agency_a",
    "agency_b",
    "report",
    "start",
    "end",
    "polarity",
    "context",
    "sentence",
    "verdict",
    "why",
)

_FACTS = """
PREFIX ig: <https://w3id.org/inspectgraph/def/>
PREFIX dcterms: <http://purl.org/dc/terms/>
PREFIX prov: <http://www.w3.org/ns/prov#>
SELECT ?exact ?start ?polarity ?report ?path WHERE {
  ?finding ig:exact ?exact ; ig:start ?start ; ig:polarity ?polarity ;
           prov:wasDerivedFrom ?report .
  ?report dcterms:identifier ?path .
  FILTER(!STRSTARTS(STR(?path), "sha256:"))
}
"""


def draw(store, *, count: int = 50, seed: int = 2033, corpus: Path | None = None) -> list[dict]:
    """``count`` pairs of organisations co-criticised in one finding, drawn with ``seed``.

    Each row names the two organisations (labels, in order), the report path and offsets of
    the sentence, its polarity, and, when ``corpus`` (the main corpus; the joint corpus
    beside it) holds the report, up to 400 characters before the sentence as context.
    """
    from rdflib import URIRef

    from inspectgraph.analysis.incidence import read_findings

    by_finding, labels, *_ = read_findings(store, polarity="weakness,mixed")
    pairs = sorted(
        (finding, a, b)
        for finding, entry in by_finding.items()
        for a, b in combinations(sorted(set(entry["agencies"])), 2)
    )
    chosen = random.Random(seed).sample(pairs, min(count, len(pairs)))
    rows = []
    for n, (finding, a, b) in enumerate(chosen, 1):
        found = store.query(_FACTS, {"finding": URIRef(finding)}).rows
        if not found:
            raise ValueError(f"{finding}: no quotation or report in the store")
        exact, start, polarity, _report, path = found[0]
        begin = int(start.toPython())
        rows.append(
            {
                "n": n,
                "agency_a": labels.get(a, (a, ""))[0],
                "agency_b": labels.get(b, (b, ""))[0],
                "report": str(path),
                "start": begin,
                "end": begin + len(str(exact)),
                "polarity": str(polarity).rsplit("/", 1)[-1],
                "context": _context(corpus, str(path), begin),
                "sentence": " ".join(str(exact).split()),
                "verdict": "",
                "why": "",
            }
        )
    return rows


def _context(corpus: Path | None, path: str, start: int, width: int = 400) -> str:
    if corpus is None:
        return ""
    for folder in (corpus, corpus.parent / "corpus-joint"):
        text_file = folder / path
        if text_file.is_file():
            from inspectgraph.extract.text import read_document

            text = read_document(text_file).text
            return " ".join(text[max(0, start - width) : start].split())
    return ""


def wilson(successes: int, total: int, z: float = 1.96) -> tuple[float, float]:
    """Wilson score interval of a proportion.

    >>> tuple(round(x, 2) for x in wilson(24, 50))
    (0.35, 0.61)
    >>> wilson(0, 0)
    (0.0, 1.0)
    """
    if total == 0:
        return 0.0, 1.0
    p = successes / total
    centre = (p + z * z / (2 * total)) / (1 + z * z / total)
    half = z * math.sqrt(p * (1 - p) / total + z * z / (4 * total * total)) / (1 + z * z / total)
    return max(0.0, centre - half), min(1.0, centre + half)


def tally(rows: list[dict]) -> dict:
    """Verdict counts of a filled sheet and the share of joint criticisms with its interval.

    >>> tally([{"verdict": "joint"}, {"verdict": "one-sided"}])["joint_share"]
    0.5
    """
    unknown = [r for r in rows if r["verdict"] not in VERDICTS]
    if unknown:
        raise ValueError(
            f"{len(unknown)} row(s) without a verdict of {', '.join(VERDICTS)} "
            f"(first: {unknown[0].get('n', '?')})"
        )
    counts = {v: sum(1 for r in rows if r["verdict"] == v) for v in VERDICTS}
    low, high = wilson(counts["joint"], len(rows))
    share = counts["joint"] / len(rows) if rows else 0.0
    return {"pairs": len(rows), **counts, "joint_share": share, "low": low, "high": high}


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    sub = parser.add_subparsers(dest="command", required=True)
    d = sub.add_parser("draw", help="write a sheet of pairs drawn at random from a store")
    d.add_argument("--store", required=True)
    d.add_argument("--count", type=int, default=50)
    d.add_argument("--seed", type=int, default=2033)
    d.add_argument("--out", type=Path, required=True)
    d.add_argument(
        "--corpus",
        type=Path,
        default=Path(os.environ.get("INSPECTGRAPH_CORPUS", "../shared/corpus")),
    )
    t = sub.add_parser("tally", help="count the verdicts of a filled sheet")
    t.add_argument("sheet", type=Path)
    args = parser.parse_args(argv)
    try:
        if args.command == "draw":
            from inspectgraph.graph.stores import open_store

            with open_store(args.store, read_only=True) as store:
                corpus = args.corpus if args.corpus.is_dir() else None
                rows = draw(store, count=args.count, seed=args.seed, corpus=corpus)
            with args.out.open("w", encoding="utf-8", newline="") as fh:
                writer = csv.DictWriter(fh, COLUMNS, delimiter="\t", lineterminator="\n")
                writer.writeheader()
                writer.writerows(rows)
            print(f"{len(rows)} pairs -> {args.out}")
        else:
            with args.sheet.open(encoding="utf-8", newline="") as fh:
                result = tally(list(csv.DictReader(fh, delimiter="\t")))
            print(
                " ".join(f"{k} {result[k]}" for k in ("pairs", *VERDICTS))
                + f"; joint share {result['joint_share']:.2f}"
                f" (95 % interval {result['low']:.2f}-{result['high']:.2f})"
            )
    except (OSError, ValueError) as err:
        print(f"handcheck {args.command}: {err}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
