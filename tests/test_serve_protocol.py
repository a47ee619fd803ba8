"""`inspectgraph serve` speaks the SPARQL 1.1 Protocol: the W3C protocol tests, SPARQLWrapper as
a client, content negotiation, the service description, the read-only rule, request sizes
and CORS."""

import csv
import io
import json
import sys
import urllib.parse
from pathlib import Path

import pyoxigraph as ox
import pytest
from rdflib import Graph, URIRef

from inspectgraph import queries
from inspectgraph.endpoint.serve import Endpoint, EndpointConfig
from inspectgraph.graph.stores import open_store
from inspectgraph.testing import assert_isomorphic

sys.path.insert(0, str(Path(__file__).parent))
import w3c_protocol  # noqa: E402
from serve_client import FINDINGS, IG, ask, http  # noqa: E402


def test_w3c_protocol_query_tests(tmp_path):
    """All 20 query tests and the 7 bad-update tests pass; the 7 update tests cannot
    apply to a read-only endpoint."""
    directory = w3c_protocol.manifests_or_skip()
    tests = w3c_protocol.load_manifest(directory / "protocol")
    assert len(tests) == 34
    with open_store(tmp_path / "w3c") as store:
        store.replace_graphs(
            {
                URIRef(iri): Graph().parse(path, format="nt")
                for iri, path in w3c_protocol.graph_data(tests).items()
            }
        )
    with Endpoint(
        tmp_path / "w3c", config=EndpointConfig(memory_limit=0, memory_budget=0, workers=1)
    ) as ep:
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
    config = EndpointConfig(memory_limit=0, memory_budget=0, max_request_bytes=2000, workers=1)
    with Endpoint(built_store_dir, config=config) as ep:
        padding = "#" + "x" * 3000 + "\nASK {}"
        status, _, body = ask(ep.url, padding)
        assert status == 413
        status, _, _ = http(ep.url + "?" + urllib.parse.urlencode({"query": padding}))
        assert status == 414
        assert ask(ep.url, "ASK {}")[0] == 200


def test_cors_is_off_unless_asked(endpoint, built_store_dir):
    status, headers, _ = ask(endpoint.url, "ASK {}", Origin="http://elsewhere.example")
    assert status == 200 and "Access-Control-Allow-Origin" not in headers
    assert http(endpoint.url, method="OPTIONS")[0] == 405
    with Endpoint(
        built_store_dir,
        config=EndpointConfig(memory_limit=0, memory_budget=0, cors=True, workers=1),
    ) as ep:
        status, headers, _ = ask(ep.url, "ASK {}", Origin="http://elsewhere.example")
        assert headers["Access-Control-Allow-Origin"] == "*"
        status, headers, _ = http(
            ep.url, method="OPTIONS", headers={"Access-Control-Request-Method": "POST"}
        )
        assert status == 200 and "POST" in headers["Access-Control-Allow-Methods"]
