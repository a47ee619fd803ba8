"""Pair precision round of the strict agency rules (issue 15): a list of agency words that
is the child's own education or health ("their education and access to health services",
"missing from home and education", "home education") or the content of information ("in
relation to housing, education and ...", "details on health, ... and education") names no
agency. Each case is a corpus finding found by a short phrase of it; only agency types are
checked (polarity is another module's)."""

from __future__ import annotations

import pytest
from extract_helpers import finding

from inspectgraph.extract.labels import label

# (corpus folder fixture, path, phrase, agency types expected, sorted)
CASES = [
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
def test_agency_rules_of_the_pair_precision_round(request, folder, rel, phrase, agencies):
    f = finding(request.getfixturevalue(folder), rel, phrase)
    assert sorted(f.agencies) == agencies, f.cues


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
