"""Seventh round of the strict agency rules (issue 15), on real sentences of the dev
splits. Pair recall: a strategy meeting or discussion names generic partners wherever it
sits; health, education, the courts and the partner agencies by words the lexicon lacked;
the leaders of partner agencies as a partnership's leaders; a joint letter's workforce
qualified by the council's service. Pair precision: a list of agency words that is the
child's own education or health, or the content of information, names no agency. Each case
is a corpus finding found by a short phrase of it; only agency types are checked (polarity
is another module's)."""

from __future__ import annotations

import pytest
from extract_helpers import finding

from inspectgraph.extract.labels import label

# (corpus folder fixture, path, phrase, agency types expected, sorted)
CASES = [
    # a strategy meeting or discussion after a preposition is the multi-agency meeting
    (
        "corpus",
        "inspections/80430_blackburn-with-darwen_2022-03-18.txt",
        "police availability for strategy discussions",
        ["local_authority", "multi_agency", "police"],
    ),
    (
        "corpus",
        "inspections/80471_halton_2024-07-12.txt",
        "including delays in strategy discussions",
        ["local_authority", "multi_agency"],
    ),
    (
        "corpus_joint",
        "jtai/80546_windsor-maidenhead_2022-07-04.txt",
        "health representation at strategy meetings is not",
        ["health", "multi_agency"],
    ),
    # ... but a legal strategy meeting is the council's legal planning meeting
    (
        "corpus",
        "inspections/80472_hampshire_2019-06-11.txt",
        "legal strategy meetings effectively consider",
        [],
    ),
    # partner colleagues and partner services are the partner agencies
    (
        "corpus",
        "inspections/80426_barnsley_2014-08-08.txt",
        "available to partner colleagues",
        ["local_authority", "multi_agency"],
    ),
    (
        "corpus",
        "inspections/80443_bury_2016-05-16.txt",
        "across partner services",
        ["multi_agency", "safeguarding_partnership"],
    ),
    # health by its practices, its provider and its participation
    (
        "corpus_joint",
        "area-send/80477_kingston-upon-hull_2024-02-02.txt",
        "including general practices",
        ["health", "local_authority"],
    ),
    (
        "corpus",
        "focused-visits/80554_solihull_2021-08-02.txt",
        "A lack of health participation",
        ["health", "multi_agency"],
    ),
    (
        "corpus",
        "inspections/80518_wandsworth_2018-07-20.txt",
        "and the health provider are effective",
        ["health", "local_authority", "multi_agency"],
    ),
    (
        "corpus_joint",
        "jtai/80566_sunderland_2023-03-16.txt",
        "health roles and responsibilities",
        ["health", "local_authority"],
    ),
    # health's and education's specialists, the courts' services and availability, and
    # "different services" (working together) as the partner agencies
    (
        "corpus",
        "focused-visits/80443_bury_2018-08-17.txt",
        "MASH health and education specialists",
        ["education", "health", "multi_agency"],
    ),
    (
        "corpus",
        "focused-visits/80464_dudley_2020-11-27.txt",
        "court availability during the pandemic",
        ["courts_cafcass", "local_authority"],
    ),
    (
        "corpus",
        "inspections/80449_bradford_2023-01-31.txt",
        "lack of coherence in how different services",
        ["local_authority", "multi_agency"],
    ),
    # the leaders of the partner agencies are a partnership's leaders: the council's and theirs
    (
        "corpus_joint",
        "jtai/80567_surrey_2023-05-02.txt",
        "Leaders across partner agencies recognise that there is more to do to embed",
        ["local_authority", "multi_agency"],
    ),
    # a joint letter's workforce of the council's service (and health's) is theirs, not all
    (
        "corpus_joint",
        "jtai/80539_portsmouth_2020-01-31.txt",
        "affecting the workforce across children",
        ["health", "local_authority"],
    ),
    (
        "corpus_joint",
        "jtai/80430_blackburn-with-darwen_2023-07-14.txt",
        "Staff supervision in the early help service",
        ["local_authority"],
    ),
    # pair precision round: a list owned by the people served, or naming what information covers,
    # names no agency
    # the children's own education or health
    (
        "corpus",
        "focused-visits/2532287_bournemouth-christchurch-poole_2019-12-18.txt",
        "causing disruption to their education",
        ["health"],
    ),
    (
        "corpus",
        "focused-visits/80511_newham_2020-12-04.txt",
        "education and contact needs",
        [],
    ),
    (
        "corpus",
        "inspections/80553_slough_2014-02-14.txt",
        "missing from home and education in the LSCB",
        ["safeguarding_partnership"],
    ),
    (
        "corpus",
        "inspections/80584_worcestershire_2019-07-29.txt",
        "assess the suitability of home education",
        ["local_authority"],
    ),
    # what the information is about, not who acts
    (
        "corpus",
        "inspections/80553_slough_2014-02-14.txt",
        "in relation to housing, education and",
        ["housing"],
    ),
    (
        "corpus",
        "focused-visits/80508_lewisham_2021-08-31.txt",
        "details on health, CAMHS and education",
        ["health"],
    ),
]


@pytest.mark.parametrize(("folder", "rel", "phrase", "agencies"), CASES)
def test_agency_rules_of_the_seventh_round(request, folder, rel, phrase, agencies):
    f = finding(request.getfixturevalue(folder), rel, phrase)
    assert sorted(f.agencies) == agencies, f.cues


def test_a_strategy_meeting_names_partners_wherever_it_sits():
    """As subject, after a preposition, attended or not; not a legal strategy meeting."""
    for text in (
        "Strategy meetings are not always timely.",
        "There are delays in convening strategy meetings.",
        "Decisions are not always considered at strategy discussions.",
    ):
        assert "multi_agency" in label(text).agencies, text
    assert "multi_agency" not in label("Legal strategy meetings are timely.").agencies


def test_leaders_of_one_named_agency_are_not_the_councils():
    """Only the partner agencies together make leaders a partnership's: leaders of the police
    or of health partners stay that agency's."""
    assert label("Leaders across partner agencies are not aware of this.").agencies == [
        "local_authority",
        "multi_agency",
    ]
    assert "local_authority" not in label("Leaders in the police are not aware of this.").agencies


def test_a_list_of_agencies_acting_still_names_them():
    """Only a list owned by the children or naming content loses its agencies."""
    assert label("Police, health and schools do not share information.").agencies == [
        "education",
        "health",
        "police",
    ]
    assert "health" not in label("Their health, education and safety needs are not met.").agencies


def test_only_the_people_served_own_a_list_of_agencies():
    """A place's or an agency's possessive does not make its services the children's needs."""
    assert label("Barnsley's education, health and social care services work well.").agencies == [
        "education",
        "health",
        "local_authority",
    ]
    assert label("The children’s health, education and contact needs are unmet.").agencies == []
