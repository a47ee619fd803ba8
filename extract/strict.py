"""Scores under the strict agency reading: weakness, co-criticised type pairs, agencies, themes.

The labels live in ``tests/devset/strict.tsv`` (and in any file of the same columns given to
``python -m tools.eval --labels FILE``): one row per sentence with ``path``,
``start``, ``end``, ``sha``, ``split``, ``polarity``, ``themes``, ``agencies`` and
``criticised``, labelled by the strict guideline (agency types only when the sentence names
them, see docs/extraction.md). A path under the main corpus is written as in ``findings.tsv``
(``focused-visits/...``); a path under the joint corpus, the main corpus's sibling folder
``corpus-joint``, starts with ``corpus-joint/`` (``corpus-joint/jtai/...``).

A sentence is a *weakness* when its polarity is weakness or mixed. Its co-criticised pairs
are the unordered pairs of distinct agency types it names, when it is a weakness; none
otherwise. Every measure is micro-averaged over the sentences scored.

>>> sorted(criticised_pairs("mixed", ["police", "local_authority", "police"]))
[('local_authority', 'police')]
>>> criticised_pairs("strength", ["police", "health"])
set()
"""

from __future__ import annotations

import csv
from collections import Counter
from dataclasses import dataclass, field
from itertools import combinations
from pathlib import Path

from ..errors import InputError

__all__ = [
    "JOINT_PREFIX",
    "LABEL_FIELDS",
    "Prediction",
    "annotator_agreement",
    "criticised_pairs",
    "joint_folder",
    "read_labels",
    "score",
]

LABEL_FIELDS = [
    "path",
    "start",
    "end",
    "sha",
    "split",
    "polarity",
    "themes",
    "agencies",
    "criticised",
]
JOINT_PREFIX = "corpus-joint/"
WEAK = frozenset({"weakness", "mixed"})
POLARITIES = ("strength", "weakness", "neutral", "mixed")
UNLABELLED = "?"  # a column not labelled on this row (the measure skips the row)


@dataclass
class Prediction:
    """What the extractor says of one sentence."""

    polarity: str
    themes: list[str] = field(default_factory=list)
    agencies: list[str] = field(default_factory=list)
    criticised: list[str] | None = None  # None: the extractor has no criticised role


def criticised_pairs(polarity: str, agencies) -> set[tuple[str, str]]:
    """Unordered pairs of distinct agency types co-criticised in one sentence."""
    if polarity not in WEAK:
        return set()
    return set(combinations(sorted(set(agencies)), 2))


def joint_folder(path: str) -> str | None:
    """The joint-corpus folder of a labels path (``jtai``, ``area-send``), else None.

    >>> joint_folder("corpus-joint/jtai/80426_barnsley_2022-07-18.txt")
    'jtai'
    >>> joint_folder("focused-visits/80460_derbyshire_2018-03-22.txt") is None
    True
    """
    if not path.startswith(JOINT_PREFIX):
        return None
    return path[len(JOINT_PREFIX) :].split("/", 1)[0]


def read_labels(path: Path, *, themes: set[str], agencies: set[str]) -> list[dict]:
    """Rows of a strict labels file, checked; raises InputError naming the file and line."""
    if not path.exists():
        raise InputError(f"{path}: no such labels file")
    with path.open(encoding="utf-8", newline="") as f:
        lines = [(i, line) for i, line in enumerate(f, 1) if not line.startswith("#")]
    if not lines:
        raise InputError(f"{path}: empty labels file")
    reader = csv.DictReader((line for _, line in lines), delimiter="\t")
    missing = [c for c in LABEL_FIELDS if c not in (reader.fieldnames or [])]
    if missing:
        raise InputError(f"{path}: missing column(s) {', '.join(missing)}")
    rows = []
    for row in reader:
        where = f"{path}:{lines[reader.line_num - 1][0]}"
        if row["polarity"] not in POLARITIES:
            raise InputError(f"{where}: polarity {row['polarity']!r} is not one of {POLARITIES}")
        if not (row["start"].isdigit() and row["end"].isdigit()):
            raise InputError(f"{where}: start and end must be offsets")
        if not row["split"]:
            raise InputError(f"{where}: no split")
        for column, known in (("themes", themes), ("agencies", agencies), ("criticised", agencies)):
            value = row[column] or ""
            if value == UNLABELLED:
                continue
            bad = set(value.split()) - known
            if bad:
                raise InputError(f"{where}: unknown {column} key(s) {' '.join(sorted(bad))}")
        if row["agencies"] == UNLABELLED:
            raise InputError(f"{where}: a strict row needs its agencies labelled")
        if row["criticised"] not in ("", UNLABELLED) and not set(row["criticised"].split()) <= set(
            row["agencies"].split()
        ):
            raise InputError(f"{where}: a criticised type must also be among the agencies")
        rows.append(row)
    return rows


