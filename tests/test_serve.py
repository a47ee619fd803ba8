"""`inspectgraph serve`: the W3C SPARQL 1.1 Protocol tests, SPARQLWrapper as a client,
content negotiation, limits, CORS, the read-only rule and the offline query page."""

import csv
import io
import json
import os
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pyoxigraph as ox
import pytest
from rdflib import Graph, URIRef

from inspectgraph import queries
from inspectgraph.endpoint.serve import Endpoint, EndpointConfig, named_query_examples
from inspectgraph.graph.build import build
from inspectgraph.graph.stores import open_store
from inspectgraph.testing import assert_isomorphic

sys.path.insert(0, str(Path(__file__).parent))
import w3c_protocol  # noqa: E402

REPO = Path(__file__).resolve().parents[1]
IG = "https://w3id.org/inspectgraph/def/"
FINDINGS = (
    f"SELECT ?f ?d WHERE {{ ?f a <{IG}Finding> ; <http://purl.org/dc/terms/description> ?d }} "
    "ORDER BY ?f"
)


def w3c_dir() -> Path:
    """The W3C manifests (see ``w3c_protocol.manifests_dir``)."""
    sys.path.insert(0, str(Path(__file__).parent))
    import w3c_protocol

    path = w3c_protocol.manifests_dir()
    if not (path / "protocol" / "manifest.ttl").exists():
        if os.environ.get("CI") == "true":
            pytest.fail(f"W3C SPARQL test manifests missing at {path}")
        pytest.skip(f"W3C SPARQL test manifests not found at {path} (set INSPECTGRAPH_W3C_TESTS)")
    return path


@pytest.fixture(scope="module")
def endpoint(built_store_dir):
    config = EndpointConfig(timeout=20, examples=named_query_examples())
    with Endpoint(built_store_dir, config=config) as ep:
        yield ep


def http(url, data=None, headers=None, method=None):
    """(status, headers, body) without raising on 4xx/5xx."""
    request = urllib.request.Request(url, data=data, headers=headers or {}, method=method)
    try:
        with urllib.request.urlopen(request, timeout=60) as r:
            return r.status, r.headers, r.read()
    except urllib.error.HTTPError as e:
        return e.code, e.headers, e.read()


def ask(url, query, **headers):
    return http(
        url,
        urllib.parse.urlencode({"query": query}).encode(),
        {"Content-Type": "application/x-www-form-urlencoded", **headers},
    )


# ---------------------------------------------------------------------- W3C protocol tests


def test_w3c_protocol_query_tests(tmp_path):
    """All 20 query tests and the 7 bad-update tests pass; the 7 update tests cannot
    apply to a read-only endpoint."""
    directory = w3c_dir()
    tests = w3c_protocol.load_manifest(directory / "protocol")
    assert len(tests) == 34
    with open_store(tmp_path / "w3c") as store:
        store.replace_graphs(
            {
                URIRef(iri): Graph().parse(path, format="nt")
                for iri, path in w3c_protocol.graph_data(tests).items()
            }
        )
    with Endpoint(tmp_path / "w3c", config=EndpointConfig(workers=1)) as ep:
        outcomes = w3c_protocol.run(tests, ep.url)
        outcomes |= w3c_protocol.service_description_tests(ep.url)
    report = "\n".join(f"{name:38} {outcome}" for name, outcome in outcomes.items())
    print(report)
    failed = {n: o for n, o in outcomes.items() if o.startswith("failed")}
    assert not failed, report
    passed = [n for n, o in outcomes.items() if o == "passed"]
    assert len([n for n in passed if n.startswith(("query_", "bad_")) and "update" not in n]) == 20
    assert len([n for n in passed if n.startswith("bad_") and "update" in n]) == 7
    assert {"returns-rdf", "has-endpoint-triple", "conforms-to-schema"} <= set(passed)
    assert sum(o.startswith("not applicable") for o in outcomes.values()) == 7


def test_w3c_runner_notices_failures(endpoint):
    """The runner is not a rubber stamp: a wrong expectation fails."""
    request = w3c_protocol.Request(
        "GET", "/sparql/?query=ASK%20%7B%7D", [], None, {"2xx"}, boolean=False, format="boolean"
    )
    assert "ASK answered True" in w3c_protocol.check(
        request, *w3c_protocol.send(endpoint.url, request)
    )
    request.statuses = {"4xx"}
    assert "status 200" in w3c_protocol.check(request, *w3c_protocol.send(endpoint.url, request))


