"""The agency types a sentence names, and which of them it criticises (see :mod:`.labels`).

Agency types follow the strict reading of ``docs/extraction.md``: the types the sentence
names as actors or subjects, by their cues. An agentless sentence ("Plans are not timely")
names none -- the inspected authority is the document's, not the sentence's; an
inspectorate is never one; "health and", "health," name the health agencies only in a list
of agencies ("police, health and education"), "partnership" only as "the partnership". In a
weakness or mixed sentence, ``criticised`` are the agencies of the clause that states the
shortfall named before its first failure word (the subject: "Police do not share
information with children's social care" criticises the police), or by "by" after it (the
agent of a passive); the others are the partners failed. When the clause names no
subject, every agency it names (else every agency of the sentence) is criticised.
"""

from __future__ import annotations

import re
from bisect import bisect_right

from .lexicon import Lexicon, tokenize

__all__ = ["MASH_NAMED", "agency_mentions", "criticised_agencies"]

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
    r"(?i)^\W*(?:care\s+|early\s+years\s+)?(?:\(EHC\)\s*)?(?:needs|plans?|outcomes|assessments?|appointments|"
    r"provision|services\s+for)\b"
)

# ... and so does one that says what outcomes or a plan's detail cover: "PfA outcomes across
# education, health and social care", "detail around health, social care and education"
# (pair precision round) "in relation to housing, education and financial support", "detail on
# health, CAMHS and education"; and so does a list owned by the children it concerns or naming
# what they miss: "their health, education and safety needs", "disruption to their education and
# access to health services", "missing from home and education", "the suitability of home
# education": the child's own education or health, not the agency acting (the guideline's
# "places and people served are not actors"; the labels give no such agency in any of the
# sentences of these shapes where the rules gave one). Only the people served own such a list:
# "Barnsley's education, health and social care services" are agencies.
LIST_AS_CONTENT = re.compile(
    r"(?i)(?:\b(?:outcomes|details?)\s+(?:across|around|about)|\bdetails?\s+(?:on|of)|"
    r"\bin\s+relation(?:\s+to)?|\b(?:their|his|her)|\b(?:child(?:ren)?|young\s+(?:people|person)|famil(?:y|ies)|"
    r"parents?|carers?|pupils?|learners?)['’]s?|\bhome|\bmissing(?:\s+from)?"
    r"(?:\s+home\s+and)?)\s+$"
)

# "social care" is the council's service, except as a kind of need ("social care needs")
SOCIAL_CARE_NOT_AGENCY = re.compile(r"(?i)^\s*(?:needs|environment)\b")

# "partnership" names the partners when it is "the partnership", not "in partnership with"
PARTNERSHIP_DETERMINER = re.compile(r"(?i)\b(?:the|this|a|wider|local|strategic|area)\s+$")

# ... or when it says whose leaders or managers they are: "partnership leaders do not monitor"
PARTNERSHIP_WORKFORCE = re.compile(r"(?i)^\s+(?:senior\s+)?(?:leaders|managers)\b")

# a local safeguarding children board or partnership by its initials: LSCB, PSCB, KSCP, BBSCP
PARTNERSHIP_ACRONYM = re.compile(r"\b[A-Z]{1,4}SC[BP]s?\b")

# a strategy meeting or discussion is a multi-agency meeting by statute, so it names generic
# partners wherever it sits, as subject or after a preposition ("delays in strategy discussions",
# "police availability for strategy discussions", "considered at strategy meetings"): the labels
# read it so in most such sentences, and the guideline was settled so after holdout16 (seventh
# round). A legal strategy meeting is the council's legal planning meeting, not a multi-agency one.
MEETING_CUES = ("strategy meeting", "strategy discussion")
MEETING_LEGAL = re.compile(r"(?i)\blegal\s+$")

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

# the council as where a threshold leads ("the threshold for access to children's social care",
# "thresholds when making referrals to children's social care", "the children's social care
# threshold"): the threshold's destination, not the council acting; whoever understands or
# applies it is the actor (after holdout13)
THRESHOLD_TO = re.compile(
    r"(?i)\bthresholds?(?:\s+criteria)?\s+(?:(?:for|when\s+making)\s+(?:(?:access|entry|a\s+referral|"
    r"referrals?)\s+)?)?(?:to|into|for)\s+(?:(?:the|a|an)\s+)?(?:[\w-]+(?:\s+[\w-]+)?\s+(?:and|or)\s+)?$"
)
THRESHOLD_AFTER = re.compile(r"(?i)^(?:\s+services)?\s+thresholds?\b")

