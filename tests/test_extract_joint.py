"""Joint inspections (JTAI letters of each era, area SEND reports) and the layout bugs of
issue 15, each on the real document it was found in."""

from __future__ import annotations

import datetime as dt
from collections import Counter

import pytest

from inspectgraph.extract import extract
from inspectgraph.extract.core import read_manifest
from inspectgraph.extract.structure import parse
from inspectgraph.extract.text import read_document


def _extract(folder, rel):
    return extract(folder / rel, manifest_row=read_manifest(folder / "manifest.csv")[rel])


def _sections(x):
    return Counter(f.section for f in x.findings)


def test_jtai_2017_key_strengths_and_areas_for_improvement(corpus_joint):
    x = _extract(corpus_joint, "jtai/80441_bristol_2017-12-01.txt")
    d = x.document
    assert (d.layout, d.type, d.la, d.published) == (
        "jtai",
        "jtai",
        "Bristol",
        dt.date(2017, 12, 1),
    )
    assert d.source["type"] == "text" and d.source["la"] == "text"
    assert (d.start, d.end) == (dt.date(2017, 10, 16), dt.date(2017, 10, 20))
    assert d.title == (
        "Joint targeted area inspection of the multi-agency response to abuse and neglect "
        "in Bristol City Council"
    )
    sections = _sections(x)
    assert {"summary", "strengths", "areas_for_improvement", "case_study"} <= set(sections)
    # the glyph of these bullets extracts as a private-use character
    bullets = [f for f in x.findings if f.bullet]
    assert {f.section for f in bullets} >= {"strengths", "areas_for_improvement"}
    for f in x.findings:
        if f.section == "areas_for_improvement":  # an item, or narrative read by its words
            cue = f.cues[f"polarity:{f.polarity}"]
            # (or the polarity model's change of the narrative's verdict, naming it)
            assert (
                (f.polarity == "weakness" and cue.startswith("section:"))
                or cue.startswith("narrative under Areas for improvement")
                or (cue.startswith("model ") and "(narrative under Areas for improvement" in cue)
            )
        if f.section == "strengths":  # mixed when a contrast qualifies the strength
            assert f.polarity in ("strength", "mixed")
            assert f.cues[f"polarity:{f.polarity}"].startswith("section:")
    # "Next steps" and the letterhead are not findings
    assert not any(
        f.clean.startswith("The director of children’s services should prepare") for f in x.findings
    )


def test_jtai_2022_what_needs_to_improve_and_strengths(corpus_joint):
    rel = "jtai/80447_cheshire-east_2022-09-26.txt"
    x = _extract(corpus_joint, rel)
    d = x.document
    assert (d.layout, d.type, d.published) == ("jtai", "jtai", dt.date(2022, 9, 26))
    assert d.la == "Cheshire East"
    sections = _sections(x)
    assert sections["what_needs_to_improve"] >= 3 and sections["strengths"] >= 3
    assert {"headline_findings", "main_findings"} <= set(sections)
    for f in x.findings:
        if f.section == "what_needs_to_improve":
            assert f.polarity == "weakness" and f.bullet
        if f.section == "strengths":
            assert f.polarity == "strength" and f.bullet


@pytest.mark.slow
def test_every_jtai_letter_has_its_lists(corpus_joint):
    rows = read_manifest(corpus_joint / "manifest.csv")
    for rel in rows:
        if not rel.startswith("jtai/"):
            continue
        x = _extract(corpus_joint, rel)
        sections = _sections(x)
        assert x.document.layout == "jtai" and x.document.type == "jtai", rel
        assert sections["areas_for_improvement"] + sections["what_needs_to_improve"] > 0, rel
        assert x.document.la, rel


JTAI_CONTEXT = (
    "jtai/80456_coventry_2024-05-17.txt",
    "jtai/80475_hertfordshire_2024-12-12.txt",
    "jtai/80480_lancashire_2024-05-16.txt",
    "jtai/80481_leeds_2024-05-16.txt",
    "jtai/80510_merton_2024-02-12.txt",
    "jtai/80521_manchester_2023-11-30.txt",
    "jtai/80555_somerset_2024-07-18.txt",
)


