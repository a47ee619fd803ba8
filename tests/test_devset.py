"""The hand-labelled development set: well-formed, split by document, grown without texts."""

from __future__ import annotations

import csv
from collections import defaultdict
from pathlib import Path

import pytest

from inspectgraph.extract.devset import FIELDS, SPLITS, UNLABELLED, merge

DEVSET = Path(__file__).resolve().parent / "devset"
POLARITIES = {"strength", "weakness", "neutral", "mixed"}


def _rows(path: Path) -> list[dict]:
    with path.open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader([x for x in f if not x.startswith("#")], delimiter="\t"))


def test_devset_is_well_formed_and_split_by_document():
    rows = _rows(DEVSET / "findings.tsv")
    assert list(rows[0]) == FIELDS
    assert len(rows) > 1200
    splits = defaultdict(set)
    seen = set()
    for r in rows:
        assert r["polarity"] in POLARITIES, r
        assert r["split"] in SPLITS, r
        assert int(r["start"]) < int(r["end"])
        assert len(r["sha"]) == 10
        assert (r["themes"] == UNLABELLED) == (r["agencies"] == UNLABELLED)
        key = (r["path"], r["start"])
        assert key not in seen, key
        seen.add(key)
        splits[r["path"]].add(r["split"])
    assert all(len(s) == 1 for s in splits.values()), "a document is in both splits"
    holdout = {p for p, s in splits.items() if s == {"holdout"}}
    assert len(holdout) >= 30  # enough documents to report generalisation
    fresh = {p for p, s in splits.items() if s == {"holdout2"}}
    assert len(fresh) >= 30


def test_merge_appends_labelled_rows_without_text(tmp_path):
    (tmp_path / "findings.tsv").write_text(
        "# header comment\n" + "\t".join(FIELDS) + "\n"
        "a.txt\t0\t10\t0123456789\tdev\tstrength\t\tlocal_authority\n",
        encoding="utf-8",
    )
    sheet = tmp_path / "sheet.tsv"
    cols = [*FIELDS, "section", "heading", "text"]
    lines = [
        cols,
        ["a.txt", "0", "10", "0123456789", "dev", "strength", "?", "?", "s", "h", "dup"],
        ["b.txt", "5", "40", "abcdefabcd", "holdout", "neutral", "?", "?", "s", "h", "Secret."],
    ]
    sheet.write_text("\n".join("\t".join(x) for x in lines) + "\n", encoding="utf-8")
    assert merge(sheet, tmp_path) == 1
    text = (tmp_path / "findings.tsv").read_text(encoding="utf-8")
    assert "Secret." not in text  # letter text is never written to the repository
    assert text.endswith("b.txt\t5\t40\tabcdefabcd\tholdout\tneutral\t?\t?\n")
    lines[2][5] = ""
    sheet.write_text("\n".join("\t".join(x) for x in lines) + "\n", encoding="utf-8")
    with pytest.raises(ValueError, match="without a valid polarity"):
        merge(sheet, tmp_path)
