"""Rules written after holdout13 was scored, for co-criticised pairs, on real findings: the
council named as where a threshold leads ("the threshold criteria for access to children's
social care", "the children's social care threshold") is no actor, nor is the court of "the
court case"; "police partners" are the police; a list of agencies before "early years needs"
names needs, not agencies; "not just … but also", "for the (very) few …" and "good and poor"
state no shortfall (docs/extraction.md, "Rules after holdout13: pairs"). Each case is a
finding of a corpus document, found by a short phrase of it; no letter text is stored."""

from __future__ import annotations

from extract_helpers import case_test

from inspectgraph.extract.labels import label

# (corpus folder fixture, path, phrase, polarity, agency types expected exactly)
CASES = [
    # the council as a threshold's destination
    (
        "corpus",
        "focused-visits/80541_redcar-and-cleveland_2023-08-08.txt",
        "the threshold criteria for access to",
        "weakness",
        ["multi_agency"],
    ),
    (
        "corpus",
        "focused-visits/2532287_bournemouth-christchurch-poole_2020-11-27.txt",
        "social care threshold for immediate involvement",
        "weakness",
        ["multi_agency"],
    ),
    (
        "corpus",
        "inspections/80466_east-riding-of-yorkshire_2020-03-13.txt",
        "application of thresholds to children",
        "weakness",
        ["multi_agency"],
    ),
    (
        "corpus",
        "inspections/80572_torbay_2016-01-05.txt",
        "threshold for a referral to the designated officer",
        "weakness",
        ["multi_agency"],
    ),
    # a court case is heard, not the court acting
    (
        "corpus_joint",
        "jtai/80554_solihull_2022-02-21.txt",
        "following the court case for the murder",
        "weakness",
        ["local_authority"],
    ),
    # "police partners" are the police, not partners in general
    (
        "corpus",
        "inspections/80552_shropshire_2022-03-25.txt",
        "Despite frequent communication with police partners",
        "mixed",
        ["local_authority", "police"],
    ),
    # a list of agencies before "early years needs" names needs
    (
        "corpus",
        "inspections/80489_brent_2015-11-30.txt",
        "education, health and early years needs",
        "mixed",
        ["local_authority"],
    ),
    # "not just … but also": no negation
    (
        "corpus",
        "focused-visits/80451_wakefield_2020-12-18.txt",
        "not just with the police and health partners",
        "strength",
        ["courts_cafcass", "education", "health", "local_authority", "police"],
    ),
    # "for the very few children …": those served, no shortfall
    (
        "corpus",
        "focused-visits/80516_tower-hamlets_2022-08-31.txt",
        "For the very few children in care who are remanded",
        "strength",
        ["local_authority", "multi_agency"],
    ),
    # "both good and poor examples": a description
    (
        "corpus",
        "inspections/80552_shropshire_2017-11-24.txt",
        "both good and poor examples of work",
        "strength",
        ["multi_agency", "safeguarding_partnership"],
    ),
]


test_pair_rules_on_real_findings = case_test(CASES)


def test_the_council_acting_on_thresholds_and_courts_acting_stay():
    # the council that applies a threshold is an actor; so is the court that delays
    applies = label("The local authority does not apply thresholds consistently.")
    assert applies.agencies == ["local_authority"]
    social_workers = label("Thresholds are not applied consistently by social workers.")
    assert social_workers.agencies == ["local_authority"]
    assert label("The court has not agreed the timescales.").agencies == ["courts_cafcass"]
    # a list of agencies before another noun stays a list of agencies
    listed = label("Police, health and education partners do not share information.")
    assert listed.agencies == ["education", "health", "police"]
    # partners after a list cue's comma, or after "and", stay partners in general
    assert "multi_agency" in label("In further education, partners work together well.").agencies
    assert label("The police and partners do not attend.").agencies == ["multi_agency", "police"]


def test_shortfalls_beside_the_new_masks_still_vote():
    assert label("Very few children have an up-to-date plan.").polarity == "weakness"
    assert label("Plans are not timely.").polarity == "weakness"
    assert label("The quality of plans is poor.").polarity == "weakness"
