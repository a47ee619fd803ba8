import re

import pytest
from rdflib import URIRef
from test_demo import readme_demo_output

from inspectgraph.errors import InputError, ValidationFailed
from inspectgraph.graph.build import build
from inspectgraph.graph.bundled import ONTOLOGY_GRAPH
from inspectgraph.model.records import RecordsError
from inspectgraph.ontology import ID

MINI_GRAPH = ID["graph/mini"]


def write(tmp_path, name, text):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.slow  # two seconds or more: the full suite only
def test_build_is_deterministic_and_idempotent(new_store, mini):
    digests = set()
    for run in range(2):
        with new_store(f"s{run}") as store:
            r1 = build(store, [mini])
            r2 = build(store, [mini])
            assert r1.digest == r2.digest and r1.triples == r2.triples
            digests.add(r1.digest)
    assert len(digests) == 1


@pytest.mark.slow  # every backend
def test_backends_hold_identical_graphs(bundled_stores):
    digests = {kind: store.digest() for kind, store in bundled_stores.items()}
    assert len(set(digests.values())) == 1, digests
    # the value recorded before issue 18's work: the demo's build is the bundled data
    recorded = re.search(r"\(digest ([0-9a-f]{16})\)", readme_demo_output()).group(1)
    assert digests["oxigraph"][:16] == recorded


def test_one_named_graph_per_source_and_the_ontology(bundled_store):
    names = bundled_store.graph_names()
    assert ID["graph/sunderland"] in names and ONTOLOGY_GRAPH in names


def test_instance_iris_come_from_identifiers(bundled_store):
    rows = bundled_store.query(
        "SELECT ?i WHERE { ?i a <https://w3id.org/inspectgraph/def/Inspection> }"
    ).rows
    iris = {str(i) for (i,) in rows}
    assert all(i.startswith(str(ID) + "inspection/") for i in iris)
    assert not any(i[-1].isdigit() and "/_" in i for i in iris)
    assert not bundled_store.query("ASK { ?s ?p ?o FILTER(isBlank(?s) || isBlank(?o)) }").boolean


@pytest.mark.slow
def test_rebuilding_a_source_replaces_exactly_its_triples(tmp_path, bundled_copy, mini):
    text = mini.read_text()
    with bundled_copy() as store:  # the bundled Sunderland case, as build(store) leaves it
        sunderland = {q for q in store.quads() if q[3] == ID["graph/sunderland"]}
        build(store, [mini])
        changed = write(
            tmp_path,
            "mini.yaml",
            text.replace("Police send too little.", "Police send far too little."),
        )
        build(store, [changed])
        after = list(store.quads())  # one scan for both graphs
        mini_quads = [q for q in after if q[3] == MINI_GRAPH]
        assert any("far too little" in str(q[2]) for q in mini_quads)
        assert not any(str(q[2]) == "Police send too little." for q in mini_quads)
        assert {q for q in after if q[3] == ID["graph/sunderland"]} == sunderland


@pytest.mark.slow
def test_bad_input_leaves_the_store_unchanged(tmp_path, new_store, mini):
    with new_store() as store:
        build(store, [mini])
        before = store.digest()
        bad = write(tmp_path, "bad.yaml", mini.read_text().replace("type: police", "type: polis"))
        with pytest.raises(RecordsError, match=r"bad.yaml: .*unknown agency-types key 'polis'"):
            build(store, [mini, bad])  # the good file must not be written either
        assert store.digest() == before
        with pytest.raises(InputError, match="is a directory"):
            build(store, [tmp_path])
        with pytest.raises(InputError, match="no such file"):
            build(store, [tmp_path / "nope.yaml"])
        assert store.digest() == before


@pytest.mark.slow
def test_shacl_gate_rejects_what_the_record_checks_let_through(tmp_path, new_store, mini):
    """A record that passes the YAML checks but breaks a shape (here: a GSS code of the
    wrong form) is refused with exit code 1 and nothing written."""
    bad = write(tmp_path, "gss.yaml", mini.read_text().replace("E08000099", "X123"))
    with new_store() as store:
        with pytest.raises(ValidationFailed) as info:
            build(store, [bad])
        assert info.value.exit_code == 1
        assert "gssCode" in info.value.report
        assert len(store) == 0


def test_sources_may_refer_to_agencies_already_in_the_store(tmp_path, bundled_copy):
    with bundled_copy() as store:  # the bundled data, as build(store) leaves it
        extra = write(
            tmp_path,
            "extra.yaml",
            """
format: inspectgraph-records/1
inspections:
  - id: sunderland-2030-fv
    la: sunderland-city-council
    type: focused_visit
    documents: [{id: letter, title: A later letter, published: 2030-01-01}]
findings:
  - {id: f, inspection: sunderland-2030-fv, polarity: strength, themes: [assessment],
     agencies: [together-for-children], summary: Assessments are thorough.}
""",
        )
        build(store, [extra])
        assert URIRef(ID["graph/extra"]) in store.graph_names()


@pytest.mark.slow
def test_rdf_files_are_sources_too(new_store, tmp_path, kind):
    ttl = write(
        tmp_path,
        "extra-agency.ttl",
        """
@prefix org: <http://www.w3.org/ns/org#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
<https://w3id.org/inspectgraph/id/agency/gateshead-council> a org:Organization ;
    rdfs:label "Gateshead Council" ;
    org:classification <https://w3id.org/inspectgraph/def/agency-type/local_authority> ;
    rdfs:seeAlso [ rdfs:label "a blank node, skolemized" ] .
""",
    )
    with new_store("s") as store:
        first = build(store, [ttl]).digest
        assert build(store, [ttl]).digest == first
        assert ID["graph/extra-agency"] in store.graph_names()
        assert not store.query("ASK { ?s ?p ?o FILTER(isBlank(?s) || isBlank(?o)) }").boolean
        bad = write(tmp_path, "broken.ttl", "<http://e/a> <http://e/p> .")
        with pytest.raises(InputError, match=r"broken.ttl: malformed turtle"):
            build(store, [bad])
        invalid = write(
            tmp_path,
            "nolabel.ttl",
            "<https://w3id.org/inspectgraph/id/agency/x> a "
            "<http://www.w3.org/ns/org#Organization> .",
        )
        with pytest.raises(ValidationFailed, match="non-empty rdfs:label"):
            build(store, [invalid])
        assert store.digest() == first


def test_the_build_s_memory_figure_counts_its_child_processes():
    """The process tree's peak (the extraction workers' memory) is found from the children
    files of /proc, the same processes a scan of every process finds."""
    import os
    import subprocess
    import sys

    from inspectgraph.graph.buildmemory import children_of, parents_by_scan, tree_rss_mb

    if not os.path.isdir("/proc/self/task"):
        pytest.skip("no /proc (the figure is not measured there)")
    before = tree_rss_mb(os.getpid())
    child = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import sys; x = b'x' * (64 << 20); print('ready'); sys.stdin.read()",
        ],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert child.stdout.readline() == "ready\n"
        assert child.pid in parents_by_scan()[os.getpid()]
        found = children_of(os.getpid())
        assert found is None or child.pid in found  # None: a kernel without the files
        assert tree_rss_mb(os.getpid()) - before > 60
    finally:
        child.communicate("")
