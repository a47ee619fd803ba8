"""``demo``: the bundled case built, its recurring partnerships printed and drawn."""

from __future__ import annotations

from pathlib import Path

import click

from .output import render
from .viz import draw_partnerships


@click.command()
@click.option(
    "--out",
    "out_dir",
    type=click.Path(path_type=Path),
    default=Path("demo-out"),
    show_default=True,
    help="Directory for the store and the outputs.",
)
def demo(out_dir):
    """Build the bundled data and show which partnerships recur in criticisms.

    Writes OUT/store (the graph), OUT/partnerships.html (an offline interactive
    page) and OUT/graph.ttl (the graph as Turtle), and prints the recurring
    co-criticised partnerships.

    Example:

        inspectgraph demo --out demo-out
    """
    from ..analysis import partnership_graph_from_store, recurring_partnerships
    from ..graph.build import build as run_build
    from ..graph.export import export as run_export
    from ..graph.stores import open_store

    out_dir.mkdir(parents=True, exist_ok=True)
    store_dir = out_dir / "store"
    with open_store(store_dir) as store:
        report = run_build(store)
        G = partnership_graph_from_store(store)
        run_export(store, "ttl", out_dir / "graph.ttl")
    rows = recurring_partnerships(G, min_inspections=2)
    click.echo(f"Built {report.triples} triples into {store_dir} (digest {report.digest[:16]}).\n")
    click.echo(
        f"National judgement history (Ofsted's official files): {report.inspections} "
        f"inspections of {report.authorities} local authorities, 2009-2025.\n"
    )
    click.echo("Partnerships of agencies criticised together in two or more inspections:\n")
    columns = ["agencies", "findings", "inspections", "years", "first", "last"]
    click.echo(render(columns, [[r[c] for c in columns] for r in rows], "table"))
    summary = draw_partnerships((store_dir, "oxigraph"), out_dir / "partnerships.html")
    click.echo(
        f"Wrote {out_dir / 'partnerships.html'} ({summary['nodes']} agencies, "
        f"{summary['edges']} pairs) and {out_dir / 'graph.ttl'}."
    )
