"""`inspectgraph serve --endpoint URL`: a real `oxigraph serve` holding the demo data,
served through our endpoint and site, answers as the same data served from a local store."""

from __future__ import annotations

import csv
import io
import json
import urllib.error
import urllib.parse
import urllib.request

import pyoxigraph as ox
import pytest
from rdflib import Graph

from inspectgraph.endpoint.serve import Endpoint, EndpointConfig
from inspectgraph.errors import StoreError
from inspectgraph.graph.stores import open_store

FINDINGS = (
    "SELECT ?f ?d WHERE { ?f a <https://w3id.org/inspectgraph/def/Finding> ; "
    "<http://purl.org/dc/terms/description> ?d } ORDER BY ?f"
)


def http(url, *, data=None, accept="*/*"):
    request = urllib.request.Request(url, data=data, headers={"Accept": accept})
    try:
        with urllib.request.urlopen(request, timeout=120) as r:
            return r.status, r.headers["Content-Type"], r.read()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.headers["Content-Type"], exc.read()


def sparql(base, query, accept):
    return http(
        base + "/sparql", data=urllib.parse.urlencode({"query": query}).encode(), accept=accept
    )


@pytest.fixture(scope="module")
def remote_url(built_store_dir, oxigraph_servers):
    """A real `oxigraph serve` (default graph not the union) holding the demo store's quads."""
    server = oxigraph_servers.acquire()
    quads = ox.Store.read_only(str(built_store_dir)).dump(format=ox.RdfFormat.N_QUADS)
    with open_store(server.query_url, kind="remote") as store:
        store.load(quads)
    yield server.query_url
    oxigraph_servers.release(server)


@pytest.fixture(scope="module")
def both(built_store_dir, remote_url):
    config = EndpointConfig(memory_limit=0, memory_budget=0, timeout=60)
    with (
        Endpoint(built_store_dir, config=config) as local,
        Endpoint(
            remote_url,
            kind="remote",
            config=EndpointConfig(memory_limit=0, memory_budget=0, timeout=60),
        ) as remote,
    ):
        yield local, remote


def test_sparql_answers_as_over_the_local_store(both):
    local, remote = both
    assert remote.triples == local.triples
    for accept in ("text/csv", "application/sparql-results+json", "text/tab-separated-values"):
        a, b = sparql(local.base_url, FINDINGS, accept), sparql(remote.base_url, FINDINGS, accept)
        assert a[0] == b[0] == 200 and a[1] == b[1]
        assert a[2] == b[2]
    rows = list(csv.reader(io.StringIO(sparql(remote.base_url, FINDINGS, "text/csv")[2].decode())))
    assert len(rows) > 20
    ask = "ASK { ?s a <https://w3id.org/inspectgraph/def/Inspection> }"
    assert json.loads(sparql(remote.base_url, ask, "application/json")[2])["boolean"] is True
    construct = (
        "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o FILTER(?s = "
        "<https://w3id.org/inspectgraph/id/agency/northumbria-police>) }"
    )
    for accept, fmt in (("text/turtle", "turtle"), ("application/ld+json", "json-ld")):
        a, b = sparql(local.base_url, construct, accept), sparql(remote.base_url, construct, accept)
        assert b[0] == 200 and b[1] == a[1]
        assert set(Graph().parse(data=a[2], format=fmt)) == set(
            Graph().parse(data=b[2], format=fmt)
        )


def test_site_pages_are_the_same_over_the_remote_endpoint(both):
    local, remote = both
    for path in (
        "/browse?q=sunderland",
        "/id/agency/sunderland-city-council",
        "/id/agency/northumbria-police",
        "/id/inspection/sunderland-ilacs-2021-08-20",
        "/def/theme/front_door",
    ):
        a = http(local.base_url + path, accept="text/html")
        b = http(remote.base_url + path, accept="text/html")
        assert a[0] == b[0] == 200, path
        assert a[2] == b[2], path
    a = http(local.base_url + "/id/agency/sunderland-city-council", accept="text/turtle")
    b = http(remote.base_url + "/id/agency/sunderland-city-council", accept="text/turtle")
    assert set(Graph().parse(data=a[2], format="turtle")) == set(
        Graph().parse(data=b[2], format="turtle")
    )
    assert http(remote.base_url + "/id/agency/nobody", accept="text/html")[0] == 404


def test_limits_and_errors_over_the_remote_endpoint(remote_url):
    with Endpoint(
        remote_url,
        kind="remote",
        config=EndpointConfig(memory_limit=0, memory_budget=0, max_rows=3),
    ) as ep:
        status, _, body = sparql(ep.base_url, FINDINGS, "text/csv")
        assert status == 400 and b"more than 3 rows" in body
        status, _, body = sparql(ep.base_url, "SELECT * WHERE { ?s ?p }", "text/csv")
        assert status == 400 and remote_url.encode() in body
        status, _, body = sparql(ep.base_url, FINDINGS, "image/png")
        assert status == 406
    with pytest.raises(StoreError, match="cannot reach"):
        Endpoint("http://127.0.0.1:9/query", kind="remote").start()


def test_serve_command_takes_endpoint(cli_run, tmp_path):
    result = cli_run("serve", "--endpoint", "http://127.0.0.1:9/query", "--port", "0")
    assert result.exit_code != 0
    lines = result.output.strip().splitlines()
    assert len(lines) == 1 and "cannot reach" in lines[0]
    result = cli_run("serve", "--endpoint", "http://127.0.0.1:9/query", "--store", tmp_path)
    assert result.exit_code == 2 and "cannot be combined" in result.output
    result = cli_run(
        "serve", "--endpoint", "http://127.0.0.1:9/query", "--update-endpoint", "http://x/u"
    )
    assert result.exit_code == 2 and "never writes" in result.output


def test_w3c_protocol_query_tests_over_a_remote_endpoint(oxigraph_servers):
    """The W3C protocol runner against `serve --endpoint`: the remote's answers come back
    in the formats the manifest's requests negotiate, its refusals as errors."""
    import sys
    from pathlib import Path

    from rdflib import URIRef

    sys.path.insert(0, str(Path(__file__).parent))
    import w3c_protocol

    directory = w3c_protocol.manifests_or_skip()
    tests = w3c_protocol.load_manifest(directory / "protocol")
    server = oxigraph_servers.acquire()
    try:
        with open_store(server.query_url, kind="remote") as store:
            store.replace_graphs(
                {
                    URIRef(iri): Graph().parse(path, format="nt")
                    for iri, path in w3c_protocol.graph_data(tests).items()
                }
            )
        with Endpoint(
            server.query_url,
            kind="remote",
            config=EndpointConfig(memory_limit=0, memory_budget=0, workers=1),
        ) as ep:
            outcomes = w3c_protocol.run(tests, ep.url)
            outcomes |= w3c_protocol.service_description_tests(ep.url)
    finally:
        oxigraph_servers.release(server)
    report = "\n".join(f"{name:38} {outcome}" for name, outcome in outcomes.items())
    failed = {n: o for n, o in outcomes.items() if o.startswith("failed")}
    assert not failed, report
    passed = [n for n, o in outcomes.items() if o == "passed"]
    assert len([n for n in passed if n.startswith(("query_", "bad_")) and "update" not in n]) == 20
