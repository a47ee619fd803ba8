"""The list of missed and false co-criticised pairs (``tools/pairerrors.py``), on a stand-in
for the extraction cache."""

from __future__ import annotations

import hashlib
from types import SimpleNamespace

from tools.pairerrors import pair_errors

TEXT = "Police do not attend strategy meetings. Health visitors are good."


class _Cache:
    def get(self, rel):
        findings = [
            SimpleNamespace(
                start=0,
                end=39,
                polarity="weakness",
                themes=[],
                agencies=["police"],
                criticised=["police"],
            )
        ]
        return SimpleNamespace(rendition=SimpleNamespace(text=TEXT), findings=findings)


def _row(start, end, polarity, agencies):
    sha = hashlib.sha256(TEXT[start:end].encode()).hexdigest()[:10]
    return {
        "path": "x.txt",
        "start": str(start),
        "end": str(end),
        "sha": sha,
        "split": "dev",
        "polarity": polarity,
        "agencies": agencies,
    }


def test_a_missed_pair_is_listed_with_its_cause():
    rows = [_row(0, 39, "weakness", "multi_agency police")]
    (error,) = pair_errors(rows, _Cache())
    assert (error["cause"], error["missed"], error["false"]) == (
        "agency",
        "multi_agency+police",
        "",
    )
    assert error["text"].startswith("Police do not attend")


def test_matching_pairs_and_unlabelled_rows_are_not_listed():
    rows = [_row(0, 39, "weakness", "police"), _row(0, 39, "?", "police")]
    assert pair_errors(rows, _Cache()) == []
