import datetime as dt
from pathlib import Path

import pytest
from rdflib import Literal, URIRef

from inspectgraph import queries
from inspectgraph.errors import InputError
from inspectgraph.graph.sparql import inject_values, values_block, where_brace
from inspectgraph.graph.stores import BACKENDS

REQUIRED = {
    "agencies",
    "inspections",
    "findings-by-theme",
    "findings-for-agency",
    "partnerships",
    "theme-agency-counts",
    "judgement-history",
}
EXAMPLE_VALUES = {"theme": "front_door", "agency": "Northumbria Police", "la": "Sunderland"}


def _cell(term) -> str:
    """Cell text, with GROUP_CONCAT lists sorted: their order is engine-defined."""
    text = str(term)
    for sep in ("; ", ", "):
        if sep in text and len(text) < 200:
            return sep.join(sorted(text.split(sep)))
    return text


def run(store, name, **values):
    q = queries.get(name)
    names = {p.name for p in q.params}
    merged = {k: v for k, v in {**EXAMPLE_VALUES, **values}.items() if k in names}
    return store.query(*q.prepare(merged))


def test_registry_has_the_required_queries_with_headers():
    reg = queries.registry()
    assert REQUIRED <= set(reg)
    for q in reg.values():
        assert q.title and q.description, q.name
        assert all(p.type in queries.PARAM_TYPES and p.description for p in q.params), q.name
        assert "ORDER BY" in q.text, f"{q.name}: results must have a deterministic order"


OFFLINE = sorted(name for name, q in queries.registry().items() if not q.network)


@pytest.mark.slow  # every backend
@pytest.mark.parametrize("name", OFFLINE)
def test_every_named_query_gives_the_same_rows_on_every_backend(bundled_stores, name):
    results = {kind: run(store, name) for kind, store in bundled_stores.items()}
    rows = {kind: [tuple(map(_cell, r)) for r in res.rows] for kind, res in results.items()}
    first, *others = rows.values()
    assert first, f"{name} returned nothing on the bundled data"
    for other in others:
        assert other == first


def test_judgement_history_of_sunderland(bundled_store):
    rows = run(bundled_store, "judgement-history", area="overall_effectiveness").dicts()
    grades = [(str(r["date"])[:4], str(r["gradeKey"])) for r in rows]
    assert ("2015", "inadequate") in grades and ("2021", "outstanding") in grades
    assert [int(r["rank"]) for r in rows] == sorted([int(r["rank"]) for r in rows], reverse=True)
    # without an area, every graded area of every inspection
    every = run(bundled_store, "judgement-history").dicts()
    areas = {str(r["areaKey"]) for r in every}
    assert {"overall_effectiveness", "help_and_protection"} <= areas and len(every) > len(rows)


def test_la_parameter_matches_labels_and_alternative_labels(bundled_store):
    sunderland = run(bundled_store, "inspections", la="Sunderland City Council").dicts()
    assert sunderland and {str(r["laLabel"]) for r in sunderland} == {"Sunderland City Council"}
    assert run(bundled_store, "inspections", la="sunderland").dicts() == sunderland
    gateshead = run(bundled_store, "inspections", la="Gateshead").dicts()
    assert gateshead and {str(r["laLabel"]) for r in gateshead} == {"Gateshead Borough Council"}
    assert run(bundled_store, "inspections", la="Atlantis").rows == []
    everyone = run(bundled_store, "judgement-history", la="").dicts()
    assert len({str(r["laLabel"]) for r in everyone}) >= 153


def test_findings_for_agency(bundled_store):
    rows = run(bundled_store, "findings-for-agency", agency="TfC", polarity="weakness").dicts()
    assert rows and all(str(r["polarityKey"]) == "weakness" for r in rows)


def test_parameters_are_typed_and_validated():
    q = queries.get("partnerships")
    b = q.bindings({"min_inspections": "3", "la": "Sunderland"})
    assert b["min_inspections"] == Literal(3) and b["polarity"] == Literal("weakness")
    with pytest.raises(InputError, match="expected an integer"):
        q.bindings({"min_inspections": "two"})
    with pytest.raises(InputError, match="unknown parameter 'colour'"):
        q.bindings({"colour": "red"})
    with pytest.raises(InputError, match="missing required parameter 'theme'"):
        queries.get("findings-by-theme").bindings({})
    assert queries.Param("d", "date").to_term(dt.date(2019, 6, 14)).datatype.endswith("#date")
    with pytest.raises(InputError, match="expected an absolute IRI"):
        queries.Param("x", "iri").to_term("http://e/> } DROP ALL #")
    assert queries.Param("x", "iri").to_term("http://e/a") == URIRef("http://e/a")


