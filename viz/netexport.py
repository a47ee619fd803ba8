"""The partnership graph for other tools: Gephi, Cytoscape, R, spreadsheets, papers.

:func:`write_network` picks the format from the file extension:

========== =================================================================
extension  what is written
========== =================================================================
``.html``  the offline interactive page (:func:`inspectgraph.viz.write_partnership_page`)
``.png``   a static figure for papers (300 dpi); ``.svg`` and ``.pdf`` likewise
``.graphml`` GraphML with typed attributes (Gephi, Cytoscape, yEd, igraph)
``.gexf``  GEXF 1.2 with typed attributes and Gephi's colours, sizes and positions
``.json``  networkx node-link JSON (d3, ``networkx.node_link_graph``)
``.csv``   two files, ``NAME-nodes.csv`` and ``NAME-edges.csv`` (Gephi's spreadsheet
           import: ``Id``/``Label`` and ``Source``/``Target``/``Type``/``Weight``)
========== =================================================================

Every format carries the same attributes. Nodes (agencies): ``label``, ``iri``,
``agency_type``, ``agency_type_label``, ``color``, ``shape``, ``partners`` (degree),
``findings`` (shared findings over its lines), ``degree_centrality``,
``betweenness``, ``community``, ``x``, ``y`` (the seeded layout) and ``size``.
Edges (pairs criticised together): ``findings``, ``inspections``, ``years``,
``first``, ``last``, ``themes``, ``example``, ``example_finding``,
``inspection_ids``, ``local_authorities``, ``weight`` (= inspections) and the
statistics against chance (``expected``, ``lift``, ``lift_low``, ``lift_high``,
``p_value``, ``p_adjusted``, ``per_100_findings``, ``expected_per_100_findings``;
0.0 when not computed). Lists are joined with ``"; "`` except in JSON, which keeps
them as lists.
"""

from __future__ import annotations

import csv
import json
import os
import tempfile
from pathlib import Path

import networkx as nx

from ..analysis.cocriticism import STATISTIC_KEYS
from ..errors import InputError
from ..version import __version__

__all__ = [
    "NETWORK_FORMATS",
    "PAIR_CHOICES",
    "analysis_graph",
    "atomic_write",
    "csv_paths",
    "draw_partnership_graph",
    "flat_graph",
    "network_format",
    "node_link",
    "write_network",
]

#: Which pairs :func:`analysis_graph` keeps: those above chance, or all of them.
PAIR_CHOICES = ("above-chance", "all")

#: Formats :func:`write_network` writes, by file extension (without the dot).
NETWORK_FORMATS = ("html", "png", "svg", "pdf", "graphml", "gexf", "json", "csv")

LIST_SEPARATOR = "; "

# GEXF knows four node shapes; the others are drawn as discs.
_GEXF_SHAPES = {
    "dot": "disc",
    "square": "square",
    "diamond": "diamond",
    "triangle": "triangle",
    "triangleDown": "triangle",
}


