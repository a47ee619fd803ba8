"""The three backends behind one interface: every command on each, the same answers from
each (differential), and what is particular to each (remote endpoints, bulk writes)."""

import base64
import json
import shutil
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pyoxigraph as ox
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rdflib import RDF, Dataset, Graph, Literal, URIRef
from rdflib.namespace import ORG

from inspectgraph import queries
from inspectgraph.errors import StoreError
from inspectgraph.graph.build import build
from inspectgraph.graph.stores import BACKENDS, digest_of, open_store
from inspectgraph.graph.stores.oxigraph import JOURNAL, OxigraphStore
from inspectgraph.ontology import ID
from inspectgraph.testing import OxigraphServer
from tools.synthetic import generate

MINI = Path(__file__).resolve().parent / "data" / "mini.yaml"  # as the `mini` fixture
EXAMPLES = {"theme": "front_door", "agency": "Northumbria Police", "la": "Sunderland"}


def open_from_args(args):
    """The store a list of command-line store options selects."""
    args = [str(a) for a in args]
    if args[0] == "--endpoint":
        return open_store(args[1], kind="remote")
    return open_store(args[-1], kind="memory" if "--memory" in args else "oxigraph")


def test_three_backends_are_registered():
    assert sorted(BACKENDS) == ["memory", "oxigraph", "remote"]


@pytest.fixture(scope="module")
def bundled_and_mini_digest(bundled_templates, tmp_path_factory):
    """The digest of a reference build (embedded Oxigraph) of the bundled data and
    tests/data/mini.yaml, which every backend's CLI build must reach; and the digest of
    its export, which adds the Web Annotation form of the quotations.  The bundled part is
    a copy of the session's build of it (:func:`bundled_templates`, which the tests below
    build anyway), so only mini.yaml is built here."""
    from inspectgraph.graph.annotation import annotation_quads

    path = tmp_path_factory.mktemp("reference") / "store"
    shutil.copytree(bundled_templates["oxigraph"], path)
    with open_store(path) as reference:
        build(reference, [MINI])
        annotations = list(annotation_quads(reference))
        assert annotations  # the Sunderland case's findings are quoted
        return reference.digest(), digest_of([*reference.quads(), *annotations])


@pytest.mark.slow  # the fast tier runs the commands on the default backend: test_cli.py
def test_every_command_works_on_every_backend(
    cli_run, store_args, kind, mini, tmp_path, bundled_and_mini_digest
):
    assert cli_run("build", *store_args).exit_code == 0
    result = cli_run("build", mini, *store_args)
    assert result.exit_code == 0 and "triples" in result.output
    result = cli_run("validate", *store_args)
    assert result.exit_code == 0 and "conforms" in result.output

    agencies = json.loads(cli_run("query", "agencies", "--json", *store_args).output)
    assert {"Acme Police", "Northumbria Police"} <= {row["label"] for row in agencies}
    rows = json.loads(
        cli_run("query", "partnerships", "-p", "la", "Sunderland", "--json", *store_args).output
    )
    assert (rows[0]["aLabel"], rows[0]["bLabel"]) == ("Northumbria Police", "Together for Children")
    pairs = json.loads(cli_run("partnerships", "--la", "Sunderland", "--json", *store_args).output)
    assert pairs[0]["agencies"] == ["Northumbria Police", "Together for Children"]

    # trends and comparisons (the figures' numbers agree across backends: test_trends.py)
    themes = json.loads(cli_run("trends", "--la", "Sunderland", "--json", *store_args).output)
    assert themes and all(r["critical"] <= r["findings"] for r in themes)
    moves = json.loads(cli_run("trends", "transitions", "--json", *store_args).output)
    assert sum(r["transitions"] for r in moves) > 100
    result = cli_run("compare", "--la", "Sunderland", "--json", "--resamples", "0", *store_args)
    assert json.loads(result.output)["neighbours"][0]["authority"] == "Redcar and Cleveland"

    page = tmp_path / "page.html"
    result = cli_run("viz", "partnerships", "--pairs", "all", "--out", page, *store_args)
    assert result.exit_code == 0 and "Northumbria Police" in page.read_text()

    # the export is the same graph on every backend: equal to a reference build
    out = tmp_path / "graph.nq"
    assert cli_run("export", "--format", "nq", "--out", out, *store_args).exit_code == 0
    exported = Dataset()
    exported.parse(out, format="nquads")
    expected, expected_export = bundled_and_mini_digest
    quads = [
        (s, p, o, getattr(g, "identifier", g))
        for s, p, o, g in exported.quads((None, None, None, None))
    ]
    assert digest_of(quads) == expected_export

    # bad input: one line, exit 2, nothing written
    bad = tmp_path / "bad.yaml"
    bad.write_text(mini.read_text().replace("type: police", "type: polis"))
    result = cli_run("build", bad, *store_args)
    assert result.exit_code == 2 and len(result.output.strip().splitlines()) == 1
    with open_from_args(store_args) as store:
        assert store.digest() == expected
        # a graph that breaks the shapes: validate exits 1.  The store is emptied first: the
        # whole build was validated above, and SHACL over those 30,000 triples again (some
        # 6 CPU-s a backend) would only find this graph's violation among them
        store.drop_graphs(store.graph_names())
        assert len(store) == 0
        broken = Graph()
        broken.add((ID["agency/unnamed"], RDF.type, ORG.Organization))
        store.replace_graphs({ID["graph/broken"]: broken})
    result = cli_run("validate", *store_args)
    assert (
        result.exit_code == 1 and "agency needs exactly one non-empty rdfs:label" in result.output
    )


