"""Static figures of a partnership graph for papers: PNG, SVG and PDF (matplotlib).

The figure uses the encoding of the interactive page (:mod:`.style`): the same
colour *and* shape for each agency type, node size from the number of
partners, line width from the number of inspections, and a legend with the
same labels.  Positions come from the same seeded layout
(:func:`~inspectgraph.viz.layout.compute_layout`), so a figure and a page made
with the same seed show the same picture.

Only :class:`matplotlib.figure.Figure` is used, never ``pyplot``: drawing does
not depend on, or change, a global backend or state.  Output is reproducible:
the same graph and seed give byte-identical SVG and PDF files (no dates,
fixed SVG ids).
"""

import math
import textwrap
from pathlib import Path

from .layout import compute_layout
from .style import (
    agency_style,
    edge_width,
    edge_width_legend,
    lift_width,
    lift_width_legend,
    node_size,
    type_legend,
)

__all__ = [
    "FIGURE_FORMATS",
    "MARKERS",
    "draw_partnerships",
    "partnership_figure",
    "save_figure",
    "write_partnership_figure",
]

#: File formats a figure can be written in (by file extension).
FIGURE_FORMATS = ("png", "svg", "pdf")

#: what every legend of the static figures shares (here and in :mod:`.national`)
LEGEND_STYLE = {
    "loc": "upper left",
    "frameon": False,
    "fontsize": 7.5,
    "title_fontsize": 8,
    "alignment": "left",
    "borderaxespad": 0.0,
}

#: matplotlib marker for each vis-network node shape used by :mod:`.style`.
MARKERS = {
    "dot": "o",
    "square": "s",
    "diamond": "D",
    "triangle": "^",
    "triangleDown": "v",
    "star": "*",
    "hexagon": "h",
}

# Markers whose glyph looks smaller than a disc of the same nominal size.
_MARKER_SCALE = {"*": 1.45, "D": 0.85, "^": 1.15, "v": 1.15, "s": 0.9}

EDGE_COLOR = "#7b8794"
TEXT_COLOR = "#1a1a1a"
#: Width of a figure for a two-column page, in inches.
DEFAULT_WIDTH = 7.0
#: With ``max_labels=None``, graphs of up to this many agencies have every agency
#: labelled; larger ones only their 15 best-connected.
AUTO_LABEL_ALL = 25


def partnership_figure(
    G,
    *,
    seed=0,
    pos=None,
    title=None,
    width=DEFAULT_WIDTH,
    height=None,
    max_labels=None,
    legend=True,
    width_by="inspections",
):
    """Return a :class:`matplotlib.figure.Figure` of a partnership graph.

    Parameters
    ----------
    G : networkx.Graph
        Partnership graph; nodes have ``label`` and ``agency_type``, edges
        ``inspections`` (see :func:`~inspectgraph.viz.write_partnership_page`).
    seed : int, optional (default=0)
        Seed of the layout, as for the interactive page.
    pos : dict or None, optional
        Precomputed positions (node -> (x, y)); computed when None.
    title : str or None, optional
        Title drawn above the graph; None or ``""`` for none (usual in a paper,
        where the caption says it).
    width, height : float, optional
        Size in inches; the height follows the layout's shape when None.
        Written files are cropped to what is drawn, so they may come out a
        little smaller.
    max_labels : int or None, optional
        Label at most this many agencies, those with most partners first; the
        others are drawn unlabelled, as is any whose label would overlap a
        better-connected agency's on every side. None: all of them up to
        :data:`AUTO_LABEL_ALL` agencies, otherwise the 15 best connected.
    legend : bool, optional
        Draw the legend (agency types present, and line widths).
    width_by : {"inspections", "lift"}, optional
        What a line's width shows: inspections, or the lift against chance.

    Returns
    -------
    fig : matplotlib.figure.Figure

    Examples
    --------
    >>> import networkx as nx
    >>> G = nx.Graph()
    >>> G.add_node("p", label="Police", agency_type="police")
    >>> G.add_node("c", label="Council", agency_type="local_authority")
    >>> G.add_edge("p", "c", inspections=2, findings=3)
    >>> fig = partnership_figure(G)
    >>> sorted(t.get_text() for t in fig.axes[0].texts)
    ['Council', 'Police']
    >>> [t.get_text() for t in fig.legends[0].get_texts()]
    ['Local authority (1)', 'Police (1)']
    """
    from matplotlib.figure import Figure

    if pos is None:
        pos = compute_layout(G, seed=seed, scale=1.0)
    xs = [p[0] for p in pos.values()] or [0.0]
    ys = [p[1] for p in pos.values()] or [0.0]
    span_x = max(max(xs) - min(xs), 1e-9)
    span_y = max(max(ys) - min(ys), 1e-9)
    graph_width = width * (0.74 if legend else 1.0)
    if height is None:
        aspect = span_y / span_x if G.number_of_nodes() > 1 else 0.6
        height = min(max(graph_width * aspect + 0.9, 2.6), width * 0.75)
    fig = Figure(figsize=(width, height))
    legend = legend and G.number_of_nodes() > 0
    top = 1.0 - (0.32 / height if title else 0.0)
    right = 0.74 if legend else 1.0
    ax = fig.add_axes((0.0, 0.0, right, top))
    ax.set_anchor("N")
    draw_partnerships(G, ax, pos=pos, max_labels=max_labels, width_by=width_by)
    if title:
        # flush with the leftmost thing drawn (labels may stick out of the axes)
        fig.draw_without_rendering()
        to_fig = fig.transFigure.inverted()
        left = min([0.0, *(t.get_window_extent().transformed(to_fig).x0 for t in ax.texts)])
        fig.text(left, 1.0, title, ha="left", va="top", fontsize=10, color=TEXT_COLOR)
    if legend:
        # start the legend right of everything drawn, labels that stick out included
        fig.draw_without_rendering()
        to_fig = fig.transFigure.inverted()
        drawn = [t.get_window_extent().transformed(to_fig).x1 for t in ax.texts]
        _legend(
            fig,
            G,
            x=max([right, *drawn]) + 0.02,
            y=top,
            line_scale=_scales(ax, G.number_of_nodes())[1],
            width_by=width_by,
        )
    return fig