def analysis_graph(
    store,
    *,
    polarity: str = "weakness",
    la: str = "",
    min_inspections: int = 1,
    seed: int = 0,
    region: str = "",
    since: str = "",
    until: str = "",
    pairs: str = "all",
    min_findings: int = 3,
    resamples: int = 1000,
) -> nx.Graph:
    """The partnership graph of ``store`` as drawn and exported: pairs criticised together in
    at least ``min_inspections`` inspections, agencies without such a pair left out, with
    degree and betweenness centrality and Louvain communities (seeded) on the nodes.

    ``pairs="above-chance"`` keeps only the pairs whose lift interval lies above 1
    (``lift_low > 1``) with at least ``min_findings`` findings; ``"all"`` every pair.
    ``resamples`` and ``seed`` are the bootstrap's (see :mod:`inspectgraph.analysis.cocriticism`).
    """
    from ..analysis import centrality, communities, partnership_graph_from_store

    if pairs not in PAIR_CHOICES:
        raise InputError(f"pairs must be one of {', '.join(PAIR_CHOICES)}, not {pairs!r}")
    G = partnership_graph_from_store(
        store,
        polarity=polarity,
        la=la,
        region=region,
        since=since,
        until=until,
        resamples=resamples,
        seed=seed,
    )

    def kept(d) -> bool:
        if d["inspections"] < min_inspections:
            return False
        if pairs == "above-chance":
            low = d.get("lift_low")
            return d["findings"] >= min_findings and low is not None and low > 1.0
        return True

    G.remove_edges_from([(a, b) for a, b, d in G.edges(data=True) if not kept(d)])
    G.remove_nodes_from([n for n in list(G) if G.degree(n) == 0])
    for node, values in centrality(G, seed=seed).items():
        G.nodes[node]["degree_centrality"] = values["degree"]
        G.nodes[node]["betweenness"] = values["betweenness"]
    for node, community in communities(G, seed=seed).items():
        G.nodes[node]["community"] = community
    G.graph.update(
        {
            "polarity": polarity or "all",
            "local_authority": la or "all",
            "region": region or "all",
            "since": since or "",
            "until": until or "",
            "min_inspections": min_inspections,
            "pairs": pairs,
            "min_findings": min_findings if pairs == "above-chance" else 1,
            "seed": seed,
        }
    )
    return G


def network_format(path: str | Path, fmt: str | None = None) -> str:
    """The format of ``path`` (its extension) or ``fmt``, checked.

    >>> network_format("figures/partnerships.SVG")
    'svg'
    >>> network_format("g.xlsx")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    inspectgraph.errors.InputError: g.xlsx: cannot tell the format from '.xlsx'; use one of ...
    """
    value = (fmt or Path(path).suffix.lstrip(".")).lower()
    if value not in NETWORK_FORMATS:
        raise InputError(
            f"{path}: cannot tell the format from {Path(path).suffix or 'no extension'!r}; "
            f"use one of {', '.join('.' + f for f in NETWORK_FORMATS)}"
        )
    return value


def csv_paths(path: str | Path) -> tuple[Path, Path]:
    """The two files written for ``path`` in CSV: ``NAME-nodes.csv`` and ``NAME-edges.csv``.

    >>> [p.name for p in csv_paths("out/partnerships.csv")]
    ['partnerships-nodes.csv', 'partnerships-edges.csv']
    """
    path = Path(path)
    stem = path.stem if path.suffix.lower() == ".csv" else path.name
    return path.with_name(f"{stem}-nodes.csv"), path.with_name(f"{stem}-edges.csv")


