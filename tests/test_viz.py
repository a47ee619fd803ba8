"""Tests of the drawing side: layout, style and the offline HTML page."""

import base64
import doctest
import hashlib
import json
import math
import re

import networkx as nx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from inspectgraph.viz import (
    AGENCY_TYPE_STYLES,
    AGENCY_TYPES,
    agency_color,
    agency_type_key,
    compute_layout,
    edge_tooltip,
    edge_width,
    node_size,
    node_tooltip,
    partnership_network,
    write_partnership_page,
)
from inspectgraph.viz import html as viz_html
from inspectgraph.viz import layout as viz_layout
from inspectgraph.viz import style as viz_style

CONTRACT_TYPES = [
    "local_authority",
    "police",
    "health",
    "education",
    "probation",
    "youth_justice",
    "housing",
    "voluntary_sector",
    "courts_cafcass",
    "safeguarding_partnership",
    "multi_agency",
    "inspectorate",
]

ID = "https://w3id.org/inspectgraph/id/"


def random_graph(n=1000, m=2000, seed=7):
    G = nx.gnm_random_graph(n, m, seed=seed)
    for v in G:
        G.nodes[v].update(label=f"Agency {v}", agency_type=CONTRACT_TYPES[v % len(CONTRACT_TYPES)])
    for k, (u, v) in enumerate(G.edges):
        G.edges[u, v].update(
            findings=k % 9 + 1,
            inspections=k % 5 + 1,
            years=k % 3 + 1,
            first="2018-01-01",
            last="2024-01-01",
            themes=["front door"],
            example=f"Finding {k}",
        )
    return G


def page_data(text):
    """Parse the JSON data block of a written page."""
    m = re.search(
        r'<script type="application/json" id="inspectgraph-data">(.*?)</script>',
        text,
        flags=re.S,
    )
    assert m is not None
    return json.loads(m.group(1))


# Doctests -----------------------------------------------------------------


@pytest.mark.parametrize("module", [viz_layout, viz_style, viz_html])
def test_doctests(module):
    result = doctest.testmod(module, optionflags=doctest.ELLIPSIS)
    assert result.attempted > 0
    assert result.failed == 0


# Layout ---------------------------------------------------------------------


def test_layout_deterministic_with_seed():
    G = random_graph(200, 400)
    a = compute_layout(G, seed=3)
    assert a == compute_layout(G, seed=3)
    assert a != compute_layout(G, seed=4)
    assert set(a) == set(G)
    assert all(math.isfinite(c) for xy in a.values() for c in xy)


def test_layout_scale_and_centre(demo_graph):
    G = demo_graph
    pos = compute_layout(G, seed=0, scale=500)
    extent = max(max(abs(x), abs(y)) for x, y in pos.values())
    assert extent == pytest.approx(500)
    xs = [x for x, _ in pos.values()]
    assert min(xs) + max(xs) == pytest.approx(0, abs=1e-6)
    with pytest.raises(ValueError):
        compute_layout(G, scale=0)


def test_layout_small_and_disconnected():
    assert compute_layout(nx.Graph()) == {}
    assert compute_layout(nx.empty_graph(1)) == {0: (0.0, 0.0)}
    G = nx.disjoint_union(nx.cycle_graph(5), nx.empty_graph(20))
    G.add_edge(0, 0)  # self-loops are ignored
    pos = compute_layout(G, seed=1)
    points = {(round(x, 3), round(y, 3)) for x, y in pos.values()}
    assert len(points) == len(G)  # no two nodes on top of each other


def test_layout_neighbours_closer_than_strangers():
    G = nx.grid_2d_graph(10, 10)
    pos = compute_layout(G, seed=0)

    def dist(u, v):
        return math.dist(pos[u], pos[v])

    edge_mean = sum(dist(u, v) for u, v in G.edges) / G.number_of_edges()
    assert edge_mean < dist((0, 0), (9, 9)) / 4


