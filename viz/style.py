"""Visual encoding of a partnership graph, as plain data.

Nothing here knows about HTML or JavaScript: colours are hex strings, sizes
and widths are numbers and tooltips are plain text with newlines.  The page
writer (:mod:`inspectgraph.viz.html`) turns them into escaped JSON.

Agency types are told apart by colour *and* shape, so that the legend still
works for readers who cannot distinguish some of the colours.  The colours are
the Okabe--Ito palette completed with colours from Paul Tol's "muted" scheme,
both designed to stay distinguishable under the common colour-vision
deficiencies; combinations that come closest also differ in shape.
"""

import math

from ..model.agency_types import AGENCY_TYPE_LABELS, AGENCY_TYPES, OTHER, agency_type_key

__all__ = [
    "AGENCY_TYPE_STYLES",
    "agency_style",
    "agency_color",
    "node_size",
    "edge_width",
    "node_tooltip",
    "edge_tooltip",
    "type_legend",
    "edge_width_legend",
    "lift_width",
    "lift_width_legend",
    "SIGNIFICANCE_STYLES",
    "significance_key",
    "lift_color",
    "lift_label",
]

#: Adjusted p-value below which a pair counts as more often criticised together than
#: chance (a false discovery rate of 5 %).
SIGNIFICANCE_LEVEL = 0.05

#: Colour and legend text of a pair by what its adjusted p-value and lift say.
SIGNIFICANCE_STYLES = {
    "over": {"label": "More often than chance (adjusted p < 0.05)", "color": "#B2182B"},
    "chance": {"label": "Not distinguishable from chance", "color": "#8C96A0"},
}

#: Fill colour, border colour and vis-network node shape of each agency type.
_LOOKS = {
    "local_authority": {
        "color": "#0072B2",
        "border": "#004b75",
        "shape": "dot",
    },
    "police": {"color": "#E69F00", "border": "#9a6a00", "shape": "square"},
    "health": {"color": "#009E73", "border": "#00664a", "shape": "diamond"},
    "education": {
        "color": "#F0E442",
        "border": "#8f8720",
        "shape": "triangle",
    },
    "probation": {
        "color": "#D55E00",
        "border": "#8a3d00",
        "shape": "triangleDown",
    },
    "youth_justice": {
        "color": "#CC79A7",
        "border": "#8a4a6e",
        "shape": "star",
    },
    "housing": {"color": "#56B4E9", "border": "#2a7aa8", "shape": "hexagon"},
    "voluntary_sector": {
        "color": "#882255",
        "border": "#551535",
        "shape": "dot",
    },
    "courts_cafcass": {
        "color": "#999933",
        "border": "#606020",
        "shape": "square",
    },
    "safeguarding_partnership": {
        "color": "#332288",
        "border": "#1e1450",
        "shape": "diamond",
    },
    "multi_agency": {
        "color": "#44AA99",
        "border": "#2a6e63",
        "shape": "triangle",
    },
    "inspectorate": {
        "color": "#555555",
        "border": "#222222",
        "shape": "star",
    },
    OTHER: {"color": "#BBBBBB", "border": "#777777", "shape": "hexagon"},
}

#: Style of each agency type: legend label (:mod:`inspectgraph.model.agency_types`), fill
#: colour, border colour, and vis-network node shape.  Order is the legend order.
AGENCY_TYPE_STYLES = {
    key: {"label": label, **_LOOKS[key]} for key, label in AGENCY_TYPE_LABELS.items()
}

#: Longest example finding shown in a tooltip, in characters.
EXAMPLE_MAX_CHARS = 400


def agency_style(agency_type):
    """Return the style dictionary of an agency type (a copy).

    Examples
    --------
    >>> agency_style("police")["shape"]
    'square'
    >>> agency_style("unknown")["label"]
    'Other'
    """
    return dict(AGENCY_TYPE_STYLES[agency_type_key(agency_type)])


def agency_color(agency_type):
    """Return the fill colour (``#RRGGBB``) for an agency type.

    Examples
    --------
    >>> agency_color("police")
    '#E69F00'
    >>> agency_color("something else") == agency_color("other")
    True
    """
    return AGENCY_TYPE_STYLES[agency_type_key(agency_type)]["color"]


