"""Figures for papers of the trends and comparisons (PNG, SVG, PDF): drawn from the plain
rows that :mod:`inspectgraph.analysis.trends` and :mod:`inspectgraph.analysis.compare` compute, never from a
store.

Only :class:`matplotlib.figure.Figure` is used (no ``pyplot``), and files are written by
:func:`~inspectgraph.viz.static.save_figure` (reproducible: no dates, fixed SVG ids).
"""

from __future__ import annotations

import textwrap

from .static import save_figure

__all__ = [
    "GRADE_COLORS",
    "compare_figure",
    "theme_trend_figure",
    "transition_figure",
    "trends_figure",
    "write_figure",
]

#: Grade colours, as Ofsted's summary sheets shade them (green to red).
GRADE_COLORS = {
    "outstanding": "#1a7f37",
    "good": "#8cc084",
    "requires_improvement": "#f2b134",
    "inadequate": "#c8102e",
}
_GRADE_SHORT = {"outstanding": "O", "good": "G", "requires_improvement": "RI", "inadequate": "I"}
_TEXT = "#1a1a1a"
_EMPTY = "#f2f2f2"
_SHARE_LABELS = {
    "critical_share": "Share of the theme's findings that criticise (weakness or mixed)",
    "theme_share_of_critical": "Share of all criticisms that touch the theme",
}


def _label(key: str) -> str:
    return str(key).replace("_", " ")


def _figure(width: float, height: float):
    from matplotlib.figure import Figure

    return Figure(figsize=(width, height), layout="constrained")


def theme_trend_figure(
    columns: list[str],
    rows: list[dict],
    *,
    value: str = "critical_share",
    title: str | None = None,
    width: float = 7.0,
):
    """A heatmap of one share (``critical_share`` or ``theme_share_of_critical``) by theme
    (rows) and group (columns: the one grouping column of ``columns``), each cell
    labelled with its percentage; a group without findings of the theme is left blank."""
    import numpy as np

    group = columns[0]
    groups = sorted({str(r[group]) for r in rows})
    themes = sorted({r["theme"] for r in rows})
    grid = np.full((len(themes), len(groups)), np.nan)
    for r in rows:
        if r[value] is not None:
            grid[themes.index(r["theme"]), groups.index(str(r[group]))] = r[value]
    height = max(2.5, 0.22 * len(themes) + 1.4)
    fig = _figure(width, height)
    ax = fig.add_subplot()
    if not rows:
        ax.text(0.5, 0.5, "no findings in scope", ha="center", va="center", color=_TEXT)
        ax.set_axis_off()
        return fig
    top = max(float(np.nanmax(grid)), 0.01) if np.isfinite(grid).any() else 1.0
    import matplotlib

    cmap = matplotlib.colormaps["Reds"].with_extremes(bad=_EMPTY)
    image = ax.imshow(np.ma.masked_invalid(grid), aspect="auto", cmap=cmap, vmin=0, vmax=top)
    ax.set_xticks(range(len(groups)), [_label(g) for g in groups], fontsize=7, rotation=45)
    ax.set_yticks(range(len(themes)), [_label(t) for t in themes], fontsize=7)
    for i in range(len(themes)):
        for j in range(len(groups)):
            if np.isfinite(grid[i, j]):
                light = grid[i, j] > 0.6 * top
                ax.text(
                    j,
                    i,
                    f"{100 * grid[i, j]:.0f}",
                    ha="center",
                    va="center",
                    fontsize=5.5,
                    color="white" if light else _TEXT,
                )
    bar = fig.colorbar(image, ax=ax, shrink=0.6, format=lambda x, _: f"{100 * x:.0f}%")
    bar.ax.tick_params(labelsize=7)
    ax.set_xlabel(_label(group), fontsize=8)
    ax.set_title(title or _SHARE_LABELS.get(value, _label(value)), fontsize=9, loc="left")
    return fig


