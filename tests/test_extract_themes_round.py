"""Theme rules written after holdout12 was scored, on real findings of the strict dev labels
(docs/extraction.md, "Rules after holdout12: themes"): the population of an ILACS section on
children in care and care leavers and of a 2013 looked-after children inspection, a visit's
population only for sentences about its members, phrases naming who acts rather than the
topic ("education, health and social care", "school nurses", "school leaders"), "oversight"
only beside managers, "education, employment and training" as education, a cue the scheme
lists under two themes giving both, and pruned or added cues. Each case is a finding of a
corpus document, found by a short phrase of it; no letter text is stored. The expected theme
is the labellers'."""

from __future__ import annotations

import pytest

from inspectgraph.extract import extract
from inspectgraph.extract.core import read_manifest
from inspectgraph.extract.labels import label
from inspectgraph.extract.strict import JOINT_PREFIX

_CACHE: dict = {}


def _finding(corpus, corpus_joint, rel: str, phrase: str):
    folder = corpus
    if rel.startswith(JOINT_PREFIX):
        folder, rel = corpus_joint, rel[len(JOINT_PREFIX) :]
    key = (str(folder), rel)
    if key not in _CACHE:
        _CACHE[key] = extract(
            folder / rel, manifest_row=read_manifest(folder / "manifest.csv")[rel]
        )
    found = [f for f in _CACHE[key].findings if phrase in f.clean]
    assert len(found) == 1, (rel, phrase, len(found))
    return found[0]


# (path, phrase, theme, whether the finding has it)
CASES = [
    # an ILACS section on children in care and care leavers: children in care unless the
    # sentence's cues name care leavers
    (
        "inspections/80438_brighton-and-hove_2018-08-21.txt",
        "Knowledgeable social workers carefully assess the needs",
        "children_in_care",
        True,
    ),
    # a targeted inspection of looked after children's services (2013)
    (
        "inspections/80418_norfolk_2013-08-16.txt",
        "older care leavers have far fewer opportunities",
        "children_in_care",
        True,
    ),
    # a children-in-care visit: a sentence not about children is not about its population
    (
        "focused-visits/80446_central-bedfordshire_2019-02-28.txt",
        "Social workers work respectfully with parents",
        "children_in_care",
        False,
    ),
    # the agencies of an area listed together, a nurse of the school, a school's leaders
    (
        "corpus-joint/area-send/80473_hartlepool_2023-05-16.txt",
        "Leaders, across education, health and social care, articulate",
        "education",
        False,
    ),
    (
        "corpus-joint/jtai/80536_oxfordshire_2016-05-10.txt",
        "Almost all referrals to school nurses are timely",
        "education",
        False,
    ),
    (
        "corpus-joint/area-send/80473_hartlepool_2023-05-16.txt",
        "School leaders work in partnership with the NEET team",
        "leadership_and_governance",
        False,
    ),
    # "oversight" is management oversight beside managers only
    (
        "inspections/80449_bradford_2014-05-23.txt",
        "no formal oversight of private fostering",
        "management_oversight",
        False,
    ),
    (
        "inspections/80533_nottingham_2022-09-05.txt",
        "Team managers do not provide consistent oversight",
        "management_oversight",
        True,
    ),
    # education, employment and training: education, not the workforce's training
    (
        "inspections/80525_newcastle-upon-tyne_2017-07-07.txt",
        "outcomes in education, employment and training",
        "education",
        True,
    ),
    (
        "inspections/80525_newcastle-upon-tyne_2017-07-07.txt",
        "outcomes in education, employment and training",
        "workforce",
        False,
    ),
    # pruned cues: "senior managers", "children in need", "histories", "accommodation", "drift"
    (
        "inspections/80426_barnsley_2014-08-08.txt",
        "caseloads for social workers are manageable and closely monitored by senior managers",
        "leadership_and_governance",
        False,
    ),
    (
        "inspections/80438_brighton-and-hove_2018-08-21.txt",
        "although social workers support children in need, planning",
        "child_protection",
        False,
    ),
    (
        "inspections/80469_gateshead_2019-06-11.txt",
        "to understand their life histories",
        "assessment",
        False,
    ),
    (
        "inspections/80469_gateshead_2019-06-11.txt",
        "A dedicated officer for the homeless",
        "care_leavers",
        False,
    ),
    (
        "inspections/2733698_westmorland-and-furness_2024-07-12.txt",
        "most children do not experience drift or delay",
        "planning_and_review",
        False,
    ),
    # added or moved cues
    (
        "inspections/80478_kirklees_2016-11-25.txt",
        "participate in the working of the Kirklees Safeguarding Children Board",
        "leadership_and_governance",
        True,
    ),
    (
        "inspections/80493_ealing_2024-07-12.txt",
        "The safeguarding partnership recognises the key areas",
        "leadership_and_governance",
        True,
    ),
    (
        "inspections/80469_gateshead_2016-03-11.txt",
        "child protection conferences and core groups are not always effective",
        "child_protection",
        True,
    ),
    (
        "inspections/80462_doncaster_2018-01-19.txt",
        "are quality assured by the virtual school team",
        "quality_assurance",
        True,
    ),
    (
        "corpus-joint/area-send/80438_brighton-and-hove_2023-05-31.txt",
        "suitable alternative provision so that there is",
        "education",
        True,
    ),
    # a cue listed under two themes gives both
    (
        "inspections/80533_nottingham_2022-09-05.txt",
        "self-evaluation mostly demonstrates",
        "quality_assurance",
        True,
    ),
    (
        "focused-visits/80514_southwark_2019-02-07.txt",
        "Life-story books that were seen by inspectors",
        "child_voice",
        True,
    ),
    (
        "focused-visits/80514_southwark_2019-02-07.txt",
        "Life-story books that were seen by inspectors",
        "children_in_care",
        True,
    ),
]


@pytest.mark.parametrize(("rel", "phrase", "theme", "expected"), CASES)
def test_theme_of_a_dev_finding(corpus, corpus_joint, rel, phrase, theme, expected):
    finding = _finding(corpus, corpus_joint, rel, phrase)
    assert (theme in finding.themes) is expected, (finding.themes, finding.cues)


def test_care_leavers_cues_keep_the_shared_section_from_children_in_care():
    lab = label(
        "Personal advisers keep in touch with young people.",
        section="children_in_care_and_care_leavers",
    )
    assert "care_leavers" in lab.themes
    assert "children_in_care" not in lab.themes


def test_an_ehc_plan_keeps_its_theme():
    lab = label("Education, health and care (EHC) plans are timely.")
    assert "education" not in lab.themes
    lab = label("Education, health and care plans are timely.")
    assert lab.themes == ["disabled_children"]
