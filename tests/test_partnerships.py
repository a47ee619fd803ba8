import networkx as nx

from inspectgraph import queries
from inspectgraph.graph import (
    centrality,
    communities,
    partnership_graph_from_store,
    recurring_partnerships,
)


def test_sunderland_police_and_together_for_children_recur_first(bundled_store):
    rows = recurring_partnerships(partnership_graph_from_store(bundled_store, la="Sunderland"))
    assert rows[0]["agencies"] == ["Northumbria Police", "Together for Children"]
    top = rows[0]
    assert top["inspections"] >= 2 and top["findings"] >= top["inspections"]
    assert top["first"] <= "2019-02-07" <= top["last"]
    assert "front_door" in top["themes"] and top["example"]


def test_networkx_analysis_agrees_with_the_sparql_aggregate(bundled_store):
    q = queries.get("partnerships")
    sparql = bundled_store.query(q.text, q.bindings({"min_inspections": 1})).dicts()
    G = partnership_graph_from_store(bundled_store)
    python = recurring_partnerships(G, min_inspections=1)
    assert [
        (
            str(r["aLabel"]),
            str(r["bLabel"]),
            int(r["findings"]),
            int(r["inspections"]),
            int(r["years"]),
            str(r["first"]),
            str(r["last"]),
        )
        for r in sparql
    ] == [
        (*p["agencies"], p["findings"], p["inspections"], p["years"], p["first"], p["last"])
        for p in python
    ]


def test_strengths_give_a_different_graph(bundled_store):
    weak = partnership_graph_from_store(bundled_store, polarity="weakness")
    strong = partnership_graph_from_store(bundled_store, polarity="strength")
    assert set(weak.edges) != set(strong.edges) or weak.size() != strong.size()


def test_praise_after_2021_does_not_count_as_criticism(bundled_store):
    G = partnership_graph_from_store(bundled_store)
    for _a, _b, d in G.edges(data=True):
        assert d["findings"] >= 1 and d["first"] <= d["last"]


def test_centrality_and_communities_are_seeded_and_complete(bundled_store):
    G = partnership_graph_from_store(bundled_store, polarity="")
    c1, c2 = centrality(G, seed=1), centrality(G, seed=1)
    assert c1 == c2 and set(c1) == set(G)
    assert communities(G, seed=3) == communities(G, seed=3)


def test_betweenness_is_sampled_with_a_seed_on_large_graphs():
    big = nx.gnm_random_graph(600, 1200, seed=1)
    nx.set_edge_attributes(big, 1, "inspections")
    approx = centrality(big, k=40, seed=7)
    assert approx == centrality(big, k=40, seed=7) and len(approx) == 600
    assert approx != centrality(big, k=40, seed=8)
