import re
from pathlib import Path

import pytest

from tools.clidoc import END, START, cli_reference

README = Path(__file__).resolve().parent.parent / "README.md"
CLI_PAGE = README.parent / "docs" / "cli.md"


def test_readme_starts_with_the_two_commands():
    text = README.read_text()
    head = text[: text.index("\n## ", 1) if "\n## " in text else 2000]
    assert "make demo" in head and "make test" in head


def test_cli_reference_matches_the_commands():
    text = CLI_PAGE.read_text()
    section = re.search(re.escape(START) + r"\n(.*?)" + re.escape(END), text, re.S)
    assert section, "docs/cli.md lacks the cli-reference markers"
    assert section.group(1) == cli_reference(), "run: python -m tools.clidoc"


def test_readme_is_short_and_links_the_reference():
    """A newcomer reads the README in ten minutes; the reference lives in docs/cli.md."""
    text = README.read_text()
    assert len(text.splitlines()) <= 200
    assert "docs/cli.md" in text and START not in text


@pytest.mark.slow
def test_readme_python_example_runs(tmp_path, monkeypatch):
    text = README.read_text()
    block = re.search(r"```python\n(.*?)```", text, re.S).group(1)
    monkeypatch.chdir(tmp_path)
    exec(compile(block, "README.md", "exec"), {})