# "the court case": a case heard, not the court acting
COURT_CASE = re.compile(r"(?i)^\s+cases?\b")

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

# ... and so are the leaders of the partner agencies together: "leaders across partner agencies",
# "managers across agencies" (the labels give both in each such sentence; seventh round)
PARTNERSHIP_OF_LEADERS = re.compile(r"(?i)partnership|partners|agencies")

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

# the agencies whose name before "partners" says whose partners they are (after holdout13)
PARTNERS_OF = frozenset(
    {"police", "health", "education", "housing", "probation", "youth_justice", "voluntary_sector"}
)

# a council of children or young people (a forum of the people served), not the council
COUNCIL_OF_CHILDREN = re.compile(r"(?i)\b(?:care|leavers|youth|people|children)['’]?s?\s+$")

# a board that is not the children's safeguarding partnership: the adults' board, a
# council's management or improvement board
OTHER_BOARD = re.compile(
    r"(?i)\b(?:adults?['’]?|management|improvement|transformation|programme|project|justice)\s+$"
)

# "the board" after another board named in the sentence is that board, not the safeguarding
# partnership: "The Corporate Parenting Board is well attended … the voices of children inform
# the board", "the corporate parenting strategy … the work of the board"
ANOTHER_BOARD_BEFORE = re.compile(
    r"(?i)\bcorporate\s+parenting\b|\b(?:adults?['’]?|management|improvement|transformation|"
    r"programme|project|justice|scrutiny|fostering|adoption)\s+(?:\w+\s+){0,2}(?:board|panel)\b"
)

GENERIC_BOARD = re.compile(r"(?i)^(?:the\s+)?board\b")

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
        if (
            last
            and last[2] in PARTNERS_OF
            and " ".join(m[3].lower().split()) == "partners"
            and 0 < m[0] - last[1] <= 1
            and not text[last[1] : m[0]].strip()
            and last[3][-1:].isalnum()
        ):
            # "police partners", "probation partners": that agency, not partners in general
            merged[-1] = (last[0], m[1], last[2], text[last[0] : m[1]])
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
        if concept == "local_authority" and (
            THRESHOLD_TO.search(head) or THRESHOLD_AFTER.match(text[end:])
        ):
            continue  # "the threshold for access to children's social care": a destination
        if cue == "the court" and COURT_CASE.match(text[end:]):
            continue  # "the court case for the murder of …": a case, not the court
        if cue.startswith(MEETING_CUES) and MEETING_LEGAL.search(head):
            continue  # "legal strategy meetings": the council's legal planning
        if cue == "professionals" and PROFESSIONALS_ACCUSED.search(head):
            continue  # "allegations against professionals": whom they concern
        if (
            cue in ("schools", "education settings")
            and SCHOOLS_AS_PLACE.search(text[:start])
            and not any(f is not found[i] and -LIST_GAP <= f[0] - end <= LIST_GAP for f in found)
            and not (i and 0 <= start - found[i - 1][1] <= LIST_GAP)
        ):
            continue  # "delivered to local secondary schools": where, not who
        if (
            cue == "front door"
            and DOOR_AS_PLACE.search(head)
            and any(j != i and j not in drop and f[2] != concept for j, f in enumerate(found))
        ):
            continue  # "staff in the front door", "leaders … at the front door": a place
        if cue == "police" and (
            POLICE_NOT_ACTING.match(text[end:]) or text[:start].lower().endswith("notice of the ")
        ):
            continue
        if concept == "safeguarding_partnership" and OTHER_BOARD.search(head):
            continue  # "the adult safeguarding board", "management board meetings"
        if (
            concept == "safeguarding_partnership"
            and GENERIC_BOARD.match(cue)
            and ANOTHER_BOARD_BEFORE.search(text[:start])
        ):
            continue  # "the Corporate Parenting Board … the board": the board named before
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
                and (after[2] != "local_authority" or joint)
                and QUALIFIER_AFTER.match(text[end : after[0]])
            ):
                qualifier = after
            if qualifier and not (
                cue in PARTNERSHIP_LEADERS
                and qualifier[2] in ("multi_agency", "safeguarding_partnership")
                and PARTNERSHIP_OF_LEADERS.search(qualifier[3])
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
