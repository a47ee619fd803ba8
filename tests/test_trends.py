"""Trends and comparisons (issue 17, item 2): criticism by theme over years and frameworks,
grade transitions, an authority against its statistical neighbours; and the findings'
sections. Each count is checked against another path to the same facts (the findings and
grades tables, the extractor's own output)."""

from __future__ import annotations

import csv
import io
import json
from collections import Counter

import pytest

from inspectgraph.analysis.trends import framework_of
from inspectgraph.extract import extract, read_manifest
from inspectgraph.sources.neighbours import DATA, neighbour_codes, neighbour_lists
from tools.generate_neighbours import generate

CRITICISM = {"weakness", "mixed"}


def _csv(result) -> list[dict]:
    assert result.exit_code == 0, result.output
    return list(csv.DictReader(io.StringIO(result.output)))


def _findings(cli_run, store, *args) -> list[dict]:
    result = cli_run("findings", *args, "--json", "--store", store)
    assert result.exit_code == 0, result.output
    return json.loads(result.output)


# ------------------------------------------------------------------ trends: themes


def _expected_theme_counts(findings: list[dict], group) -> tuple[Counter, Counter, Counter]:
    every, critical, all_critical = Counter(), Counter(), Counter()
    for f in findings:
        key = group(f)
        if f["polarity"] in CRITICISM:
            all_critical[key] += 1
        for theme in f["themes"]:
            every[key, theme] += 1
            critical[key, theme] += f["polarity"] in CRITICISM
    return every, critical, all_critical


def _check_theme_rows(rows: list[dict], findings: list[dict], column: str, group) -> None:
    every, critical, all_critical = _expected_theme_counts(findings, group)
    assert rows and len(rows) == len(every)
    for r in rows:
        key = (r[column], r["theme"])
        assert int(r["findings"]) == every[key], r
        assert int(r["critical"]) == critical[key], r
        assert int(r["all_critical"]) == all_critical[r[column]], r
        assert float(r["critical_share"]) == pytest.approx(critical[key] / every[key], abs=1e-4)
        share = critical[key] / all_critical[r[column]] if all_critical[r[column]] else None
        if share is not None:
            assert float(r["theme_share_of_critical"]) == pytest.approx(share, abs=1e-4)


def test_theme_trends_count_what_the_findings_table_holds(cli_run, built_store_dir):
    rows = _csv(cli_run("trends", "--csv", "--store", built_store_dir))
    assert list(rows[0]) == [
        "year",
        "theme",
        "findings",
        "critical",
        "critical_share",
        "all_critical",
        "theme_share_of_critical",
    ]
    findings = _findings(cli_run, built_store_dir)
    _check_theme_rows(rows, findings, "year", lambda f: f["date"][:4])
    by_type = _csv(
        cli_run("trends", "--by", "inspection-type", "--csv", "--store", built_store_dir)
    )
    _check_theme_rows(by_type, findings, "inspection_type", lambda f: f["inspection_type"])
    # narrowed to an authority whose inspections two sources describe (Ofsted's outcomes and
    # the bundled records): each finding still counts once
    sunderland = ["--la", "Sunderland", "--csv", "--store", built_store_dir]
    mine = _findings(cli_run, built_store_dir, "--la", "Sunderland")
    _check_theme_rows(_csv(cli_run("trends", *sunderland)), mine, "year", lambda f: f["date"][:4])


@pytest.mark.slow
def test_theme_trends_on_corpus_letters_by_framework(mini_corpus, mini_store, cli_run):
    gateshead = ["--la", "Gateshead", "--csv", "--store", mini_store]
    rows = _csv(cli_run("trends", "--by", "framework", *gateshead))
    # a focused visit, of the ILACS framework, in 2021
    assert {r["framework"] for r in rows} == {"ilacs"}
    assert {r["year"] for r in _csv(cli_run("trends", *gateshead))} == {"2021"}
    manifest = read_manifest(mini_corpus / "manifest.csv")
    rel = next(p for p in manifest if "gateshead" in p)
    letter = extract(mini_corpus / rel, manifest_row=manifest[rel])
    every, critical = Counter(), Counter()
    for f in letter.findings:
        for theme in f.themes:
            every[theme] += 1
            critical[theme] += f.polarity in CRITICISM
    assert {r["theme"]: int(r["findings"]) for r in rows} == dict(every)
    assert {r["theme"]: int(r["critical"]) for r in rows} == dict(critical)
    all_critical = sum(f.polarity in CRITICISM for f in letter.findings)
    assert {int(r["all_critical"]) for r in rows} == {all_critical}
    weakness = _csv(cli_run("trends", "--polarity", "weakness", *gateshead))
    assert sum(int(r["critical"]) for r in weakness) == sum(
        theme_count
        for f in letter.findings
        if f.polarity == "weakness"
        for theme_count in [len(f.themes)]
    )


