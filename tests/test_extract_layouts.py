"""Extraction on real corpus files of every layout (the whole corpus: test_national.py)."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from pathlib import Path

from inspectgraph.extract import extract, read_manifest

REPO = Path(__file__).resolve().parent.parent


def _check_offsets(x):
    text = x.rendition.text
    for f in x.findings:
        assert text[f.start : f.end] == f.text
        assert text[max(0, f.start - len(f.prefix)) : f.start] == f.prefix
        assert text[f.end : f.end + len(f.suffix)] == f.suffix
        assert f.clean and f.text[0] == f.clean[0] and f.text[-1] == f.clean[-1]
    starts = [f.start for f in x.findings]
    assert starts == sorted(starts)


def _sections(x):
    return Counter(f.section for f in x.findings)


def test_focused_visit_2018_layout(corpus):
    x = extract(corpus / "focused-visits/80469_gateshead_2018-05-09.txt")
    d = x.document
    assert (d.layout, d.type, d.la, d.visit_theme) == (
        "focused_visit",
        "focused_visit",
        "Gateshead",
        "care_leavers",
    )
    assert d.published == dt.date(2018, 5, 9) and d.start == d.end == dt.date(2018, 3, 20)
    assert d.inspectors == ["Jan Edwards", "Ian Young"]
    sections = _sections(x)
    assert set(sections) == {"overview", "what_needs_to_improve", "findings"}
    assert sections["what_needs_to_improve"] == 5
    assert all(f.polarity == "weakness" for f in x.findings if f.section == "what_needs_to_improve")
    # the letterhead, address and closing are not findings
    assert not any("Yours sincerely" in f.text or "Petty France" in f.text for f in x.findings)
    _check_offsets(x)


def test_letterhead_inside_a_sentence_is_skipped(corpus):
    x = extract(corpus / "focused-visits/80477_kingston-upon-hull_2018-03-01.txt")
    f = next(f for f in x.findings if f.clean.startswith("Much work remains to be done"))
    assert "Piccadilly Gate" in f.text  # the exact quote spans the letterhead …
    assert "Piccadilly" not in f.clean  # … the sentence itself does not
    assert f.clean.endswith("consistently good quality and timely practice.")


def test_focused_visit_2021_layout(corpus):
    x = extract(corpus / "focused-visits/80486_barking-and-dagenham_2022-06-10.txt")
    assert x.document.visit_theme == "achieving_permanence"
    assert x.document.inspectors == ["Brenda McLaughlin", "Tracey Ledder", "Nhlanganiso Nyathi"]
    assert set(_sections(x)) == {"headline_findings", "what_needs_to_improve", "main_findings"}
    # a sentence broken by a page footer joins up
    assert any(
        f.clean.startswith("Permanence planning and stability for children are starting")
        for f in x.findings
    )
    _check_offsets(x)


def test_priority_action_letter(corpus):
    x = extract(corpus / "focused-visits/2532287_bournemouth-christchurch-poole_2020-11-27.txt")
    sections = _sections(x)
    assert sections["areas_for_priority_action"] >= 2
    assert all(
        f.polarity == "weakness" for f in x.findings if f.section == "areas_for_priority_action"
    )
    assert x.document.la == "Bournemouth, Christchurch and Poole"
    _check_offsets(x)


def test_pandemic_letter_from_pdf(corpus):
    x = extract(corpus / "pdf/80566_sunderland_2021-05-11_focused-visit.pdf")
    d = x.document
    assert (d.la, d.visit_theme, d.start, d.end) == (
        "Sunderland",
        "pandemic",
        dt.date(2021, 3, 24),
        dt.date(2021, 3, 25),
    )
    assert d.published == dt.date(2021, 5, 11)
    bullets = [f for f in x.findings if f.section == "findings" and f.bullet]
    assert len(bullets) > 20
    schools = [f for f in x.findings if "education" in f.agencies]
    assert schools and all(f.cues["agency:education"].lower() == "schools" for f in schools)
    _check_offsets(x)


def test_ilacs_report(corpus):
    x = extract(corpus / "inspections/2532283_dorset_2021-11-19.txt")
    d = x.document
    assert (d.layout, d.type, d.la) == ("ilacs", "ilacs_standard", "Dorset")
    assert (d.start, d.end) == (dt.date(2021, 9, 27), dt.date(2021, 10, 8))
    assert d.inspectors == ["Steve Lowe"]
    assert {j.area: j.grade for j in x.judgements} == {
        "impact_of_leaders": "outstanding",
        "help_and_protection": "good",
        "children_in_care_and_care_leavers": "good",
        "overall_effectiveness": "good",
    }
    assert set(_sections(x)) == {
        "summary",
        "what_needs_to_improve",
        "help_and_protection",
        "children_in_care_and_care_leavers",
        "impact_of_leaders",
    }
    # the running header "Inspection of Dorset … 2" never enters a finding
    assert not any("Inspection of Dorset" in f.clean for f in x.findings)
    _check_offsets(x)


def test_ilacs_report_with_five_judgements(corpus):
    x = extract(corpus / "inspections/2733690_cumberland_2024-11-26.txt")
    assert {j.area: j.grade for j in x.judgements} == {
        "impact_of_leaders": "good",
        "help_and_protection": "requires_improvement",
        "children_in_care": "good",
        "care_leavers": "good",
        "overall_effectiveness": "good",
    }
    sections = _sections(x)
    assert sections["children_in_care"] and sections["care_leavers"]
    assert all("care_leavers" in f.themes for f in x.findings if f.section == "care_leavers")


def test_sif_report(corpus):
    x = extract(corpus / "inspections/80418_norfolk_2015-10-20.txt")
    d = x.document
    assert (d.layout, d.type, d.la) == ("sif", "sif_inspection", "Norfolk")
    assert d.published == dt.date(2015, 10, 19)  # the manifest-free reading: "Report published"
    assert {j.area: j.grade for j in x.judgements} == {
        "overall_effectiveness": "inadequate",
        "help_and_protection": "requires_improvement",
        "children_in_care_and_care_leavers": "inadequate",
        "adoption_performance": "requires_improvement",
        "experiences_of_care_leavers": "inadequate",
        "impact_of_leaders": "requires_improvement",
        "lscb_effectiveness": "requires_improvement",
    }
    sections = _sections(x)
    for key in (
        "executive_summary",
        "recommendations",
        "summary_for_children",
        "help_and_protection",
        "lscb_findings",
    ):
        assert sections[key], key
    assert "area_information" not in sections and "contents" not in sections
    lscb = [f for f in x.findings if f.section == "lscb_findings"]
    assert (
        Counter(a for f in lscb for a in f.agencies).most_common(1)[0][0]
        == "safeguarding_partnership"
    )
    _check_offsets(x)


def test_sif_lscb_findings_after_its_recommendations(corpus):
    """Later SIF reports head the LSCB review's findings "Inspection findings" (with a
    box-drawing dash or alone): they are findings, not recommendations."""
    for rel in (
        "inspections/80584_worcestershire_2017-01-24.txt",
        "inspections/80446_central-bedfordshire_2017-08-25.txt",
    ):
        sections = _sections(extract(corpus / rel))
        assert sections["lscb_findings"] > 40, rel
        assert sections["lscb_recommendations"] < 10, rel
        # the local authority's own "Inspection findings" subheadings change nothing
        assert "lscb_findings" not in {f.section for f in extract(corpus / rel).findings[:200]}, rel


def test_sif_reinspection(corpus):
    x = extract(corpus / "inspections/80442_buckinghamshire_2018-01-29.txt")
    assert x.document.type == "sif_reinspection"


def test_manifest_row_wins_and_la_argument_wins_over_all(corpus):
    rows = read_manifest(corpus / "manifest.csv")
    rel = "inspections/80566_sunderland_2021-08-20.txt"
    x = extract(corpus / rel, manifest_row=rows[rel])
    assert x.document.source["published"] == "manifest"
    assert x.document.published == dt.date(2021, 8, 20)
    assert x.document.urn == "80566"
    y = extract(corpus / rel, la="Sunderland City Council")
    assert y.document.la == "Sunderland City Council"
    assert y.document.source["la"] == "argument"
