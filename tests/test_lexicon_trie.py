"""The cue matcher's token tries (extract/lexicon.py) find exactly what the lookup they
replaced found: at each word, every size from the longest cue down, a whole cue (lower-case,
then as written), else a "head word*" cue, else a one-word stem. The reference below is that
lookup, kept here as the specification; it is compared on phrases made of the bundled cues'
own words (cased and cut short at random) and on hostile strings."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from inspectgraph.extract.lexicon import _Matcher, default_lexicon, tokenize

SCHEMES = ("themes", "agency-types", "polarity", "levels", "visit-themes")


def reference_find(m: _Matcher, text: str) -> list[tuple[int, int, str, str]]:
    """Leftmost-longest matches by trying every size at each word (the old matcher)."""
    spans, words, lower = tokenize(text)
    first: dict[str, int] = {}
    for key in list(m.exact) + [tuple(t.lower() for t in k) for k in m.cased]:
        first[key[0]] = max(first.get(key[0], 0), len(key))
    for head in m.wild:
        if head:
            first[head[0]] = max(first.get(head[0], 0), len(head) + 1)
    out, i, n = [], 0, len(words)
    while i < n:
        hit = None
        for size in range(min(first.get(lower[i], 0), n - i), 0, -1):
            key = tuple(lower[i : i + size])
            concept = m.exact.get(key) or m.cased.get(tuple(words[i : i + size]))
            if concept is None and size > 1:
                last = key[-1]
                concept = next((c for p, c in m.wild.get(key[:-1], ()) if last.startswith(p)), None)
            if concept is not None:
                hit = (size, concept)
                break
        if hit is None:
            word = lower[i]
            stem = next((c for p, c in m.stems.get(word[:3], ()) if word.startswith(p)), None)
            hit = (1, stem) if stem else None
        if hit is None:
            i += 1
            continue
        size, concept = hit
        start, end = spans[i][0], spans[i + size - 1][1]
        out.append((start, end, concept, text[start:end]))
        i += size
    return out


MATCHERS = [default_lexicon().matcher(s) for s in SCHEMES]


def _cue_words() -> list[str]:
    words = set()
    for m in MATCHERS:
        for key in [*m.exact, *m.cased, *m.wild]:
            words.update(key)
        for options in m.wild.values():
            words.update(p for p, _ in options)
    return sorted(words)


CUE_WORDS = _cue_words()
WORD = st.one_of(
    st.sampled_from(CUE_WORDS),
    st.sampled_from(CUE_WORDS).map(str.upper),
    st.sampled_from(CUE_WORDS).map(str.title),
    st.sampled_from(CUE_WORDS).map(lambda w: w + "s"),
    st.sampled_from(CUE_WORDS).map(lambda w: w[: max(1, len(w) - 2)]),
    st.sampled_from(["the", "and", "not", ",", ".", "'s", "’", "-", "(", "well-", "s"]),
)


@pytest.mark.parametrize("matcher", MATCHERS, ids=SCHEMES)
@given(words=st.lists(WORD, max_size=30), joiner=st.sampled_from([" ", "", "\n", " - "]))
def test_trie_finds_what_the_size_lookup_found(matcher, words, joiner):
    text = joiner.join(words)
    assert matcher.find(text) == reference_find(matcher, text)


HOSTILE = [
    "",
    " ",
    "'''",
    "’’ ‘ `",
    "\u0130stanbul İİ ǅ ß ﬁ",  # characters whose lower case is longer or differs
    "MASH mash Mash MASHs m.a.s.h",
    "not not not not not not not not not not not not",
    "well-well-well- -well",
    "a" * 5000,
    "police, police; police: police! (police) [police] police's police’s policeman",
    "\x00\x01\ufeff\u200b word \u2028 \U0001f600",
]


@pytest.mark.parametrize("text", HOSTILE)
def test_trie_on_hostile_strings(text):
    for m in MATCHERS:
        assert m.find(text) == reference_find(m, text)


def test_trie_on_every_cue_and_its_neighbours():
    """Each cue alone, cut one word short, and followed by another cue's first word."""
    for m in MATCHERS:
        keys = [*m.exact, *m.cased, *((*h, p) for h, opts in m.wild.items() for p, _ in opts)]
        for k, key in enumerate(keys):
            for text in (
                " ".join(key),
                " ".join(key[:-1]),
                " ".join(key) + "ing " + keys[(k + 1) % len(keys)][0],
            ):
                assert m.find(text) == reference_find(m, text), text