# ---------------------------------------------------------------------- SPARQLWrapper as a client


@pytest.mark.parametrize("method", ["GET", "POST"])
@pytest.mark.parametrize("fmt", ["json", "xml", "csv", "tsv"])
def test_sparqlwrapper_select_in_every_results_format(endpoint, built_store_dir, method, fmt):
    from SPARQLWrapper import CSV, GET, JSON, POST, TSV, XML, SPARQLWrapper

    w = SPARQLWrapper(endpoint.url)
    w.setMethod({"GET": GET, "POST": POST}[method])
    w.setReturnFormat({"json": JSON, "xml": XML, "csv": CSV, "tsv": TSV}[fmt])
    w.setQuery(FINDINGS)
    result = w.query()
    body = result.response.read()
    if fmt == "csv":  # lossy by design (no term types): compare the text
        got = [tuple(row) for row in csv.reader(io.StringIO(body.decode()))][1:]
    else:
        parsed = ox.parse_query_results(
            body,
            format={
                "json": ox.QueryResultsFormat.JSON,
                "xml": ox.QueryResultsFormat.XML,
                "tsv": ox.QueryResultsFormat.TSV,
            }[fmt],
        )
        got = [(str(s["f"].value), s["d"].value) for s in parsed]
    with open_store(built_store_dir, read_only=True) as store:
        expected = [(str(f), str(d)) for f, d in store.query(FINDINGS).rows]
    assert got == expected and len(got) > 10


@pytest.mark.slow
def test_sparqlwrapper_ask_construct_and_describe(endpoint, built_store_dir):
    from SPARQLWrapper import JSON, JSONLD, N3, RDFXML, TURTLE, SPARQLWrapper

    w = SPARQLWrapper(endpoint.url)
    w.setReturnFormat(JSON)
    w.setQuery(f"ASK {{ ?f a <{IG}Finding> }}")
    assert w.queryAndConvert()["boolean"] is True
    construct = f"CONSTRUCT {{ ?i ?p ?o }} WHERE {{ ?i a <{IG}Inspection> ; ?p ?o }}"
    with open_store(built_store_dir, read_only=True) as store:
        expected = store.query(construct).graph
    for fmt, rdflib_format in (
        (TURTLE, "turtle"),
        (N3, "turtle"),
        (JSONLD, "json-ld"),
        (RDFXML, "xml"),
    ):
        w.setReturnFormat(fmt)
        w.setQuery(construct)
        try:
            body = w.query().response.read()
        except urllib.error.HTTPError as e:
            raise AssertionError((fmt, e.read())) from e
        assert_isomorphic(Graph().parse(data=body, format=rdflib_format), expected)
    w.setReturnFormat(TURTLE)
    w.setQuery("DESCRIBE <https://w3id.org/inspectgraph/id/agency/northumbria-police>")
    g = Graph().parse(data=w.query().response.read(), format="turtle")
    assert len(g) > 3


def test_sparqlwrapper_update_is_refused(endpoint):
    from SPARQLWrapper import POST, POSTDIRECTLY, SPARQLWrapper

    w = SPARQLWrapper(endpoint.url, updateEndpoint=endpoint.url)
    w.setMethod(POST)
    for request_method in (POSTDIRECTLY, "urlencoded"):
        w.setRequestMethod(request_method)
        w.setQuery("DROP ALL")
        with pytest.raises(urllib.error.HTTPError) as info:
            w.query()
        assert info.value.code == 403
    status, _, _ = ask(endpoint.url, "ASK { ?s ?p ?o }")
    assert status == 200


@pytest.mark.slow  # two seconds or more: the full suite only
def test_remote_store_reads_the_endpoint_like_the_local_store(endpoint, bundled_stores):
    """inspectgraph's own remote backend, pointed at `serve`: every named query agrees."""
    remote = open_store(endpoint.url, kind="remote", read_only=True)
    local = bundled_stores["oxigraph"]
    for q in (q for q in queries.registry().values() if not q.network):
        values = {
            p.name: "Sunderland" if p.name in ("la", "agency") else "front_door"
            for p in q.params
            if p.required
        }
        text, b = q.prepare(values)
        assert remote.query(text, b).rows == local.query(text, b).rows, q.name
    assert remote.digest() == local.digest()


# ---------------------------------------------------------------------- protocol details