def flat_graph(G: nx.Graph, *, seed: int = 0, pos: dict | None = None) -> nx.Graph:
    """A copy of partnership graph ``G`` whose attributes are all scalars of fixed types
    (str, int, float), as GraphML and GEXF need, with the drawing's colour, shape, size and
    seeded layout position of each node.

    Examples
    --------
    >>> G = nx.Graph()
    >>> G.add_node("p", label="Police", agency_type="police")
    >>> G.add_node("c", label="Council", agency_type="local_authority")
    >>> G.add_edge("p", "c", findings=3, inspections=2, years=1, themes=["front_door", "x"])
    >>> F = flat_graph(G)
    >>> F.nodes["p"]["color"], F.nodes["p"]["partners"], F.edges["p", "c"]["themes"]
    ('#E69F00', 1, 'front_door; x')
    """
    from ..model.agency_types import agency_type_key
    from .html import EDGE_LENGTH
    from .layout import compute_layout
    from .style import agency_style, node_size

    if pos is None:
        pos = compute_layout(G, seed=seed, edge_length=EDGE_LENGTH)
    degree = {n: sum(1 for m in G.adj[n] if m != n) for n in G}
    max_degree = max(degree.values(), default=0)
    findings = dict.fromkeys(G, 0)
    for u, v, d in G.edges(data=True):
        findings[u] += _int(d.get("findings"))
        if v != u:
            findings[v] += _int(d.get("findings"))
    F = nx.Graph()
    # keys with a leading underscore hold the analysis's working data, not attributes
    F.graph.update({k: _scalar(v) for k, v in G.graph.items() if not str(k).startswith("_")})
    F.graph.setdefault("generator", f"inspectgraph {__version__}")
    for n, d in G.nodes(data=True):
        kind = agency_type_key(d.get("agency_type"))
        style = agency_style(kind)
        x, y = pos[n]
        attrs = {
            "label": str(d.get("label") or n),
            "iri": str(n),
            "agency_type": kind,
            "agency_type_label": style["label"],
            "color": style["color"],
            "shape": style["shape"],
            "partners": degree[n],
            "findings": findings[n],
            "degree_centrality": _float(d.get("degree_centrality")),
            "betweenness": _float(d.get("betweenness")),
            "community": _int(d.get("community"), -1),
            "x": round(float(x), 2),
            "y": round(float(-y), 2),  # y grows upwards in Gephi, downwards on the page
            "size": float(node_size(degree[n], max_degree)),
        }
        F.add_node(str(n), **attrs)
    for u, v, d in G.edges(data=True):
        F.add_edge(
            str(u),
            str(v),
            **{
                "findings": _int(d.get("findings")),
                "inspections": _int(d.get("inspections")),
                "years": _int(d.get("years")),
                "first": str(d.get("first") or ""),
                "last": str(d.get("last") or ""),
                "themes": _joined(d.get("themes")),
                "example": str(d.get("example") or ""),
                "example_finding": str(d.get("example_finding") or ""),
                "inspection_ids": _joined(d.get("inspection_ids")),
                "local_authorities": _joined(d.get("las")),
                "weight": float(_int(d.get("inspections"))),
                **{key: _float(d.get(key)) for key in STATISTIC_KEYS},
            },
        )
    return F


def node_link(G: nx.Graph, *, seed: int = 0, pos: dict | None = None) -> dict:
    """Node-link data (``networkx.node_link_data``, edges under ``"links"``) with the same
    attributes as the other formats, lists kept as lists."""
    F = flat_graph(G, seed=seed, pos=pos)
    for u, v, d in G.edges(data=True):
        e = F.edges[str(u), str(v)]
        e["themes"] = [str(t) for t in d.get("themes") or []]
        e["inspection_ids"] = [str(t) for t in d.get("inspection_ids") or []]
        e["local_authorities"] = [str(t) for t in d.get("las") or []]
    return nx.node_link_data(F, edges="links")


def drawing_choices(
    G: nx.Graph,
    *,
    la: str = "",
    region: str = "",
    since: str = "",
    until: str = "",
    pairs: str = "all",
    title: str | None = None,
    group: str | None = None,
    seed: int = 0,
    fmt: str = "html",
) -> tuple[str | None, dict | None]:
    """The title and node positions of a drawing of ``G`` (an :func:`analysis_graph`), the
    same for ``inspectgraph viz partnerships`` and the Python API: a page's title says what
    was kept and its scope; ``group`` (default: ``authority`` for one authority or region,
    ``type`` for every pair of more than 60 agencies, else ``none``) places the nodes."""
    from .layout import authority_layout, grouped_layout

    if title is None and fmt == "html":
        scope = [x for x in (la, region, since and f"from {since}", until and f"to {until}") if x]
        what = "more often than chance" if pairs == "above-chance" else "together"
        title = f"Agencies criticised {what}{' — ' + ', '.join(scope) if scope else ''}"
    if group is None:
        # pairs above chance are mostly small groups of one authority's agencies, packed
        # side by side; every pair of a national graph needs the types apart to be read
        crowded = pairs == "all" and G.number_of_nodes() > 60
        group = "authority" if la or region else "type" if crowded else "none"
    pos = None
    if group == "type" and len(G):
        pos = grouped_layout(G, "agency_type", seed=seed)
    elif group == "authority" and len(G):
        from .html import EDGE_LENGTH

        pos = authority_layout(G, edge_length=EDGE_LENGTH)
    return title, pos