def draw_partnerships(G, ax, *, seed=0, pos=None, max_labels=None, width_by="inspections"):
    """Draw a partnership graph on the matplotlib axes `ax` (no legend, no title).

    Lines are drawn first, then one marker per node with its agency type's
    colour, border and shape, then the labels with a white halo.  Returns `ax`.
    """
    from matplotlib.collections import LineCollection

    ax.set_axis_off()
    ax.set_aspect("equal")
    if G.number_of_nodes() == 0:
        ax.text(
            0.5,
            0.5,
            "No agencies to draw",
            ha="center",
            va="center",
            transform=ax.transAxes,
            color=TEXT_COLOR,
        )
        return ax
    if pos is None:
        pos = compute_layout(G, seed=seed, scale=1.0)
    degree = {n: sum(1 for m in G.adj[n] if m != n) for n in G}
    max_degree = max(degree.values(), default=0)
    max_inspections = max((_int(d.get("inspections")) for _, _, d in G.edges(data=True)), default=0)
    max_lift = max((_lift(d) for _, _, d in G.edges(data=True)), default=0.0)

    scale, dense = _scales(ax, G.number_of_nodes())
    segments, widths = [], []
    by_lift = width_by == "lift"
    for u, v, d in sorted(
        G.edges(data=True), key=lambda e: _lift(e[2]) if by_lift else _int(e[2].get("inspections"))
    ):
        if u == v:
            continue
        segments.append([pos[u], pos[v]])
        bounds = {"min_width": max(0.7 * dense, 0.4), "max_width": 5.0 * dense}
        widths.append(
            lift_width(_lift(d), max_lift, **bounds)
            if by_lift
            else edge_width(_int(d.get("inspections")), max_inspections, **bounds)
        )
    if segments:
        ax.add_collection(
            LineCollection(
                segments,
                linewidths=widths,
                colors=EDGE_COLOR,
                alpha=0.75,
                capstyle="round",
                zorder=1,
            )
        )

    radius = {}
    groups = {}
    for n, d in G.nodes(data=True):
        style = agency_style(d.get("agency_type"))
        marker = MARKERS.get(style["shape"], "o")
        diameter = max(node_size(degree[n], max_degree) * scale, 2.5)
        radius[n] = diameter / 2.0
        groups.setdefault((marker, style["color"], style["border"]), []).append(
            (pos[n], (diameter * _MARKER_SCALE.get(marker, 1.0)) ** 2)
        )
    for (marker, color, border), points in groups.items():
        ax.scatter(
            [p[0] for p, _ in points],
            [p[1] for p, _ in points],
            s=[s for _, s in points],
            marker=marker,
            c=color,
            edgecolors=border,
            linewidths=0.8,
            zorder=2,
        )

    # room for the markers; labels may reach beyond (files are cropped to what is drawn)
    xs = [p[0] for p in pos.values()]
    ys = [p[1] for p in pos.values()]
    pad = max(max(xs) - min(xs), max(ys) - min(ys)) * 0.07 or 0.5
    ax.set_xlim(min(xs) - pad, max(xs) + pad)
    ax.set_ylim(min(ys) - pad, max(ys) + pad)

    if max_labels is None:
        max_labels = G.number_of_nodes() if G.number_of_nodes() <= AUTO_LABEL_ALL else 15
    ranked = sorted(G, key=lambda n: (-degree[n], _label(G, n)))
    _place_labels(G, ax, pos, ranked[:max_labels], radius)
    return ax


