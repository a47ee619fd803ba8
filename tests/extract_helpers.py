"""Shared helpers of the rule tests on real findings (``test_extract_rules_*``,
``test_extract_strict_rules*``): a corpus document's finding, found by a short phrase of it,
so that no letter text is stored in the tests. Importable because ``conftest.py`` puts this
folder on the path."""

from __future__ import annotations

from pathlib import Path

from inspectgraph.extract import extract
from inspectgraph.extract.core import Extraction, Finding, read_manifest

_CACHE: dict[tuple[Path, str], Extraction] = {}


def finding(folder: Path, rel: str, phrase: str) -> Finding:
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