@pytest.mark.parametrize(
    "accept, media",
    [
        ("application/sparql-results+json", "application/sparql-results+json"),
        ("application/sparql-results+xml", "application/sparql-results+xml"),
        ("text/csv", "text/csv"),
        ("text/tab-separated-values", "text/tab-separated-values"),
        ("text/csv;q=0.5, application/sparql-results+xml", "application/sparql-results+xml"),
        ("*/*", "application/sparql-results+json"),
        ("", "application/sparql-results+json"),
    ],
)
def test_select_content_negotiation(endpoint, accept, media):
    status, headers, body = ask(endpoint.url, FINDINGS + " LIMIT 2", Accept=accept)
    assert status == 200 and headers["Content-Type"].split(";")[0] == media
    assert headers["Vary"] == "Accept"


@pytest.mark.parametrize(
    "accept, media, rdflib_format",
    [
        ("text/turtle", "text/turtle", "turtle"),
        ("application/n-triples", "application/n-triples", "nt"),
        ("application/ld+json", "application/ld+json", "json-ld"),
        ("application/rdf+xml", "application/rdf+xml", "xml"),
        ("*/*", "text/turtle", "turtle"),
    ],
)
def test_graph_content_negotiation(endpoint, built_store_dir, accept, media, rdflib_format):
    query = f"CONSTRUCT WHERE {{ ?i a <{IG}Inspection> }}"
    status, headers, body = ask(endpoint.url, query, Accept=accept)
    assert status == 200 and headers["Content-Type"].split(";")[0] == media
    with open_store(built_store_dir, read_only=True) as store:
        expected = store.query(query).graph
    assert len(expected) > 7  # the Sunderland case and the national history
    assert len(Graph().parse(data=body, format=rdflib_format)) == len(expected)


def test_format_parameter_and_unacceptable_types(endpoint):
    status, headers, body = http(
        endpoint.url + "?" + urllib.parse.urlencode({"query": FINDINGS, "format": "csv"})
    )
    assert status == 200 and next(csv.reader(io.StringIO(body.decode()))) == ["f", "d"]
    status, _, body = ask(endpoint.url, FINDINGS, Accept="image/png")
    assert status == 406 and b"offered" in body
    status, _, body = ask(endpoint.url, "ASK {}", Accept="text/csv")
    assert status == 406


def test_the_default_graph_is_the_union_and_from_is_respected(endpoint):
    union = json.loads(ask(endpoint.url, "SELECT (COUNT(*) AS ?n) { ?s ?p ?o }")[2])
    count = int(union["results"]["bindings"][0]["n"]["value"])
    assert count == endpoint.triples
    only_ontology = json.loads(
        ask(
            endpoint.url,
            "SELECT (COUNT(*) AS ?n) FROM <https://w3id.org/inspectgraph/id/graph/"
            "ontology> { ?s ?p ?o }",
        )[2]
    )
    assert 0 < int(only_ontology["results"]["bindings"][0]["n"]["value"]) < count


def test_service_description_names_the_graphs(endpoint):
    status, headers, body = http(endpoint.url, headers={"Accept": "text/turtle"})
    g = Graph().parse(data=body, format="turtle")
    sd = "http://www.w3.org/ns/sparql-service-description#"
    names = set(g.objects(None, URIRef(sd + "name")))
    assert URIRef("https://w3id.org/inspectgraph/id/graph/sunderland") in names
    status, headers, _ = http(endpoint.url, headers={"Accept": "text/html"})
    assert status == 200 and headers["Content-Type"].startswith("text/html")  # via 303 to /


def test_updates_and_bad_requests_are_refused(endpoint):
    cases = [
        (
            http(
                endpoint.url,
                b"update=DROP%20ALL",
                {"Content-Type": "application/x-www-form-urlencoded"},
            ),
            403,
        ),
        (http(endpoint.url, b"DROP ALL", {"Content-Type": "application/sparql-update"}), 403),
        (http(endpoint.url + "?update=DROP%20ALL"), 403),
        (http(endpoint.url, b"ASK {}", {"Content-Type": "text/plain"}), 415),
        (http(endpoint.url, b"ASK {}", method="PUT"), 405),
        (http(endpoint.url + "?query=ASK%20%7B"), 400),
        (
            http(
                endpoint.url,
                b"query=ASK%20%7B%7D&query=ASK%20%7B%7D",
                {"Content-Type": "application/x-www-form-urlencoded"},
            ),
            400,
        ),
        (http(endpoint.url + "?query=ASK%7B%7D&default-graph-uri=not%20an%20iri"), 400),
        (http(endpoint.base_url + "/nothing"), 404),
    ]
    for (status, _headers, body), expected in cases:
        assert status == expected, body
        assert body.strip() and b"\n" == body[-1:]