def node_size(degree, max_degree, *, min_size=10.0, max_size=36.0):
    """Return a node's drawn size from its degree.

    The size grows with the square root of the degree, so that the *area*
    of a node is roughly proportional to its number of partners.

    Parameters
    ----------
    degree : int
        Number of partners of the node.
    max_degree : int
        Largest degree in the graph.
    min_size, max_size : float, optional
        Sizes of an isolated node and of the best-connected node.

    Examples
    --------
    >>> node_size(0, 9)
    10.0
    >>> node_size(9, 9)
    36.0
    >>> node_size(1, 0)
    10.0
    """
    if max_degree <= 0 or degree <= 0:
        return float(min_size)
    frac = math.sqrt(min(degree, max_degree) / max_degree)
    return round(min_size + (max_size - min_size) * frac, 2)


def edge_width(inspections, max_inspections, *, min_width=1.0, max_width=10.0):
    """Return an edge's drawn width from the number of inspections.

    The width grows linearly from `min_width` (criticised together in one
    inspection) to `max_width` (the most recurrent pair in the graph).

    Examples
    --------
    >>> edge_width(1, 4)
    1.0
    >>> edge_width(4, 4)
    10.0
    >>> edge_width(2, 1)
    1.0
    """
    k = _count(inspections)
    if max_inspections <= 1 or k <= 1:
        return float(min_width)
    frac = (min(k, max_inspections) - 1) / (max_inspections - 1)
    return round(min_width + (max_width - min_width) * frac, 2)


def node_tooltip(
    label,
    agency_type,
    *,
    partners=0,
    findings=None,
    degree_centrality=None,
    betweenness=None,
    community=None,
    iri=None,
):
    """Return the plain-text tooltip of an agency.

    Parameters
    ----------
    label : str
        Name of the agency.
    agency_type : str
        Agency-type key (see :func:`agency_type_key`).
    partners : int, optional
        Number of agencies it was criticised together with.
    findings : int or None, optional
        Total number of shared findings over its edges.
    degree_centrality, betweenness : float or None, optional
        Centralities, shown to three decimals when given.
    community : int or None, optional
        Community number, shown when given.
    iri : str or None, optional
        Identifier of the agency, shown last.

    Returns
    -------
    text : str
        Plain text with one fact per line; it is never interpreted as HTML.

    Examples
    --------
    >>> print(node_tooltip("Northumbria Police", "police", partners=2, findings=5))
    Northumbria Police
    Type: Police
    Criticised together with 2 agencies (5 shared findings)
    """
    lines = [_text(label), "Type: " + agency_style(agency_type)["label"]]
    line = f"Criticised together with {_plural(partners, 'agency', 'agencies')}"
    if findings is not None:
        line += f" ({_plural(findings, 'shared finding')})"
    lines.append(line)
    if community is not None:
        lines.append(f"Community: {_text(community)}")
    if degree_centrality is not None:
        lines.append(f"Degree centrality: {_number(degree_centrality)}")
    if betweenness is not None:
        lines.append(f"Betweenness: {_number(betweenness)}")
    if iri:
        lines.append(_text(iri))
    return "\n".join(lines)


def edge_tooltip(u_label, v_label, data, *, max_chars=EXAMPLE_MAX_CHARS):
    """Return the plain-text tooltip of a partnership edge.

    Parameters
    ----------
    u_label, v_label : str
        Names of the two agencies.
    data : dict
        Edge attributes: ``findings``, ``inspections``, ``years`` (int),
        ``first`` and ``last`` (ISO dates), ``themes`` (list of str) and
        ``example`` (a finding summary).  Missing keys are left out.
    max_chars : int, optional
        Longest example finding shown; longer ones are cut with an ellipsis.

    Returns
    -------
    text : str
        Plain text; the example finding is included verbatim (never
        interpreted as HTML) apart from being shortened.

    Examples
    --------
    >>> data = {"findings": 3, "inspections": 2, "years": 2,
    ...         "first": "2019-05-15", "last": "2021-02-03",
    ...         "themes": ["information sharing"], "example": "Slow referrals."}
    >>> print(edge_tooltip("Police", "Council", data))
    Police — Council
    Criticised together in 2 inspections over 2 years (3 findings)
    First: 2019-05-15 · Last: 2021-02-03
    Themes: information sharing
    Example finding:
    Slow referrals.
    """
    lines = [f"{_text(u_label)} — {_text(v_label)}"]
    parts = []
    if data.get("inspections") is not None:
        parts.append(f"in {_plural(_count(data['inspections']), 'inspection')}")
    if data.get("years") is not None:
        parts.append(f"over {_plural(_count(data['years']), 'year')}")
    line = "Criticised together"
    if parts:
        line += " " + " ".join(parts)
    if data.get("findings") is not None:
        line += f" ({_plural(_count(data['findings']), 'finding')})"
    lines.append(line)
    dates = []
    if data.get("first"):
        dates.append(f"First: {_text(data['first'])}")
    if data.get("last"):
        dates.append(f"Last: {_text(data['last'])}")
    if dates:
        lines.append(" · ".join(dates))
    if data.get("lift") is not None and data.get("expected") is not None:
        line = f"Expected by chance: {float(data['expected']):.1f} · lift {lift_label(data)}"
        if data.get("p_adjusted") is not None:
            line += f" · adjusted p {float(data['p_adjusted']):.2g}"
        lines.append(line)
    themes = _themes(data.get("themes"))
    if themes:
        lines.append("Themes: " + ", ".join(themes))
    example = data.get("example")
    if example:
        lines.append("Example finding:")
        lines.append(_truncate(_text(example), max_chars))
    return "\n".join(lines)


