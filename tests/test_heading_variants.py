"""Section detection survives the variants real letters show: every heading of every corpus
document (both corpora) is re-printed in upper, title or sentence case, with a footnote
number glued to it, with its punctuation added or dropped or with a line break inside it,
and every finding sentence must be read the same, in the same section."""

from __future__ import annotations

import bisect
import re

import pytest

from inspectgraph.extract.core import read_manifest
from inspectgraph.extract.structure import parse
from inspectgraph.extract.text import read_document


def _variant(printed: str, footnote: str | None, i: int, spare: str = "1") -> str:
    """The heading as another letter might print it (the ``i``-th of five variants).

    Its closing punctuation and footnote number are kept apart from its words, as printed
    ("What needs to improve in this area of social work practice?1"): a variant never puts
    punctuation after a footnote number or two footnote numbers on one heading. A number
    glued to a heading is ``spare``, one that opens no line of the document: a heading's
    number calls its own footnote, not one the letter already has.
    """
    note = footnote if footnote and printed.endswith(footnote) else ""
    body = printed[: len(printed) - len(note)]
    words = body.rstrip("?:.")
    closing = body[len(words) :]
    kind = i % 5
    if kind == 0:
        words = words.upper()
    elif kind == 1:  # title case, or sentence case if it is in title case
        title = " ".join(w[:1].upper() + w[1:] for w in words.split(" "))
        words = title if title != words else words[:1] + words[1:].lower()
    elif kind == 2:
        note = note or spare  # a footnote number
    elif kind == 3:
        closing = "" if closing else ":"
    else:
        split = words.split(" ")
        if len(split) < 2:
            words = words.upper()
        else:
            half = len(split) // 2
            words = " ".join(split[:half]) + "\n" + " ".join(split[half:])
    return words + closing + note


def _perturbed(text: str, headings, rotation: int) -> tuple[str, list[int], list[int]]:
    """The text with each heading re-printed; old offsets of each edit's end, shifts after it.

    Heading ``i`` gets variant ``i + rotation``: rotating per document puts every variant on
    every kind of heading across the corpus in a single pass.
    """
    called = {int(m.group(1)) for m in re.finditer(r"(?m)^[^\S\n]*(\d{1,2})[^\S\n]+[A-Z]", text)}
    spare = str(min(set(range(1, 100)) - called))
    pieces, old_ends, shifts = [], [], []
    pos, shift = 0, 0
    for i, h in enumerate(headings):
        original = text[h.start : h.end]
        if "\n" in original.strip() or h.start < pos:
            continue  # printed over several lines already: left as it is
        printed = original.rstrip()
        new = _variant(printed, h.footnote, i + rotation, spare) + original[len(printed) :]
        pieces += [text[pos : h.start], new]
        pos = h.end
        shift += len(new) - len(original)
        old_ends.append(h.end)
        shifts.append(shift)
    pieces.append(text[pos:])
    return "".join(pieces), old_ends, shifts


def _documents(folder):
    return [folder / rel for rel in read_manifest(folder / "manifest.csv")]


def _check(path, rotation: int) -> list[str]:
    """What changes in the document's finding sentences when its headings are re-printed."""
    text = read_document(path).text
    original = parse(text)
    changed, ends, shifts = _perturbed(text, original.headings, rotation)
    before = set()
    for s in original.sentences:
        k = bisect.bisect_right(ends, s.start)
        before.add((s.start + (shifts[k - 1] if k else 0), s.clean, s.section))
    after = {(s.start, s.clean, s.section) for s in parse(changed, original.layout).sentences}
    return [
        f"{path.name}: {sign} {clean[:60]!r} in {section}"
        for sign, found in (("lost", before - after), ("gained", after - before))
        for _, clean, section in sorted(found)
    ]


def test_variants_are_printed_as_real_letters_print_headings():
    """Punctuation goes before a footnote number, never after it; one footnote per heading."""
    assert [_variant("What needs to improve?", None, i) for i in range(5)] == [
        "WHAT NEEDS TO IMPROVE?",
        "What Needs To Improve?",
        "What needs to improve?1",
        "What needs to improve",
        "What needs\nto improve?",
    ]
    printed = "Information about this local authority area2"
    assert _variant(printed, "2", 2) == printed
    assert _variant(printed, "2", 3) == "Information about this local authority area:2"
    assert _variant("Overview", None, 4) == "OVERVIEW"
    assert _variant("Key Strengths", None, 1) == "Key strengths"


@pytest.mark.slow
def test_headings_perturbed_keep_every_sentence_in_its_section(corpus, corpus_joint):
    """Every finding sentence of both corpora is read the same, in the same section."""
    problems = []
    documents = _documents(corpus) + _documents(corpus_joint)
    for rotation, path in enumerate(documents):
        problems += _check(path, rotation)
    assert not problems, f"{len(problems)} sentences changed:\n" + "\n".join(problems[:20])
