"""Labels from the cue lexicon of the SKOS schemes: polarity, themes, agency types, visit theme.

Every cue is a ``skos:hiddenLabel`` of a concept in ``ontology/schemes.ttl``; edit the
scheme (or pass your own with :meth:`Lexicon.from_files`) to change the labelling, no code
needed. Each label comes with the cue that decided it, so a researcher can audit it.

Cue syntax: whole words, case ignored, except cues written in capitals (``MASH``, ``PLO``)
which match exactly; ``referral*`` matches any ending; ``well-`` matches the first part of a
compound; ``'`` and ``’`` are the same. Where cues overlap the longest wins.

Polarity follows the labelling guideline of ``docs/extraction.md`` (the verdict the sentence
itself states) with a few ordered rules:

1. a sentence in a section that lists what must improve (*What needs to improve*, *Areas for
   priority action*, *Recommendations*…), or one that opens with an imperative ("Ensure that
   …"), is a weakness; one in a list of strengths (*Strengths*, *Key strengths*) a strength;
2. mixed cues ("however", "although", "but", "while", ";") split the sentence into clauses;
   a leading "Although …," clause ends at its comma, and so does "…, while X, …";
3. masks (the ``polarity-cues`` scheme: "well-being", "child protection", "what needs to
   improve") keep their words from voting; a sentence-initial condition ("When children go
   missing, …") does not vote, nor does a weakness a remedy acts on ("to address delays");
4. a neutral cue (plans, work not yet in effect, history, context, withheld judgement:
   "plans to", "is due to", "at the last inspection", "demand for", "too early to")
   silences the cues after it up to the next comma (to the end of the clause when it opens
   the sentence);
5. a negation ("not", "no", "without", "lack…") absorbs a strength cue within four words
   ("not always … effective" is one weakness), or the whole complement of a negated
   "ensure/enable/lead to"; a need ("needs to", "more to do") absorbs the strength cues after
   it in its clause; a plain negation of a weakness cue or an adverse outcome is a strength
   ("no … delay", "not exposed to … harm", "No children were … unassessed"); "unaware",
   "unable" and "unclear" absorb like a negation;
5a. a measure stated with its level votes by domain sense (:func:`_levels`): "caseloads …
   are high" is a weakness, "morale is high" a strength; a trend in demand ("the number of
   referrals has increased") does not vote;
6. an awareness cue ("aware that", "recognise that", "have identified") is a strength and
   ends its clause, so that a shortfall it recognises makes the sentence mixed;
7. each clause is a weakness if its weakness cues count at least half its strength cues,
   a strength if it has more strength cues; clauses of both make the sentence mixed — and a
   clause that states practice without any cue ("there is exploration of risks") counts as a
   strength beside a weakness clause across a contrast word;
8. a sentence without votes is neutral when it has a neutral cue, a description of structure
   or context ("This includes", "chaired by", "is part of") or figures, else a strength
   (practice described without criticism).

Agency types follow the strict reading of ``docs/extraction.md``: the types the sentence
names as actors or subjects, by their cues. An agentless sentence ("Plans are not timely")
names none -- the inspected authority is the document's, not the sentence's; an
inspectorate is never one; "health and", "health," name the health agencies only in a list
of agencies ("police, health and education"), "partnership" only as "the partnership". In a
weakness or mixed sentence, ``criticised`` are the agencies of the clause that states the
shortfall named before its first failure word (the subject: "Police do not share
information with children's social care" criticises the police), or by "by" after it (the
agent of a passive); the others are the partners failed. When the clause names no
subject, every agency it names (else every agency of the sentence) is criticised. Themes are
the themes whose cues occur, plus the population a section or a visit is about (children in
care, care leavers).

>>> lab = label("Health partners do not always share information with the MASH.")
>>> lab.polarity, lab.themes, lab.agencies, lab.criticised
('weakness', ['front_door', 'information_sharing'], ['health', 'multi_agency'], ['health'])
>>> lab.cues["polarity:weakness"], lab.cues["agency:health"], lab.cues["criticised"]
('not always', 'Health partners', 'named before: not')
>>> label("Plans are not timely.").agencies
[]
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass, field
from functools import lru_cache

from .structure import HEADINGS

__all__ = [
    "Labels",
    "Lexicon",
    "MASH_NAMED",
    "agency_mentions",
    "criticised_agencies",
    "default_lexicon",
    "label",
    "visit_theme",
]

NEGATORS = re.compile(
    r"(?i)\b(?:not|no|never|nor|without|lack\w*|cannot|neither|none|unaware|unable|unclear)\b|n't\b"
)
# A sentence-initial condition ("When children go missing, …") states a circumstance, not a
# verdict: its cues do not vote, nor do those of a second condition joined to it ("When risks
# increase, or progress is not being achieved, …"). Nor does a weakness a remedy acts on ("to
# address delays").
CONDITION = re.compile(
    r"(?i)^(?:when|where|if|once|unless|until|whenever|wherever)\b[^,;]*,"
    r"(?:\s*or\s+[^,;]*,(?=[^,;]*\w))?"
)
REMEDY = re.compile(
    r"(?i)\b(?:address\w*|tackl\w*|reduc\w*|prevent\w*|avoid\w*|minimis\w*|"
    r"mitigat\w*|overcom\w*|resolv\w*|remed\w*|eliminat\w*|complet\w*|respond\w*)"
    r"\s+(?:[^\s,;]+\s+){0,5}$"
)
# what an action is for: "so that they do not need to wait", "to ensure that risks do not
# escalate" -- a negation or a need there names the outcome prevented, not a shortfall
# (", so that …" after a comma is a result: "delayed, so that risks are not understood")
PURPOSE = re.compile(
    r"(?i)(?<!not )(?<!n't )\b(?:(?<!, )so\s+that|(?:to\s+|helps?\s+to\s+|helping\s+to\s+)?"
    r"ensur(?:e|es|ing)\s+that|to\s+make\s+sure\s+that)\s+"
    r"(?:(?!but\b|however\b|although\b|and\s+(?:is|are|has|have)\b)[^\s,;:]+\s+){0,6}$"
)
# a need inside an embedded question states what is weighed or known, not a shortfall:
# "consideration as to whether inquiries should involve …", "clear about what assessments
# should focus on"
EMBEDDED_QUESTION = re.compile(r"(?i)\b(?:whether|what)\s+(?:[^\s,;:]+\s+){0,5}$")
EMBEDDED_MODAL = re.compile(r"(?i)(?:should|must|needs?|needed|requires?)\b")
WEAKNESS_WEIGHT = 2.0  # in a clause, one weakness cue outweighs two strength cues
# "Although …, …", "While …, …": a leading subordinate clause ends at its first comma
SUBORDINATE = re.compile(
    r"(?i)^(?:although|though|while|whilst|despite|notwithstanding|"
    r"whereas|even though|even where|even when)\b[^,;]*,"
)
# a sentence-initial "Since …,", "Following …,": a neutral cue there leaves the sentence to
# the rest
LEADING_ADVERBIAL = re.compile(
    r"(?i)^(?:since|following|after|before|as part of|at the time|in response to|in light of)\b"
    r"[^,;]*,(?:\s*(?:when|where|which)\b[^,;]*,)?"
)
# figures (counts, percentages, dates), COVID-19 aside
FIGURES = re.compile(r"\d")
NOT_FIGURES = re.compile(r"(?i)covid-19")
# a sentence that opens with an imperative is a recommendation ("Ensure that …")
RECOMMENDATION = re.compile(
    r"^[\W\d]*(?:Ensure|Improve|Strengthen|Develop|Make sure|Embed|Establish|Implement|Reduce)\b"
)
# a point of an improvement list that is a paragraph, not a bullet, says who must act: "Leaders
# across the partnership should …", "Area leaders need urgently to …"
OBLIGATION = re.compile(
    r"(?i)^[^,;:]{0,80}?\b(?:should|must|needs?\s+(?:urgently\s+)?to)\b"
    # ... or that opens with the imperative of a recommendation ("Review the financial
    # contributions …", "Take action to …", "Properly celebrate …")
    r"|^[\W\d]*(?:(?:[A-Z][a-z]+ly|Further)\s+)?(?:review|identify|gather|take|ensure|improve|strengthen|"
    r"develop|establish|implement|reduce|increase|provide|monitor|evaluate|extend|revise|"
    r"undertake|agree|clarify|complete|embed|make|prioritise|raise|secure|address|analyse|"
    r"audit|consider|continue|use|promote|set|build|introduce|enable|celebrate|assess|work|"
    r"put|give|create|collate|produce|publish|seek|engage|initiate|consolidate|commission|"
    r"sustain|tackle|coordinate|co-ordinate|challenge|record|share|check)\b"
    r"(?!\s+(?:\w+\s+){0,3}(?:is|are|was|were|has|have|had|will|can|may)\b)"
    # ... or that lists what must be ensured ("This includes: − ensuring that …")
    r"|^[^.]*?:\s*[−–-]\s*ensuring\b"
)
NO_CUE = "no cue: practice described without criticism"
# contrast words that open a subordinate clause ending at the next comma ("…, while decreasing, …")
SUBORDINATORS = frozenset(
    {
        "while",
        "whilst",
        "although",
        "though",
        "despite",
        "notwithstanding",
        "even where",
        "even when",
    }
)
# a condition inside the sentence ("…, when it has not been recorded, …", "… when practice
# falls below standard") states a circumstance: its cues count only if nothing else votes
INNER_CONDITION = re.compile(r"(?i)\b(?:when|whenever|where|wherever|if|once|unless)\b")
# a negated verb whose complement is what is not achieved ("not ensuring that … timely")
NEGATED_COMPLEMENT = re.compile(
    r"(?i)\b(?:ensur|enabl|lead|result|provid|allow|sufficient)\w*|\benough\b"
)
ENOUGH = re.compile(r"(?i)\benough\b")
# "No children were …", "There have been no …": a negation that scopes its whole clause
NO_EXISTENTIAL = re.compile(
    r"(?i)(?:^[\W_]*|[,;:]\s*|\bthere\s+(?:is|are|was|were|has\s+been|have\s+been)\s+)no$"
)
# plain negators: a negated weakness cue or adverse outcome is a strength ("no delay")
PLAIN_NEGATORS = frozenset(
    {"no", "not", "never", "without", "nor", "none", "cannot", "neither"}
    | {w + "n't" for w in ("do", "does", "did", "is", "are", "was", "were", "has", "have", "had")}
    | {"can't", "won't"}
)
SCHEMES = {
    "themes": "theme",
    "agency-types": "agency",
    "polarity": "polarity",
    "visit-themes": "visit",
    "polarity-cues": "polarity-cue",
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
# a list of strengths ("Strengths" of a JTAI letter, "Key strengths", a SIF report's "The
# local authority's strengths"): every point in it is one, by the letter's own structure
STRENGTH_SECTIONS = frozenset({"strengths"})
# sections that never hold findings (labelled only when a sentence in them is asked about)
NOT_FINDINGS = frozenset(
    {h.key for h in HEADINGS if not h.findings} - {h.key for h in HEADINGS if h.findings}
) | {"introduction", "front_matter"}
SECTION_POPULATION = {
    "children_in_care": "children_in_care",
    "adoption_performance": "children_in_care",
    "care_leavers": "care_leavers",
    "experiences_of_care_leavers": "care_leavers",
}
VISIT_POPULATION = {
    "children_in_care": "children_in_care",
    "care_leavers": "care_leavers",
}
# the population a whole inspection is about: an area SEND inspection judges the area's
# services for children and young people with special educational needs and disabilities
INSPECTION_POPULATION = {"area_send": "disabled_children"}
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
        # the last words of the cues (a possessive "partnership's" is looked up only then)
        self.lasts = {k[-1] for k in self.exact} | {k[-1].lower() for k in self.cased}
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


@dataclass
class Labels:
    """Polarity, theme and agency-type keys of one sentence, with the deciding cues.

    ``criticised`` (a subset of ``agencies``, empty unless the polarity is weakness or
    mixed) are the agency types the sentence makes the failing party.

    ``cues`` maps ``"polarity:<key>"``, ``"theme:<key>"`` and ``"agency:<key>"`` to the
    phrase of the text (or the rule, e.g. ``"section: What needs to improve"``) behind it.
    """

    polarity: str
    themes: list[str]
    agencies: list[str]
    cues: dict[str, str]
    criticised: list[str] = field(default_factory=list)


def label(
    text: str,
    *,
    section: str | None = None,
    heading: str = "",
    visit_theme: str | None = None,
    lexicon: Lexicon | None = None,
    named: list[tuple[int, int, str, str]] = (),
    joint: bool = False,
    inspection: str | None = None,
    list_item: bool = True,
) -> Labels:
    """Label one sentence (clean text) in the context of its section and visit.

    ``named`` are organisations the sentence names by name, as (start, end, agency type,
    name): the agency registry knows that "Together for Children" runs a council's
    services, the lexicon cannot. ``joint`` says the sentence is from a joint inspection's
    letter, written to every agency of the area (see :func:`agency_mentions`).
    ``inspection`` is the inspection type's key (``area_send``, ``jtai``, …): the
    population an area SEND inspection is about is a theme of each of its findings.
    ``list_item`` says the sentence is an item of its section's list (it opens its bullet,
    numbered point or paragraph); a sentence after it in the same block is narrative, and an
    improvement heading does not make narrative a weakness: its words decide.
    """
    lex = lexicon or default_lexicon()
    cues: dict[str, str] = {}
    tokens = tokenize(text)
    if section in WEAKNESS_SECTIONS and not list_item and not OBLIGATION.match(text):
        polarity, pcue = _polarity(text, None, "", lex, tokens)
        if pcue == NO_CUE:
            # words that state no verdict leave the heading's shortfall standing
            polarity, pcue = "weakness", f"section: {heading or section} (no verdict in the words)"
        else:
            pcue = f"narrative under {heading or section} / {pcue}"
    else:
        polarity, pcue = _polarity(text, section, heading, lex, tokens)
    if section in NOT_FINDINGS:
        # an introduction, "Next steps", area facts: the letter's procedure, not a verdict
        polarity, pcue = "neutral", f"section: {heading or section} (not findings)"
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
    population = INSPECTION_POPULATION.get(inspection or "")
    if population and population not in themes:
        themes.append(population)
        cues[f"theme:{population}"] = f"inspection: {inspection}"
    mentions = agency_mentions(text, lex, tokens, joint=joint)
    if named:
        # a name wins over a cue inside it ("Northumbria Police", "Together for Children")
        mentions = sorted(
            [m for m in mentions if not any(m[0] < n[1] and n[0] < m[1] for n in named)]
            + [(s, e, t, f"named: {name}") for s, e, t, name in named]
        )
        # a workforce word right after a named body is that body's: "National Probation
        # Service (NPS) managers"
        mentions = [
            m
            for i, m in enumerate(mentions)
            if not (
                i
                and m[2] == "local_authority"
                and " ".join(m[3].lower().split()) in WORKFORCE
                and mentions[i - 1][3].startswith("named: ")
                and mentions[i - 1][2] != "local_authority"
                and QUALIFIER_BEFORE.match(text[mentions[i - 1][1] : m[0]])
            )
        ]
    agencies = []
    for _s, _e, concept, found in mentions:
        if concept not in agencies:
            agencies.append(concept)
            cues[f"agency:{concept}"] = found
    criticised = []
    if polarity in ("weakness", "mixed") and agencies:
        criticised, why = criticised_agencies(text, mentions, lex, tokens)
        cues["criticised"] = why
    themes.sort()
    agencies.sort()
    return Labels(polarity, themes, agencies, cues, sorted(criticised))


# the multi-agency front door named as a service: only then is "multi_agency" an organisation
MASH_NAMED = re.compile(
    r"(?i)\bmulti-?\s?agency\s+safeguarding\s+hubs?\b|(?-i:\b(?:MASH(?:es)?|IFD|SPA)\b)"
    r"|\bfront\s+doors?\b"
)


# cues that name an agency only in a list of agencies ("police, health and schools"), not
# "physical health and emotional well-being" or "education, employment and training"
LIST_CUES = frozenset(
    {
        "health and",
        "health,",
        "and health",
        "education and",
        "education,",
        "and education",
        "housing and",
        "housing,",
        "and housing",
        "health or",
        "or health",
        "education or",
        "or education",
    }
)
# the council's service as an area of a list ("education, health and social care")
AREAS = frozenset({"social care"})
LIST_GAP = 12  # characters between two agencies of one list
# a list of agency words that qualifies a noun of needs or plans names no agency:
# "education, health and care plans", "health and social care needs"
LIST_OF_NEEDS = re.compile(
    r"(?i)^\W*(?:care\s+)?(?:\(EHC\)\s*)?(?:needs|plans?|outcomes|assessments?|appointments|"
    r"provision|services\s+for)\b"
)
# ... and so does one that says what outcomes or a plan's detail cover: "PfA outcomes across
# education, health and social care", "detail around health, social care and education"
LIST_AS_CONTENT = re.compile(r"(?i)\b(?:outcomes|details?)\s+(?:across|around|about)\s+$")
# "social care" is the council's service, except as a kind of need ("social care needs")
SOCIAL_CARE_NOT_AGENCY = re.compile(r"(?i)^\s*(?:needs|environment)\b")
# "partnership" names the partners when it is "the partnership", not "in partnership with"
PARTNERSHIP_DETERMINER = re.compile(r"(?i)\b(?:the|this|a|wider|local|strategic|area)\s+$")
# ... or when it says whose leaders or managers they are: "partnership leaders do not monitor"
PARTNERSHIP_WORKFORCE = re.compile(r"(?i)^\s+(?:senior\s+)?(?:leaders|managers)\b")
# a local safeguarding children board or partnership by its initials: LSCB, PSCB, KSCP, BBSCP
PARTNERSHIP_ACRONYM = re.compile(r"\b[A-Z]{1,4}SC[BP]s?\b")
# a meeting where something happens is a place, not an actor ("representation at strategy
# meetings", "the need for a strategy meeting"); the meetings as subject are multi-agency
MEETING_AS_PLACE = re.compile(
    r"(?i)\b(?:at|in|into|outside|for|through|to|within|during|after|before|following|"
    r"legal)\s+(?:(?:the|a|an|all|these|those|some|any|every|initial|subsequent|further|"
    r"timely|joint|child\s+protection)\s+){0,3}$"
)
MEETING_CUES = ("strategy meeting", "strategy discussion")
# ... except that who attends a meeting makes it the subject: "attendance of health colleagues
# at strategy meetings", "do not routinely attend or contribute to strategy discussions"
MEETING_ATTENDED = re.compile(
    r"(?i)\b(?:attend\w*|involve\w*|contribut\w*|particip\w*|invit\w*)\b[^,;.]{0,50}$"
)
# the front door as where children arrive or work happens, not the service acting
DOOR_AS_PLACE = re.compile(
    r"(?i)\b(?:at|in|into|within|to)\s+(?:(?:the|its|their|\w+['’]s)\s+)?[‘'\"]?$"
)
# schools as where children are, go or are sent ("keep pupils in mainstream schools", "workshops
# in schools", "exclusions from schools", "attend schools judged good"), not schools acting;
# a sentence that opens "In some schools, …" is about those schools
SCHOOLS_AS_PLACE = re.compile(
    r"(?i)(?<=.)(?<!staff )(?<!those )(?<!workers )(?<!practitioners )(?<!professionals )"
    r"(?<!leaders )\b(?:in|into|to|(?<=excluded )from|(?<=exclusions )from|(?<=suspensions )from|"
    r"at|attend|attends|attending|attended)\s+"
    r"(?:(?:the|a|their|its|all|some|many|most|other|local|mainstream|secondary|primary|special|"
    r"specialist|independent|different|\w+['’]s)\s+){0,3}$"
)
# the professionals an allegation is made against are whom it concerns, not actors
PROFESSIONALS_ACCUSED = re.compile(r"(?i)\ballegations\s+(?:made\s+)?(?:about|against)\s+$")
# "police protection" is a power, "the notice of the police" an attention, not the force acting
POLICE_NOT_ACTING = re.compile(r"(?i)^\s+protection\b")
# "health" alone as the agency a contribution comes from: "inconsistent representation from
# health", "attendance by health" (not "benefit from health checks")
HEALTH_AS_AGENCY = re.compile(r"(?i)\b(?:from|by|with)\s+(health)(?=\s*(?:[.,;:)]|$))")
# "local authority housing", "a local authority pupil referral unit": whose, not who
LA_AS_ATTRIBUTE = re.compile(r"(?i)^\s+(?:housing|pupil\s+referral|schools?\b|nurser)")
# words for a workforce that, unqualified, is the council's own in a letter to the council
WORKFORCE = frozenset(
    {
        "staff",
        "practitioners",
        "workers",
        "leaders",
        "senior leaders",
        "managers",
        "senior managers",
        "senior leader",
        "workforce",
    }
)
# leaders of a partnership are the council's leaders and the partnership's: "leaders across
# the partnership", "partnership leaders" name both (settled after holdout10)
PARTNERSHIP_LEADERS = frozenset(
    {"leaders", "senior leaders", "leader", "senior leader", "managers", "senior managers"}
)
# ... and that a joint letter, written to every agency of the area, means all of them by
WORKFORCE_OF_ALL = frozenset({"staff", "practitioners", "workers", "workforce"})
# a workforce word qualified by another agency after it: "staff in the MASH", "leaders of
# schools", "practitioners in partner agencies", "leaders across the partnership"
QUALIFIER_AFTER = re.compile(
    r"(?i)^\s+(?:\w+\s+)?(?:of|in|from|across|within|at)\s+"
    r"(?:(?:the|all|these|other|each|their|its|[A-Z][\w'’-]+)\s+){0,2}$"
)
# ... or before it, with nothing between: "MASH staff", "school leaders", "police staff",
# "emergency duty team (EDT) staff"
QUALIFIER_BEFORE = re.compile(r"^[\s'’s)]*(?:\([A-Z]{2,6}\)\s*)?$")
# "staff" as what a measure is of ("staff morale", "staff vacancies") names no actor
STAFF_AS_ATTRIBUTE = re.compile(
    r"(?i)^\s+(?:morale|learning|vacanc\w*|turnover|training|sickness|absence|capacity|"
    r"stability|survey|retention|recruitment|well-?being|shortages?)\b"
)
# ... but not as those a service or resource is for ("training for staff", "e-learning
# available to all practitioners", "the impact on staff")
WORKFORCE_SERVED = re.compile(
    r"(?i)(?<!due )\b(?:for|to|on|across)\s+(?:(?:the|all|some|their|its|these|those|other|"
    r"many|most|frontline|front-line)\s+){0,2}$"
)
# in a joint letter "officers" are police officers (the letter is to the force among others)
OFFICERS = re.compile(r"(?i)\b(?:frontline\s+|police\s+)?officers?\b")
OFFICER_TITLES = re.compile(
    r"(?i)\b(?:reviewing|designated|executive|chief|operating|participation|welfare|rights|"
    r"housing|education|probation|clinical|medical|nursing|liaison|lead|development|"
    r"safeguarding|support|senior|engagement|progression|dedicated|authority|council)\s+$"
)
# a profession or service word right before a workforce word says whose workforce it is:
# "health leaders", "educational staff", "medical staff", "teaching staff" (not the council's)
PROFESSION_BEFORE = re.compile(
    r"(?i)\b(health|healthcare|medical|nursing|clinical|educational|education|teaching|school|"
    r"probation|housing)\s+$"
)
PROFESSION_TYPES = {
    "health": "health",
    "healthcare": "health",
    "medical": "health",
    "nursing": "health",
    "clinical": "health",
    "educational": "education",
    "education": "education",
    "teaching": "education",
    "school": "education",
    "probation": "probation",
    "housing": "housing",
}
# the generic words of a workforce or of partners that a qualifier can make another's
QUALIFIABLE = WORKFORCE | {"professionals", "professional"}
# the leaders of the local area (an area SEND letter's partnership of council and health)
AREA_BEFORE = re.compile(r"(?i)\barea\s+$")
# "for their staff" in a joint letter: the staff of the agency the sentence is about
THEIR_BEFORE = re.compile(r"(?i)\btheir\s+$")
# a council of children or young people (a forum of the people served), not the council
COUNCIL_OF_CHILDREN = re.compile(r"(?i)\b(?:care|leavers|youth|people|children)['’]?s?\s+$")
# a board that is not the children's safeguarding partnership: the adults' board, a
# council's management or improvement board
OTHER_BOARD = re.compile(
    r"(?i)\b(?:adults?['’]?|management|improvement|transformation|programme|project|justice)\s+$"
)
# children's homes as where children live or go, not the council's homes acting
HOMES_AS_PLACE = re.compile(
    r"(?i)\b(?:in|into|to|from|at|between)\s+(?:(?:the|a|an|their|its|other|private|"
    r"unregistered|registered|local|residential|council|own|\w+['’]s)\s+){0,2}$"
)
# "corporate" names the council as a whole ("corporate leadership"), not a level of it
CORPORATE_NOT_ACTOR = re.compile(r"(?i)^\s+(?:level|landlord|responsibilit)")
# a possessive agency word: "the partnership's oversight", "the police's response"
POSSESSIVE = re.compile(r"\w['’]s\b")
# words that state a failure: where the subject of a criticism ends
FAILURE_WORDS = re.compile(
    r"(?i)\b(?:not|no|never|without|lack\w*|cannot|unable|fail\w*|delay\w*|too\s+\w+|"
    r"insufficient\w*|inconsistent\w*|poor\w*|weak\w*|limited|variable|late)\b|n't\b"
)
CLAUSE_BREAK = re.compile(
    r"(?i);|,\s+and\b|\b(?:but|however|although|though|whereas|while|whilst)\b"
)


def _lists(found) -> list[list[int]]:
    """Runs of agency mentions that stand in one list (indexes into ``found``)."""
    runs: list[list[int]] = []
    for i, m in enumerate(found):
        if runs and m[0] - found[runs[-1][-1]][1] <= LIST_GAP:
            runs[-1].append(i)
        else:
            runs.append([i])
    return runs


def agency_mentions(
    text: str, lex: Lexicon, tokens=None, *, joint: bool = False
) -> list[tuple[int, int, str, str]]:
    """The agency-type cues of a sentence that name an actor: (start, end, type, phrase).

    An inspectorate is dropped (Ofsted, CQC are authors, not agencies judged), a list cue
    ("health and") needs another agency beside it and no noun of needs or plans after the
    list ("education, health and care plans"), and "partnership" a determiner. A workforce
    word ("staff", "leaders", "practitioners") is the council's only when no other agency
    qualifies it ("MASH staff", "leaders of schools", "practitioners in partner agencies").
    In a ``joint`` letter (to the council, the police, health and the partnership at once)
    plain "staff" and "practitioners" are every agency's (``multi_agency``, cue ``joint
    letter: staff``) and plain "officers" the police's.
    """
    matcher = lex.matcher("agency-types")
    tokens = tokens or tokenize(text)
    found = matcher.find(text, tokens)
    if "’s" in text or "'s" in text:
        found += _possessive_mentions(text, matcher, tokens, found)
    found = [m for m in found if m[2] != "inspectorate"]
    for m in PARTNERSHIP_ACRONYM.finditer(text) if "SC" in text else ():
        if not any(f[0] < m.end() and m.start() < f[1] for f in found):
            found.append((m.start(), m.end(), "safeguarding_partnership", m.group(0)))
    for m in HEALTH_AS_AGENCY.finditer(text) if "ealth" in text else ():
        if not any(f[0] < m.end(1) and m.start(1) < f[1] for f in found):
            found.append((m.start(1), m.end(1), "health", m.group(0)))
    if joint:
        for m in OFFICERS.finditer(text):
            if OFFICER_TITLES.search(text[: m.start()]):
                continue
            if not any(f[0] < m.end() and m.start() < f[1] for f in found):
                found.append((m.start(), m.end(), "police", f"joint letter: {m.group(0)}"))
    found.sort()
    # "and health partners": the list cue took "and health", leaving "partners" alone
    merged = []
    for m in found:
        last = merged[-1] if merged else None
        if (
            last
            and " ".join(last[3].lower().split()) == "and health"
            and m[2] == "multi_agency"
            and 0 <= m[0] - last[1] <= 1
        ):
            merged[-1] = (last[0], m[1], "health", text[last[0] : m[1]])
            continue
        merged.append(m)
    found = merged
    drop = set()
    for run in _lists(found):
        cues = [" ".join(found[i][3].lower().split()) for i in run]
        listed = [i for i, c in zip(run, cues, strict=True) if c in LIST_CUES]
        if not listed:
            continue
        if len(run) == 1 or LIST_OF_NEEDS.match(text[found[run[-1]][1] :]):
            drop.update(listed)
        elif LIST_AS_CONTENT.search(text[max(0, found[run[0]][0] - 40) : found[run[0]][0]]):
            drop.update(i for i, c in zip(run, cues, strict=True) if c in LIST_CUES | AREAS)
    out = []
    for i, (start, end, concept, phrase) in enumerate(found):
        if i in drop:
            continue
        cue = " ".join(phrase.lower().split())
        base = max(0, start - 60)
        head = text[base:start]  # the words just before: enough for the place/qualifier rules
        if (
            cue == "partnership"
            and not PARTNERSHIP_DETERMINER.search(text[:start])
            and not PARTNERSHIP_WORKFORCE.match(text[end:])
        ):
            continue
        if cue == "social care" and SOCIAL_CARE_NOT_AGENCY.match(text[end:]):
            continue
        if cue == "local authority" and LA_AS_ATTRIBUTE.match(text[end:]):
            continue
        if (
            cue.startswith(MEETING_CUES)
            and MEETING_AS_PLACE.search(text[:start])
            and not MEETING_ATTENDED.search(head)
        ):
            continue
        if cue == "professionals" and PROFESSIONALS_ACCUSED.search(head):
            continue  # "allegations against professionals": whom they concern
        if (
            cue in ("schools", "education settings")
            and SCHOOLS_AS_PLACE.search(text[:start])
            and not any(f is not found[i] and -LIST_GAP <= f[0] - end <= LIST_GAP for f in found)
            and not (i and 0 <= start - found[i - 1][1] <= LIST_GAP)
        ):
            continue  # "delivered to local secondary schools": where, not who
        if cue == "front door" and DOOR_AS_PLACE.search(head):
            continue  # "improvements at the front door", "staff in the front door": a place
        if cue == "police" and (
            POLICE_NOT_ACTING.match(text[end:]) or text[:start].lower().endswith("notice of the ")
        ):
            continue
        if concept == "safeguarding_partnership" and OTHER_BOARD.search(head):
            continue  # "the adult safeguarding board", "management board meetings"
        if cue.replace("’", "'") == "children's homes" and HOMES_AS_PLACE.search(head):
            continue  # "children living in unregistered children's homes": where they live
        if cue == "corporate" and CORPORATE_NOT_ACTOR.match(text[end:]):
            continue  # "heard at a corporate level": a level, not the council acting
        if cue == "council" and COUNCIL_OF_CHILDREN.search(head):
            continue  # "the children in care council", "the youth council"
        if cue in QUALIFIABLE and concept in ("local_authority", "multi_agency"):
            profession = PROFESSION_BEFORE.search(head)
            if profession and not (i and found[i - 1][1] > base + profession.start(1)):
                kind = PROFESSION_TYPES[profession.group(1).lower()]
                at = base + profession.start(1)
                out.append((at, end, kind, text[at:end]))
                continue  # "health leaders", "educational staff": that agency's
            if joint and concept == "local_authority" and THEIR_BEFORE.search(head):
                continue  # "supervision for their staff": the agency named as subject's
            if joint and AREA_BEFORE.search(head):
                # "local area leaders": the partnership of the area, not the council alone
                out.append((start, end, "multi_agency", f"area {phrase}"))
                continue
        if concept == "multi_agency" and cue in QUALIFIABLE:
            # "health and social care professionals", "professionals in schools": whose
            before = found[i - 1] if i else None
            after = found[i + 1] if i + 1 < len(found) else None
            if (
                before
                and before[2] != "multi_agency"
                and i - 1 not in drop
                and QUALIFIER_BEFORE.match(text[before[1] : start])
            ) or (
                after and after[2] != "multi_agency" and QUALIFIER_AFTER.match(text[end : after[0]])
            ):
                continue
        if concept == "local_authority" and cue in WORKFORCE:
            before = found[i - 1] if i else None
            after = found[i + 1] if i + 1 < len(found) else None
            if cue == "staff" and STAFF_AS_ATTRIBUTE.match(text[end:]):
                continue
            qualifier = None
            if (
                before
                and (before[2] != "local_authority" or joint)
                and i - 1 not in drop
                and QUALIFIER_BEFORE.match(text[before[1] : start])
            ):
                qualifier = before
            elif (
                after
                and after[2] != "local_authority"
                and QUALIFIER_AFTER.match(text[end : after[0]])
            ):
                qualifier = after
            if qualifier and not (
                cue in PARTNERSHIP_LEADERS and "partnership" in qualifier[3].lower()
            ):
                continue  # another agency's staff or leaders
            if joint and cue in WORKFORCE_OF_ALL:
                if WORKFORCE_SERVED.search(head):
                    continue  # "training for staff", "available to all practitioners"
                concept, phrase = "multi_agency", f"joint letter: {phrase}"
        out.append((start, end, concept, phrase))
    return out


def _possessive_mentions(text: str, matcher, tokens, found) -> list:
    """Agency cues written as a possessive ("the partnership's", "the police's"), which the
    word look-up misses (the token is "partnership's"), where no other cue stands."""
    lasts = matcher.lasts
    spans, words, lower = tokens
    out = []
    starts = None
    for m in POSSESSIVE.finditer(text):
        if starts is None:
            starts = [span[0] for span in spans]
        i = bisect_right(starts, m.start()) - 1
        if i < 0 or not lower[i].endswith("'s") or lower[i][:-2] not in lasts:
            continue
        for size in range(min(matcher.longest, i + 1), 0, -1):
            head = tuple(lower[i - size + 1 : i])
            concept = matcher.exact.get(head + (lower[i][:-2],))
            if concept is None and matcher.cased:
                concept = matcher.cased.get(tuple(words[i - size + 1 : i]) + (words[i][:-2],))
            if concept is not None:
                start, end = spans[i - size + 1][0], spans[i][1] - 2
                if not any(f[0] < end and start < f[1] for f in found):
                    out.append((start, end, concept, text[start:end]))
                break
    return out


def criticised_agencies(text: str, mentions, lex: Lexicon, tokens=None) -> tuple[list[str], str]:
    """The agency types a critical sentence makes the failing party, and why (a cue).

    Each clause ("…; …", "…, and …", "… but …") holding a failure word (a negation,
    "delay", "too …", "poor", or a weakness cue of the lexicon) names its failing party: its
    agencies named before its first failure word (the subject), or after "by" (the agent
    of a passive), else every agency it names. Without any, every agency of the sentence.
    """
    every = sorted({m[2] for m in mentions})
    failures = [(m.start(), m.group(0)) for m in FAILURE_WORDS.finditer(text)]
    failures += [
        (start, text[start:end])
        for start, end, concept, _ in lex.matcher("polarity").find(text, tokens)
        if concept == "weakness"
    ]
    if not failures:
        return every, "no failure word: every agency named"
    bounds = sorted({0, len(text), *(m.start() for m in CLAUSE_BREAK.finditer(text))})
    found, why = set(), []
    for start, end in zip(bounds, bounds[1:], strict=False):
        in_clause = [(pos, word) for pos, word in failures if start <= pos < end]
        if not in_clause:
            continue
        pos, word = min(in_clause)
        named = [m for m in mentions if start <= m[0] < end]
        agents = [
            m[2]
            for m in named
            if m[0] > pos and re.search(r"(?i)\bby\s+(?:the\s+)?$", text[: m[0]])
        ]
        subject = [m[2] for m in named if m[0] < pos]
        if agents:
            found.update(agents)
            why.append(f"named after by: {word}")
        elif subject:
            found.update(subject)
            why.append(f"named before: {word}")
        elif named:
            found.update(m[2] for m in named)
            why.append(f"named in the clause of: {word}")
    if not found:
        return every, "none named in a clause of failure: every agency named"
    return sorted(found), " / ".join(why)


def _polarity(
    text: str, section: str | None, heading: str, lex: Lexicon, tokens=None
) -> tuple[str, str]:
    """The polarity of one sentence and the cue that decided it (see the module docstring)."""
    if section in WEAKNESS_SECTIONS:
        return "weakness", f"section: {heading or section}"
    if section in STRENGTH_SECTIONS:
        # a strength the sentence itself qualifies across a contrast ("good attendance,
        # although the engagement of GPs is less developed") stays mixed
        polarity, cue = _polarity(text, None, "", lex, tokens)
        if polarity == "mixed":
            return "mixed", f"section: {heading or section} / {cue}"
        if polarity == "weakness" and _states_need(cue, lex):
            # a claim that something needs improving is no strength wherever it stands
            # ("This work could be strengthened …", "There is still work to do …")
            return "weakness", f"section: {heading or section} / {cue}"
        return "strength", f"section: {heading or section}"
    recommendation = RECOMMENDATION.match(text)
    if recommendation:
        return "weakness", f"recommendation: {recommendation.group(0).strip()}"
    matches = lex.matcher("polarity").find(text, tokens)
    matches, description, measure_at = _levels(
        text, matches, lex.matcher("levels").find(text, tokens)
    )
    condition = CONDITION.match(text)
    masked_until = condition.end() if condition else 0
    subordinate = SUBORDINATE.match(text)
    breaks = sorted(_boundaries(text, matches))
    clauses = [_Clause(0)]
    split_at = subordinate.end() if subordinate else -1
    close_at = -1  # end of a mid-sentence "…, while X, …" clause
    silent_until = -1  # a neutral cue silences the rest of its segment
    absorb_until = -1  # a negation or a need absorbs the strength cues after it
    absorb_cue = ""
    negated_until = -1  # a plain negator negates the adverse outcomes after it
    neutral_cue = ""
    conditions = _inner_conditions(text, masked_until, breaks)
    conditional = _Clause(0)  # votes inside inner conditions
    for start, end, concept, found in matches:
        for at in (split_at, close_at):
            if 0 <= at <= start:
                clauses.append(_Clause(at, contrast=True))
                absorb_until = -1
        if split_at <= start:
            split_at = -1
        if close_at <= start:
            close_at = -1
        clause = clauses[-1]
        if concept == "mixed":
            if start >= masked_until and text[clause.start : start].strip(" ,;:"):
                clauses.append(_Clause(start, contrast=found != ";"))
                absorb_until = -1
                if found.lower() in SUBORDINATORS and text[:start].rstrip().endswith(","):
                    comma = text.find(",", end)
                    if comma > 0 and not any(end <= b[0] < comma for b in breaks if b[1]):
                        close_at = comma + 1
            continue
        if concept == "mask":
            continue
        if concept == "neutral":
            if start >= masked_until:
                # "At the last inspection, …", "Plans to …" opening the sentence: the whole
                # clause; elsewhere the rest of the comma-delimited segment
                opening = not text[:start].strip(" \t\n\"'‘“(")
                silent_until = _next_break(breaks, end, len(text), commas=not opening)
                if not _in_leading_adverbial(text, start):
                    neutral_cue = neutral_cue or found
            continue
        if start < masked_until or start < silent_until:
            continue
        if any(a <= start < b for a, b in conditions) and concept in VOTING:
            if concept in {"strength", "awareness", "reduction"}:
                conditional.votes.append(("strength", found, start, end))
            elif concept in {"weakness", "need"}:
                conditional.votes.append(("weakness", found, start, end))
            continue
        at = measure_at.get(start, start)  # a level's vote: what precedes its measure
        if concept in {"weakness", "need", "adverse"} and REMEDY.search(text[max(0, at - 60) : at]):
            continue
        if (
            concept == "need"
            and EMBEDDED_MODAL.match(found)
            and EMBEDDED_QUESTION.search(text[max(0, at - 80) : at])
        ):
            continue  # "consideration as to whether inquiries should involve …": a question
        if concept in {"weakness", "need"} and PURPOSE.search(text[max(0, at - 80) : at]):
            continue  # the outcome an action prevents: "so that children do not wait"
        last = clause.votes[-1] if clause.votes else None
        if (
            concept in {"weakness", "adverse"}
            and last is not None
            and start < negated_until
            and found.lower() not in PLAIN_NEGATORS
            and (last[1].lower() in PLAIN_NEGATORS or last[0] == "strength")
            and not any(last[3] <= b[0] < start for b in breaks)
        ):
            # "no … delay", "not … unnecessarily", "not exposed to … harm": a negated adverse
            cue = last[1] if last[0] == "strength" else f"{last[1]} … {found}"
            clause.votes[-1] = ("strength", cue, last[2], end)
            absorb_until = -1
            continue
        if concept == "adverse":
            continue
        if concept == "reduction":
            if (
                last is not None
                and last[0] == "weakness"
                and not NEGATORS.search(last[1])
                and _words_between(text, last[3], start) <= 6
                and not any(last[3] <= b[0] < start for b in breaks)
            ):
                # "turnover has now reduced": the weakness has become a strength
                clause.votes[-1] = ("strength", f"{last[1]} … {found}", last[2], end)
            else:
                clause.votes.append(("strength", found, start, end))
            absorb_until = -1
            continue
        if concept in {"strength", "awareness"} and start < absorb_until and last is not None:
            # "not … effective", "needs to … ensure … timely": the weakness cue carries it
            clause.votes[-1] = ("weakness", f"{absorb_cue} … {found}", last[2], end)
            continue
        if concept == "awareness":
            clause.votes.append(("strength", found, start, end))
            clauses.append(_Clause(end))  # what is recognised is a clause of its own
            absorb_until = -1
            continue
        if concept == "need":
            clause.votes.append(("weakness", found, start, end))
            absorb_cue, absorb_until = found, _next_break(breaks, end, len(text), commas=False)
            continue
        clause.votes.append((concept, found, start, end))
        negated_until = -1
        if concept == "weakness" and NEGATORS.search(found):
            absorb_cue, absorb_until = found, _after_words(text, end, 4)
            segment_end = _next_break(breaks, end, len(text))
            enough = ENOUGH.search(text, end, segment_end)
            if NEGATED_COMPLEMENT.search(text[end:absorb_until]):
                # "not yet ensuring that … consistently safe … timely": what is not achieved
                absorb_until = segment_end
            elif enough:
                # "do not have their needs assessed regularly enough"
                absorb_until = enough.end()
            if found.lower() in PLAIN_NEGATORS:
                # "no delay", "not unnecessarily": a few words; "No children were …",
                # "There have been no …": the negation is the clause's
                existential = NO_EXISTENTIAL.search(text[clause.start : end])
                negated_until = (
                    _next_break(breaks, end, len(text))
                    if existential
                    else _after_words(text, end, 3)
                )
        elif concept == "weakness":
            absorb_until = -1
    verdicts = []
    for clause in clauses:
        w = [c for c in clause.votes if c[0] == "weakness"]
        st = [c for c in clause.votes if c[0] == "strength"]
        if w and WEAKNESS_WEIGHT * len(w) >= len(st):
            verdicts.append(("weakness", w[0][1]))
        elif st:
            verdicts.append(("strength", st[0][1]))
        else:
            verdicts.append((None, clause.start))
    kinds = {v for v, _ in verdicts if v}
    if kinds == {"weakness"} and any(c.contrast for c in clauses) and not neutral_cue:
        # "…, but they lack …" beside a clause that describes practice without a cue:
        # a description of what is done is a finding that it is done
        for i, (v, at) in enumerate(verdicts):
            end = clauses[i + 1].start if i + 1 < len(clauses) else len(text)
            if v is not None or end <= masked_until:
                continue
            words = _described(text[max(at, masked_until) : end])
            if words:
                verdicts[i] = ("strength", f"described: {words}")
                break
        kinds = {v for v, _ in verdicts if v}
    verdicts = [(v, c) for v, c in verdicts if v]
    if not kinds and conditional.votes:
        w = [c for c in conditional.votes if c[0] == "weakness"]
        st = [c for c in conditional.votes if c[0] == "strength"]
        verdicts = [("weakness", w[0][1])] if w else [("strength", st[0][1])]
        kinds = {verdicts[0][0]}
    if kinds == {"weakness", "strength"}:
        first = {v: c for v, c in reversed(verdicts)}
        return "mixed", f"{first['strength']} / {first['weakness']}"
    if kinds:
        return verdicts[0]
    if neutral_cue:
        return "neutral", neutral_cue
    if description:
        return "neutral", f"description: {description}"
    adverbial = LEADING_ADVERBIAL.match(text)  # "Since the inspection in 2021, …"
    if FIGURES.search(NOT_FIGURES.sub(" ", text[adverbial.end() if adverbial else 0 :])):
        return "neutral", "figures without a strength or weakness cue"
    # inspectors describe practice they do not criticise: an affirmative description
    return "strength", NO_CUE


BARE_NEED = re.compile(r"\bneed(?:s|ed)?\b(?!\s+(?:strengthening|developing|improving|embedding))")


def _states_need(cue: str, lex: Lexicon) -> bool:
    """Whether a weakness cue asserts a need (a ``need`` cue, or "not yet …")."""
    first = cue.split(" … ")[0].strip().lower()
    needs = lex._matchers.get("need-cues")  # cached beside the matchers
    if needs is None:
        needs = {c.lower() for c in lex.cues.get("polarity-cues", {}).get("need", [])}
        lex._matchers["need-cues"] = needs
    # "need to", "is needed" also describe what practice attends to ("know what needs to
    # change", "when support is needed"): only the claims that work remains count
    return (first in needs and not BARE_NEED.search(first)) or first == "not yet"


@dataclass
class _Clause:
    start: int
    votes: list = field(default_factory=list)
    contrast: bool = False  # opened by a contrast word (not a semicolon)


def _boundaries(text: str, matches) -> list[tuple[int, bool]]:
    """Offsets where a clause or a comma-delimited segment ends: (offset, is_clause)."""
    out = [(m.start(), m.group() != ",") for m in re.finditer(r"[,;:]", text)]
    out += [(start, True) for start, _e, concept, _f in matches if concept == "mixed"]
    return out


def _next_break(breaks, pos: int, default: int, *, commas: bool = True) -> int:
    for at, clause in breaks:
        if at >= pos and (commas or clause):
            return at
    return default


VOTING = frozenset({"strength", "weakness", "need", "awareness", "reduction", "adverse"})
# measures whose level is the verdict (domain sense: "caseloads … are high"), the levels,
# and descriptions of structure or context (no vote; a sentence without votes is neutral)
WORSE_WHEN = {"worse-when-high": "level-high", "worse-when-low": "level-low"}
LEVEL_CONCEPTS = frozenset({*WORSE_WHEN, *WORSE_WHEN.values(), "demand", "description"})
# a measure stated with its level: "… are high", "… remain too high", "… has increased"
LEVEL_VERB = re.compile(
    r"(?i)\b(?:is|are|was|were|be|been|being|remain|remains|remained|become|becomes|became|"
    r"stay|stays|stayed|continue\s+to\s+be|continues\s+to\s+be|has|have|had)"
    r"(?:\s+(?:still|too|very|relatively|significantly|considerably|particularly|"
    r"consistently|generally|now|also|often|worryingly|comparatively|much|far|slightly|not))*\s+$"
)
LEVEL_OF = re.compile(r"(?i)^\s*(?:(?:levels?|rates?|numbers?|proportions?)\s+of\s+)?$")


def _levels(text: str, matches, found) -> tuple[list, str, dict]:
    """The matches with the votes of measures stated with their level, and a description.

    A measure of demand ("the number of children") with a level is context: the cue at the
    level word ("increased") does not vote and the sentence is described. A worse-when-high
    measure ("caseloads") followed in its clause by a verb and a high level
    ("… in the assessment teams are high") or just after one ("high vacancy rates") is a
    weakness; with a low level it is a strength; the other way round for a worse-when-low
    measure ("compliance … is low", "morale is high"). The vote takes the place of a cue at
    the level word ("lower than") or on the measure ("turnover"). Returns the new matches,
    the first description phrase (for a sentence without votes) and, for each level vote, the
    offset of its measure.
    """
    measures = [f for f in found if f[2] in WORSE_WHEN or f[2] == "demand"]
    levels = [f for f in found if f[2] in ("level-high", "level-low")]
    description = next((f[3] for f in found if f[2] == "description"), "")
    if not measures or not levels:
        return matches, description, {}
    votes = []
    for ls, le, level, lword in levels:
        best = None
        for ms, me, measure, mword in measures:
            if me <= ls:
                between = text[me:ls]
                if re.search(r"[;:]", between) or len(between.split()) > 20:
                    continue
                if any(me <= s < ls and c == "mixed" for s, _e, c, _f in matches):
                    continue
                if lword.split()[0].lower() not in ("has", "have") and not LEVEL_VERB.search(
                    between
                ):
                    continue
                if any(me <= f[0] < ls for f in found if f[2] != "description") or any(
                    me <= m[0] < ls and m[2] == "reduction" for m in matches
                ):
                    continue  # another measure or level comes between
                cue = f"{mword} … {lword}"
            elif ms >= le and measure != "demand" and LEVEL_OF.match(text[le:ms]):
                cue = f"{text[ls:me]}"
            else:
                continue
            if best is None or abs(ms - ls) < best[0]:
                if measure == "demand":
                    verdict = "demand"  # "the number of children … has increased": context
                else:
                    verdict = "weakness" if WORSE_WHEN[measure] == level else "strength"
                best = (abs(ms - ls), ms, me, verdict, cue)
        if best is not None:
            _d, ms, me, concept, cue = best
            votes.append((min(ls, ms), max(le, me), ls, le, ms, me, concept, cue))
    if not votes:
        return matches, description, {}
    out = list(matches)
    measure_at = {}
    for _s, _e, ls, le, ms, me, concept, cue in votes:
        # the level's vote replaces the cues at the level word or on the measure ("lower
        # than", "turnover"); a cue spanning both ("high caseloads") already says it
        spans_both = [m for m in out if m[0] <= min(ls, ms) and m[1] >= max(le, me)]
        if spans_both:
            continue
        out = [
            m
            for m in out
            if not (
                m[2] in {"strength", "weakness", "reduction"}
                and (m[0] < le and ls < m[1] or m[0] < me and ms < m[1])
            )
        ]
        if any(m[0] < le and ls < m[1] for m in out):
            continue  # the level word is part of another phrase
        if concept == "demand":
            description = description or cue  # no vote: a trend in demand is context
            continue
        out.append((ls, le, concept, cue))
        measure_at[ls] = min(ls, ms)
    out.sort(key=lambda m: m[0])
    return out, description, measure_at


def _inner_conditions(text: str, masked_until: int, breaks) -> list[tuple[int, int]]:
    """Spans of conditions inside the sentence, from the subordinator to the next break."""
    out = []
    for m in INNER_CONDITION.finditer(text):
        if m.start() < masked_until or not text[: m.start()].strip():
            continue
        out.append((m.start(), _next_break(breaks, m.end(), len(text))))
    return out


def _words_between(text: str, a: int, b: int) -> int:
    return len(text[a:b].split())


def _in_leading_adverbial(text: str, pos: int) -> bool:
    """Whether ``pos`` lies in a sentence-initial "Since …," / "Following …," phrase."""
    m = LEADING_ADVERBIAL.match(text)
    return bool(m) and pos < m.end()


def _described(clause: str) -> str:
    """The first words of a clause that states practice (a verb, three words or more)."""
    words = re.findall(r"[\w’'-]+", clause)
    if len(words) < 3 or not re.search(
        r"(?i)\b(?:is|are|was|were|has|have|had|been|do|does)\b|\w+(?:ed|s)\b", clause
    ):
        return ""
    return " ".join(words[:4]) + "…"


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