@pytest.fixture(scope="module")
def synthetic():
    # above the ~6,000 triples of the ontology and the agencies alone: some inspections
    return generate(7000, seed=7)


@pytest.fixture(scope="module")
def synthetic_stores(synthetic, tmp_path_factory, oxigraph_servers):
    data = synthetic.nquads()
    stores = {}
    for kind in sorted(BACKENDS):
        if kind == "remote":
            server = oxigraph_servers.acquire()
            store = open_store(server.query_url, kind="remote")
        else:
            store = open_store(tmp_path_factory.mktemp(f"syn-{kind}") / "s", kind=kind)
        store.load(data)
        stores[kind] = store
    yield stores
    oxigraph_servers.release(server)


@pytest.mark.slow  # every backend
def test_synthetic_data_loads_identically_everywhere(synthetic, synthetic_stores):
    digests = {kind: store.digest() for kind, store in synthetic_stores.items()}
    assert set(digests.values()) == {synthetic.digest()}, digests
    assert {len(store) for store in synthetic_stores.values()} == {synthetic.triples}


@pytest.mark.slow
@pytest.mark.parametrize("name", sorted(n for n, q in queries.registry().items() if not q.network))
@pytest.mark.parametrize("scope", ["all", "one LA"])
def test_named_queries_give_the_same_distinct_results_on_every_backend(
    synthetic, synthetic_stores, name, scope
):
    """Differential test on a synthetic graph: equal sets of distinct rows everywhere."""
    q = queries.get(name)
    if q.network:
        pytest.skip(f"{name} asks a remote service (tested in test_link against a local one)")
    # an LA with findings and judgements
    inspected = next(
        r for r in synthetic.records if r.findings and any(i.judgements for i in r.inspections)
    )
    values = {p.name: EXAMPLES.get(p.name) for p in q.params if p.required}
    if scope == "one LA":
        if "la" not in {p.name for p in q.params}:
            pytest.skip(f"{name} has no la parameter")
        values["la"] = inspected.agencies[0].alt_labels[0]
    if name == "findings-for-agency":
        values["agency"] = inspected.agencies[0].label
    if name == "findings-by-theme":
        values["theme"] = inspected.findings[0].themes[0]
    if name == "partnerships":
        values["min_inspections"] = 1  # few inspections in a small graph
    text, bindings = q.prepare(values)
    results = {}
    for kind, store in synthetic_stores.items():
        rows = store.query(text, bindings).rows
        results[kind] = {tuple(_cell(v) for v in row) for row in rows}
    first = results["oxigraph"]
    assert first, f"{name} returned nothing on the synthetic graph"
    for kind, rows in results.items():
        assert rows == first, f"{name}: {kind} differs from oxigraph ({len(rows ^ first)} rows)"


def _cell(term):
    """Comparable text; GROUP_CONCAT order is up to each engine, so its items are sorted."""
    text = "" if term is None else str(term)
    for sep in ("; ", ", "):
        if sep in text and len(text) < 400:
            return sep.join(sorted(text.split(sep)))
    return text


