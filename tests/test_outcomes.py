"""Ofsted's official outcome files: reading (CSV and .ods), reconciling, building."""

import datetime as dt
import re
import zipfile

import pytest
from rdflib import URIRef

from inspectgraph.errors import InputError
from inspectgraph.graph.build import build
from inspectgraph.graph.bundled import OUTCOMES_GRAPH
from inspectgraph.ontology import ID
from inspectgraph.sources.ods import read_sheet, sheet_names
from inspectgraph.sources.outcomes import bundled_outcomes, read_outcomes, write_outcomes_csv
from inspectgraph.sources.outcomes_model import OutcomesError, inspection_id
from inspectgraph.sources.registry import load_registry

ILACS_HISTORY = "ofsted_LA_inspection_outcomes_31Mar2025_ILACS_inspection_history.csv"
HISTORY_2009 = "ofsted_CSC_data_in_England_2023_LA_inspections_2009-2023.csv"


def official_csvs(corpus):
    return sorted((corpus / "outcomes").glob("ofsted_*.csv"))


@pytest.fixture(scope="module")
def official(corpus):
    """The official CSV files read and reconciled once for the module (about a second
    each time): the tests below only read the result."""
    return read_outcomes(official_csvs(corpus))


def facts(outcomes):
    return {
        k: (x.type, x.start, x.published, tuple(sorted(x.judgements.items())), x.visit_theme)
        for k, x in outcomes.inspections.items()
    }


# ---------------------------------------------------------------------- the bundled history


def test_bundled_history_covers_every_authority_since_2009():
    outcomes = bundled_outcomes()
    registry = load_registry()
    current = {la.key for la in registry.las.values() if la.current}
    assert len(current) == 153
    assert current <= outcomes.authorities
    years = {x.published.year for x in outcomes.inspections.values()}
    assert min(years) == 2009 and max(years) == 2025
    for key, x in outcomes.inspections.items():
        assert key == inspection_id(x.la, x.type, x.published)
        assert re.fullmatch(r"[a-z0-9-]+-\d{4}-\d{2}-\d{2}", key)
        assert x.start is None or x.start <= x.published


def test_sunderland_history_is_as_published():
    x = bundled_outcomes().inspections
    assert x["sunderland-sif-2015-07-20"].judgements["overall_effectiveness"] == "inadequate"
    assert x["sunderland-sif-2015-07-20"].judgements["lscb_effectiveness"] == "inadequate"
    reinspection = x["sunderland-sif-reinspection-2018-07-25"]
    assert reinspection.type == "sif_reinspection"
    assert reinspection.judgements["adoption_performance"] == "good"
    ilacs = x["sunderland-ilacs-2021-08-20"]
    assert ilacs.type == "ilacs_standard" and ilacs.start == dt.date(2021, 6, 28)
    # before 2023 ILACS judged children in care and care leavers together
    assert ilacs.judgements["children_in_care_and_care_leavers"] == "outstanding"
    latest = x["sunderland-ilacs-2025-03-11"]
    assert latest.judgements["care_leavers"] == "good"
    assert "children_in_care_and_care_leavers" not in latest.judgements


# ---------------------------------------------------------------------- the official files


@pytest.mark.slow
def test_csv_sheets_give_the_bundled_facts(official):
    assert facts(official) == facts(bundled_outcomes())


@pytest.mark.slow
def test_ods_workbooks_give_the_same_facts_as_their_csv_sheets(corpus, official):
    ods = sorted((corpus / "outcomes").glob("*.ods"))
    assert len(ods) == 2
    assert facts(read_outcomes(ods)) == facts(official)


def test_an_inspection_in_several_files_is_one_inspection(official):
    outcomes = official
    x = outcomes.inspections["sunderland-ilacs-2021-08-20"]
    files = {s.split(" row ")[0] for s in x.sources}
    assert ILACS_HISTORY in files and HISTORY_2009 in files and len(files) >= 3
    ids = [k for k in outcomes.inspections if k.startswith("sunderland-ilacs-2021")]
    assert ids == ["sunderland-ilacs-2021-08-20"]


def test_former_authorities_keep_their_own_history(official):
    outcomes = official
    by_la = {}
    for x in outcomes.inspections.values():
        by_la.setdefault(x.la, set()).add(x.id)
    # "Dorset" in the table of authorities before the restructure is the old county
    assert "dorset-county-sif-2016-05-23" in by_la["dorset-county"]
    assert not any("2016-05-23" in i for i in by_la["dorset"])
    # Bournemouth's 2018 ILACS inspection is listed under its old area code E06000028
    assert "bournemouth-ilacs-2018-08-24" in by_la["bournemouth"]
    assert "northamptonshire-ilacs-2019-07-29" in by_la["northamptonshire"]


def test_disagreements_between_files_are_kept_as_notes(official):
    merton = official.inspections["merton-ilacs-2022-05-09"]
    assert merton.type == "ilacs_short"  # the ILACS history outranks the 2023 tables
    assert merton.notes and "ilacs_standard" in merton.notes[0]


