"""Exports of the partnership graph (Gephi formats, CSV, JSON, figures), read back."""

import csv
import json
import re
import xml.etree.ElementTree as ET

import networkx as nx
import pytest

from inspectgraph.viz.netexport import NETWORK_FORMATS, analysis_graph, csv_paths, write_network
from inspectgraph.viz.style import AGENCY_TYPE_STYLES

NODE_TYPES = {
    "label": str,
    "iri": str,
    "agency_type": str,
    "agency_type_label": str,
    "color": str,
    "shape": str,
    "partners": int,
    "findings": int,
    "degree_centrality": float,
    "betweenness": float,
    "community": int,
    "x": float,
    "y": float,
    "size": float,
}
EDGE_TYPES = {
    "findings": int,
    "inspections": int,
    "years": int,
    "first": str,
    "last": str,
    "themes": str,
    "example": str,
    "example_finding": str,
    "inspection_ids": str,
    "local_authorities": str,
    "weight": float,
}


@pytest.fixture(scope="module")
def graph(bundled_stores):
    return analysis_graph(bundled_stores["oxigraph"], seed=0)


def check_typed(H, G):
    """H, read back from a file, has G's nodes and edges with typed attributes."""
    assert set(H) == set(G) and H.number_of_edges() == G.number_of_edges()
    for n, d in H.nodes(data=True):
        for key, kind in NODE_TYPES.items():
            assert type(d[key]) is kind, (key, d[key])
        assert d["label"] == G.nodes[n]["label"]
        assert d["color"] == AGENCY_TYPE_STYLES[G.nodes[n]["agency_type"]]["color"]
        assert d["betweenness"] == pytest.approx(G.nodes[n]["betweenness"])
        assert d["community"] == G.nodes[n]["community"]
    for u, v, d in H.edges(data=True):
        for key, kind in EDGE_TYPES.items():
            assert type(d[key]) is kind, (key, d[key])
        assert d["inspections"] == G.edges[u, v]["inspections"]
        assert d["findings"] == G.edges[u, v]["findings"]
        assert d["themes"].split("; ") == G.edges[u, v]["themes"]


def test_graphml_reads_back_with_typed_attributes(graph, tmp_path):
    [path] = write_network(graph, tmp_path / "g.graphml")["paths"]
    H = nx.read_graphml(path)
    check_typed(H, graph)
    assert H.graph["polarity"] == "weakness" and H.graph["seed"] == 0


def test_gexf_reads_back_with_typed_attributes_and_gephi_drawing(graph, tmp_path):
    [path] = write_network(graph, tmp_path / "g.gexf")["paths"]
    H = nx.read_gexf(path)
    check_typed(H, graph)
    police = "https://w3id.org/inspectgraph/id/agency/northumbria-police"
    viz = H.nodes[police]["viz"]
    assert (viz["color"]["r"], viz["color"]["g"], viz["color"]["b"]) == (0xE6, 0x9F, 0x00)
    assert viz["position"]["x"] == H.nodes[police]["x"]
    # Gephi reads the shape from viz:shape/@value (networkx's reader looks elsewhere)
    ns = {"viz": "http://www.gexf.net/1.2draft/viz", "g": "http://www.gexf.net/1.2draft"}
    shapes = {
        n.get("id"): n.find("viz:shape", ns).get("value")
        for n in ET.parse(path).getroot().iter("{http://www.gexf.net/1.2draft}node")
    }
    assert shapes[police] == "square"


def test_node_link_json_keeps_lists(graph, tmp_path):
    [path] = write_network(graph, tmp_path / "g.json", title="T")["paths"]
    data = json.loads(open(path, encoding="utf-8").read())
    H = nx.node_link_graph(data, edges="links")
    assert set(H) == set(graph) and H.graph["title"] == "T"
    for u, v, d in H.edges(data=True):
        assert d["themes"] == graph.edges[u, v]["themes"]
        assert d["inspection_ids"] == graph.edges[u, v]["inspection_ids"]
        assert isinstance(d["inspections"], int)


def test_csv_writes_gephi_node_and_edge_tables(graph, tmp_path):
    paths = write_network(graph, tmp_path / "g.csv")["paths"]
    assert [p.rsplit("/", 1)[1] for p in paths] == ["g-nodes.csv", "g-edges.csv"]
    nodes = list(csv.DictReader(open(paths[0], encoding="utf-8")))
    edges = list(csv.DictReader(open(paths[1], encoding="utf-8")))
    assert {r["Id"] for r in nodes} == set(graph)
    assert {r["Label"] for r in nodes} == {d["label"] for _, d in graph.nodes(data=True)}
    assert len(edges) == graph.number_of_edges()
    for r in edges:
        d = graph.edges[r["Source"], r["Target"]]
        assert r["Type"] == "Undirected" and float(r["Weight"]) == d["inspections"]
        assert int(r["findings"]) == d["findings"]
    assert csv_paths("x/p")[0].name == "p-nodes.csv"


