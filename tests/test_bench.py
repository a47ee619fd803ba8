"""The synthetic generator and a smoke run of the benchmark (size S-, one repetition).

The benchmark's own figures are never asserted here: speed is checked by `make bench`
against baselines measured in the same run, not by timed unit tests."""

import json
import re
from collections import defaultdict

import pytest
from rdflib import Graph

from inspectgraph.graph.shacl import validate_graph
from inspectgraph.ontology import concept_keys
from tools import bench, benchreport
from tools.synthetic import N_LAS, N_POLICE, generate


@pytest.mark.slow
def test_synthetic_graphs_are_seeded_and_sized():
    a, b, c = generate(20_000, seed=3), generate(20_000, seed=3), generate(20_000, seed=4)
    assert a.digest() == b.digest() != c.digest()
    assert 20_000 <= a.triples < 21_000
    assert a.summary()["las"] == N_LAS == 153


@pytest.mark.slow
def test_synthetic_graphs_have_the_shape_of_the_real_one():
    data = generate(60_000, seed=1)
    police_las = defaultdict(set)
    themes = set()
    for records in data.records:
        for finding in records.findings:
            themes.update(finding.themes)
            for agency in finding.agencies:
                if agency.startswith("synthetic-police-"):
                    police_las[agency].add(records.source)
    assert len(police_las) > N_POLICE // 2
    assert max(len(las) for las in police_las.values()) >= 2  # forces shared across LAs
    assert themes <= set(concept_keys("themes")) and len(themes) >= 20
    quoted = [f for r in data.records for f in r.findings if f.quote]
    assert quoted and all(f.quote.end - f.quote.start == len(f.quote.exact) for f in quoted)


@pytest.mark.slow
def test_synthetic_graphs_pass_the_shapes():
    data = generate(12_000, seed=2)
    g = Graph()
    for s, p, o, _ in data.quads():
        g.add((s, p, o))
    assert validate_graph(g) == []


@pytest.mark.slow
def test_bench_smoke_run(tmp_path, monkeypatch, mini_corpus):
    # the corpus row builds a corpus folder; two letters here (the whole corpus: test_national).
    # 7,000 triples: the 6,212 every synthetic graph has (authorities, agencies, ontology) and
    # five inspections, 61 findings: every backend loads, queries and analyses real rows (the
    # rdflib and memory backends' load and queries were most of this test at 12,000)
    monkeypatch.setenv("INSPECTGRAPH_CORPUS", str(mini_corpus))
    out, raw = tmp_path / "bench.md", tmp_path / "bench.json"
    assert (
        bench.main(["--sizes", "7000", "--reps", "1", "--out", str(out), "--json", str(raw)]) == 0
    )
    report = out.read_text()
    results = json.loads(raw.read_text())["results"]["7000"]["backends"]
    assert [r["backend"] for r in results] == bench.BACKENDS
    assert not [r for r in results if "error" in r], results
    for backend in bench.BACKENDS:
        assert f"| {backend} |" in report
    for column in (
        "load ×rdflib",
        "partnerships ×rdflib",
        "partnerships ÷pyoxigraph",
        "peak RSS",
        "### Machine",
        "### Targets (default store)",
        "### The development corpus",
    ):
        assert column in report
    assert re.search(r"2 letters and reports, [\d,]+ findings", report), report
    assert len({r["incidence_rows"] for r in results}) == 1  # every backend, the same rows
    assert results[0]["incidence_rows"] > 0 and results[0]["edges"] > 0  # rows to analyse
    assert "+ server" in report  # the remote server's memory is counted too


def test_report_replaces_only_its_own_section(tmp_path):
    doc = tmp_path / "benchmarks.md"
    benchreport.write_report(doc, "first")
    doc.write_text("# Benchmarks\n\nIntro.\n\n" + doc.read_text() + "\nDiscussion.\n")
    benchreport.write_report(doc, "second")
    text = doc.read_text()
    assert "Intro." in text and "Discussion." in text and "second" in text
    assert "first" not in text


def test_the_national_section_has_its_own_markers(tmp_path):
    doc = tmp_path / "benchmarks.md"
    benchreport.write_report(doc, "synthetic")
    benchreport.write_report(doc, "national one", benchreport.NATIONAL_MARKERS)
    benchreport.write_report(doc, "national two", benchreport.NATIONAL_MARKERS)
    benchreport.write_report(doc, "synthetic again")
    text = doc.read_text()
    assert "synthetic again" in text and "national two" in text
    assert "national one" not in text and "synthetic\n" not in text


