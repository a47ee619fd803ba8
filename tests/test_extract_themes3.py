"""Theme and agency rules of the themes3 round (issue 15; docs/extraction.md, "Rules after
holdout15: themes and partnership wording"), each on a short sentence written for the test."""

from __future__ import annotations

from inspectgraph.extract.labels import label


def test_the_safeguarding_board_named_is_partnership_governance():
    lab = label("The board challenges partners well.")
    assert "leadership_and_governance" in lab.themes
    assert lab.cues["theme:leadership_and_governance"] == "safeguarding partnership: The board"
    assert "leadership_and_governance" in label("The LSCB meets every month.").themes
    # the partnership's reviews are its work, not the body
    assert "leadership_and_governance" not in label("Serious case reviews are shared.").themes


def test_schools_listed_with_other_agencies_give_no_education_theme():
    assert "education" not in label("Police, health and schools share concerns promptly.").themes
    assert "education" not in label("Schools and GPs attend the meetings.").themes
    assert "education" in label("Schools report concerns promptly.").themes


def test_plans_to_improve_are_intentions_not_a_childs_plan():
    assert "planning_and_review" not in label("Leaders have plans to improve the service.").themes
    assert "planning_and_review" in label("Child protection plans to reduce risk are clear.").themes
    assert "planning_and_review" in label("Plans for children are clear.").themes


def test_strategic_planning_is_leadership_not_planning():
    lab = label("Strategic planning across the area is weak.")
    assert lab.themes == ["leadership_and_governance"]
    assert lab.cues["theme:leadership_and_governance"] == "Strategic planning"


def test_work_done_by_managers_is_management_oversight():
    lab = label("Decisions are endorsed by managers.")
    assert "management_oversight" in lab.themes
    assert lab.cues["theme:management_oversight"] == "by managers"
    assert "management_oversight" in label("Workers value support from their managers.").themes
    # senior managers are leaders, not the managers who oversee casework
    assert "management_oversight" not in label("Audits are reviewed by senior managers.").themes


def test_dashboards_and_annual_reports_are_quality_assurance():
    assert "quality_assurance" in label("Leaders use a performance dashboard.").themes
    assert "quality_assurance" in label("The annual report sets out its findings.").themes


def test_professional_development_and_feeling_supported_are_workforce():
    assert "workforce" in label("Staff have good professional development.").themes
    assert "workforce" in label("Practitioners felt supported during the pandemic.").themes


def test_pruned_cues_give_no_theme():
    assert label("Participation in the activity was high.").themes == []
    assert label("Resources are stretched.").themes == []
    assert label("Children who need help and protection receive a timely response.").themes == []


def test_a_visit_population_only_for_sentences_without_a_topic_of_their_own():
    visit = {"visit_theme": "children_in_care"}
    assert label("Plans for children are clear.", **visit).themes == ["planning_and_review"]
    lab = label("Children make good progress.", **visit)
    assert lab.themes == ["children_in_care"]
    assert lab.cues["theme:children_in_care"] == "visit theme: children_in_care"


def test_the_front_door_is_a_place_only_when_another_agency_acts_there():
    assert label("Decision-making at the front door is strong.").agencies == ["multi_agency"]
    assert label("Managers' decisions at the front door are timely.").agencies == [
        "local_authority"
    ]


def test_an_emergency_department_is_health():
    lab = label("Staff in the emergency department refer children promptly.")
    assert lab.agencies == ["health"]
    assert lab.cues["agency:health"] == "emergency department"


def test_partnership_collaboration_and_strategic_partnerships_are_generic_partners():
    lab = label("There is a lack of effective partnership collaboration.")
    assert lab.agencies == ["multi_agency"]
    lab = label("Strong strategic partnerships protect children.")
    assert lab.agencies == ["multi_agency"]
    assert lab.cues["agency:multi_agency"] == "strategic partnerships"
