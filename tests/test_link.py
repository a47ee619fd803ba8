"""`inspectgraph link` against a local Wikidata-shaped endpoint (oxigraph serve on 127.0.0.1),
and the client's manners (User-Agent, back-off, time limit, cache) against a local HTTP server."""

import http.server
import json
import os
import re
import shutil
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from rdflib.namespace import OWL, SKOS

from inspectgraph.errors import InspectgraphError
from inspectgraph.graph.build import build
from inspectgraph.linking.link import LINKS_GRAPH, link
from inspectgraph.linking.sparqlclient import LinkError, SparqlCache, SparqlClient

FIXTURE = Path(__file__).resolve().parent / "data" / "wikidata-fixture.ttl"
WD = "http://www.wikidata.org/entity/"
ID = "https://w3id.org/inspectgraph/id/"
ONS = "http://statistics.data.gov.uk/id/statistical-geography/"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def oxigraph_binary() -> str:
    found = shutil.which("oxigraph") or str(Path(sys.executable).parent / "oxigraph")
    if not os.access(found, os.X_OK):
        if os.environ.get("CI") == "true":
            pytest.fail("the oxigraph server (PyPI 'oxigraph') is not installed")
        pytest.skip("the oxigraph server (PyPI 'oxigraph') is not installed")
    return found


