"""``serve``: the SPARQL endpoint and the linked-data site."""

from __future__ import annotations

import click

from .options import store_options


@click.command()
@store_options
@click.option(
    "--host",
    default="127.0.0.1",
    show_default=True,
    help="Address to listen on (0.0.0.0: every interface).",
)
@click.option(
    "--port",
    default=8000,
    show_default=True,
    type=click.IntRange(0, 65535),
    help="Port to listen on (0: any free port).",
)
@click.option(
    "--cors", is_flag=True, help="Allow cross-origin requests (Access-Control-Allow-Origin: *)."
)
@click.option(
    "--timeout",
    default=30.0,
    show_default=True,
    type=click.FloatRange(min=0.1),
    help="Seconds a query may run; a slower one is stopped with an error (503).",
)
@click.option(
    "--max-rows",
    default=500_000,
    show_default=True,
    type=click.IntRange(1),
    help="Refuse results with more rows (or triples) than this (400).",
)
@click.option(
    "--max-request-bytes",
    default=1_000_000,
    show_default=True,
    type=click.IntRange(1),
    help="Refuse longer request bodies (413) and URLs (414).",
)
@click.option(
    "--workers",
    default=16,
    show_default=True,
    type=click.IntRange(1),
    help="Queries evaluated at once (threads of one worker process); more wait their turn.",
)
@click.option(
    "--memory-budget",
    default=1280,
    show_default=True,
    type=click.IntRange(0),
    metavar="MB",
    help="Resident memory of the server and its workers past which the worker process is "
    "replaced (the old one ends when only overrunning queries remain in it); 0: none.",
)
@click.option("-q", "--quiet", is_flag=True, help="Do not log requests.")
def serve(store_spec, host, port, quiet, **limits):
    """Serve the store as a read-only SPARQL 1.1 endpoint, with a query page and a
    browsable linked-data site.

    The endpoint is at /sparql (GET, POST form or POST direct; results in SPARQL
    JSON, XML, CSV or TSV, graphs in Turtle, N-Triples, JSON-LD or RDF/XML by
    content negotiation; a service description without a query) and the query
    page, which works offline, at /. The graph's own IRIs dereference under /id/
    and /def/ (HTML pages for a browser, Turtle, JSON-LD, N-Triples or RDF/XML by
    content negotiation), with a search by name at /browse. Updates are refused.
    The data is a snapshot taken at start: builds may go on meanwhile; restart to
    serve them. With --endpoint, another SPARQL endpoint's data is served live.

    Example:

        inspectgraph serve --store demo-out/store --port 8000

        inspectgraph serve --endpoint http://localhost:7878/query --port 8000
    """
    from ..endpoint.serve import EndpointConfig
    from ..endpoint.serve import serve as run_serve

    # --cors, --timeout, --max-rows, --max-request-bytes, --workers, --memory-budget: named
    # as the settings they give
    config = EndpointConfig(**limits)
    location, kind, *update = store_spec
    if update and update[0]:
        raise click.UsageError("serve never writes: --update-endpoint does not apply")
    run_serve(
        location,
        kind=kind,
        host=host,
        port=port,
        config=config,
        log=not quiet,
        announce=lambda m: click.echo(m, err=True),
    )
