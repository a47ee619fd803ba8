"""The bundled graphs change only when their data, the ontology or MAPPING_VERSION does.

The store records a fingerprint of what made the bundled graphs (``dcterms:hasVersion``);
``build`` rewrites them only when it changes. The fingerprint hashes the data and a declared
mapping version rather than the mapping's source, so moving code changes neither it nor the
store's digest -- and a change to what the mapping writes must raise the version, or stores
built before it would keep the old graphs. This test holds the record of both."""

from __future__ import annotations

import hashlib
from importlib import resources
from pathlib import Path

from rdflib import DCTERMS

from inspectgraph.graph.bundled import (
    BUNDLED_DATA,
    MAPPING_VERSION,
    OUTCOMES_GRAPH,
    REGISTRY_GRAPH,
    bundled_fingerprint,
)
from inspectgraph.graph.stores.base import digest_of

RECORD = Path(__file__).parent / "data" / "bundled-graphs.txt"


def _record() -> dict[str, str]:
    lines = RECORD.read_text(encoding="utf-8").splitlines()
    return dict(line.split(" ", 1) for line in lines if line and not line.startswith("#"))


def _data_digest() -> str:
    h = hashlib.sha256()
    for part in BUNDLED_DATA:
        h.update(resources.files("inspectgraph").joinpath(part).read_bytes())
    return h.hexdigest()[:16]


def test_the_mapped_graphs_change_only_with_their_data_or_the_mapping_version(bundled_stores):
    store = bundled_stores["oxigraph"]
    mapped = digest_of(
        q
        for q in store.quads()
        if q[3] in (REGISTRY_GRAPH, OUTCOMES_GRAPH) and q[1] != DCTERMS.hasVersion
    )[:16]
    now = {"mapping_version": MAPPING_VERSION, "data": _data_digest(), "graphs": mapped}
    record = _record()
    if now["graphs"] != record["graphs"] and now["data"] == record["data"]:
        assert now["mapping_version"] != record["mapping_version"], (
            "the mapping code changed what it writes into the bundled graphs: raise "
            "MAPPING_VERSION in graph/bundled.py, then record the new values in " + str(RECORD)
        )
    assert now == record, f"update {RECORD} to {now}"


def test_the_fingerprint_is_what_the_store_records(bundled_stores):
    store = bundled_stores["oxigraph"]
    versions = {
        str(o) for s, p, o, g in store.quads() if p == DCTERMS.hasVersion and s == REGISTRY_GRAPH
    }
    assert versions == {bundled_fingerprint()}


def test_a_pass_of_the_bundled_graphs_is_remembered_and_only_a_pass(tmp_path, monkeypatch):
    """validate_bundled remembers "conforms" in the cache folder, so a later process skips the
    SHACL engine; a failure is never remembered, and "off" remembers nothing."""
    from rdflib import Graph, Literal, URIRef

    from inspectgraph.errors import ValidationFailed
    from inspectgraph.graph import bundled

    calls = []

    def fake_validate(graph):
        calls.append(len(graph))
        return verdict

    monkeypatch.setattr(bundled, "validate_graph", fake_validate)
    monkeypatch.setattr(bundled, "_VALIDATED", set())  # as in a new process
    monkeypatch.setenv("INSPECTGRAPH_CACHE", str(tmp_path / "cache"))
    graph = Graph()
    graph.add((URIRef("urn:x:a"), URIRef("urn:x:p"), Literal("v")))

    verdict = ["a violation"]
    try:
        bundled.validate_bundled({REGISTRY_GRAPH: graph})
    except ValidationFailed as failure:
        assert "breaks the shapes" in str(failure)
    else:
        raise AssertionError("a violation must fail")
    assert not (tmp_path / "cache").exists()  # nothing remembered of a failure

    verdict = []
    bundled.validate_bundled({REGISTRY_GRAPH: graph})
    assert len(list((tmp_path / "cache" / "validated").glob("*.ok"))) == 1
    monkeypatch.setattr(bundled, "_VALIDATED", set())
    bundled.validate_bundled({REGISTRY_GRAPH: graph})
    assert len(calls) == 2  # the second process read the marker
    bundled.validate_bundled({REGISTRY_GRAPH: graph, OUTCOMES_GRAPH: graph})
    assert len(calls) == 3  # other graphs: another verdict

    monkeypatch.setenv("INSPECTGRAPH_CACHE", "off")
    monkeypatch.setattr(bundled, "_VALIDATED", set())
    bundled.validate_bundled({REGISTRY_GRAPH: graph})
    assert len(calls) == 4 and bundled.cache_dir() is None
