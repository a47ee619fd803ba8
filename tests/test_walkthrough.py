"""The Python walkthrough in docs/ is run as it is written (doctest)."""

import doctest
from pathlib import Path

import pytest

DOC = Path(__file__).resolve().parent.parent / "docs" / "python-api.md"


@pytest.mark.slow
def test_python_api_walkthrough_runs(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)  # it writes partnerships.html, .pdf, .gexf, graph.ttl
    result = doctest.testfile(
        str(DOC),
        module_relative=False,
        report=True,
        optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE,
    )
    assert result.attempted > 20 and result.failed == 0
    for name in ("partnerships.html", "partnerships.pdf", "partnerships.gexf", "graph.ttl"):
        assert (tmp_path / name).stat().st_size > 1000, name