def test_frameworks_come_from_the_ontology():
    assert framework_of("focused_visit") == "ilacs"
    assert framework_of("ilacs_short") == "ilacs"
    assert framework_of("sif_inspection") == "sif"
    assert framework_of("safeguarding_and_lac") == "slac"
    assert framework_of("area_send") == "area_send"


# ------------------------------------------------------------------ trends: transitions


def test_transitions_pair_successive_graded_inspections(cli_run, built_store_dir):
    rows = _csv(cli_run("trends", "transitions", "--csv", "--store", built_store_dir))
    grades = _csv(cli_run("grades", "--csv", "--store", built_store_dir))
    by_authority: dict[str, list[str]] = {}
    for g in grades:  # oldest first within each authority
        if g["overall_effectiveness"]:
            by_authority.setdefault(g["gss"] or g["authority"], []).append(
                g["overall_effectiveness"]
            )
    expected = Counter(
        (a, b) for seq in by_authority.values() for a, b in zip(seq, seq[1:], strict=False)
    )
    assert {(r["from_grade"], r["to_grade"]): int(r["transitions"]) for r in rows} == dict(expected)
    for r in rows:
        leaving = sum(n for (a, _b), n in expected.items() if a == r["from_grade"])
        assert int(r["from_total"]) == leaving
    # Sunderland: inadequate 2015, inadequate 2018, outstanding 2021 and 2025
    mine = _csv(
        cli_run("trends", "transitions", "--la", "Sunderland", "--csv", "--store", built_store_dir)
    )
    assert {(r["from_grade"], r["to_grade"]) for r in mine} == {
        ("inadequate", "inadequate"),
        ("inadequate", "outstanding"),
        ("outstanding", "outstanding"),
    }


def test_trends_checks_its_values(cli_run, built_store_dir):
    store = ["--store", built_store_dir]
    cases = [
        (["trends", "--la", "Sundrland"], "Sunderland"),
        (["trends", "--region", "North Eest"], "north_east"),
        (["trends", "--polarity", "weaknes"], "weakness"),
        (["trends", "transitions", "--area", "help and protecton"], "help_and_protection"),
    ]
    for args, nearest in cases:
        result = cli_run(*args, *store)
        assert result.exit_code == 2, (args, result.output)
        assert "unknown" in result.output and nearest in result.output, result.output
        assert len(result.output.strip().splitlines()) == 1, result.output
    assert cli_run("trends", "--out", "x.html", *store).exit_code == 2
    two = cli_run("trends", "--by", "year", "--by", "framework", "--out", "x.png", *store)
    assert two.exit_code == 2


@pytest.mark.slow
def test_trends_figures(cli_run, built_store_dir, tmp_path):
    for view, name in (("themes", "themes.svg"), ("transitions", "transitions.pdf")):
        out = tmp_path / name
        result = cli_run("trends", view, "--out", out, "--store", built_store_dir)
        assert result.exit_code == 0, result.output
        assert out.stat().st_size > 1000
    assert (tmp_path / "themes.svg").read_text().lstrip().startswith("<?xml")
    assert (tmp_path / "transitions.pdf").read_bytes().startswith(b"%PDF")
    png = tmp_path / "framework.png"
    result = cli_run("trends", "--by", "framework", "--out", png, "--store", built_store_dir)
    assert result.exit_code == 0 and png.read_bytes().startswith(b"\x89PNG")


# ------------------------------------------------------------------ statistical neighbours


def test_bundled_neighbours_are_ten_known_authorities():
    from inspectgraph.sources.registry import load_registry

    lists = neighbour_lists()
    codes = {la.dfe_code for la in load_registry().las.values() if la.dfe_code}
    assert len(lists) >= 150
    for code, neighbours in lists.items():
        assert len(neighbours) == len(set(neighbours)) == 10, code
        assert code not in neighbours and set(neighbours) <= codes, code
    assert DATA.read_text(encoding="utf-8").startswith("# Statistical neighbours")


