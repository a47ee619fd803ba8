"""Write a partnership graph as one self-contained, offline HTML page.

The page embeds the vis-network library bundled with pyvis (JavaScript and
CSS inlined), so it opens from a file with no network at all: it refers to no
URL, and a Content-Security-Policy forbids every request.

All data reach the page as JSON in a non-executable
``<script type="application/json">`` block, serialised with Jinja's ``tojson``
(which escapes ``<``, ``>``, ``&`` and ``'``), and is put into the document
only with ``textContent`` or drawn on the canvas.  Tooltips are handed to
vis-network as DOM elements whose text was set with ``textContent``, so a
finding containing markup is shown, never interpreted.  The page title is
HTML-escaped by Jinja's autoescaping.
"""

import base64
import functools
import hashlib
import importlib.resources
import math
import re
from pathlib import Path

import jinja2
from markupsafe import Markup

from ..model.agency_types import agency_type_key
from .layout import compute_layout
from .style import (
    agency_style,
    edge_tooltip,
    edge_width,
    edge_width_legend,
    lift_width,
    lift_width_legend,
    node_size,
    node_tooltip,
    type_legend,
)

__all__ = ["write_partnership_page", "partnership_network", "render_page"]

#: vis-network version inlined in the page (bundled with pyvis 0.3.x).  From
#: 9.x, vis-network shows a string ``title`` with ``innerText``; the page
#: passes DOM elements anyway, so the choice does not affect escaping.
VIS_VERSION = "9.1.2"

#: Ideal edge length of the layout, in pixels at zoom 1: about five times the
#: radius of the largest node, so that labels have room.
EDGE_LENGTH = 160.0

DEFAULT_TITLE = "Agencies criticised together in Ofsted inspections"

_TEMPLATES = Path(__file__).resolve().parent / "templates"


def partnership_network(
    G, *, seed=0, pos=None, height="100%", width="100%", width_by="inspections"
):
    """Return a pyvis network holding the drawing data of `G`.

    Node and edge records are built as plain dictionaries and assigned to
    ``net.nodes`` and ``net.edges`` directly (pyvis' ``add_node`` and
    ``add_edge`` take linear time each).  Physics is off and every node has
    a fixed position.

    Parameters
    ----------
    G : networkx.Graph
        Partnership graph; see :func:`write_partnership_page`.
    seed : int, random.Random or None, optional (default=0)
        Seed for :func:`~inspectgraph.viz.layout.compute_layout`.
    pos : dict or None, optional
        Precomputed positions (node -> (x, y)); computed when None.
    height, width : str, optional
        CSS size of the drawing area.
    width_by : {"inspections", "lift"}, optional
        What a line's width shows: the inspections that criticised the pair together,
        or its lift against chance (edge attribute ``lift``).

    Returns
    -------
    net : pyvis.network.Network
        With ``net.nodes``, ``net.edges`` and ``net.options`` (a dict of
        vis-network options) filled in.  Node ids are consecutive integers in
        the order of ``G``; each node record keeps the original node as
        ``iri`` (a string).

    Examples
    --------
    >>> import networkx as nx
    >>> G = nx.Graph()
    >>> G.add_node("https://x/p", label="Police", agency_type="police")
    >>> G.add_node("https://x/c", label="Council", agency_type="local_authority")
    >>> G.add_edge("https://x/p", "https://x/c", findings=2, inspections=1)
    >>> net = partnership_network(G)
    >>> net.num_nodes(), net.num_edges()
    (2, 1)
    >>> net.nodes[0]["label"], net.nodes[0]["shape"]
    ('Police', 'square')
    >>> net.options["physics"]["enabled"]
    False
    """
    from pyvis.network import Network

    if pos is None:
        pos = compute_layout(G, seed=seed, edge_length=EDGE_LENGTH)
    nodes, edges = _records(G, pos, width_by)
    net = Network(height=height, width=width, directed=False, cdn_resources="local")
    net.width_by = width_by
    # Assign directly: add_node/add_edge are O(n) per call.
    net.nodes = nodes
    net.edges = edges
    net.node_ids = [n["id"] for n in nodes]
    net.node_map = {n["id"]: n for n in nodes}
    net.options = _options(len(nodes), len(edges), seed)
    return net


