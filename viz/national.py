"""The national views a paper prints: the network of agency types and the type x type lift
heatmap, as figures (PNG, SVG, PDF) and as offline pages.

Both take the graph of agency types (:func:`inspectgraph.analysis.type_partnership_graph`):
one node per type with ``label``, ``findings`` and ``agencies``; one edge per pair of
types criticised together with ``findings``, ``inspections``, ``expected``, ``lift``,
``lift_low``, ``lift_high`` and ``p_adjusted``.

What is drawn is computed as plain data first (:func:`type_network_data`,
:func:`heatmap_data`); the matplotlib drawing and the page writer only read it.

- The network: types on a circle (most criticised first, clockwise from the top), node
  area by the findings naming the type, line width by lift (1 = chance), line colour by
  adjusted significance, labels with counts; lines with a lift at or below 1 are left out
  of the drawing (the table of the page lists them).
- The heatmap: one cell per pair of types, coloured by lift on a diverging scale
  symmetric in log2 (blue below chance, red above), with the lift, its 95 % interval and
  the findings in the cell; a black frame marks adjusted p < 0.05.
"""

from __future__ import annotations

import html
import io
import math
from pathlib import Path

from .static import LEGEND_STYLE, MARKERS, TEXT_COLOR, save_figure
from .style import (
    SIGNIFICANCE_STYLES,
    agency_style,
    lift_color,
    lift_label,
    lift_width,
    lift_width_legend,
    significance_key,
)

__all__ = [
    "NATIONAL_VIEWS",
    "heatmap_data",
    "lift_heatmap_figure",
    "type_network_data",
    "type_network_figure",
    "write_national_view",
]

#: The widest line stands for at least this lift.
MIN_TOP_LIFT = 4.0

#: The views :func:`write_national_view` writes, by name.
NATIONAL_VIEWS = ("types", "heatmap")


def _ordered_types(T):
    """Types most criticised first (ties by key)."""
    return sorted(T, key=lambda n: (-int(T.nodes[n].get("findings") or 0), str(n)))


def type_network_data(T):
    """Positions, sizes, widths, colours and labels of the type network, as plain data.

    Examples
    --------
    >>> import networkx as nx
    >>> T = nx.Graph()
    >>> T.add_node("police", label="Police", findings=40, agencies=3)
    >>> T.add_node("health", label="Health", findings=10, agencies=2)
    >>> T.add_node("local_authority", label="Local authority", findings=90, agencies=4)
    >>> T.add_edge("police", "health", findings=6, lift=3.0, lift_low=1.4, lift_high=5.0,
    ...            p_adjusted=0.01, expected=2.0, inspections=4)
    >>> T.add_edge("police", "local_authority", findings=30, lift=0.8, lift_low=0.6,
    ...            lift_high=1.0, p_adjusted=1.0, expected=37.5, inspections=9)
    >>> data = type_network_data(T)
    >>> [n["key"] for n in data["nodes"]]  # most criticised first
    ['local_authority', 'police', 'health']
    >>> [(e["pair"], e["significance"], e["drawn"]) for e in data["edges"]]
    [(('health', 'police'), 'over', True), (('local_authority', 'police'), 'chance', False)]
    >>> data["edges"][0]["label"]
    '3.0× (1.4–5.0)'
    """
    order = _ordered_types(T)
    k = len(order)
    most = max((int(T.nodes[n].get("findings") or 0) for n in order), default=0)
    nodes = []
    for i, key in enumerate(order):
        angle = math.pi / 2 - 2 * math.pi * i / max(k, 1)
        d = T.nodes[key]
        style = agency_style(key)
        findings = int(d.get("findings") or 0)
        nodes.append(
            {
                "key": key,
                "label": str(d.get("label") or style["label"]),
                "x": round(math.cos(angle), 6) if k > 1 else 0.0,
                "y": round(math.sin(angle), 6) if k > 1 else 0.0,
                "color": style["color"],
                "border": style["border"],
                "shape": style["shape"],
                "findings": findings,
                "agencies": int(d.get("agencies") or 0),
                # area proportional to the findings naming the type
                "size": 8.0 + 22.0 * math.sqrt(findings / most) if most else 8.0,
                "text": f"{d.get('label') or style['label']}\n{findings:,} findings",
            }
        )
    lifts = [
        float(d["lift"])
        for _, _, d in T.edges(data=True)
        if significance_key(d.get("p_adjusted"), d.get("lift")) == "over"
    ]
    # widths on one scale up to at least 4x, so that figures of different scopes compare
    top = max([*lifts, MIN_TOP_LIFT])
    edges = []
    for a, b, d in T.edges(data=True):
        lift = d.get("lift")
        sig = significance_key(d.get("p_adjusted"), lift)
        edges.append(
            {
                "pair": tuple(sorted((a, b))),
                "findings": int(d.get("findings") or 0),
                "inspections": int(d.get("inspections") or 0),
                "expected": d.get("expected"),
                "lift": lift,
                "lift_low": d.get("lift_low"),
                "lift_high": d.get("lift_high"),
                "p_adjusted": d.get("p_adjusted"),
                "significance": sig,
                "color": SIGNIFICANCE_STYLES[sig]["color"],
                "width": lift_width(lift, top, min_width=0.8, max_width=9.0),
                "drawn": lift is not None and float(lift) > 1.0,
                "label": lift_label(d),
            }
        )
    # as --rank lift: the lower end of the interval first
    edges.sort(key=lambda e: (-(e["lift_low"] or 0.0), -(e["lift"] or 0.0), e["pair"]))
    return {"nodes": nodes, "edges": edges, "max_lift": top}