def test_bundled_neighbours_are_the_lookup_s(corpus):
    lookup = corpus / "outcomes" / "ofsted_la_provider_lookup.csv"
    assert generate(lookup) == DATA.read_text(encoding="utf-8")


# ------------------------------------------------------------------ compare


def test_compare_grades_are_each_authority_s_latest(cli_run, built_store_dir):
    rows = _csv(
        cli_run("compare", "grades", "--la", "Sunderland", "--csv", "--store", built_store_dir)
    )
    names = list(dict.fromkeys(r["authority"] for r in rows))
    assert names[0] == "Sunderland" and rows[0]["relation"] == "authority"
    neighbours = [r for r in rows if r["relation"] == "neighbour"]
    assert [r["dfe_code"] for r in neighbours if r["area"] == "overall_effectiveness"] == [
        c for c in neighbour_codes("394")
    ]
    for name in names[:3]:
        history = _csv(cli_run("grades", "--la", name, "--csv", "--store", built_store_dir))
        for r in (r for r in rows if r["authority"] == name):
            graded = [h for h in history if h[r["area"]]]
            assert (r["grade"], r["date"]) == (graded[-1][r["area"]], graded[-1]["date"])


def test_compare_themes_and_partnerships_agree_with_their_tables(cli_run, built_store_dir):
    result = cli_run("compare", "--la", "Sunderland", "--json", "--store", built_store_dir)
    assert result.exit_code == 0, result.output
    out = json.loads(result.output)
    assert out["authority"] == "Sunderland" and out["dfe_code"] == "394"
    assert [n["rank"] for n in out["neighbours"]] == list(range(1, 11))
    mine = _findings(cli_run, built_store_dir, "--la", "Sunderland", "--polarity", "weakness,mixed")
    themes = Counter(t for f in mine for t in f["themes"])
    assert {
        r["theme"]: r["authority_critical"] for r in out["themes"] if r["authority_critical"]
    } == dict(themes)
    assert {r["authority_all_critical"] for r in out["themes"]} == {len(mine)}
    everyone = _findings(cli_run, built_store_dir, "--polarity", "weakness,mixed")
    current = set(neighbour_lists())
    national = [f for f in everyone if f["dfe_code"] in current]
    assert {r["england_all_critical"] for r in out["themes"]} == {len(national)}
    for r in out["themes"]:
        if r["england_share_of_critical"]:
            ratio = r["authority_share_of_critical"] / r["england_share_of_critical"]
            assert r["ratio_to_england"] == pytest.approx(ratio, abs=0.01)
    pairs = json.loads(
        cli_run("partnerships", "--la", "Sunderland", "--json", "--store", built_store_dir).output
    )
    assert [(p["agencies"], p["findings"], p["lift"]) for p in out["partnerships"]] == [
        (p["agencies"], p["findings"], p["lift"]) for p in pairs
    ]
    summary = {r["group"]: r for r in out["grade_summary"]}
    assert summary["neighbours"]["authorities"] <= 10
    assert summary["england"]["authorities"] >= 150


@pytest.mark.slow
def test_compare_on_corpus_letters(mini_corpus, mini_store, cli_run, tmp_path):
    out = tmp_path / "gateshead.png"
    result = cli_run("compare", "--la", "Gateshead", "--json", "--out", out, "--store", mini_store)
    assert result.exit_code == 0, result.output
    assert out.read_bytes().startswith(b"\x89PNG")
    data = json.loads(result.output[: result.output.rindex("}") + 1])
    manifest = read_manifest(mini_corpus / "manifest.csv")
    rel = next(p for p in manifest if "gateshead" in p)
    letter = extract(mini_corpus / rel, manifest_row=manifest[rel])
    critical = [f for f in letter.findings if f.polarity in CRITICISM]
    expected = Counter(t for f in critical for t in f.themes)
    assert {r["theme"]: r["authority_critical"] for r in data["themes"]} == {
        t: expected[t] for t in {r["theme"] for r in data["themes"]}
    }
    assert {r["authority_all_critical"] for r in data["themes"]} == {len(critical)}
    # Sunderland (its letter and the bundled records) is one of Gateshead's neighbours,
    # and the rest of its region
    assert data["region"] == "north_east" and "394" in neighbour_codes(data["dfe_code"])
    sunderland = len(
        _findings(cli_run, mini_store, "--la", "Sunderland", "--polarity", "weakness,mixed")
    )
    for group in ("neighbours", "region"):
        assert {r[f"{group}_all_critical"] for r in data["themes"]} == {sunderland}
    assert {r["england_all_critical"] for r in data["themes"]} == {sunderland + len(critical)}