def test_layout_weight_and_multigraph():
    G = nx.MultiGraph([(0, 1), (0, 1), (1, 2)])
    G.add_edge(2, 3, inspections=5)
    pos = compute_layout(G, seed=0, weight="inspections")
    assert set(pos) == {0, 1, 2, 3}


# Style ----------------------------------------------------------------------


def test_palette_covers_contract_types():
    for kind in CONTRACT_TYPES:
        assert agency_type_key(kind) == kind
        assert kind in AGENCY_TYPES
    assert AGENCY_TYPES[-1] == "other"
    assert agency_type_key("fire_and_rescue") == "other"
    assert agency_type_key(42) == "other"
    assert agency_color("nonsense") == AGENCY_TYPE_STYLES["other"]["color"]


def test_palette_colours_and_shapes():
    colours = [s["color"] for s in AGENCY_TYPE_STYLES.values()]
    assert all(re.fullmatch(r"#[0-9A-Fa-f]{6}", c) for c in colours)
    assert len(set(c.upper() for c in colours)) == len(colours)
    pairs = {(s["color"], s["shape"]) for s in AGENCY_TYPE_STYLES.values()}
    assert len(pairs) == len(AGENCY_TYPE_STYLES)
    # Redundant encoding: no shape is used by more than two types.
    shapes = [s["shape"] for s in AGENCY_TYPE_STYLES.values()]
    assert max(shapes.count(s) for s in shapes) <= 2


def test_sizes_and_widths_monotonic():
    sizes = [node_size(d, 20) for d in range(21)]
    assert sizes == sorted(sizes) and sizes[0] < sizes[-1]
    widths = [edge_width(k, 8) for k in range(1, 9)]
    assert widths == sorted(widths) and widths[0] == 1.0 and widths[-1] == 10.0
    assert edge_width(None, 8) == 1.0
    assert edge_width(50, 8) == 10.0


def test_tooltips_are_plain_text_with_counts():
    text = edge_tooltip(
        "Northumbria Police",
        "Together for Children",
        {
            "findings": 9,
            "inspections": 4,
            "years": 3,
            "first": "2019-05-15",
            "last": "2022-02-01",
            "themes": ["information sharing", "front door"],
            "example": "<img src=x onerror=alert(1)>  spans\n lines",
        },
    )
    lines = text.split("\n")
    assert lines[0] == "Northumbria Police — Together for Children"
    assert "4 inspections" in text and "3 years" in text and "9 findings" in text
    assert "First: 2019-05-15" in text and "Last: 2022-02-01" in text
    assert "Themes: information sharing, front door" in text
    # Text, not markup: kept verbatim (whitespace collapsed); escaping is the
    # page writer's job.
    assert lines[-1] == "<img src=x onerror=alert(1)> spans lines"
    long = edge_tooltip("a", "b", {"example": "x" * 1000}, max_chars=50)
    assert len(long.split("\n")[-1]) == 50 and long.endswith("…")
    assert edge_tooltip("a", "b", {}) == "a — b\nCriticised together"

    node = node_tooltip(
        "Cafcass",
        "courts_cafcass",
        partners=1,
        findings=1,
        degree_centrality=0.25,
        betweenness=0,
        community=2,
        iri=ID + "cafcass",
    )
    assert node.split("\n") == [
        "Cafcass",
        "Type: Courts / Cafcass",
        "Criticised together with 1 agency (1 shared finding)",
        "Community: 2",
        "Degree centrality: 0.250",
        "Betweenness: 0.000",
        ID + "cafcass",
    ]


# Page -------------------------------------------------------------------------