@pytest.fixture(scope="module")
def unchanged(bundled_stores):
    """unchanged(store), before and after a test's queries: the store keeps its graphs and
    size; each store's digest is taken before its first query and compared once, when the
    module's tests are done (two digests a test cost most of their time)."""
    first = {}

    def check(store):
        shape = (sorted(store.graph_names()), len(store))
        if store.kind not in first:
            first[store.kind] = (store, shape, store.digest())
        assert shape == first[store.kind][1], f"{store.kind}: a query changed the store"

    yield check
    for kind, (store, _, digest) in first.items():
        assert store.digest() == digest, f"{kind}: a query changed the store"


@pytest.mark.parametrize(
    "payload",
    [
        'Sunderland" } DROP ALL #',
        "Sunderland' . ?s ?p ?o #",
        'x"))) } UNION { ?s ?p ?o } #',
        "\\u0022 } DROP ALL",
        "Sunderland\n} ; DROP ALL ; #",
        "<http://evil/> ",
    ],
)
def test_string_parameters_cannot_change_the_query(bundled_store, payload, unchanged):
    store = bundled_store  # each backend in turn
    unchanged(store)
    assert run(store, "inspections", la=payload).rows == []
    unchanged(store)


@pytest.mark.parametrize("text", ['a"b\nc', "'''\"\"\"", "\\u0022", "}#{", "é\u2028<x>", "\\"])
def test_values_block_carries_any_string_exactly(text):
    from inspectgraph.graph.stores import open_store

    block = values_block({"la": Literal(text)})
    assert block.startswith("VALUES (?la) { (")
    with open_store(kind="oxigraph") as store:  # parses the VALUES block we wrote
        [(value,)] = store.query("SELECT ?la WHERE { }", {"la": Literal(text)}).rows
    assert str(value) == text


def test_where_brace_skips_comments_strings_and_iris():
    q = '# WHERE { trap\nPREFIX e: <http://e/{x}>\nSELECT ?where WHERE {\n ?s e:p "} WHERE {" }'
    assert q[where_brace(q) :].startswith("{\n ?s e:p")
    construct = "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }"
    assert construct[where_brace(construct) :] == "{ ?s ?p ?o }"
    assert where_brace("ASK { ?s ?p ?o }") == 4
    assert "VALUES" in inject_values("SELECT * { ?s ?p ?o }", {"o": Literal(1)})


INJECTION_PAYLOADS = [
    '" } DROP ALL #',
    "' } DROP ALL #",
    '"""} DROP ALL #',
    "'''} DROP ALL #",
    '") } UNION { ?s ?p ?o } #',
    '"))) } } SELECT * WHERE { ?s ?p ?o } #',
    'x" . ?s ?p ?o . FILTER("1"="1',
    "} ; DROP ALL ; #",
    "}\nDROP ALL\n#",
    "\n} INSERT DATA { <http://e/a> <http://e/b> <http://e/c> } #",
    "#",
    "<http://evil.example/>",
    "> ; DROP ALL",
    "\\u0022 } DROP ALL #",
    '\\" } DROP ALL #',
    "\u0000",
    "?s ?p ?o",
    "$la",
    "%22%7D%20DROP%20ALL",
    'Sunderland" || true || "',
    "') || ('1'='1",
    "{}{}{}",
    "\u202e} DROP ALL",
    "Sunderland\r\n} DROP ALL",
]


# every payload through every parameter (the fast tier keeps the string-parameter test
# above); the embedded default and remote endpoints are what face users
@pytest.mark.slow
@pytest.mark.parametrize("kind", ["oxigraph", "remote"])
@pytest.mark.parametrize("name", OFFLINE)
def test_injection_through_every_parameter_of_every_query(bundled_stores, kind, name, unchanged):
    """Each payload either fails typed validation or matches nothing, and nothing changes."""
    q = queries.get(name)
    for store in [bundled_stores[kind]]:
        unchanged(store)
        for param in q.params:
            for payload in INJECTION_PAYLOADS:
                values = {
                    p.name: EXAMPLE_VALUES.get(p.name, p.default) for p in q.params if p.required
                }
                values[param.name] = payload
                try:
                    text, bindings = q.prepare(values)
                except InputError:
                    continue  # typed parameter refused the payload
                assert store.query(text, bindings).rows == [], (name, param.name, payload)
        unchanged(store)