def draw_partnership_graph(
    store,
    path: str | Path,
    *,
    min_inspections: int = 1,
    seed: int = 0,
    title: str | None = None,
    group: str | None = None,
    pairs: str = "all",
    min_findings: int = 3,
    width_by: str = "inspections",
    **filters,
) -> dict:
    """Write the partnership graph of ``store`` to ``path`` (the format from its extension) as
    ``inspectgraph viz partnerships --out`` and the Python API's ``export_partnerships`` draw
    it: :func:`analysis_graph` for ``filters`` (polarity, la, region, since, until), placed
    and titled by :func:`drawing_choices`, written by :func:`write_network`."""
    fmt = network_format(path)  # a bad extension fails before any work
    G, title, pos = partnership_drawing(
        store,
        min_inspections=min_inspections,
        seed=seed,
        title=title,
        group=group,
        pairs=pairs,
        min_findings=min_findings,
        fmt=fmt,
        **filters,
    )
    return write_network(G, path, fmt=fmt, title=title, seed=seed, pos=pos, width_by=width_by)


def partnership_drawing(
    store,
    *,
    min_inspections: int = 1,
    seed: int = 0,
    title: str | None = None,
    group: str | None = None,
    pairs: str = "all",
    min_findings: int = 3,
    fmt: str = "html",
    **filters,
) -> tuple[nx.Graph, str | None, dict | None]:
    """The graph, title and node positions of one drawing of the partnership graph of
    ``store``: :func:`analysis_graph` for ``filters`` (polarity, la, region, since, until,
    resamples), placed and titled by :func:`drawing_choices` for format ``fmt``. The one
    place ``inspectgraph viz partnerships`` and the Python API's ``show``, ``figure`` and
    ``export_partnerships`` decide what they draw, so they draw the same figure. An unknown
    ``la`` is an error with the nearest names, not an empty drawing."""
    from ..model.keys import check_authority

    check_authority(store, filters.get("la", ""))
    G = analysis_graph(
        store,
        **filters,
        min_inspections=min_inspections,
        seed=seed,
        pairs=pairs,
        min_findings=min_findings,
    )
    scope = {key: filters.get(key, "") for key in ("la", "region", "since", "until")}
    title, pos = drawing_choices(
        G, **scope, pairs=pairs, title=title, group=group, seed=seed, fmt=fmt
    )
    return G, title, pos


def write_network(
    G: nx.Graph,
    path: str | Path,
    *,
    fmt: str | None = None,
    title: str | None = None,
    seed: int = 0,
    pos: dict | None = None,
    width_by: str = "inspections",
) -> dict:
    """Write partnership graph ``G`` in the format of ``path``'s extension (or ``fmt``);
    on the page and figures a line's width shows ``width_by`` (inspections or lift).

    Returns ``{"nodes", "edges", "format", "paths"}``. Files are written whole or not at
    all (a temporary file renamed into place); the page and figures as their writers do.

    Examples
    --------
    >>> import tempfile, os
    >>> G = nx.Graph()
    >>> G.add_edge("a", "b", findings=1, inspections=1, themes=["front_door"])
    >>> with tempfile.TemporaryDirectory() as d:
    ...     s = write_network(G, os.path.join(d, "g.graphml"))
    ...     H = nx.read_graphml(s["paths"][0])
    >>> s["format"], H.edges["a", "b"]["inspections"]
    ('graphml', 1)
    """
    fmt = network_format(path, fmt)
    path = Path(path)
    if path.is_dir():
        raise InputError(f"{path}: is a directory, expected a file name")
    paths = [path]
    if fmt == "html":
        from .html import write_partnership_page

        kwargs = {"title": title} if title is not None else {}
        write_partnership_page(G, path, seed=seed, pos=pos, width_by=width_by, **kwargs)
    elif fmt in ("png", "svg", "pdf"):
        from .static import write_partnership_figure

        write_partnership_figure(
            G, path, fmt=fmt, seed=seed, pos=pos, title=title or None, width_by=width_by
        )
    elif fmt == "graphml":
        F = flat_graph(G, seed=seed, pos=pos)
        if title:
            F.graph["title"] = title
        atomic_write(path, lambda fh: nx.write_graphml(F, fh, encoding="utf-8"))
    elif fmt == "gexf":
        F = flat_graph(G, seed=seed, pos=pos)
        if title:
            F.graph["title"] = title
        for _, d in F.nodes(data=True):
            r, g, b = (int(d["color"][i : i + 2], 16) for i in (1, 3, 5))
            d["viz"] = {
                "color": {"r": r, "g": g, "b": b, "a": 1.0},
                "size": d["size"],
                "position": {"x": d["x"], "y": d["y"], "z": 0.0},
                "shape": _GEXF_SHAPES.get(d["shape"], "disc"),
            }
        for _, _, d in F.edges(data=True):
            d["viz"] = {"thickness": d["weight"]}
        atomic_write(path, lambda fh: nx.write_gexf(F, fh, encoding="utf-8", version="1.2draft"))
    elif fmt == "json":
        data = node_link(G, seed=seed, pos=pos)
        if title:
            data["graph"]["title"] = title
        text = json.dumps(data, indent=2, ensure_ascii=False) + "\n"
        atomic_write(path, lambda fh: fh.write(text.encode("utf-8")))
    else:  # csv
        paths = list(csv_paths(path))
        _write_csv(flat_graph(G, seed=seed, pos=pos), *paths)
    return {
        "nodes": G.number_of_nodes(),
        "edges": G.number_of_edges(),
        "format": fmt,
        "paths": [str(p) for p in paths],
    }


