"""The researcher's workbench (issue 17): checked keys and names, the keys listing, query
parameters as NAME=VALUE, tidy findings and grades tables, extraction of many files."""

from __future__ import annotations

import csv
import io
import json
import shutil

import pytest

from inspectgraph.extract import extract, read_manifest
from inspectgraph.model.keys import KINDS, UnknownValue, key_rows, nearest, resolve_key

# ------------------------------------------------------------------ keys and checked values


def test_resolve_key_accepts_keys_and_labels_and_names_the_nearest():
    assert resolve_key("themes", "front_door") == "front_door"
    assert resolve_key("themes", "Front door") == "front_door"
    assert resolve_key("regions", "North East") == "north_east"
    assert resolve_key("areas", "Help and protection") == "help_and_protection"
    with pytest.raises(UnknownValue, match="unknown theme 'front dor'; nearest: front_door"):
        resolve_key("themes", "front dor")
    with pytest.raises(UnknownValue, match="one of mixed, neutral, strength, weakness"):
        resolve_key("polarity", "bad")
    assert nearest("sundrland", ["Sunderland", "Sutton"]) == ["Sunderland"]


def test_keys_lists_every_kind_with_labels(cli_run):
    result = cli_run("keys", "themes", "--csv")
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(io.StringIO(result.output)))
    assert {"kind": "themes", "key": "front_door", "label": "Front door"} in rows
    assert len(rows) == len(key_rows("themes"))
    every = json.loads(cli_run("keys", "--json").output)
    assert {r["kind"] for r in every} == set(KINDS)
    assert {"kind": "grades", "key": "inadequate", "label": "Inadequate"} in every
    assert cli_run("keys", "colours").exit_code == 2


@pytest.mark.slow
def test_unknown_authority_theme_or_region_is_an_error_naming_the_nearest(cli_run, built_store_dir):
    store = ["--store", built_store_dir]
    cases = [
        (["query", "judgement-history", "-p", "la", "Sunderlnd"], "Sunderland"),
        (["query", "findings-by-theme", "-p", "theme", "front dor"], "front_door"),
        (["partnerships", "--la", "Sundrland"], "Sunderland"),
        (["viz", "partnerships", "--la", "Sundrland", "--out", "x.html"], "Sunderland"),
        (["findings", "--region", "North Eest"], "north_east"),
        (["findings", "--agency", "Northumbria Polise"], "Northumbria Police"),
        (["grades", "--la", "Gatshead"], "Gateshead"),
        (["query", "agencies", "-p", "type", "polise"], "police"),
    ]
    for args, nearest_name in cases:
        result = cli_run(*args, *store)
        assert result.exit_code == 2, (args, result.output)
        assert "unknown" in result.output and nearest_name in result.output, result.output
        assert len(result.output.strip().splitlines()) == 1, result.output


def test_a_theme_label_is_taken_for_its_key(cli_run, built_store_dir):
    by_label = cli_run(
        "query",
        "findings-by-theme",
        "-p",
        "theme",
        "Front door",
        "--json",
        "--store",
        built_store_dir,
    )
    by_key = cli_run(
        "query",
        "findings-by-theme",
        "-p",
        "theme=front_door",
        "--json",
        "--store",
        built_store_dir,
    )
    assert by_label.exit_code == 0 and json.loads(by_label.output)
    assert by_label.output == by_key.output


# ------------------------------------------------------------------ query parameters and options


def test_param_name_equals_value_before_store_options(cli_run, built_store_dir):
    spaced = cli_run(
        "query", "judgement-history", "-p", "la", "Sunderland", "--csv", "--store", built_store_dir
    )
    joined = cli_run(
        "query", "judgement-history", "-p", "la=Sunderland", "--store", built_store_dir, "--csv"
    )
    assert spaced.exit_code == 0 and joined.exit_code == 0, joined.output
    assert spaced.output == joined.output
    rows = list(csv.DictReader(io.StringIO(joined.output)))
    # every area unless -p area narrows it
    assert len({r["areaKey"] for r in rows}) > 3
    narrowed = cli_run(
        "query",
        "judgement-history",
        "-p",
        "la=Sunderland",
        "-p",
        "area=overall_effectiveness",
        "--csv",
        "--store",
        built_store_dir,
    )
    assert {r["areaKey"] for r in csv.DictReader(io.StringIO(narrowed.output))} == {
        "overall_effectiveness"
    }
    # the authority's plain name and codes beside the label
    assert {(r["authority"], r["gss"], r["dfe_code"]) for r in rows} == {
        ("Sunderland", "E08000024", "394")
    }
    bad = cli_run("query", "judgement-history", "-p", "la", "--store", built_store_dir)
    assert bad.exit_code == 2


