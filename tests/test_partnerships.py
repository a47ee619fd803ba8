import networkx as nx

from inspectgraph import queries
from inspectgraph.analysis import (
    centrality,
    communities,
    partnership_graph,
    partnership_graph_from_store,
    recurring_partnerships,
    type_partnerships,
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
    sparql = bundled_store.query(*q.prepare({"min_inspections": 1})).dicts()
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


# ---------------------------------------------------------------- the national analysis


def test_region_and_period_filters(bundled_store):
    def pairs(**kw):
        G = partnership_graph_from_store(bundled_store, **kw)
        return {tuple(r["agencies"]): r for r in recurring_partnerships(G, min_inspections=1)}

    everything = pairs()
    top = ("Northumbria Police", "Together for Children")
    assert top in pairs(region="north_east") and top in pairs(region="North East")
    assert pairs(region="london") == {}
    assert pairs(since="2019-01-01")[top]["inspections"] == 2
    assert pairs(until="2018-12-31")[top]["inspections"] == 1
    assert pairs(since="2030-01-01") == {}
    assert everything[top]["inspections"] == 3


def test_persistence_counts_successive_inspections_of_one_authority(bundled_store):
    rows = recurring_partnerships(partnership_graph_from_store(bundled_store, la="Sunderland"))
    top = rows[0]
    # criticised together in the 2018 re-inspection and both 2019 monitoring visits
    assert top["persistence"] == 3 and top["persistent_in"] == ["Sunderland City Council"]
    assert top["local_authorities"] == 1


def test_pairs_of_agency_types_sum_over_authorities():
    G = nx.Graph()
    for la in ("a", "b"):
        G.add_node(f"{la}-police", label=f"{la} police", agency_type="police")
        G.add_node(f"{la}-council", label=f"{la} council", agency_type="local_authority")
    rows = [
        {
            "finding": f"{la}{i}",
            "agency": a,
            "agencyLabel": a,
            "typeKey": t,
            "inspection": f"{la}-{i}",
            "date": f"20{19 + i}-01-01",
            "summary": "s",
            "themeKey": "front_door",
            "laLabel": la,
            "council": la,
        }
        for la in ("a", "b")
        for i in range(2)
        for a, t in ((f"{la}-police", "police"), (f"{la}-council", "local_authority"))
    ]
    G = partnership_graph(rows)
    [row] = type_partnerships(G)
    assert row["agency_types"] == ["local_authority", "police"]
    assert (row["pairs"], row["inspections"], row["local_authorities"], row["persistence"]) == (
        2,
        4,
        2,
        2,
    )
    assert row["persistent_in"] == ["a", "b"]


def test_partnerships_command_national_options(cli_run, built_store_dir):
    import json

    result = cli_run(
        "partnerships",
        "--region",
        "north_east",
        "--since",
        "2018-01-01",
        "--json",
        "--store",
        built_store_dir,
    )
    assert result.exit_code == 0, result.output
    rows = json.loads(result.output)
    assert rows[0]["agencies"] == ["Northumbria Police", "Together for Children"]
    assert {"local_authorities", "persistence", "persistent_in"} <= set(rows[0])
    result = cli_run("partnerships", "--persistent", "--json", "--store", built_store_dir)
    assert all(r["persistence"] >= 2 for r in json.loads(result.output))
    result = cli_run("partnerships", "--by", "type", "--json", "--store", built_store_dir)
    types = json.loads(result.output)
    assert ["local_authority", "police"] in [r["agency_types"] for r in types]
    result = cli_run("partnerships", "--region", "Atlantis", "--store", built_store_dir)
    assert result.exit_code == 2 and "unknown region 'Atlantis'" in result.output


def test_viz_groups_agencies_by_type_and_filters(cli_run, built_store_dir, tmp_path):
    import json

    out = tmp_path / "g.json"
    result = cli_run(
        "viz",
        "partnerships",
        "--region",
        "north_east",
        "--group",
        "type",
        "--pairs",
        "all",
        "--out",
        out,
        "--store",
        built_store_dir,
    )
    assert result.exit_code == 0, result.output
    data = json.loads(out.read_text())
    assert data["graph"]["region"] == "north_east"
    by_type = {}
    for n in data["nodes"]:
        by_type.setdefault(n["agency_type"], []).append((n["x"], n["y"]))
    assert len(by_type) >= 2
    result = cli_run(
        "viz",
        "partnerships",
        "--region",
        "london",
        "--pairs",
        "all",
        "--out",
        tmp_path / "l.html",
        "--store",
        built_store_dir,
    )
    assert result.exit_code == 0 and "(0 agencies, 0 pairs)" in result.output


def test_authorities_resolved_first_give_the_named_query_rows(bundled_store):
    """The analysis picks the authorities with `local-authorities`, then asks for their
    findings only; the result is what `finding-agencies` gives with the same filters."""
    q = queries.get("finding-agencies")

    def named(**params):
        rows = bundled_store.query(*q.prepare(params)).dicts()
        G = partnership_graph(
            [{k: "" if v is None else str(v) for k, v in r.items()} for r in rows]
        )
        return recurring_partnerships(G, min_inspections=1)

    for params in (
        {"la": "Sunderland"},
        {"la": "SUNDERLAND city council"},
        {"la": "Gateshead"},
        {"region": "North East"},
        {"region": "london"},
        {"la": "Sunderland", "region": "north_west"},
    ):
        analysed = recurring_partnerships(
            partnership_graph_from_store(bundled_store, polarity="weakness", **params),
            min_inspections=1,
        )
        assert analysed == named(**params), params
    assert named(la="Sunderland")  # the comparison is not between two empty results


def test_the_cocriticism_index_and_the_findings_give_the_same_graph(bundled_store):
    """The bundled records carry the co-criticism index (#16): the analysis reads it, and
    reading the findings themselves gives the same graph, edge for edge."""
    from inspectgraph.analysis.incidence import read_findings
    from inspectgraph.testing import same_partnership_graph

    assert read_findings(bundled_store, polarity="weakness,mixed")[-1] == "index"
    for params in (
        {},
        {"polarity": "weakness"},
        {"polarity": ""},
        {"la": "Sunderland"},
        {"region": "north_east", "since": "2019-01-01"},
        {"until": "2019-12-31", "polarity": "strength,mixed"},
    ):
        indexed = partnership_graph_from_store(bundled_store, resamples=50, **params)
        full = partnership_graph_from_store(bundled_store, resamples=50, use_index=False, **params)
        assert same_partnership_graph(indexed, full), params
    assert indexed.number_of_edges() > 0


def test_the_analysis_reads_the_same_graph_in_either_engines_shape(bundled_stores, monkeypatch):
    """The analysis's queries carry a shape for Oxigraph (scans joined by hashing) and one for
    rdflib (lookups); on the same (Oxigraph) store both give the same graph, by the index and
    by the findings themselves. (rdflib itself is not asked for Oxigraph's shape: it joins
    subqueries pairwise, for minutes.)"""
    from inspectgraph.testing import same_partnership_graph

    bundled_store = bundled_stores["oxigraph"]
    for params in ({}, {"polarity": ""}, {"la": "Sunderland"}, {"region": "north_east"}):
        for use_index in (None, False):
            graphs = []
            for traits in (frozenset(), frozenset({"rdflib"})):
                monkeypatch.setattr(bundled_store, "traits", traits)
                graphs.append(
                    partnership_graph_from_store(
                        bundled_store, resamples=50, use_index=use_index, **params
                    )
                )
            assert same_partnership_graph(*graphs), (params, use_index)
    assert graphs[0].number_of_edges() > 0
