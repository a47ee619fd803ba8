"""Drawings of the partnership graph: ``viz partnerships``, ``viz types``, ``viz heatmap``."""

from __future__ import annotations

from pathlib import Path

import click

from .options import open_spec, store_options
from .partnerships import CRITICISM, MIN_INSPECTIONS, analysis_options


@click.group()
def viz():
    """Draw or export the partnership graph: an offline page, figures, Gephi files."""


@viz.command("partnerships")
@analysis_options
@click.option(
    "--min-inspections",
    default=MIN_INSPECTIONS,
    show_default=True,
    type=click.IntRange(1),
    help="Draw pairs criticised together in at least this many inspections.",
)
@click.option(
    "--pairs",
    type=click.Choice(["above-chance", "all"]),
    default="above-chance",
    show_default=True,
    help="above-chance: only pairs whose lift interval lies above 1 with at least "
    "--min-findings findings; all: every pair (the drawing before lifts).",
)
@click.option(
    "--min-findings",
    default=3,
    show_default=True,
    type=click.IntRange(1),
    help="With --pairs above-chance, draw pairs criticised together in at least this "
    "many findings.",
)
@click.option(
    "--width",
    "width_by",
    type=click.Choice(["inspections", "lift"]),
    default="inspections",
    show_default=True,
    help="What a line's width shows: inspections, or the lift against chance.",
)
@click.option(
    "--out",
    type=click.Path(path_type=Path),
    required=True,
    help="File to write; its extension picks the format: .html .png .svg .pdf "
    ".graphml .gexf .json .csv",
)
@click.option(
    "--title",
    default=None,
    help="Title of the page or figure (default: a page gets one, a figure none).",
)
@click.option("--seed", default=0, show_default=True, help="Seed of the layout and bootstrap.")
@click.option(
    "--group",
    type=click.Choice(["none", "type", "authority"]),
    default=None,
    help="Place agencies in one cluster per agency type, or around each inspected "
    "authority (default: authority with --la or --region, else type when --pairs all "
    "draws more than 60 agencies).",
)
@store_options
def viz_partnerships(
    filters,
    min_inspections,
    pairs,
    min_findings,
    width_by,
    out,
    title,
    seed,
    group,
    store_spec,
):
    """Write the partnership graph: a page, a figure for papers, or a file for Gephi.

    By default only the pairs criticised together more often than chance are drawn:
    those whose 95 % lift interval lies above 1, with at least --min-findings findings
    (--pairs all draws every pair). With --la or --region, each authority's agencies are
    placed around it.

    The format follows the extension of --out: .html an offline interactive page
    (hover for counts, the lift and an example finding); .png (300 dpi), .svg, .pdf a
    static figure with the page's colours, shapes and legend; .graphml and .gexf with
    typed attributes, colours and positions (Gephi, Cytoscape); .json node-link data
    (networkx, d3); .csv two files, NAME-nodes.csv and NAME-edges.csv (Gephi's
    spreadsheet import). The same --seed gives the same layout in every format.

    Examples:

        inspectgraph viz partnerships --la Sunderland --pairs all --out partnerships.html

        inspectgraph viz partnerships --out figure.svg --width lift --seed 3

        inspectgraph viz partnerships --out partnerships.gexf

        inspectgraph viz partnerships --region london --out london.html
    """
    summary = draw_partnerships(
        store_spec,
        out,
        **filters,
        min_inspections=min_inspections,
        seed=seed,
        title=title,
        group=group,
        pairs=pairs,
        min_findings=min_findings,
        width_by=width_by,
    )
    hint = ""
    if summary["edges"] == 0 and pairs == "above-chance":
        hint = f"; no pair lies above chance with {min_findings}+ findings: --pairs all draws every pair"
    click.echo(
        f"wrote {', '.join(summary['paths'])} ({summary['nodes']} agencies, "
        f"{summary['edges']} pairs{hint})",
        err=True,
    )


def _national_view_command(view: str, help_text: str, example: str):
    @viz.command(view, help=help_text + f"\n\nExample:\n\n    {example}")
    @analysis_options
    @click.option(
        "--min-inspections",
        default=MIN_INSPECTIONS,
        show_default=True,
        type=click.IntRange(1),
        help="Pairs of types criticised together in at least this many inspections.",
    )
    @click.option(
        "--out",
        type=click.Path(path_type=Path),
        required=True,
        help="File to write; its extension picks the format: .html .png .svg .pdf",
    )
    @click.option("--title", default=None, help="Title (default: a page gets one, a figure none).")
    @click.option("--seed", default=0, show_default=True, help="Seed of the bootstrap.")
    @click.option(
        "--resamples",
        type=click.IntRange(0),
        default=1000,
        show_default=True,
        help="Bootstrap draws over inspections for the lift intervals.",
    )
    @store_options
    def command(filters, min_inspections, out, title, seed, resamples, store_spec):
        from ..viz.national import draw_national_view, national_format

        national_format(out)  # a bad extension fails before the store is opened
        with open_spec(store_spec, read_only=True) as store:
            summary = draw_national_view(
                store,
                out,
                view=view,
                min_inspections=min_inspections,
                title=title,
                seed=seed,
                resamples=resamples,
                **filters,
            )
        click.echo(
            f"wrote {summary['path']} ({summary['types']} agency types, "
            f"{summary['pairs']} pairs of types)",
            err=True,
        )

    return command


viz_types = _national_view_command(
    "types",
    "The network of agency types: one node per type (area: findings naming it), a line "
    "per pair of types criticised together more often than chance would give (width: "
    "lift; red: adjusted p < 0.05), labels with counts. .html writes an offline page with "
    "the figure and the table of every pair; .png .svg .pdf the figure.",
    "inspectgraph viz types --out types.pdf",
)
viz_heatmap = _national_view_command(
    "heatmap",
    "The type x type heatmap of lifts: each cell the lift of a pair of agency types, its "
    "95 % interval and its findings, red above chance and blue below, framed where the "
    "adjusted p < 0.05. .html writes an offline page with the figure and the table; "
    ".png .svg .pdf the figure.",
    "inspectgraph viz heatmap --out heatmap.png",
)


def draw_partnerships(store_spec, out, **options):
    """Write the partnership graph of ``viz partnerships`` to ``out`` from the store
    ``store_spec`` names; ``options`` as for
    :func:`inspectgraph.viz.netexport.draw_partnership_graph` (the filters of
    :func:`analysis_options` among them; polarity by default every criticism)."""
    from ..viz.netexport import draw_partnership_graph, network_format

    network_format(out)  # a bad extension fails before any work
    with open_spec(store_spec, read_only=True) as store:
        return draw_partnership_graph(store, out, **{"polarity": CRITICISM, **options})
