"""Labels from the cue lexicon of the SKOS schemes: polarity, themes, agency types, visit theme.

Every cue is a ``skos:hiddenLabel`` of a concept in ``ontology/schemes.ttl``; edit the
scheme (or pass your own with :meth:`Lexicon.from_files`) to change the labelling, no code
needed. Each label comes with the cue that decided it, so a researcher can audit it.


Polarity is read by :mod:`.polarity` (the guideline's ordered rules), agency types and the
criticised party by :mod:`.agencies`, both with the cues of :mod:`.lexicon`. Themes are
the themes whose cues occur (a cue the scheme lists under two themes gives both; a phrase
naming who acts rather than the topic gives none), plus the population a section, a visit or
an inspection is about (children in care, care leavers, disabled children; a visit's only to a
sentence whose words give no theme), plus partnership governance where the sentence names the
safeguarding board or partnership.


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
from dataclasses import dataclass, field

from . import polaritymodel
from .agencies import QUALIFIER_BEFORE, WORKFORCE, agency_mentions, criticised_agencies
from .headings import HEADINGS
from .lexicon import Lexicon, default_lexicon, tokenize
from .polarity import NO_CUE, OBLIGATION, WEAKNESS_SECTIONS, _polarity

__all__ = ["Labels", "label", "visit_theme"]

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

# a visit's population is the topic of the sentences that speak of its members, not of those
# about the workforce, leaders or the service's systems
ABOUT_CHILDREN = re.compile(r"(?i)\b(?:child|children|young (?:people|person)|care leavers?)\b")

# an ILACS section about two populations: children in care, unless the sentence's cues name
# care leavers (then it is about them, the care-leavers cues having given that theme)
SHARED_SECTION_POPULATION = {
    "children_in_care_and_care_leavers": ("children_in_care", "care_leavers"),
}

# the population a whole inspection is about: an area SEND inspection judges the area's
# services for children and young people with special educational needs and disabilities,
# a targeted inspection of looked after children's services (2013) those children's
INSPECTION_POPULATION = {
    "area_send": "disabled_children",
    "lac_targeted_inspection": "children_in_care",
}


# phrases holding a theme's cue that name who acts, not what the sentence is about: the
# agencies of an area listed together, a nurse of the school, a department of state; their
# words give no theme (the other words of the sentence still do)
NOT_TOPIC_PHRASES = [
    r"education,? health,? and (?:social )?care(?! plan)",
    r"health,? (?:and )?education\b",
    r"education and health\b",
    r"department for education",
    r"school nurs\w*",
]
NOT_TOPIC = re.compile(r"(?i)\b(?:" + "|".join(NOT_TOPIC_PHRASES) + r")")

# schools listed with other agencies ("police, health and schools", "schools and GPs") are
# actors of the area's partnership, not the sentence's topic: the word "schools" gives no theme
_OTHER_AGENCY = r"(?:police|health|GPs?|nurses|midwi\w+|agencies|partners|social care|probation)"
SCHOOLS_LISTED = re.compile(
    r"(?i)\b" + _OTHER_AGENCY + r"\b[^.;:]{0,40}?(?:,|\band|\bor) (?:\w+ )?(schools)\b"
    r"|\b(schools),? (?:and |or |the )*" + _OTHER_AGENCY + r"\b"
)

# "plans to improve …", "plans in place to address …": what leaders intend, not a child's plan
PLANS_TO = re.compile(
    r"(?i)(?<!EHC )(?<!protection )(?<!need )(?<!care )(?<!pathway )\b(plans) (?:are )?(?:in place )?"
    r"to (?:improve|address|develop|implement|introduce|extend|expand|strengthen|review|ensure|"
    r"use|include|continue|create|recruit|tackle)\b"
)


def _not_topic(text: str) -> str:
    """The text with the phrases naming who acts blanked (same length, so offsets hold)."""
    masked = NOT_TOPIC.sub(lambda m: " " * len(m.group()), text)
    for m in SCHOOLS_LISTED.finditer(masked):
        g = 1 if m.group(1) else 2
        masked = masked[: m.start(g)] + " " * (m.end(g) - m.start(g)) + masked[m.end(g) :]
    for m in PLANS_TO.finditer(masked):
        masked = masked[: m.start(1)] + " " * 5 + masked[m.end(1) :]
    return masked


# cues too general on their own: they count only beside a word naming the theme's actors
# ("oversight" is management oversight when managers give it, not a board's or an IRO's)
ONLY_BESIDE = {
    "oversight": re.compile(r"(?i)\bmanag|\bsupervis"),
}


# the safeguarding partnership named as a body (the board, the LSCB, the safeguarding partners)
# is partnership governance; its reviews, audits and panels are its work, not the body
GOVERNANCE = "leadership_and_governance"
PARTNERSHIP_WORK = re.compile(r"(?i)review|audit|panel|\bCDOP\b")


def _shared_cues(lex: Lexicon) -> dict[str, list[str]]:
    """The theme cues listed under more than one theme: lower-case cue -> themes."""
    held = _SHARED.get(id(lex))
    if held is None or held[0] is not lex:
        by_cue: dict[str, list[str]] = {}
        for concept, phrases in lex.cues.get("themes", {}).items():
            for cue in phrases:
                by_cue.setdefault(" ".join(cue.lower().split()), []).append(concept)
        held = _SHARED[id(lex)] = (lex, {c: ts for c, ts in by_cue.items() if len(ts) > 1})
    return held[1]


_SHARED: dict[int, tuple[Lexicon, dict[str, list[str]]]] = {}  # by the lexicon's id


def _also(lex: Lexicon, concept: str, found: str) -> list[str]:
    """The other themes whose cues include the one that matched ``found`` (the matcher gives
    a phrase one concept; a cue the scheme lists under two themes gives both)."""
    shared = _shared_cues(lex)
    if not shared:
        return []
    text = " ".join(found.lower().replace("’", "'").split())
    for cue, concepts in shared.items():
        if concept not in concepts:
            continue
        stem = cue[:-1] if cue.endswith("*") else None
        if text == cue or (stem and text.startswith(stem) and " " not in text[len(stem) :]):
            return [c for c in concepts if c != concept]
    return []


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
    # the model's check of the rules' weakness verdict (a no-op without its weights)
    polarity, pcue = polaritymodel.correct(
        text,
        polarity,
        pcue,
        lex.matcher("polarity").find(text, tokens),
        section=section,
        list_item=list_item,
        inspection=inspection,
        words=tokens[2],
    )
    if section in NOT_FINDINGS:
        # an introduction, "Next steps", area facts: the letter's procedure, not a verdict
        polarity, pcue = "neutral", f"section: {heading or section} (not findings)"
    cues[f"polarity:{polarity}"] = pcue
    themes = []
    masked = _not_topic(text)
    for _s, _e, concept, found in lex.matcher("themes").find(
        masked, tokens if masked == text else None
    ):
        beside = ONLY_BESIDE.get(found.lower())
        if beside and not beside.search(text):
            continue
        for key in (concept, *_also(lex, concept, found)):
            if key not in themes:
                themes.append(key)
                cues[f"theme:{key}"] = found
    topics = list(themes)  # the themes the sentence's own words give
    population = SECTION_POPULATION.get(section or "")
    if population and population not in themes:
        themes.append(population)
        cues[f"theme:{population}"] = f"section: {heading or section}"
    population, unless = SHARED_SECTION_POPULATION.get(section or "", (None, None))
    if population and population not in themes and unless not in themes:
        themes.append(population)
        cues[f"theme:{population}"] = f"section: {heading or section}"
    population = VISIT_POPULATION.get(visit_theme or "")
    if (
        population
        and population not in themes
        and section not in SECTION_POPULATION
        and ABOUT_CHILDREN.search(text)
        and not topics
    ):
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
    board = next(
        (
            found
            for _s, _e, concept, found in mentions
            if concept == "safeguarding_partnership" and not PARTNERSHIP_WORK.search(found)
        ),
        None,
    )
    if board and GOVERNANCE not in themes:
        # the safeguarding board or partnership is the area's partnership governance
        themes.append(GOVERNANCE)
        cues[f"theme:{GOVERNANCE}"] = f"safeguarding partnership: {board}"
    criticised = []
    if polarity in ("weakness", "mixed") and agencies:
        criticised, why = criticised_agencies(text, mentions, lex, tokens)
        cues["criticised"] = why
    themes.sort()
    agencies.sort()
    return Labels(polarity, themes, agencies, cues, sorted(criticised))


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