def test_service_is_refused(endpoint):
    status, _, body = ask(
        endpoint.url, "SELECT * { SERVICE <http://127.0.0.1:9/sparql> { ?s ?p ?o } }"
    )
    assert status == 400 and b"SERVICE" in body


def test_request_size_limits(built_store_dir):
    config = EndpointConfig(max_request_bytes=2000, workers=1)
    with Endpoint(built_store_dir, config=config) as ep:
        padding = "#" + "x" * 3000 + "\nASK {}"
        status, _, body = ask(ep.url, padding)
        assert status == 413
        status, _, _ = http(ep.url + "?" + urllib.parse.urlencode({"query": padding}))
        assert status == 414
        assert ask(ep.url, "ASK {}")[0] == 200


def test_row_cap_is_an_error_not_a_cut(built_store_dir):
    config = EndpointConfig(max_rows=5, workers=1)
    with Endpoint(built_store_dir, config=config) as ep:
        status, _, body = ask(ep.url, FINDINGS)
        assert status == 400 and b"more than 5 rows" in body
        status, _, body = ask(ep.url, "CONSTRUCT WHERE { ?s ?p ?o }")
        assert status == 400 and b"more than 5 triples" in body
        status, _, body = ask(ep.url, FINDINGS + " LIMIT 5")
        assert status == 200 and len(json.loads(body)["results"]["bindings"]) == 5


@pytest.mark.slow  # two seconds or more: the full suite only
def test_time_limit_ends_in_an_error_and_the_endpoint_recovers(built_store_dir):
    config = EndpointConfig(timeout=1.5, workers=1)
    slow = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
    with Endpoint(built_store_dir, config=config) as ep:
        started = time.monotonic()
        status, headers, body = ask(ep.url, slow, Accept="text/csv")
        assert status == 503 and b"time limit" in body
        assert headers["Content-Type"].startswith("text/plain")  # an error, not results
        assert time.monotonic() - started < 15
        for _ in range(100):  # a fresh worker replaces the stopped one
            status, _, body = ask(ep.url, "ASK { ?s ?p ?o }")
            if status == 200:
                break
            time.sleep(0.2)
        assert status == 200 and json.loads(body)["boolean"] is True


@pytest.mark.slow  # two seconds or more: the full suite only
def test_an_overrunning_query_is_stopped_without_cutting_short_the_others(built_store_dir):
    """Queries share a worker process (threads over one store); the one that overruns is
    answered 503 at its limit, the others sent meanwhile are answered in full, and the
    process that ran it is killed once nobody waits for it (the query stops)."""
    import threading

    slow = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
    with Endpoint(built_store_dir, config=EndpointConfig(timeout=2, workers=4)) as ep:
        first = ep._pool._worker.process
        outcome = {}
        overrun = threading.Thread(target=lambda: outcome.update(slow=ask(ep.url, slow)[0]))
        overrun.start()
        others = []
        while overrun.is_alive() or not others:
            status, _, body = ask(ep.url, FINDINGS + " LIMIT 3")
            others.append((status, len(json.loads(body)["results"]["bindings"])))
        overrun.join()
        assert outcome["slow"] == 503
        assert set(others) == {(200, 3)}
        assert first.wait(timeout=30) is not None  # killed, with the query it ran
        assert ask(ep.url, "ASK { ?s ?p ?o }")[0] == 200


@pytest.mark.slow  # two seconds or more: the full suite only
def test_a_query_that_overran_runs_alone_and_stops_at_its_limit(built_store_dir):
    """The second time a query that overran is asked, it runs in a process of its own,
    killed at its limit: the shared process is not drained again, and answers others."""
    slow = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
    # no memory budget: the first run's orphan (a cross product) can leave the last memory
    # sample over the default budget, and a suspect then shares; that is the next test's case
    config = EndpointConfig(timeout=1.5, workers=4, memory_budget=0)
    with Endpoint(built_store_dir, config=config) as ep:
        pool = ep._pool
        first = pool._worker.process
        assert ask(ep.url, slow)[0] == 503  # first time: in the shared process, drained
        for _ in range(600):
            if first.poll() is not None and not pool._draining and pool._spare is not None:
                break
            time.sleep(0.2)
        else:
            pytest.fail("the first process was not drained and a spare started in 120 s")
        shared = pool._worker.process
        status, _, body = ask(ep.url, slow)
        assert status == 503 and b"time limit" in body
        assert pool.alone_runs == 1
        assert not pool._alone  # its process is gone, killed at the limit
        assert pool._worker.process is shared and shared.poll() is None  # not drained
        status, _, body = ask(ep.url, FINDINGS + " LIMIT 3")
        assert status == 200 and len(json.loads(body)["results"]["bindings"]) == 3
        # a query that finishes in time in its own process shares again
        quick = FINDINGS + " LIMIT 2"
        pool._suspect(json.dumps([quick, None, None, ep.url]))
        status, _, body = ask(ep.url, quick)
        assert status == 200 and len(json.loads(body)["results"]["bindings"]) == 2
        assert pool.alone_runs == 2 and not pool._is_suspect(
            json.dumps([quick, None, None, ep.url])
        )