def test_compare_checks_its_authority_and_format(cli_run, built_store_dir):
    store = ["--store", built_store_dir]
    result = cli_run("compare", "--la", "Sundrland", *store)
    assert result.exit_code == 2 and "nearest: Sunderland" in result.output
    assert len(result.output.strip().splitlines()) == 1
    former = cli_run("compare", "--la", "Cumbria", *store)
    assert former.exit_code == 2 and "no statistical neighbours" in former.output
    assert cli_run("compare", "--la", "Sunderland", "--csv", *store).exit_code == 2
    assert cli_run("compare", "--la", "Sunderland", "--out", "x.txt", *store).exit_code == 2
    table = cli_run("compare", "--la", "Sunderland", "--resamples", "0", *store)
    assert table.exit_code == 0, table.output
    assert "statistical neighbours: 1. Redcar and Cleveland" in table.output
    assert "Theme profile of criticism" in table.output
    # one row per authority; a grade from an earlier inspection carries its year
    lines = table.output.splitlines()
    sunderland = next(x for x in lines if x.startswith("Sunderland") and " authority " in x)
    assert "outstanding (2021)" in sunderland and "ilacs_short" in sunderland


# ------------------------------------------------------------------ the findings' sections


@pytest.fixture
def mini_corpus(shared_mini_corpus):
    """The mini corpus folder of the run (these tests only read it)."""
    return shared_mini_corpus


@pytest.fixture
def mini_store(shared_mini_store):
    """The mini corpus's two letters built by `build --corpus`, once per test run (these
    tests only read the store)."""
    return shared_mini_store


def test_findings_carry_the_extractor_s_section(mini_corpus, mini_store, cli_run):
    manifest = read_manifest(mini_corpus / "manifest.csv")
    for name in ("Gateshead", "Sunderland"):
        rel = next(p for p in manifest if name.lower() in p)
        letter = extract(mini_corpus / rel, manifest_row=manifest[rel])
        by_start = {f.start: f for f in letter.findings}
        # the letter's findings (not the bundled records' about Sunderland)
        document = rel.rsplit("/", 1)[1].removesuffix(".txt").replace("_", "-")
        rows = [
            r
            for r in _findings(cli_run, mini_store, "--la", name)
            if r["finding"].rsplit("/", 1)[0].endswith("/" + document)
        ]
        assert len(rows) == len(letter.findings)
        for r in rows:
            f = by_start[r["start"]]
            assert (r["section"], r["section_heading"]) == (f.section, f.heading), r
    assert {r["section"] for r in _findings(cli_run, mini_store)} >= {
        "main_findings",
        "what_needs_to_improve",
    }


def test_sections_cost_one_value_per_report(mini_store):
    from inspectgraph.graph.stores import open_store

    with open_store(mini_store, read_only=True) as store:
        count = store.query(
            "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?r <https://w3id.org/inspectgraph/def/sections> ?s } }"
        ).rows[0][0]
    assert int(count) == 2  # the two letters


@pytest.mark.slow  # the fast tier tries the default backend only (docs/testing.md)
def test_trends_and_compare_agree_on_the_memory_backend(bundled_stores):
    from inspectgraph.analysis.compare import compare
    from inspectgraph.analysis.trends import theme_trends, transitions

    embedded, memory = bundled_stores["oxigraph"], bundled_stores["memory"]
    for by in (("year",), ("framework", "inspection-type")):
        assert theme_trends(memory, by=by, la="Sunderland") == theme_trends(
            embedded, by=by, la="Sunderland"
        )
    assert transitions(memory, region="north_east") == transitions(embedded, region="north_east")
    assert compare(memory, "Sunderland", resamples=0) == compare(
        embedded, "Sunderland", resamples=0
    )


def test_a_bad_date_raises_even_when_nothing_is_in_scope(built_store_dir):
    """A mistyped date is an error whatever the scope holds (an authority with no graded
    inspection returns before any date is compared)."""
    from inspectgraph.analysis.grades import grade_rows
    from inspectgraph.analysis.trends import transitions
    from inspectgraph.graph.stores import open_store

    with open_store(built_store_dir, read_only=True) as store:
        for analysis in (grade_rows, transitions):
            with pytest.raises(ValueError, match="month"):
                analysis(store, region="no such region", since="2020-13-01")