def test_the_national_bench_reads_the_baseline_queries():
    """The national section compares with the queries as written before #16."""
    from inspectgraph import queries
    from tools import benchnationalcases

    for name, values in benchnationalcases.CASES:
        old = benchnationalcases.baseline_query(name)
        assert "LCASE" in old.text or "STR(" in old.text, name  # the text of the baseline
        old.bindings(values), queries.get(name).prepare(values)  # both take the parameters
    assert {n for n, _ in benchnationalcases.CASES} == {
        n for n, q in queries.registry().items() if not q.network
    }


@pytest.mark.slow
def test_the_national_bench_runs_another_commits_own_code_as_before(
    built_store_dir, tmp_path, monkeypatch
):
    """``--baseline COMMIT``: *before* is that commit's own code, run from a checkout of it
    (here HEAD, so both sides give the same rows)."""
    from tools import benchnationalcases

    if not (benchnationalcases.REPO / ".git").exists():
        pytest.skip("not in a git checkout")
    monkeypatch.setattr(
        benchnationalcases, "BASELINE_TREE", benchnationalcases.checkout("HEAD", tmp_path)
    )
    values = {"la": "Sunderland"}
    sides = {"before": "query-before", "after": "query-after"}
    m = benchnationalcases._alternate_children(
        sides, built_store_dir, "finding-agencies", values, 1, 60.0, 60.0
    )
    assert m["results"]["before"] == m["results"]["after"] != []


@pytest.mark.slow  # starts both servers
def test_load_test_smoke_run(built_store_dir, tmp_path):
    """Both servers take the mix; ours answers completely or with a clean time-limit error.
    (The figures themselves are `make bench`'s business.) A client waits 6 s at most, three
    times the time limit: ours answers 503 at the limit, and Oxigraph's server, which does
    not stop the mix's cross join at its limit, is not waited for the benchmark's 36 s (the
    cross join alone, then the clients' last requests, were most of this test's time). The
    clients send for 2 s (3 s before): each server still answers a score of requests under
    load, every server's CPU-bound second of the window spared."""
    from tools.loadtest import load_test, render_load

    result = load_test(
        built_store_dir, tmp_path, clients=4, seconds=2, time_limit=2, patience=6, say=str
    )
    ours = result["servers"]["inspectgraph serve"]
    assert ours["answer"] > 0 and ours["error"] == ours["truncated"] == ours["wrong"] == 0
    assert set(result["servers"]) == {"inspectgraph serve", "oxigraph serve-read-only"}
    assert result["expected"]["local-authorities, national"] > 100  # the bundled history
    table = render_load(result)
    assert "| inspectgraph serve |" in table and "| p95 vs oxigraph |" in table
    assert ours["limit_kills"] == 0 and "killed past the memory limit" in table  # 4 clients


def test_crash_table_and_its_block(tmp_path):
    from tools.benchdurable import END, START, render_crash, write_block

    trial = {
        "seconds": 9.5,
        "phase": "writing",
        "killed": True,
        "triples": 10,
        "verdict": "as before",
    }
    table = render_crash(
        {"after": {"before": 10, "after": 20, "build_seconds": 30.0, "trials": [trial]}}
    )
    assert "| after | 9.5 | writing | 10 | as before |" in table
    doc = tmp_path / "b.md"
    doc.write_text("# Benchmarks\n\nprose\n")
    write_block(doc, table)
    write_block(doc, "second")
    text = doc.read_text()
    assert text.startswith("# Benchmarks\n\nprose\n") and text.count(START) == 1
    assert text.split(START)[1].split(END)[0].strip() == "second"


def test_national_table_shows_runs_past_the_limit():
    """A baseline stopped at the time limit is shown as such, with a lower bound of the
    speed-up, and its rows are not claimed to be the same."""
    from tools.benchnationalreport import render_national

    def m(before, after, same, **more):
        return {"before": before, "before_n": 1 if before else 0, "before_over": before is None,
                "before_cpu": None, "after": after, "after_n": 3, "after_over": False,
                "after_cpu": after / 2, "limit": 60.0, "same": same, **more}  # fmt: skip

    results = {
        "store": "s",
        "limit": 60.0,
        "triples": 10,
        "queries": [
            m(None, 0.5, None, query="finding-agencies", params={"la": "X"}, rows=5),
            m(4.0, 2.0, True, query="agencies", params={}, rows=7),
        ],
    }
    text = render_national(results, {})
    assert (
        "| finding-agencies | la=X | 5 | > 60 s | 500 ms | > 120× | 250 ms | not compared | yes |"
        in text
    )
    assert (
        "| agencies | (defaults) | 7 | 4.00 s (n=1) | 2.00 s | 2.0× | 1.00 s | yes | yes |" in text
    )