@pytest.mark.slow  # two seconds or more: the full suite only
def test_local_queries_cannot_reach_the_network(bundled_stores, cli_run, built_store_dir):
    """SERVICE, LOAD and FROM are refused without --allow-network: 0 requests reach a server."""
    import http.server
    import threading

    hits = []

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802 - http.server's naming
            hits.append(self.path)
            self.send_response(200)
            self.send_header("Content-Type", "text/turtle")
            self.end_headers()
            self.wfile.write(b"<http://e/a> <http://e/b> <http://e/c> .")

        do_POST = do_GET  # noqa: N815

        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    url = f"http://127.0.0.1:{server.server_address[1]}/sparql"
    try:
        attempts = [
            f"SELECT * WHERE {{ SERVICE <{url}> {{ ?s ?p ?o }} }}",
            f"SELECT * FROM <{url}> WHERE {{ ?s ?p ?o }}",
            f"SELECT * FROM NAMED <{url}> WHERE {{ GRAPH ?g {{ ?s ?p ?o }} }}",
            f"select * where {{ service silent <{url}> {{ ?s ?p ?o }} }}",
        ]
        for query in attempts:
            # a remote endpoint is the network; the guard is for the local stores (the
            # remote one is never asked for, so never built)
            for kind in sorted(BACKENDS.keys() - {"remote"}):
                with pytest.raises(InputError, match="reaches the network"):
                    bundled_stores[kind].query(query)
            result = cli_run("query", "-", "--store", built_store_dir, input=query)
            assert result.exit_code == 2 and "--allow-network" in result.output
        assert hits == []
    finally:
        server.shutdown()


# ---------------------------------------------------------------- the rewrite of #16

# the named queries as they were before they were shaped for the engine (commit 2535590):
# name filters by LCASE inside EXISTS, polarity by its notation, ORDER BY STR()
BEFORE = Path(__file__).parent / "data" / "queries-2535590"

# typical and edge parameters of each offline query (theme and agency are required)
CASES = {
    "agencies": [{}, {"type": "police"}, {"type": "local_authority"}, {"type": "no_such_type"}],
    "criticised-findings": [
        {},
        {"polarity": ""},
        {"polarity": "strength", "la": "sunderland CITY council"},
        {"la": "Sunderland"},
        {"region": "North East"},
        {"region": "north_east", "since": "2019-01-01"},
        {"until": "2018-12-31", "polarity": "mixed"},
        {"la": "Atlantis"},
    ],
    "finding-agencies": [
        {},
        {"polarity": ""},
        {"la": "Sunderland"},
        {"la": "TOGETHER FOR CHILDREN", "polarity": "strength"},
        {"region": "north_east", "since": "2019-01-01", "until": "2021-12-31"},
        {"region": "London"},
    ],
    "findings-by-theme": [
        {"theme": "front_door"},
        {"theme": "front_door", "polarity": "weakness"},
        {"theme": "front_door", "la": "Sunderland"},
        {"theme": "leadership", "la": "sunderland", "polarity": "strength"},
        {"theme": "no_such_theme"},
    ],
    "findings-for-agency": [
        {"agency": "TfC"},
        {"agency": "northumbria police", "polarity": "weakness"},
        {"agency": "Sunderland City Council", "polarity": ""},
        {"agency": "Atlantis"},
    ],
    "inspections": [{}, {"la": "Sunderland"}, {"la": "gateshead"}, {"la": "Atlantis"}],
    # the area is always given: its default became "" (every area) after the rewrite (#17)
    "judgement-history": [
        {"area": "overall_effectiveness"},
        {"area": ""},
        {"la": "Sunderland", "area": "overall_effectiveness"},
        {"la": "Sunderland", "area": ""},
        {"area": "no_such_area"},
    ],
    "local-authorities": [
        {},
        {"la": "Sunderland"},
        {"region": "north_east"},
        {"region": "Yorkshire and the Humber"},
        {"la": "Sunderland", "region": "london"},
    ],
    "partnerships": [
        {},
        {"min_inspections": 1},
        {"min_inspections": 1, "polarity": ""},
        {"min_inspections": 1, "la": "Sunderland"},
        {"min_inspections": 1, "la": "Atlantis"},
    ],
    "theme-agency-counts": [{}, {"polarity": ""}, {"la": "Sunderland"}, {"la": "Atlantis"}],
}


