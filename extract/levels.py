"""Measures stated with their level (rule 5a of :mod:`.polarity`): "caseloads … are high" is
a weakness, "morale is high" a strength; a trend in demand is context, not a verdict."""

from __future__ import annotations

import re

from .lexicon import WORSE_WHEN

# a measure stated with its level: "… are high", "… remain too high", "… has increased"
LEVEL_VERB = re.compile(
    r"(?i)\b(?:is|are|was|were|be|been|being|remain|remains|remained|become|becomes|became|"
    r"stay|stays|stayed|continue\s+to\s+be|continues\s+to\s+be|has|have|had)"
    r"(?:\s+(?:still|too|very|relatively|significantly|considerably|particularly|"
    r"consistently|generally|now|also|often|worryingly|comparatively|much|far|slightly|not))*\s+$"
)

# a measure joined to the one a level follows shares its level: "Staff turnover and the
# local authority's reliance on agency staff have reduced" (both lessened, not turnover alone)
JOINED_MEASURE = re.compile(r"(?i)^\s*(?:,\s*)?(?:and|or)\s+(?:[^\s,;:]+\s+){0,3}$")

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
    extra = []  # (start, end, verdict, cue) of measures joined to a measure with a level
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
            if concept != "demand" and me <= ls:
                extra.extend(_joined(text, measures, ms, level, lword))
    if not votes:
        return matches, description, {}
    out = list(matches)
    measure_at = {}
    for ms, me, concept, cue in extra:
        out = [m for m in out if not (m[2] in {"strength", "weakness"} and m[0] < me and ms < m[1])]
        out.append((ms, me, concept, cue))
        measure_at[ms] = ms
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


def _joined(text: str, measures, ms: int, level: str, lword: str) -> list:
    """The votes of the measures joined by "and" or "or" before the measure at ``ms``."""
    out = []
    for s, e, measure, mword in sorted(measures, key=lambda m: -m[0]):
        if e > ms or measure == "demand":
            continue
        if not JOINED_MEASURE.match(text[e:ms]):
            break
        verdict = "weakness" if WORSE_WHEN[measure] == level else "strength"
        out.append((s, e, verdict, f"{mword} … {lword}"))
        ms = s
    return out