def heatmap_data(T, *, min_findings=3):
    """The type x type matrix of lifts, as plain data: ``types`` (keys, most criticised
    first), ``labels`` and ``cells`` (one per ordered pair of different types, with
    ``row``, ``col``, the pair's statistics, ``color``, ``significant``, ``supported`` and
    ``text``). Pairs with fewer than ``min_findings`` findings are ``supported: False``
    and drawn without the lift's colour.

    Examples
    --------
    >>> import networkx as nx
    >>> T = nx.Graph()
    >>> T.add_node("police", label="Police", findings=40)
    >>> T.add_node("health", label="Health", findings=10)
    >>> T.add_edge("police", "health", findings=6, lift=3.0, lift_low=1.4, lift_high=5.0,
    ...            p_adjusted=0.01)
    >>> data = heatmap_data(T)
    >>> data["types"], [(c["row"], c["col"], c["text"]) for c in data["cells"]]
    (['police', 'health'], [(0, 1, '3.0×\\n1.4–5.0\\nn=6'), (1, 0, '3.0×\\n1.4–5.0\\nn=6')])
    """
    order = _ordered_types(T)
    cells = []
    for i, a in enumerate(order):
        for j, b in enumerate(order):
            if i == j or not T.has_edge(a, b):
                continue
            d = T.edges[a, b]
            lift = d.get("lift")
            supported = int(d.get("findings") or 0) >= min_findings
            interval = ""
            if d.get("lift_low") is not None and d.get("lift_high") is not None:
                interval = f"\n{float(d['lift_low']):.1f}–{float(d['lift_high']):.1f}"
            cells.append(
                {
                    "row": i,
                    "col": j,
                    "findings": int(d.get("findings") or 0),
                    "lift": lift,
                    "lift_low": d.get("lift_low"),
                    "lift_high": d.get("lift_high"),
                    "p_adjusted": d.get("p_adjusted"),
                    # too few findings to read a colour from: shown faint
                    "color": lift_color(lift) if supported else "#f2f2f2",
                    "supported": supported,
                    "significant": significance_key(d.get("p_adjusted"), lift) == "over",
                    "text": (
                        f"{float(lift):.1f}×{interval}\nn={int(d.get('findings') or 0)}"
                        if lift is not None
                        else f"n={int(d.get('findings') or 0)}"
                    ),
                }
            )
    labels = [str(T.nodes[n].get("label") or agency_style(n)["label"]) for n in order]
    return {"types": order, "labels": labels, "cells": cells}