def test_every_offline_named_query_has_before_and_after_cases():
    assert set(CASES) == set(OFFLINE)
    assert {p.name for p in BEFORE.glob("*.rq")} >= {f"{n}.rq" for n in OFFLINE}


@pytest.mark.slow
@pytest.mark.parametrize("name", OFFLINE)
def test_the_rewritten_queries_give_the_rows_of_the_old_ones(bundled_stores, name):
    """Same rows, same order, for typical and edge parameters: the rewrite (#16) changed how
    the engine is asked, not what it answers."""
    store = bundled_stores["oxigraph"]
    old = queries.load_query_file(BEFORE / f"{name}.rq")
    new = queries.get(name)
    seen = 0
    for values in CASES[name]:
        before = [tuple(map(_cell, r)) for r in store.query(old.text, old.bindings(values)).rows]
        after = [tuple(map(_cell, r)) for r in store.query(*new.prepare(values)).rows]
        assert after == before, (name, values)
        seen += len(before)
    assert seen, f"{name}: every case gave no rows, so nothing was compared"


# ------------------------------------------- each engine its shape (# if @rdflib)

ENGINE_SHAPED = sorted(name for name in OFFLINE if "@rdflib" in queries.get(name).text)


def test_some_named_queries_carry_a_shape_for_each_engine():
    assert {"finding-agencies", "partnerships"} <= set(ENGINE_SHAPED)


@pytest.mark.parametrize("name", ENGINE_SHAPED)
def test_both_shapes_of_a_query_give_the_same_rows(bundled_stores, name, monkeypatch):
    """The shape Oxigraph gets (scans joined by hashing, subqueries that see the parameters)
    and the one rdflib gets (lookups), both run on the same Oxigraph store: same rows, same
    order, for every case of the rewrite's comparison."""
    store = bundled_stores["oxigraph"]
    q = queries.get(name)
    seen = 0
    for values in CASES[name]:
        text, bindings = q.prepare(values)
        monkeypatch.setattr(store, "traits", frozenset())
        own = [tuple(map(_cell, r)) for r in store.query(text, bindings).rows]
        monkeypatch.setattr(store, "traits", frozenset({"rdflib"}))
        lookups = [tuple(map(_cell, r)) for r in store.query(text, bindings).rows]
        assert own == lookups, (name, values)
        seen += len(own)
    assert seen, f"{name}: every case gave no rows, so nothing was compared"


def test_engine_conditions_are_left_to_the_store_and_resolved_there():
    from inspectgraph.graph.sparql import for_engine

    q = queries.parse_query(
        '# param: la string = ""\n'
        "SELECT ?c WHERE {\n"
        "  { SELECT * WHERE {  # parameters # if la unless @rdflib\n"
        "  ?c <http://e/key> ?folded_la .  # if la\n"
        "  } LIMIT 10 }  # if la unless @rdflib\n"
        "  ?c <http://e/lookup> ?o .  # if la|@rdflib\n"
        "  { SELECT ?c ?o WHERE { ?c <http://e/scan> ?o } }  # unless la|@rdflib\n"
        "}",
        "q",
    )
    given, _ = q.prepare({"la": "x"})
    assert "scan" not in given and "lookup" in given
    assert "# unless @rdflib" in given  # the subquery: Oxigraph's, not rdflib's
    assert "LIMIT" in for_engine(given, frozenset())
    assert "LIMIT" not in for_engine(given, frozenset({"rdflib"}))
    assert "key" in for_engine(given, frozenset({"rdflib"}))
    empty, _ = q.prepare({})
    assert "LIMIT" not in empty and "key" not in empty
    assert "scan" in for_engine(empty, frozenset()) and "lookup" not in for_engine(empty, set())
    assert "scan" not in for_engine(empty, {"rdflib"}) and "lookup" in for_engine(empty, {"rdflib"})


def test_parameters_go_into_the_group_marked_for_them():
    text = "SELECT * WHERE {\n  { SELECT * WHERE {  # parameters\n  ?s ?p ?la } LIMIT 5 }\n}"
    out = inject_values(text, {"la": Literal("x")})
    assert out.index('VALUES (?la) { ("x") }') > out.index("{ SELECT")
    assert out.startswith("SELECT * WHERE {\n  { SELECT * WHERE { VALUES")