def test_svg_figure_has_the_page_colours_and_legend(graph, tmp_path):
    [path] = write_network(graph, tmp_path / "g.svg")["paths"]
    svg = open(path, encoding="utf-8").read()
    texts = re.findall(r"<!-- (.*?) -->", svg)
    assert "Agency type" in texts and "Lines: criticised together in" in texts
    assert {"Local authority (2)", "Police (1)"} <= set(texts)
    from inspectgraph.viz.static import partnership_figure

    labels = {t.get_text() for t in partnership_figure(graph).axes[0].texts}
    assert labels == {d["label"] for _, d in graph.nodes(data=True)}
    fills = set(re.findall(r"fill: ?(#[0-9a-f]{6})", svg))
    assert {AGENCY_TYPE_STYLES[t]["color"].lower() for t in ("police", "local_authority")} <= fills


def test_figures_are_reproducible_and_follow_the_seed(graph, tmp_path):
    a = write_network(graph, tmp_path / "a.svg", seed=1)["paths"][0]
    b = write_network(graph, tmp_path / "b.svg", seed=1)["paths"][0]
    c = write_network(graph, tmp_path / "c.svg", seed=2)["paths"][0]
    assert open(a, "rb").read() == open(b, "rb").read()
    assert open(a, "rb").read() != open(c, "rb").read()


def test_png_figure_shows_each_agency_type_colour(graph, tmp_path):
    from matplotlib.image import imread

    [path] = write_network(graph, tmp_path / "g.png")["paths"]
    pixels = imread(path)[..., :3].reshape(-1, 3)
    assert pixels.shape[0] > 1000 * 1000  # 300 dpi
    for kind in ("police", "local_authority"):
        rgb = [int(AGENCY_TYPE_STYLES[kind]["color"][i : i + 2], 16) / 255 for i in (1, 3, 5)]
        close = (abs(pixels - rgb) < 0.02).all(axis=1).sum()
        assert close > 500, kind


def test_pdf_figure(graph, tmp_path):
    [path] = write_network(graph, tmp_path / "g.pdf")["paths"]
    assert open(path, "rb").read(5) == b"%PDF-"


@pytest.mark.slow
@pytest.mark.parametrize("ext", NETWORK_FORMATS)
def test_viz_partnerships_picks_the_format_from_the_extension(
    cli_run, built_store_dir, tmp_path, ext
):
    out = tmp_path / f"p.{ext}"
    result = cli_run(
        "viz", "partnerships", "--pairs", "all", "--out", out, "--store", built_store_dir
    )
    assert result.exit_code == 0, result.output
    written = csv_paths(out) if ext == "csv" else [out]
    for p in written:
        assert p.stat().st_size > 100
    assert "3 agencies, 3 pairs" in result.output


def test_viz_partnerships_rejects_an_unknown_extension(cli_run, built_store_dir, tmp_path):
    result = cli_run(
        "viz", "partnerships", "--out", tmp_path / "p.xlsx", "--store", built_store_dir
    )
    assert result.exit_code == 2
    [line] = result.output.strip().splitlines()
    assert "p.xlsx: cannot tell the format from '.xlsx'" in line
    assert not list(tmp_path.iterdir())


def crowded_graph(n=40):
    """A hub with `n` partners whose long names cannot all fit around it."""
    G = nx.Graph()
    G.add_node("hub", label="Northumbria Police", agency_type="police")
    for i in range(n):
        G.add_node(
            f"c{i}",
            label=f"Borough council number {i} with a long name",
            agency_type="local_authority",
        )
        G.add_edge("hub", f"c{i}", inspections=2 + i % 3, findings=3)
    return G


@pytest.mark.slow
def test_figure_labels_never_overlap_and_the_hub_keeps_its_label():
    from inspectgraph.viz.static import partnership_figure

    G = crowded_graph()
    fig = partnership_figure(G, max_labels=G.number_of_nodes())
    fig.draw_without_rendering()
    texts = fig.axes[0].texts
    boxes = [t.get_window_extent() for t in texts]
    assert "Northumbria Police" in {t.get_text() for t in texts}
    assert 3 < len(texts) < G.number_of_nodes()  # crowded: some labels had to go
    for i, a in enumerate(boxes):
        assert not any(a.overlaps(b) for b in boxes[i + 1 :]), texts[i].get_text()


def test_figure_legend_starts_at_the_smallest_recurrence_drawn():
    from inspectgraph.viz.static import partnership_figure

    legend = partnership_figure(crowded_graph(6)).legends[1]
    assert [t.get_text() for t in legend.get_texts()] == [
        "2 inspections",
        "3 inspections",
        "4 inspections",
    ]


@pytest.mark.slow
def test_figures_use_the_positions_given(tmp_path):
    from inspectgraph.viz.layout import grouped_layout
    from inspectgraph.viz.static import write_partnership_figure

    G = crowded_graph(8)
    pos = grouped_layout(G, "agency_type", seed=0)
    via_export = write_network(G, tmp_path / "a.svg", pos=pos)["paths"][0]
    direct = write_partnership_figure(G, tmp_path / "b.svg", pos=pos)["path"]
    unpositioned = write_network(G, tmp_path / "c.svg")["paths"][0]
    assert open(via_export, "rb").read() == open(direct, "rb").read()
    assert open(via_export, "rb").read() != open(unpositioned, "rb").read()
