"""The hand-labelled development set: well-formed, split by document, grown without texts."""

from __future__ import annotations

import csv
from collections import Counter, defaultdict
from pathlib import Path

import pytest

from tools.devset import main as devset_main
from tools.devsetsample import sample
from tools.devsetsheet import FIELDS, SPLITS, UNLABELLED, merge

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


def test_every_labelled_split_is_known_and_the_newest_holdout_is_last():
    labelled = set()
    for path in DEVSET.glob("*.tsv"):
        rows = path.read_text(encoding="utf-8").splitlines()
        header = next(i for i, line in enumerate(rows) if not line.startswith("#"))
        columns = rows[header].split("\t")
        if "split" in columns:
            column = columns.index("split")
            labelled |= {row.split("\t")[column] for row in rows[header + 1 :] if row}
    assert labelled <= set(SPLITS), labelled - set(SPLITS)
    assert SPLITS[-1] == "holdout17p" and {"holdout17", "holdout17p"} <= labelled


def test_sample_any_layout_excludes_a_labels_file_and_weights_joint_letters(corpus, tmp_path):
    joint = corpus.parent / "corpus-joint"
    if not (joint / "manifest.csv").exists():
        pytest.skip("joint corpus not found beside the corpus (corpus-joint)")
    options = dict(per_doc=2, per_joint_doc=4, seed=7, max_docs=3, plan="any", jtai=2)
    options.update(split="holdout7", new_las_only=False, joint=joint)
    first = sample(corpus, DEVSET, **options)
    counts = Counter(r["path"] for r in first)
    main_docs = [p for p in counts if not p.startswith("corpus-joint/")]
    joint_docs = [p for p in counts if p.startswith("corpus-joint/jtai/")]
    assert len(main_docs) == 3 and len(joint_docs) == 2
    assert {counts[p] for p in main_docs} == {2} and {counts[p] for p in joint_docs} == {4}
    assert {r["split"] for r in first} == {"holdout7"}
    # a holdout kept outside the repository: its documents are not drawn again
    held = tmp_path / "held.tsv"
    held.write_text("path\tstart\n" + f"{main_docs[0]}\t0\n{joint_docs[0]}\t0\n", encoding="utf-8")
    again = {r["path"] for r in sample(corpus, DEVSET, exclude=(held,), **options)}
    assert main_docs[0] not in again and joint_docs[0] not in again
    assert len(again) == 5


def test_sample_rejects_a_missing_or_malformed_exclude_file(tmp_path, capsys):
    out = tmp_path / "sheet.tsv"
    missing = tmp_path / "none.tsv"
    (tmp_path / "manifest.csv").write_text("path,local_authority\n", encoding="utf-8")
    args = ["sample", "--out", str(out), "--corpus", str(tmp_path), "--plan", "any"]
    assert devset_main([*args, "--exclude", str(missing)]) == 1
    assert f"{missing}: no such labels file" in capsys.readouterr().err
    bad = tmp_path / "bad.tsv"
    bad.write_text("file\tstart\nx.txt\t0\n", encoding="utf-8")
    assert devset_main([*args, "--exclude", str(bad)]) == 1
    assert "no 'path' column" in capsys.readouterr().err
    assert not out.exists()  # nothing half-written


