"""Scores under the strict agency reading (``make eval``), on hand-made rows and the real files."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from inspectgraph.errors import InputError
from inspectgraph.extract.strict import LABEL_FIELDS, Prediction, read_labels, score
from tools.evalreport import strict_report
from tools.evalscore import _Cache, read_strict_labels, strict_parts

DEVSET = Path(__file__).resolve().parent / "devset"
THEMES = {"child_protection", "workforce", "assessment"}
AGENCIES = {"local_authority", "police", "health", "multi_agency"}


def _row(polarity, agencies, themes="", criticised="", path="a.txt", split="dev"):
    return {
        "path": path,
        "start": "0",
        "end": "9",
        "sha": "0123456789",
        "split": split,
        "polarity": polarity,
        "themes": themes,
        "agencies": agencies,
        "criticised": criticised,
    }


# Four sentences, the expected counts worked out by hand in the comments.
ITEMS = [
    # a weakness found, its one pair (local_authority, police) found: weakness tp, pair tp
    (
        _row("weakness", "local_authority police", "child_protection", criticised="police"),
        Prediction("weakness", ["child_protection", "workforce"], ["police", "local_authority"]),
    ),
    # a mixed sentence read as a strength: weakness fn; its 3 pairs missed (fn 3);
    # agencies health and police found, multi_agency missed; themes not labelled (skipped)
    (
        _row("mixed", "health police multi_agency", "?"),
        Prediction("strength", [], ["health", "police"]),
    ),
    # a strength read as a weakness with an extra police: weakness fp, pair fp 1, agency fp 1
    (
        _row("strength", "local_authority"),
        Prediction("weakness", [], ["local_authority", "police"]),
    ),
    # agentless and neutral: only the missed theme counts (theme fn 1)
    (_row("neutral", "", "assessment"), Prediction("neutral", [], [])),
]


def test_strict_scores_match_hand_counts():
    s = score(ITEMS)
    assert s["n"] == 4 and s["n_themes"] == 3
    assert s["weakness_counts"] == (1, 1, 1)
    assert s["weakness"][:2] == (0.5, 0.5)
    assert s["pairs_counts"] == (1, 1, 3) and s["gold_pairs"] == 4
    assert s["pairs"][:2] == (0.5, 0.25)
    assert s["agencies_counts"] == (5, 1, 1)
    assert s["agencies"][2] == pytest.approx(5 / 6)
    assert s["themes_counts"] == (1, 1, 1)
    assert s["themes"][2] == pytest.approx(0.5)
    # the extractor gives no criticised role here: the measure is not applicable
    assert s["has_criticised"] is False and s["n_criticised"] == 0


def test_criticised_is_scored_where_labelled_and_predicted():
    first = (ITEMS[0][0], Prediction("weakness", [], ["police"], criticised=["police"]))
    second = (ITEMS[1][0], Prediction("mixed", [], ["health"], criticised=["health"]))  # no gold
    s = score([first, second])
    assert s["has_criticised"] and s["n_criticised"] == 1
    assert s["criticised_counts"] == (1, 0, 0)


def test_parts_are_splits_then_their_joint_letters_then_all():
    rows = [
        _row("weakness", "police", split="holdout6", path="inspections/x.txt"),
        _row("weakness", "police", split="holdout6", path="corpus-joint/jtai/y.txt"),
        _row("weakness", "police", split="holdout6", path="corpus-joint/area-send/z.txt"),
        _row("weakness", "police", split="dev", path="focused-visits/w.txt"),
    ]
    parts = strict_parts(rows)
    assert list(parts) == ["dev", "holdout6", "holdout6 area-send", "holdout6 jtai", "all"]
    assert [r["path"] for r in parts["holdout6 jtai"]] == ["corpus-joint/jtai/y.txt"]
    assert len(parts["all"]) == 4


def test_holdout7_is_its_own_column_after_holdout6():
    rows = [
        _row("weakness", "police health", split="holdout7", path="corpus-joint/jtai/a.txt"),
        _row("weakness", "police", split="holdout6", path="inspections/x.txt"),
        _row("strength", "", split="holdout7", path="inspections/b.txt"),
    ]
    parts = strict_parts(rows)
    assert list(parts) == ["holdout6", "holdout7", "holdout7 jtai", "all"]
    assert len(parts["holdout7"]) == 2


def test_report_prints_the_new_split_and_its_jtai_column():
    result = {
        "strict_files": ["x.tsv"],
        "strict": {
            part: dict(score(ITEMS), changed_text=0, exact_segmentation=2, documents=1)
            for part in ("dev", "holdout6", "holdout6 jtai")
        },
    }
    lines = strict_report(result)
    assert lines[1].split() == ["dev", "holdout6", "holdout6", "jtai", "target"]
    pair_recall = next(line for line in lines if line.startswith("pair recall"))
    assert pair_recall.split()[2:] == ["0.250", "0.250", "0.250", ">=", "0.80"]
    assert "n/a" in next(line for line in lines if line.startswith("criticised F1"))


def _write(path: Path, rows: list[list[str]]) -> Path:
    path.write_text(
        "# comment\n" + "\n".join("\t".join(r) for r in [LABEL_FIELDS, *rows]) + "\n",
        encoding="utf-8",
    )
    return path


@pytest.mark.parametrize(
    "change, message",
    [
        ({5: "bad"}, "polarity 'bad'"),
        ({7: "police council"}, "unknown agencies key(s) council"),
        ({6: "workforce nothing"}, "unknown themes key(s) nothing"),
        ({7: "?"}, "needs its agencies labelled"),
        ({8: "health"}, "criticised type must also be among the agencies"),
        ({1: "x"}, "start and end must be offsets"),
    ],
)
def test_bad_labels_name_the_file_line_and_problem(tmp_path, change, message):
    good = ["a.txt", "0", "9", "0123456789", "dev", "weakness", "workforce", "police", "police"]
    bad = list(good)
    for i, value in change.items():
        bad[i] = value
    path = _write(tmp_path / "l.tsv", [good, bad])
    assert len(read_labels(_write(tmp_path / "ok.tsv", [good]), themes=THEMES, agencies=AGENCIES))
    with pytest.raises(InputError, match=rf"l\.tsv:4: .*{re.escape(message)}"):
        read_labels(path, themes=THEMES, agencies=AGENCIES)


def test_missing_column_is_an_error(tmp_path):
    path = tmp_path / "l.tsv"
    path.write_text("path\tstart\n", encoding="utf-8")
    with pytest.raises(InputError, match="missing column"):
        read_labels(path, themes=THEMES, agencies=AGENCIES)


def test_strict_dev_labels_are_well_formed_and_dev_only():
    rows = read_strict_labels([DEVSET / "strict.tsv"])
    assert len(rows) >= 250
    assert {r["split"] for r in rows} == {"dev"}
    assert len({(r["path"], r["start"]) for r in rows}) == len(rows)
    # every strict-dev sentence is a dev sentence of the polarity set, with the same polarity
    from tools.evalscore import _read_tsv

    dev = {(r["path"], r["start"], r["end"]): r for r in _read_tsv(DEVSET / "findings.tsv")}
    for r in rows:
        assert dev[(r["path"], r["start"], r["end"])]["split"] == "dev"
    named = {t for r in rows for t in r["agencies"].split()}
    assert {"police", "health", "multi_agency"} <= named


def test_strict_dev_scores_on_the_corpus(corpus):
    from inspectgraph.extract.core import read_manifest
    from tools.evalscore import strict_metrics

    rows = read_strict_labels([DEVSET / "strict.tsv"])
    result = strict_metrics(rows, _Cache(corpus, read_manifest(corpus / "manifest.csv")))
    dev = result["dev"]
    assert dev["n"] == len(rows) and dev["changed_text"] == 0
    assert dev["gold_pairs"] > 0
    assert 0 < dev["agencies"][2] < 1 and 0 < dev["weakness"][1] <= 1


def test_joint_letters_are_read_from_the_joint_corpus(corpus, tmp_path):
    """A corpus-joint/ row is scored from the sibling joint corpus, or fails clearly."""
    from inspectgraph.extract.core import read_manifest
    from tools.evalscore import strict_metrics

    joint = corpus.parent / "corpus-joint"
    if not (joint / "manifest.csv").exists():
        pytest.skip(f"joint corpus not found at {joint}")
    from inspectgraph.extract.text import read_document

    rel = "jtai/80426_barnsley_2022-07-18.txt"
    text = read_document(joint / rel).text
    start = text.index("What needs to improve")
    import hashlib

    end = start + 21
    sha = hashlib.sha256(text[start:end].encode()).hexdigest()[:10]
    row = _row("weakness", "police health", path="corpus-joint/" + rel, split="holdout6")
    row.update(start=str(start), end=str(end), sha=sha)
    manifest = read_manifest(corpus / "manifest.csv")
    result = strict_metrics([row], _Cache(corpus, manifest))
    assert result["holdout6 jtai"]["n"] == 1 and result["holdout6"]["changed_text"] == 0
    with pytest.raises(InputError, match="no joint corpus there"):
        strict_metrics([row], _Cache(corpus, manifest, tmp_path / "nowhere"))


def test_full_report_keeps_the_strict_table(tmp_path, monkeypatch):
    """evaluate() returns the strict scores beside the polarity figures (not overwritten)."""
    from tools import evalscore as ev

    monkeypatch.setattr(ev, "read_manifest", lambda path: {})
    monkeypatch.setattr(ev, "strict_metrics", lambda rows, cache: {"dev": {"n": 0}})
    monkeypatch.setattr(ev, "read_strict_labels", lambda paths: [])
    monkeypatch.setattr(ev, "visit_theme_metrics", lambda *a: {})
    monkeypatch.setattr(ev, "judgement_metrics", lambda *a: {})
    (tmp_path / "findings.tsv").write_text("\t".join(LABEL_FIELDS[:-1]) + "\n", encoding="utf-8")
    (tmp_path / "strict.tsv").write_text("", encoding="utf-8")
    result = ev.evaluate(tmp_path, tmp_path)
    assert result["strict"] == {"dev": {"n": 0}} and "all" in result