def write_partnership_figure(
    G,
    path,
    *,
    fmt=None,
    seed=0,
    pos=None,
    title=None,
    width=DEFAULT_WIDTH,
    height=None,
    dpi=300,
    max_labels=None,
    width_by="inspections",
):
    """Write a static figure of a partnership graph (PNG, SVG or PDF).

    Parameters
    ----------
    G : networkx.Graph
        Partnership graph (see :func:`partnership_figure`).
    path : str or os.PathLike
        File to write; parent directories are created.
    fmt : {"png", "svg", "pdf"} or None, optional
        Format; taken from the file extension when None.
    seed, pos, title, width, height, max_labels, width_by
        As for :func:`partnership_figure`.
    dpi : int, optional
        Resolution of a PNG (300 suits print).

    Returns
    -------
    summary : dict
        ``{"nodes": n, "edges": m, "path": str, "format": fmt}``.

    Examples
    --------
    >>> import networkx as nx, tempfile, os
    >>> G = nx.Graph()
    >>> G.add_edge("a", "b", inspections=1)
    >>> with tempfile.TemporaryDirectory() as d:
    ...     s = write_partnership_figure(G, os.path.join(d, "g.svg"))
    ...     head = open(s["path"], encoding="utf-8").read(200)
    >>> s["format"], "<svg" in head
    ('svg', True)
    """
    fig = partnership_figure(
        G,
        seed=seed,
        pos=pos,
        title=title,
        width=width,
        height=height,
        max_labels=max_labels,
        width_by=width_by,
    )
    path, fmt = save_figure(fig, path, fmt=fmt, dpi=dpi)
    return {
        "nodes": G.number_of_nodes(),
        "edges": G.number_of_edges(),
        "path": str(path),
        "format": fmt,
    }


def save_figure(fig, path, *, fmt=None, dpi=300):
    """Write a matplotlib figure reproducibly (no dates, fixed SVG ids) as PNG, SVG or
    PDF, cropped to what is drawn, to a file name or a binary file object (then ``fmt``
    is required); returns ``(path, fmt)``."""
    import os

    import matplotlib

    if isinstance(path, (str, os.PathLike)):
        path = Path(path)
        fmt = (fmt or path.suffix.lstrip(".")).lower()
    if fmt not in FIGURE_FORMATS:
        raise ValueError(
            f"{path}: unknown figure format {fmt!r}; known: {', '.join(FIGURE_FORMATS)}"
        )
    metadata = {
        "png": {"Software": None},
        "svg": {"Date": None},
        "pdf": {"CreationDate": None, "ModDate": None},
    }[fmt]
    if isinstance(path, Path):
        path.parent.mkdir(parents=True, exist_ok=True)
    with matplotlib.rc_context(
        {"svg.hashsalt": "inspectgraph", "svg.fonttype": "path", "pdf.fonttype": 42}
    ):
        fig.savefig(
            path,
            format=fmt,
            dpi=dpi,
            metadata=metadata,
            facecolor="white",
            bbox_inches="tight",
            pad_inches=0.06,
        )
    return path, fmt


# Legend ---------------------------------------------------------------------


