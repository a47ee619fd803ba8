"""The development set's files: their columns and splits, reading them, and a labelling sheet's rows.

A sheet row (:func:`_sheet_row`) carries the sentence's text for the annotator; :func:`merge`
appends the labelled rows to ``findings.tsv`` without it (path, offsets, hash and labels only).
The sampling lives in :mod:`tools.devsetsample`, the command in :mod:`tools.devset`.
"""

from __future__ import annotations

import csv
import hashlib
from pathlib import Path

__all__ = ["FIELDS", "JOINT_PREFIX", "SPLITS", "UNLABELLED", "merge"]

FIELDS = ["path", "start", "end", "sha", "split", "polarity", "themes", "agencies"]
UNLABELLED = "?"  # themes/agencies not labelled (polarity-only rows)
# dev: used to write the rules; holdout: scored once the rules were frozen (then looked at);
# holdout2: a fresh holdout drawn and labelled blind after that; holdout3 to holdout5 likewise,
# each scored once with the rules frozen before it was (see docs/extraction.md).
# holdout6: drawn from recent letters and joint inspections, labelled blind under the strict
# agency reading (strict.tsv columns), scored once after the rules were frozen.
# holdout7: likewise, weighted towards joint letters for the co-criticised pairs they hold.
# holdout8: likewise, drawn after the strict rules of issue 15's second round were frozen.
# holdout9: likewise, a random draw of the documents left unlabelled; holdout9p beside it, a
# pair-enriched draw (sample_pairs) of the rest, for pair figures on more than 20 gold pairs.
# holdout10 and holdout10p: the sentences nobody had read (sample_unread) of holdout9's documents
# and of the 22 documents in no labels file: a random draw and a pair-enriched one.
# holdout11 and holdout11p: the next unread sentences of the same 70 documents (seed 2052).
# holdout12 and holdout12p: the unread sentences of 80 other documents drawn at random (seed 2062).
# holdout13 and holdout13p: the unread sentences of 80 documents drawn at random outside the
# documents of holdout9 to holdout12 (seed 2081).
# holdout14 and holdout14p: the same, outside the documents of holdout9 to holdout13 (seed 2101).
# holdout15 and holdout15p: the same, 120 documents outside those of holdout9 to holdout14 (seed 2121).
# holdout16 and holdout16p: the same, 120 documents outside those of holdout9 to holdout15 (seed 2323).
# holdout17 and holdout17p: the same, 120 documents outside those of holdout9 to holdout16 (seed 2424).
SPLITS = (
    "dev",
    "holdout",
    "holdout2",
    "holdout3",
    "holdout4",
    "holdout5",
    "holdout6",
    "holdout7",
    "holdout8",
    "holdout9",
    "holdout9p",
    "holdout10",
    "holdout10p",
    "holdout11",
    "holdout11p",
    "holdout12",
    "holdout12p",
    "holdout13",
    "holdout13p",
    "holdout14",
    "holdout14p",
    "holdout15",
    "holdout15p",
    "holdout16",
    "holdout16p",
    "holdout17",
    "holdout17p",
)
JOINT_PREFIX = "corpus-joint/"


def _labelled_paths(devset: Path, exclude: tuple[Path, ...] = ()) -> list[dict]:
    """The rows of the labelled files, whose documents a new draw leaves out: the devset's
    and any ``exclude`` labels file (e.g. a holdout kept outside the repository)."""
    rows = _read(devset / "findings.tsv")
    if (devset / "strict.tsv").exists():
        rows += _read(devset / "strict.tsv")
    for path in exclude:
        if not path.is_file():
            raise ValueError(f"{path}: no such labels file to exclude")
        found = _read(path)
        if found and "path" not in found[0]:
            raise ValueError(f"{path}: no 'path' column (not a labels file)")
        rows += found
    return rows


def _sheet_row(rel: str, text: str, sentence: tuple, split: str) -> dict:
    """A labelling sheet's row for one (clean, start, end, section, heading) sentence."""
    clean, start, end, section, heading = sentence
    return {
        "path": rel,
        "start": start,
        "end": end,
        "sha": hashlib.sha256(text[start:end].encode()).hexdigest()[:10],
        "split": split,
        "polarity": "",
        "themes": UNLABELLED,
        "agencies": UNLABELLED,
        "section": section,
        "heading": " ".join(heading.split()),
        "text": clean,
    }


def _read_spans(devset: Path, seen_sheets: tuple[Path, ...]) -> dict[str, list[tuple[int, int]]]:
    """Every (start, end) already read, by document: the rows of every labels file of
    ``devset`` and the ``path``/``report`` rows of ``seen_sheets`` (e.g. a hand-check sheet)."""
    spans: dict[str, list[tuple[int, int]]] = {}
    for path in [*sorted(devset.glob("*.tsv")), *seen_sheets]:
        for row in _read(path):
            doc = row.get("path") or row.get("report")
            if doc and row.get("start", "").isdigit() and row.get("end", "").isdigit():
                spans.setdefault(doc, []).append((int(row["start"]), int(row["end"])))
    return spans


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