def test_queries_takes_store_options_and_prints_descriptions_whole(cli_run, built_store_dir):
    from inspectgraph import queries

    result = cli_run("queries", "--store", built_store_dir)
    assert result.exit_code == 0, result.output
    assert "…" not in result.output
    header, _rule, *lines = result.output.splitlines()
    at = header.index("description")  # the last column: its lines joined give it whole
    column = " ".join(line[at:].strip() for line in lines)
    for q in queries.registry().values():
        assert " ".join(q.description.split()) in column, q.name
    assert cli_run("queries", "--memory", "--store", built_store_dir).exit_code == 0


def test_viz_and_partnerships_share_min_inspections():
    from inspectgraph.cli.main import cli

    def default(command):
        return next(p.default for p in command.params if p.name == "min_inspections")

    viz = cli.commands["viz"].commands
    defaults = {
        default(cli.commands["partnerships"]),
        *(default(viz[name]) for name in ("partnerships", "types", "heatmap")),
    }
    assert len(defaults) == 1


def test_jsonl_is_a_row_a_line(cli_run, built_store_dir):
    result = cli_run("partnerships", "--la", "Sunderland", "--jsonl", "--store", built_store_dir)
    lines = result.output.splitlines()
    assert lines and all(json.loads(line)["agencies"] for line in lines)
    assert {"persistence", "themes", "example"} <= set(json.loads(lines[0]))


# ------------------------------------------------------------------ findings and grades tables


def test_findings_table_on_the_demo_store(cli_run, built_store_dir):
    from inspectgraph.analysis.findings import FINDING_COLUMNS

    result = cli_run(
        "findings",
        "--la",
        "sunderland",
        "--polarity",
        "weakness",
        "--csv",
        "--store",
        built_store_dir,
    )
    assert result.exit_code == 0, result.output
    reader = csv.DictReader(io.StringIO(result.output))
    rows = list(reader)
    assert reader.fieldnames == FINDING_COLUMNS and rows
    assert {r["polarity"] for r in rows} == {"weakness"}
    assert {(r["authority"], r["gss"], r["dfe_code"], r["region"]) for r in rows} == {
        ("Sunderland", "E08000024", "394", "north_east")
    }
    assert any(r["report"].startswith("https://files.ofsted.gov.uk/") for r in rows)
    themed = json.loads(
        cli_run(
            "findings",
            "--la",
            "Sunderland",
            "--theme",
            "front_door",
            "--json",
            "--store",
            built_store_dir,
        ).output
    )
    assert themed and all("front_door" in r["themes"] for r in themed)
    police = json.loads(
        cli_run(
            "findings", "--agency", "Northumbria Police", "--json", "--store", built_store_dir
        ).output
    )
    assert police and all("Northumbria Police" in r["agencies"] for r in police)
    by_type = json.loads(
        cli_run("findings", "--agency-type", "police", "--json", "--store", built_store_dir).output
    )
    assert {r["finding"] for r in police} <= {r["finding"] for r in by_type}
    lines = cli_run(
        "findings", "--since", "2021-01-01", "--jsonl", "--store", built_store_dir
    ).output.splitlines()
    assert lines and all(json.loads(x)["date"] >= "2021-01-01" for x in lines)


