"""Rules written after holdout12 was scored, for co-criticised pairs, on real findings: a
noun's need is no claim ("his need to access education", "the changes needed to provide …"),
a negated exclusion is an absent harm ("No child looked after has been permanently
excluded"), children who may be vulnerable and referrals below the threshold are those served,
"makes it hard to" is a shortfall, the circumstance a response acts on ("challenge schools where
… are not being met") is none; "the board" after a corporate parenting board is that board,
"multi-agency safeguarding arrangements" are the safeguarding partnership alone and the virtual
head is the council's (docs/extraction.md, "Rules after holdout12: pairs"). Each case is a
finding of a corpus document, found by a short phrase of it; no letter text is stored."""

from __future__ import annotations

from extract_helpers import case_test

from inspectgraph.extract.labels import label

# (corpus folder fixture, path, phrase, polarity, agency types expected exactly)
CASES = [
    # a person's need, or what a noun phrase is needed for, is no claim that work remains
    (
        "corpus_joint",
        "jtai/80552_shropshire_2019-01-15.txt",
        "consider his need to access education",
        "strength",
        ["education", "local_authority", "multi_agency", "youth_justice"],
    ),
    (
        "corpus",
        "inspections/80577_west-berkshire_2017-07-07.txt",
        "to deliver the changes needed to provide",
        "strength",
        ["local_authority", "multi_agency"],
    ),
    (
        "corpus",
        "inspections/80524_milton-keynes_2024-12-17.txt",
        "the support needed to ensure that care leavers",
        "strength",
        [],
    ),
    (
        "corpus_joint",
        "area-send/80575_warrington_2023-05-05.txt",
        "the EHC panel process needed to change",
        "strength",
        ["local_authority", "multi_agency"],
    ),
    # a negated exclusion is an absent harm
    (
        "corpus",
        "inspections/80429_birmingham_2016-11-25.txt",
        "No child looked after has been permanently excluded",
        "strength",
        ["education", "local_authority"],
    ),
    # those served: children who may be vulnerable, referrals below the threshold
    (
        "corpus",
        "inspections/80539_portsmouth_2023-07-03.txt",
        "divert children who may be vulnerable to exploitation",
        "strength",
        ["multi_agency", "police", "youth_justice"],
    ),
    (
        "corpus",
        "inspections/80540_reading_2019-10-28.txt",
        "referrals that do not reach the threshold",
        "strength",
        ["local_authority", "multi_agency"],
    ),
    # "makes it hard to" states a shortfall (the noun rule above took the only other cue)
    (
        "corpus",
        "focused-visits/80534_nottinghamshire_2018-02-22.txt",
        "makes it hard to offer the challenge",
        "weakness",
        ["local_authority"],
    ),
    (
        "corpus",
        "inspections/80438_brighton-and-hove_2018-08-21.txt",
        "makes it hard to gain a good understanding",
        "weakness",
        [],
    ),
    # "the board" after a corporate parenting board or strategy is that board
    (
        "corpus",
        "focused-visits/80552_shropshire_2024-08-30.txt",
        "the voices of children inform the board",
        "mixed",
        ["local_authority", "multi_agency"],
    ),
    (
        "corpus",
        "inspections/80568_swindon_2019-08-12.txt",
        "interface between the board and children",
        "strength",
        ["local_authority"],
    ),
    (
        "corpus",
        "inspections/80569_tameside_2016-12-09.txt",
        "Review and update the corporate parenting strategy",
        "weakness",
        ["local_authority", "multi_agency"],
    ),
    # the virtual head is the council's (its virtual school), and the circumstance a response
    # acts on ("challenge schools where … are not being met") states no shortfall
    (
        "corpus",
        "inspections/80539_portsmouth_2018-10-15.txt",
        "The virtual head works alongside other professionals",
        "strength",
        ["education", "local_authority", "multi_agency"],
    ),
    (
        "corpus",
        "inspections/80539_portsmouth_2018-10-15.txt",
        "the virtual headteacher are acutely aware",
        "mixed",
        ["local_authority"],
    ),
    # the statutory multi-agency safeguarding arrangements are the safeguarding partnership
    (
        "corpus",
        "inspections/80476_kent_2022-07-05.txt",
        "local multi-agency safeguarding partnership",
        "mixed",
        ["local_authority", "safeguarding_partnership"],
    ),
]


test_pair_rules_on_real_findings = case_test(CASES)


def test_needs_stated_as_claims_still_vote():
    # a claim about a noun phrase ("… needed to be clearer", "improvements are needed to …")
    # and a need of the council or its partners stay needs
    assert label("The plans needed to be clearer about risk.").polarity == "weakness"
    assert label("Improvements are needed to ensure that children are safe.").polarity == (
        "weakness"
    )
    assert label("The council needs to improve its oversight of plans.").polarity == "weakness"
    assert label("Leaders need to strengthen supervision.").polarity == "weakness"


def test_the_safeguarding_board_alone_and_exclusions_stated_stay():
    board = label("The board has not evaluated the effectiveness of early help.")
    assert board.polarity == "weakness" and board.agencies == ["safeguarding_partnership"]
    # an exclusion stated is no strength (the adverse cue votes only when negated)
    assert label("Too many children are excluded from school.").polarity == "weakness"
    # the statutory arrangements, named outside a finding (a letter's next steps)
    arrangements = label(
        "The safeguarding partners oversee the plan through their local multi-agency safeguarding"
        " arrangements."
    )
    assert arrangements.agencies == ["safeguarding_partnership"]
    assert label("This leaves children vulnerable to exploitation.").polarity == "weakness"


def test_a_condition_not_acted_on_still_votes():
    # only a condition right after a response ("challenge", "escalate", "intervene") is silent
    assert label("Plans are not reviewed when risks increase.").polarity == "weakness"
    assert label("Managers escalate when plans are not progressing.").polarity == "strength"
