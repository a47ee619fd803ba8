r"""Sentence segmentation across PDF line breaks, with exact offsets into the rendition.

A *block* is a run of content lines that belong together (a paragraph, a bullet, a
numbered paragraph). Its lines are joined into one clean string: a line that ends in a
hyphen joins the next without a space (``multi-`` + ``agency`` = ``multi-agency``; the
letters keep real compound hyphens, and no word of them is hyphenated by the layout),
other lines join with one space. Each piece of the clean string remembers where it came
from, so a sentence found in the clean string maps back to ``start``/``end`` in the
rendition, and ``rendition[start:end]`` is the sentence as printed — line breaks, and any
page furniture between its lines, included.

>>> text = "The police do not share\ninformation. Health visi-\ntors do, e.g. in Leeds."
>>> lines = [(0, 23), (24, 49), (50, len(text))]
>>> block = Block.from_lines(text, lines)
>>> for s in split_sentences(block):
...     print(repr(s.clean), repr(text[s.start:s.end]))
'The police do not share information.' 'The police do not share\ninformation.'
'Health visi-tors do, e.g. in Leeds.' 'Health visi-\ntors do, e.g. in Leeds.'
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass

__all__ = ["Block", "Sentence", "split_sentences"]


@dataclass(frozen=True)
class Sentence:
    """One sentence: ``clean`` text and its ``start``/``end`` in the rendition."""

    clean: str
    start: int
    end: int


class Block:
    """Clean text of some rendition lines plus the map back to the rendition."""

    __slots__ = ("clean", "clean_starts", "raw_starts", "lengths")

    def __init__(self):
        self.clean = ""
        self.clean_starts: list[int] = []
        self.raw_starts: list[int] = []
        self.lengths: list[int] = []

    @classmethod
    def from_lines(cls, text: str, spans) -> Block:
        """A block of the rendition pieces ``text[start:end]`` for each (start, end)."""
        block = cls()
        for start, end in spans:
            block.add(text, start, end)
        return block

    def add(self, text: str, start: int, end: int) -> None:
        """Append ``text[start:end]`` (surrounding spaces trimmed) as the next line."""
        piece = text[start:end]
        stripped = piece.strip()
        if not stripped:
            return
        start += len(piece) - len(piece.lstrip())
        parts = []
        if self.clean:
            if self.clean.endswith("-") and not self.clean.endswith(" -"):
                pass  # a compound split at the line end: join without a space
            else:
                parts.append(" ")
        offset = len(self.clean) + len(parts)
        if "  " not in stripped and not _OTHER_SPACE.search(stripped):
            # the common line: words one space apart, nothing to collapse (one piece, as
            # the loop below would make it)
            self.clean_starts.append(offset)
            self.raw_starts.append(start)
            self.lengths.append(len(stripped))
            parts.append(stripped)
            self.clean += "".join(parts)
            return
        # collapse runs of spaces inside the line, keeping the map exact
        for match in _WORDS_RUN.finditer(stripped):
            gap = match.start() and 1
            if gap and self.lengths:
                parts.append(" ")
                offset += 1
            self.clean_starts.append(offset)
            self.raw_starts.append(start + match.start())
            self.lengths.append(match.end() - match.start())
            parts.append(_SPACES.sub(" ", match.group()))
            offset += match.end() - match.start()
        self.clean += "".join(parts)

    def raw(self, clean_index: int) -> int:
        """Rendition offset of the character at ``clean_index`` (inside a piece)."""
        i = bisect.bisect_right(self.clean_starts, clean_index) - 1
        if i < 0:
            return self.raw_starts[0]
        delta = clean_index - self.clean_starts[i]
        if delta >= self.lengths[i]:  # a joining space: the end of the piece before it
            return self.raw_starts[i] + self.lengths[i]
        return self.raw_starts[i] + delta

    def span(self, cstart: int, cend: int) -> tuple[int, int]:
        """Rendition (start, end) of the clean span [cstart, cend)."""
        return self.raw(cstart), self.raw(cend - 1) + 1


# Words whose full stop does not end a sentence.
ABBREVIATIONS = frozenset(
    "e.g i.e etc eg ie mr mrs ms dr st no nos para paras cllr approx vs cf inc jan feb mar apr "
    "jun jul aug sep sept oct nov dec fig ref".split()
)
_SPACES = re.compile(r"[\t\u00a0\u202f]")
_WORDS_RUN = re.compile(r"\S+(?:[ \t\u00a0\u202f]\S+)*")  # words one space apart
_OTHER_SPACE = re.compile(r"[^\S ]")  # any space but the plain one
_LETTER = re.compile(r"[^\W\d_]")
_BOUNDARY = re.compile(r"[.?!][\"'’”)\]]*\s+(?=[\"'‘“(\[]?[A-Z0-9\u25fc])")
_WORD_BEFORE = re.compile(r"([A-Za-z.]+)\.$")


def split_sentences(block: Block, *, min_words: int = 3) -> list[Sentence]:
    """Sentences of a block, each with exact rendition offsets.

    Fragments of fewer than ``min_words`` words (a stray "(paragraph 12)") are dropped.
    """
    text = block.clean
    out = []
    start = 0
    for match in _BOUNDARY.finditer(text):
        stop = match.start() + 1
        # the word before the stop, read from the sentence's last characters (a search of
        # the whole sentence took as long as the sentence; a word cut short at the slice's
        # start is still too long to be an abbreviation or an initial)
        word = _WORD_BEFORE.search(text, max(start, stop - 24), stop)
        if word and (word.group(1).lower() in ABBREVIATIONS or len(word.group(1)) == 1):
            continue
        # include closing quotes or brackets that follow the full stop
        close = match.group().rstrip()
        stop = match.start() + len(close)
        _emit(block, start, stop, out, min_words)
        start = match.end()
    _emit(block, start, len(text), out, min_words)
    return out


def _emit(block: Block, start: int, stop: int, out: list, min_words: int) -> None:
    piece = block.clean[start:stop]
    lead = len(piece) - len(piece.lstrip())
    piece = piece.strip()
    if not piece or len(piece.split()) < min_words or not _LETTER.search(piece):
        return
    cstart = start + lead
    rstart, rend = block.span(cstart, cstart + len(piece))
    out.append(Sentence(piece, rstart, rend))