def test_grades_table_and_latest(cli_run, built_store_dir):
    result = cli_run("grades", "--la", "Sunderland", "--csv", "--store", built_store_dir)
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(io.StringIO(result.output)))
    by_date = {r["date"]: r for r in rows}
    assert by_date["2015-07-20"]["overall_effectiveness"] == "inadequate"
    assert by_date["2021-08-20"]["overall_effectiveness"] == "outstanding"
    assert [r["date"] for r in rows] == sorted(r["date"] for r in rows)
    latest = list(
        csv.DictReader(
            io.StringIO(cli_run("grades", "--latest", "--csv", "--store", built_store_dir).output)
        )
    )
    authorities = [r["authority"] for r in latest]
    assert len(authorities) == len(set(authorities)) >= 150
    assert not any("(local authority)" in a for a in authorities)
    from inspectgraph.sources.registry import load_registry

    registry = load_registry()
    # every current authority has its codes (a former one may have none)
    assert all(
        r["gss"] and r["dfe_code"] for r in latest if registry.find_la(r["authority"]).current
    )
    sunderland = next(r for r in latest if r["authority"] == "Sunderland")
    assert sunderland["date"] == rows[-1]["date"]
    assert sunderland["previous_date"] == rows[-2]["date"]
    assert sunderland["previous_overall_effectiveness"] == rows[-2]["overall_effectiveness"]
    bath = next(r for r in latest if r["authority"].startswith("Bath"))
    assert bath["authority"] == "Bath and North East Somerset" and bath["dfe_code"] == "800"


# ------------------------------------------------------------------ real corpus data


@pytest.fixture
def mini_store(shared_mini_store):
    """The two letters of the mini corpus built by the command line, once per test run (its
    tests only read the store)."""
    return shared_mini_store


@pytest.mark.slow  # two seconds or more: the full suite only
@pytest.mark.parametrize("which", ["built_store_dir", "mini_store"])
def test_findings_read_broadly_or_by_scope_give_the_same_rows(which, request, monkeypatch):
    """Many findings (the whole national store) read their facts pattern by pattern for the
    whole store and join them in Python: the same rows as the queries through the scope."""
    import inspectgraph.analysis.findings as findings
    import inspectgraph.graph.evidence as evidence
    from inspectgraph.graph.stores import open_store

    with open_store(request.getfixturevalue(which), read_only=True) as store:
        by_scope = findings.findings_rows(store)
        weak = findings.findings_rows(store, polarity="weakness")
        monkeypatch.setattr(findings, "_BROAD", 0)
        monkeypatch.setattr(evidence, "_ALL_LIMIT", 0)
        assert findings.findings_rows(store) == by_scope
        assert findings.findings_rows(store, polarity="weakness") == weak
    assert len(by_scope) > len(weak) > 0
    quoted = ["quote", "cue", "start"] if which == "mini_store" else []  # letters, not records
    for column in ["agencies", "agency_types", "themes", "report", "inspection_type", *quoted]:
        assert any(r[column] for r in by_scope), column


@pytest.mark.slow
def test_findings_quote_the_letters_exactly(shared_mini_corpus, mini_store, cli_run):
    mini_corpus = shared_mini_corpus
    result = cli_run("findings", "--la", "Gateshead", "--json", "--store", mini_store)
    assert result.exit_code == 0, result.output
    rows = json.loads(result.output)
    manifest = read_manifest(mini_corpus / "manifest.csv")
    rel = next(p for p in manifest if "gateshead" in p)
    extracted = extract(mini_corpus / rel, manifest_row=manifest[rel])
    text = extracted.rendition.text
    assert len(rows) == len(extracted.findings)
    for row in rows:
        assert row["quote"] == text[row["start"] : row["end"]]
        assert row["cue"], row
        assert row["inspection_type"] == "focused_visit" and row["gss"] == "E08000037"
    by_start = {f.start: f for f in extracted.findings}
    assert {r["polarity"] for r in rows} == {f.polarity for f in extracted.findings}
    for row in rows:
        assert row["polarity"] == by_start[row["start"]].polarity
    weak = cli_run(
        "findings",
        "--la",
        "Gateshead",
        "--polarity",
        "weakness,mixed",
        "--jsonl",
        "--store",
        mini_store,
    ).output.splitlines()
    assert len(weak) == sum(f.polarity in ("weakness", "mixed") for f in extracted.findings)


def test_extract_many_files_as_csv(mini_corpus, cli_run, tmp_path):
    out = tmp_path / "findings.csv"
    result = cli_run("extract", mini_corpus, "--format", "csv", "--out", out)
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(out.open(encoding="utf-8")))
    manifest = read_manifest(mini_corpus / "manifest.csv")
    expected = {
        rel: len(extract(mini_corpus / rel, manifest_row=row).findings)
        for rel, row in manifest.items()
    }
    assert len(rows) == sum(expected.values())
    assert {r["la"] for r in rows} == {"Gateshead", "Sunderland"}
    assert all(r["polarity_cue"] and int(r["end"]) > int(r["start"]) for r in rows)
    lines = cli_run("extract", *sorted(mini_corpus.rglob("*.txt"))).output.splitlines()
    kinds = [json.loads(line)["kind"] for line in lines]
    assert kinds.count("document") == 2 and kinds.count("finding") == len(rows)
    assert cli_run("extract", tmp_path / "missing").exit_code == 2