def transition_figure(rows: list[dict], *, title: str | None = None, width: float = 4.2):
    """A from-grade by to-grade matrix of transitions between successive inspections:
    each cell the number of transitions and their share of those leaving the from grade."""
    import numpy as np

    from inspectgraph.analysis.trends import GRADE_ORDER

    grades = [g for g in GRADE_ORDER if any(g in (r["from_grade"], r["to_grade"]) for r in rows)]
    fig = _figure(width, width * 0.85)
    ax = fig.add_subplot()
    if not rows:
        ax.text(0.5, 0.5, "no successive graded inspections", ha="center", va="center")
        ax.set_axis_off()
        return fig
    share = np.zeros((len(grades), len(grades)))
    count = np.zeros((len(grades), len(grades)), dtype=int)
    for r in rows:
        i, j = grades.index(r["from_grade"]), grades.index(r["to_grade"])
        share[i, j], count[i, j] = r["share_of_from"], r["transitions"]
    ax.imshow(share, cmap="Blues", vmin=0, vmax=1)
    names = ["\n".join(textwrap.wrap(_label(g), 12)) for g in grades]
    ax.set_xticks(range(len(grades)), names, fontsize=7)
    ax.set_yticks(range(len(grades)), names, fontsize=7)
    for i in range(len(grades)):
        for j in range(len(grades)):
            ax.text(
                j,
                i,
                f"{count[i, j]}\n{100 * share[i, j]:.0f}%",
                ha="center",
                va="center",
                fontsize=7,
                color="white" if share[i, j] > 0.55 else _TEXT,
            )
    ax.set_xlabel("grade at the next inspection", fontsize=8)
    ax.set_ylabel("grade at an inspection", fontsize=8)
    area = _label(rows[0]["area"])
    total = sum(r["transitions"] for r in rows)
    ax.set_title(title or f"{area}: {total} transitions", fontsize=9, loc="left")
    return fig


def trends_figure(
    view: str, columns: list[str], rows: list[dict], *, share: str = "critical_share"
):
    """The figure of ``inspectgraph trends VIEW --out`` and the Python API's
    ``trends_figure``: the heatmap of ``share`` by theme and group for ``view="themes"``
    (rows of :func:`inspectgraph.analysis.trends.theme_trends`), the transition matrix for
    ``"transitions"``."""
    if view == "themes":
        return theme_trend_figure(columns, rows, value=share)
    if view == "transitions":
        return transition_figure(rows)
    raise ValueError(f"unknown view {view!r}; one of themes, transitions")


def compare_figure(result: dict, *, title: str | None = None, width: float = 7.5):
    """Three panels of :func:`inspectgraph.analysis.compare.compare`'s result: the latest grades of
    the authority and its neighbours by area, the theme profile of their criticisms
    against the region's and England's, and the authority's pairs by lift."""
    grades, themes, pairs = result["grades"], result["themes"], result["partnerships"]
    fig = _figure(width, 9.5)
    panels = fig.subfigures(3, 1, height_ratios=[1.0, 1.5, 1.0])
    _grade_panel(panels[0].add_subplot(), grades, result["authority"])
    _theme_panel(panels[1].add_subplot(), themes, result["authority"])
    _pair_panel(panels[2].add_subplot(), pairs)
    fig.suptitle(title or f"{result['authority']} against its statistical neighbours", fontsize=10)
    return fig


def _grade_panel(ax, grades: list[dict], authority: str):
    from matplotlib.patches import Patch, Rectangle

    from inspectgraph.analysis.compare import grade_grid

    names = list(dict.fromkeys(r["authority"] for r in grades))
    areas = grade_grid(grades)[0][5:]  # the areas of their latest inspections
    by_cell = {(r["authority"], r["area"]): r for r in grades}
    for i, name in enumerate(names):
        for j, area in enumerate(areas):
            r = by_cell.get((name, area))
            color = GRADE_COLORS.get(r["grade"], _EMPTY) if r else _EMPTY
            ax.add_patch(Rectangle((j - 0.5, i - 0.5), 1, 1, facecolor=color, edgecolor="white"))
            if r:
                ax.text(
                    j,
                    i,
                    f"{_GRADE_SHORT.get(r['grade'], r['grade'])} {r['date'][:4]}",
                    ha="center",
                    va="center",
                    fontsize=5.5,
                    color="white" if r["grade"] in ("outstanding", "inadequate") else _TEXT,
                )
    ax.set_xlim(-0.5, len(areas) - 0.5)
    ax.set_ylim(len(names) - 0.5, -0.5)
    ax.set_xticks(
        range(len(areas)), [_label(a) for a in areas], fontsize=5.5, rotation=30, ha="right"
    )
    ax.set_yticks(
        range(len(names)),
        names,
        fontsize=6,
    )
    for tick in ax.get_yticklabels():
        if tick.get_text() == authority:
            tick.set_fontweight("bold")
    ax.tick_params(length=0)
    ax.set_title(
        "Latest grade in each area of their latest inspections (and its year)",
        fontsize=8,
        loc="left",
    )
    ax.legend(
        handles=[Patch(color=c, label=_label(g)) for g, c in GRADE_COLORS.items()],
        fontsize=6,
        loc="upper left",
        bbox_to_anchor=(1.01, 1.0),
        frameon=False,
    )


