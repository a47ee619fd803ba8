"""Shortfalls stated without a cue word of their own, and cue words that state none (used
by :mod:`.polarity`): awareness of a need the lexicon's need cues miss, a burden put on
children or staff, a shortfall named as what has lessened, a serious crime or illness."""

from __future__ import annotations

import re

__all__ = ["AWARE_NEED", "BURDEN", "JOINED", "LESSENED", "SERIOUS_HARM"]

# what an awareness cue recognises, when it is a need the lexicon's cues do not name on their
# own: "recognised that significant improvements … were needed", "know there is more they can
# do", "understand that more support and training is required". The guideline makes
# awareness of a shortfall mixed; outside awareness "support was needed" or "as required" often
# describe practice ("when support was needed"), so these forms count only here.
AWARE_NEED = re.compile(
    # "aware of the need for all partners to improve", "acknowledge the need for ongoing
    # improvement": the need recognised opens what is recognised
    r"(?i)\s*(?:(?:of|about)\s+)?(?:the\s+)?(?:[\w-]+\s+)?(?P<noun>need\s+(?:for|to))\b|"
    # ... or a need stated later in what is recognised, not past a condition ("recognise when
    # help is needed and act", "know when further work is necessary" describe practice)
    r"(?:(?!\b(?:when|whenever|if|where)\b)[^,;:.]){0,120}?\b(?P<need>(?:was|were|is|are|be|been|being|remains?|still)\s+"
    r"(?:(?:still|also|urgently|now|further)\s+)?(?:needed|required(?!\s+to\b)|necessary)\b|"
    r"more\s+(?:that\s+)?(?:[\w’'-]+\s+){0,3}(?:can|could|need\s+to|needs\s+to|should|must|"
    r"have\s+to|has\s+to)\s+(?:be\s+)?do(?:ne)?\b|"
    r"(?:further|more)\s+(?:work|improvement|progress|development)\b)"
)

# a shortfall named as what has lessened is a strength: "fewer changes of social worker",
# "a reduction in the number of social work vacancies and reliance on agency staff", "only a
# minimal reliance on agency staff" -- unless a verb intervenes ("a reduction in funding has
# led to delays" states the delay)
LESSENED = re.compile(
    r"(?i)\b(?:fewer|reduc(?:ed|ing|tions?)(?:\s+in)?|decreas(?:ed|ing|es?)(?:\s+in)?|"
    r"minimal|fall\s+in|drop\s+in)\s+"
    r"(?:(?!(?:is|are|was|were|has|have|had|led|leads|leading|means|meant|caus\w*|result\w*|"
    r"but|and\s+(?:is|are|has|have))\b)[^\s,;:]+\s+){0,6}$"
)
# ... and a second shortfall joined to a lessened one ("vacancies and reliance")
JOINED = re.compile(r"(?i)^\s*(?:and|or|,)\s+(?:the\s+|on\s+)?(?:[^\s,;:]+\s+){0,3}$")

# a serious crime, illness or harm is a child's circumstance, not a verdict on practice
# ("serious youth crime", "serious organised crime", "serious medical issues", "serious and
# long-term abuse"); "serious weaknesses", "serious concerns about practice" stay weaknesses
SERIOUS_HARM = re.compile(
    r"(?i)^\s+(?:(?:and\s+)?[\w-]+\s+){0,2}?(?:crime|crimes|violence|harm|abuse|medical|"
    r"illness\w*|injur\w*|offen\w*|incidents?|case\s+reviews?|assaults?|exploitation)\b"
)

# a burden the system puts on children, families or staff is a shortfall stated without a
# cue word: "children having to wait for …", "having to repeat their stories", "social
# workers … have to navigate seven different systems", "have to spend more time locating …"
# (what a service prevents -- "preventing children having to spend time away" -- is a
# remedy, see REMEDY, and a negation makes it a strength as for other weaknesses)
BURDEN = re.compile(
    r"(?i)\b(?:having|have|has|had)\s+to\s+(?:wait|repeat|retell|navigate|chase|"
    r"spend\s+(?:more|longer|a\s+long)|reach\s+crisis|tell\s+their\s+stor(?:y|ies)\s+again)\b"
)
