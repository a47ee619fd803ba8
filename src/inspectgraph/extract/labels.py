"""Labels from the cue lexicon of the SKOS schemes: polarity, themes, agency types, visit theme.

Every cue is a ``skos:hiddenLabel`` of a concept in ``ontology/schemes.ttl``; edit the
scheme (or pass your own with :meth:`Lexicon.from_files`) to change the labelling, no code
needed. Each label comes with the cue that decided it, so a researcher can audit it.

Cue syntax: whole words, case ignored, except cues written in capitals (``MASH``, ``PLO``)
which match exactly; ``referral*`` matches any ending; ``well-`` matches the first part of a
compound; ``'`` and ``’`` are the same. Where cues overlap the longest wins.

Polarity is decided by a few ordered rules (see ``docs/extraction.md``):

1. a sentence in a section that lists what must improve (*What needs to improve*, *Areas for
   priority action*, *Recommendations*…) is a weakness;
2. neutral cues mask the words they cover ("as well as", "well-being", "child protection");
3. a strength cue within four words after a negating weakness cue ("not", "no", "never",
   "without", "lack", "cannot", "n't") is absorbed by it: "not always effective" is one
   weakness;
4. mixed cues ("however", "although", "but", "while", ";") split the sentence into clauses;
   each clause is a weakness if its weakness cues are at least as many as its strength cues
   and there is one, a strength if it has strength cues only or more of them, else silent;
5. clauses of both polarities make the sentence mixed; one polarity decides; none is neutral.

Agency types are the types whose cues occur; a finding naming no agency concerns the
inspected local authority (or, in an LSCB review, the safeguarding partnership). Themes are
the themes whose cues occur, plus the population a section or a visit is about (children in
care, care leavers).

>>> lab = label("Health partners do not always share information with the MASH.")
>>> lab.polarity, lab.themes, lab.agencies
('weakness', ['front_door', 'information_sharing'], ['health', 'multi_agency'])
>>> lab.cues["polarity:weakness"], lab.cues["agency:health"]
('not always', 'Health partners')
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

__all__ = ["Labels", "Lexicon", "default_lexicon", "label", "visit_theme"]

NEGATORS = re.compile(r"(?i)\b(?:not|no|never|nor|without|lack\w*|cannot|neither|none)\b|n't\b")
# A sentence-initial condition ("When children go missing, …") states a circumstance, not a
# verdict: its cues do not vote. Nor does a weakness a remedy acts on ("to address delays").
CONDITION = re.compile(r"(?i)^(?:when|where|if|once|unless|until|whenever|wherever)\b[^,;]*,")
REMEDY = re.compile(
    r"(?i)\b(?:address\w*|tackl\w*|reduc\w*|prevent\w*|avoid\w*|minimis\w*|"
    r"mitigat\w*|overcom\w*|resolv\w*|remed\w*|eliminat\w*)\s+(?:\S+\s+){0,2}$"
)
WEAKNESS_WEIGHT = 2.0  # in a clause, one weakness cue outweighs two strength cues
# "Although …, …", "While …, …": a leading subordinate clause ends at its first comma
SUBORDINATE = re.compile(
    r"(?i)^(?:although|though|while|whilst|despite|notwithstanding|"
    r"whereas|even though)\b[^,;]*,"
)
SCHEMES = {
    "themes": "theme",
    "agency-types": "agency",
    "polarity": "polarity",
    "visit-themes": "visit",
}
WEAKNESS_SECTIONS = frozenset(
    {
        "what_needs_to_improve",
        "areas_for_priority_action",
        "areas_for_improvement",
        "recommendations",
        "priority_action",
        "lscb_recommendations",
    }
)
LSCB_SECTIONS = frozenset(
    {"lscb", "lscb_executive_summary", "lscb_recommendations", "lscb_findings"}
)
SECTION_POPULATION = {
    "children_in_care": "children_in_care",
    "adoption_performance": "children_in_care",
    "care_leavers": "care_leavers",
    "experiences_of_care_leavers": "care_leavers",
}
VISIT_POPULATION = {
    "children_in_care": "children_in_care",
    "achieving_permanence": "children_in_care",
    "care_leavers": "care_leavers",
}
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
        # the longest cue that can start with a given (lower-case) word
        self.first: dict[str, int] = {}
        for key in list(self.exact) + [tuple(t.lower() for t in k) for k in self.cased]:
            self.first[key[0]] = max(self.first.get(key[0], 0), len(key))
        for head in self.wild:
            if head:
                self.first[head[0]] = max(self.first.get(head[0], 0), len(head) + 1)
        # one-word stems ("referral*"), indexed by their first three letters
        self.stems: dict[str, list[tuple[str, str]]] = {}
        for prefix, c in self.wild.get((), []):
            self.stems.setdefault(prefix[:3], []).append((prefix, c))

    def find(self, text: str, tokens=None) -> list[tuple[int, int, str, str]]:
        """(start, end, concept, matched text), leftmost-longest and non-overlapping.

        ``tokens`` is :func:`tokenize` of ``text``, when the caller already has it.
        """
        spans, words, lower = tokens or tokenize(text)
        out = []
        i, n = 0, len(words)
        first, exact, cased, wild, stems = (
            self.first,
            self.exact,
            self.cased,
            self.wild,
            self.stems,
        )
        while i < n:
            hit = None
            word = lower[i]
            longest = first.get(word, 0)
            if longest:
                size = longest if longest < n - i else n - i
                while size:
                    key = tuple(lower[i : i + size])
                    concept = exact.get(key)
                    if concept is None and cased:
                        concept = cased.get(tuple(words[i : i + size]))
                    if concept is None and size > 1:
                        options = wild.get(key[:-1])
                        if options:
                            last = key[-1]
                            for prefix, c in options:
                                if last.startswith(prefix):
                                    concept = c
                                    break
                    if concept is not None:
                        hit = (size, concept)
                        break
                    size -= 1
            if hit is None:
                options = stems.get(word[:3])
                if options:
                    for prefix, c in options:
                        if word.startswith(prefix):
                            hit = (1, c)
                            break
            if hit is None:
                i += 1
                continue
            size, concept = hit
            start, end = spans[i][0], spans[i + size - 1][1]
            out.append((start, end, concept, text[start:end]))
            i += size
        return out


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
        if scheme not in self._matchers:
            self._matchers[scheme] = _Matcher(self.cues.get(scheme, {}))
        return self._matchers[scheme]


@lru_cache(maxsize=1)
def default_lexicon() -> Lexicon:
    """The lexicon of the bundled schemes (cached)."""
    from ..ontology import ontology_graph

    return Lexicon.from_graph(ontology_graph())


@dataclass
class Labels:
    """Polarity, theme and agency-type keys of one sentence, with the deciding cues.

    ``cues`` maps ``"polarity:<key>"``, ``"theme:<key>"`` and ``"agency:<key>"`` to the
    phrase of the text (or the rule, e.g. ``"section: What needs to improve"``) behind it.
    """

    polarity: str
    themes: list[str]
    agencies: list[str]
    cues: dict[str, str]


def label(
    text: str,
    *,
    section: str | None = None,
    heading: str = "",
    visit_theme: str | None = None,
    lexicon: Lexicon | None = None,
) -> Labels:
    """Label one sentence (clean text) in the context of its section and visit."""
    lex = lexicon or default_lexicon()
    cues: dict[str, str] = {}
    tokens = tokenize(text)
    polarity, pcue = _polarity(text, section, heading, lex, tokens)
    cues[f"polarity:{polarity}"] = pcue
    themes = []
    for _s, _e, concept, found in lex.matcher("themes").find(text, tokens):
        if concept not in themes:
            themes.append(concept)
            cues[f"theme:{concept}"] = found
    population = SECTION_POPULATION.get(section or "")
    if population and population not in themes:
        themes.append(population)
        cues[f"theme:{population}"] = f"section: {heading or section}"
    population = VISIT_POPULATION.get(visit_theme or "")
    if population and population not in themes and section not in SECTION_POPULATION:
        themes.append(population)
        cues[f"theme:{population}"] = f"visit theme: {visit_theme}"
    agencies = []
    for _s, _e, concept, found in lex.matcher("agency-types").find(text, tokens):
        if concept not in agencies:
            agencies.append(concept)
            cues[f"agency:{concept}"] = found
    if not agencies:
        default = "safeguarding_partnership" if section in LSCB_SECTIONS else "local_authority"
        agencies.append(default)
        cues[f"agency:{default}"] = (
            "default: the board under review"
            if section in LSCB_SECTIONS
            else "default: the inspected local authority"
        )
    themes.sort()
    agencies.sort()
    return Labels(polarity, themes, agencies, cues)


def _polarity(
    text: str, section: str | None, heading: str, lex: Lexicon, tokens=None
) -> tuple[str, str]:
    if section in WEAKNESS_SECTIONS:
        return "weakness", f"section: {heading or section}"
    matches = lex.matcher("polarity").find(text, tokens)
    condition = CONDITION.match(text)
    masked_until = condition.end() if condition else 0
    subordinate = SUBORDINATE.match(text)
    split_at = subordinate.end() if subordinate else -1
    clauses: list[list[tuple[str, str, int, int]]] = [[]]
    absorb_until = -1
    negation_cue = ""
    neutral_cue = ""
    for start, end, concept, found in matches:
        if 0 <= split_at <= start:
            if clauses[-1]:
                clauses.append([])
            split_at = -1
        if concept == "mixed":
            if start >= masked_until and clauses[-1]:
                clauses.append([])
            absorb_until = -1
            continue
        if concept == "neutral":
            neutral_cue = neutral_cue or found
            continue
        if start < masked_until:
            continue
        if concept == "weakness" and REMEDY.search(text[max(0, start - 60) : start]):
            continue
        if concept == "strength" and start < absorb_until and clauses[-1]:
            # "not … effective": the strength is negated, the weakness cue carries it
            clauses[-1][-1] = ("weakness", f"{negation_cue} … {found}", start, end)
            continue
        clauses[-1].append((concept, found, start, end))
        if concept == "weakness" and NEGATORS.search(found):
            negation_cue = found
            absorb_until = _after_words(text, end, 4)
        elif concept == "weakness":
            absorb_until = -1
    verdicts = []
    for clause in clauses:
        w = [c for c in clause if c[0] == "weakness"]
        s = [c for c in clause if c[0] == "strength"]
        if w and WEAKNESS_WEIGHT * len(w) >= len(s):
            verdicts.append(("weakness", w[0][1]))
        elif s:
            verdicts.append(("strength", s[0][1]))
    kinds = {v for v, _ in verdicts}
    if kinds == {"weakness", "strength"}:
        first = {v: c for v, c in reversed(verdicts)}
        return "mixed", f"{first['strength']} / {first['weakness']}"
    if kinds:
        return verdicts[0]
    if neutral_cue:
        return "neutral", neutral_cue
    if re.search(r"\d", text):
        return "neutral", "figures without a strength or weakness cue"
    # inspectors describe practice they do not criticise: an affirmative description
    return "strength", "no cue: practice described without criticism"


def _after_words(text: str, pos: int, n: int) -> int:
    for m in re.finditer(r"\S+", text[pos:]):
        n -= 1
        if n == 0:
            return pos + m.end()
    return len(text)


# When the sentence stating a visit's theme names several, the most specific wins.
VISIT_PRIORITY = (
    "pandemic",
    "vulnerable_adolescents",
    "achieving_permanence",
    "front_door",
    "care_leavers",
    "children_in_care",
    "children_in_need",
)


def visit_theme(text: str, *, lexicon: Lexicon | None = None) -> tuple[str, str] | None:
    """The visit theme stated by a letter's introduction: ``(key, cue)`` or None.

    The first sentence that says what inspectors looked at decides, with the sentence after
    it when that one begins "Specifically" or "In particular"; where they name several
    themes the most specific wins (:data:`VISIT_PRIORITY`). A letter without such a sentence
    (the 2020-21 pandemic visits) is matched on its whole introduction.

    >>> visit_theme("This letter summarises the findings. Inspectors looked at the local "
    ...             "authority's arrangements for children who need help and protection. "
    ...             "Specifically, they looked at the 'front door'.")
    ('front_door', 'front door')
    """
    lex = lexicon or default_lexicon()
    matcher = lex.matcher("visit-themes")
    flat = " ".join(text.split())
    sentences = re.split(r"(?<=[.])\s+(?=[A-Z])", flat)
    for i, sentence in enumerate(sentences):
        if not re.search(
            r"(?i)\b(?:looked at|evaluated|reviewed|considered|focused on|focus of|"
            r"visit looked)\b",
            sentence,
        ):
            continue
        if re.search(
            r"(?i)range of evidence|case records|case files|performance management|"
            r"quality assurance information",
            sentence,
        ):
            continue
        found = matcher.find(sentence)
        if i + 1 < len(sentences) and re.match(
            r"(?i)(?:Specifically|In particular)\b", sentences[i + 1]
        ):
            found += matcher.find(sentences[i + 1])
        if found:
            best = min(
                found,
                key=lambda f: (
                    VISIT_PRIORITY.index(f[2]) if f[2] in VISIT_PRIORITY else len(VISIT_PRIORITY)
                ),
            )
            return best[2], best[3]
    found = [f for f in matcher.find(flat) if f[2] == "pandemic"]
    if found:
        return found[0][2], found[0][3]
    return None