def _count(counter: Counter, gold: set, predicted: set) -> None:
    counter["tp"] += len(gold & predicted)
    counter["fp"] += len(predicted - gold)
    counter["fn"] += len(gold - predicted)


def _prf(c: Counter) -> tuple[float, float, float]:
    tp, fp, fn = c["tp"], c["fp"], c["fn"]
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def annotator_agreement(first: list[dict], second: list[dict]) -> dict:
    """Agency types and co-criticised pairs of a second, independent labelling scored
    against the first (rows matched by path and offsets): ``n`` rows compared, and the
    precision, recall and F1 of ``agencies`` and ``pairs``.

    >>> a = [{"path": "x", "start": "0", "end": "9", "polarity": "weakness",
    ...       "agencies": "police health"}]
    >>> b = [dict(a[0], agencies="police")]
    >>> r = annotator_agreement(a, b)
    >>> r["n"], r["agencies"], r["pairs"]
    (1, (1.0, 0.5, 0.6666666666666666), (0.0, 0.0, 0.0))
    """
    gold = {(r["path"], r["start"], r["end"]): r for r in first}
    counts = {"agencies": Counter(), "pairs": Counter()}
    n = 0
    for row in second:
        g = gold.get((row["path"], row["start"], row["end"]))
        if g is None:
            continue
        n += 1
        g_agencies, r_agencies = set(g["agencies"].split()), set(row["agencies"].split())
        _count(counts["agencies"], g_agencies, r_agencies)
        _count(
            counts["pairs"],
            criticised_pairs(g["polarity"], g_agencies),
            criticised_pairs(row["polarity"], r_agencies),
        )
    return {"n": n, **{k: _prf(c) for k, c in counts.items()}}


def score(items: list[tuple[dict, Prediction]]) -> dict:
    """Strict scores of (labelled row, prediction) pairs.

    Returns a dict with ``n`` (sentences), for ``weakness``, ``pairs``, ``agencies``,
    ``themes`` and ``criticised`` the precision, recall and F1 (``*_counts`` holds tp, fp,
    fn), ``gold_pairs`` (how many pairs the labels hold), ``n_themes`` (rows whose themes
    are labelled) and ``n_criticised`` (rows with a criticised type labelled, scored only
    when the extractor gives the role).
    """
    counts = {k: Counter() for k in ("weakness", "pairs", "agencies", "themes", "criticised")}
    n_themes = n_criticised = 0
    has_role = False
    for row, pred in items:
        gold_weak = row["polarity"] in WEAK
        pred_weak = pred.polarity in WEAK
        _count(counts["weakness"], {0} if gold_weak else set(), {0} if pred_weak else set())
        gold_agencies = set(row["agencies"].split())
        _count(counts["agencies"], gold_agencies, set(pred.agencies))
        _count(
            counts["pairs"],
            criticised_pairs(row["polarity"], gold_agencies),
            criticised_pairs(pred.polarity, pred.agencies),
        )
        if row["themes"] != UNLABELLED:
            n_themes += 1
            _count(counts["themes"], set(row["themes"].split()), set(pred.themes))
        gold_criticised = row.get("criticised") or ""
        if gold_criticised not in ("", UNLABELLED) and pred.criticised is not None:
            has_role = True
            n_criticised += 1
            _count(counts["criticised"], set(gold_criticised.split()), set(pred.criticised))
    out = {"n": len(items), "n_themes": n_themes, "n_criticised": n_criticised}
    for key, c in counts.items():
        out[key] = _prf(c)
        out[f"{key}_counts"] = (c["tp"], c["fp"], c["fn"])
    out["gold_pairs"] = counts["pairs"]["tp"] + counts["pairs"]["fn"]
    out["has_criticised"] = has_role
    return out