def type_legend(agency_types):
    """Return legend entries for the agency types that occur.

    Parameters
    ----------
    agency_types : iterable of str
        The agency type of every node (unrecognised values count as other).

    Returns
    -------
    entries : list of dict
        One dict per type present, in :data:`AGENCY_TYPES` order, with keys
        ``type``, ``label``, ``color``, ``border``, ``shape`` and ``count``.

    Examples
    --------
    >>> [(e["label"], e["count"]) for e in type_legend(["police", "x", "police"])]
    [('Police', 2), ('Other', 1)]
    """
    counts = {}
    for t in agency_types:
        key = agency_type_key(t)
        counts[key] = counts.get(key, 0) + 1
    return [
        {"type": key, **AGENCY_TYPE_STYLES[key], "count": counts[key]}
        for key in AGENCY_TYPES
        if key in counts
    ]


def edge_width_legend(max_inspections, min_inspections=1, **kwargs):
    """Return the explanation of edge width and sample widths.

    Parameters
    ----------
    max_inspections : int
        Largest number of inspections on any edge.
    min_inspections : int, optional (default=1)
        Smallest number of inspections on any edge (a graph drawn with a minimum
        recurrence has no one-inspection lines to show).
    **kwargs
        Passed on to :func:`edge_width`.

    Returns
    -------
    legend : dict
        ``text`` (a sentence) and ``samples``: a list of dicts with
        ``inspections``, ``width`` and ``label``.

    Examples
    --------
    >>> legend = edge_width_legend(5)
    >>> [s["inspections"] for s in legend["samples"]]
    [1, 3, 5]
    >>> [s["inspections"] for s in edge_width_legend(5, min_inspections=2)["samples"]]
    [2, 3, 5]
    >>> edge_width_legend(0)["samples"]
    []
    """
    text = (
        "A line joins two agencies criticised together in the same finding; "
        "its width shows in how many inspections that happened."
    )
    k = _count(max_inspections)
    if k <= 0:
        return {"text": text, "samples": []}
    low = min(max(_count(min_inspections), 1), k)
    values = sorted({low, (low + k) // 2, k})
    samples = [
        {
            "inspections": v,
            "width": edge_width(v, k, **kwargs),
            "label": _plural(v, "inspection"),
        }
        for v in values
    ]
    return {"text": text, "samples": samples}


def lift_width(lift, max_lift, *, min_width=1.0, max_width=10.0):
    """Return an edge's drawn width from its lift (observed / expected co-criticism).

    The width grows with log2 of the lift, from `min_width` at a lift of 1 (or below:
    no more often than chance) to `max_width` at `max_lift`.

    Examples
    --------
    >>> lift_width(1.0, 8.0), lift_width(0.4, 8.0), lift_width(8.0, 8.0)
    (1.0, 1.0, 10.0)
    >>> lift_width(2.0, 8.0)  # a third of the way on a log scale
    4.0
    >>> lift_width(None, 8.0)
    1.0
    """
    try:
        lift = float(lift)
        top = float(max_lift)
    except (TypeError, ValueError):
        return float(min_width)
    if not (math.isfinite(lift) and math.isfinite(top)) or lift <= 1.0 or top <= 1.0:
        return float(min_width)
    frac = math.log2(min(lift, top)) / math.log2(top)
    return round(min_width + (max_width - min_width) * frac, 2)


def lift_width_legend(max_lift, **kwargs):
    """Return the explanation of edge width by lift and sample widths (as
    :func:`edge_width_legend`, samples keyed ``lift``).

    Examples
    --------
    >>> [s["label"] for s in lift_width_legend(6.0)["samples"]]
    ['1× (chance)', '2×', '4×']
    >>> lift_width_legend(None)["samples"]
    []
    """
    text = (
        "A line joins two agencies criticised together in the same finding; its width "
        "shows the lift: how many times more often than chance, each inspection's "
        "co-mentions shared out by how often each agency is named there."
    )
    try:
        top = float(max_lift)
    except (TypeError, ValueError):
        return {"text": text, "samples": []}
    if not math.isfinite(top) or top <= 0:
        return {"text": text, "samples": []}
    values = [1.0] + [2.0**k for k in range(1, 8) if 2.0**k <= top][:3]
    samples = [
        {
            "lift": v,
            "width": lift_width(v, max(top, 1.0), **kwargs),
            "label": "1× (chance)" if v == 1.0 else f"{v:g}×",
        }
        for v in values
    ]
    return {"text": text, "samples": samples}


def significance_key(p_adjusted, lift, *, level=SIGNIFICANCE_LEVEL):
    """Return ``"over"`` for a pair criticised together more often than chance at the
    adjusted `level`, else ``"chance"``.

    Examples
    --------
    >>> significance_key(0.001, 3.2), significance_key(0.2, 3.2), significance_key(None, 2)
    ('over', 'chance', 'chance')
    """
    try:
        p = float(p_adjusted)
        lift = float(lift)
    except (TypeError, ValueError):
        return "chance"
    return "over" if p < level and lift > 1.0 else "chance"


def lift_color(lift, *, top=8.0):
    """Return the colour of a lift on a diverging scale, symmetric in log2: blue below 1,
    white at 1, red above; `top` and ``1/top`` take the darkest colours. None is grey.

    Examples
    --------
    >>> lift_color(1.0), lift_color(8.0), lift_color(1 / 8), lift_color(None)
    ('#f7f7f7', '#b2182b', '#2166ac', '#dddddd')
    """
    try:
        x = float(lift)
    except (TypeError, ValueError):
        return "#dddddd"
    if not math.isfinite(x) or x <= 0:
        return "#dddddd" if not (math.isfinite(x) and x == 0) else "#2166ac"
    t = max(-1.0, min(1.0, math.log2(x) / math.log2(top)))
    white, red, blue = (0xF7, 0xF7, 0xF7), (0xB2, 0x18, 0x2B), (0x21, 0x66, 0xAC)
    end = red if t > 0 else blue
    rgb = [round(w + (e - w) * abs(t)) for w, e in zip(white, end, strict=True)]
    return "#" + "".join(f"{c:02x}" for c in rgb)


def lift_label(stats):
    """Return a pair's lift with its interval as short text.

    Examples
    --------
    >>> lift_label({"lift": 3.214, "lift_low": 1.52, "lift_high": 5.9})
    '3.2× (1.5–5.9)'
    >>> lift_label({"lift": None})
    ''
    """
    lift = stats.get("lift")
    if lift is None:
        return ""
    text = f"{float(lift):.1f}×"
    if stats.get("lift_low") is not None and stats.get("lift_high") is not None:
        text += f" ({float(stats['lift_low']):.1f}–{float(stats['lift_high']):.1f})"
    return text


# Helpers ------------------------------------------------------------------


def _text(value):
    """Plain string for any value (None becomes the empty string)."""
    return "" if value is None else str(value)


def _count(value):
    try:
        return int(value)
    except (TypeError, ValueError):
        return 0


def _number(value):
    try:
        x = float(value)
    except (TypeError, ValueError):
        return _text(value)
    return f"{x:.3f}" if math.isfinite(x) else "n/a"


def _plural(n, singular, plural=None):
    n = _count(n)
    if n == 1:
        return f"1 {singular}"
    return f"{n} {plural or singular + 's'}"


def _themes(themes):
    if not themes:
        return []
    if isinstance(themes, str):
        return [themes]
    if isinstance(themes, set | frozenset):
        themes = sorted(themes, key=str)
    return [_text(t) for t in themes if t is not None and _text(t)]


def _truncate(text, limit):
    text = " ".join(text.split())
    if limit is not None and len(text) > limit:
        return text[: max(limit - 1, 0)].rstrip() + "…"
    return text