def test_sample_pairs_draws_sentences_naming_two_agency_groups_repeatably(
    corpus, tmp_path, corpus_rows_copier
):
    """The pair-enriched draw behind holdout9p, on four real reports: only sentences with words
    of two agency groups, at most ``per_doc`` a document, never a document another labels
    file holds, the same rows twice, and the draw's own labels do not exclude its documents."""
    import re

    from tools.devsetsample import PAIR_GROUPS, sample_pairs

    small = corpus_rows_copier(
        corpus,
        tmp_path / "corpus",
        lambda rows: [r for r in rows if r["path"].startswith("inspections/")][:4],
    )
    joint = tmp_path / "corpus-joint"
    joint.mkdir()
    (joint / "manifest.csv").write_text((small / "manifest.csv").read_text().splitlines()[0] + "\n")
    docs = [r["path"] for r in _rows_csv(small / "manifest.csv")]
    devset = tmp_path / "devset"
    devset.mkdir()
    header = "\t".join(FIELDS) + "\n"
    (devset / "findings.tsv").write_text(header + f"{docs[0]}\t0\t1\tx\tdev\tneutral\t?\t?\n")
    (devset / "mine.tsv").write_text(header + f"{docs[1]}\t0\t1\tx\tholdout9p\tneutral\t\t\n")
    first = sample_pairs(small, devset, joint=joint, per_doc=2, count=5, seed=3)
    assert first == sample_pairs(small, devset, joint=joint, per_doc=2, count=5, seed=3)
    assert 0 < len(first) <= 5
    patterns = [re.compile(p, re.I) for p in PAIR_GROUPS.values()]
    counts = Counter(r["path"] for r in first)
    assert docs[0] not in counts and max(counts.values()) <= 2
    for row in first:
        assert sum(1 for p in patterns if p.search(row["text"])) >= 2, row["text"]
        assert row["split"] == "holdout9p" and row["polarity"] == ""
    everything = sample_pairs(small, devset, joint=joint, per_doc=50, count=10_000, seed=3)
    assert docs[1] in {r["path"] for r in everything}  # its own split does not exclude it


def _rows_csv(path: Path) -> list[dict]:
    with path.open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def test_sample_unread_leaves_out_every_sentence_already_read(corpus, tmp_path):
    """The draw behind holdout10, on two real reports: no sentence overlapping a labelled or
    hand-checked span, pair-enriched rows before random ones, the same rows twice, and the
    draw's own labels do not count as read."""
    import re

    from tools.devsetsample import PAIR_GROUPS, sample_unread

    docs = [r["path"] for r in _rows_csv(corpus / "manifest.csv")]
    docs = [d for d in docs if d.startswith("inspections/")][:2]
    everything = sample_unread(corpus, tmp_path, docs, per_doc=10_000, pairs_per_doc=0)
    first_doc = [r for r in everything if r["path"] == docs[0]]
    read = first_doc[:3]
    devset = tmp_path / "devset"
    devset.mkdir()
    header = "\t".join(FIELDS) + "\n"
    (devset / "findings.tsv").write_text(
        header
        + "".join(f"{docs[0]}\t{r['start']}\t{r['end']}\tx\tdev\tneutral\t?\t?\n" for r in read)
    )
    # a hand-check sheet names its document "report" and may cover part of a sentence
    checked = first_doc[3]
    (tmp_path / "check.tsv").write_text(
        f"n\treport\tstart\tend\n1\t{docs[0]}\t{checked['start'] + 2}\t{checked['end'] - 2}\n"
    )
    options = dict(per_doc=5, pairs_per_doc=2, seed=7, seen_sheets=(tmp_path / "check.tsv",))
    drawn = sample_unread(corpus, devset, docs, **options)
    assert drawn == sample_unread(corpus, devset, docs, **options)
    spans = {(r["start"], r["end"]) for r in [*read, checked]}
    assert not [r for r in drawn if r["path"] == docs[0] and (r["start"], r["end"]) in spans]
    patterns = [re.compile(p, re.I) for p in PAIR_GROUPS.values()]
    for doc in docs:
        rows = [r for r in drawn if r["path"] == doc]
        paired = [r for r in rows if r["split"] == "holdout10p"]
        assert len(paired) <= 2 and len(rows) - len(paired) == 5
        assert all(sum(1 for p in patterns if p.search(r["text"])) >= 2 for r in paired)
    # once labelled, the draw's own rows are not "read": the same draw comes out
    (devset / "h10.tsv").write_text(
        header
        + "".join(
            f"{r['path']}\t{r['start']}\t{r['end']}\tx\t{r['split']}\tneutral\t\t\n" for r in drawn
        )
    )
    again = sample_unread(corpus, devset, docs, **options)
    assert again == drawn
