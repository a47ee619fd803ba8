"""Shared helpers of the rule tests on real findings (``test_extract_rules_*``,
``test_extract_strict_rules*``): a corpus document's finding, found by a short phrase of it,
so that no letter text is stored in the tests. Importable because ``conftest.py`` puts this
folder on the path."""

from __future__ import annotations

from pathlib import Path

import pytest

from inspectgraph.extract import extract
from inspectgraph.extract.core import ExtractedFinding, Extraction, read_manifest

_CACHE: dict[tuple[Path, str], Extraction] = {}


def finding(folder: Path, rel: str, phrase: str) -> ExtractedFinding:
    """The one finding of document ``rel`` (in corpus ``folder``) whose text holds ``phrase``;
    each document is extracted once per test session."""
    key = (Path(folder), rel)
    if key not in _CACHE:
        _CACHE[key] = extract(
            Path(folder) / rel, manifest_row=read_manifest(Path(folder) / "manifest.csv")[rel]
        )
    found = [f for f in _CACHE[key].findings if phrase in f.clean]
    assert len(found) == 1, (rel, phrase, len(found))
    return found[0]


def case_test(cases, *, sort=True):
    """The parametrised test of a rule test's case table: each case is ``(corpus folder
    fixture, path, phrase, polarity, agency types expected exactly)``, checked by
    :func:`check_case`. Bound to a ``test_`` name in the test module, pytest collects it."""

    @pytest.mark.parametrize(("folder", "rel", "phrase", "polarity", "agencies"), cases)
    def test(request, folder, rel, phrase, polarity, agencies):
        check_case(request, folder, rel, phrase, polarity, agencies, sort=sort)

    return test


def check_case(request, folder: str, rel: str, phrase: str, polarity: str, agencies, *, sort=True):
    """Assert the polarity and agency types of a case of the rule tests' tables: the finding of
    ``rel`` holding ``phrase`` in the corpus of fixture ``folder``; its agencies sorted first
    unless ``sort`` is false (then compared in the order extraction gives them)."""
    f = finding(request.getfixturevalue(folder), rel, phrase)
    got = sorted(f.agencies) if sort else f.agencies
    assert (f.polarity, got) == (polarity, agencies), f.cues
