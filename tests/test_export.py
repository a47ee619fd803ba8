import itertools

import pytest
from rdflib import RDF, BNode, Dataset, Graph, URIRef

from inspectgraph.graph.annotation import annotation_quads
from inspectgraph.graph.build import build
from inspectgraph.graph.export import EXPORT_FORMATS, QUAD_FORMATS, export
from inspectgraph.graph.stores import BACKENDS
from inspectgraph.ontology import ID, IG
from inspectgraph.testing import assert_isomorphic

OA = "http://www.w3.org/ns/oa#"

PARSERS = {
    "ttl": "turtle",
    "nt": "nt",
    "nq": "nquads",
    "trig": "trig",
    "jsonld": "json-ld",
    "xml": "xml",
}


# The fast tier round-trips N-Quads (every graph) from the default backend; `make test`
# every format from it, and from the other backends one quad format and one triple
# format: a backend only supplies the quads (`Store.quads`), which `serialize` reads the
# same way for every format of a kind, so the other formats add nothing per backend.
FAST = ("oxigraph", "nq")
EVERY_BACKEND = {"nq", "ttl"}


@pytest.fixture(scope="module")
def expected_graphs(bundled_stores):
    """{kind: (triples by named graph, every triple)} of what each backend's bundled store
    holds, with the quotations in the Web Annotation form: what an export of it must parse
    back to. Read once per backend for the module's formats (the stores are only read)."""
    made = {}

    def expected(kind):
        if kind not in made:
            store = bundled_stores[kind]
            by_graph = {name: set() for name in store.graph_names()}
            for s, p, o, g in itertools.chain(store.quads(), annotation_quads(store)):
                if g in by_graph:
                    by_graph[g].add((s, p, o))
            made[kind] = by_graph, set().union(*by_graph.values())
        return made[kind]

    return expected


def assert_same_triples(back: Graph, expected: set) -> None:
    """``back`` holds exactly ``expected``: with no blank node on either side, isomorphism is
    equality of the triple sets (compared directly, instead of canonicalising two graphs of
    some 30,000 triples); with blank nodes, rdflib's isomorphism test."""
    got = set(back)
    if any(isinstance(t, BNode) for triple in itertools.chain(got, expected) for t in triple):
        graph = Graph()
        for triple in expected:
            graph.add(triple)
        assert_isomorphic(back, graph)
        return
    if got != expected:
        only_back, only_expected = got - expected, expected - got
        raise AssertionError(
            f"graphs differ: {len(only_back)} triples only in the export, "
            f"{len(only_expected)} only in the store\n export: {sorted(only_back)[:5]}\n "
            f"store: {sorted(only_expected)[:5]}"
        )


@pytest.mark.parametrize(
    "kind,fmt",
    [
        pytest.param(kind, fmt, marks=() if (kind, fmt) == FAST else pytest.mark.slow)
        for kind in sorted(BACKENDS)
        for fmt in sorted(EXPORT_FORMATS)
        if kind == "oxigraph" or fmt in EVERY_BACKEND
    ],
)
def test_every_export_format_round_trips(bundled_store, expected_graphs, kind, tmp_path, fmt):
    store = bundled_store
    out = tmp_path / f"graph.{fmt}"
    export(store, fmt, out)
    by_graph, every = expected_graphs(kind)
    if fmt in QUAD_FORMATS:
        back = Dataset()
        back.parse(out, format=PARSERS[fmt])
        for name, triples in by_graph.items():
            assert_same_triples(back.graph(name), triples)
    else:
        assert_same_triples(Graph().parse(out, format=PARSERS[fmt]), every)


def test_the_round_trip_check_fails_on_a_changed_triple():
    """The check above fails when one triple differs, is missing or is added, and still
    matches graphs whose blank nodes differ only in their names."""
    a = Graph().parse(data="<http://e/a> <http://e/p> 1, 2 .", format="turtle")
    assert_same_triples(a, set(a))
    for changed in (set(a) - {next(iter(a))}, set(a) | {(URIRef("http://e/b"),) * 3}):
        with pytest.raises(AssertionError, match="graphs differ"):
            assert_same_triples(a, changed)
    b = Graph().parse(data="<http://e/a> <http://e/p> [ <http://e/q> 1 ] .", format="turtle")
    renamed = Graph().parse(data="<http://e/a> <http://e/p> [ <http://e/q> 1 ] .", format="turtle")
    assert_same_triples(b, set(renamed))
    with pytest.raises(AssertionError):
        assert_same_triples(b, set(a))