@pytest.fixture(scope="module")
def wikidata(tmp_path_factory):
    """URL of a local read-only SPARQL endpoint holding tests/data/wikidata-fixture.ttl."""
    binary = oxigraph_binary()
    location = tmp_path_factory.mktemp("wikidata") / "db"
    subprocess.run(
        [binary, "load", "--location", location, "--file", FIXTURE], check=True, capture_output=True
    )
    port = free_port()
    proc = subprocess.Popen(
        [binary, "serve-read-only", "--location", location, "--bind", f"127.0.0.1:{port}"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        for _ in range(100):
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                break
            except OSError:
                time.sleep(0.1)
        else:
            pytest.fail("oxigraph serve did not start")
        yield f"http://127.0.0.1:{port}/query"
    finally:
        proc.terminate()
        proc.wait(timeout=10)


@pytest.fixture
def store(bundled_copy):
    """The bundled data in a store of the current backend, for this test alone."""
    return bundled_copy()


def links_of(store):
    return {
        (s, p, o)
        for s, p, o, g in store.quads()
        if g == LINKS_GRAPH and p in (SKOS.exactMatch, SKOS.closeMatch, OWL.sameAs)
    }


EXPECTED = {
    (ONS + "E08000024", "exactMatch", "Q9000000001", "gss-code"),
    (ONS + "E23000007", "exactMatch", "Q9000000012", "gss-code"),
    (ID + "agency/sunderland-city-council", "exactMatch", "Q9000000002", "gss-jurisdiction"),
    (ID + "agency/northumbria-police", "exactMatch", "Q9000000010", "label-type"),
    (ID + "agency/sunderland-ccg", "closeMatch", "Q9000000020", "label-type"),
    (ID + "agency/nhs-north-east-and-north-cumbria-icb", "exactMatch", "Q9000000021", "label-type"),
    (ID + "agency/together-for-children", "exactMatch", "Q9000000030", "website"),
    (ID + "agency/ofsted", "exactMatch", "Q9000000040", "website"),
}


@pytest.mark.slow
def test_link_adds_reconciled_links_and_is_idempotent(store, wikidata, tmp_path):
    report = link(store, endpoint=wikidata, cache=tmp_path / "cache")
    got = {(str(x.subject), x.match, str(x.target)[len(WD) :], x.rule) for x in report.links}
    assert got == EXPECTED
    # the bundled data holds every council and the registry's agencies: the fixture knows only
    # Sunderland's, so one request per rule and batch, and the rest unmatched
    assert report.sent >= 3 and report.cached == 0 and report.written
    assert ("Sunderland Safeguarding Children Partnership", "no candidate") in report.unmatched
    first = links_of(store)
    assert len(first) == len(EXPECTED) and not any(p == OWL.sameAs for _, p, _ in first)
    digest = store.digest()
    # a second run asks nothing (cache) and leaves exactly the same store
    again = link(store, endpoint=wikidata, cache=tmp_path / "cache")
    assert again.sent == 0 and again.cached == report.sent
    assert store.digest() == digest


def test_links_carry_their_provenance(store, wikidata, tmp_path):
    link(store, endpoint=wikidata, cache=tmp_path / "cache")
    rows = store.query("""
        PREFIX owl: <http://www.w3.org/2002/07/owl#>
        PREFIX sssom: <https://w3id.org/sssom/>
        PREFIX prov: <http://www.w3.org/ns/prov#>
        SELECT ?score ?date ?endpoint ?started ?activity WHERE {
          GRAPH <https://w3id.org/inspectgraph/id/graph/links/wikidata> {
            ?axiom owl:annotatedSource <https://w3id.org/inspectgraph/id/agency/sunderland-ccg> ;
                   sssom:confidence ?score ; sssom:mapping_date ?date ;
                   prov:wasGeneratedBy ?activity .
            ?activity prov:used ?endpoint ; prov:startedAtTime ?started .
          }
        }""").dicts()
    [row] = rows
    assert float(row["score"]) == 0.8
    assert str(row["endpoint"]) == wikidata
    assert str(row["activity"]).endswith("/activity/link/wikidata/label-type")
    assert str(row["started"])[:10] == str(row["date"])


@pytest.mark.slow
def test_links_pass_validation_and_survive_a_rebuild(store, wikidata, tmp_path, cli_run):
    from rdflib import Graph, Literal

    from inspectgraph.graph.shacl import validate_graph

    link(store, endpoint=wikidata, cache=tmp_path / "cache")
    g, links = Graph(), Graph()
    for s, p, o, name in store.quads():
        g.add((s, p, o))
        if name == LINKS_GRAPH:
            links.add((s, p, o))
    # every node the links graph mentions (the axioms, the activities, the agencies and
    # areas it links) conforms with the whole store as context, as `build` validates a new
    # graph; the nodes it does not mention are the build's, validated when it was written
    touched = set(links.subjects()) | {o for o in links.objects() if not isinstance(o, Literal)}
    assert len(links) and validate_graph(g, focus=touched) == []
    before = links_of(store)
    build(store)  # rebuilding the sources keeps the links graph
    assert links_of(store) == before


@pytest.mark.slow
def test_dry_run_writes_nothing(store, wikidata, tmp_path):
    report = link(store, endpoint=wikidata, cache=tmp_path / "cache", dry_run=True)
    assert report.links and not report.written and not links_of(store)


def test_min_score_leaves_weak_links_out(store, wikidata, tmp_path):
    report = link(store, endpoint=wikidata, cache=tmp_path / "cache", min_score=0.85)
    assert ID + "agency/sunderland-ccg" not in {str(x.subject) for x in report.links}
    assert any(
        label == "Sunderland Clinical Commissioning Group" and "0.80 < 0.85" in why
        for label, why in report.unmatched
    )


@pytest.mark.slow
def test_link_command(cli_run, tmp_path, wikidata):
    store = tmp_path / "s"
    assert cli_run("build", "--store", store).exit_code == 0
    result = cli_run(
        "link", "--endpoint", wikidata, "--cache", tmp_path / "c", "--json", "--store", store
    )
    assert result.exit_code == 0, result.output
    rows = json.loads(result.output[: result.output.rindex("]") + 1])
    assert {(r["subject"], r["match"], r["rule"]) for r in rows} == {
        (s, m, r) for s, m, _, r in EXPECTED
    }
    assert re.search(r"\d+ request\(s\) sent, 0 answer\(s\) from the cache", result.output)


def test_link_command_unreachable_endpoint_is_one_line_exit_2(cli_run, built_store_dir, tmp_path):
    url = f"http://127.0.0.1:{free_port()}/sparql"
    result = cli_run(
        "link",
        "--endpoint",
        url,
        "--cache",
        tmp_path / "c",
        "--store",
        built_store_dir,
        "--dry-run",
    )
    assert result.exit_code == 2
    [line] = result.output.strip().splitlines()
    assert line.startswith(f"Error: {url}: cannot connect")


# ---------------------------------------------------------------------------- federated queries


def federated(name, endpoint, **values):
    """A network query of queries/, prepared for ``values``, with its SERVICE pointed at the
    local fixture endpoint: (text, bindings)."""
    from inspectgraph import queries

    q = queries.get(name)
    assert q.network and "SERVICE <https://query.wikidata.org/sparql>" in q.text
    text, bindings = q.prepare(values)
    return text.replace("https://query.wikidata.org/sparql", endpoint), bindings


def test_network_queries_are_marked_in_their_header():
    import re

    from inspectgraph import queries

    for q in queries.registry().values():
        body = "\n".join(line for line in q.text.splitlines() if not line.lstrip().startswith("#"))
        assert bool(re.search(r"\bSERVICE\b", body, re.I)) == q.network, q.name
        if q.network:
            assert "Needs the internet" in q.description, q.name
    assert sum(q.network for q in queries.registry().values()) >= 2


def test_federated_area_population(store, wikidata):
    text, bindings = federated("wikidata-area-population", wikidata, la="Sunderland")
    store.allow_network = True  # the user's --allow-network
    rows = store.query(text, bindings).dicts()
    assert [
        (str(r["label"]), str(r["area"])[len(WD) :], str(r["areaLabel"]), int(r["population"]))
        for r in rows
    ] == [("Sunderland City Council", "Q9000000001", "City of Sunderland", 123456)]


def test_federated_council_websites_after_link(store, wikidata, tmp_path):
    text, bindings = federated("wikidata-council-websites", wikidata)
    store.allow_network = True  # the user's --allow-network
    before = store.query(text, bindings).dicts()
    link(store, endpoint=wikidata, cache=tmp_path / "cache")
    after = store.query(text, bindings).dicts()
    assert [(str(r["body"])[len(WD) :], str(r["website"])) for r in after] == [
        ("Q9000000002", "https://www.sunderland.gov.uk/")
    ]
    assert [r["linked"].toPython() for r in before] == [False]
    assert [r["linked"].toPython() for r in after] == [True]


# ---------------------------------------------------------------------------- client manners


class Script(http.server.BaseHTTPRequestHandler):
    """Answers each request with the next (status, headers, body, delay) of its server's script."""

    def do_GET(self):  # noqa: N802
        self.server.seen.append({"agent": self.headers.get("User-Agent"), "method": self.command})
        status, headers, body, delay = (
            self.server.script.pop(0) if self.server.script else (200, {}, EMPTY, 0)
        )
        time.sleep(delay)
        self.send_response(status)
        for k, v in headers.items():
            self.send_header(k, v)
        self.send_header("Content-Type", "application/sparql-results+json")
        self.end_headers()
        try:
            self.wfile.write(body.encode())
        except BrokenPipeError:  # the client gave up waiting (time-limit test)
            pass

    do_POST = do_GET

    def log_message(self, *args):
        pass


EMPTY = json.dumps({"head": {"vars": ["x"]}, "results": {"bindings": []}})
ONE = json.dumps(
    {
        "head": {"vars": ["x"]},
        "results": {"bindings": [{"x": {"type": "literal", "value": "hello", "xml:lang": "en"}}]},
    }
)


@pytest.fixture
def scripted():
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Script)
    server.script, server.seen = [], []
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server, f"http://127.0.0.1:{server.server_address[1]}/sparql"
    server.shutdown()
    server.server_close()


def test_client_backs_off_on_429_and_503_and_says_who_it_is(scripted):
    server, url = scripted
    server.script = [(429, {"Retry-After": "7"}, "", 0), (503, {}, "", 0), (200, {}, ONE, 0)]
    waits = []
    client = SparqlClient(url, sleep=waits.append, contact="tests@example.org")
    answer = client.select("SELECT ?x WHERE { ?s ?p ?x }")
    assert [str(r["x"]) for r in answer.rows] == ["hello"] and answer.rows[0]["x"].language == "en"
    assert waits == [7.0, 2.0]  # Retry-After, then exponential back-off (2 ** 1)
    assert client.sent == 3
    agents = {s["agent"] for s in server.seen}
    [agent] = agents
    assert agent.startswith("inspectgraph/") and "(tests@example.org)" in agent


def test_client_gives_up_after_its_retries(scripted):
    server, url = scripted
    server.script = [(429, {}, "", 0)] * 5
    client = SparqlClient(url, retries=2, sleep=lambda s: None)
    with pytest.raises(LinkError, match="HTTP 429 .* after 3 attempts"):
        client.select("SELECT ?x WHERE { ?s ?p ?x }")


def test_client_respects_the_time_limit(scripted):
    server, url = scripted
    server.script = [(200, {}, ONE, 3)]
    client = SparqlClient(url, time_limit=1)
    started = time.monotonic()
    with pytest.raises(LinkError, match="no answer within 1 s"):
        client.select("SELECT ?x WHERE { ?s ?p ?x }")
    assert time.monotonic() - started < 2.5
    # a Retry-After beyond the limit is not waited for
    server.script = [(503, {"Retry-After": "120"}, "", 0)]
    with pytest.raises(LinkError, match="no time left to retry"):
        SparqlClient(url, time_limit=30, sleep=lambda s: None).select("SELECT * { ?s ?p ?o }")


def test_client_cache_answers_a_repeated_query(scripted, tmp_path):
    server, url = scripted
    server.script = [(200, {}, ONE, 0)]
    cache = SparqlCache(tmp_path)
    first = SparqlClient(url, cache=cache).select("SELECT ?x WHERE { ?s ?p ?x }")
    second_client = SparqlClient(url, cache=cache)
    second = second_client.select("SELECT ?x WHERE { ?s ?p ?x }")
    assert second.from_cache and second.rows == first.rows and second.fetched == first.fetched
    assert len(server.seen) == 1 and second_client.sent == 0
    refreshed = SparqlClient(url, cache=cache, refresh=True)
    refreshed.select("SELECT ?x WHERE { ?s ?p ?x }")
    assert refreshed.sent == 1 and len(server.seen) == 2


def test_long_queries_are_posted(scripted):
    server, url = scripted
    query = "SELECT ?x WHERE { ?s ?p ?x } # " + "x" * 3000
    SparqlClient(url).select(query)
    SparqlClient(url).select("SELECT ?x WHERE { ?s ?p ?x }")
    assert [s["method"] for s in server.seen] == ["POST", "GET"]


def test_errors_are_inspectgraph_errors():
    assert issubclass(LinkError, InspectgraphError) and LinkError("x").exit_code == 2