def type_network_figure(T, *, title=None, width=7.0):
    """A :class:`matplotlib.figure.Figure` of the type network (see the module).

    Examples
    --------
    >>> import networkx as nx
    >>> T = nx.Graph()
    >>> T.add_node("police", label="Police", findings=40)
    >>> T.add_node("health", label="Health", findings=10)
    >>> T.add_edge("police", "health", findings=6, lift=3.0, p_adjusted=0.01)
    >>> fig = type_network_figure(T)
    >>> sorted(t.get_text().split("\\n")[0] for t in fig.axes[0].texts)
    ['3.0×', 'Health', 'Police']
    """
    import matplotlib.patheffects as pe
    from matplotlib.figure import Figure
    from matplotlib.lines import Line2D

    data = type_network_data(T)
    fig = Figure(figsize=(width, width * 0.72))
    ax = fig.add_axes((0.0, 0.02, 0.58, 0.9 if title else 0.96))
    ax.set_axis_off()
    ax.set_aspect("equal")
    ax.set_xlim(-1.5, 1.5)
    ax.set_ylim(-1.3, 1.3)
    at = {n["key"]: (n["x"], n["y"]) for n in data["nodes"]}
    halo = [pe.withStroke(linewidth=2.6, foreground="white")]
    drawn = [e for e in data["edges"] if e["drawn"]]
    # pairs above chance but not distinguishable from it: thin and faint, under the others
    for e in sorted(drawn, key=lambda e: (e["significance"] == "over", e["width"])):
        (x0, y0), (x1, y1) = at[e["pair"][0]], at[e["pair"][1]]
        over = e["significance"] == "over"
        ax.plot(
            [x0, x1],
            [y0, y1],
            color=e["color"],
            linewidth=e["width"] if over else 0.7,
            alpha=0.85 if over else 0.45,
            solid_capstyle="round",
            zorder=1,
        )
    for e in drawn:
        if e["significance"] != "over":
            continue
        (x0, y0), (x1, y1) = at[e["pair"][0]], at[e["pair"][1]]
        ax.text(
            (x0 + x1) / 2,
            (y0 + y1) / 2,
            e["label"].split(" ")[0],
            fontsize=6.5,
            ha="center",
            va="center",
            color=e["color"],
            path_effects=halo,
            zorder=3,
        )
    for n in data["nodes"]:
        marker = MARKERS.get(n["shape"], "o")
        ax.scatter(
            [n["x"]],
            [n["y"]],
            s=n["size"] ** 2,
            marker=marker,
            c=n["color"],
            edgecolors=n["border"],
            linewidths=0.8,
            zorder=2,
        )
        r = math.hypot(n["x"], n["y"]) or 1.0
        ux, uy = n["x"] / r, n["y"] / r
        ax.annotate(
            n["text"],
            (n["x"], n["y"]),
            xytext=(ux * (n["size"] / 2 + 6), uy * (n["size"] / 2 + 6)),
            textcoords="offset points",
            ha="left" if ux > 0.3 else "right" if ux < -0.3 else "center",
            va="bottom" if uy > 0.3 else "top" if uy < -0.3 else "center",
            fontsize=7.5,
            color=TEXT_COLOR,
            path_effects=halo,
            zorder=3,
        )
    if title:
        fig.text(0.0, 1.0, title, ha="left", va="top", fontsize=10, color=TEXT_COLOR)
    colours = [
        Line2D([], [], color=s["color"], linewidth=3 if key == "over" else 0.7, label=s["label"])
        for key, s in SIGNIFICANCE_STYLES.items()
    ]
    samples = lift_width_legend(data["max_lift"], min_width=0.8, max_width=9.0)["samples"]
    widths = [
        Line2D(
            [],
            [],
            color=SIGNIFICANCE_STYLES["over"]["color"],
            linewidth=s["width"],
            label=s["label"],
        )
        for s in samples
    ]
    fig.legend(handles=colours, title="Lines", bbox_to_anchor=(0.71, 0.92), **LEGEND_STYLE)
    fig.legend(
        handles=widths, title="Width: lift (× chance)", bbox_to_anchor=(0.71, 0.72), **LEGEND_STYLE
    )
    fig.text(
        0.71,
        0.40,
        "Node area: findings naming the type.\nLabels on red lines: lift.\n"
        "Pairs at or below chance are not drawn.",
        fontsize=7,
        va="top",
        color=TEXT_COLOR,
    )
    return fig


