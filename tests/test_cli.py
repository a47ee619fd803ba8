import csv
import io
import json

import click
import pytest

from inspectgraph.cli.main import cli


def all_commands(group=cli, prefix=()):
    for name, command in sorted(group.commands.items()):
        yield (*prefix, name), command
        if isinstance(command, click.Group):
            yield from all_commands(command, (*prefix, name))


@pytest.mark.parametrize("path, command", list(all_commands()), ids=lambda v: str(v))
def test_every_command_has_help_with_an_example(cli_run, path, command):
    result = cli_run(*path, "--help")
    assert result.exit_code == 0
    assert command.help and len(command.help.strip()) > 20
    if not isinstance(command, click.Group):
        assert "Example" in command.help, f"{path}: add an example to the docstring"


def test_version_and_module_entry_point():
    import subprocess
    import sys

    out = subprocess.run(
        [sys.executable, "-m", "inspectgraph", "--version"],
        capture_output=True,
        text=True,
        check=True,
    )
    assert out.stdout.strip() == "inspectgraph, version 0.1.0"


def test_queries_lists_every_named_query(cli_run):
    result = cli_run("queries", "--json")
    names = {row["name"] for row in json.loads(result.output)}
    assert {"partnerships", "agencies", "judgement-history"} <= names


@pytest.mark.parametrize("fmt", ["table", "csv", "tsv", "json"])
def test_query_output_formats(cli_run, built_store_dir, fmt):
    result = cli_run(
        "query",
        "partnerships",
        "-p",
        "la",
        "Sunderland",
        "--format",
        fmt,
        "--store",
        built_store_dir,
    )
    assert result.exit_code == 0, result.output
    out = result.output
    if fmt == "json":
        rows = json.loads(out)
        assert rows[0]["aLabel"] == "Northumbria Police" and isinstance(rows[0]["findings"], int)
    elif fmt in ("csv", "tsv"):
        rows = list(csv.DictReader(io.StringIO(out), delimiter="," if fmt == "csv" else "\t"))
        assert rows[0]["bLabel"] == "Together for Children"
    else:
        assert out.splitlines()[2].split()[0] == "id:agency/northumbria-police"


def test_query_from_file_and_stdin(cli_run, built_store_dir, tmp_path):
    rq = tmp_path / "count.rq"
    rq.write_text(
        "# title: count\n# param: type string -- agency type\n"
        "PREFIX org: <http://www.w3.org/ns/org#>\n"
        "PREFIX skos: <http://www.w3.org/2004/02/skos/core#>\n"
        "SELECT (COUNT(?a) AS ?n) WHERE { ?a org:classification/skos:notation ?type }\n"
        "ORDER BY ?n\n"
    )
    result = cli_run("query", rq, "-p", "type", "police", "--json", "--store", built_store_dir)
    # the bundled registry lists England's 39 territorial police forces
    assert json.loads(result.output) == [{"n": 39}]
    result = cli_run(
        "query",
        "-",
        "--csv",
        "--store",
        built_store_dir,
        input="ASK { ?s a <https://w3id.org/inspectgraph/def/Finding> }",
    )
    assert result.output.splitlines() == ["result", "True"]


def test_query_errors_are_one_line_with_exit_2(cli_run, built_store_dir):
    result = cli_run("query", "nope", "--store", built_store_dir)
    assert result.exit_code == 2
    assert result.output.strip().startswith("Error: unknown query 'nope'; known:")
    result = cli_run(
        "query", "partnerships", "-p", "min_inspections", "x", "--store", built_store_dir
    )
    assert result.exit_code == 2 and "expected an integer" in result.output


def test_partnerships_json_interface(cli_run, built_store_dir):
    result = cli_run(
        "partnerships",
        "--la",
        "Sunderland",
        "--min-inspections",
        "2",
        "--format",
        "json",
        "--store",
        built_store_dir,
    )
    rows = json.loads(result.output)
    assert rows[0]["agencies"] == ["Northumbria Police", "Together for Children"]
    for row in rows:
        assert {"agencies", "findings", "inspections"} <= set(row)
        assert row["inspections"] >= 2
    result = cli_run(
        "partnerships",
        "--min-inspections",
        "1",
        "--polarity",
        "weakness",
        "--json",
        "--store",
        built_store_dir,
    )
    assert len(json.loads(result.output)) >= len(rows)