# ------------------------------------------------------------------ release and load


def _digest(path, kind="oxigraph"):
    from inspectgraph.graph.stores import open_store

    with open_store(path, kind=kind, read_only=kind == "oxigraph") as store:
        return store.digest()


@pytest.fixture(scope="module")
def bundled_release(built_store_dir, tmp_path_factory):
    """One release of the bundled store for the module (a release is written once and only
    read): (release folder, its result, the store's digest)."""
    from click.testing import CliRunner

    from inspectgraph.cli.main import cli

    release = tmp_path_factory.mktemp("release") / "release"
    args = ["release", "--store", str(built_store_dir), "--out", str(release), "--version", "1.0"]
    result = CliRunner().invoke(cli, args, catch_exceptions=False)
    return release, result, _digest(built_store_dir)


@pytest.mark.slow  # two seconds or more: the full suite only
def test_release_then_load_gives_the_same_store(
    cli_run, built_store_dir, bundled_release, tmp_path
):
    release, result, digest = bundled_release
    assert result.exit_code == 0, result.output
    names = {p.name for p in release.iterdir()}
    assert names == {
        "graph.nq.gz",
        "findings.csv.gz",
        "grades.csv",
        "description.ttl",
        "datapackage.json",
        "CITATION.cff",
        "SHA256SUMS",
    }
    package = json.loads((release / "datapackage.json").read_text())
    assert package["version"] == "1.0"
    assert package["inspectgraph"]["store_digest"] == digest
    assert {r["path"] for r in package["resources"]} == names - {
        "datapackage.json",
        "CITATION.cff",
        "SHA256SUMS",
    }
    assert 'version: "1.0"' in (release / "CITATION.cff").read_text()
    loaded = tmp_path / "loaded"
    result = cli_run("load", release, "--store", loaded)
    assert result.exit_code == 0, result.output
    assert _digest(loaded) == digest
    # a release folder is written once
    again = cli_run("release", "--store", built_store_dir, "--out", release)
    assert again.exit_code == 2 and "not an empty folder" in again.output
    assert {p.name for p in release.iterdir()} == names


@pytest.mark.slow  # the fast tier loads a release into the default backend (above)
def test_a_release_loads_into_the_memory_store(cli_run, bundled_release, tmp_path):
    release, _, digest = bundled_release
    loaded = tmp_path / "loaded-memory"
    result = cli_run("load", release, "--store", loaded, "--memory")
    assert result.exit_code == 0, result.output
    assert _digest(loaded, "memory") == digest


@pytest.mark.slow
def test_load_refuses_a_damaged_release_and_leaves_the_store(
    cli_run, built_store_dir, bundled_release, tmp_path
):
    release = tmp_path / "release"
    shutil.copytree(bundled_release[0], release)
    grades = release / "grades.csv"
    grades.write_text(grades.read_text().replace("inadequate", "outstanding", 1))
    target = tmp_path / "target"
    shutil.copytree(built_store_dir, target)  # a store holding data: the bundled build
    before = bundled_release[2]
    result = cli_run("load", release, "--store", target)
    assert result.exit_code == 2 and "grades.csv" in result.output and "damaged" in result.output
    assert _digest(target) == before
    (release / "SHA256SUMS").unlink()
    assert cli_run("load", release, "--store", target).exit_code == 2