def test_network_records(demo_graph):
    G = demo_graph
    net = partnership_network(G, seed=0)
    assert net.num_nodes() == 10 and net.num_edges() == 11
    assert net.options["physics"]["enabled"] is False
    by_iri = {n["iri"]: n for n in net.nodes}
    police = by_iri[ID + "northumbria-police"]
    assert police["label"] == "Northumbria Police"
    assert police["color"]["background"] == agency_color("police")
    assert police["shape"] == "square"
    assert isinstance(police["x"], float) and isinstance(police["y"], float)
    assert "Type: Police" in police["title"]
    council = by_iri[ID + "together-for-children"]
    assert council["size"] == max(n["size"] for n in net.nodes)  # highest degree
    widths = {(e["from"], e["to"]): e for e in net.edges}
    assert max(e["width"] for e in widths.values()) == 10.0
    assert min(e["width"] for e in widths.values()) == 1.0
    assert all(
        e["title"].startswith(
            ("Northumbria", "Together", "NHS", "National", "Sunderland", "Cafcass", "Gentoo")
        )
        for e in net.edges
    )


def test_page_has_data_legend_and_ready_hook(demo_graph, tmp_path):
    G = demo_graph
    summary = write_partnership_page(G, tmp_path / "sub" / "p.html", title="Sunderland")
    assert summary == {"nodes": 10, "edges": 11, "path": str(tmp_path / "sub" / "p.html")}
    text = (tmp_path / "sub" / "p.html").read_text(encoding="utf-8")
    data = page_data(text)
    assert len(data["nodes"]) == 10 and len(data["edges"]) == 11
    assert {n["label"] for n in data["nodes"]} == {d["label"] for _, d in G.nodes(data=True)}
    legend_types = [t["type"] for t in data["legend"]["types"]]
    assert legend_types == [
        t for t in AGENCY_TYPES if t in {d["agency_type"] for _, d in G.nodes(data=True)}
    ]
    assert sum(t["count"] for t in data["legend"]["types"]) == 10
    assert "width" in data["legend"]["edges"]["text"]
    assert [s["inspections"] for s in data["legend"]["edges"]["samples"]] == [1, 2, 4]
    assert "<title>Sunderland</title>" in text
    assert "window.inspectgraphReady = true" in text
    assert "inspectgraphCounts" in text


def test_page_is_deterministic(demo_graph, tmp_path):
    G = demo_graph
    write_partnership_page(G, tmp_path / "a.html", seed=5)
    write_partnership_page(G, tmp_path / "b.html", seed=5)
    assert (tmp_path / "a.html").read_bytes() == (tmp_path / "b.html").read_bytes()


def test_payloads_are_escaped(tmp_path, payload_graph, page_payloads):
    G = payload_graph
    path = tmp_path / "evil.html"
    write_partnership_page(G, path, title=page_payloads[0] + page_payloads[1])
    text = path.read_text(encoding="utf-8")
    lowered = text.lower()
    assert "<script>alert" not in lowered
    assert "<img src=x" not in lowered
    assert "<svg onload" not in lowered
    assert not re.search(r"""(?:href|src|action)\s*=\s*["']?\s*javascript:""", lowered)
    # Exactly our own three script elements (data, vis-network, page code);
    # the library text itself is left out, as it contains "<script>" strings.
    own = lowered.replace(viz_html._vis_assets()["js"].lower(), "")
    assert len(re.findall(r"<script[\s>]", own)) == 3
    assert own.count("</script") == 3
    # The title is HTML-escaped in <title> and <h1>.
    assert "<title>&lt;script&gt;alert(1)&lt;/script&gt;&lt;img" in text
    # The JSON data block escapes <, >, & and ' ...
    block = text.split('id="inspectgraph-data">', 1)[1].split("</script>", 1)[0]
    for ch in "<>&'":
        assert ch not in block
    # ... and still carries the exact strings.
    data = page_data(text)
    assert [n["label"] for n in data["nodes"]] == page_payloads
    assert page_payloads[0] in data["edges"][0]["title"]
    assert all(n["agency_type"] == "other" for n in data["nodes"])