def lift_heatmap_figure(T, *, title=None, width=7.5):
    """A :class:`matplotlib.figure.Figure` of the type x type lift heatmap (see the module).

    Examples
    --------
    >>> import networkx as nx
    >>> T = nx.Graph()
    >>> T.add_node("police", label="Police", findings=40)
    >>> T.add_node("health", label="Health", findings=10)
    >>> T.add_edge("police", "health", findings=6, lift=3.0, lift_low=1.4, lift_high=5.0,
    ...            p_adjusted=0.01)
    >>> fig = lift_heatmap_figure(T)
    >>> [t.get_text() for t in fig.axes[0].get_xticklabels()]
    ['Police', 'Health']
    """
    from matplotlib.figure import Figure
    from matplotlib.patches import Rectangle

    data = heatmap_data(T)
    k = len(data["types"])
    fig = Figure(figsize=(width, width * 0.86))
    ax = fig.add_axes((0.22, 0.05, 0.72, 0.72 if title else 0.78))
    if k == 0:
        ax.set_axis_off()
        ax.text(0.5, 0.5, "No agency types to draw", ha="center", va="center", color=TEXT_COLOR)
        return fig
    ax.set_xlim(-0.5, k - 0.5)
    ax.set_ylim(k - 0.5, -0.5)
    ax.set_aspect("equal")
    size = max(4.0, min(7.0, 60.0 / max(k, 1)))
    for i in range(k):
        ax.add_patch(
            Rectangle(
                (i - 0.5, i - 0.5),
                1,
                1,
                facecolor="#ffffff",
                edgecolor="#dddddd",
                hatch="////",
                linewidth=0.3,
            )
        )
    for c in data["cells"]:
        ax.add_patch(
            Rectangle(
                (c["col"] - 0.5, c["row"] - 0.5),
                1,
                1,
                facecolor=c["color"],
                edgecolor="#000000" if c["significant"] else "#ffffff",
                linewidth=1.4 if c["significant"] else 0.5,
                zorder=2 if c["significant"] else 1,
            )
        )
        dark = (
            c["supported"]
            and c["lift"] is not None
            and abs(math.log2(max(float(c["lift"]), 1e-9))) > 2.0
        )
        ax.text(
            c["col"],
            c["row"],
            c["text"],
            ha="center",
            va="center",
            fontsize=size,
            color="#ffffff" if dark else TEXT_COLOR if c["supported"] else "#8a8a8a",
            zorder=3,
            linespacing=1.1,
        )
    ax.set_xticks(range(k), data["labels"], rotation=40, ha="left", fontsize=7.5)
    ax.set_yticks(range(k), data["labels"], fontsize=7.5)
    ax.xaxis.tick_top()
    ax.tick_params(length=0)
    for spine in ax.spines.values():
        spine.set_visible(False)
    if title:
        fig.text(0.01, 0.995, title, ha="left", va="top", fontsize=10, color=TEXT_COLOR)
    fig.text(
        0.01,
        0.01,
        "Each cell: lift (findings naming both / expected by chance: each inspection's "
        "co-mentions shared by how often each type is named), 95 % bootstrap interval, "
        "findings. Red above chance, "
        "blue below;\nframed: adjusted p < 0.05 (Benjamini–Hochberg); grey: fewer than "
        "3 findings; blank: never named together.",
        fontsize=6.5,
        color=TEXT_COLOR,
        va="bottom",
    )
    return fig


def write_national_view(T, path, *, view, fmt=None, title=None, dpi=300):
    """Write the type network (``view="types"``) or the heatmap (``view="heatmap"``) of
    type graph `T` as a page (``.html``: the figure as inline SVG and the table of pairs,
    no script, no request) or a figure (``.png``, ``.svg``, ``.pdf``).

    Returns ``{"types", "pairs", "path", "format"}``.

    Examples
    --------
    >>> import networkx as nx, tempfile, os
    >>> T = nx.Graph()
    >>> T.add_node("police", label="Police", findings=40)
    >>> T.add_node("health", label="Health", findings=10)
    >>> T.add_edge("police", "health", findings=6, lift=3.0, p_adjusted=0.01)
    >>> with tempfile.TemporaryDirectory() as d:
    ...     s = write_national_view(T, os.path.join(d, "t.html"), view="types")
    ...     text = open(s["path"], encoding="utf-8").read()
    >>> s["format"], "<svg" in text, "<script" in text
    ('html', True, False)
    """
    if view not in NATIONAL_VIEWS:
        raise ValueError(f"unknown view {view!r}; one of {', '.join(NATIONAL_VIEWS)}")
    path = Path(path)
    fmt = (fmt or path.suffix.lstrip(".")).lower()
    draw = type_network_figure if view == "types" else lift_heatmap_figure
    if fmt == "html":
        fig = draw(T)
        buffer = io.BytesIO()
        save_figure(fig, buffer, fmt="svg")
        svg = buffer.getvalue().decode("utf-8")
        svg = svg[svg.index("<svg") :]
        _write_text(path, _page(T, svg, title or _default_title(view)))
    else:
        save_figure(draw(T, title=title), path, fmt=fmt, dpi=dpi)
    return {
        "types": T.number_of_nodes(),
        "pairs": T.number_of_edges(),
        "path": str(path),
        "format": fmt,
    }


NATIONAL_FORMATS = ("html", "png", "svg", "pdf")


