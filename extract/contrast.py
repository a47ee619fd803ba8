"""A shortfall set against praise: the clause a contrast sets against a strength (rule 7 of
:mod:`.polarity`).

"Although caseloads are falling, they remain high in one team", "…, with the exception of
the police": the praise is granted and the contrasted clause says what falls short of it,
often in words no cue list holds.
"""

from __future__ import annotations

import re

# contrast words after which the clause states what falls short of the praise before it
# ("…, but …", "…, although …", "…, with the exception of the police"); "while" and
# "despite" inside a sentence open the concession itself, not the shortfall
SHORTFALL_CONTRASTS = frozenset(
    {
        "but",
        "however",
        "although",
        "though",
        "yet",
        "whereas",
        "nevertheless",
        "except",
        "except for",
        "with the exception of",
    }
)
# "… but also …", "… but who are …": what follows adds to the clause before or describes its
# subject, it sets nothing against it
ADDITIVE = re.compile(r"(?i)^[\s,]*(?:\w+\s+)?also\b|^[\s,]*(?:who|whose|which|that|where)\b")
NOT_ONLY = re.compile(r"(?i)\bnot\s+(?:only|just|simply|merely)\b")
WORDS = re.compile(r"[\w’'-]+")
EXCEPTIONS = frozenset({"except", "except for", "with the exception of"})


def _conceded_shortfall(text, clauses, verdicts, subordinate, neutral_at):
    """The clause that a contrast sets against praise, when it states something without a
    cue: (its index, the cue), or None.

    "Although caseloads are falling, they remain high in one team", "While information is
    routinely gained from health, the discussion is held only between the police and
    children's services", "Responses are well coordinated although, in a few cases, bed and
    breakfast accommodation has been used": the praise is granted and the contrasted clause
    says what falls short of it, in words the lexicon need not know. A clause holding a
    neutral cue (a plan, history, "too soon to") is no shortfall.
    """
    for i in range(1, len(clauses)):
        if verdicts[i][0] is not None or not clauses[i].contrast:
            continue
        start = clauses[i].start
        end = clauses[i + 1].start if i + 1 < len(clauses) else len(text)
        if any(start <= n < end for n in neutral_at):
            continue
        head = text[start:end].strip(" ,;:")
        m = re.match(r"(?i)(with the exception of|except for|[a-z]+)\b", head)
        word = m.group(1).lower() if m else ""
        conceded = subordinate is not None and start == subordinate.end()
        if conceded:
            before = verdicts[0][0]  # the leading concession
            word = subordinate.group(0).split()[0].lower()
        elif word in SHORTFALL_CONTRASTS:
            before = verdicts[i - 1][0]
        else:
            continue
        if word in EXCEPTIONS:
            rest = head[m.end() :].strip()
            if not rest or before == "weakness":
                continue
            if before is None and not _described(text[clauses[i - 1].start : start]):
                continue
            return i, f"contrast: {word} {' '.join(WORDS.findall(rest)[:4])}…"
        if before != "strength":
            continue
        rest = head if conceded else head[m.end() :]
        if not conceded and (
            ADDITIVE.match(rest) or (word == "but" and NOT_ONLY.search(text[:start]))
        ):
            continue  # "not only … but also …", "… but who are …": one more thing said
        words = _described(rest)
        if words:
            return i, f"contrast: {word} … {words}"
    return None


def _described(clause: str) -> str:
    """The first words of a clause that states practice (a verb, three words or more)."""
    words = re.findall(r"[\w’'-]+", clause)
    if len(words) < 3 or not re.search(
        r"(?i)\b(?:is|are|was|were|has|have|had|been|do|does)\b|\w+(?:ed|s)\b", clause
    ):
        return ""
    return " ".join(words[:4]) + "…"