def test_jtai_context_is_its_own_section_not_the_introduction(corpus_joint):
    for rel in JTAI_CONTEXT:
        text = read_document(corpus_joint / rel).text
        structure = parse(text)
        keys = [s.key for s in structure.sections]
        assert keys[:4] == ["letterhead", "introduction", "context", "headline_findings"], rel
        context = structure.sections[2]
        assert not context.findings, rel
        body = " ".join(text[context.start : context.end].split())
        assert "multi-agency response to" in body, rel


# older JTAI letters group their lists under themes; the theme is no section of its own
JTAI_LEADERSHIP = {
    "jtai/80448_cheshire-west-and-chester_2017-11-10.txt": "areas_for_improvement",
    "jtai/80449_bradford_2017-04-21.txt": "areas_for_improvement",
    "jtai/80485_liverpool_2016-08-03.txt": "areas_for_improvement",
    "jtai/80524_milton-keynes_2019-12-18.txt": "areas_for_improvement",
    "jtai/80536_oxfordshire_2016-05-10.txt": "areas_for_improvement",
    "jtai/80557_south-tyneside_2016-04-05.txt": "areas_for_improvement",
    "jtai/80478_kirklees_2022-08-18.txt": "main_findings",
}


def test_jtai_leadership_and_management_goes_on_in_its_list(corpus_joint):
    for rel, enclosing in JTAI_LEADERSHIP.items():
        x = _extract(corpus_joint, rel)
        under = [f for f in x.findings if f.heading.endswith(" – Leadership and management")]
        assert len(under) >= 20, rel
        assert {f.section for f in under} == {enclosing}, rel
        if enclosing == "areas_for_improvement":  # items; narrative is read by its words
            items = [f for f in under if not f.cues[f"polarity:{f.polarity}"].startswith("narr")]
            assert items and all(f.polarity == "weakness" for f in items), rel
    x = _extract(corpus_joint, "jtai/80448_cheshire-west-and-chester_2017-11-10.txt")
    first = next(
        f for f in x.findings if f.clean.startswith("Senior, middle and frontline managers")
    )
    assert first.heading == "Areas for improvement – Leadership and management"
    assert first.cues["polarity:weakness"] == (
        "section: Areas for improvement – Leadership and management"
    )


def test_jtai_liverpool_2016_areas_for_priority_actions(corpus_joint):
    """ "Areas for priority actions" (plural) with its "Leadership" theme."""
    x = _extract(corpus_joint, "jtai/80485_liverpool_2016-08-03.txt")
    first = next(f for f in x.findings if f.clean.startswith("Ineffective management oversight"))
    assert (first.section, first.heading, first.polarity) == (
        "areas_for_priority_action",
        "Areas for priority actions – Leadership",
        "weakness",
    )


def test_area_send_report(corpus_joint):
    x = _extract(corpus_joint, "area-send/2532283_dorset_2024-05-15.txt")
    d = x.document
    assert (d.layout, d.type, d.la) == ("area_send", "area_send", "Dorset")
    assert d.title == "Area SEND inspection of Dorset Local Area Partnership"
    sections = _sections(x)
    assert {"inspection_outcome", "what_needs_to_improve", "areas_for_improvement"} <= set(sections)
    assert "area_information" not in sections  # facts about the area are not findings
    improve = [f for f in x.findings if f.section == "what_needs_to_improve"]
    # the items are weaknesses; narrative after an item is read by its words
    items = [f for f in improve if not f.cues[f"polarity:{f.polarity}"].startswith("narrative")]
    assert items and all(f.polarity == "weakness" for f in items)


@pytest.mark.slow
def test_every_area_send_report_has_areas_to_act_on(corpus_joint):
    for rel in read_manifest(corpus_joint / "manifest.csv"):
        if rel.startswith("area-send/"):
            x = _extract(corpus_joint, rel)
            sections = _sections(x)
            assert x.document.type == "area_send" and x.document.la, rel
            assert sections["areas_for_improvement"] + sections["areas_for_priority_action"] > 0, (
                rel
            )


# ---------------------------------------------------------------- bugs of issue 15

LAC_2013 = (
    "inspections/80418_norfolk_2013-08-16.txt",
    "inspections/80476_kent_2013-08-23.txt",
    "inspections/80522_medway_2013-08-23.txt",
    "inspections/80549_sandwell_2013-08-02.txt",
)