# ---------------------------------------------------------------------- remote specifics


@pytest.mark.slow
def test_remote_store_finds_the_union_default_graph_or_names_the_dataset(mini):
    for union in (False, True):
        with OxigraphServer(union_default_graph=union) as server:
            store = open_store(server.query_url, kind="remote")
            build(store, [mini])
            count = store.query("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }").rows[0][0]
            assert int(count) == len(store) > 0
            assert store.union_default_graph is union
            # a FROM in the query is kept either way
            only = store.query(
                "SELECT (COUNT(*) AS ?n) FROM <https://w3id.org/inspectgraph/id/"
                "graph/mini> WHERE { ?s ?p ?o }"
            ).rows[0][0]
            assert 0 < int(only) < int(count)


def test_remote_errors_are_one_line(cli_run, tmp_path):
    result = cli_run("query", "agencies", "--endpoint", "http://127.0.0.1:9/query")
    assert result.exit_code == 2
    [line] = result.output.strip().splitlines()
    assert line.startswith("Error: http://127.0.0.1:9/query: cannot reach the SPARQL endpoint")
    with OxigraphServer() as server:
        result = cli_run("query", "agencies", "--endpoint", server.base_url + "/nowhere")
        assert result.exit_code == 2 and "EndPointNotFound" in result.output
        result = cli_run("query", "-", "--endpoint", server.query_url, input="SELECT nope")
        assert result.exit_code == 2 and len(result.output.strip().splitlines()) == 1
    result = cli_run("query", "agencies", "--endpoint", "ftp://example.org/x")
    assert result.exit_code == 2 and "not an http(s) URL" in result.output


def test_endpoint_options_do_not_mix(cli_run, tmp_path, monkeypatch):
    result = cli_run(
        "query", "agencies", "--endpoint", "http://127.0.0.1:9/query", "--store", tmp_path
    )
    assert result.exit_code == 2 and "cannot be combined" in result.output
    result = cli_run("query", "agencies", "--update-endpoint", "http://127.0.0.1:9/update")
    assert result.exit_code == 2 and "--update-endpoint needs --endpoint" in result.output
    # $INSPECTGRAPH_ENDPOINT selects the remote store, an explicit --store wins over it
    monkeypatch.setenv("INSPECTGRAPH_ENDPOINT", "http://127.0.0.1:9/query")
    assert "cannot reach" in cli_run("query", "agencies").output
    result = cli_run("query", "agencies", "--store", tmp_path / "none")
    assert "no store here" in result.output


@pytest.mark.slow  # two seconds or more: the full suite only
def test_remote_read_only_and_update_endpoint(mini):
    with OxigraphServer() as server:
        store = open_store(server.query_url, kind="remote", read_only=True)
        with pytest.raises(StoreError, match="read-only"):
            build(store, [mini])
        wrong = open_store(
            server.query_url, kind="remote", update_endpoint=server.base_url + "/nowhere"
        )
        with pytest.raises(StoreError, match="update refused, HTTP 404"):
            build(wrong, [mini])
        assert len(store) == 0
        right = open_store(server.query_url, kind="remote", update_endpoint=server.update_url)
        build(right, [mini])
        assert len(store) > 0


class _Recorder(BaseHTTPRequestHandler):
    seen: list = []

    def do_POST(self):  # noqa: N802 - the stdlib's name
        length = int(self.headers.get("Content-Length", 0))
        self.seen.append((self.path, self.headers.get("Authorization"), self.rfile.read(length)))
        body = json.dumps({"head": {"vars": ["g"]}, "results": {"bindings": []}}).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/sparql-results+json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


def test_credentials_in_the_url_become_basic_authentication(monkeypatch):
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Recorder)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        url = f"http://reader:s%40cret@127.0.0.1:{server.server_address[1]}/ds/query"
        store = open_store(url, kind="remote")
        assert store.graph_names() == []
        path, auth, body = _Recorder.seen[-1]
        assert path == "/ds/query" and b"s%40cret" not in body
        assert auth == "Basic " + base64.b64encode(b"reader:s@cret").decode()
        assert store.update_endpoint.endswith("/ds/update") and "reader" not in store.endpoint
        monkeypatch.setenv("INSPECTGRAPH_ENDPOINT_TOKEN", "t0ken")
        open_store(url.replace("reader:s%40cret@", ""), kind="remote").graph_names()
        assert _Recorder.seen[-1][1] == "Bearer t0ken"
    finally:
        server.shutdown()
        server.server_close()