def write_partnership_page(
    G, path, *, title=DEFAULT_TITLE, seed=0, pos=None, width_by="inspections"
):
    """Write an interactive, offline HTML view of a partnership graph.

    Parameters
    ----------
    G : networkx.Graph
        Nodes are agencies (usually IRIs) with attributes ``label``,
        ``agency_type`` and optionally ``degree_centrality``, ``betweenness``
        and ``community``.  Edges join agencies criticised together, with
        attributes ``findings``, ``inspections``, ``years``, ``first``,
        ``last``, ``themes`` and ``example``.  Any text may be untrusted: it
        is escaped and shown as text only.
    path : str or os.PathLike
        File to write (parent directories are created).
    title : str, optional
        Page title and heading.
    seed : int, random.Random or None, optional (default=0)
        Seed for the layout; the same graph and integer seed give the same
        file.
    pos : dict or None, optional
        Precomputed positions (node -> (x, y)); computed when None.
    width_by : {"inspections", "lift"}, optional
        What a line's width shows (see :func:`partnership_network`).

    Returns
    -------
    summary : dict
        ``{"nodes": n, "edges": m, "path": str}``.

    Notes
    -----
    The page sets ``window.inspectgraphReady = true`` and
    ``window.inspectgraphCounts = {nodes, edges}`` (counted from the vis
    DataSets) once the network has first been drawn; ``window.inspectgraph``
    holds the network and its DataSets.

    Examples
    --------
    >>> import networkx as nx, tempfile, os
    >>> G = nx.Graph()
    >>> G.add_edge("a", "b", inspections=2, example="<b>not bold</b>")
    >>> with tempfile.TemporaryDirectory() as d:
    ...     summary = write_partnership_page(G, os.path.join(d, "p.html"))
    ...     text = open(summary["path"], encoding="utf-8").read()
    >>> summary["nodes"], summary["edges"]
    (2, 1)
    >>> "<b>not bold" in text
    False
    """
    net = partnership_network(G, seed=seed, pos=pos, width_by=width_by)
    html = render_page(net, title=title)
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(html, encoding="utf-8")
    return {"nodes": net.num_nodes(), "edges": net.num_edges(), "path": str(path)}


def render_page(net, *, title=DEFAULT_TITLE):
    """Return the HTML text of the page for a network made by
    :func:`partnership_network`."""
    title = "" if title is None else str(title)
    types = [n.get("agency_type") for n in net.nodes]
    counts = [e["inspections"] for e in net.edges]
    if getattr(net, "width_by", "inspections") == "lift":
        lifts = [e["lift"] for e in net.edges if e.get("lift") is not None]
        edge_legend = lift_width_legend(max(lifts) if lifts else None)
    else:
        edge_legend = edge_width_legend(
            max(counts, default=0), min_inspections=min(counts, default=1)
        )
    data = {
        "nodes": net.nodes,
        "edges": net.edges,
        "options": net.options,
        "legend": {"types": type_legend(types), "edges": edge_legend},
    }
    assets = _vis_assets()
    app_js = _app_js()
    env = _environment()
    template = env.get_template("partnerships.html.j2")
    return template.render(
        title=title,
        n_nodes=len(net.nodes),
        n_edges=len(net.edges),
        data=data,
        vis_css=Markup(assets["css"]),
        vis_js=Markup(assets["js"]),
        app_js=Markup(app_js),
        script_hashes=[_csp_hash(assets["js"]), _csp_hash(app_js)],
    )


# Records --------------------------------------------------------------------


def _records(G, pos, width_by="inspections"):
    index = {n: i for i, n in enumerate(G)}
    labels = {}
    degree = {}
    findings = dict.fromkeys(G, 0)
    for u, v, d in G.edges(data=True):
        f = _int(d.get("findings"))
        findings[u] += f
        if v != u:
            findings[v] += f
    for n in G:
        degree[n] = sum(1 for m in G.adj[n] if m != n)
    max_degree = max(degree.values(), default=0)

    nodes = []
    for n, d in G.nodes(data=True):
        label = _str(d.get("label")) or _str(n)
        labels[n] = label
        kind = agency_type_key(d.get("agency_type"))
        style = agency_style(kind)
        x, y = pos[n]
        community = d.get("community")
        record = {
            "id": index[n],
            "iri": _str(n),
            "label": label,
            "agency_type": kind,
            "shape": style["shape"],
            "color": {
                "background": style["color"],
                "border": style["border"],
                "highlight": {"background": style["color"], "border": "#000000"},
                "hover": {"background": style["color"], "border": "#000000"},
            },
            "size": node_size(degree[n], max_degree),
            "x": _coord(x),
            "y": _coord(y),
            "title": node_tooltip(
                label,
                kind,
                partners=degree[n],
                findings=findings[n],
                degree_centrality=_float(d.get("degree_centrality")),
                betweenness=_float(d.get("betweenness")),
                community=_int(community) if community is not None else None,
                iri=_str(n) if _str(n) != label else None,
            ),
        }
        nodes.append(record)

    max_inspections = max((_int(d.get("inspections")) for _, _, d in G.edges(data=True)), default=0)
    lifts = [_float(d.get("lift")) for _, _, d in G.edges(data=True)]
    max_lift = max((x for x in lifts if x is not None), default=None)
    edges = []
    for k, (u, v, d) in enumerate(G.edges(data=True)):
        inspections = _int(d.get("inspections"))
        lift = _float(d.get("lift"))
        edges.append(
            {
                "id": k,
                "from": index[u],
                "to": index[v],
                "inspections": inspections,
                "findings": _int(d.get("findings")),
                "lift": None if lift is None else round(lift, 3),
                "width": lift_width(lift, max_lift)
                if width_by == "lift"
                else edge_width(inspections, max_inspections),
                "title": edge_tooltip(labels[u], labels[v], d),
            }
        )
    return nodes, edges