def test_2013_looked_after_children_reports_are_not_all_weakness(corpus):
    for rel in LAC_2013:
        x = _extract(corpus, rel)
        polarity = Counter(f.polarity for f in x.findings)
        assert polarity["strength"] > 100, (rel, polarity)
        assert x.document.type == "lac_targeted_inspection", rel
        sections = _sections(x)
        assert {"overall_effectiveness", "quality_of_provision", "impact_of_leaders"} <= set(
            sections
        ), rel
        # "Areas for improvement" ends at the next section
        assert 0 < sections["areas_for_improvement"] < 40, (rel, sections)
    grades = {rel: {j.area: j.grade for j in _extract(corpus, rel).judgements} for rel in LAC_2013}
    assert grades["inspections/80549_sandwell_2013-08-02.txt"] == {
        "overall_effectiveness": "inadequate"
    }
    assert grades["inspections/80418_norfolk_2013-08-16.txt"] == {
        "overall_effectiveness": "inadequate"
    }
    assert grades["inspections/80522_medway_2013-08-23.txt"] == {
        "overall_effectiveness": "inadequate"
    }
    # Kent's "Adequate" has no grade in the grades scheme
    assert grades["inspections/80476_kent_2013-08-23.txt"] == {}


def test_bury_2016_requires_improvement_to_be_good(corpus):
    x = _extract(corpus, "inspections/80443_bury_2016-05-16.txt")
    assert {j.area: j.grade for j in x.judgements}[
        "overall_effectiveness"
    ] == "requires_improvement"


def test_sunderland_title_is_whole(corpus):
    x = _extract(corpus, "inspections/80566_sunderland_2015-07-20.txt")
    assert x.document.title == (
        "Inspection of services for children in need of help and protection, children looked "
        "after and care leavers and Review of the effectiveness of the local safeguarding "
        "children board"
    )


def test_surrey_2015_board_review_has_a_type(corpus):
    x = _extract(corpus, "inspections/80567_surrey_2015-08-03.txt")
    assert x.document.type == "lscb_review"
    # its "Inspection findings" are findings, not more of its eight recommendations (the
    # SIF report's "Inspection findings" subheading hid the review's own heading)
    sections = _sections(x)
    assert sections["lscb_findings"] > 100 and sections["recommendations"] < 10, sections


LETTERS_2025 = (
    "focused-visits/80431_blackpool_2025-11-06.txt",
    "focused-visits/80487_barnet_2025-12-04.txt",
    "focused-visits/80573_trafford_2025-10-30.txt",
)


def test_2025_letters_footnoted_heading_and_national_framework(corpus):
    for rel in LETTERS_2025:
        x = _extract(corpus, rel)
        improve = [f for f in x.findings if f.section == "what_needs_to_improve"]
        assert len(improve) >= 2, rel
        assert all(f.polarity == "weakness" for f in improve), rel
        for f in x.findings:
            assert "national framework" not in f.clean.lower() or len(f.clean) > 60, (rel, f.clean)
            assert "cross-referenced" not in f.clean, (rel, f.clean)
            assert not f.clean.startswith("What needs to improve"), (rel, f.clean)


def test_a_line_that_goes_on_a_sentence_is_no_heading(corpus):
    """ "… Both report very positive working by\nthe local authority." (North Yorkshire 2014)
    closed with a full stop looked like the heading "The local authority", and its section
    (no findings) swallowed the next ten paragraphs."""
    x = _extract(corpus, "inspections/80530_north-yorkshire_2014-06-30.txt")
    found = {f.clean: f.section for f in x.findings}
    for sentence in (
        "Most looked after children have a range of adults they feel they can trust and go to "
        "for support or advice.",
        "Services respond appropriately and there is good information sharing and tracking if a "
        "looked after child goes missing.",
    ):
        assert found.get(sentence) == "children_in_care_and_care_leavers", sentence
    x = _extract(corpus, "inspections/80526_north-east-lincolnshire_2017-09-25.txt")
    assert not any(f.heading.startswith("areas for") for f in x.findings)


def test_a_footnote_ends_at_the_next_heading(corpus):
    """Slough 2014: a footnote at the foot of a page ran on over the next page's heading and
    first bullets (14 lines), which were lost."""
    x = _extract(corpus, "inspections/80553_slough_2014-02-14.txt")
    first = next(f for f in x.findings if f.section == "help_and_protection")
    assert first.clean.startswith("There are widespread failures, by the children’s social care")


# ---------------------------------------------------------------- several corpora