# ---------------------------------------------------------------------- embedded Oxigraph writes


@pytest.mark.slow
def test_bulk_and_transactional_writes_give_the_same_store(tmp_path, synthetic):
    small = open_store(tmp_path / "t")
    bulk = open_store(tmp_path / "b")
    bulk.bulk_threshold = 100
    for store in (small, bulk):
        store.replace_graphs(synthetic.graphs)
        store.replace_graphs(synthetic.graphs)  # replacing, not adding
    assert small.digest() == bulk.digest() == synthetic.digest()
    assert not bulk._store.contains_named_graph(JOURNAL)
    bulk.load(synthetic.nquads())
    assert bulk.digest() == synthetic.digest() and len(bulk) == synthetic.triples


@pytest.mark.slow
def test_an_interrupted_bulk_write_leaves_graphs_complete_or_absent(
    tmp_path, mini, bundled_templates
):
    path = tmp_path / "s"
    shutil.copytree(bundled_templates["oxigraph"], path)  # as build(store) leaves it
    with open_store(path) as store:
        build(store, [mini])
        expected = {g for g in store.graph_names() if g != ID["graph/mini"]}
    # what a crash between the journal and its removal leaves: a half-written graph
    raw = ox.Store(str(path))
    mini_graph = ox.NamedNode(str(ID["graph/mini"]))
    raw.extend(
        [ox.Quad(mini_graph, ox.NamedNode("urn:x-inspectgraph:pending"), ox.Literal("t"), JOURNAL)]
    )
    raw.remove(next(iter(raw.quads_for_pattern(None, None, None, mini_graph))))
    del raw
    reader = OxigraphStore(path, read_only=True)  # cannot repair, so hides it
    assert set(reader.graph_names()) == expected
    assert all(g != ID["graph/mini"] for *_, g in reader.quads())
    assert not reader.query('ASK { ?s ?p "Police send too little." }').boolean
    assert len(reader) == sum(1 for _ in reader.quads())
    digest = reader.digest()
    reader.close()
    del reader
    with open_store(path) as writer:  # drops it for good
        assert set(writer.graph_names()) == expected and writer.digest() == digest
        assert not writer._store.contains_named_graph(JOURNAL)


@pytest.mark.slow  # two seconds or more: the full suite only
def test_load_refuses_bad_input_and_leaves_the_store_unchanged(tmp_path, kind, bundled_copy):
    with bundled_copy() as store:
        before = store.digest()
        for data, message in (
            (b"<http://e/a> <http://e/p> <http://e/o> .\n", "outside any named graph"),
            (b"<http://e/a> <http://e/p> .\n", "cannot read nquads"),
        ):
            with pytest.raises(StoreError, match=message):
                store.load(data)
            assert store.digest() == before
        trig = tmp_path / "x.trig"
        trig.write_text('<http://e/g> { <http://e/a> <http://e/p> "x" . }\n')
        assert store.load(trig, format="trig") == {URIRef("http://e/g"): 1}
        assert URIRef("http://e/g") in store.graph_names()


TEXT = st.text(st.characters(blacklist_categories=("Cs",)), max_size=40)


@pytest.fixture(scope="module")
def roundtrip_stores(tmp_path_factory, oxigraph_servers):
    server = oxigraph_servers.acquire()
    yield {
        "memory": open_store(kind="memory"),
        "oxigraph": open_store(tmp_path_factory.mktemp("roundtrip") / "s"),
        "remote": open_store(server.query_url, kind="remote"),
    }
    oxigraph_servers.release(server)