@pytest.mark.slow  # two seconds or more: the full suite only
def test_the_export_writes_quotations_as_web_annotations(new_store, mini, tmp_path):
    """compact finding -> Web Annotation export -> parse: the same quote and offsets."""
    with new_store() as store:
        build(store, [mini])
        out = tmp_path / "graph.trig"
        export(store, "trig", out)
    back = Dataset()
    back.parse(out, format="trig")
    finding = ID["finding/acme-2020-fv/f2"]
    [g] = [c for c in back.graphs() if (finding, IG.quotation, None) in c]
    quote = g.value(finding, IG.quotation)
    assert g.value(quote, URIRef(OA + "hasSource")) == ID["report/acme-2020-fv/letter"]
    by_type = {
        str(g.value(s, RDF.type)).rsplit("#", 1)[1]: s
        for s in g.objects(quote, URIRef(OA + "hasSelector"))
    }
    assert set(by_type) == {"TextQuoteSelector", "TextPositionSelector"}
    text, position = by_type["TextQuoteSelector"], by_type["TextPositionSelector"]
    assert [str(g.value(text, URIRef(OA + k))) for k in ("exact", "prefix", "suffix")] == [
        "too little",
        "send ",
        ".",
    ]
    assert [g.value(position, URIRef(OA + k)).toPython() for k in ("start", "end")] == [5, 15]
    # the compact form is kept beside it
    assert str(g.value(finding, IG.exact)) == "too little"


@pytest.mark.slow
def test_export_cli_writes_file(cli_run, built_store_dir, tmp_path):
    out = tmp_path / "g.nq"
    result = cli_run("export", "--format", "nq", "--out", out, "--store", built_store_dir)
    assert result.exit_code == 0 and out.stat().st_size > 1000


def test_assert_isomorphic_reports_differences():
    a = Graph().parse(data="<http://e/a> <http://e/p> 1 .", format="turtle")
    b = Graph().parse(data="<http://e/a> <http://e/p> 2 .", format="turtle")
    with pytest.raises(AssertionError, match="1 triples only in first"):
        assert_isomorphic(a, b)


@pytest.mark.slow  # the session's mini-corpus store: built by the full suite's tests anyway
def test_pyoxigraph_terms_expand_the_quotations_as_rdflib_terms_do(shared_mini_store):
    """`expand_quotations` over pyoxigraph's own rows (how the national round trip in
    tests/test_national.py reads two million quads) gives the quads `annotation_quads`
    gives from the store's rdflib rows, on corpus letters and on rows made to differ:
    no prefix, suffix or start; text outside the BMP (offsets count code points)."""
    from collections import Counter

    import pyoxigraph as ox

    from inspectgraph.graph.annotation import (
        OX_TERMS,
        QUOTATIONS_QUERY,
        RDFLIB_TERMS,
        expand_quotations,
    )
    from inspectgraph.graph.stores import open_store
    from inspectgraph.graph.stores.oxterms import from_ox, to_ox

    def as_ox(quads):
        return Counter(ox.Quad(*(to_ox(t) for t in q)) for q in quads)

    with open_store(shared_mini_store, read_only=True) as store:
        via_rdflib = as_ox(annotation_quads(store))
    native = ox.Store.read_only(str(shared_mini_store))
    rows = [tuple(r) for r in native.query(QUOTATIONS_QUERY, use_default_graph_as_union=True)]
    del native
    assert len(rows) > 10 and via_rdflib
    assert Counter(ox.Quad(*q) for q in expand_quotations(rows, OX_TERMS)) == via_rdflib

    g, f, r = (ox.NamedNode(f"https://example.org/{n}") for n in ("graph", "f", "report"))
    integer = ox.NamedNode("http://www.w3.org/2001/XMLSchema#integer")
    made = [
        (g, f, r, ox.Literal("bare"), None, None, None),
        (g, f, r, ox.Literal("\U0001f600 \"quoted\"\n"), ox.Literal("a "), None,
         ox.Literal("07", datatype=integer)),
        (g, f, r, ox.Literal("x"), None, ox.Literal("."), ox.Literal("3", datatype=integer)),
    ]  # fmt: skip
    for row in made:
        rdflib_row = tuple(None if t is None else from_ox(t) for t in row)
        ours = Counter(ox.Quad(*q) for q in expand_quotations([row], OX_TERMS))
        assert ours == as_ox(expand_quotations([rdflib_row], RDFLIB_TERMS)), row
    ends = [q for q in expand_quotations(made[1:2], OX_TERMS) if q[1].value.endswith("#end")]
    assert [q[2].value for q in ends] == ["18"]  # 7 + 11 code points, the emoji one
