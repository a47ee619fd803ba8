"""Polarity of one sentence from its cues and its section (see :mod:`.labels`).

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
   strength beside a weakness clause across a contrast word; the other way round, a clause
   set against praise by a contrast ("While information is routinely gathered, the
   discussion is held only between …", "…, although in a few cases …", "…, with the
   exception of the police") that states something without any cue is the shortfall, and
   the sentence is mixed (:func:`_conceded_shortfall`);
8. a sentence without votes is neutral when it has a neutral cue, a description of structure
   or context ("This includes", "chaired by", "is part of") or figures, else a strength
   (practice described without criticism).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .contrast import _conceded_shortfall, _described
from .levels import _levels
from .lexicon import Lexicon
from .shortfalls import AWARE_NEED, BURDEN, JOINED, LESSENED, SERIOUS_HARM

__all__ = ["STRENGTH_SECTIONS", "WEAKNESS_SECTIONS"]

_CLAUSE_MARK = re.compile(r"[,;:]")
_NON_SPACE = re.compile(r"\S+")
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
    r"mitigat\w*|overcom\w*|resolv\w*|remed\w*|eliminat\w*|complet\w*|respond\w*|"
    r"manag(?:e|es|ing)|bridg(?:e|es|ed|ing)|fill(?:s|ed|ing)?)"
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

# a finite verb inside a purpose ("that plans are progressed"), not of a relative clause
PURPOSE_VERB = re.compile(r"(?i)(?<!who )(?<!which )(?<!that )\b(?:is|are|was|were|has|have|had)\b")
COORDINATOR = re.compile(r"(?i)\b(?:and|or)\b")


def _purpose(before: str) -> bool:
    """Whether a cue ending ``before`` lies in what an action is for (:data:`PURPOSE`).

    A second finite verb after the first closes the purpose, unless "and" or "or" joins
    them: in "meetings, introduced to ensure that plans are progressed between reviews,
    are not yet embedded" the sentence's own verb has resumed.
    """
    m = PURPOSE.search(before)
    if m is None:
        return False
    verbs = list(PURPOSE_VERB.finditer(before, m.start()))
    return not (
        len(verbs) >= 2 and not COORDINATOR.search(before, verbs[0].end(), verbs[1].start())
    )


# a need inside an embedded question states what is weighed or known, not a shortfall:
# "consideration as to whether inquiries should involve …", "clear about what assessments
# should focus on"
EMBEDDED_QUESTION = re.compile(r"(?i)\b(?:whether|what)\s+(?:[^\s,;:]+\s+){0,5}$")

EMBEDDED_MODAL = re.compile(r"(?i)(?:should|must|needs?|needed|requires?)\b")

# "need(s) to" or "needed to" as a noun's, not a claim: a person's own need ("his need to
# access education"), or what a noun phrase is for ("the changes needed to provide a good
# service", "the support needed to ensure that …") -- "the plans needed to be clearer" and
# "improvements are needed to …" stay claims
NEED_OF_PERSON = re.compile(r"(?i)(?:\b(?:his|her|their)\s+|\w['’]s\s+)$")
NEEDED_ATTRIBUTIVE = re.compile(
    r"(?i)\b(?:the|any|all|some|these|those)\s+"
    r"(?:(?!(?:is|are|was|were|be|been|being|has|have|had|still|also|not|urgently|further|"
    r"more|clearly|what|they|it)\b)[\w-]+\s+){1,3}$"
)
NEEDED_BE = re.compile(r"(?i)^\s+be\b")

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

# ... and one a response acts on states the circumstance of an action, not a shortfall: its
# cues never vote ("to challenge schools where the needs of children in care are not being
# met", "escalate when plans are not progressing")
REMEDIED_CONDITION = re.compile(
    r"(?i)\b(?:challeng(?:e|es|ed|ing)|escalat\w*|interven\w*|act|acts|acted|acting|"
    r"respond\w*|step(?:s|ped)?\s+in|tackl\w*|address\w*)\s+(?:[\w’'-]+\s+){0,3}$"
)

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
    burden = [(m.start(), m.end(), "weakness", m.group()) for m in BURDEN.finditer(text)]
    if burden:
        matches = sorted(matches + burden, key=lambda m: (m[0], -m[1]))
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
    remedied = [c for c in conditions if REMEDIED_CONDITION.search(text[max(0, c[0] - 50) : c[0]])]
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
        if any(a <= start < b for a, b in remedied) and concept in VOTING:
            continue  # "challenge schools where … are not being met": what a response acts on
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
        if concept == "need" and _need_as_noun(text, found, start, end):
            continue  # "his need to access education", "the changes needed to provide …"
        if concept in {"weakness", "need"} and _purpose(text[max(0, at - 80) : at]):
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
                # ... and so have the shortfalls joined to it ("Staff turnover and the
                # reliance on agency staff have reduced")
                k = len(clause.votes) - 2
                while (
                    k >= 0
                    and clause.votes[k][0] == "weakness"
                    and not NEGATORS.search(clause.votes[k][1])
                    and JOINED.match(text[clause.votes[k][3] : clause.votes[k + 1][2]])
                ):
                    clause.votes[k] = (
                        "strength",
                        f"{clause.votes[k][1]} … {found}",
                        *clause.votes[k][2:],
                    )
                    k -= 1
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
            need = AWARE_NEED.match(text, end)
            if need and start >= silent_until:
                # awareness of a need the cues miss: the need is the recognised clause's
                cue = " ".join((need.group("need") or need.group("noun")).split())
                clauses[-1].votes.append(("weakness", f"{found} … {cue}", end, need.end()))
            continue
        if concept == "need":
            clause.votes.append(("weakness", found, start, end))
            absorb_cue, absorb_until = found, _next_break(breaks, end, len(text), commas=False)
            continue
        if concept == "weakness" and not NEGATORS.search(found):
            if found.lower() == "serious" and SERIOUS_HARM.match(text[end:]):
                continue  # "serious youth crime": the child's circumstance
            before = text[max(0, start - 80) : start]
            lessened = LESSENED.search(before) and not any(
                start - len(before) + LESSENED.search(before).start() <= b[0] < start
                for b in breaks
            )
            if lessened or (
                last is not None
                and last[1].startswith("lessened: ")
                and JOINED.match(text[last[3] : start])
            ):
                # "fewer changes of social worker": the shortfall has lessened
                clause.votes.append(("strength", f"lessened: {found}", start, end))
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
    for at in (split_at, close_at):
        # the main clause after a leading concession, or after "…, while X,", with no cue
        # in it: a clause of its own all the same (see :func:`_conceded_shortfall`)
        if 0 <= at < len(text) and text[at:].strip(" .,;:") and at > clauses[-1].start:
            clauses.append(_Clause(at, contrast=True))
    neutral_at = [m[0] for m in matches if m[2] == "neutral"]
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
    if "weakness" not in kinds:
        shortfall = _conceded_shortfall(text, clauses, verdicts, subordinate, neutral_at)
        if shortfall is not None:
            i, cue = shortfall
            verdicts[i] = ("weakness", cue)
            if verdicts[i - 1][0] is None:
                # "Most partners obtain consent, with the exception of the police": the
                # practice the exception is taken from is described
                praised = _described(text[clauses[i - 1].start : clauses[i].start])
                verdicts[i - 1] = ("strength", f"described: {praised}")
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
    out = [(m.start(), m.group() != ",") for m in _CLAUSE_MARK.finditer(text)]
    out += [(start, True) for start, _e, concept, _f in matches if concept == "mixed"]
    return out


def _next_break(breaks, pos: int, default: int, *, commas: bool = True) -> int:
    for at, clause in breaks:
        if at >= pos and (commas or clause):
            return at
    return default


VOTING = frozenset({"strength", "weakness", "need", "awareness", "reduction", "adverse"})


def _inner_conditions(text: str, masked_until: int, breaks) -> list[tuple[int, int]]:
    """Spans of conditions inside the sentence, from the subordinator to the next break."""
    out = []
    for m in INNER_CONDITION.finditer(text):
        if m.start() < masked_until or not text[: m.start()].strip():
            continue
        out.append((m.start(), _next_break(breaks, m.end(), len(text))))
    return out


def _need_as_noun(text: str, found: str, start: int, end: int) -> bool:
    """Whether a need cue is a noun's need or purpose, not a claim (see NEED_OF_PERSON)."""
    cue = found.lower()
    before = text[max(0, start - 60) : start]
    if cue in ("need to", "needs to"):
        return bool(NEED_OF_PERSON.search(before))
    if cue == "needed to":
        return bool(NEEDED_ATTRIBUTIVE.search(before)) and not NEEDED_BE.match(text[end:])
    return False


def _words_between(text: str, a: int, b: int) -> int:
    return len(text[a:b].split())


def _in_leading_adverbial(text: str, pos: int) -> bool:
    """Whether ``pos`` lies in a sentence-initial "Since …," / "Following …," phrase."""
    m = LEADING_ADVERBIAL.match(text)
    return bool(m) and pos < m.end()


def _after_words(text: str, pos: int, n: int) -> int:
    for m in _NON_SPACE.finditer(text[pos:]):
        n -= 1
        if n == 0:
            return pos + m.end()
    return len(text)
