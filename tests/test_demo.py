"""`make demo` prints what the README says it prints: the triples, the store's digest, the
national history, the recurring partnerships and the drawing, to the character.

The README's block was recorded on main before issue 18's restructuring, so a refactor that
changes the demo's graph (its digest) or anything it prints fails here."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

README = Path(__file__).resolve().parent.parent / "README.md"


def readme_demo_output() -> str:
    text = README.read_text(encoding="utf-8")
    section = text[text.index("## What `make demo` prints") :]
    return re.search(r"```\n(.*?)```", section, re.S).group(1)


def test_the_readme_records_the_demo_digest():
    first = readme_demo_output().splitlines()[0]
    assert re.fullmatch(r"Built \d+ triples into demo-out/store \(digest [0-9a-f]{16}\)\.", first)


@pytest.mark.slow
def test_the_demo_prints_what_the_readme_shows(cli_run, tmp_path, monkeypatch):
    # `make demo` runs `inspectgraph demo --out demo-out`: the same, in a scratch folder
    monkeypatch.chdir(tmp_path)
    result = cli_run("demo", "--out", "demo-out")
    assert result.exit_code == 0, result.output
    assert result.output == readme_demo_output()
    assert (tmp_path / "demo-out" / "partnerships.html").is_file()
    assert (tmp_path / "demo-out" / "graph.ttl").is_file()
