"""Commands that link and describe the graph: ``link`` and ``describe``."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from .options import format_options, open_spec, store_options
from .output import render


@click.command()
@click.option(
    "--endpoint",
    default="https://query.wikidata.org/sparql",
    show_default=True,
    help="SPARQL endpoint of Wikidata (or a Wikidata-shaped copy).",
)
@click.option(
    "--cache",
    "cache_dir",
    type=click.Path(path_type=Path),
    default=None,
    help="Directory of cached answers.  [default: $XDG_CACHE_HOME/inspectgraph/sparql]",
)
@click.option("--refresh", is_flag=True, help="Ask the endpoint again instead of using the cache.")
@click.option(
    "--time-limit",
    default=300.0,
    show_default=True,
    type=click.FloatRange(min=1),
    help="Seconds for the whole run, retries included.",
)
@click.option(
    "--retries",
    default=4,
    show_default=True,
    type=click.IntRange(0),
    help="Retries after HTTP 429 or 503, with back-off (Retry-After honoured).",
)
@click.option(
    "--min-score",
    default=0.7,
    show_default=True,
    type=click.FloatRange(0, 1),
    help="Write links scoring at least this (0.9 and over: skos:exactMatch).",
)
@click.option(
    "--contact",
    default="",
    help="E-mail or URL added to the User-Agent, as Wikimedia asks of heavy users.",
)
@click.option("--dry-run", is_flag=True, help="Show the links without writing them.")
@format_options
@store_options(endpoint_flags=("--store-endpoint",))
def link(
    endpoint, cache_dir, refresh, time_limit, retries, min_score, contact, dry_run, fmt, store_spec
):
    """Link agencies (and their ONS areas) to Wikidata.

    Councils are found through their GSS code (P836) and the bodies of that area
    (P1001, P194); other agencies by official website (P856) or by label and a
    class fitting their type. Links are skos:exactMatch (score 0.9 or more) or
    skos:closeMatch, never owl:sameAs, and go into their own named graph, replaced
    whole on every run, with their provenance: rule, score, endpoint and time.
    Answers are cached, so a second run sends no request. Prints the links.

    Example:

        inspectgraph link --store demo-out/store --contact me@example.org
    """
    from ..linking.link import link as run_link

    with open_spec(store_spec, read_only=dry_run) as store:
        report = run_link(
            store,
            endpoint=endpoint,
            cache=cache_dir,
            refresh=refresh,
            time_limit=time_limit,
            retries=retries,
            min_score=min_score,
            contact=contact,
            dry_run=dry_run,
        )
    columns = ["subject", "label", "match", "target", "target_label", "rule", "score"]
    rows = [
        [x.subject, x.subject_label, x.match, x.target, x.target_label, x.rule, x.score]
        for x in report.links
    ]
    click.echo(render(columns, rows, fmt), nl=False)
    unmatched = "; ".join(f"{label} ({why})" for label, why in report.unmatched)
    click.echo(
        f"{len(report.links)} link(s){'' if report.written else ' (dry run, not written)'}"
        f"; {report.sent} request(s) sent, {report.cached} answer(s) from the cache"
        + (f"; not linked: {unmatched}" if unmatched else ""),
        err=True,
    )


@click.command()
@click.option(
    "--out",
    default="-",
    type=click.Path(path_type=Path),
    show_default=True,
    help="File to write ('-' for standard output); .ttl, .jsonld, .nt or .xml.",
)
@click.option(
    "--endpoint-url",
    default=None,
    help="URL of the SPARQL endpoint serving this store, if it is served.",
)
@click.option(
    "--distribution",
    "distributions",
    multiple=True,
    type=click.Path(path_type=Path, dir_okay=False),
    help="An exported file to list as a distribution, with its size and checksum "
    "(repeatable; needs --base-url).",
)
@click.option(
    "--base-url",
    default=None,
    help="Where the --distribution files are downloaded from (their directory's URL).",
)
@click.option("--title", default=None, help="Title of the dataset (default: from the sources).")
@click.option("--description", default=None, help="Description of the dataset.")
@click.option(
    "--license",
    "license_url",
    default=None,
    help="Licence IRI.  [default: Open Government Licence v3.0]",
)
@click.option("--publisher", default=None, help="Name of the publisher.")
@click.option("--landing-page", default=None, help="URL of the dataset's web page.")
@click.option(
    "--iri",
    default=None,
    help="IRI of the dataset.  [default: https://w3id.org/inspectgraph/id/dataset]",
)
@store_options
def describe(
    out,
    endpoint_url,
    distributions,
    base_url,
    title,
    description,
    license_url,
    publisher,
    landing_page,
    iri,
    store_spec,
):
    """Describe the store as a dataset (DCAT and VoID).

    Everything counted is computed from the store: triples, subjects, classes and
    properties (with partitions), one subset per named graph, the period and areas
    covered, and one void:Linkset per pair of linked datasets (to the ONS
    geographies, to Wikidata) with its link predicates and triple counts. The
    description is checked against ontology/dataset-shapes.ttl before it is written
    (exit 1 if it fails).

    Example:

        inspectgraph describe --out void.ttl --endpoint-url https://example.org/sparql
    """
    from ..graph.export import EXPORT_FORMATS
    from ..linking.describe import describe as run_describe
    from ..viz.netexport import atomic_write

    fmt = "ttl" if str(out) == "-" else out.suffix.lstrip(".").lower()
    if fmt not in ("ttl", "jsonld", "nt", "xml"):
        raise click.BadParameter(
            f"{out}: use a .ttl, .jsonld, .nt or .xml file", param_hint="--out"
        )
    with open_spec(store_spec, read_only=True) as store:
        g = run_describe(
            store,
            iri=iri,
            title=title,
            description=description,
            license=license_url,
            publisher=publisher,
            endpoint_url=endpoint_url,
            distributions=distributions,
            base_url=base_url,
            landing_page=landing_page,
        )
    data = g.serialize(format=EXPORT_FORMATS[fmt], encoding="utf-8")
    if str(out) == "-":
        sys.stdout.buffer.write(data)
        return
    atomic_write(out, lambda fh: fh.write(data))
    click.echo(f"wrote {out} ({len(g)} triples)", err=True)
