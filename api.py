"""The Python API: ``kg = inspectgraph.open(path)``, then build, query and analyse.

>>> import inspectgraph
>>> kg = inspectgraph.open()          # in memory; pass a directory to persist
>>> _ = kg.build()                     # the bundled Sunderland case
>>> kg.partnerships(la="Sunderland")[0]["agencies"]
['Northumbria Police', 'Together for Children']
>>> rows = kg.query("judgement-history", la="Sunderland")
>>> rows.df.shape[0] == len(rows)
True
>>> kg.show()
<GraphView: 3 agencies, 3 pairs>
"""

from __future__ import annotations

from pathlib import Path

import networkx as nx

from . import queries
from .analysis import (
    CRITICISM,
    partnership_graph_from_store,
    rank_by_lift,
    recurring_partnerships,
    type_partnerships,
)
from .errors import InputError
from .graph.build import build
from .graph.buildreport import BuildReport
from .graph.stores import Store, open_store
from .notebook import GraphView, Rows

__all__ = ["KnowledgeGraph", "open"]


class KnowledgeGraph:
    """A store plus the operations researchers use most."""

    def __init__(self, store: Store):
        self.store = store

    def build(self, sources=None) -> BuildReport:
        """Build records files (default: the bundled data) into the store."""
        return build(self.store, sources)

    def query(self, name: str, **params) -> Rows:
        """Run a named query (or a ``.rq`` file); rows as dicts of plain Python values.

        The result is a list with ``.columns`` and ``.df``, a pandas DataFrame.
        """
        q = queries.load_query_file(name) if str(name).endswith(".rq") else queries.get(name)
        result = self.store.query(*q.prepare(params))
        if result.kind != "select":
            raise InputError(f"query {q.name!r} is not a SELECT query")
        return Rows(result.vars, result.rows)

    def findings(self, **filters) -> Rows:
        """One row per finding, as ``inspectgraph findings``: the authority with its
        codes, the inspection, report link, polarity and its cue, themes, agencies, and
        the exact quote with its offsets. ``filters`` are the command's options as
        keywords (``la``, ``region``, ``since``, ``until``, ``polarity``, ``theme``,
        ``agency``, ``agency_type``, ``inspection_type``); an unknown value raises
        :class:`~inspectgraph.model.keys.UnknownValue` naming the nearest valid ones.

        >>> kg = open(); _ = kg.build()
        >>> rows = kg.findings(la="Sunderland", polarity="weakness", theme="front_door")
        >>> {(r["authority"], r["gss"], r["polarity"]) for r in rows}
        {('Sunderland', 'E08000024', 'weakness')}
        """
        from .analysis.findings import FINDING_COLUMNS, findings_rows

        found = findings_rows(self.store, **filters)
        return Rows(FINDING_COLUMNS, [[r[c] for c in FINDING_COLUMNS] for r in found])

    def grades(self, *, latest: bool = False, **filters) -> Rows:
        """Graded judgements, as ``inspectgraph grades``: one row per authority and
        inspection with the judgement areas as columns, or with ``latest`` one row per
        authority with its latest and previous grades (``filters``: ``la``, ``region``,
        ``since``, ``until``)."""
        from .analysis.grades import grade_rows

        columns, found = grade_rows(self.store, latest=latest, **filters)
        return Rows(columns, [[r[c] for c in columns] for r in found])

    def trends(self, view: str = "themes", **options) -> Rows:
        """Criticism by theme over the years and frameworks (``view="themes"``), or grade
        transitions between successive inspections (``"transitions"``), as ``inspectgraph
        trends``: ``options`` are its options as keywords (``by`` a tuple such as
        ``("year",)`` or ``("framework",)``, ``polarity``, ``la``, ``region``, ``since``,
        ``until``, ``min_findings``; ``area`` for transitions)."""
        columns, found = self._trends(view, options)
        return Rows(columns, [[r[c] for c in columns] for r in found])

    def trends_figure(self, view: str = "themes", *, share: str = "critical_share", **options):
        """The figure of ``inspectgraph trends VIEW --out`` as a matplotlib Figure: the
        heatmap of ``share`` (``critical_share`` or ``theme_share_of_critical``) by theme and
        one grouping column, or the grade transition matrix; ``options`` as for
        :meth:`trends`."""
        from .viz.trends import trends_figure

        columns, found = self._trends(view, options)
        return trends_figure(view, columns, found, share=share)

    def _trends(self, view: str, options: dict) -> tuple[list[str], list[dict]]:
        from .analysis.trends import TRANSITION_COLUMNS, theme_trends, transitions

        if view == "transitions":
            return TRANSITION_COLUMNS, transitions(self.store, **options)
        if view == "themes":
            return theme_trends(self.store, **options)
        raise InputError(f"unknown view {view!r}; one of themes, transitions")

    def compare(self, la: str, **options) -> dict:
        """The authority ``la`` against its statistical neighbours, its region and England,
        as ``inspectgraph compare --json``: ``{"authority", "neighbours", "grades",
        "grade_summary", "themes", "partnerships", ...}`` (``options``: ``polarity``,
        ``resamples``, ``seed``)."""
        from .analysis.compare import compare

        return compare(self.store, la, **options)

    def compare_figure(self, la: str, **options):
        """The figure of ``inspectgraph compare LA --out`` as a matplotlib Figure (grades,
        theme profile and partnerships against the neighbours); ``options`` as for
        :meth:`compare`."""
        from .viz.trends import compare_figure

        return compare_figure(self.compare(la, **options))

    def partnership_graph(
        self, *, polarity: str = CRITICISM, la: str = "", seed: int = 0, resamples: int = 1000
    ) -> nx.Graph:
        """The networkx graph of agencies joined by shared findings, each pair measured
        against chance (``expected``, ``lift``, ``lift_low``, ``lift_high``, ``p_adjusted``
        ...; ``seed`` and ``resamples`` are the bootstrap's)."""
        return partnership_graph_from_store(
            self.store, polarity=polarity, la=la, seed=seed, resamples=resamples
        )

    def partnerships(
        self,
        *,
        polarity: str = CRITICISM,
        la: str = "",
        min_inspections: int = 2,
        by: str = "agency",
        rank: str = "count",
        min_findings: int | None = None,
        seed: int = 0,
        resamples: int = 1000,
    ) -> list[dict]:
        """Recurring pairs of agencies (``by="type"``: of agency types), as ``inspectgraph
        partnerships``: strongest first, or with ``rank="lift"`` most over-represented first
        (the lower end of the lift's interval, among pairs with ``min_findings`` findings,
        default 3; with ``rank="count"`` the default is 1).

        >>> kg = open(); _ = kg.build()
        >>> top = kg.partnerships(la="Sunderland", rank="lift", min_findings=1)[0]
        >>> sorted(k for k in top if k.startswith("lift"))
        ['lift', 'lift_high', 'lift_low']
        """
        if by not in ("agency", "type") or rank not in ("count", "lift"):
            raise InputError(
                f"by must be agency or type and rank count or lift, not {by!r}, {rank!r}"
            )
        G = self.partnership_graph(polarity=polarity, la=la, seed=seed, resamples=resamples)
        rows = (type_partnerships if by == "type" else recurring_partnerships)(
            G, min_inspections=min_inspections
        )
        if min_findings is None:
            min_findings = 3 if rank == "lift" else 1
        if rank == "lift":
            return rank_by_lift(rows, min_findings=min_findings)
        return [r for r in rows if r["findings"] >= min_findings]

    def show(
        self,
        *,
        polarity: str = CRITICISM,
        la: str = "",
        min_inspections: int = 1,
        seed: int = 0,
        title: str | None = None,
        height: int = 600,
        pairs: str = "all",
        width_by: str = "inspections",
        **options,
    ) -> GraphView:
        """The partnership graph as an interactive view, drawn inline in Jupyter.

        The same page as ``inspectgraph viz partnerships --pairs all --out x.html``
        (offline, no CDN), embedded with ``<iframe srcdoc>``; ``.save(path)`` writes it to a
        file. ``pairs="above-chance"`` keeps the pairs whose lift interval lies above 1 with
        ``min_findings`` (default 3) or more findings; ``width_by="lift"`` sets line widths
        by lift. ``options``: ``region``, ``since``, ``until``, ``min_findings``, ``group``
        and ``resamples``, as the command's options.
        """
        from .viz.html import partnership_network, render_page

        G, title, pos = self._drawing(
            "html", polarity, la, min_inspections, seed, title, pairs, options
        )
        net = partnership_network(G, seed=seed, pos=pos, width_by=width_by)
        return GraphView(
            render_page(net, title=title),
            height=height,
            nodes=G.number_of_nodes(),
            edges=G.number_of_edges(),
        )

    def figure(
        self,
        *,
        polarity: str = CRITICISM,
        la: str = "",
        min_inspections: int = 1,
        seed: int = 0,
        title: str | None = None,
        pairs: str = "all",
        width_by: str = "inspections",
        **options,
    ):
        """The partnership graph as a static matplotlib Figure, the figure of
        ``inspectgraph viz partnerships --pairs all --out x.svg`` (the same layout, colours,
        legend and title); ``fig.savefig("figure.pdf")`` for a paper. ``pairs``,
        ``width_by`` and the scope ``options`` as for :meth:`show`; the figure's own
        (``width``, ``height``, ``max_labels``, ``legend``) as for
        :func:`inspectgraph.viz.static.partnership_figure`."""
        from .viz.static import partnership_figure

        drawing = {k: options.pop(k) for k in _DRAWING_OPTIONS if k in options}
        G, title, pos = self._drawing(
            "svg", polarity, la, min_inspections, seed, title, pairs, drawing
        )
        return partnership_figure(
            G, seed=seed, pos=pos, title=title or None, width_by=width_by, **options
        )

    def export_partnerships(
        self,
        path: str | Path,
        *,
        polarity: str = CRITICISM,
        la: str = "",
        min_inspections: int = 1,
        seed: int = 0,
        title: str | None = None,
        pairs: str = "all",
        width_by: str = "inspections",
        **options,
    ) -> dict:
        """Write the partnership graph; the extension picks the format (.html .png .svg
        .pdf .graphml .gexf .json .csv), as ``inspectgraph viz partnerships --out``
        (``pairs``, ``width_by`` and the scope ``options`` as for :meth:`show`)."""
        from .viz.netexport import draw_partnership_graph

        _check_options(options)
        return draw_partnership_graph(
            self.store,
            path,
            polarity=polarity,
            la=la,
            min_inspections=min_inspections,
            seed=seed,
            title=title,
            pairs=pairs,
            width_by=width_by,
            **options,
        )

    def national_view(
        self,
        path: str | Path,
        *,
        view: str = "types",
        polarity: str = CRITICISM,
        la: str = "",
        min_inspections: int = 1,
        seed: int = 0,
        title: str | None = None,
        resamples: int = 1000,
        **filters,
    ) -> dict:
        """Write the network of agency types (``view="types"``) or the heatmap of lifts by
        pair of types (``"heatmap"``) as ``inspectgraph viz types`` / ``viz heatmap --out``
        (.html .png .svg .pdf); ``filters``: ``region``, ``since``, ``until``."""
        from .viz.national import draw_national_view

        return draw_national_view(
            self.store,
            path,
            view=view,
            polarity=polarity,
            la=la,
            min_inspections=min_inspections,
            seed=seed,
            title=title,
            resamples=resamples,
            **filters,
        )

    def export(self, path: str | Path, fmt: str | None = None) -> int:
        """Write the whole graph as RDF (format from the extension: ttl nt nq trig jsonld
        xml); returns the number of bytes written."""
        from .graph.export import export

        return export(self.store, fmt or Path(path).suffix.lstrip("."), path)

    def link(self, **kwargs):
        """Reconcile agencies with Wikidata (see :func:`inspectgraph.linking.link.link`)."""
        from .linking.link import link

        return link(self.store, **kwargs)

    def describe(self, **kwargs):
        """The DCAT/VoID description as an rdflib Graph (see
        :func:`inspectgraph.linking.describe.describe`)."""
        from .linking.describe import describe

        return describe(self.store, **kwargs)

    def _drawing(self, fmt, polarity, la, min_inspections, seed, title, pairs, options):
        """What :meth:`show` and :meth:`figure` draw, decided where the command decides it
        (:func:`inspectgraph.viz.netexport.partnership_drawing`)."""
        from .viz.netexport import partnership_drawing

        _check_options(options)
        return partnership_drawing(
            self.store,
            polarity=polarity,
            la=la,
            min_inspections=min_inspections,
            seed=seed,
            title=title,
            pairs=pairs,
            fmt=fmt,
            **options,
        )

    def close(self) -> None:
        self.store.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc) -> None:
        self.close()


def open(path: str | Path | None = None, *, kind: str = "oxigraph") -> KnowledgeGraph:  # noqa: A001
    """Open the store at ``path`` (``None``: a fresh in-memory Oxigraph store)."""
    return KnowledgeGraph(open_store(path, kind=kind))


# the options of a drawing beyond the methods' own: the command's scope and placing
_DRAWING_OPTIONS = ("region", "since", "until", "min_findings", "group", "resamples")


def _check_options(options: dict) -> None:
    unknown = sorted(set(options) - set(_DRAWING_OPTIONS))
    if unknown:
        raise InputError(
            f"unknown option {', '.join(map(repr, unknown))}; one of {', '.join(_DRAWING_OPTIONS)}"
        )