def test_rows_without_a_publication_date_are_matched_or_reported(official):
    outcomes = official
    # the 2023 latest-judgement sheet gives start dates only: every row found its inspection
    assert not any("LA_level_at_31_Mar_2023" in u for u in outcomes.unplaced)
    # 2022-23 visits have no publication date in any file: reported, not invented
    assert outcomes.unplaced and all("in_year_2022-23" in u for u in outcomes.unplaced)
    assert all(re.search(r" row \d+: .* has no publication date", u) for u in outcomes.unplaced)


def test_the_latest_judgements_alone_give_ilacs_inspections_of_unstated_kind(corpus):
    latest = (
        corpus
        / "outcomes"
        / "ofsted_LA_inspection_outcomes_31Mar2025_Inspections_as_at_31_March.csv"
    )
    alone = read_outcomes([latest])
    assert {x.type for x in alone.inspections.values()} == {"ilacs_inspection"}
    both = read_outcomes([latest, corpus / "outcomes" / ILACS_HISTORY])
    assert "ilacs_inspection" not in {x.type for x in both.inspections.values()}
    assert set(alone.inspections) <= set(both.inspections)  # same identifiers either way


def test_regenerating_the_bundled_csv_is_byte_identical(official, tmp_path):
    from importlib import resources

    out = tmp_path / "outcomes.csv"
    write_outcomes_csv(official, out)
    bundled = resources.files("inspectgraph").joinpath("data", "outcomes.csv").read_text("utf-8")
    assert out.read_text(encoding="utf-8") == bundled


# ---------------------------------------------------------------------- bad input

HEADER = (
    "Web link,Local authority area code,Local authority name,Local authority status,"
    "Ofsted region,Inspection date,Publication date,Inspection type,Overall effectiveness\n"
)


@pytest.mark.parametrize("kind", ["oxigraph", pytest.param("memory", marks=pytest.mark.slow)])
def test_bad_rows_give_one_line_each_and_nothing_is_written(tmp_path, bundled_copy):
    bad = tmp_path / "bad.csv"
    bad.write_text(
        HEADER + "x,E09000002,Barking and Dagenham,Current,London,2019-02-18,2019-04-01,"
        "ILACS Standard Inspection,Brilliant\n"
        + "x,,Narnia,Current,London,2019-02-18,2019-04-01,ILACS Standard Inspection,Good\n"
        + "x,E09000003,Barnet,Current,London,2019-05-13,2019-04-01,ILACS Standard Inspection,Good\n"
        + "x,E09000004,Bexley,Current,London,13/45/2019,,ILACS Visit,Good\n",
        encoding="utf-8",
    )
    with bundled_copy("s") as store:  # what build(store) leaves, built once per run
        before = store.digest()
        with pytest.raises(OutcomesError) as info:
            build(store, outcomes=[bad])
        assert store.digest() == before
    problems = info.value.problems
    assert all(re.match(r"^bad\.csv row \d+: ", p) and "\n" not in p for p in problems)
    text = "\n".join(problems)
    assert "row 2: unknown grade 'Brilliant' in column 'Overall effectiveness'" in text
    assert "row 3: unknown local authority 'Narnia'" in text
    assert "row 4: published 2019-04-01 before the inspection began 2019-05-13" in text
    assert "row 5: unknown inspection type 'ILACS Visit'" in text
    assert str(info.value).startswith("bad.csv row 2: ") and "(and 3 more)" in str(info.value)


def test_files_that_are_not_outcome_tables_are_refused(tmp_path):
    other = tmp_path / "other.csv"
    other.write_text("a,b\n1,2\n", encoding="utf-8")
    with pytest.raises(InputError, match="other.csv: no table of Ofsted"):
        read_outcomes([other])
    with pytest.raises(InputError, match="nope.ods: no such file"):
        read_outcomes([tmp_path / "nope.ods"])
    fake = tmp_path / "fake.ods"
    fake.write_text("not a zip", encoding="utf-8")
    with pytest.raises(InputError, match="fake.ods: not an OpenDocument"):
        read_outcomes([fake])


def test_two_files_that_disagree_at_the_same_rank_are_an_error(tmp_path):
    a, b = tmp_path / "a.csv", tmp_path / "b.csv"
    a.write_text(
        HEADER + "x,E09000003,Barnet,Current,London,2019-05-13,2019-07-01,"
        "ILACS Standard Inspection,Good\n",
        encoding="utf-8",
    )
    b.write_text(
        HEADER + "x,E09000003,Barnet,Current,London,2019-05-13,2019-07-01,"
        "ILACS Standard Inspection,Inadequate\n",
        encoding="utf-8",
    )
    with pytest.raises(
        OutcomesError,
        match="b.csv row 2: barnet-ilacs-2019-07-01 "
        "overall_effectiveness is inadequate in b.csv row 2 but good in a.csv",
    ):
        read_outcomes([a, b])
    assert len(read_outcomes([a, a]).inspections) == 1


# ---------------------------------------------------------------------- the graph