@pytest.mark.slow  # two seconds or more: the full suite only
def test_release_of_corpus_letters_round_trips(mini_store, cli_run, tmp_path):
    import gzip

    release = tmp_path / "release"
    assert cli_run("release", "--store", mini_store, "--out", release).exit_code == 0
    with gzip.open(release / "findings.csv.gz", "rt", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    quoted = [r for r in rows if r["quote"]]
    assert quoted and all(int(r["end"]) - int(r["start"]) == len(r["quote"]) for r in quoted)
    loaded = tmp_path / "loaded"
    assert cli_run("load", release, "--store", loaded, "-q").exit_code == 0
    assert _digest(loaded) == _digest(mini_store)


@pytest.mark.slow  # two seconds or more: the full suite only
@pytest.mark.parametrize("which", ["built_store_dir", "mini_store"])
def test_streamed_release_equals_the_tables_written_whole(which, request, tmp_path):
    """The release streams its files: the findings table a page of inspections at a time
    (here an inspection a page), the graph as it is dumped, each sum as it is written.
    Its findings.csv.gz is byte for byte the table written whole, as the release wrote
    it before; datapackage.json's sizes and hashes and SHA256SUMS match the files."""
    import gzip
    import hashlib
    import io

    import inspectgraph.analysis.findings as findings
    from inspectgraph.graph.stores import open_store
    from inspectgraph.linking.release import load_release, verify_release, write_release

    with open_store(request.getfixturevalue(which), read_only=True) as store:
        whole = findings.findings_rows(store)
        assert list(findings.findings_pages(store, page=1)) == whole
        assert len({r["inspection"] for r in whole}) > 1  # so, several pages
        text = io.StringIO()
        writer = csv.writer(text, lineterminator="\n")
        writer.writerow(findings.FINDING_COLUMNS)
        for r in whole:
            writer.writerow(
                [
                    "; ".join(v) if isinstance(v, list) else ("" if v is None else v)
                    for v in r.values()
                ]
            )
        before = gzip.compress(text.getvalue().encode("utf-8"), mtime=0)
        digest = store.digest()
        release = tmp_path / "release"
        findings_page = findings.PAGE
        try:
            findings.PAGE = 1
            write_release(store, release)
        finally:
            findings.PAGE = findings_page
    assert (release / "findings.csv.gz").read_bytes() == before
    sums = verify_release(release)
    package = json.loads((release / "datapackage.json").read_text())
    for resource in package["resources"]:
        data = (release / resource["path"]).read_bytes()
        assert resource["bytes"] == len(data)
        assert resource["hash"] == f"sha256:{hashlib.sha256(data).hexdigest()}"
        assert sums[resource["path"]] == hashlib.sha256(data).hexdigest()
    assert package["inspectgraph"]["store_digest"] == digest
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".")]  # no work folder left
    with open_store(tmp_path / "loaded") as loaded:
        load_release(loaded, release)
        assert loaded.digest() == digest


@pytest.mark.slow
def test_digest_spilled_in_sorted_runs_equals_the_digest_in_memory(built_store_dir, monkeypatch):
    """The digest sorts its lines in runs spilled to disk and merged: the same value as
    one sort in memory, with lines holding newlines (long quotes) and non-ASCII text."""
    import hashlib

    import inspectgraph.graph.stores.base as base
    from inspectgraph.graph.stores import open_store

    lines = [
        '<a> <b> """x\ny""" .',
        '<a> <b> "\u00e9" .',
        '<a> <b> "z" .',
        '<a> <b> "\U0001f600" .',
    ] * 3
    whole = hashlib.sha256("".join(f"{x}\n" for x in sorted(lines)).encode()).hexdigest()
    assert base.sorted_digest(lines, run=2) == base.sorted_digest(lines) == whole
    with open_store(built_store_dir, read_only=True) as store:
        in_memory = store.digest()
        monkeypatch.setattr(base, "DIGEST_RUN", 1000)
        import inspectgraph.graph.stores.oxigraph as oxigraph

        monkeypatch.setattr(
            oxigraph, "sorted_digest", lambda lines: base.sorted_digest(lines, 1000)
        )
        assert len(store) > 3000 and store.digest() == in_memory


def test_every_command_that_reads_a_store_takes_all_store_options():
    from inspectgraph.cli.main import cli

    def commands(group, prefix=()):
        for name, command in group.commands.items():
            if hasattr(command, "commands"):
                yield from commands(command, (*prefix, name))
            else:
                yield (*prefix, name), command

    checked = 0
    for path, command in commands(cli):
        names = {p.name for p in command.params}
        if "store_path" in names and path != ("serve",):  # serve serves a local store
            assert {"memory", "store_endpoint"} <= names, path
            checked += 1
    assert checked >= 12
