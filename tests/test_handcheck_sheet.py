"""The committed hand check (docs/data/handcheck-50.tsv) tallies to the table docs/national.md shows."""

import csv
import re
from pathlib import Path

from tools.handcheck import VERDICTS, main, tally

ROOT = Path(__file__).resolve().parents[1]
SHEET = ROOT / "docs" / "data" / "handcheck-50.tsv"


def _rows():
    with SHEET.open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh, delimiter="\t"))


def test_committed_sheet_holds_no_letter_text_and_every_row_is_judged():
    rows = _rows()
    assert list(rows[0]) == [
        "n", "agency_a", "agency_b", "report", "start", "end", "polarity", "verdict", "why",
    ]  # fmt: skip
    assert [int(r["n"]) for r in rows] == list(range(1, 51))
    assert all(r["verdict"] in VERDICTS and r["why"].strip() for r in rows)
    assert all(int(r["start"]) < int(r["end"]) for r in rows)


def test_national_page_shows_the_sheets_tally(capsys):
    result = tally(_rows())
    page = (ROOT / "docs" / "national.md").read_text(encoding="utf-8")
    for verdict in VERDICTS:
        assert re.search(rf"^\| {verdict} \| {result[verdict]} \|$", page, re.M), verdict
    assert f"{result['low']:.2f}–{result['high']:.2f}" in page
    assert main(["tally", str(SHEET)]) == 0
    assert f"joint {result['joint']} " in capsys.readouterr().out