def test_partnerships_rejects_unknown_polarity(cli_run, built_store_dir):
    result = cli_run("partnerships", "--polarity", "bad", "--store", built_store_dir)
    assert result.exit_code == 2 and "--polarity" in result.output


@pytest.mark.slow
def test_build_validate_and_bad_input(cli_run, tmp_path, mini):
    store = tmp_path / "s"
    result = cli_run("build", mini, "--store", store)
    assert result.exit_code == 0, result.output
    assert cli_run("validate", "--store", store).exit_code == 0
    bad = tmp_path / "bad.yaml"
    bad.write_text("format: inspectgraph-records/1\nagencies: [{id: a, label: A, type: polis}]\n")
    result = cli_run("build", bad, "--store", store)
    assert result.exit_code == 2
    [line] = result.output.strip().splitlines()
    assert line.startswith(f"Error: {bad}: agencies[0] (a): unknown agency-types key 'polis'")


def test_validate_reports_violations_with_exit_1(cli_run, tmp_path):
    import pyoxigraph as ox

    store = tmp_path / "s"
    s = ox.Store(str(store))
    s.update(
        "INSERT DATA { GRAPH <https://w3id.org/inspectgraph/id/graph/x> {"
        " <https://w3id.org/inspectgraph/id/agency/a> a <http://www.w3.org/ns/org#Organization> } }"
    )
    del s
    result = cli_run("validate", "--store", store)
    assert result.exit_code == 1
    assert "agency needs exactly one non-empty rdfs:label" in result.output


@pytest.mark.slow
def test_memory_backend_from_the_command_line(cli_run, tmp_path):
    store = tmp_path / "m"
    assert cli_run("build", "--memory", "--store", store).exit_code == 0
    assert (store / "store.nq").exists()
    result = cli_run("partnerships", "--memory", "--store", store, "--json")
    assert json.loads(result.output)[0]["agencies"] == [
        "Northumbria Police",
        "Together for Children",
    ]


def test_missing_store_is_a_clear_error(cli_run, tmp_path):
    result = cli_run("query", "agencies", "--store", tmp_path / "none")
    assert result.exit_code == 2 and "no store here" in result.output


@pytest.mark.slow
def test_a_regular_install_carries_every_module_and_data_file(tmp_path):
    """Build a wheel and check it holds every subpackage and data file under inspectgraph/
    (an editable install would hide a package missing from pyproject)."""
    import subprocess
    import sys
    import zipfile
    from pathlib import Path

    repo = Path(__file__).resolve().parent.parent
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(tmp_path), str(repo)],
        check=True,
    )
    [wheel] = tmp_path.glob("inspectgraph-*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    for sub in (
        "analysis",
        "cli",
        "endpoint",
        "endpoint/site",
        "extract",
        "graph",
        "graph/stores",
        "linking",
        "model",
        "ontology",
        "queries",
        "sources",
        "viz",
    ):
        assert f"inspectgraph/{sub}/__init__.py" in names, sub
    for data in (
        "inspectgraph/data/sunderland.yaml",
        "inspectgraph/data/outcomes.csv",
        "inspectgraph/ontology/shapes.ttl",
        "inspectgraph/queries/partnerships.rq",
    ):
        assert data in names, data
    assert not any(
        n.startswith(
            (
                "analysis/",
                "cli/",
                "endpoint/",
                "extract/",
                "graph/",
                "linking/",
                "model/",
                "ontology/",
                "queries/",
                "sources/",
                "tests/",
                "tools/",
                "viz/",
            )
        )
        for n in names
    )
    assert not any(n.startswith(("inspectgraph/tools/", "inspectgraph/tests/")) for n in names)