def national_format(path: str | Path) -> str:
    """The format of a national view from the extension of ``path``, or an InputError."""
    from ..errors import InputError

    suffix = Path(path).suffix
    fmt = suffix.lstrip(".").lower()
    if fmt not in NATIONAL_FORMATS:
        raise InputError(
            f"{path}: cannot tell the format from {suffix or 'no extension'!r}; "
            f"use one of {', '.join('.' + f for f in NATIONAL_FORMATS)}"
        )
    return fmt


def draw_national_view(
    store,
    path: str | Path,
    *,
    view: str,
    min_inspections: int = 1,
    title: str | None = None,
    seed: int = 0,
    resamples: int = 1000,
    **filters,
) -> dict:
    """Write the network of agency types (``view="types"``) or the type x type heatmap of
    lifts (``"heatmap"``) of ``store`` to ``path`` (.html .png .svg .pdf), as ``inspectgraph
    viz types`` / ``viz heatmap`` and the Python API's ``national_view`` draw it: the
    partnership graph for ``filters`` (polarity, la, region, since, until), its pairs of types
    in at least ``min_inspections`` inspections, written by
    :func:`inspectgraph.viz.national.write_national_view`."""
    from ..analysis import partnership_graph_from_store, type_partnership_graph
    from ..errors import InputError
    from ..model.keys import check_authority

    fmt = national_format(path)  # a bad extension or view fails before any work
    if view not in NATIONAL_VIEWS:
        raise InputError(f"unknown view {view!r}; one of {', '.join(NATIONAL_VIEWS)}")
    check_authority(store, filters.get("la", ""))  # an unknown one: an error, not an empty view
    G = partnership_graph_from_store(store, **filters, resamples=resamples, seed=seed)
    T = type_partnership_graph(G, min_inspections=min_inspections)
    return write_national_view(T, path, view=view, fmt=fmt, title=title)


def _default_title(view):
    return (
        "Agency types criticised together, against chance"
        if view == "types"
        else "Lift of co-criticism by pair of agency types"
    )


def _page(T, svg, title):
    """The page: heading, the figure, how to read it, the table of pairs. No script."""
    data = type_network_data(T)
    labels = {n["key"]: n["label"] for n in data["nodes"]}
    rows = []
    for e in data["edges"]:
        cells = [
            " — ".join(labels.get(k, k) for k in e["pair"]),
            f"{e['findings']:,}",
            f"{e['inspections']:,}",
            "" if e["expected"] is None else f"{float(e['expected']):.1f}",
            e["label"],
            "" if e["p_adjusted"] is None else f"{float(e['p_adjusted']):.2g}",
        ]
        mark = ' class="over"' if e["significance"] == "over" else ""
        rows.append(f"<tr{mark}>" + "".join(f"<td>{html.escape(c)}</td>" for c in cells) + "</tr>")
    head = "".join(
        f"<th>{h}</th>"
        for h in (
            "agency types",
            "findings",
            "inspections",
            "expected",
            "lift (95 % interval)",
            "adjusted p",
        )
    )
    return f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{html.escape(title)}</title>
<style>
body {{ font: 15px/1.45 system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif; color: #1a1a1a;
       max-width: 980px; margin: 1.5rem auto; padding: 0 1rem; }}
figure {{ margin: 0; }} figure svg {{ width: 100%; height: auto; }}
table {{ border-collapse: collapse; font-size: 13px; margin-top: 1rem; }}
th, td {{ padding: 3px 10px; border-bottom: 1px solid #ddd; text-align: right; }}
th:first-child, td:first-child {{ text-align: left; }}
tr.over td {{ font-weight: 600; }}
</style>
</head>
<body>
<h1>{html.escape(title)}</h1>
<figure>{svg}</figure>
<p>A pair of agency types is criticised together when one weakness or mixed finding names an
agency of each. <em>Expected</em> is the number of such findings by chance: each inspection's
co-mentions shared out among its pairs of types in proportion to how often each is named; the
<em>lift</em> is findings ÷ expected (1 = chance), with a 95 %
bootstrap interval over inspections; <em>adjusted p</em> is Benjamini–Hochberg over every pair.
Bold rows: more often than chance at adjusted p &lt; 0.05.</p>
<table>
<thead><tr>{head}</tr></thead>
<tbody>
{chr(10).join(rows)}
</tbody>
</table>
</body>
</html>
"""


def _write_text(path, text):
    from inspectgraph.viz.netexport import atomic_write

    atomic_write(path, lambda fh: fh.write(text), text=True)