@pytest.mark.slow  # two seconds or more: the full suite only
def test_a_suspect_past_the_memory_budget_shares_or_is_stopped_with_a_503(built_store_dir):
    """A query that overran before runs alone, but only under the memory budget (else
    it shares); past the budget while it runs alone, its process is the one stopped (a
    503 that says why), and the shared process answers on."""
    import threading

    slow = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
    with Endpoint(built_store_dir, config=EndpointConfig(timeout=6, workers=4)) as ep:
        pool = ep._pool
        pool._suspect(json.dumps([slow, None, None, ep.url]))
        shared = pool._worker.process
        pool.memory_budget = 4  # bytes: always over it
        while pool.last_rss <= 4:
            time.sleep(0.1)
        status, _, body = ask(ep.url, slow)  # over the budget: it shares, and overruns
        assert status == 503 and b"time limit" in body and pool.alone_runs == 0
        for _ in range(150):  # its process drains and is replaced
            if shared.poll() is not None and not pool._draining:
                break
            time.sleep(0.2)
        shared = pool._worker.process
        pool.memory_budget = None  # under the budget: it starts, alone
        outcome = {}
        asking = threading.Thread(target=lambda: outcome.update(r=ask(ep.url, slow)))
        asking.start()
        while not pool._alone:
            time.sleep(0.05)
        pool.memory_budget = 4  # and now over it: that process is stopped
        asking.join()
        status, headers, body = outcome["r"]
        assert status == 503 and b"memory passed its budget" in body, body
        assert headers["Content-Type"].startswith("text/plain")
        assert pool.stopped == 1 and pool.alone_runs == 1
        assert pool._worker.process is shared and shared.poll() is None
        pool.memory_budget = None
        status, _, body = ask(ep.url, FINDINGS + " LIMIT 3")
        assert status == 200 and len(json.loads(body)["results"]["bindings"]) == 3