def test_bundled_build_stores_the_sunderland_inspections_once(bundled_store):
    rows = bundled_store.query(
        "SELECT DISTINCT ?i WHERE { ?i <https://w3id.org/inspectgraph/def/inspectedBody> ?c . "
        "?c <http://www.w3.org/2000/01/rdf-schema#label> 'Sunderland City Council' }"
    ).rows
    ids = sorted(str(i).rsplit("/", 1)[1] for (i,) in rows)
    assert ids == [
        "sunderland-focused-visit-2021-05-11",
        "sunderland-focused-visit-2023-11-29",
        "sunderland-ilacs-2021-08-20",
        "sunderland-ilacs-2025-03-11",
        "sunderland-monitoring-visit-2019-02-07",
        "sunderland-monitoring-visit-2019-06-14",
        "sunderland-sif-2015-07-20",
        "sunderland-sif-reinspection-2018-07-25",
        "sunderland-slac-2012-04-10",
    ]
    dates = bundled_store.query(
        "SELECT DISTINCT ?d WHERE { ?i <http://purl.org/dc/terms/date> ?d }",
        {"i": URIRef(ID["inspection/sunderland-ilacs-2021-08-20"])},
    ).rows
    assert len(dates) == 1
    assert OUTCOMES_GRAPH in bundled_store.graph_names()


def test_councils_carry_codes_and_region(bundled_store):
    row = bundled_store.query(
        "PREFIX ig: <https://w3id.org/inspectgraph/def/> "
        "SELECT ?gss ?urn ?dfe ?region WHERE { ?c ig:gssCode ?gss ; ig:ofstedUrn ?urn ; "
        "ig:dfeCode ?dfe ; <http://purl.org/dc/terms/coverage> ?region }",
        {"c": URIRef(ID["agency/sunderland-city-council"])},
    ).rows
    assert [tuple(map(str, r)) for r in row] == [
        ("E08000024", "80566", "394", "https://w3id.org/inspectgraph/def/region/north_east")
    ]


@pytest.mark.slow
def test_cli_builds_official_files(cli_run, corpus, tmp_path):
    store = tmp_path / "s"
    result = cli_run("build", "--outcomes", corpus / "outcomes" / ILACS_HISTORY, "--store", store)
    assert result.exit_code == 0, result.output
    assert re.search(r"official outcomes: 271 inspections of \d+ local authorities", result.output)
    bad = tmp_path / "bad.csv"
    bad.write_text(
        HEADER + "x,,Narnia,Current,London,2019-02-18,2019-04-01,ILACS Standard Inspection,Good\n",
        encoding="utf-8",
    )
    result = cli_run("build", "--outcomes", bad, "--store", store)
    assert result.exit_code == 2
    assert result.output.strip() == "Error: bad.csv row 2: unknown local authority 'Narnia'"


# ---------------------------------------------------------------------- the .ods reader


def _ods(path, content):
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet")
        z.writestr("content.xml", content)


ODS = """<?xml version="1.0" encoding="UTF-8"?>
<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0"
  xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0"
  xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"
  xmlns:xlink="http://www.w3.org/1999/xlink"><office:body><office:spreadsheet>
<table:table table:name="Cover"><table:table-row><table:table-cell office:value-type="string">
<text:p>Title</text:p></table:table-cell></table:table-row></table:table>
<table:table table:name="Data">
<table:table-row><table:table-cell office:value-type="string">
<text:p>a<text:s text:c="2"/>b</text:p>
</table:table-cell><table:table-cell table:number-columns-repeated="2" office:value-type="float"
office:value="3.0"><text:p>3</text:p></table:table-cell>
<table:table-cell table:number-columns-repeated="16381"/></table:table-row>
<table:table-row table:number-rows-repeated="2"><table:table-cell/></table:table-row>
<table:table-row><table:table-cell office:value-type="date" office:date-value="2019-02-18T00:00:00">
<text:p>18/02/2019</text:p></table:table-cell><table:table-cell office:value-type="string"
table:formula="of:=HYPERLINK(&quot;https://example.org/p/1&quot;;&quot;Page&quot;)"><text:p>Page</text:p>
</table:table-cell><table:table-cell><text:p><text:a xlink:href="https://example.org/q">q</text:a></text:p>
</table:table-cell></table:table-row>
<table:table-row table:number-rows-repeated="1048570"><table:table-cell/></table:table-row>
</table:table></office:spreadsheet></office:body></office:document-content>"""


def test_ods_reader_expands_repeats_and_reads_dates_and_links(tmp_path):
    path = tmp_path / "t.ods"
    _ods(path, ODS)
    assert sheet_names(path) == ["Cover", "Data"]
    assert read_sheet(path, "Data") == [
        ["a  b", "3", "3"],
        [],
        [],
        ["2019-02-18", "https://example.org/p/1", "https://example.org/q"],
    ]
    with pytest.raises(InputError, match="no sheet named 'Nope' \\(sheets: Cover, Data\\)"):
        read_sheet(path, "Nope")
