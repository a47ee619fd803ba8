"""The two guideline points settled after holdout10, on real findings: the section rule is for
a list's items (narrative under an improvement heading is read by its words), and leaders of
a partnership are the council's leaders and the partnership (docs/extraction.md). Each case
is a finding of a corpus document, found by a short phrase of it; no letter text is stored."""

from __future__ import annotations

import pytest
from extract_helpers import case_test
from extract_helpers import finding as _finding

from inspectgraph.extract.labels import label

# (path in the joint corpus, phrase, agency types expected exactly)
PARTNERSHIP_LEADERS = [
    (
        "area-send/80498_haringey_2024-04-03.txt",
        "Leaders across the partnership must ensure that recent changes",
        ["local_authority", "multi_agency"],
    ),
    (
        "area-send/80535_oldham_2023-08-29.txt",
        "Local partnership leaders do not work together effectively",
        ["local_authority", "multi_agency"],
    ),
    (
        "jtai/80447_cheshire-east_2022-09-26.txt",
        "senior leaders across the wider partnership have failed",
        ["local_authority", "multi_agency"],
    ),
]


@pytest.mark.parametrize(("rel", "phrase", "agencies"), PARTNERSHIP_LEADERS)
def test_leaders_of_a_partnership_name_the_council_and_the_partnership(
    corpus_joint, rel, phrase, agencies
):
    f = _finding(corpus_joint, rel, phrase)
    assert f.agencies == agencies
    assert f.polarity in ("weakness", "mixed")


def test_leaders_qualified_by_another_agency_stay_that_agencys():
    # the partnership rule is for a partnership: "leaders of schools" are still the schools'
    assert label("Leaders of schools do not attend strategy meetings.").agencies == [
        "education",
        "multi_agency",
    ]
    assert label("Health leaders do not attend.").agencies == ["health"]


# (path, phrase, polarity): narrative sentences after an improvement list's item
NARRATIVE = [
    # praise elaborating an item: read by its words
    ("jtai/80471_halton_2019-08-23.txt", "When used well, for", "strength"),
    ("area-send/80549_sandwell_2023-09-12.txt", "This supports good practice", "strength"),
    ("area-send/80543_rotherham_2024-11-14.txt", "clear oversight and action plans", "strength"),
    # a withheld judgement is no verdict
    ("area-send/80567_surrey_2023-11-24.txt", "too early to see the impact", "neutral"),
    # words that state no verdict the cues know leave the heading's shortfall standing
    (
        "area-send/80549_sandwell_2023-09-12.txt",
        "This leaves some families feeling isolated",
        "weakness",
    ),
    ("area-send/80535_oldham_2023-08-29.txt", "services cease", "weakness"),
]


@pytest.mark.parametrize(("rel", "phrase", "polarity"), NARRATIVE)
def test_narrative_under_an_improvement_heading_is_read_by_its_words(
    corpus_joint, rel, phrase, polarity
):
    f = _finding(corpus_joint, rel, phrase)
    assert f.section in ("what_needs_to_improve", "areas_for_improvement"), f.section
    assert f.polarity == polarity, f.cues


def test_an_item_of_an_improvement_list_stays_a_weakness(corpus_joint):
    # the first sentence of the bullet whose later sentences are read by their words
    item = _finding(
        corpus_joint,
        "jtai/80471_halton_2019-08-23.txt",
        "screening tool is not being used",
    )
    assert item.polarity == "weakness"
    assert item.cues["polarity:weakness"].startswith("section:")
    # a paragraph point saying who must act is an item, whatever praise it holds
    point = _finding(
        corpus_joint,
        "area-send/80498_haringey_2024-04-03.txt",
        "have a positive impact on a greater proportion",
    )
    assert point.polarity == "weakness"


def test_a_sentence_labelled_alone_keeps_the_section_rule():
    # callers that do not say whether a sentence is a list item get the heading's reading
    text = "This supports good practice to identify need at the earliest opportunity."
    assert label(text, section="what_needs_to_improve").polarity == "weakness"
    assert label(text, section="what_needs_to_improve", list_item=False).polarity == "strength"


# (corpus folder fixture, path, phrase, polarity, agency types expected exactly)
PAIRS = [
    # who attends a strategy meeting makes the meeting the subject, not a place
    (
        "corpus",
        "inspections/80546_windsor-maidenhead_2020-02-24.txt",
        "community health colleagues at strategy meetings",
        "weakness",
        ["health", "multi_agency"],
    ),
    # "only" restricting who takes part is a shortfall
    (
        "corpus",
        "inspections/80539_portsmouth_2018-10-15.txt",
        "only include police and children",
        "weakness",
        ["local_authority", "multi_agency", "police"],
    ),
    (
        "corpus",
        "inspections/80533_nottingham_2022-09-05.txt",
        "with partners only attending",
        "weakness",
        ["local_authority", "multi_agency"],
    ),
    # reluctance after a contrast: praise and criticism
    (
        "corpus",
        "inspections/80553_slough_2014-02-14.txt",
        "shown a reluctance to undertake key roles",
        "mixed",
        ["local_authority", "multi_agency"],
    ),
    (
        "corpus",
        "inspections/80478_kirklees_2016-11-25.txt",
        "misses the opportunity to understand",
        "weakness",
        ["multi_agency"],
    ),
    # an agency's representatives are that agency, and they attend the meeting
    (
        "corpus",
        "inspections/80442_buckinghamshire_2018-01-29.txt",
        "Health and education representatives do not routinely attend",
        "weakness",
        ["education", "health", "multi_agency"],
    ),
    # children who may struggle are those served, not a shortfall of the service
    (
        "corpus_joint",
        "area-send/80451_wakefield_2024-07-26.txt",
        "who may struggle with transition",
        "strength",
        ["education", "local_authority"],
    ),
]


test_pair_rules_on_real_findings = case_test(PAIRS, sort=False)


def test_a_list_of_what_must_be_ensured_is_an_item(corpus_joint):
    f = _finding(corpus_joint, "jtai/80554_solihull_2022-02-21.txt", "This includes: − ensuring")
    assert f.polarity == "weakness" and f.cues["polarity:weakness"].startswith("section:")


def test_education_settings_children_move_to_are_a_place(corpus_joint):
    f = _finding(
        corpus_joint,
        "area-send/2637539_north-northamptonshire_2024-03-25.txt",
        "transitioning to different education settings",
    )
    assert f.agencies == ["local_authority", "multi_agency"]