def test_a_memory_budget_replaces_the_worker_and_every_answer_arrives(built_store_dir):
    """A budget smaller than any process makes the watcher replace the shared process
    again and again while queries run; each request still gets its whole answer."""
    import threading

    with Endpoint(built_store_dir, config=EndpointConfig(workers=4)) as ep:
        expected = len(json.loads(ask(ep.url, FINDINGS)[2])["results"]["bindings"])
        ep._pool.memory_budget = 1  # byte: always over it (its watcher reads it anew)
        outcomes = []
        until = time.monotonic() + 120

        def client():  # until the shared process has been replaced three times
            while ep._pool.recycled < 3 and time.monotonic() < until:
                status, _, body = ask(ep.url, FINDINGS)
                rows = len(json.loads(body)["results"]["bindings"]) if status == 200 else body
                outcomes.append((status, rows))

        threads = [threading.Thread(target=client) for _ in range(6)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        recycled = ep._pool.recycled
    assert expected > 20 and len(outcomes) >= 6
    assert set(outcomes) == {(200, expected)}, [o for o in outcomes if o != (200, expected)][:3]
    assert recycled >= 3


def test_cors_is_off_unless_asked(endpoint, built_store_dir):
    status, headers, _ = ask(endpoint.url, "ASK {}", Origin="http://elsewhere.example")
    assert status == 200 and "Access-Control-Allow-Origin" not in headers
    assert http(endpoint.url, method="OPTIONS")[0] == 405
    with Endpoint(built_store_dir, config=EndpointConfig(cors=True, workers=1)) as ep:
        status, headers, _ = ask(ep.url, "ASK {}", Origin="http://elsewhere.example")
        assert headers["Access-Control-Allow-Origin"] == "*"
        status, headers, _ = http(
            ep.url, method="OPTIONS", headers={"Access-Control-Request-Method": "POST"}
        )
        assert status == 200 and "POST" in headers["Access-Control-Allow-Methods"]


@pytest.mark.slow
def test_serves_a_snapshot_while_the_store_is_rebuilt(tmp_path, mini):
    path = tmp_path / "s"
    with open_store(path) as store:
        build(store)
    with Endpoint(path, config=EndpointConfig(workers=1)) as ep:
        with open_store(path) as store:  # serving does not lock the store
            build(store, [mini])
        names = json.loads(ask(ep.url, "SELECT DISTINCT ?g { GRAPH ?g { ?s ?p ?o } }")[2])
        graphs = {b["g"]["value"] for b in names["results"]["bindings"]}
        assert "https://w3id.org/inspectgraph/id/graph/mini" not in graphs
    assert not list(tmp_path.glob(".serve-*"))  # the snapshot is gone


def test_memory_store_can_be_served(tmp_path, mini):
    with open_store(tmp_path / "m", kind="memory") as store:
        build(store, [mini])
        expected = store.query(FINDINGS).rows
    with Endpoint(tmp_path / "m", kind="memory", config=EndpointConfig(workers=1)) as ep:
        body = json.loads(ask(ep.url, FINDINGS)[2])
        got = [(b["f"]["value"], b["d"]["value"]) for b in body["results"]["bindings"]]
    assert got == [(str(f), str(d)) for f, d in expected]


@pytest.mark.slow  # two seconds or more: the full suite only
def test_serve_command_runs_until_terminated(tmp_path, mini):
    store_dir = tmp_path / "store"
    with open_store(store_dir) as store:
        build(store, [mini])
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "inspectgraph",
            "serve",
            "--store",
            str(store_dir),
            "--port",
            "0",
            "--workers",
            "1",
            "--quiet",
        ],
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        line = process.stderr.readline()
        assert line.startswith(f"Serving {store_dir} (")
        url = line.split(" at ")[1].split()[0]
        assert url.startswith("http://127.0.0.1:") and url.endswith("/sparql")
        assert json.loads(ask(url, "ASK { ?s ?p ?o }")[2])["boolean"] is True
    finally:
        process.send_signal(signal.SIGTERM)
        assert process.wait(timeout=20) == 0
    assert not list(tmp_path.glob(".serve-*"))


def test_serve_command_errors_are_one_line(tmp_path, cli_run):
    result = cli_run("serve", "--store", tmp_path / "none")
    assert result.exit_code == 2
    assert (
        result.output.strip() == f"Error: {tmp_path / 'none'}: no store here (run "
        f"`inspectgraph build --store {tmp_path / 'none'}` first)"
    )


# ---------------------------------------------------------------------- the query page


@pytest.mark.browser
def test_query_page_works_offline(endpoint, browser):
    """Headless Chromium: the page makes no request beyond its own endpoint, runs an
    example named query and shows its rows."""
    foreign = []
    page = browser.new_page()
    try:

        def route(r):
            if r.request.url.startswith(endpoint.base_url):
                return r.continue_()
            foreign.append(r.request.url)
            return r.abort()

        page.route("**/*", route)
        page.goto(endpoint.base_url + "/")
        page.select_option(
            "#examples",
            label=next(
                o
                for o in page.locator("#examples option").all_inner_texts()
                if o.startswith("agencies ")
            ),
        )
        page.click("#run")
        page.wait_for_selector("#results table tr:nth-child(2)", timeout=30_000)
        rows = page.locator("#results table tr").count() - 1
        assert rows >= 5
        assert "row" in page.inner_text("#status")
        page.fill("#query", "SELECT * WHERE { ?s ?p }")
        page.click("#run")
        page.wait_for_selector("#error:not(:empty)", timeout=30_000)
        assert "syntax" in page.inner_text("#error").lower()
    finally:
        page.close()
    assert foreign == []


def test_many_clients_connecting_at_once_are_all_answered(built_store_dir):
    """Clients that connect together queue in the listen backlog, never reset (the load
    test's 16 clients met resets with the standard library's backlog of 5)."""
    import threading

    outcomes = []
    with Endpoint(built_store_dir, config=EndpointConfig(workers=2)) as ep:
        start = threading.Barrier(64)

        def client():
            start.wait()
            try:
                outcomes.append(ask(ep.url, "ASK { ?s ?p ?o }")[0])
            except OSError as exc:
                outcomes.append(repr(exc))

        threads = [threading.Thread(target=client) for _ in range(64)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
    assert outcomes == [200] * 64, [o for o in outcomes if o != 200][:3]
