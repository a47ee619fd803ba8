"""Section detection survives the variants real letters show: every heading of every corpus
document (both corpora) is re-printed in upper or lower case, with a footnote number glued
to it, with its punctuation added or dropped and with a line break inside it, and every
finding sentence must stay in the same section."""

from __future__ import annotations

import bisect

import pytest

from inspectgraph.extract.core import read_manifest
from inspectgraph.extract.structure import find_headings, parse, sections_of
from inspectgraph.extract.text import read_document


def _variant(printed: str, i: int) -> str:
    kind = i % 5
    if kind == 0:
        return printed.upper()
    if kind == 1:
        return printed.lower()
    if kind == 2:
        return printed + "1"  # a footnote number
    if kind == 3:
        return printed[:-1] if printed[-1:] in "?:" else printed + ":"
    words = printed.split(" ")
    if len(words) < 2:
        return printed.upper()
    half = len(words) // 2
    return " ".join(words[:half]) + "\n" + " ".join(words[half:])


def _perturbed(text: str, headings) -> tuple[str, list[int], list[int]]:
    """The text with each heading re-printed; old and new offsets of each edit's end."""
    pieces, old_ends, shifts = [], [], []
    pos, shift = 0, 0
    for i, h in enumerate(headings):
        original = text[h.start : h.end]
        if "\n" in original.strip() or h.start < pos:
            continue  # printed over several lines already: left as it is
        new = _variant(original.rstrip(), i) + original[len(original.rstrip()) :]
        pieces += [text[pos : h.start], new]
        pos = h.end
        shift += len(new) - len(original)
        old_ends.append(h.end)
        shifts.append(shift)
    pieces.append(text[pos:])
    return "".join(pieces), old_ends, shifts


def _documents(folder):
    return [folder / rel for rel in read_manifest(folder / "manifest.csv")]


def _check(path):
    text = read_document(path).text
    original = parse(text)
    changed, ends, shifts = _perturbed(text, original.headings)
    headings = find_headings(changed, original.layout)
    sections = sections_of(changed, original.layout, headings)
    starts = [s.start for s in sections]
    problems = []
    for s in original.sentences:
        k = bisect.bisect_right(ends, s.start)
        moved = s.start + (shifts[k - 1] if k else 0)
        j = bisect.bisect_right(starts, moved) - 1
        found = sections[j].key if j >= 0 and moved < sections[j].end else None
        if found != s.section:
            problems.append(f"{path.name}: {s.clean[:60]!r} {s.section} -> {found}")
    return problems


@pytest.mark.slow
@pytest.mark.xfail(
    strict=True,
    reason="782 sentences of SIF reports still move (LSCB parts, judged headings): "
    "unfinished, see the branch report",
)
def test_headings_perturbed_keep_every_sentence_in_its_section(corpus, corpus_joint):
    problems = []
    for path in _documents(corpus) + _documents(corpus_joint):
        problems += _check(path)
    assert not problems, f"{len(problems)} sentences moved:\n" + "\n".join(problems[:20])