def _mini(folder, source, rels):
    """A corpus folder holding ``rels`` of ``source`` with their manifest rows."""
    import csv
    import shutil

    rows = read_manifest(source / "manifest.csv")
    folder.mkdir()
    with (folder / "manifest.csv").open("w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=list(next(iter(rows.values()))))
        writer.writeheader()
        for rel in rels:
            writer.writerow(rows[rel])
            (folder / rel).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy(source / rel, folder / rel)
    return folder


@pytest.mark.slow  # two seconds or more: the full suite only
def test_build_takes_corpus_more_than_once(corpus, corpus_joint, tmp_path, cli_run):
    letters = _mini(tmp_path / "letters", corpus, ["focused-visits/80469_gateshead_2021-10-27.txt"])
    joint = _mini(tmp_path / "joint", corpus_joint, ["jtai/80426_barnsley_2022-07-18.txt"])
    store = tmp_path / "store"
    result = cli_run("build", "--corpus", letters, "--corpus", joint, "--store", store, "-q")
    assert result.exit_code == 0, result.output
    query = tmp_path / "graphs.rq"
    query.write_text(
        "SELECT ?g WHERE { GRAPH ?g { ?r <http://purl.org/dc/terms/identifier> ?id "
        'FILTER(STRSTARTS(STR(?id), "jtai/")) } } ORDER BY ?g'
    )
    rows = cli_run("query", query, "--store", store, "--format", "json")
    assert "graph/document/80426-barnsley-2022-07-18" in rows.output, rows.output
    # the letter is addressed to the partnership it inspected: its report names them
    query.write_text(
        "SELECT ?agency WHERE { ?r <http://purl.org/dc/terms/identifier> "
        '"jtai/80426_barnsley_2022-07-18.txt" ; <http://purl.org/dc/terms/audience> ?agency }'
    )
    rows = cli_run("query", query, "--store", store, "--format", "json")
    for agency in (
        "metropolitan-borough-of-barnsley-council",
        "south-yorkshire-police",
        "nhs-south-yorkshire-icb",
        "barnsley-safeguarding-partnership",
    ):
        assert f"id/agency/{agency}" in rows.output, (agency, rows.output)


def test_two_corpora_may_not_name_one_graph_twice(corpus, tmp_path):
    from inspectgraph.errors import InputError
    from inspectgraph.graph.documents import find_sources

    rel = "focused-visits/80469_gateshead_2021-10-27.txt"
    one = _mini(tmp_path / "one", corpus, [rel])
    two = _mini(tmp_path / "two", corpus, [rel])
    assert len(find_sources(corpus=[one])) == 1
    try:
        find_sources(corpus=[one, two])
    except InputError as exc:
        assert "same document name" in str(exc) and "two" in str(exc)
    else:
        raise AssertionError("two corpora naming one graph were accepted")


def test_footnote_called_from_a_word_is_not_a_finding(corpus_joint):
    """Solihull's 2022 JTAI letter calls a footnote from inside a sentence ("(LSCP1 – …)");
    the footnote, the last paragraph of its page, was read as a headline finding."""
    x = _extract(corpus_joint, "jtai/80554_solihull_2022-02-21.txt")
    assert not [f for f in x.findings if f.clean.startswith("1 The lead representatives")]
    assert not [f for f in x.findings if "accountable officer of a clinical" in f.clean]
    # the sentence that calls it is still a finding, and the next section still starts
    calling = [f for f in x.findings if "(LSCP1" in f.clean]
    assert len(calling) == 1 and calling[0].section == "headline_findings"
    assert any(f.section == "areas_for_priority_action" for f in x.findings)


def test_jtai_themed_strengths_heading(corpus_joint):
    """Sunderland's 2023 JTAI letter (early help) heads its strengths "Early help strengths":
    they were read as more of "What needs to improve?" and labelled weaknesses."""
    x = _extract(corpus_joint, "jtai/80566_sunderland_2023-03-16.txt")
    by_start = {f.clean[:30]: f for f in x.findings}
    assert "Early help strengths" not in by_start
    cogent = next(f for f in x.findings if f.clean.startswith("Cogent, well-balanced"))
    assert (cogent.section, cogent.polarity) == ("strengths", "strength")
    last_point = next(f for f in x.findings if f.clean.startswith("Timeliness of early help"))
    assert (last_point.section, last_point.polarity) == ("what_needs_to_improve", "weakness")