def _legend(fig, G, *, x, y, line_scale=1.0, width_by="inspections"):
    """Two legends, agency types then line widths, stacked from (x, y) in figure coordinates."""
    from matplotlib.lines import Line2D

    types = type_legend(d.get("agency_type") for _, d in G.nodes(data=True))
    handles = [
        Line2D(
            [],
            [],
            linestyle="none",
            marker=MARKERS.get(e["shape"], "o"),
            markerfacecolor=e["color"],
            markeredgecolor=e["border"],
            markeredgewidth=0.8,
            markersize=7 * math.sqrt(_MARKER_SCALE.get(MARKERS.get(e["shape"], "o"), 1.0)),
            label=f"{e['label']} ({e['count']})",
        )
        for e in types
    ]
    counts = [_int(d.get("inspections")) for _, _, d in G.edges(data=True)]
    bounds = {"min_width": max(0.7 * line_scale, 0.4), "max_width": 5.0 * line_scale}
    if width_by == "lift":
        lifts = [_lift(d) for _, _, d in G.edges(data=True)]
        samples = lift_width_legend(max(lifts, default=0.0), **bounds)["samples"]
        lines_title = "Lines: lift (× chance)"
    else:
        samples = edge_width_legend(
            max(counts, default=0), min_inspections=min(counts, default=1), **bounds
        )["samples"]
        lines_title = "Lines: criticised together in"
    lines = [
        Line2D(
            [],
            [],
            color=EDGE_COLOR,
            alpha=0.75,
            linewidth=s["width"],
            solid_capstyle="round",
            label=s["label"],
        )
        for s in samples
    ]
    common = {**LEGEND_STYLE, "handlelength": 2.2, "borderpad": 0.0}
    first = fig.legend(handles=handles, title="Agency type", bbox_to_anchor=(x, y), **common)
    if lines:
        fig.draw_without_rendering()  # to measure the first legend
        box = first.get_window_extent().transformed(fig.transFigure.inverted())
        gap = 10 / 72 / fig.get_figheight()  # 10 points
        fig.legend(
            handles=lines,
            title=lines_title,
            bbox_to_anchor=(x, box.y0 - gap),
            **common,
        )
    return first


def _scales(ax, n):
    """Points per page pixel for markers, and the factor by which lines thin out.

    Markers are as on the page (10 to 36 px across, times 0.62 points), shrunk when the
    nodes are dense so that they stay well below the typical gap between nodes; lines
    thin out with them.
    """
    box = ax.get_position()
    fig_w, fig_h = ax.figure.get_size_inches()
    spacing = math.sqrt(box.width * fig_w * box.height * fig_h * 72 * 72 / max(n, 1))
    scale = min(0.62, 0.25 * spacing / 36.0)
    return scale, scale / 0.62


def _place_labels(G, ax, pos, nodes, radius):
    """Label `nodes` in the order given, each on the first side (its preferred one,
    then the seven others) where it overlaps no label already placed; a label that fits
    nowhere is left out, so the best-connected agencies keep theirs in a dense figure."""
    import matplotlib.patheffects as pe

    ax.apply_aspect()  # measure in the positions the axes will be drawn at
    halo = [pe.withStroke(linewidth=2.6, foreground="white")]
    placed = []
    for n in nodes:
        text = "\n".join(textwrap.wrap(_label(G, n), 24)) or str(n)
        gap = radius[n] + 2.5
        for (dx, dy), ha, va in _label_sides(G, pos, n):
            label = ax.annotate(
                text,
                pos[n],
                xytext=(dx * gap, dy * gap),
                textcoords="offset points",
                ha=ha,
                va=va,
                multialignment="center" if ha == "center" else ha,
                fontsize=7.5,
                color=TEXT_COLOR,
                path_effects=halo,
                zorder=3,
                annotation_clip=False,
            )
            box = label.get_window_extent()
            if not any(box.overlaps(other) for other in placed):
                placed.append(box)
                break
            label.remove()


def _label_sides(G, pos, n):
    """The eight places for a node's label, the one away from its lines first."""
    first = _label_side(G, pos, n)
    (fx, fy), _, _ = first
    start = math.atan2(fy, fx)
    sides = [first]
    for k in (1, -1, 2, -2, 3, -3, 4):
        angle = start + k * math.pi / 4
        sides.append(_side(math.cos(angle), math.sin(angle)))
    return sides


def _side(dx, dy):
    ha = "left" if dx > 0.3 else "right" if dx < -0.3 else "center"
    va = "bottom" if dy > 0.3 else "top" if dy < -0.3 else "center"
    return (dx, dy), ha, va


def _label_side(G, pos, n):
    """Where to put a node's label: on the side away from its lines (below when
    balanced or alone). Returns a unit offset and the text alignment."""
    x, y = pos[n]
    sx = sy = 0.0
    for m in G.adj[n]:
        if m == n:
            continue
        vx, vy = pos[m][0] - x, pos[m][1] - y
        length = math.hypot(vx, vy)
        if length > 0:
            sx += vx / length
            sy += vy / length
    if math.hypot(sx, sy) < 0.35:
        return (0.0, -1.0), "center", "top"
    angle = math.atan2(-sy, -sx)
    step = round(angle / (math.pi / 4)) * (math.pi / 4)
    return _side(math.cos(step), math.sin(step))


def _label(G, n):
    label = G.nodes[n].get("label")
    return str(label) if label not in (None, "") else str(n)


def _int(value):
    try:
        return int(value)
    except (TypeError, ValueError, OverflowError):
        return 0


def _lift(data):
    try:
        x = float(data.get("lift"))
    except (TypeError, ValueError):
        return 0.0
    return x if math.isfinite(x) else 0.0