NODE_COLUMNS = [
    "Id",
    "Label",
    "agency_type",
    "agency_type_label",
    "color",
    "shape",
    "partners",
    "findings",
    "degree_centrality",
    "betweenness",
    "community",
    "x",
    "y",
    "size",
]
EDGE_COLUMNS = [
    "Source",
    "Target",
    "Type",
    "Weight",
    "findings",
    "inspections",
    "years",
    "first",
    "last",
    "themes",
    "example",
    "example_finding",
    "inspection_ids",
    "local_authorities",
    *STATISTIC_KEYS,
]


def _write_csv(F: nx.Graph, nodes_path: Path, edges_path: Path) -> None:
    def nodes(fh):
        w = _csv_writer(fh)
        w.writerow(NODE_COLUMNS)
        for n, d in F.nodes(data=True):
            w.writerow([n, d["label"], *(d[c] for c in NODE_COLUMNS[2:])])

    def edges(fh):
        w = _csv_writer(fh)
        w.writerow(EDGE_COLUMNS)
        for u, v, d in F.edges(data=True):
            w.writerow([u, v, "Undirected", d["weight"], *(d[c] for c in EDGE_COLUMNS[4:])])

    atomic_write(nodes_path, nodes, text=True)
    atomic_write(edges_path, edges, text=True)


def _csv_writer(fh):
    return csv.writer(fh, lineterminator="\n")


def atomic_write(path: Path, write, *, text: bool = False) -> None:
    """Write ``path`` whole or not at all: ``write(fh)`` fills a temporary file in the same
    directory, which then replaces ``path``."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with (
            os.fdopen(fd, "w", encoding="utf-8", newline="") if text else os.fdopen(fd, "wb")
        ) as fh:
            write(fh)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _joined(values) -> str:
    if not values:
        return ""
    if isinstance(values, str):
        return values
    return LIST_SEPARATOR.join(str(v) for v in values)


def _scalar(value):
    if isinstance(value, (bool, int, float, str)):
        return value
    if isinstance(value, (list, tuple, set)):
        return _joined(sorted(map(str, value)) if isinstance(value, set) else value)
    return str(value)


def _int(value, default: int = 0) -> int:
    try:
        return int(value)
    except (TypeError, ValueError, OverflowError):
        return default


def _float(value) -> float:
    try:
        return float(value)
    except (TypeError, ValueError):
        return 0.0