_GROUPS = (
    ("authority", "#c8102e"),
    ("neighbours", "#f2b134"),
    ("region", "#7b8794"),
    ("england", "#1f4e79"),
)


def _theme_panel(ax, themes: list[dict], authority: str):
    import numpy as np

    rows = sorted(themes, key=lambda r: -(r["england_share_of_critical"] or 0))
    y = np.arange(len(rows))
    height = 0.2
    for k, (group, color) in enumerate(_GROUPS):
        values = [r[f"{group}_share_of_critical"] or 0 for r in rows]
        label = authority if group == "authority" else group
        ax.barh(y + (k - 1.5) * height, values, height, color=color, label=label)
    ax.set_yticks(y, [_label(r["theme"]) for r in rows], fontsize=6)
    ax.invert_yaxis()
    ax.xaxis.set_major_formatter(lambda x, _: f"{100 * x:g}%")
    ax.tick_params(axis="x", labelsize=6)
    ax.set_title(
        "Share of criticisms (weakness or mixed findings) touching each theme",
        fontsize=8,
        loc="left",
    )
    ax.legend(fontsize=6, loc="lower right", frameon=False)


def _pair_panel(ax, pairs: list[dict], top: int = 12):
    rows = sorted((r for r in pairs if r.get("lift")), key=lambda r: (-r["findings"], -r["lift"]))[
        :top
    ]
    if not rows:
        ax.text(0.5, 0.5, "no pair of agencies criticised together", ha="center", va="center")
        ax.set_axis_off()
        return
    lifts = [r["lift"] for r in rows]
    low = [r["lift_low"] if r["lift_low"] else r["lift"] for r in rows]
    high = [r["lift_high"] if r["lift_high"] else r["lift"] for r in rows]
    y = range(len(rows))
    ax.hlines(y, low, high, color="#7b8794", lw=1.2)
    ax.plot(lifts, y, "o", color="#1f4e79", ms=4)
    ax.axvline(1.0, color="#7b8794", lw=0.8, ls="--")
    ax.set_xscale("log")
    labels = [" + ".join(r["agencies"]) for r in rows]
    ax.set_yticks(list(y), ["\n".join(textwrap.wrap(t, 70)) for t in labels], fontsize=5.5)
    ax.set_ylim(len(rows) - 0.5, -0.5)
    for i, r in enumerate(rows):
        ax.annotate(
            f"{r['findings']} finding{'s' * (r['findings'] != 1)}, {r['inspections']} insp.",
            (high[i], i),
            xytext=(4, 0),
            textcoords="offset points",
            va="center",
            fontsize=5.5,
            color=_TEXT,
        )
    ax.tick_params(axis="x", labelsize=6)
    ax.set_xlabel(
        "lift (findings / expected by chance) and its 95% interval, log scale", fontsize=7
    )
    ax.set_title(
        "Agencies criticised together in the authority's inspections (most findings first)",
        fontsize=8,
        loc="left",
    )


def write_figure(fig, path, *, fmt=None, dpi=300) -> str:
    """Write ``fig`` to ``path`` (its extension: png, svg or pdf); returns the format."""
    _path, fmt = save_figure(fig, path, fmt=fmt, dpi=dpi)
    return fmt
