"""Polarity rules written after holdout11 was scored, on real findings: a remedy acting on a
gap or on turnover ("manages the gap", "to bridge the gap", "to manage this turnover"), a
problem conceded before praise ("Despite these gaps, …", "Without exception, …"), a past
shortfall ("previous poor practice") and a named serious offence or case review are not
shortfalls (docs/extraction.md, "Rules after holdout11"). Each case is a finding of a corpus
document, found by a short phrase of it; no letter text is stored."""

from __future__ import annotations

import pytest
from extract_helpers import finding as _finding

from inspectgraph.extract.labels import label

# (path in the main corpus, phrase): praise or context the old cues read as a shortfall
NOT_SHORTFALLS = [
    ("inspections/80429_birmingham_2016-11-25.txt", "Despite these gaps, the local authority"),
    ("inspections/80469_gateshead_2019-06-11.txt", "The local authority manages the gap"),
    ("inspections/80478_kirklees_2016-11-25.txt", "to manage this turnover of staff better"),
    ("inspections/80482_leicester_2017-09-04.txt", "in significant contrast to previous poor"),
    (
        "inspections/80488_bexley_2018-08-20.txt",
        "Without exception, staff were incredibly positive",
    ),
    ("inspections/80569_tameside_2016-12-09.txt", "sub-group is an active group that has managed"),
]


@pytest.mark.parametrize(("rel", "phrase"), NOT_SHORTFALLS)
def test_no_shortfall_read_in_praise_or_context(corpus, rel, phrase):
    assert _finding(corpus, rel, phrase).polarity not in ("weakness", "mixed")


# (path in the joint corpus, phrase)
JOINT_NOT_SHORTFALLS = [
    ("area-send/80543_rotherham_2024-11-14.txt", "to bridge the gap between schools and health"),
    ("area-send/80498_haringey_2024-04-03.txt", "following a serious offence"),
]


@pytest.mark.parametrize(("rel", "phrase"), JOINT_NOT_SHORTFALLS)
def test_no_shortfall_read_in_joint_letters(corpus_joint, rel, phrase):
    assert _finding(corpus_joint, rel, phrase).polarity not in ("weakness", "mixed")


def test_the_shortfalls_beside_the_new_masks_still_vote():
    # the masks keep only their own words from voting: a shortfall stated elsewhere stands
    # the absence of a harm is left to the negator rule (a mask there would unnegate it)
    assert label("No children were seen who were subject to enquiries unnecessarily.").polarity == (
        "strength"
    )
    conceded = label("Despite these gaps, plans are not reviewed in time.").polarity
    assert conceded in ("weakness", "mixed")
    assert label("Managers do not address the gap in provision.").polarity == "weakness"
    assert label("There are gaps in provision for care leavers.").polarity == "weakness"
    assert label("Staff turnover is high.").polarity == "weakness"