@settings(deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(label=st.text(), example=st.text(), theme=st.text())
def test_any_text_stays_inert_json(tmp_path, label, example, theme):
    G = nx.Graph()
    G.add_node("a", label=label, agency_type=label)
    G.add_node("b", label="b")
    G.add_edge("a", "b", example=example, themes=[theme], first=label)
    path = tmp_path / "h.html"
    write_partnership_page(G, path, title=label)
    text = path.read_text(encoding="utf-8")
    block = text.split('id="inspectgraph-data">', 1)[1].split("</script>", 1)[0]
    assert not set("<>&'") & set(block)
    data = page_data(text)
    assert data["nodes"][0]["label"] == (label or "a")
    assert data["nodes"][0]["title"].startswith(label or "a")


def test_title_text_cannot_inject_markup(tmp_path):
    path = tmp_path / "t.html"
    write_partnership_page(nx.Graph(), path, title="</title><script>alert(1)</script>")
    text = path.read_text(encoding="utf-8")
    assert "<script>alert" not in text
    assert text.count("</title>") == 1


def test_no_network_references(demo_graph, tmp_path):
    path = tmp_path / "p.html"
    write_partnership_page(demo_graph, path)
    text = path.read_text(encoding="utf-8")
    lowered = text.lower()
    assert not re.search(r"""(?:src|href)\s*=\s*["']?\s*(?:https?:)?//""", lowered)
    assert not re.search(r"""url\(\s*["']?\s*(?:https?:)?//""", lowered)
    assert "@import" not in lowered
    assert "<link" not in lowered and "<iframe" not in lowered
    assert "<img" not in lowered
    assert "bootstrap" not in lowered
    # A Content-Security-Policy forbids any request, and allows only our own
    # inline scripts (by hash).
    csp = re.search(r'http-equiv="Content-Security-Policy" content="([^"]+)"', text)
    assert csp is not None
    policy = csp.group(1)
    assert "default-src 'none'" in policy
    assert "unsafe-inline" not in policy.split("script-src", 1)[1].split(";", 1)[0]
    scripts = re.findall(r"<script>(.*?)</script>", text, flags=re.S)
    assert len(scripts) == 2  # vis-network and the page's own code
    for body in scripts:
        digest = base64.b64encode(hashlib.sha256(body.encode()).digest()).decode()
        assert f"'sha256-{digest}'" in policy


def test_bundled_vis_network_is_inlined():
    assets = viz_html._vis_assets()
    assert assets["version"] == viz_html.VIS_VERSION
    assert "vis-network" in assets["js"][:500]
    assert len(assets["js"]) > 100_000


def test_empty_graph_page(tmp_path):
    summary = write_partnership_page(nx.Graph(), tmp_path / "e.html")
    assert summary["nodes"] == 0 and summary["edges"] == 0
    data = page_data((tmp_path / "e.html").read_text(encoding="utf-8"))
    assert data["nodes"] == [] and data["edges"] == []
    assert data["legend"]["types"] == []


def test_odd_attribute_values(tmp_path):
    G = nx.Graph()
    G.add_node(1)  # no attributes at all
    G.add_node("1", label=None, agency_type=None, betweenness=float("nan"), community="x")
    G.add_edge(
        1, "1", inspections="many", findings=None, themes={"b", "a"}, first=None, example=None
    )
    summary = write_partnership_page(G, tmp_path / "o.html")
    assert summary["nodes"] == 2 and summary["edges"] == 1
    data = page_data((tmp_path / "o.html").read_text(encoding="utf-8"))
    assert [n["id"] for n in data["nodes"]] == [0, 1]  # ints and strs do not clash
    assert [n["label"] for n in data["nodes"]] == ["1", "1"]
    assert data["edges"][0]["width"] == 1.0


def test_thousand_node_page(tmp_path):
    G = random_graph(1000, 2000)
    path = tmp_path / "big.html"
    summary = write_partnership_page(G, path, seed=1)
    assert summary == {"nodes": 1000, "edges": 2000, "path": str(path)}
    data = page_data(path.read_text(encoding="utf-8"))
    assert len(data["nodes"]) == 1000 and len(data["edges"]) == 2000
    assert data["options"]["physics"]["enabled"] is False
    assert all("x" in n and "y" in n for n in data["nodes"])
    ids = {n["id"] for n in data["nodes"]}
    assert all(e["from"] in ids and e["to"] in ids for e in data["edges"])