def _options(n_nodes, n_edges, seed):
    return {
        "autoResize": True,
        "physics": {"enabled": False},
        "layout": {"improvedLayout": False, "randomSeed": seed if isinstance(seed, int) else 0},
        "interaction": {
            "hover": True,
            "tooltipDelay": 150,
            "hideEdgesOnDrag": n_edges > 2000,
            "hideEdgesOnZoom": n_edges > 2000,
            "navigationButtons": False,
            "keyboard": False,
        },
        "nodes": {
            "borderWidth": 1.5,
            "borderWidthSelected": 3,
            "font": {
                "size": 14,
                "face": "system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif",
                "color": "#1a1a1a",
                "strokeWidth": 3,
                "strokeColor": "#ffffff",
                "multi": False,
            },
            "scaling": {"label": {"enabled": False}},
            # Long agency names wrap onto several lines.
            "widthConstraint": {"maximum": 170},
        },
        "edges": {
            "smooth": False,
            "color": {
                "color": "#7b8794",
                "highlight": "#1a1a1a",
                "hover": "#1a1a1a",
                "opacity": 0.55 if n_edges > 500 else 0.75,
            },
            "selectionWidth": 1.5,
            "hoverWidth": 1.0,
        },
    }


# Assets and template ------------------------------------------------------


@functools.cache
def _environment():
    return jinja2.Environment(
        loader=jinja2.FileSystemLoader(_TEMPLATES),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
    )


@functools.cache
def _vis_assets():
    """Return the bundled vis-network JS and CSS (a dict with ``js``, ``css``,
    ``version``), read from the installed pyvis package."""
    lib = importlib.resources.files("pyvis") / "templates" / "lib"
    folder = lib / f"vis-{VIS_VERSION}"
    if not folder.is_dir():
        raise FileNotFoundError(
            f"vis-network {VIS_VERSION} not found in the pyvis package ({lib}); install pyvis 0.3.x"
        )
    js = (folder / "vis-network.min.js").read_text(encoding="utf-8")
    css = (folder / "vis-network.css").read_text(encoding="utf-8")
    # Inlined verbatim inside <script>/<style>: nothing may close the element.
    for name, text, tag in (("js", js, "script"), ("css", css, "style")):
        if re.search(rf"</{tag}|<!--", text, flags=re.IGNORECASE):
            raise ValueError(f"bundled vis-network {name} cannot be inlined safely")
    return {"js": js, "css": css, "version": VIS_VERSION}


@functools.cache
def _app_js():
    text = (_TEMPLATES / "partnerships.js").read_text(encoding="utf-8")
    if re.search(r"</script|<!--", text, flags=re.IGNORECASE):
        raise ValueError("partnerships.js cannot be inlined safely")
    return text


def _csp_hash(text):
    digest = hashlib.sha256(text.encode("utf-8")).digest()
    return "sha256-" + base64.b64encode(digest).decode("ascii")


# Value cleaning -------------------------------------------------------------


def _str(value):
    return "" if value is None else str(value)


def _int(value):
    try:
        return int(value)
    except (TypeError, ValueError, OverflowError):
        return 0


def _float(value):
    if value is None:
        return None
    try:
        x = float(value)
    except (TypeError, ValueError):
        return None
    return x if math.isfinite(x) else None


def _coord(value):
    x = _float(value)
    return 0.0 if x is None else round(x, 1)
