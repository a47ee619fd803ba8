"""The cue lexicon: the ``skos:hiddenLabel`` cues of the SKOS schemes and their matcher.

Every cue is a ``skos:hiddenLabel`` of a concept in ``ontology/schemes.ttl``; edit the
scheme (or pass your own with :meth:`Lexicon.from_files`) to change the labelling, no code
needed. Each label comes with the cue that decided it, so a researcher can audit it.

Cue syntax: whole words, case ignored, except cues written in capitals (``MASH``, ``PLO``)
which match exactly; ``referral*`` matches any ending; ``well-`` matches the first part of a
compound; ``'`` and ``’`` are the same. Where cues overlap the longest wins.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

__all__ = ["LEVEL_CONCEPTS", "WORSE_WHEN", "Lexicon", "default_lexicon", "tokenize"]

SCHEMES = {
    "themes": "theme",
    "agency-types": "agency",
    "polarity": "polarity",
    "visit-themes": "visit",
    "polarity-cues": "polarity-cue",
}

# measures whose level is the verdict (domain sense: "caseloads … are high"), the levels,
# and descriptions of structure or context (no vote; a sentence without votes is neutral)
WORSE_WHEN = {"worse-when-high": "level-high", "worse-when-low": "level-low"}

LEVEL_CONCEPTS = frozenset({*WORSE_WHEN, *WORSE_WHEN.values(), "demand", "description"})

_APOSTROPHES = str.maketrans("’‘`", "'''")

_TOKEN = re.compile(r"\w+(?:'\w+)*|[^\w\s]")


def _tokens(text: str) -> list[str]:
    return _TOKEN.findall(text.translate(_APOSTROPHES))


def _is_acronym(cue: str) -> bool:
    letters = [c for c in cue if c.isalpha()]
    return (
        len(letters) >= 2
        and all(c.isupper() or c == "s" for c in letters)
        and letters[0].isupper()
        and sum(c.isupper() for c in letters) >= 2
    )


class _Matcher:
    """Longest, leftmost, non-overlapping cue matches of many concepts at once.

    Cues are looked up as token sequences (words, and punctuation marks as tokens of their
    own), so matching costs a few dictionary look-ups per word.
    """

    def __init__(self, cues: dict[str, list[str]]):
        self.exact: dict[tuple, str] = {}  # lower-case tokens -> concept
        self.cased: dict[tuple, str] = {}  # acronyms: tokens as written -> concept
        self.wild: dict[tuple, list[tuple[str, str]]] = {}  # leading tokens -> (prefix, concept)
        self.longest = 1
        for concept, phrases in cues.items():
            for cue in phrases:
                cue = cue.strip()
                star = cue.endswith("*")
                body = cue[:-1] if star else cue
                toks = _tokens(body)
                if not toks:
                    continue
                self.longest = max(self.longest, len(toks))
                if star:
                    head = tuple(t.lower() for t in toks[:-1])
                    self.wild.setdefault(head, []).append((toks[-1].lower(), concept))
                elif _is_acronym(cue):
                    self.cased.setdefault(tuple(toks), concept)
                else:
                    self.exact.setdefault(tuple(t.lower() for t in toks), concept)
        for options in self.wild.values():
            options.sort(key=lambda o: -len(o[0]))
        # the cues as token tries (a node: {token: child, _CONCEPT: concept, _WILD: options}),
        # so a match is found by walking forward from a word only as far as some cue goes
        # on, instead of looking up every size from the longest cue down
        self.exact_trie = _trie(self.exact.items())
        self.cased_trie = _trie(self.cased.items())
        for head, options in self.wild.items():
            if head:
                _node(self.exact_trie, head)[_WILD] = options
        # the last words of the cues (a possessive "partnership's" is looked up only then)
        self.lasts = {k[-1] for k in self.exact} | {k[-1].lower() for k in self.cased}
        # one-word stems ("referral*"), indexed by their first three letters
        self.stems: dict[str, list[tuple[str, str]]] = {}
        for prefix, c in self.wild.get((), []):
            self.stems.setdefault(prefix[:3], []).append((prefix, c))
        self._last: tuple = (None, None, [])  # the last (text, tokens) found, and its matches

    def find(self, text: str, tokens=None) -> list[tuple[int, int, str, str]]:
        """(start, end, concept, matched text), leftmost-longest and non-overlapping.

        ``tokens`` is :func:`tokenize` of ``text``, when the caller already has it; asked
        again with the same tokens object and text (the rules, then the model of
        :mod:`.polaritymodel`), the matcher answers from its last answer.
        """
        last_text, last_tokens, last_out = self._last
        if tokens is not None and tokens is last_tokens and text == last_text:
            return list(last_out)
        out = self._find(text, tokens)
        if tokens is not None:
            self._last = (text, tokens, out)
            return list(out)
        return out

    def _find(self, text: str, tokens) -> list[tuple[int, int, str, str]]:
        spans, words, lower = tokens or tokenize(text)
        out = []
        n = len(words)
        exact_root, cased_root, stems = self.exact_trie, self.cased_trie, self.stems
        # most words start no cue: the words that may are picked out first, by set lookups
        # in one pass (a comprehension), and the walk below starts only at them
        starts = [
            k
            for k, (word, low) in enumerate(zip(words, lower, strict=True))
            if low in exact_root or word in cased_root or low[:3] in stems
        ]
        i = 0
        for start_at in starts:
            if start_at < i:
                continue  # inside the cue found last
            i = start_at
            # the longest size that matches, tried as the old size loop did: a whole cue
            # (lower-case, then as written), else a "head word*" cue ending in this word
            size = concept = 0
            node = exact_root.get(lower[i])
            cased = cased_root.get(words[i])
            j = i + 1
            while node is not None or cased is not None:
                hit = None
                if node is not None:
                    hit = node.get(_CONCEPT)
                if hit is None and cased is not None:
                    hit = cased.get(_CONCEPT)
                if hit is not None:
                    size, concept = j - i, hit
                if j == n:
                    break
                following = lower[j]
                if node is not None:
                    # one size longer; a whole cue of that size, found next, takes its place
                    for prefix, c in node.get(_WILD, ()):
                        if following.startswith(prefix):
                            size, concept = j + 1 - i, c
                            break
                    node = node.get(following)
                if cased is not None:
                    cased = cased.get(words[j])
                j += 1
            if not size:
                word = lower[i]
                options = stems.get(word[:3])
                if options:
                    for prefix, c in options:
                        if word.startswith(prefix):
                            size, concept = 1, c
                            break
            if not size:
                i += 1
                continue
            start, end = spans[i][0], spans[i + size - 1][1]
            out.append((start, end, concept, text[start:end]))
            i += size
        return out


_CONCEPT, _WILD = 0, 1  # a trie node's keys besides its tokens (which are strings)


def _node(root: dict, key: tuple) -> dict:
    node = root
    for token in key:
        node = node.setdefault(token, {})
    return node


def _trie(items) -> dict:
    root: dict = {}
    for key, concept in items:
        _node(root, key)[_CONCEPT] = concept
    return root


def tokenize(text: str):
    """Token spans, tokens and lower-case tokens of a text (apostrophes folded)."""
    norm = text.translate(_APOSTROPHES)
    spans, words = [], []
    for m in _TOKEN.finditer(norm):
        spans.append(m.span())
        words.append(m.group())
    return spans, words, [w.lower() for w in words]


@dataclass
class Lexicon:
    """The cue phrases of each scheme's concepts: ``{scheme: {key: [cue, ...]}}``."""

    cues: dict[str, dict[str, list[str]]]
    _matchers: dict = field(default_factory=dict, repr=False)

    @classmethod
    def from_graph(cls, graph) -> Lexicon:
        """Read the ``skos:hiddenLabel`` cues of the schemes in an rdflib graph."""
        from rdflib import URIRef
        from rdflib.namespace import SKOS

        base = "https://w3id.org/inspectgraph/def/"
        cues: dict[str, dict[str, list[str]]] = {}
        for scheme in SCHEMES:
            per = cues.setdefault(scheme, {})
            for concept in graph.subjects(SKOS.inScheme, URIRef(base + scheme)):
                key = str(graph.value(concept, SKOS.notation))
                per[key] = sorted(str(c) for c in graph.objects(concept, SKOS.hiddenLabel))
        return cls(cues)

    @classmethod
    def from_files(cls, *paths) -> Lexicon:
        """A lexicon from Turtle files (e.g. an edited copy of ``ontology/schemes.ttl``)."""
        from rdflib import Graph

        g = Graph()
        for path in paths:
            g.parse(str(path), format="turtle")
        return cls.from_graph(g)

    def matcher(self, scheme: str) -> _Matcher:
        """The matcher of a scheme's cues (for ``polarity``, with the ``polarity-cues``).

        ``levels`` matches the measures, levels and descriptions of the ``polarity-cues``
        (:data:`LEVEL_CONCEPTS`), which the ``polarity`` matcher leaves out.
        """
        if scheme not in self._matchers:
            cues = dict(self.cues.get(scheme, {}))
            if scheme == "polarity":
                for key, phrases in self.cues.get("polarity-cues", {}).items():
                    if key not in LEVEL_CONCEPTS:
                        cues.setdefault(key, phrases)
            elif scheme == "levels":
                # measures, their levels and descriptions: matched apart from the voting
                # cues, so that they never shadow one ("high quality", "part of the plan")
                pc = self.cues.get("polarity-cues", {})
                cues = {k: pc[k] for k in LEVEL_CONCEPTS if k in pc}
            self._matchers[scheme] = _Matcher(cues)
        return self._matchers[scheme]


@lru_cache(maxsize=1)
def default_lexicon() -> Lexicon:
    """The lexicon of the bundled schemes (cached)."""
    from ..ontology import ontology_graph

    return Lexicon.from_graph(ontology_graph())
