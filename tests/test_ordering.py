"""The Oxigraph backend applies a query's final ORDER BY in Python (stores.ordering): the
rows and their order must be the engine's own."""

import pytest
from rdflib import XSD, BNode, Graph, Literal, URIRef

from inspectgraph.graph.stores import open_store
from inspectgraph.graph.stores.ordering import split_order

E = "http://example.org/"
VALUES = [
    URIRef(E + "b"), URIRef(E + "a"), URIRef(E + "é"), URIRef(E + "a/long/iri/" + "x" * 40),
    BNode("n1"), Literal("zeta"), Literal("Alpha"), Literal("ä long text " * 5), Literal(""),
]  # fmt: skip
NUMBERS = [Literal(3), Literal(-1), Literal(10), Literal("2.5", datatype=XSD.decimal), Literal(0)]
DATES = [Literal("2021-03-04", datatype=XSD.date), Literal("2019-12-31", datatype=XSD.date)]


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    s = open_store(tmp_path_factory.mktemp("ordering") / "store")
    g = Graph()
    for i, value in enumerate(VALUES + NUMBERS + DATES):
        subject = URIRef(f"{E}s{i:02d}")
        kind = "v" if value in VALUES else "n" if value in NUMBERS else "d"
        g.add((subject, URIRef(E + kind), value))
        g.add((subject, URIRef(E + "group"), Literal(i % 3)))
    s.replace_graphs({URIRef(E + "g"): g})
    return s


@pytest.mark.parametrize(
    "query",
    [
        "SELECT ?s ?v WHERE { ?s <{E}v> ?v } ORDER BY ?v",
        "SELECT ?s ?v WHERE { ?s <{E}v> ?v } ORDER BY DESC(?v) ?s",
        "SELECT ?s ?n ?g WHERE { ?s <{E}n> ?n ; <{E}group> ?g } ORDER BY ?g DESC(?n)",
        "SELECT ?s ?d WHERE { ?s <{E}d> ?d } ORDER BY ASC(?d)",
        "SELECT ?s ?x WHERE { ?s <{E}group> ?g OPTIONAL { ?s <{E}d> ?x } } ORDER BY ?x ?s",
        "SELECT ?g (COUNT(?s) AS ?c) WHERE { ?s <{E}group> ?g } GROUP BY ?g ORDER BY DESC(?c) ?g",
        # numbers and text in one column: left to the engine
        "SELECT ?s ?o WHERE { ?s <{E}v>|<{E}n> ?o } ORDER BY ?o ?s",
    ],
)
def test_rows_and_order_are_the_engines(store, query):
    query = query.replace("{E}", E)
    assert split_order(query) is not None
    ours = store._run(query).rows
    engine = store._run(query, sort_here=False).rows
    assert ours == engine


def test_only_a_final_order_by_over_variables_is_moved():
    assert split_order("SELECT ?a WHERE { ?a ?p ?o } ORDER BY ?a LIMIT 2") is None
    assert split_order("SELECT ?a WHERE { ?a ?p ?o } ORDER BY STR(?a)") is None
    assert split_order("SELECT ?a WHERE { { SELECT ?a WHERE { ?a ?p ?o } ORDER BY ?a } }") is None
    assert split_order("CONSTRUCT { ?a ?p ?o } WHERE { ?a ?p ?o } ORDER BY ?a") is None
    text, keys = split_order("SELECT ?a WHERE { ?a ?p ?o }\nORDER BY ?a  # by name\n")
    assert keys == [("a", False)] and "ORDER" not in text