@pytest.mark.slow  # every backend
@settings(
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(values=st.lists(TEXT, min_size=1, max_size=5))
def test_any_text_round_trips_identically_on_every_backend(roundtrip_stores, values):
    """Literals with quotes, backslashes, newlines, control characters and any Unicode come
    back exactly, and the digests agree, on the small and the bulk write paths."""
    g = Graph()
    for i, v in enumerate(values):
        g.add((URIRef(f"http://example.org/s{i}"), URIRef("http://example.org/p"), Literal(v)))
    name = URIRef("http://example.org/graph/roundtrip")
    digests = set()
    for kind, store in roundtrip_stores.items():
        paths = [0, 10**9] if kind == "oxigraph" else [None]
        for threshold in paths:
            if threshold is not None:
                store.bulk_threshold = threshold
            store.replace_graphs({name: g})
            rows = store.query(
                "SELECT ?o WHERE { GRAPH <http://example.org/graph/roundtrip> { ?s ?p ?o } }"
            ).rows
            assert sorted(str(o) for (o,) in rows) == sorted(values), kind
            digests.add(store.digest())
        store.drop_graphs([name])
        if kind == "oxigraph":
            store.bulk_threshold = OxigraphStore.bulk_threshold
    assert len(digests) == 1


@pytest.mark.slow
def test_remote_writes_larger_than_a_request_go_in_pieces(synthetic, monkeypatch):
    with OxigraphServer() as server:
        store = open_store(server.query_url, kind="remote")
        store.max_request_bytes = 40_000  # far below the synthetic graphs' size
        sent = []
        post = store._post_update
        monkeypatch.setattr(store, "_post_update", lambda text: (sent.append(text), post(text)))
        store.load(synthetic.nquads())
        # each upload under the limit; the last request switches the graphs in by name
        assert len(sent) > 5 and all(len(t.encode()) < 42_000 for t in sent[:-1])
        assert sent[-1].startswith("DROP SILENT GRAPH") and "INSERT DATA" not in sent[-1]
        assert store.digest() == synthetic.digest()

        # a failure half-way: nothing changed, the staging graphs are gone
        big = max(synthetic.graphs, key=lambda n: len(synthetic.graphs[n]))
        store.max_request_bytes = 20_000
        calls = []

        def failing(text):
            calls.append(text)
            if len(calls) == 3 and "INSERT DATA" in text:
                raise StoreError("simulated failure")
            post(text)

        monkeypatch.setattr(store, "_post_update", failing)
        changed = Graph()
        for s, p, o in synthetic.graphs[big]:
            changed.add((s, p, Literal("changed") if isinstance(o, Literal) else o))
        with pytest.raises(StoreError, match="while staging the write: the store is unchanged"):
            store.replace_graphs({big: changed})
        monkeypatch.setattr(store, "_post_update", post)
        assert store.digest() == synthetic.digest()
        rows = store.query("SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }").rows
        assert {g for (g,) in rows} == set(synthetic.graphs)
        # and whole: the staged graph is switched in by the last request
        store.replace_graphs({big: changed})
        assert store.query('ASK { ?s ?p "changed" }').boolean
        assert len(store) == synthetic.triples - len(synthetic.graphs[big]) + len(changed)


@pytest.mark.slow
def test_first_load_into_an_empty_store_is_all_or_nothing(tmp_path, synthetic):
    data = synthetic.nquads()
    store = open_store(tmp_path / "fresh")
    for bad, message in (
        (data + b"<http://e/a> <http://e/p> <http://e/o> .\n", "outside any named graph"),
        (data[:-40] + b"<http://e/a> <http://e/p> .\n", "cannot read nquads"),
    ):
        with pytest.raises(StoreError, match=message):
            store.load(bad)
        assert len(store) == 0 and store.graph_names() == []
    counts = store.load(data)
    assert sum(counts.values()) == synthetic.triples and store.digest() == synthetic.digest()
    store.close()
    del store
    # a crash during a first load: the journal marks the whole store as in flux
    raw = ox.Store(str(tmp_path / "crashed"))
    raw.extend(
        [
            ox.Quad(
                ox.NamedNode("urn:x-inspectgraph:all-graphs"),
                ox.NamedNode("urn:x-inspectgraph:pending"),
                ox.Literal("t"),
                JOURNAL,
            )
        ]
    )
    raw.load(data[: len(data) // 2].rsplit(b"\n", 1)[0] + b"\n", format=ox.RdfFormat.N_QUADS)
    del raw
    reader = OxigraphStore(tmp_path / "crashed", read_only=True)
    assert reader.graph_names() == [] and len(reader) == 0
    assert not reader.query("ASK { ?s ?p ?o }").boolean
    reader.close()
    del reader
    writer = open_store(tmp_path / "crashed")
    assert len(writer) == 0 and not writer._store.contains_named_graph(JOURNAL)
